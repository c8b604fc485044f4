/*
 * `pnpm reliability`: what kyso survives, as one table. Runs the on-demand
 * fuzz campaign (a short one by default, `--fuzz-cases 100000` for the full
 * figure) and every reliability test of the suite (bombs, limits, faults
 * under load, the killed instance, slow clients, secrets, overload,
 * scale-out), then prints a Markdown table of what was tried, how many
 * checks passed and the figures the tests printed, for RELIABILITY.md.
 *
 *   pnpm reliability [--fuzz-cases N] [--seed S] [--no-fuzz] [--only bombs,secrets] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const fuzzCases = Number(value('--fuzz-cases', '5000'));
const seed = Number(value('--seed', '171717'));
const json = flag('--json');

/** The parts of the table, each a set of test files of the suite. */
const PARTS: { part: string; what: string; files: string[] }[] = [
  { part: 'Bombs', what: 'decompression, nesting, loops, cycles, huge counts and lengths: each within 2 s and 256 MB, typed error or success', files: ['packages/core/test/pdf/bombs.test.ts'] },
  { part: 'Limits', what: "the reader's limits as options with safe defaults", files: ['packages/core/test/pdf/limits.test.ts'] },
  { part: 'Fuzz slice and regressions', what: 'the fixed-seed slice and every reproducer the campaigns found', files: ['packages/core/test/pdf/fuzz-slice.test.ts', 'packages/core/test/pdf/fuzz-regressions.test.ts'] },
  { part: 'Faults under load', what: 'token failing, PostgreSQL restarted, disk full, TSA and OCSP slow or garbage, while requests flow', files: ['packages/server/test/faults-under-load.test.ts'] },
  { part: 'Killed instance', what: 'SIGKILL mid-request: no code without its audit record (SQLite, PostgreSQL)', files: ['packages/server/test/killed-instance.test.ts'] },
  { part: 'Slow and malformed clients', what: 'slowloris, 2,000 idle connections, huge headers, malformed multipart, a stalled upload', files: ['packages/server/test/slow-clients.test.ts', 'packages/server/test/request-timeout.test.ts'] },
  { part: 'Secrets', what: 'every secret through the error paths, searched for in all output, logs, answers, audit and data files', files: ['packages/server/test/secrets-everywhere.test.ts', 'packages/server/test/config-and-secrets.test.ts'] },
  { part: 'Overload and limits of the service', what: '3x overload answered 200/429/503 only, body and header limits, nothing lost', files: ['packages/server/test/limits.test.ts', 'packages/server/test/security.test.ts'] },
  { part: 'Scale-out', what: 'two instances on one PostgreSQL, one killed under load: codes unique, none lost', files: ['packages/server/test/scale-out.test.ts'] },
  { part: 'Codes never wasted', what: 'bad inputs, a second copy the same day and a retry: contiguous numbers (core, CLI, service)', files: ['packages/core/test/workflow/certify-copy.test.ts', 'packages/server/test/certified-copies.test.ts'] },
];

interface Row {
  part: string;
  what: string;
  checks: string;
  figures: string[];
  ok: boolean;
}

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!json) process.stderr.write('.');
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

/** The lines the tests printed (console.log), which carry the figures of a run. */
function printed(out: string): string[] {
  const lines: string[] = [];
  let inLog = false;
  for (const line of out.split('\n')) {
    if (/^(stdout|stderr) \| /.test(line)) {
      inLog = line.startsWith('stdout');
      continue;
    }
    if (inLog && line.trim() === '') {
      inLog = false;
      continue;
    }
    if (inLog) lines.push(line.trim());
  }
  return lines;
}

const work = join(repo, '.tmp', 'reliability');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const started = Date.now();
const loadBefore = loadavg();
const rows: Row[] = [];

if (!flag('--no-fuzz')) {
  const out = join(work, 'fuzz');
  const r = await run(process.execPath, ['--import', 'tsx', 'fuzz/run.ts', '--cases', String(fuzzCases), '--seed', String(seed), '--workers', '1', '--out', out]);
  const summaryFile = join(out, 'summary.json');
  const s = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as Record<string, unknown>) : {};
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : NaN);
  const failures = ['crashes', 'hangs', 'memory'].map(n);
  rows.push({
    part: 'Fuzz campaign',
    what: `${fuzzCases.toLocaleString('en')} structure-aware and byte-level mutants of the corpus (seed ${seed}) through reader, verifier and signer`,
    checks: `${failures[0]} crashes, ${failures[1]} hangs, ${failures[2]} over memory`,
    figures: Object.entries(s)
      .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
      .map(([k, v]) => `${k}: ${String(v)}`),
    ok: r.code === 0 && failures.every((f) => f === 0),
  });
}

const only = value('--only', '').toLowerCase().split(',').filter(Boolean);
for (const p of PARTS.filter((x) => only.length === 0 || only.some((o) => x.part.toLowerCase().includes(o)))) {
  const files = p.files.filter((f) => existsSync(join(repo, f)));
  if (files.length === 0) {
    rows.push({ part: p.part, what: p.what, checks: 'no test file', figures: [], ok: false });
    continue;
  }
  const report = join(work, `${p.part.replace(/\W+/g, '-').toLowerCase()}.json`);
  const r = await run(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', ...files, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const v = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as VitestJson) : undefined;
  const failed = v ? v.testResults.flatMap((t) => t.assertionResults.filter((a) => a.status === 'failed').map((a) => a.title)) : ['(no report)'];
  rows.push({
    part: p.part,
    what: p.what,
    checks: v ? `${v.numPassedTests}/${v.numTotalTests} tests passed${v.numPendingTests ? `, ${v.numPendingTests} skipped` : ''}` : 'did not run',
    figures: [...printed(r.out), ...failed.map((t) => `FAILED: ${t}`)],
    ok: r.code === 0 && v !== undefined && v.numFailedTests === 0 && v.numPendingTests === 0,
  });
}

const loadAfter = loadavg();
const seconds = Math.round((Date.now() - started) / 1000);
if (json) {
  process.stdout.write(`${JSON.stringify({ rows, seconds, loadBefore, loadAfter }, null, 2)}\n`);
} else {
  process.stderr.write('\n');
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${seconds} s, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')} → ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| Part | What is tried | Checks | Figures | |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${esc(r.part)} | ${esc(r.what)} | ${esc(r.checks)} | ${esc(r.figures.slice(0, 8).join('; ')) || '—'} | ${r.ok ? 'ok' : 'FAILED'} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
