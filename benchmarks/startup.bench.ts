/**
 * Start-up benchmark: `pnpm bench:startup [--json] [--quick] [--runs 7]`.
 *
 * Wall time of whole-process runs of the built CLI, each a fresh `node`:
 *
 *  - verify: `node packages/cli/dist/bin.js verify <small signed PDF> --json --trust <TEST root>`
 *  - sign:   `node packages/cli/dist/bin.js sign <small PDF> -o <tmp> --p12 <TEST p12> --password-env VAR`
 *
 * against the floor measured in the same run: `node -e 0` (starting node and
 * exiting, nothing of ours loaded). The three are run in turn, N times each
 * (the order rotating every round, so machine load hits them alike);
 * median, min and max are printed with the ratios median / floor median.
 * Target (issue 16): median ≤ 0.3 s for verify and for sign.
 *
 * The small PDF, a TEST PKI (createTestPki + writeTestPki: NOT a real CA)
 * and the small signed file are made once into benchmarks/.cache/startup/.
 * In --json mode stdout carries exactly one JSON object; progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signPdf, SoftwareSigner } from '@kyso/core';
import { createTestPki, DEFAULT_TEST_PKI_PASSWORD, writeTestPki } from '@kyso/core/testing';
import { CACHE_DIR, makeTextPdf } from './fixtures.js';

const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const DIR = join(CACHE_DIR, 'startup');
const PASSWORD_ENV = 'KYSO_BENCH_STARTUP_PASSWORD';
/** Seconds: the ceiling for the median of verify and of sign. */
export const STARTUP_TARGET_S = 0.3;

const args = process.argv.slice(2);
const { values: opts } = parseArgs({
  args: args[0] === '--' ? args.slice(1) : args,
  allowPositionals: false,
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write('usage: pnpm bench:startup [--json] [--quick] [--runs 7]\n');
  process.exit(0);
}
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const runs = opts.runs !== undefined ? Number(opts.runs) : opts.quick ? 3 : 7;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a whole number ≥ 1');
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm build first`);

interface Files {
  pdf: string;
  signed: string;
  p12: string;
  root: string;
}

/** The small PDF, the TEST PKI and a signed copy, made once. */
async function ensureFiles(): Promise<Files> {
  const f: Files = { pdf: join(DIR, 'small.pdf'), signed: join(DIR, 'small-signed.pdf'), p12: join(DIR, 'pki', 'personal.p12'), root: join(DIR, 'pki', 'root.pem') };
  if (Object.values(f).every((p) => existsSync(p))) return f;
  log(`making the small PDF, a TEST PKI and a signed copy in ${DIR} …`);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(f.pdf, await makeTextPdf(16 * 1024, 1));
  await writeTestPki(await createTestPki(), join(DIR, 'pki'));
  const signer = SoftwareSigner.fromPkcs12(readFileSync(f.p12), DEFAULT_TEST_PKI_PASSWORD);
  writeFileSync(f.signed, await signPdf(new Uint8Array(readFileSync(f.pdf)), { signer, reason: 'Benchmark', location: 'Ha Noi' }));
  return f;
}

interface Run {
  ms: number;
  code: number | null;
  stderr: string;
}

function timeProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - t0, code, stderr }));
  });
}

interface Stats {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { medianMs: s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, minMs: s[0]!, maxMs: s[s.length - 1]!, runs: s.length };
}

export interface StartupReport {
  node: string;
  cpus: number;
  loadAverage: { start: number; end: number };
  runs: number;
  targetSeconds: number;
  floor: Stats & { command: string };
  verify: Stats & { command: string; ratio: number; pass: boolean };
  sign: Stats & { command: string; ratio: number; pass: boolean };
  pass: boolean;
}

const loadAtStart = loadavg()[0]!;
const files = await ensureFiles();
const out = mkdtempSync(join(tmpdir(), 'kyso-bench-startup-'));
const env = { ...process.env, [PASSWORD_ENV]: DEFAULT_TEST_PKI_PASSWORD };
const commands = {
  floor: ['-e', '0'],
  verify: [CLI, 'verify', files.signed, '--json', '--trust', files.root],
  sign: [CLI, 'sign', files.pdf, '-o', join(out, 'signed.pdf'), '--p12', files.p12, '--password-env', PASSWORD_ENV],
} as const;
type Name = keyof typeof commands;
const names: Name[] = ['floor', 'verify', 'sign'];
const times: Record<Name, number[]> = { floor: [], verify: [], sign: [] };
try {
  // One untimed round: the OS file cache, and a check that each command works.
  for (const n of names) {
    const r = await timeProcess([...commands[n]], env);
    if (r.code !== 0) throw new Error(`${n}: node ${commands[n].join(' ')} exited with ${r.code}: ${r.stderr.trim()}`);
  }
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(i + j) % names.length]!;
      const r = await timeProcess([...commands[n]], env);
      if (r.code !== 0) throw new Error(`${n}: exited with ${r.code}: ${r.stderr.trim()}`);
      times[n].push(r.ms);
    }
    log(`round ${i + 1}/${runs}: floor ${times.floor.at(-1)!.toFixed(0)} ms, verify ${times.verify.at(-1)!.toFixed(0)} ms, sign ${times.sign.at(-1)!.toFixed(0)} ms`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const rel = (p: string): string => p.replace(`${REPO_ROOT}/`, '');
const show = (n: Name): string => `node ${commands[n].map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}`;
const floor = { ...stats(times.floor), command: show('floor') };
const measured = (n: 'verify' | 'sign') => {
  const s = stats(times[n]);
  return { ...s, command: show(n), ratio: s.medianMs / floor.medianMs, pass: s.medianMs <= STARTUP_TARGET_S * 1000 };
};
const report: StartupReport = {
  node: process.version,
  cpus: cpus().length,
  loadAverage: { start: loadAtStart, end: loadavg()[0]! },
  runs,
  targetSeconds: STARTUP_TARGET_S,
  floor,
  verify: measured('verify'),
  sign: measured('sign'),
  pass: false,
};
report.pass = report.verify.pass && report.sign.pass;

if (opts.json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const ms = (x: number): string => `${x.toFixed(0)} ms`;
  const row = (label: string, s: Stats, extra: string): string =>
    `${label.padEnd(8)}${ms(s.medianMs).padStart(9)}${ms(s.minMs).padStart(9)}${ms(s.maxMs).padStart(9)}  ${extra}`;
  const lines = [
    `kyso start-up benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${runs} run(s) each`,
    `1-min load average: ${report.loadAverage.start.toFixed(2)} at start, ${report.loadAverage.end.toFixed(2)} at end`,
    '',
    `${''.padEnd(8)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`,
    row('floor', floor, floor.command),
    row('verify', report.verify, `${report.verify.ratio.toFixed(2)}× floor  ${report.verify.command}`),
    row('sign', report.sign, `${report.sign.ratio.toFixed(2)}× floor  ${report.sign.command}`),
    '',
    `target (issue 16): median ≤ ${STARTUP_TARGET_S} s`,
    `  ${report.verify.pass ? 'PASS' : 'FAIL'}  verify: ${(report.verify.medianMs / 1000).toFixed(3)} s (${report.verify.ratio.toFixed(2)}× node -e 0)`,
    `  ${report.sign.pass ? 'PASS' : 'FAIL'}  sign: ${(report.sign.medianMs / 1000).toFixed(3)} s (${report.sign.ratio.toFixed(2)}× node -e 0)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
