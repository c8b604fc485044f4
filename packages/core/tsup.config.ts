import { defineConfig } from 'tsup';

// The root and every building block as its own entry (the package's subpaths).
// Splitting shares one copy of each module between entries, in ESM and CJS
// alike, so that a KysoError thrown under @kyso/core/pdf is the KysoError of
// the root (instanceof holds across subpaths).
const SUBPATHS = ['appearance', 'cms', 'codes', 'contracts', 'diff', 'metadata', 'pdf', 'sign', 'testing', 'time', 'trust', 'verify', 'workflow'];

export default defineConfig({
  // errors: KysoError alone, for a caller that must recognise kyso's errors without loading the rest.
  entry: { index: 'src/index.ts', 'errors/index': 'src/errors.ts', ...Object.fromEntries(SUBPATHS.map((s) => [`${s}/index`, `src/${s}/index.ts`])) },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  shims: true,
});
