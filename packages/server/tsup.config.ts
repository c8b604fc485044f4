import { defineConfig } from 'tsup';

export default defineConfig({
  // Thread entries: the signing and verification workers, and the SQLite audit writer.
  entry: { index: 'src/index.ts', worker: 'src/pool/pool-worker.ts', 'audit-writer': 'src/store/sqlite-audit-thread.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build too (it locates worker.js).
  shims: true,
  target: 'node20',
});
