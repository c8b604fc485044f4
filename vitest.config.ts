import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources; examples' own child processes use the built packages.
    alias: [
      { find: /^@kyso\/core$/, replacement: here('./packages/core/src/index.ts') },
      { find: /^@kyso\/core\/errors$/, replacement: here('./packages/core/src/errors.ts') },
      { find: /^@kyso\/core\/([a-z]+)$/, replacement: here('./packages/core/src/$1/index.ts') },
      { find: /^@kyso\/pkcs11$/, replacement: here('./packages/pkcs11/src/index.ts') },
      { find: /^@kyso\/server$/, replacement: here('./packages/server/src/index.ts') },
      { find: /^@kyso\/client$/, replacement: here('./packages/client/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'benchmarks/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
