/**
 * Service benchmark: `pnpm bench:server [--json] [--quick] [--size 1MB]
 * [--workers N] [--seconds S]`.
 *
 * Signs PDFs over real HTTP on loopback against `kyso serve` (a separate
 * process, PKCS#12 identity, SQLite audit log) and compares with the
 * library's own single-thread rate measured in the same run:
 *
 *  1. library: signPdf in a loop in a child process (signs/s on one core,
 *     and CPU seconds per signature);
 *  2. saturation: closed loop, enough clients to keep every worker busy;
 *     throughput, p50/p99, and the server's CPU seconds per signature.
 *     Measured in slices that alternate (order rotating) with two
 *     contenders, so machine load hits all three alike:
 *     - library ×N: signPdf in as many worker threads of one warm child
 *       process as the service has workers;
 *     - HTTP ceiling: the same client and the same requests against a
 *       plain fastify route in a separate node process (one event loop, as
 *       the service's HTTP side) that reads the body and answers it plus
 *       20 KB (the size of a signed file), no PDF work.
 *     service / min(library ×N, HTTP ceiling) is the headline ratio
 *     (target ≥ 0.85, printed, never asserted);
 *  3. 70 % of that throughput, open loop (requests sent on a schedule,
 *     latency counted from the scheduled time so a stall is not hidden);
 *  4. 3 × that throughput, open loop: what is beyond capacity must be 429
 *     or 503, nothing else; the server's peak RSS; afterwards the server
 *     still answers, every response's audit record is in the log and the
 *     hash chain verifies.
 *  5. CSC signatures/signHash (remote signing of hashes), closed loop, with
 *     1 and with 50 hashes per call, against the raw RSA-2048 private-key
 *     operation (crypto.sign with the same key, one thread, in a child
 *     process) measured in the same run: hashes/s per core as a share of
 *     raw operations/s, and server CPU per hash against raw CPU per
 *     operation. Each hash signed is also one audit record. `--only csc`
 *     runs this phase alone.
 *
 * The client runs in this process on the same machine, so on a small
 * machine it competes with the server for the cores: the CPU-second ratio
 * ("efficiency") is the number that does not depend on that.
 * In --json mode stdout carries exactly one JSON object.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { ensureFixture, ensureIdentity, parseSize, sizeLabel } from './fixtures.js';

const SCRIPT = fileURLToPath(import.meta.url);
const REPO_ROOT = dirname(dirname(SCRIPT));
const CLI = join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const CLK_TCK = 100; // USER_HZ on Linux
/** What a signature adds to the body, as the HTTP ceiling answers it. */
const CEILING_EXTRA_BYTES = 20 * 1024;
/** Targets (issue 16), printed, never asserted. */
export const SERVICE_TARGET_RATIO = 0.85;
export const P99_TARGET_MS = 50;

const { values: opts } = parseArgs({
  // (A library worker thread runs this file too, with no arguments.)
  args: process.argv.slice(2)[0] === '--' ? process.argv.slice(3) : process.argv.slice(2),
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    size: { type: 'string', default: '1MB' },
    workers: { type: 'string' },
    seconds: { type: 'string' },
    'child-library': { type: 'boolean', default: false },
    'child-raw': { type: 'boolean', default: false },
    only: { type: 'string' },
    'key-pem': { type: 'string' },
    threads: { type: 'string' },
    pdf: { type: 'string' },
    p12: { type: 'string' },
    ms: { type: 'string' },
  },
});

const log = (s: string) => process.stderr.write(`${s}\n`);

// ------------------------------------------------------------ library rate

interface LibraryRate {
  perSec: number;
  cpuMsPerSign: number;
}

interface LibraryThreadsRate extends LibraryRate {
  threads: number;
}

/** One library worker thread: signPdf in a loop for the milliseconds each message asks, answering how many it did. */
async function libraryThread(): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  const { SoftwareSigner, signPdf } = await import('@kyso/core');
  const d = workerData as { pdf: string; p12: string; password: string };
  const pdf = new Uint8Array(readFileSync(d.pdf));
  const signer = SoftwareSigner.fromPkcs12(readFileSync(d.p12), d.password);
  for (let i = 0; i < 20; i++) await signPdf(pdf, { signer });
  parentPort!.on('message', async (ms: number) => {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < ms) {
      await signPdf(pdf, { signer });
      n++;
    }
    parentPort!.postMessage(n);
  });
  parentPort!.postMessage('ready');
}

interface LibrarySlice {
  signs: number;
  elapsedMs: number;
  cpuMs: number;
}

/**
 * signPdf in `--threads` worker threads of this one process (as the
 * service's workers), kept warm: prints "ready", then for each line on stdin
 * (milliseconds) runs every thread's loop that long at once and prints one
 * LibrarySlice (CPU of the whole process). Ends when stdin does.
 */
async function libraryThreadsChild(): Promise<void> {
  const threads = Number(opts.threads);
  const data = { pdf: opts.pdf!, p12: opts.p12!, password: process.env.KYSO_BENCH_P12_PASSWORD! };
  // A worker thread does not inherit `--import tsx`: it registers tsx itself, then runs this file (libraryThread).
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true, workerData: { ...data, kysoBenchLibraryThread: true } }));
  await Promise.all(workers.map((w) => new Promise((r, j) => (w.once('message', r), w.once('error', j)))));
  process.stdout.write('ready\n');
  const { createInterface } = await import('node:readline');
  for await (const line of createInterface({ input: process.stdin })) {
    const ms = Number(line);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const counts = await Promise.all(
      workers.map(
        (w) =>
          new Promise<number>((r) => {
            w.once('message', (n: number) => r(n));
            w.postMessage(ms);
          }),
      ),
    );
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`${JSON.stringify({ signs: counts.reduce((a, b) => a + b, 0), elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 } satisfies LibrarySlice)}\n`);
  }
  await Promise.all(workers.map((w) => w.terminate()));
}

/** The library on `threads` threads in a child process, warm, measured in slices between the HTTP ones. */
async function startLibraryThreads(pdfPath: string, p12: string, password: string, threads: number): Promise<{ slice(ms: number): Promise<LibrarySlice>; stop(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--child-library', '--threads', String(threads), '--pdf', pdfPath, '--p12', p12], {
    cwd: REPO_ROOT,
    env: { ...process.env, KYSO_BENCH_P12_PASSWORD: password },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const next = async (): Promise<string> => {
    const l = await lines.next();
    if (l.done) throw new Error(`library child exited: ${stderr.trim()}`);
    return l.value;
  };
  if ((await next()) !== 'ready') throw new Error(`library child: unexpected output: ${stderr.trim()}`);
  return {
    async slice(ms) {
      proc.stdin!.write(`${ms}\n`);
      return JSON.parse(await next()) as LibrarySlice;
    },
    async stop() {
      proc.stdin!.end();
      await exited;
    },
  };
}

async function libraryChild(): Promise<void> {
  if (opts.threads !== undefined) return libraryThreadsChild();
  const { SoftwareSigner, signPdf } = await import('@kyso/core');
  const pdf = new Uint8Array(readFileSync(opts.pdf!));
  const signer = SoftwareSigner.fromPkcs12(readFileSync(opts.p12!), process.env.KYSO_BENCH_P12_PASSWORD!);
  for (let i = 0; i < 20; i++) await signPdf(pdf, { signer });
  const ms = Number(opts.ms);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    await signPdf(pdf, { signer });
    n++;
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ perSec: (n * 1000) / elapsed, cpuMsPerSign: (cpu.user + cpu.system) / 1000 / n } satisfies LibraryRate));
}

async function measureLibrary(pdfPath: string, p12: string, password: string, ms: number): Promise<LibraryRate> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT, '--child-library', '--pdf', pdfPath, '--p12', p12, '--ms', String(ms)], {
    cwd: REPO_ROOT,
    env: { ...process.env, KYSO_BENCH_P12_PASSWORD: password },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as LibraryRate;
}

/** One thread's loop of the raw operation: crypto.sign RSA-2048 over 64 bytes. */
const RAW_LOOP = `
const { workerData, parentPort } = require('node:worker_threads');
const { createPrivateKey, sign, randomBytes } = require('node:crypto');
const key = createPrivateKey(workerData.pem);
const data = randomBytes(64);
for (let i = 0; i < 200; i++) sign('sha256', data, key);
parentPort.postMessage('ready');
parentPort.once('message', () => {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < workerData.ms) { sign('sha256', data, key); n++; }
  parentPort.postMessage(n);
});`;

interface RawRate extends LibraryRate {
  threads: number;
  /** perSec ÷ threads: what one core does while every measured core signs. */
  perSecPerThread: number;
}

/**
 * The raw private-key operation signHash is measured against, on `threads`
 * threads at once (each its own key object, as the server's workers have):
 * one thread gives a core's rate alone; as many threads as the server's
 * workers give a core's rate while the others sign too (shared caches,
 * clock, memory bandwidth), which is what each worker can have at best.
 */
async function rawChild(): Promise<void> {
  const { Worker } = await import('node:worker_threads');
  const pem = readFileSync(opts['key-pem']!, 'utf8');
  const ms = Number(opts.ms);
  const threads = Number(opts.threads ?? '1');
  const workers = Array.from({ length: threads }, () => new Worker(RAW_LOOP, { eval: true, workerData: { pem, ms } }));
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const counts = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((r) => {
          w.once('message', (n: number) => r(n));
          w.postMessage('go');
        }),
    ),
  );
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(workers.map((w) => w.terminate()));
  const n = counts.reduce((a, b) => a + b, 0);
  const perSec = (n * 1000) / elapsed;
  process.stdout.write(JSON.stringify({ threads, perSec, perSecPerThread: perSec / threads, cpuMsPerSign: (cpu.user + cpu.system) / 1000 / n } satisfies RawRate));
}

async function measureRaw(keyPemPath: string, threads: number, ms: number): Promise<RawRate> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT, '--child-raw', '--key-pem', keyPemPath, '--threads', String(threads), '--ms', String(ms)], { cwd: REPO_ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as RawRate;
}

// ------------------------------------------------------------------ server

interface Server {
  proc: ChildProcess;
  url: string;
  dataDir: string;
  key: string;
  stop(): Promise<void>;
}

async function startServer(p12: string, password: string, workers: number, bodyLimit: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-bench-server-'));
  const key = randomBytes(24).toString('base64url');
  const config = {
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'data'),
    workers,
    // Enough in progress to keep every thread fed while the main thread does I/O; a short queue so overload turns into 429 fast.
    maxConcurrent: Math.max(2, workers * 2),
    maxQueue: Math.max(4, workers * 4),
    // (The CSC phase keeps at most workers × 6 calls in flight: within maxConcurrent + maxQueue.)
    bodyLimit,
    identities: [{ name: 'bench', agency: '000.00.00.H56', signer: { p12, passwordEnv: 'KYSO_BENCH_P12_PASSWORD' } }],
    apiKeys: [{ id: 'bench', sha256: createHash('sha256').update(key).digest('hex'), identities: ['bench'], operations: ['sign', 'audit', 'csc'] }],
    // One SAD for the whole CSC phase; 50 hashes a call.
    csc: { maxSignaturesPerSad: 1_000_000, sadTtlSeconds: 3600, multisign: 100 },
  };
  const cfgPath = join(dir, 'kyso.json');
  writeFileSync(cfgPath, JSON.stringify(config));
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', cfgPath], {
    env: { ...process.env, KYSO_BENCH_P12_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`kyso serve exited (${code}): ${stderr.trim()}`)));
  });
  return {
    proc,
    url,
    dataDir: config.dataDir,
    key,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The HTTP ceiling: a plain fastify route (fastify from @kyso/server's
 * dependencies, no logger) in its own plain `node` process, as `kyso serve`
 * is, that reads the PDF body and answers it plus 20 KB: the HTTP work of a
 * signature without the signature.
 */
const CEILING_SERVER = `
import { createRequire } from 'node:module';
const require = createRequire(process.env.KYSO_BENCH_FASTIFY_FROM);
const Fastify = require('fastify');
const bodyLimit = Number(process.env.KYSO_BENCH_BODY_LIMIT);
const tail = Buffer.alloc(Number(process.env.KYSO_BENCH_EXTRA_BYTES), 0x20);
const app = Fastify({ logger: false, bodyLimit });
app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
app.post('/v1/sign', async (req, reply) => reply.type('application/pdf').send(Buffer.concat([req.body, tail])));
app.get('/healthz', async () => ({ ok: true }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write('listening on ' + url + '\\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

async function startCeiling(bodyLimit: number): Promise<{ proc: ChildProcess; url: string; stop(): Promise<void> }> {
  // Resolve fastify where @kyso/server does, so the ceiling runs the service's fastify.
  createRequire(join(REPO_ROOT, 'packages', 'server', 'package.json')).resolve('fastify');
  const proc = spawn(process.execPath, ['--input-type=module', '-e', CEILING_SERVER], {
    env: { ...process.env, KYSO_BENCH_FASTIFY_FROM: join(REPO_ROOT, 'packages', 'server', 'package.json'), KYSO_BENCH_BODY_LIMIT: String(bodyLimit), KYSO_BENCH_EXTRA_BYTES: String(CEILING_EXTRA_BYTES) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`HTTP ceiling server exited (${code}): ${stderr.trim()}`)));
  });
  return {
    proc,
    url,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

interface CeilingRate {
  clients: number;
  perSec: number;
  /** CPU of the ceiling server process per request (all its threads). */
  serverCpuMsPerRequest: number;
  /** Bytes of each answer (the body plus 20 KB). */
  responseBytes: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

/** utime + stime of a process and all its threads, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

// ------------------------------------------------------------------ client

interface Outcome {
  status: number; // 0: no response (connection error)
  ms: number;
  auditId?: number;
}

function signOnce(agent: Agent, base: URL, key: string, pdf: Buffer, startedAt: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      { host: base.hostname, port: base.port, path: '/v1/sign', method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf', 'content-length': pdf.length } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          const a = res.headers['x-kyso-audit-id'];
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - startedAt, ...(typeof a === 'string' ? { auditId: Number(a) } : {}) });
        });
        res.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt }));
    req.end(pdf);
  });
}

/** `clients` loops, each sending its next request when the last one answered. */
async function closedLoop(base: URL, key: string, pdf: Buffer, clients: number, ms: number, shared?: Agent): Promise<{ outcomes: Outcome[]; elapsedMs: number }> {
  const agent = shared ?? new Agent({ keepAlive: true, maxSockets: clients });
  const outcomes: Outcome[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() - t0 < ms) outcomes.push(await signOnce(agent, base, key, pdf, performance.now()));
    }),
  );
  const elapsedMs = performance.now() - t0;
  if (!shared) agent.destroy();
  return { outcomes, elapsedMs };
}

/** Requests sent at `rate` per second whatever the answers; latency from each request's scheduled time. */
async function openLoop(base: URL, key: string, pdf: Buffer, rate: number, ms: number, sample?: () => void): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const pending: Promise<Outcome>[] = [];
  const t0 = performance.now();
  const total = Math.max(1, Math.round((rate * ms) / 1000));
  for (let i = 0; i < total; i++) {
    const at = t0 + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    sample?.();
    pending.push(signOnce(agent, base, key, pdf, at));
  }
  const outcomes = await Promise.all(pending);
  agent.destroy();
  return outcomes;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function latency(outcomes: Outcome[]): { p50: number; p99: number } {
  const ok = outcomes.filter((o) => o.status === 200).map((o) => o.ms).sort((a, b) => a - b);
  return { p50: percentile(ok, 50), p99: percentile(ok, 99) };
}

function statusCounts(outcomes: Outcome[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const o of outcomes) c[String(o.status)] = (c[String(o.status)] ?? 0) + 1;
  return c;
}

async function auditCheck(server: Server, outcomes: Outcome[]): Promise<{ records: number; chainOk: boolean; missing: number; unaudited: number }> {
  const seqs = new Set<number>();
  let after = 0;
  for (;;) {
    const r = await fetch(`${server.url}/v1/audit?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${server.key}` } });
    const page = (await r.json()) as { records: { seq: number }[]; next: number | null };
    for (const rec of page.records) seqs.add(rec.seq);
    if (page.next === null || page.records.length === 0) break;
    after = page.next;
  }
  const answered = outcomes.filter((o) => o.status !== 0);
  const missing = answered.filter((o) => o.auditId !== undefined && !seqs.has(o.auditId)).length;
  const unaudited = answered.filter((o) => o.auditId === undefined).length;
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'audit', 'verify', '--data-dir', server.dataDir, '--json'], { cwd: REPO_ROOT }).catch((e: { stdout: string }) => e);
  const chain = JSON.parse(stdout) as { ok: boolean; records: number };
  return { records: chain.records, chainOk: chain.ok, missing, unaudited };
}

// --------------------------------------------------------------------- csc

interface CscRate {
  hashesPerCall: number;
  clients: number;
  calls: number;
  hashesPerSec: number;
  /** hashes/s ÷ min(workers, cores) ÷ raw RSA-2048 operations/s per core with as many cores signing. */
  ratioPerCore: number;
  /** The same against one thread signing alone. */
  ratioPerCoreAlone: number;
  serverCpuMsPerHash: number;
  /** raw CPU per operation (as many cores signing) ÷ server CPU per hash. */
  efficiency: number;
  /** The same against one thread signing alone. */
  efficiencyAlone: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

function postJson(agent: Agent, base: URL, path: string, token: string, body: string, startedAt: number): Promise<Outcome & { text: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: base.hostname, port: base.port, path, method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - startedAt, text }));
        res.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt, text }));
      },
    );
    req.on('error', () => resolve({ status: 0, ms: performance.now() - startedAt, text: '' }));
    req.end(body);
  });
}

/** signatures/signHash with `perCall` random SHA-256 hashes per call, `clients` closed loops. */
async function measureSignHash(server: Server, raw: { alone: RawRate; all: RawRate }, workers: number, perCall: number, clients: number, ms: number): Promise<CscRate> {
  const base = new URL(server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const login = await postJson(agent, base, '/csc/v2/auth/login', server.key, '{}', performance.now());
  const token = (JSON.parse(login.text) as { access_token: string }).access_token;
  const auth = await postJson(agent, base, '/csc/v2/credentials/authorize', token, JSON.stringify({ credentialID: 'bench', numSignatures: 1_000_000 }), performance.now());
  const sad = (JSON.parse(auth.text) as { SAD: string }).SAD;
  const body = () => JSON.stringify({ credentialID: 'bench', SAD: sad, hashes: Array.from({ length: perCall }, () => randomBytes(32).toString('base64')), signAlgo: '1.2.840.113549.1.1.11' });
  const run = async (duration: number) => {
    const outcomes: Outcome[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() - t0 < duration) outcomes.push(await postJson(agent, base, '/csc/v2/signatures/signHash', token, body(), performance.now()));
      }),
    );
    return { outcomes, elapsedMs: performance.now() - t0 };
  };
  await run(Math.min(1000, ms / 4)); // warm-up
  const pid = server.proc.pid!;
  const cpu0 = cpuMs(pid);
  const { outcomes, elapsedMs } = await run(ms);
  const cpu = cpuMs(pid) - cpu0;
  agent.destroy();
  const okCalls = outcomes.filter((o) => o.status === 200).length;
  const hashes = okCalls * perCall;
  const hashesPerSec = (hashes * 1000) / elapsedMs;
  const serverCpuMsPerHash = cpu / Math.max(1, hashes);
  return {
    hashesPerCall: perCall,
    clients,
    calls: outcomes.length,
    hashesPerSec,
    ratioPerCore: hashesPerSec / Math.max(1, Math.min(workers, cpus().length)) / raw.all.perSecPerThread,
    ratioPerCoreAlone: hashesPerSec / Math.max(1, Math.min(workers, cpus().length)) / raw.alone.perSec,
    serverCpuMsPerHash,
    efficiency: raw.all.cpuMsPerSign / serverCpuMsPerHash,
    efficiencyAlone: raw.alone.cpuMsPerSign / serverCpuMsPerHash,
    ...latency(outcomes),
    statuses: statusCounts(outcomes),
  };
}

// -------------------------------------------------------------------- main

export interface ServerBenchReport {
  machine: { cores: number; cpu: string };
  sizeBytes: number;
  workers: number;
  /** signPdf on one thread. */
  library: LibraryRate;
  /** signPdf in as many worker threads of one process as the service has workers. */
  libraryWorkers: LibraryThreadsRate;
  /** A plain fastify route answering the body plus 20 KB: same client, same requests, same clients as saturation. */
  ceiling: CeilingRate;
  saturation: { clients: number; perSec: number; perSecPerWorker: number; ratioPerCore: number; serverCpuMsPerSign: number; efficiency: number; p50: number; p99: number; statuses: Record<string, number> };
  /** saturation.perSec ÷ min(libraryWorkers.perSec, ceiling.perSec). */
  service: { ratio: number; limitedBy: 'library' | 'ceiling'; target: number; pass: boolean };
  at70: { rate: number; perSec: number; p50: number; p99: number; p99TargetMs: number; p99Pass: boolean; statuses: Record<string, number> };
  overload: { factor: number; rate: number; statuses: Record<string, number>; onlyBusyBeyondCapacity: boolean; peakRssBytes: number; aliveAfter: boolean; audit: { records: number; chainOk: boolean; missing: number; unaudited: number } };
  /** CSC signatures/signHash against raw RSA-2048 operations. */
  csc: { raw: { alone: RawRate; all: RawRate }; batch1: CscRate; batch50: CscRate };
}

async function measureCsc(server: Server, id: { keyPem: string; dir: string }, workers: number, phaseMs: number): Promise<ServerBenchReport['csc']> {
  const keyFile = join(server.dataDir, '..', 'bench-key.pem');
  writeFileSync(keyFile, id.keyPem, { mode: 0o600 });
  const cores = Math.max(1, Math.min(workers, cpus().length));
  log(`raw: crypto.sign RSA-2048 on one thread, then on ${cores} at once (${phaseMs / 1000} s each)…`);
  const raw = { alone: await measureRaw(keyFile, 1, phaseMs), all: await measureRaw(keyFile, cores, phaseMs) };
  // Each call waits for its audit records to be on disk (one fsync per group commit): enough calls in flight to keep the threads busy meanwhile, within the server's admission limit (maxConcurrent + maxQueue).
  const clients = Math.max(4, workers * 6);
  log(`csc: signatures/signHash, 1 hash a call, ${clients} clients…`);
  const batch1 = await measureSignHash(server, raw, workers, 1, clients, phaseMs);
  log(`csc: signatures/signHash, 50 hashes a call, ${clients} clients…`);
  const batch50 = await measureSignHash(server, raw, workers, 50, clients, phaseMs);
  return { raw, batch1, batch50 };
}

async function main(): Promise<void> {
  const quick = opts.quick!;
  const size = parseSize(opts.size!);
  const workers = opts.workers !== undefined ? Number(opts.workers) : availableParallelism();
  const phaseMs = (opts.seconds !== undefined ? Number(opts.seconds) : quick ? 1.5 : 8) * 1000;
  const pdfPath = await ensureFixture('text', size);
  const pdf = readFileSync(pdfPath);
  const id = ensureIdentity();

  if (opts.only === 'csc') {
    const server = await startServer(id.p12Path, id.password, workers, Math.max(2 * size, 1 << 20));
    try {
      const csc = await measureCsc(server, id, workers, phaseMs);
      if (opts.json) process.stdout.write(`${JSON.stringify({ machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' }, workers, csc })}\n`);
      else process.stdout.write(`${cscLines(workers, csc).join('\n')}\n`);
    } finally {
      await server.stop();
    }
    return;
  }
  log(`library: signPdf on one thread, ${sizeLabel(size)} (${phaseMs / 1000} s)…`);
  const library = await measureLibrary(pdfPath, id.p12Path, id.password, phaseMs);
  const bodyLimit = Math.max(2 * size, 1 << 20);
  const clients = Math.max(2, workers * 2);
  const warmMs = quick ? 300 : 1000;
  // Saturation is measured in slices, alternating with the library on as many threads and with the HTTP ceiling, so that load from other processes hits all three alike.
  const slices = quick ? 3 : 4;
  const sliceMs = phaseMs / slices;
  log(`library ×${workers}: signPdf on ${workers} worker thread(s) at once in a child process; HTTP ceiling: plain fastify route answering the body + 20 KB…`);
  const libraryThreads = await startLibraryThreads(pdfPath, id.p12Path, id.password, Math.max(1, workers));
  const ceilingServer = await startCeiling(bodyLimit).catch(async (e: unknown) => {
    await libraryThreads.stop();
    throw e;
  });
  const server = await startServer(id.p12Path, id.password, workers, bodyLimit).catch(async (e: unknown) => {
    await Promise.all([libraryThreads.stop(), ceilingServer.stop()]);
    throw e;
  });
  const pid = server.proc.pid!;
  const base = new URL(server.url);
  const all: Outcome[] = [];
  try {
    // Warm up the threads and the connection pools.
    const ceilingBase = new URL(ceilingServer.url);
    const ceilingAgent = new Agent({ keepAlive: true, maxSockets: clients });
    const serviceAgent = new Agent({ keepAlive: true, maxSockets: clients });
    await closedLoop(ceilingBase, server.key, pdf, clients, warmMs, ceilingAgent);
    all.push(...(await closedLoop(base, server.key, pdf, clients, warmMs, serviceAgent)).outcomes);
    await libraryThreads.slice(Math.min(warmMs, 500));

    log(`saturation: ${clients} clients, ${workers} worker thread(s), ${slices} slices of ${(sliceMs / 1000).toFixed(2)} s each alternating library ×${workers}, HTTP ceiling and service…`);
    const lib = { signs: 0, elapsedMs: 0, cpuMs: 0 };
    const ceil = { outcomes: [] as Outcome[], elapsedMs: 0, cpuMs: 0 };
    const sat = { outcomes: [] as Outcome[], elapsedMs: 0 };
    let serverCpu = 0;
    const steps: (() => Promise<void>)[] = [
      async () => {
        const r = await libraryThreads.slice(sliceMs);
        lib.signs += r.signs;
        lib.elapsedMs += r.elapsedMs;
        lib.cpuMs += r.cpuMs;
      },
      async () => {
        const c0 = cpuMs(ceilingServer.proc.pid!);
        const r = await closedLoop(ceilingBase, server.key, pdf, clients, sliceMs, ceilingAgent);
        ceil.cpuMs += cpuMs(ceilingServer.proc.pid!) - c0;
        ceil.outcomes.push(...r.outcomes);
        ceil.elapsedMs += r.elapsedMs;
      },
      async () => {
        const c0 = cpuMs(pid);
        const r = await closedLoop(base, server.key, pdf, clients, sliceMs, serviceAgent);
        serverCpu += cpuMs(pid) - c0;
        sat.outcomes.push(...r.outcomes);
        sat.elapsedMs += r.elapsedMs;
      },
    ];
    // The order rotates each slice.
    for (let i = 0; i < slices; i++) for (let j = 0; j < steps.length; j++) await steps[(i + j) % steps.length]!();
    ceilingAgent.destroy();
    serviceAgent.destroy();
    await Promise.all([libraryThreads.stop(), ceilingServer.stop()]);
    all.push(...sat.outcomes);
    const libraryWorkers: LibraryThreadsRate = { threads: Math.max(1, workers), perSec: (lib.signs * 1000) / lib.elapsedMs, cpuMsPerSign: lib.cpuMs / Math.max(1, lib.signs) };
    const okCeil = ceil.outcomes.filter((o) => o.status === 200).length;
    const ceiling: CeilingRate = {
      clients,
      perSec: (okCeil * 1000) / ceil.elapsedMs,
      serverCpuMsPerRequest: ceil.cpuMs / Math.max(1, okCeil),
      responseBytes: pdf.length + CEILING_EXTRA_BYTES,
      ...latency(ceil.outcomes),
      statuses: statusCounts(ceil.outcomes),
    };
    const okSat = sat.outcomes.filter((o) => o.status === 200).length;
    const perSec = (okSat * 1000) / sat.elapsedMs;
    const serverCpuMsPerSign = serverCpu / Math.max(1, okSat);

    const rate70 = 0.7 * perSec;
    log(`70 %: ${rate70.toFixed(0)} requests/s, open loop…`);
    const t70 = performance.now();
    const at70 = await openLoop(base, server.key, pdf, rate70, phaseMs);
    const elapsed70 = performance.now() - t70;
    all.push(...at70);

    const overloadFactor = 3;
    const rateOver = overloadFactor * perSec;
    log(`3×: ${rateOver.toFixed(0)} requests/s, open loop…`);
    let peakRss = rssBytes(pid);
    let lastSample = 0;
    const over = await openLoop(base, server.key, pdf, rateOver, phaseMs, () => {
      const now = performance.now();
      if (now - lastSample > 50) {
        lastSample = now;
        peakRss = Math.max(peakRss, rssBytes(pid));
      }
    });
    peakRss = Math.max(peakRss, rssBytes(pid));
    all.push(...over);
    const alive = await fetch(`${server.url}/healthz`).then((r) => r.ok, () => false);
    const audit = await auditCheck(server, all);
    const csc = await measureCsc(server, id, workers, phaseMs);
    const best = Math.min(libraryWorkers.perSec, ceiling.perSec);
    const lat70 = latency(at70);

    const report: ServerBenchReport = {
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
      sizeBytes: pdf.length,
      workers,
      library,
      libraryWorkers,
      ceiling,
      saturation: {
        clients,
        perSec,
        perSecPerWorker: perSec / Math.max(1, workers),
        ratioPerCore: perSec / Math.max(1, Math.min(workers, cpus().length)) / library.perSec,
        serverCpuMsPerSign,
        efficiency: library.cpuMsPerSign / serverCpuMsPerSign,
        ...latency(sat.outcomes),
        statuses: statusCounts(sat.outcomes),
      },
      service: { ratio: perSec / best, limitedBy: libraryWorkers.perSec <= ceiling.perSec ? 'library' : 'ceiling', target: SERVICE_TARGET_RATIO, pass: perSec >= SERVICE_TARGET_RATIO * best },
      at70: { rate: rate70, perSec: (at70.filter((o) => o.status === 200).length * 1000) / elapsed70, ...lat70, p99TargetMs: P99_TARGET_MS, p99Pass: lat70.p99 < P99_TARGET_MS, statuses: statusCounts(at70) },
      overload: {
        factor: overloadFactor,
        rate: rateOver,
        statuses: statusCounts(over),
        onlyBusyBeyondCapacity: over.every((o) => o.status === 200 || o.status === 429 || o.status === 503),
        peakRssBytes: peakRss,
        aliveAfter: alive,
        audit,
      },
      csc,
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printTable(report);
  } finally {
    await Promise.all([server.stop(), libraryThreads.stop(), ceilingServer.stop()]);
  }
}

function printTable(r: ServerBenchReport): void {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const lines = [
    `kyso server benchmark: ${sizeLabel(r.sizeBytes)} PDF, ${r.workers} worker thread(s), ${r.machine.cores} cores (${r.machine.cpu}); client on the same machine`,
    '',
    `library (one thread)      ${f(r.library.perSec)} signs/s, ${f(r.library.cpuMsPerSign, 2)} ms CPU per signature`,
    `library (${r.libraryWorkers.threads} thread(s))     ${f(r.libraryWorkers.perSec)} signs/s, ${f(r.libraryWorkers.cpuMsPerSign, 2)} ms CPU per signature (as many threads as the service's workers)`,
    `HTTP ceiling (${r.ceiling.clients} clients)  ${f(r.ceiling.perSec)} requests/s: plain fastify route, ${sizeLabel(r.sizeBytes)} in, ${sizeLabel(r.ceiling.responseBytes)} out, no PDF work; ${f(r.ceiling.serverCpuMsPerRequest, 2)} ms CPU per request; p50 ${f(r.ceiling.p50)} ms, p99 ${f(r.ceiling.p99)} ms`,
    `saturation (${r.saturation.clients} clients)    ${f(r.saturation.perSec)} signs/s = ${f(r.saturation.perSecPerWorker)} per worker = ${f(100 * r.saturation.ratioPerCore, 0)} % of the one-thread library rate per core`,
    `                          p50 ${f(r.saturation.p50)} ms, p99 ${f(r.saturation.p99)} ms; server ${f(r.saturation.serverCpuMsPerSign, 2)} ms CPU per signature = ${f(100 * r.saturation.efficiency, 0)} % of the library's efficiency`,
    `service / min(library ${r.libraryWorkers.threads}, ceiling)  ${f(r.service.ratio, 2)} (limited by the ${r.service.limitedBy}; target ≥ ${r.service.target}): ${r.service.pass ? 'PASS' : 'FAIL'}`,
    `70 % (${f(r.at70.rate, 0)}/s open loop)   p50 ${f(r.at70.p50)} ms, p99 ${f(r.at70.p99)} ms (target < ${r.at70.p99TargetMs} ms): ${r.at70.p99Pass ? 'PASS' : 'FAIL'}; statuses ${JSON.stringify(r.at70.statuses)}`,
    `${r.overload.factor}× (${f(r.overload.rate, 0)}/s open loop)     statuses ${JSON.stringify(r.overload.statuses)}: ${r.overload.onlyBusyBeyondCapacity ? 'only 429/503 beyond capacity: PASS' : 'other failures: FAIL'}`,
    `                          server peak RSS ${mb(r.overload.peakRssBytes)}; alive after: ${r.overload.aliveAfter ? 'yes' : 'NO'}`,
    `audit                     ${r.overload.audit.records} records, chain ${r.overload.audit.chainOk ? 'intact' : 'BROKEN'}, responses missing from the log: ${r.overload.audit.missing}, without an audit id: ${r.overload.audit.unaudited}`,
    ...cscLines(r.workers, r.csc),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function cscLines(workers: number, c: ServerBenchReport['csc']): string[] {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const row = (label: string, b: CscRate, target: string) => [
    `${label}${f(b.hashesPerSec)} hashes/s (${b.clients} clients) = ${f(100 * b.ratioPerCore, 0)} % of raw RSA-2048 per core${target} (${f(100 * b.ratioPerCoreAlone, 0)} % of one thread alone)`,
    `                          server ${f(b.serverCpuMsPerHash, 3)} ms CPU per hash = ${f(100 * b.efficiency, 0)} % of raw's efficiency (${f(100 * b.efficiencyAlone, 0)} % of one thread alone); p50 ${f(b.p50)} ms, p99 ${f(b.p99)} ms; statuses ${JSON.stringify(b.statuses)}`,
  ];
  return [
    `raw RSA-2048, one thread   ${f(c.raw.alone.perSec)} crypto.sign/s, ${f(c.raw.alone.cpuMsPerSign, 3)} ms CPU each`,
    `raw RSA-2048, ${c.raw.all.threads} threads    ${f(c.raw.all.perSec)} crypto.sign/s = ${f(c.raw.all.perSecPerThread)} per core, ${f(c.raw.all.cpuMsPerSign, 3)} ms CPU each (${workers} worker thread(s) for signHash)`,
    ...row('csc signHash ×1          ', c.batch1, ''),
    ...row('csc signHash ×50         ', c.batch50, ' (target ≥ 80 %)'),
  ];
}

if (!isMainThread && (workerData as { kysoBenchLibraryThread?: boolean } | null)?.kysoBenchLibraryThread) await libraryThread();
else if (opts['child-library']) await libraryChild();
else if (opts['child-raw']) await rawChild();
else await main();
