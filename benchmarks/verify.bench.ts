/**
 * Verification benchmark: `pnpm bench:verify [--json] [--quick] [--kinds text,image] [--size 10MB] [--signatures 2,5]`.
 *
 * For each fixture kind, a generated PDF of the given size (fixtures.ts,
 * cached) is signed N times with the openssl-made bench identity (N
 * incremental updates, so each signature but the last is followed by an
 * allowed change), then, in the same process and alternating so that load
 * affects both alike, we time:
 *
 * - verify: `verifyPdf(pdf, { trustStore })` with the bench CA as the only
 *   root (the whole report: format, integrity of every signature, chain,
 *   modification analysis of every later update, the document's SHA-256);
 * - hash: one SHA-256 pass over the whole file with node crypto, the limit:
 *   a verifier must read every signed byte once, and signed ranges share
 *   their start, so one pass is enough for any number of signatures.
 *
 * Targets (issue 16): verify ≤ 1.2× one hash pass with two signatures,
 * ≤ 1.4× with five (in between: linear).
 * In --json mode stdout carries exactly one JSON object; progress goes to stderr.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { ModificationAnalyzer } from '@kyso/core/diff';
import { PdfReader } from '@kyso/core/pdf';
import { ensureFixture, ensureIdentity, parseSize, sizeLabel, type FixtureKind } from './fixtures.js';

/** The ceiling of verify / one hash pass for n signatures. */
function targetRatio(n: number): number {
  return n <= 2 ? 1.2 : n >= 5 ? 1.4 : 1.2 + ((n - 2) * 0.2) / 3;
}

const args = process.argv.slice(2);
const { values: opts } = parseArgs({
  args: args[0] === '--' ? args.slice(1) : args,
  allowPositionals: false,
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    kinds: { type: 'string', default: 'image,text' },
    size: { type: 'string', default: '10MB' },
    signatures: { type: 'string', default: '2,5' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write('usage: pnpm bench:verify [--json] [--quick] [--kinds image,text] [--size 10MB] [--signatures 2,5]\n');
  process.exit(0);
}
const log = (s: string): void => void process.stderr.write(s + '\n');
const minTimeMs = opts.quick ? 300 : 3000;
const minIters = opts.quick ? 2 : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface CaseResult {
  name: string;
  sizeBytes: number;
  signatures: number;
  verdict: string;
  indications: string[];
  modification: string;
  verifyMs: number;
  verifyIterations: number;
  /** One SHA-256 pass over the whole file. */
  hashMs: number;
  hashIterations: number;
  ratio: number;
  target: number;
  pass: boolean;
  /** Objects the modification analysis parsed per analysed revision, against the objects in the file. */
  objectsRead: { revision: number; objectsRead: number }[];
  objectsInFile: number;
}

const id = ensureIdentity();
const signer = SoftwareSigner.fromPem({ key: id.keyPem, cert: id.certPem, chain: id.caPem });
const trustStore = TrustStore.fromPem(id.caPem);
const size = parseSize(opts.size!);
const kinds = opts.kinds!.split(',').map((k) => k.trim()).filter(Boolean) as FixtureKind[];
for (const k of kinds) if (k !== 'text' && k !== 'image') throw new Error(`unknown kind "${k}" (text, image)`);
const loadAtStart = loadavg()[0]!;

const counts = opts.signatures!.split(',').map((n) => Number(n.trim())).filter((n) => Number.isInteger(n) && n >= 1);
if (counts.length === 0) throw new Error('--signatures: give counts such as 2,5');
const results: CaseResult[] = [];
for (const kind of kinds) {
  const original = new Uint8Array(readFileSync(await ensureFixture(kind, size)));
  for (const n of counts) {
    const name = `${kind}-${sizeLabel(size)}-${n}sig`;
    let pdf: Uint8Array = original;
    for (let i = 1; i <= n; i++) pdf = await signPdf(pdf, { signer, reason: `Benchmark ${i}`, location: 'Ha Noi' });

    const hashOnce = (): void => {
      createHash('sha256').update(pdf).digest();
    };
    // Warm-up (not timed), and the report we describe.
    hashOnce();
    const report = await verifyPdf(pdf, { trustStore });
    if (report.signatures.length !== n || report.signatures.some((s) => s.integrity !== 'ok')) {
      throw new Error(`${name}: the benchmark file does not verify: ${JSON.stringify(report.signatures.map((s) => [s.integrity, s.indication, s.subIndication]))}`);
    }

    const v: number[] = [];
    const h: number[] = [];
    const start = performance.now();
    // Alternate the two measurements so that a change in machine load hits both.
    while (v.length < minIters || performance.now() - start < minTimeMs) {
      let t = performance.now();
      await verifyPdf(pdf, { trustStore });
      v.push(performance.now() - t);
      t = performance.now();
      hashOnce();
      h.push(performance.now() - t);
      if (v.length >= 200) break;
    }
    // What the modification analysis reads (untimed): it must stay near the objects the update touched.
    const fullReader = PdfReader.open(pdf);
    const analyzer = new ModificationAnalyzer(pdf, fullReader, { signatureIntact: () => true });
    analyzer.after(fullReader.revisions.length - 2);
    const objectsRead = analyzer.cost();
    const verifyMs = median(v);
    const hashMs = median(h);
    const target = targetRatio(n);
    const r: CaseResult = {
      name,
      sizeBytes: pdf.length,
      signatures: report.signatures.length,
      verdict: report.verdict,
      indications: report.signatures.map((s) => s.indication),
      modification: report.modification,
      verifyMs,
      verifyIterations: v.length,
      hashMs,
      hashIterations: h.length,
      ratio: verifyMs / hashMs,
      target,
      pass: verifyMs <= target * hashMs,
      objectsRead,
      objectsInFile: fullReader.size - 1,
    };
    results.push(r);
    log(`${name}: verify ${verifyMs.toFixed(1)} ms (${v.length}), hash ${hashMs.toFixed(1)} ms, ratio ${r.ratio.toFixed(2)}× (target ≤ ${target.toFixed(2)}×)`);
  }
}

const loadAtEnd = loadavg()[0]!;
if (opts.json) {
  process.stdout.write(
    JSON.stringify({
      limit: 'one SHA-256 pass over the whole file',
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      cases: results,
      pass: results.every((r) => r.pass),
    }) + '\n',
  );
} else {
  const rows = [
    ['case', 'size', 'sigs', 'verdict', 'verify ms (n)', 'hash ms (n)', 'ratio', 'target', 'objects read / revision (of file)'],
    ...results.map((r) => [
      r.name,
      `${(r.sizeBytes / 1024).toFixed(0)} KiB`,
      String(r.signatures),
      `${r.verdict} (${r.modification})`,
      `${r.verifyMs.toFixed(1)} (${r.verifyIterations})`,
      `${r.hashMs.toFixed(1)} (${r.hashIterations})`,
      `${r.ratio.toFixed(2)}×`,
      `${r.pass ? 'PASS' : 'FAIL'} ≤ ${r.target.toFixed(2)}×`,
      `${r.objectsRead.map((c) => `r${c.revision}: ${c.objectsRead}`).join(', ')} (of ${r.objectsInFile})`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => (i < 1 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    `kyso verify benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
    `1-min load average: ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end (above the core count, other processes shared the CPUs)`,
    `medians; verify = verifyPdf of a file with that many signatures, hash = one SHA-256 pass over the whole file (the limit);`,
    `objects read = objects the modification analysis parsed for each revision after the first signature (both views), of all objects in the file`,
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    'targets (issue 16): verify ≤ 1.2× one hash pass with two signatures, ≤ 1.4× with five',
    ...results.map((r) => `  ${r.pass ? 'PASS' : 'FAIL'}  ${r.name}: ${r.ratio.toFixed(2)}× (≤ ${r.target.toFixed(2)}×)`),
  ];
  process.stdout.write(out.join('\n') + '\n');
}
