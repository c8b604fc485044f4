/**
 * Every benchmark, one table: `pnpm bench [--quick] [--json] [--only sign,verify,server,pkcs11,startup] [--smallest]`.
 *
 * Runs each benchmark with `--json` in its own process, one after the other
 * (sign, verify, server, pkcs11 if SoftHSM2 is installed, startup), and
 * prints one table: each row a measured figure against its own limit or
 * ceiling measured in the same run of that benchmark, the target next to it
 * and whether it meets it. The machine's load average and CPU count are
 * printed at the start and at the end (a load above the CPU count means
 * other processes shared the cores and slowed the absolute numbers).
 *
 * `--quick` passes each benchmark's quick mode through; `--smallest` (implies
 * --quick) runs each in its smallest mode, as the smoke test does. `--json`
 * prints the combined object: { node, cpus, loadAverage, mode, reports,
 * errors, skipped, rows }. Targets are printed, never asserted: the exit
 * code says only whether every benchmark ran.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, type Row } from './bench-table.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = dirname(HERE);
const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

type Mode = 'full' | 'quick' | 'smallest';
type Json = Record<string, any>;

interface Bench {
  name: string;
  script: string;
  args: Record<Mode, string[]>;
  /** Why it cannot run here, or undefined. */
  unavailable?: () => string | undefined;
  rows: (r: Json) => Row[];
}

const f = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
const atLeast = (x: number | null, t: number): boolean | null => (x === null ? null : x >= t);
const MB = 1024 * 1024;
/** Milliseconds with enough digits for small figures. */
const ms = (x: number): string => `${f(x, x < 10 ? 2 : 1)} ms`;

const BENCHES: Bench[] = [
  {
    name: 'sign',
    script: 'sign.bench.ts',
    args: { full: [], quick: ['--quick', '--sizes', '1MB'], smallest: ['--quick', '--sizes', '100KB', '--only', 'limit,kyso'] },
    rows: (r) =>
      (r.cases as Json[]).flatMap((c): Row[] => {
        const is1MB = /-1MB$/.test(c.name);
        const kl = ratio(c.kysoPerSec, c.limitPerSec);
        const rows: Row[] = [
          { bench: 'sign', figure: `${c.name} kyso/limit`, measured: `${f(c.kysoPerSec ?? NaN)}/s`, against: `limit ${f(c.limitPerSec ?? NaN)}/s`, ratio: kl, target: is1MB ? '≥ 0.50' : '', pass: is1MB ? atLeast(kl, 0.5) : null },
        ];
        if (is1MB && c.libpdfPerSec != null) {
          const x = ratio(c.kysoPerSec, c.libpdfPerSec);
          rows.push({ bench: 'sign', figure: `${c.name} kyso/@libpdf`, measured: `${f(c.kysoPerSec ?? NaN)}/s`, against: `@libpdf/core ${f(c.libpdfPerSec)}/s`, ratio: x, target: '≥ 10', pass: atLeast(x, 10) });
        }
        if (is1MB && c.signpdfPerSec != null) {
          const x = ratio(c.kysoPerSec, c.signpdfPerSec);
          rows.push({ bench: 'sign', figure: `${c.name} kyso/@signpdf`, measured: `${f(c.kysoPerSec ?? NaN)}/s`, against: `@signpdf ${f(c.signpdfPerSec, 2)}/s`, ratio: x, target: '≥ 50', pass: atLeast(x, 50) });
        }
        if (/-50MB$/.test(c.name) && c.kysoPeakRssBytes != null) {
          const limit = 3 * c.sizeBytes + 100 * MB;
          const x = c.kysoPeakRssBytes / limit;
          rows.push({ bench: 'sign', figure: `${c.name} kyso peak RSS / (3× file + 100 MB)`, measured: `${f(c.kysoPeakRssBytes / MB, 0)} MB`, against: `${f(limit / MB, 0)} MB`, ratio: x, target: '< 1', pass: x < 1 });
        }
        return rows;
      }),
  },
  {
    name: 'verify',
    script: 'verify.bench.ts',
    args: { full: [], quick: ['--quick'], smallest: ['--quick', '--size', '100KB', '--kinds', 'text', '--signatures', '2'] },
    rows: (r) =>
      (r.cases as Json[]).map((c) => ({
        bench: 'verify',
        figure: `${c.name} verify/one hash pass`,
        measured: ms(c.verifyMs),
        against: `SHA-256 ${ms(c.hashMs)}`,
        ratio: c.ratio,
        target: `≤ ${f(c.target, 2)}`,
        pass: c.pass,
      })),
  },
  {
    name: 'server',
    script: 'server.bench.ts',
    args: { full: [], quick: ['--quick'], smallest: ['--quick', '--size', '100KB', '--seconds', '0.6'] },
    rows: (r) => {
      const o = r.overload;
      const overloadOk = o.onlyBusyBeyondCapacity && o.aliveAfter && o.audit.chainOk && o.audit.missing === 0 && o.audit.unaudited === 0;
      return [
        {
          bench: 'server',
          figure: `service/min(library ×${r.libraryWorkers.threads}, HTTP ceiling)`,
          measured: `${f(r.saturation.perSec)}/s`,
          against: `min(library ${f(r.libraryWorkers.perSec)}/s, ceiling ${f(r.ceiling.perSec)}/s)`,
          ratio: r.service.ratio,
          target: `≥ ${r.service.target}`,
          pass: r.service.pass,
        },
        { bench: 'server', figure: 'p99 at 70 % of saturation (open loop)', measured: ms(r.at70.p99), against: `${f(r.at70.rate, 0)}/s = 0.7 × ${f(r.saturation.perSec)}/s`, ratio: null, target: `< ${r.at70.p99TargetMs} ms`, pass: r.at70.p99Pass },
        {
          bench: 'server',
          figure: `${o.factor ?? 3}× overload: statuses, alive, audit`,
          measured: JSON.stringify(o.statuses),
          against: `${f(o.rate, 0)}/s = ${o.factor ?? 3} × saturation`,
          ratio: null,
          target: 'only 200/429/503',
          pass: overloadOk,
        },
        {
          bench: 'server',
          figure: 'csc signHash ×50 per core / raw RSA',
          measured: `${f(r.csc.batch50.hashesPerSec)} hashes/s`,
          against: `raw ${f(r.csc.raw.all.perSecPerThread)}/s per core`,
          ratio: r.csc.batch50.ratioPerCore,
          target: '≥ 0.80',
          pass: atLeast(r.csc.batch50.ratioPerCore, 0.8),
        },
        { bench: 'server', figure: 'csc signHash ×50 CPU efficiency', measured: `${f(r.csc.batch50.serverCpuMsPerHash, 3)} ms CPU/hash`, against: `raw ${f(r.csc.raw.all.cpuMsPerSign, 3)} ms CPU`, ratio: r.csc.batch50.efficiency, target: '', pass: null },
      ];
    },
  },
  {
    name: 'pkcs11',
    script: 'pkcs11.bench.ts',
    args: { full: [], quick: ['--seconds', '1'], smallest: ['--seconds', '0.3', '--sessions', '2'] },
    unavailable: () => (existsSync(SOFTHSM_MODULE) ? undefined : `SoftHSM2 not installed (${SOFTHSM_MODULE})`),
    rows: (r) => [
      { bench: 'pkcs11', figure: 'Pkcs11Signer.sign / raw C_Sign', measured: `${f(r.signer.kysoPerSec)}/s`, against: `raw ${f(r.signer.rawPerSec)}/s`, ratio: r.signer.ratio, target: '≥ 0.80', pass: atLeast(r.signer.ratio, 0.8) },
      { bench: 'pkcs11', figure: 'signPdf 1MB via Pkcs11Signer / via raw', measured: `${f(r.pdf.kysoPerSec)}/s`, against: `raw ${f(r.pdf.rawPerSec)}/s`, ratio: r.pdf.ratio, target: '≥ 0.80', pass: atLeast(r.pdf.ratio, 0.8) },
    ],
  },
  {
    name: 'startup',
    script: 'startup.bench.ts',
    args: { full: [], quick: ['--quick'], smallest: ['--runs', '1'] },
    rows: (r) =>
      (['verify', 'sign'] as const).map((n) => ({
        bench: 'startup',
        figure: `${n} median / node -e 0`,
        measured: `${f(r[n].medianMs / 1000, 3)} s`,
        against: `node -e 0 ${f(r.floor.medianMs / 1000, 3)} s`,
        ratio: r[n].ratio,
        target: `median ≤ ${r.targetSeconds} s`,
        pass: r[n].pass,
      })),
  },
];

function run(script: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, script), '--json', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout }));
  });
}

const args = process.argv.slice(2);
const { values: opts } = parseArgs({
  args: args[0] === '--' ? args.slice(1) : args,
  allowPositionals: false,
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    smallest: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(`usage: pnpm bench [--quick] [--json] [--only ${BENCHES.map((b) => b.name).join(',')}] [--smallest]\n`);
  process.exit(0);
}
const mode: Mode = opts.smallest ? 'smallest' : opts.quick ? 'quick' : 'full';
const only = opts.only?.split(',').map((s) => s.trim()).filter(Boolean);
for (const n of only ?? []) if (!BENCHES.some((b) => b.name === n)) throw new Error(`--only: unknown benchmark "${n}" (${BENCHES.map((b) => b.name).join(', ')})`);
const selected = BENCHES.filter((b) => !only || only.includes(b.name));

const log = (s: string): void => void process.stderr.write(`${s}\n`);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadStart = loadavg();
const cpuCount = cpus().length;
log(`pnpm bench (${mode}): ${cpuCount} CPUs, load average ${load()} (1, 5, 15 min)`);

const reports: Record<string, Json> = {};
const errors: Record<string, string> = {};
const skipped: Record<string, string> = {};
const rows: Row[] = [];
for (const b of selected) {
  const why = b.unavailable?.();
  if (why) {
    skipped[b.name] = why;
    log(`— ${b.name}: skipped (${why})`);
    continue;
  }
  log(`— ${b.name}: node --import tsx benchmarks/${b.script} --json ${b.args[mode].join(' ')}`);
  const t0 = performance.now();
  const { code, stdout } = await run(b.script, b.args[mode]);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) {
    errors[b.name] = `exited with ${code} after ${f(seconds)} s`;
    continue;
  }
  try {
    const r = JSON.parse(stdout.trim()) as Json;
    reports[b.name] = r;
    rows.push(...b.rows(r));
    log(`— ${b.name}: done in ${f(seconds)} s`);
  } catch (e) {
    errors[b.name] = `bad output: ${(e as Error).message}`;
  }
}
const loadEnd = loadavg();

if (opts.json) {
  process.stdout.write(`${JSON.stringify({ node: process.version, cpus: cpuCount, loadAverage: { start: loadStart, end: loadEnd }, mode, reports, errors, skipped, rows })}\n`);
} else {
  const lines = [
    `kyso benchmarks (${mode}) — node ${process.version}, ${cpuCount} × ${cpus()[0]?.model.trim() ?? 'cpu'}`,
    `load average (1, 5, 15 min) at start: ${loadStart.map((x) => x.toFixed(2)).join(' ')}; ${cpuCount} CPUs`,
    '',
    formatTable(rows),
    '',
    ...Object.entries(skipped).map(([n, why]) => `skipped ${n}: ${why}`),
    ...Object.entries(errors).map(([n, why]) => `FAILED TO RUN ${n}: ${why}`),
    `load average (1, 5, 15 min) at end: ${loadEnd.map((x) => x.toFixed(2)).join(' ')}; ${cpuCount} CPUs${loadEnd[0]! > cpuCount ? ' (above the CPU count: other processes shared the cores)' : ''}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = Object.keys(errors).length > 0 ? 1 : 0;
