/**
 * Signing hot-path benchmark: `pnpm bench:sign [--json] [--quick]
 * [--sizes 100KB,1MB,10MB,50MB] [--kinds text,image] [--only limit,kyso,libpdf,signpdf]`.
 *
 * The parent process generates (or reuses) the fixtures and the identity,
 * then measures every (case, peer) pair in its own child process (this same
 * file with `--child`), so each measurement has its own heap and its own
 * peak RSS. In --json mode stdout carries exactly one JSON object; all
 * progress and warnings go to stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CACHE_DIR,
  ensureFixture,
  ensureIdentity,
  parseSize,
  sizeLabel,
  type FixtureKind,
} from './fixtures.js';
import { kysoResolvedFrom, PEERS, preparePeer, SLOW_PEERS, type Peer } from './peers.js';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = dirname(dirname(SCRIPT));
const MB = 1024 * 1024;

// ------------------------------------------------------------------ options

interface Budget {
  /** Keep iterating until this much time has passed... */
  minTimeMs: number;
  /** ...and at least this many iterations were timed... */
  minIters: number;
  /** ...but never more than this many (slow peers / all peers). */
  maxItersSlow: number;
  maxItersFast: number;
}

const FULL: Budget = { minTimeMs: 2000, minIters: 3, maxItersSlow: 20, maxItersFast: 1_000_000 };
const QUICK: Budget = { minTimeMs: 300, minIters: 1, maxItersSlow: 3, maxItersFast: 1_000_000 };

const KINDS: readonly FixtureKind[] = ['text', 'image'];
const DEFAULT_SIZES = ['100KB', '1MB', '10MB', '50MB'];
const CHILD_TIMEOUT_MS = 20 * 60_000;

function parseCli(argv: string[]) {
  const args = argv[0] === '--' ? argv.slice(1) : argv; // `pnpm bench:sign -- --json`
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      kinds: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      // child mode (internal)
      child: { type: 'string' },
      pdf: { type: 'string' },
      'save-output': { type: 'string' },
      'min-time': { type: 'string' },
      'min-iters': { type: 'string' },
      'max-iters': { type: 'string' },
    },
  });
  return values;
}

function list(value: string | undefined, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// ------------------------------------------------------------------ child

interface ChildResult {
  peer: Peer;
  ok: boolean;
  /** Why the peer could not run at all (e.g. kyso API not written yet). */
  unavailable?: string;
  /** The peer ran but failed. */
  error?: string;
  /** Median of the per-iteration rates, signatures per second. */
  perSec: number | null;
  iterations: number;
  medianMs: number | null;
  /**
   * Peak resident set size of the child (node + tsx + modules + input) up to
   * the end of its first signature: the memory one signature needs.
   */
  peakRssBytes: number;
  /** Peak RSS over the whole timed run (adds garbage not yet collected between iterations). */
  peakRssRunBytes: number;
  note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function runChild(opts: ReturnType<typeof parseCli>): Promise<void> {
  const peer = opts.child as Peer;
  const minTimeMs = Number(opts['min-time']);
  const minIters = Number(opts['min-iters']);
  const maxIters = Number(opts['max-iters']);
  const maxRss = () => process.resourceUsage().maxRSS * 1024;
  let firstRss: number | null = null;
  const emit = (r: Omit<ChildResult, 'peakRssBytes' | 'peakRssRunBytes' | 'peer'>) => {
    const run = maxRss();
    const full: ChildResult = { peer, ...r, peakRssBytes: firstRss ?? run, peakRssRunBytes: run };
    process.stdout.write(JSON.stringify(full) + '\n');
  };
  const id = ensureIdentity();
  const file = readFileSync(opts.pdf!);
  const pdf = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  let prepared: Awaited<ReturnType<typeof preparePeer>>;
  try {
    prepared = await preparePeer(peer, id);
  } catch (e) {
    const err = e as Error;
    emit({ ok: false, error: `setup failed: ${err.name}: ${err.message}`, perSec: null, iterations: 0, medianMs: null });
    return;
  }
  if (!prepared.ok) {
    emit({ ok: false, unavailable: prepared.unavailable, perSec: null, iterations: 0, medianMs: null });
    return;
  }
  const samples: number[] = [];
  try {
    // Warm-up iteration; counted only when it alone exceeds the time budget
    // (then JIT warm-up is noise and a second run would double a long wait).
    let t = performance.now();
    let out = await prepared.run(pdf);
    const warm = performance.now() - t;
    firstRss = maxRss();
    if (opts['save-output'] && out) writeFileSync(opts['save-output'], out);
    out = null; // do not keep the first output alive during the timed run
    if (warm >= minTimeMs) samples.push(warm);
    const start = performance.now();
    while (samples.length < maxIters && (samples.length < minIters || performance.now() - start < minTimeMs)) {
      t = performance.now();
      await prepared.run(pdf);
      samples.push(performance.now() - t);
    }
  } catch (e) {
    const err = e as Error;
    emit({
      ok: false,
      error: `${err.name}: ${err.message}`,
      perSec: null,
      iterations: samples.length,
      medianMs: null,
      ...(prepared.note ? { note: prepared.note } : {}),
    });
    return;
  }
  emit({
    ok: true,
    perSec: median(samples.map((ms) => 1000 / ms)),
    iterations: samples.length,
    medianMs: median(samples),
    ...(prepared.note ? { note: prepared.note } : {}),
  });
}

// ------------------------------------------------------------------ parent

interface Case {
  name: string;
  kind: FixtureKind;
  label: string;
  targetBytes: number;
  path: string;
  sizeBytes: number;
  results: Partial<Record<Peer, ChildResult>>;
}

const log = (msg: string) => process.stderr.write(msg + '\n');

function runChildProcess(
  peer: Peer,
  c: Case,
  budget: Budget,
  saveOutput: string | undefined,
): Promise<ChildResult> {
  const args = [
    ...process.execArgv,
    SCRIPT,
    '--child', peer,
    '--pdf', c.path,
    '--min-time', String(budget.minTimeMs),
    '--min-iters', String(budget.minIters),
    '--max-iters', String(SLOW_PEERS.has(peer) ? budget.maxItersSlow : budget.maxItersFast),
    ...(saveOutput ? ['--save-output', saveOutput] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({
          peer,
          ok: false,
          error: `child ${why}: ${stderr.trim().split('\n').slice(-3).join(' | ') || '(no output)'}`,
          perSec: null,
          iterations: 0,
          medianMs: null,
          peakRssBytes: 0,
          peakRssRunBytes: 0,
        });
      }
    });
  });
}

interface Verification {
  peer: Peer;
  caseName: string;
  valid: boolean;
  summary: string;
}

/** Check a peer's output with poppler's pdfsig (signature math only, not trust). */
function verifyWithPdfsig(peer: Peer, caseName: string, path: string): Verification {
  let out: string;
  try {
    out = execFileSync('pdfsig', ['-nocert', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: string };
    if (x.code === 'ENOENT') return { peer, caseName, valid: false, summary: 'pdfsig not installed; not verified' };
    out = `${x.stdout ?? ''}${x.stderr ?? ''}`;
  }
  const sigs = out.match(/^Signature #\d+:/gm)?.length ?? 0;
  const validation = /Signature Validation: (.*)$/m.exec(out)?.[1]?.trim() ?? 'no signature found';
  const total = /^\s*- Total document signed/m.test(out);
  const valid = sigs === 1 && validation.startsWith('Signature is Valid') && total;
  const type = /Signature Type: (.*)$/m.exec(out)?.[1]?.trim() ?? '?';
  return {
    peer,
    caseName,
    valid,
    summary: `${sigs} signature(s), ${type}, "${validation}", ${total ? 'total document signed' : 'NOT total document signed'}`,
  };
}

// ------------------------------------------------------------------ report

const fmtRate = (r: ChildResult | undefined): string => {
  if (!r) return '—';
  if (!r.ok) return r.unavailable ? 'n/a' : 'error';
  const v = r.perSec!;
  const s = v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${s} (${r.iterations})`;
};
const rate = (r: ChildResult | undefined): number | null => (r?.ok ? r.perSec : null);
const fmtMB = (bytes: number | null | undefined): string => (bytes ? `${(bytes / MB).toFixed(0)} MB` : '—');
function fmtRatio(a: number | null, b: number | null, asPercent = false): string {
  if (a === null || b === null) return '—';
  const x = a / b;
  return asPercent ? `${(x * 100).toFixed(0)}%` : `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function targets(cases: Case[]): string[] {
  const out: string[] = [];
  const verdict = (ok: boolean | null) => (ok === null ? 'n/a ' : ok ? 'PASS' : 'FAIL');
  for (const c of cases.filter((x) => x.targetBytes === MB)) {
    const k = rate(c.results.kyso);
    const checks: Array<[string, number | null, number]> = [
      ['kyso ≥ 50% of limit', c.results.limit ? rate(c.results.limit) : null, 0.5],
      ['kyso ≥ 10× @libpdf/core', c.results.libpdf ? rate(c.results.libpdf) : null, 10],
      ['kyso ≥ 50× @signpdf/signpdf', c.results.signpdf ? rate(c.results.signpdf) : null, 50],
    ];
    for (const [what, other, factor] of checks) {
      const ok = k === null || other === null ? null : k >= factor * other;
      const got = k === null || other === null ? 'not measured' : factor < 1 ? fmtRatio(k, other, true) : fmtRatio(k, other);
      out.push(`${verdict(ok)}  ${c.name}: ${what} (got ${got})`);
    }
  }
  for (const c of cases.filter((x) => x.targetBytes === 50 * MB)) {
    const rss = c.results.kyso?.ok ? c.results.kyso.peakRssBytes : null;
    const limit = 3 * c.sizeBytes + 100 * MB;
    const ok = rss === null ? null : rss < limit;
    out.push(
      `${verdict(ok)}  ${c.name}: kyso peak RSS < 3× file + 100 MB = ${fmtMB(limit)} (got ${rss === null ? 'not measured' : fmtMB(rss)})`,
    );
  }
  return out;
}

function printTable(
  cases: Case[],
  peers: Peer[],
  verifications: Verification[],
  budget: Budget,
  loadAtStart: number,
): void {
  const header = ['case', 'size', 'limit/s', 'kyso/s', 'libpdf/s', 'signpdf/s', 'kyso RSS', 'kyso/limit', 'kyso/libpdf', 'kyso/signpdf'];
  const rows = cases.map((c) => {
    const k = rate(c.results.kyso);
    return [
      c.name,
      `${(c.sizeBytes / 1024).toFixed(0)} KiB`,
      fmtRate(c.results.limit),
      fmtRate(c.results.kyso),
      fmtRate(c.results.libpdf),
      fmtRate(c.results.signpdf),
      c.results.kyso?.ok ? fmtMB(c.results.kyso.peakRssBytes) : '—',
      fmtRatio(k, rate(c.results.limit), true),
      fmtRatio(k, rate(c.results.libpdf)),
      fmtRatio(k, rate(c.results.signpdf)),
    ];
  });
  const lines: string[] = [];
  lines.push(
    `kyso sign benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`,
  );
  lines.push(
    `1-min load average: ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end ` +
      `(a load above the core count means other processes shared the CPUs and slowed the numbers)`,
  );
  lines.push(
    `budget per measurement: ≥ ${budget.minTimeMs} ms and ≥ ${budget.minIters} iterations, ` +
      `≤ ${budget.maxItersSlow} iterations for libpdf/signpdf; rates are signatures/s (iterations)`,
  );
  lines.push('');
  lines.push(table([header, ...rows]));
  lines.push('');
  lines.push('peak RSS per measurement child, MB: first signature / whole timed run (node + tsx + input + that peer):');
  const rssCell = (r: ChildResult | undefined) =>
    r?.ok ? `${(r.peakRssBytes / MB).toFixed(0)} / ${(r.peakRssRunBytes / MB).toFixed(0)}` : '—';
  lines.push(
    table([
      ['case', 'size', ...peers],
      ...cases.map((c) => [c.name, `${(c.sizeBytes / 1024).toFixed(0)} KiB`, ...peers.map((p) => rssCell(c.results[p]))]),
    ]),
  );
  const problems = cases.flatMap((c) =>
    peers.flatMap((p) => {
      const r = c.results[p];
      if (!r || r.ok) return [];
      return [`${c.name} ${p}: ${r.unavailable ?? r.error}`];
    }),
  );
  const unavailable = new Set(problems.filter((p) => p.includes('does not export') || p.includes('cannot import')).map((p) => p.replace(/^\S+ /, '')));
  const errors = problems.filter((p) => !(p.includes('does not export') || p.includes('cannot import')));
  if (unavailable.size > 0 || errors.length > 0) {
    lines.push('');
    for (const u of unavailable) lines.push(`n/a: ${u}`);
    for (const e of errors) lines.push(`error: ${e}`);
  }
  const notes = new Set(cases.flatMap((c) => peers.map((p) => (c.results[p]?.note ? `${p}: ${c.results[p]!.note}` : null))).filter((x): x is string => x !== null));
  if (verifications.length > 0 || notes.size > 0) {
    lines.push('');
    for (const v of verifications) lines.push(`pdfsig ${v.valid ? 'ok  ' : 'WARN'} ${v.peer} (${v.caseName}): ${v.summary}`);
    for (const n of notes) lines.push(`note ${n}`);
  }
  const t = targets(cases);
  if (t.length > 0) {
    lines.push('');
    lines.push('targets (issue):');
    lines.push(...t.map((x) => '  ' + x));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function runParent(opts: ReturnType<typeof parseCli>): Promise<void> {
  if (opts.help) {
    process.stdout.write(
      'usage: pnpm bench:sign [--json] [--quick] [--sizes 100KB,1MB,10MB,50MB] [--kinds text,image]\n' +
        '                       [--only limit,kyso,libpdf,signpdf]\n',
    );
    return;
  }
  const budget = opts.quick ? QUICK : FULL;
  const kinds = list(opts.kinds, KINDS);
  for (const k of kinds) if (!KINDS.includes(k as FixtureKind)) throw new Error(`unknown kind "${k}" (text, image)`);
  const only = list(opts.only, PEERS);
  for (const p of only) if (!PEERS.includes(p as Peer)) throw new Error(`unknown peer "${p}" (${PEERS.join(', ')})`);
  const peers = PEERS.filter((p) => only.includes(p));
  const sizes = list(opts.sizes, DEFAULT_SIZES).map(parseSize).sort((a, b) => a - b);

  const loadAtStart = loadavg()[0]!;
  const id = ensureIdentity();
  if (peers.includes('kyso')) log(`kyso: @kyso/core resolves to ${kysoResolvedFrom()}`);
  const cases: Case[] = [];
  for (const size of sizes) {
    for (const kind of kinds as FixtureKind[]) {
      const label = sizeLabel(size);
      const t = performance.now();
      const path = await ensureFixture(kind, size);
      const ms = performance.now() - t;
      if (ms > 500) log(`fixture ${kind}-${label} generated in ${(ms / 1000).toFixed(1)} s`);
      cases.push({ name: `${kind}-${label}`, kind, label, targetBytes: size, path, sizeBytes: statSync(path).size, results: {} });
    }
  }

  const outDir = join(CACHE_DIR, 'out');
  mkdirSync(outDir, { recursive: true });
  const toVerify = new Set<Peer>(peers.filter((p) => p !== 'limit'));
  const verifications: Verification[] = [];
  for (const c of cases) {
    for (const peer of peers) {
      const save = toVerify.has(peer) ? join(outDir, `${peer}-${c.name}.pdf`) : undefined;
      const r = await runChildProcess(peer, c, budget, save);
      c.results[peer] = r;
      const shown = r.ok ? `${r.perSec!.toFixed(2)}/s over ${r.iterations} iterations, peak RSS ${fmtMB(r.peakRssBytes)} (whole run ${fmtMB(r.peakRssRunBytes)})` : (r.unavailable ?? r.error);
      log(`${c.name.padEnd(12)} ${peer.padEnd(8)} ${shown}`);
      if (save && r.ok) {
        toVerify.delete(peer); // one pdfsig check per peer per run
        const v = verifyWithPdfsig(peer, c.name, save);
        verifications.push(v);
        if (!v.valid) log(`WARNING: ${peer} output for ${c.name} is not a valid signature per pdfsig: ${v.summary} (${relative(REPO_ROOT, save)})`);
      }
    }
  }

  if (opts.json) {
    const pick = (c: Case, p: Peer) => rate(c.results[p]);
    const json = {
      cases: cases.map((c) => ({
        name: c.name,
        sizeBytes: c.sizeBytes,
        kysoPerSec: pick(c, 'kyso'),
        limitPerSec: pick(c, 'limit'),
        libpdfPerSec: pick(c, 'libpdf'),
        signpdfPerSec: pick(c, 'signpdf'),
        kysoPeakRssBytes: c.results.kyso?.ok ? c.results.kyso.peakRssBytes : null,
      })),
    };
    process.stdout.write(JSON.stringify(json) + '\n');
  } else {
    printTable(cases, peers, verifications, budget, loadAtStart);
  }
}

const opts = parseCli(process.argv.slice(2));
if (opts.child) {
  await runChild(opts);
} else {
  await runParent(opts);
}
