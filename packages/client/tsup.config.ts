import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // Browsers and Node 20 alike: fetch, AbortController, TextEncoder, no node: imports.
  target: 'es2022',
  platform: 'neutral',
});
