import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A thread entry built by tsup (dist/<name>.js): next to this module when
 * running from dist/, or the package's dist/ when the server runs from its
 * TypeScript sources (the test suite) — a thread cannot load TypeScript, so
 * build first (`pnpm build`).
 */
export function builtEntry(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, name), join(here, '..', 'dist', name), join(here, '..', '..', 'dist', name)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`kyso: the thread entry ${name} is missing (looked in ${candidates.map(dirname).join(', ')}); run the build`);
  return found;
}
