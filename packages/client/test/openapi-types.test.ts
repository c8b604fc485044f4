/**
 * src/openapi.ts is what the generator writes for the service as it is:
 * regenerated into memory (a server on loopback, /openapi.json,
 * openapi-typescript) and compared with the checked-in file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes, OPENAPI_TS } from '../scripts/generate-types.js';

describe('src/openapi.ts', () => {
  it('matches the service’s OpenAPI document', async () => {
    const fresh = await generateTypes();
    const checkedIn = readFileSync(OPENAPI_TS, 'utf8');
    const hint = 'packages/client/src/openapi.ts is out of date with @kyso/server: run `pnpm --filter @kyso/client generate` and commit the result.';
    // Not toBe on 250 KB of text: the first differing line says what changed.
    if (fresh !== checkedIn) {
      const a = fresh.split('\n');
      const b = checkedIn.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i === -1 ? Math.min(a.length, b.length) : i;
      expect.fail(`${hint}\nFirst difference at line ${at + 1}:\n  generated:  ${a[at] ?? '(end of file)'}\n  checked in: ${b[at] ?? '(end of file)'}`);
    }
    expect(checkedIn.startsWith('/**\n * GENERATED FILE')).toBe(true);
  });
});
