/**
 * Property test of verifyPdf on mutated signed PDFs.
 *
 * Seeds: a pdf-lib document signed once (classic xref table), the same
 * document signed twice (personal, then organisation), and a qpdf object
 * stream version signed once (cross-reference streams). Each case applies
 * 1–3 mutations (byte flips, a byte set to a PDF delimiter or digit, a digit
 * of /ByteRange changed in place, truncation, span inserts, deletes and
 * duplications), biased to the signature dictionary, the /ByteRange digits,
 * /Contents, the cross-reference sections and trailers, and the appended
 * signing update.
 *
 * For every case verifyPdf must return a report or throw a KysoError, never
 * anything else, and finish within CASE_LIMIT_MS (it runs in a worker thread
 * that is killed on timeout, so a synchronous endless loop is caught too).
 * Independently of the verifier, the test compares the mutated bytes at each
 * original signature's byte-range offsets with the signed file: when any of
 * them differ, the report must not say verdict 'valid', and a signature that
 * still claims those same ranges must not have integrity 'ok'.
 *
 * Reproduce: the seed is printed; KYSO_VERIFY_FUZZ_SEED=<seed> reruns it,
 * KYSO_VERIFY_FUZZ_RUNS=<n per seed file> changes the count. A failing input
 * is written to $TMPDIR/kyso-verify-fuzz/ with its mutation list.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf } from '../../src/index.js';
import { makePdfLibPdf, testPki, withObjectStreams } from '../helpers/fixtures.js';

const SEED = Number(process.env.KYSO_VERIFY_FUZZ_SEED ?? 0x76657269); // "veri"
const RUNS_PER_SEED = Number(process.env.KYSO_VERIFY_FUZZ_RUNS ?? 2000);
const MIN_TOTAL_CASES = 2_000;
const CASE_LIMIT_MS = 3_000;
const WORKERS = 2;

// ------------------------------------------------------------------ worker

/** tsx's ESM API, resolved from the repository root, so the worker can load the TypeScript sources. */
const TSX_API = pathToFileURL(
  createRequire(join(process.cwd(), 'package.json'))
    .resolve('tsx/package.json')
    .replace(/package\.json$/, 'dist/esm/api/index.mjs'),
).href;
const CORE_URL = new URL('../../src/index.ts', import.meta.url).href;

interface Summary {
  verdict: string;
  modification: string;
  signatures: { byteRange: number[] | null; integrity: string; format: string; indication: string; subIndication: string | null }[];
}
type Response =
  | { id: number; ok: true; ms: number; report: Summary; shapeProblem: string | null }
  | { id: number; ok: false; ms: number; kyso: boolean; code: string | null; name: string; message: string; stack: string };
type Outcome = Response | { id: number; ok: false; hang: true };

/** The worker body (plain JS, run with eval): loads the sources through tsx and verifies one PDF per message. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
import(${JSON.stringify(TSX_API)}).then(async (tsx) => {
  const core = await tsx.tsImport(${JSON.stringify(CORE_URL)}, ${JSON.stringify(CORE_URL)});
  const trustStore = core.TrustStore.fromPem(workerData.rootPem);
  const at = new Date(workerData.at);
  const VERDICTS = ['valid', 'indeterminate', 'invalid', 'unsigned'];
  const LEVELS = ['none', 'allowed', 'suspicious'];
  parentPort.on('message', async ({ id, bytes }) => {
    const t = performance.now();
    try {
      const r = await core.verifyPdf(bytes, { trustStore, at });
      let shapeProblem = null;
      if (!r || !VERDICTS.includes(r.verdict)) shapeProblem = 'verdict ' + (r && r.verdict);
      else if (!LEVELS.includes(r.modification)) shapeProblem = 'modification ' + r.modification;
      else if (!Array.isArray(r.signatures) || !Array.isArray(r.modifications) || !Array.isArray(r.findings)) shapeProblem = 'arrays';
      else if (r.signatures.some((s) => !['ok', 'broken'].includes(s.integrity) || !['ok', 'malformed'].includes(s.format) || !['TOTAL_PASSED', 'INDETERMINATE', 'TOTAL_FAILED'].includes(s.indication))) shapeProblem = 'signature fields';
      else JSON.stringify(r);
      const report = { verdict: r.verdict, modification: r.modification, signatures: r.signatures.map((s) => ({ byteRange: s.byteRange, integrity: s.integrity, format: s.format, indication: s.indication, subIndication: s.subIndication })) };
      parentPort.postMessage({ id, ok: true, ms: performance.now() - t, report, shapeProblem });
    } catch (e) {
      const kyso = e instanceof core.KysoError && typeof e.code === 'string' && e.code.length > 0;
      parentPort.postMessage({ id, ok: false, ms: performance.now() - t, kyso, code: kyso ? e.code : null, name: (e && e.name) || typeof e, message: String(e && e.message), stack: String(e && e.stack) });
    }
  });
  parentPort.postMessage('ready');
}).catch((e) => { throw e; });
`;

class Sandbox {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, (r: Outcome) => void>();
  private nextId = 0;
  starts = 0;

  constructor(private readonly data: { rootPem: string; at: string }) {}

  private start(): void {
    this.starts++;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: this.data });
    this.worker = w;
    this.ready = new Promise<void>((resolve, reject) => {
      w.on('message', (m: Response | 'ready') => {
        if (m === 'ready') resolve();
        else this.pending.get(m.id)?.(m);
      });
      const died = (why: string): void => {
        reject(new Error(`verify fuzz worker failed: ${why}`));
        if (this.worker !== w) return;
        this.worker = undefined;
        this.ready = undefined;
        for (const [id, settle] of this.pending) settle({ id, ok: false, ms: 0, kyso: false, code: null, name: 'WorkerDied', message: why, stack: '' });
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
        resolve({ id, ok: false, hang: true });
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

// ------------------------------------------------------------------ seeds and regions

type Region = 'sigDict' | 'byteRange' | 'contents' | 'lastXref' | 'firstXref' | 'update' | 'anywhere';
const REGIONS: readonly Region[] = ['sigDict', 'byteRange', 'contents', 'lastXref', 'firstXref', 'update', 'anywhere'];

interface Seed {
  name: string;
  bytes: Uint8Array;
  /** The signed ranges of every signature, as [start, end) pairs. */
  signed: { byteRange: number[]; spans: [number, number][] }[];
  regions: Record<Region, [number, number][]>;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

function allIndexes(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** Regions of a signed file worth mutating, found from its text (independently of kyso's parser). */
async function makeSeed(name: string, bytes: Uint8Array, store: TrustStore, unsignedLength: number): Promise<Seed> {
  const report = await verifyPdf(bytes, { trustStore: store });
  expect(report.verdict, `${name} must verify before mutation`).toBe('valid');
  const signed = report.signatures.map((s) => {
    const [a, b, c, d] = s.byteRange!;
    return { byteRange: s.byteRange!, spans: [[a!, a! + b!], [c!, c! + d!]] as [number, number][] };
  });
  const text = latin1(bytes);
  const sigDict: [number, number][] = [];
  const byteRange: [number, number][] = [];
  const contents: [number, number][] = [];
  for (const s of signed) {
    const gapStart = s.byteRange[1]!;
    const gapEnd = s.byteRange[2]!;
    const objStart = text.lastIndexOf(' obj', gapStart);
    const lineStart = text.lastIndexOf('\n', objStart) + 1;
    const objEnd = text.indexOf('endobj', gapEnd) + 'endobj'.length;
    // Keep the dictionary without the bulk of /Contents so its keys get most of the mutations.
    sigDict.push([lineStart, gapStart + 40], [gapEnd - 40, objEnd]);
    const br = text.indexOf('/ByteRange', lineStart);
    byteRange.push([br, text.indexOf(']', br) + 1]);
    contents.push([gapStart, gapEnd]);
  }
  const xrefs = [...allIndexes(text, '\nxref'), ...allIndexes(text, '/Type/XRef'), ...allIndexes(text, '/Type /XRef')].sort((a, b) => a - b);
  const startxrefs = allIndexes(text, 'startxref');
  const last = Math.max(xrefs[xrefs.length - 1] ?? 0, text.lastIndexOf('trailer'));
  const firstEnd = text.indexOf('%%EOF') + 5;
  const firstStart = Math.min(...[text.lastIndexOf('xref', firstEnd), text.lastIndexOf('trailer', firstEnd)].filter((x) => x >= 0));
  return {
    name,
    bytes,
    signed,
    regions: {
      sigDict,
      byteRange,
      contents,
      lastXref: [[Math.max(0, last - 200), bytes.length]],
      firstXref: [[Math.max(0, firstStart - 200), firstEnd + 1], ...startxrefs.map((s): [number, number] => [s, s + 20])],
      update: [[unsignedLength, bytes.length]],
      anywhere: [[0, bytes.length]],
    },
  };
}

// ------------------------------------------------------------------ mutations

type Op =
  | { op: 'flip'; mask: number }
  | { op: 'set'; byte: number }
  | { op: 'digit'; digit: number }
  | { op: 'truncate' }
  | { op: 'insert'; data: string }
  | { op: 'delete'; length: number }
  | { op: 'duplicate'; length: number };
interface Mutation {
  region: Region;
  /** Which span of the region, and where in it (fractions, resolved against the seed). */
  span: number;
  at: number;
  change: Op;
}

const TOKENS = ['0', '9', ' ', '\n', '\r', '<', '>', '<<', '>>', '[', ']', '/', '(', ')', '%', 'R', 'obj', 'endobj', 'stream', 'endstream', 'xref', 'trailer', 'startxref', '%%EOF', '/ByteRange', '/Contents', '0 0 R', '4294967296', '-1', '99999999999999999999', '1e308', '/Prev 0', '<</Type/Sig>>'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 255 }).map((mask): Op => ({ op: 'flip', mask })) },
  { weight: 2, arbitrary: fc.constantFrom(...'0123456789 <>[]/()R\n%-.'.split('').map((c) => c.charCodeAt(0))).map((byte): Op => ({ op: 'set', byte })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }).map((digit): Op => ({ op: 'digit', digit })) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'truncate' }) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.constantFrom(...TOKENS), fc.uint8Array({ minLength: 1, maxLength: 16 }).map((u) => Buffer.from(u).toString('latin1')))
      .map((data): Op => ({ op: 'insert', data })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 64 }).map((length): Op => ({ op: 'delete', length })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((length): Op => ({ op: 'duplicate', length })) },
);

const regionArb: fc.Arbitrary<Region> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Region>('sigDict') },
  { weight: 3, arbitrary: fc.constant<Region>('byteRange') },
  { weight: 1, arbitrary: fc.constant<Region>('contents') },
  { weight: 2, arbitrary: fc.constant<Region>('lastXref') },
  { weight: 1, arbitrary: fc.constant<Region>('firstXref') },
  { weight: 2, arbitrary: fc.constant<Region>('update') },
  { weight: 1, arbitrary: fc.constant<Region>('anywhere') },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  region: regionArb,
  span: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  change: opArb,
});
const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

/** Applies the mutations in order; offsets are chosen in the seed's regions (clamped to the current length). */
function applyMutations(seed: Seed, muts: readonly Mutation[]): Uint8Array {
  let buf = Buffer.from(seed.bytes);
  for (const m of muts) {
    const spans = seed.regions[m.region];
    const [s, e] = spans[Math.floor(m.span * spans.length)]!;
    if (buf.length === 0) break;
    const pos = Math.min(buf.length - 1, s + Math.floor(m.at * Math.max(1, e - s)));
    const c = m.change;
    switch (c.op) {
      case 'flip':
        buf[pos] = buf[pos]! ^ c.mask;
        break;
      case 'set':
        buf[pos] = c.byte;
        break;
      case 'digit': {
        // The nearest digit at or after pos within 32 bytes, else the byte at pos.
        let p = pos;
        while (p < Math.min(buf.length, pos + 32) && !(buf[p]! >= 0x30 && buf[p]! <= 0x39)) p++;
        if (p >= buf.length || !(buf[p]! >= 0x30 && buf[p]! <= 0x39)) p = pos;
        buf[p] = 0x30 + c.digit;
        break;
      }
      case 'truncate':
        buf = buf.subarray(0, pos);
        break;
      case 'insert':
        buf = Buffer.concat([buf.subarray(0, pos), Buffer.from(c.data, 'latin1'), buf.subarray(pos)]);
        break;
      case 'delete':
        buf = Buffer.concat([buf.subarray(0, pos), buf.subarray(Math.min(buf.length, pos + c.length))]);
        break;
      case 'duplicate':
        buf = Buffer.concat([buf.subarray(0, pos + Math.min(c.length, buf.length - pos)), buf.subarray(pos)]);
        break;
    }
  }
  return new Uint8Array(buf);
}

/** True when any byte of the original signed ranges differs in (or is missing from) the mutated file. */
function signedBytesDiffer(original: Uint8Array, mutated: Uint8Array, spans: readonly [number, number][]): boolean {
  for (const [s, e] of spans) {
    if (e > mutated.length) return true;
    if (Buffer.compare(Buffer.from(original.buffer, original.byteOffset + s, e - s), Buffer.from(mutated.buffer, mutated.byteOffset + s, e - s)) !== 0) return true;
  }
  return false;
}

// ------------------------------------------------------------------ the test

const seeds: Seed[] = [];
const sandboxes: Sandbox[] = [];
const stats = new Map<string, { cases: number; ms: number; maxMs: number; outcomes: Map<string, number> }>();

function saveReproducer(seed: Seed, muts: readonly Mutation[], bytes: Uint8Array): string {
  const dir = join(tmpdir(), 'kyso-verify-fuzz');
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const file = join(dir, `${seed.name.replace(/[^a-z0-9]+/gi, '-')}-${hash}.pdf`);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.json`, JSON.stringify({ seed: seed.name, fastCheckSeed: SEED, mutations: muts }, null, 2));
  return file;
}

/** Runs one case (a timeout is retried once on a fresh worker); returns the failure, if any. */
async function judge(sandbox: Sandbox, seed: Seed, bytes: Uint8Array): Promise<{ failure?: string; ms: number; outcome: string }> {
  let r = await sandbox.run(bytes);
  if (!r.ok && 'hang' in r) r = await sandbox.run(bytes);
  if (!r.ok && 'hang' in r) return { failure: `HANG: verifyPdf did not finish within ${CASE_LIMIT_MS} ms (twice)`, ms: CASE_LIMIT_MS, outcome: 'hang' };
  if (r.ms > CASE_LIMIT_MS) return { failure: `verifyPdf took ${r.ms.toFixed(0)} ms (limit ${CASE_LIMIT_MS} ms)`, ms: r.ms, outcome: 'slow' };
  if (!r.ok) {
    if (r.kyso) return { ms: r.ms, outcome: `throw:${r.code}` };
    return { failure: `verifyPdf threw a non-KysoError: ${r.name}: ${r.message}\n${r.stack}`, ms: r.ms, outcome: 'crash' };
  }
  if (r.shapeProblem) return { failure: `malformed report: ${r.shapeProblem}`, ms: r.ms, outcome: 'bad-report' };
  const report = r.report;
  const problems: string[] = [];
  let anyDiffer = false;
  for (const [k, orig] of seed.signed.entries()) {
    if (!signedBytesDiffer(seed.bytes, bytes, orig.spans)) continue;
    if (orig.spans.every(([, e]) => e <= bytes.length)) anyDiffer = true;
    for (const s of report.signatures) {
      const same = s.byteRange !== null && s.byteRange.length === orig.byteRange.length && s.byteRange.every((x, i) => x === orig.byteRange[i]);
      if (same && s.integrity === 'ok') problems.push(`signature claiming the original ranges of signature ${k + 1} [${orig.byteRange.join(' ')}] has integrity 'ok' although bytes inside them changed`);
    }
  }
  // A file cut short before a signature's ranges end may legitimately be an
  // earlier, validly signed revision: the verdict rule needs the ranges inside the file.
  if (anyDiffer && report.verdict === 'valid') problems.push("verdict 'valid' although bytes inside an original signed range changed");
  const outcome = `${report.verdict}/${report.signatures.map((s) => `${s.indication === 'TOTAL_PASSED' ? 'P' : s.indication === 'INDETERMINATE' ? 'I' : 'F'}${s.integrity === 'ok' ? '+' : '-'}`).join('')}`;
  if (problems.length > 0) return { failure: `${problems.join('; ')}\nreport: ${JSON.stringify(report)}`, ms: r.ms, outcome };
  return { ms: r.ms, outcome };
}

beforeAll(async () => {
  const pki = await testPki();
  const store = TrustStore.fromPem(pki.root.certPem);
  const personal = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const organisation = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  const original = await makePdfLibPdf(2);
  const once = await signPdf(original, { signer: personal, reason: 'Chứng thực bản sao' });
  const twice = await signPdf(once, { signer: organisation, reason: 'Đóng dấu' });
  const objStm = withObjectStreams(original);
  const onceStm = await signPdf(objStm, { signer: personal, reason: 'Chứng thực bản sao' });
  seeds.push(
    await makeSeed('signed once (xref table)', once, store, original.length),
    await makeSeed('signed twice (xref table)', twice, store, once.length),
    await makeSeed('signed once (xref stream)', onceStm, store, objStm.length),
  );
  const data = { rootPem: pki.root.certPem, at: new Date().toISOString() };
  for (let i = 0; i < WORKERS; i++) sandboxes.push(new Sandbox(data));
});

afterAll(() => {
  let total = 0;
  for (const [name, s] of stats) {
    total += s.cases;
    const top = [...s.outcomes].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`[verify-fuzz] ${name}: ${s.cases} cases, worker time ${(s.ms / 1000).toFixed(1)} s, slowest ${s.maxMs.toFixed(0)} ms; ${top}`);
  }
  console.log(`[verify-fuzz] total ${total} cases, worker starts ${sandboxes.reduce((n, s) => n + s.starts, 0)}`);
  for (const s of sandboxes) s.kill();
});

describe('fuzz: verifyPdf on mutated signed PDFs', () => {
  it('the unmutated seeds verify as valid inside the worker', async () => {
    expect(seeds).toHaveLength(3);
    for (const seed of seeds) {
      const r = await judge(sandboxes[0]!, seed, seed.bytes);
      expect(r.failure, seed.name).toBeUndefined();
      expect(r.outcome, seed.name).toMatch(/^valid\/(P\+)+$/);
    }
  });

  [0, 1, 2].forEach((i) => {
    it(`seed file ${i + 1}: returns a report or a KysoError, in time, never 'valid'/'ok' over changed signed bytes`, async () => {
      const seed = seeds[i]!;
      const fcSeed = SEED + i;
      console.log(`[verify-fuzz] ${seed.name}: fast-check seed ${fcSeed}, ${RUNS_PER_SEED} cases (reproduce with KYSO_VERIFY_FUZZ_SEED=${SEED})`);
      const cases = fc.sample(mutationsArb, { seed: fcSeed, numRuns: RUNS_PER_SEED });
      const s = { cases: 0, ms: 0, maxMs: 0, outcomes: new Map<string, number>() };
      stats.set(seed.name, s);
      const failures: string[] = [];
      let next = 0;
      // One queue, WORKERS workers pulling from it.
      await Promise.all(
        sandboxes.map(async (sandbox) => {
          while (next < cases.length && failures.length < 5) {
            const muts = cases[next++]!;
            const bytes = applyMutations(seed, muts);
            const r = await judge(sandbox, seed, bytes);
            s.cases++;
            s.ms += r.ms;
            s.maxMs = Math.max(s.maxMs, r.ms);
            s.outcomes.set(r.outcome, (s.outcomes.get(r.outcome) ?? 0) + 1);
            if (r.failure) {
              const file = saveReproducer(seed, muts, bytes);
              failures.push(`${r.failure}\nmutations: ${JSON.stringify(muts)}\nreproducer: ${file}`);
            }
          }
        }),
      );
      expect(failures, failures.join('\n\n')).toEqual([]);
      expect(s.cases).toBe(RUNS_PER_SEED);
    }, 120_000);
  });

  it(`ran at least ${MIN_TOTAL_CASES} mutated PDFs`, () => {
    const total = [...stats.values()].reduce((n, s) => n + s.cases, 0);
    expect(total).toBeGreaterThanOrEqual(Math.min(MIN_TOTAL_CASES, RUNS_PER_SEED * 3));
  });
});
