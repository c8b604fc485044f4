/**
 * A small, fixed-seed slice of the `pnpm fuzz` campaign, through the same
 * code: seed files, structure-aware mutations only, guarded child
 * processes (fuzz/pool.ts), the same checks per case (fuzz/case.ts). The
 * full campaign is on demand (RELIABILITY.md); this keeps its machinery and
 * its first cases honest on every run of the suite.
 */
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool, type CaseResult } from '../../../../fuzz/pool.js';
import { prepareSeeds } from '../../../../fuzz/seeds.js';
import { tempDir } from '../helpers/fixtures.js';

const SEED = 0x6b79736f; // "kyso"
const CASES = 300;
const BUDGET_MS = 30_000;

let pool: Pool;

beforeAll(async () => {
  const { seedDir, pkiFile } = await prepareSeeds(tempDir('kyso-fuzz-slice-'));
  pool = new Pool({ workers: 1, timeoutMs: 5_000, maxRssMb: 1024, heapMb: 768, init: { seedDir, pkiFile, seed: SEED, signFraction: 0.25, structuralOnly: true } });
}, 120_000);

afterAll(() => pool?.close());

describe('fuzz slice', () => {
  it(`${CASES} structure-aware cases (seed ${SEED}) end in success or a KysoError, none hangs`, async () => {
    const t0 = performance.now();
    const failures: CaseResult[] = [];
    const outcomes = new Map<string, number>();
    let signed = 0;
    for (let i = 0; i < CASES; i++) {
      let r = await pool.run(i);
      if (r.kind === 'hang') r = await pool.run(i);
      if (r.kind !== 'ok') failures.push(r);
      else {
        if (r.outcome.signed) signed++;
        outcomes.set(r.outcome.open, (outcomes.get(r.outcome.open) ?? 0) + 1);
      }
    }
    const ms = performance.now() - t0;
    const slack = Math.max(1, loadavg()[0]! / cpus().length);
    console.log(`[fuzz-slice] ${CASES} cases in ${(ms / 1000).toFixed(1)} s (load x${slack.toFixed(1)}), ${signed} signed, open: ${[...outcomes].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    expect(failures, JSON.stringify(failures.slice(0, 3), null, 1)).toEqual([]);
    expect(signed, 'some mutants must still sign, or the post-sign checks never ran').toBeGreaterThan(0);
    expect(ms).toBeLessThan(BUDGET_MS * slack);
  }, 300_000);
});
