/**
 * Failures that `pnpm fuzz` found, kept as they were found: each input
 * (gzipped: they are mostly repetition) goes through the campaign's own
 * case (fuzz/case.ts: read, verify, sign, verify the signed output) and must
 * end in success or a KysoError within the campaign's time guard.
 * manifest.json says what each one broke and how it was fixed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTools, runCase, type CaseTools } from '../../../../fuzz/case.js';
import { testPki } from '../helpers/fixtures.js';

interface Regression {
  file: string;
  seed: number;
  case: number;
  seedFile: string;
  mutators: string[];
  sign: boolean;
  bug: string;
}

const DIR = fileURLToPath(new URL('./fuzz-regressions/', import.meta.url));
const REGRESSIONS = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Regression[];
/** The campaign's per-case time guard. */
const GUARD_MS = 5_000;

let tools: CaseTools;

beforeAll(async () => {
  const pki = await testPki();
  tools = makeTools({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem, root: pki.root.certPem });
}, 120_000);

describe('fuzz regressions', () => {
  for (const r of REGRESSIONS) {
    it(`seed ${r.seed} case ${r.case} (${r.seedFile}, ${r.mutators.join(' ')}): ${r.bug.split(':')[0]}`, async () => {
      const bytes = new Uint8Array(gunzipSync(readFileSync(join(DIR, r.file))));
      const t0 = performance.now();
      const outcome = await runCase(bytes, tools, r.sign);
      const ms = performance.now() - t0;
      expect(ms, 'within the fuzz time guard').toBeLessThan(GUARD_MS);
      expect(outcome.open).toMatch(/^(ok|[A-Z0-9_]+)$/);
    }, 60_000);
  }
});
