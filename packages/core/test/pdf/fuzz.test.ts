/**
 * Property test: mutated PDFs fed to the reader and to the signer yield
 * success or a KysoError, never anything else (TypeError, RangeError, a
 * crash, a hang), and a successful signature is an incremental update that
 * the reader reads back with one more revision.
 *
 * Each case runs in a worker thread (fuzz-worker.ts) so a hang is caught
 * for real: a case that takes longer than CASE_LIMIT_MS is killed, retried
 * once on a fresh worker (to rule out a loaded machine), and fails the test.
 *
 * Reproduce: every property prints its seed; run again with
 * KYSO_FUZZ_SEED=<base seed>. A failing input is also written to
 * $TMPDIR/kyso-fuzz/ with its mutation list.
 * More cases: KYSO_FUZZ_RUNS=<runs per seed file>.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIANTS, qpdfEncrypt } from '../helpers/encryption.js';
import { CORPUS_VERIFY, encrypted, makeHybridPdf, makePdfLibPdf, testPki, withObjectStreams } from '../helpers/fixtures.js';
import type { FuzzResponse } from './fuzz-worker.js';
import { applyMutations, mutationsArb, type Mutation } from './mutations.js';

const BASE_SEED = Number(process.env.KYSO_FUZZ_SEED ?? 0x6b79736f); // "kyso"
const RUNS_PER_SEED = Number(process.env.KYSO_FUZZ_RUNS ?? 700);
const CASE_LIMIT_MS = 2_000;
const MIN_TOTAL_CASES = 3_000;

/** tsx's ESM API (the "import" condition), resolved from the repository root. */
const TSX_API = pathToFileURL(
  createRequire(join(process.cwd(), 'package.json'))
    .resolve('tsx/package.json')
    .replace(/package\.json$/, 'dist/esm/api/index.mjs'),
).href;
const WORKER_URL = new URL('./fuzz-worker.ts', import.meta.url).href;

interface WorkerInit {
  key: string;
  cert: string;
  chain: string;
}
type Outcome = FuzzResponse | { id: number; ok: false; hang: true; ms: number };

/** One worker thread running cases one at a time; killed and replaced when a case hangs. */
class Sandbox {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, (r: Outcome) => void>();
  private nextId = 0;
  starts = 0;

  constructor(private readonly init: WorkerInit) {}

  private start(): void {
    this.starts++;
    const code = `import(${JSON.stringify(TSX_API)}).then((m) => m.tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(WORKER_URL)}))`;
    const w = new Worker(code, { eval: true, workerData: this.init });
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      w.on('message', (m: FuzzResponse | 'ready') => {
        if (m === 'ready') resolve();
        else this.pending.get(m.id)?.(m);
      });
      const died = (why: string): void => {
        reject(new Error(`fuzz worker failed to start: ${why}`));
        if (this.worker !== w) return;
        this.worker = undefined;
        this.ready = undefined;
        for (const [id, settle] of this.pending) {
          settle({ id, ok: false, ms: 0, stage: 'worker', name: 'WorkerDied', message: why, stack: '' });
        }
      };
      w.on('error', (e) => died(e.stack ?? String(e)));
      w.on('exit', (c) => died(`worker exited with code ${c}`));
    });
  }

  async run(bytes: Uint8Array): Promise<Outcome> {
    if (!this.worker) this.start();
    await this.ready;
    const w = this.worker!;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        resolve({ id, ok: false, hang: true, ms: CASE_LIMIT_MS });
      }, CASE_LIMIT_MS);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(r);
      });
      w.postMessage({ id, bytes });
    });
  }

  kill(): void {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (w) {
      w.removeAllListeners('exit');
      w.removeAllListeners('error');
      void w.terminate();
    }
  }
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}
const seeds: Seed[] = [];
let sandbox: Sandbox;
const stats = new Map<string, { cases: number; signed: number; ms: number; outcomes: Map<string, number> }>();

/** Runs one case, retrying a hang once on a fresh worker; returns a failure message or undefined. */
async function judge(bytes: Uint8Array): Promise<{ failure?: string; outcome?: Extract<FuzzResponse, { ok: true }> }> {
  let r = await sandbox.run(bytes);
  if (!r.ok && 'hang' in r) r = await sandbox.run(bytes);
  if (r.ok) {
    if (r.ms > CASE_LIMIT_MS) return { failure: `case took ${r.ms.toFixed(0)} ms (limit ${CASE_LIMIT_MS} ms)` };
    return { outcome: r };
  }
  if ('hang' in r) return { failure: `HANG: the case did not finish within ${CASE_LIMIT_MS} ms (twice)` };
  return { failure: `${r.name} at stage ${r.stage}: ${r.message}\n${r.stack}` };
}

function saveReproducer(seed: Seed, muts: readonly Mutation[], bytes: Uint8Array): string {
  const dir = join(tmpdir(), 'kyso-fuzz');
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const file = join(dir, `${seed.name.replace(/[^a-z0-9]+/gi, '-')}-${hash}.pdf`);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.json`, JSON.stringify({ seed: seed.name, mutations: muts }, null, 2));
  return file;
}

beforeAll(async () => {
  const pki = await testPki();
  sandbox = new Sandbox({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const classic = await makePdfLibPdf(2);
  seeds.push(
    { name: 'pdf-lib classic table', bytes: classic },
    { name: 'pdf-lib + qpdf object streams', bytes: withObjectStreams(classic) },
    { name: 'hybrid reference', bytes: makeHybridPdf() },
    // Mutated ciphertext, /Encrypt entries and object streams decrypted with a damaged key must still end in a KysoError.
    { name: 'qpdf AES-256 (empty user password)', bytes: encrypted(classic) },
    { name: 'qpdf RC4 128-bit + object streams (empty user password)', bytes: qpdfEncrypt(classic, VARIANTS.find((v) => v.revision === 3)!, { before: ['--object-streams=generate'] }) },
  );
  for (const f of ['phk-cov-one-byterange.pdf', 'phk-signed-twice-ecdsa-no-sig-type.pdf', 'phk-sig-no-signed-attrs.pdf']) {
    seeds.push({ name: `corpus ${f}`, bytes: new Uint8Array(readFileSync(join(CORPUS_VERIFY, f))) });
  }
});

afterAll(() => {
  sandbox?.kill();
  let total = 0;
  let signed = 0;
  for (const [name, s] of stats) {
    total += s.cases;
    signed += s.signed;
    const top = [...s.outcomes].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`[fuzz] ${name}: ${s.cases} cases, ${s.signed} signed, worker time ${(s.ms / 1000).toFixed(1)} s; ${top}`);
  }
  console.log(`[fuzz] total ${total} cases (${signed} signed), worker starts ${sandbox?.starts ?? 0}`);
});

describe('fuzz: mutated PDFs give success or a KysoError', () => {
  it('every unmutated seed opens and signs', async () => {
    expect(seeds.length).toBeGreaterThanOrEqual(5);
    for (const seed of seeds) {
      const { failure, outcome } = await judge(seed.bytes);
      expect(failure, seed.name).toBeUndefined();
      expect(outcome!.signed, `${seed.name}: ${outcome!.codes.join(', ')}`).toBe(true);
    }
  });

  const names = [
    'pdf-lib classic table',
    'pdf-lib + qpdf object streams',
    'hybrid reference',
    'qpdf AES-256 (empty user password)',
    'qpdf RC4 128-bit + object streams (empty user password)',
    'corpus phk-cov-one-byterange.pdf',
    'corpus phk-signed-twice-ecdsa-no-sig-type.pdf',
    'corpus phk-sig-no-signed-attrs.pdf',
  ];
  names.forEach((name, i) => {
    it(`seed file: ${name}`, async () => {
      const seed = seeds.find((s) => s.name === name)!;
      const fcSeed = BASE_SEED + i;
      console.log(`[fuzz] ${name}: fast-check seed ${fcSeed}, ${RUNS_PER_SEED} runs (reproduce with KYSO_FUZZ_SEED=${BASE_SEED})`);
      const s = { cases: 0, signed: 0, ms: 0, outcomes: new Map<string, number>() };
      stats.set(name, s);
      const property = fc.asyncProperty(mutationsArb, async (muts) => {
        const bytes = applyMutations(seed.bytes, muts);
        const { failure, outcome } = await judge(bytes);
        s.cases++;
        if (failure) {
          const file = saveReproducer(seed, muts, bytes);
          throw new Error(`${failure}\nreproducer: ${file}`);
        }
        s.ms += outcome!.ms;
        if (outcome!.signed) s.signed++;
        const key = outcome!.signed ? 'signed' : `open:${outcome!.open}/sign:${outcome!.sign}`;
        s.outcomes.set(key, (s.outcomes.get(key) ?? 0) + 1);
      });
      const details = await fc.check(property, { seed: fcSeed, numRuns: RUNS_PER_SEED });
      if (details.failed) {
        const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n${cause}`);
      }
      expect(s.cases).toBeGreaterThanOrEqual(RUNS_PER_SEED);
      expect(s.signed, 'some mutated files must still sign, or the post-sign checks never ran').toBeGreaterThan(0);
    }, 120_000);
  });

  it(`ran at least ${MIN_TOTAL_CASES} mutated PDFs in total`, () => {
    const total = [...stats.values()].reduce((n, s) => n + s.cases, 0);
    expect(total).toBeGreaterThanOrEqual(Math.min(MIN_TOTAL_CASES, RUNS_PER_SEED * names.length));
  });
});
