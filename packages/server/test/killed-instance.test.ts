/**
 * A killed instance leaves no code without its audit record (issue 17).
 *
 * The service runs as a child process (the built CLI, `kyso serve --config`),
 * a signing request that allocates a result code is held in flight after the
 * code was reserved (its timestamp authority accepts the request and never
 * answers), and the process is killed with SIGKILL. The code is in the ledger
 * and the audit record the request never wrote is recovered from the pending
 * note saved with the allocation: the restarted service appends one record
 * with result INTERRUPTED, the chain stays intact, and the client's retry
 * with the same Idempotency-Key gets the same code. An instance killed while
 * an upload is still arriving (before any allocation) leaves neither a code
 * nor a note. SQLite and PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner } from '@kyso/core';
import { CodeAllocator, PostgresSequenceStore, SqliteSequenceStore, type Allocation, type PendingEntry, type SequenceStore } from '@kyso/core/codes';
import { createPkcs12, createTestPki, startTestServices, type TestServices } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, openServerStore, verifyAuditChain, type AuditRecord, type ServerStore } from '@kyso/server';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';
import { samplePdf, tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const BIN = resolve(ROOT, 'packages/cli/dist/bin.js');
const KEY_ID = 'clerk';
const AGENCY = '000.00.00.H56';
const OWNER = '001090000001';
const SIGN_PATH = `/v1/sign?level=B-T&allocateResultCode=true&owner=${OWNER}&resultType=G15.000021`;
const P12_PASSWORD = 'killed-instance-pw';

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<void>;
}

interface Backend {
  name: 'sqlite' | 'postgres';
  /** Where the service keeps its data: a config fragment. */
  location(dir: string): Record<string, unknown>;
  sequences(dir: string): Promise<SequenceStore>;
  audit(dir: string): Promise<ServerStore>;
  /** `kyso audit verify` arguments for that location. */
  verifyArgs(dir: string): string[];
}

let services: TestServices;
let p12 = '';
let apiKey = '';
let pkiDir = '';
let dbUrl = '';
const schemas: string[] = [];
const children: ChildProcess[] = [];

/** A timestamp authority that takes the request and never answers: the signing request stays in flight after its code was reserved. */
interface HangingTsa {
  url: string;
  requests: () => number;
  close(): Promise<void>;
}

async function hangingTsa(): Promise<HangingTsa> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req) => {
    requests++;
    req.resume();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    requests: () => requests,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}

function writeConfig(dir: string, backend: Backend, extra: Record<string, unknown>): string {
  const file = join(dir, `kyso-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      ...backend.location(dir),
      workers: 1,
      identities: [{ name: 'binh-dinh', agency: AGENCY, signer: { p12, passwordEnv: 'KILLED_P12_PASSWORD' } }],
      apiKeys: [{ id: KEY_ID, sha256: hashApiKey(apiKey), identities: ['binh-dinh'], operations: ['sign', 'audit'] }],
      trust: { extraRoots: [services.pki.root.certPem] },
      ...extra,
    }),
  );
  return file;
}

/** `kyso serve --config <file>` as a child process, with its request log on stderr; resolves once it listens. */
function serve(configFile: string): Promise<Instance> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    cwd: ROOT,
    // The configuration file alone decides where the data goes.
    env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', KYSO_DATABASE_SCHEMA: '', KYSO_PORT: '', KYSO_HOST: '', KYSO_DATA_DIR: '', KILLED_P12_PASSWORD: P12_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return new Promise<Instance>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /kyso: listening on (http:\/\/\S+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      res({ child, url: m[1]!, output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`kyso serve exited before listening (${child.exitCode ?? child.signalCode}):\n${out}`));
    });
  });
}

async function kill(inst: Instance): Promise<void> {
  process.kill(inst.child.pid!, 'SIGKILL');
  await inst.exited;
  expect(inst.child.signalCode).toBe('SIGKILL');
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request whose body is sent whole, or only its first `partial` bytes (the rest never comes). Never rejects: a killed server gives an error. */
function send(url: string, path: string, headers: Record<string, string>, body: Buffer, partial?: number): { answer: Promise<Answer | Error>; request: http.ClientRequest } {
  let request!: http.ClientRequest;
  const answer = new Promise<Answer | Error>((res) => {
    request = http.request(new URL(path, url), { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-length': String(body.length), ...headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (d: Buffer) => chunks.push(d));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on('error', (e) => res(e));
    });
    request.on('error', (e) => res(e));
    if (partial === undefined) request.end(body);
    else request.write(body.subarray(0, partial));
  });
  return { answer, request };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the service's code store for a look (the running service has it open too), closes it after. */
async function withSequences<T>(backend: Backend, dir: string, fn: (s: SequenceStore) => Promise<T>): Promise<T> {
  const s = await backend.sequences(dir);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

async function readAudit(backend: Backend, dir: string): Promise<AuditRecord[]> {
  const store = await backend.audit(dir);
  try {
    const out: AuditRecord[] = [];
    for (let after = 0; ; ) {
      const page = await store.listAudit({ after, limit: 1000 });
      out.push(...page);
      if (page.length < 1000) return out;
      after = page[page.length - 1]!.seq;
    }
  } finally {
    await store.close();
  }
}

async function expectChainIntact(backend: Backend, dir: string, records: number): Promise<void> {
  const store = await backend.audit(dir);
  try {
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records });
  } finally {
    await store.close();
  }
  const cli = spawn(process.execPath, [BIN, 'audit', 'verify', ...backend.verifyArgs(dir), '--json'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', KYSO_DATABASE_SCHEMA: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  cli.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  cli.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const status = await new Promise<number | null>((res) => cli.once('close', (c) => res(c)));
  expect(status, err).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ ok: true, records });
}

const resultRows = (s: SequenceStore) => s.ledger({ kind: 'result', agency: OWNER });

function scenarios(backend: () => Backend): void {
  it('killed after its code was reserved: the code stays, and the restart writes its one INTERRUPTED record', async () => {
    const b = backend();
    const dir = tempDir(`kyso-killed-${b.name}-`);
    const tsa = await hangingTsa();
    try {
      const first = await serve(writeConfig(dir, b, { tsa: { url: tsa.url, timeoutMs: 120_000 } }));
      const idem = 'kill-after-allocation';
      const inFlight = send(first.url, SIGN_PATH, { 'content-type': 'application/pdf', 'idempotency-key': idem }, samplePdf());

      // The code is reserved (polled in the ledger), its pending note saved with it, and the request is waiting on the TSA.
      const reserved = await until('the code in the ledger', () => withSequences(b, dir, async (s) => ((await resultRows(s))[0] as Allocation | undefined)));
      await until('the TSA request', async () => (tsa.requests() > 0 ? true : undefined));
      const code = reserved.note!;
      expect(reserved).toMatchObject({ state: 'reserved', idempotencyKey: `${KEY_ID}:${idem}#sign` });
      const notes = await withSequences(b, dir, (s) => s.listPending());
      expect(notes).toHaveLength(1);
      const note = JSON.parse(notes[0]!.data) as Record<string, unknown>;
      expect(note).toMatchObject({ keyId: KEY_ID, identity: 'binh-dinh', operation: 'sign', code: null, requestId: notes[0]!.ref });
      expect(notes[0]).toMatchObject({ kind: 'result', agency: OWNER, first: 1, last: 1, idempotencyKey: `${KEY_ID}:${idem}#sign` });
      expect((await readAudit(b, dir)).filter((r) => r.code === code)).toEqual([]);

      await kill(first);
      expect(await inFlight.answer).toBeInstanceOf(Error);

      // Restarted with a short request deadline: the recovery pass takes notes older than 2 × 1 s. This time the TSA works.
      const second = await serve(writeConfig(dir, b, { requestTimeoutMs: 1000, tsa: { url: services.tsaUrl, timeoutMs: 10_000 } }));
      try {
        const recovered = await until('the recovered record', async () => (await readAudit(b, dir)).find((r) => r.code === code));
        expect(recovered).toMatchObject({ operation: 'sign', keyId: KEY_ID, identity: 'binh-dinh', code, result: 'INTERRUPTED', status: 0, time: note.time, inputSha256: null, outputSha256: null });
        await until('the note cleared', () => withSequences(b, dir, async (s) => ((await s.listPending()).length === 0 ? true : undefined)));
        // Let another pass run: it finds nothing more to do.
        await new Promise((r) => setTimeout(r, 2500));
        const records = await readAudit(b, dir);
        expect(records.filter((r) => r.code === code)).toHaveLength(1);
        expect(records.filter((r) => r.result === 'INTERRUPTED')).toHaveLength(1);
        expect(second.output().match(/audit record recovered/g)).toHaveLength(1);
        expect(second.output()).not.toContain(apiKey);
        const ledger = await withSequences(b, dir, (s) => resultRows(s));
        expect(ledger.map((a) => [a.note, a.state])).toEqual([[code, 'reserved']]);
        await expectChainIntact(b, dir, records.length);

        // The client's retry with the same Idempotency-Key: the same code, now signed and confirmed, with a record of its own.
        const retry = await send(second.url, SIGN_PATH, { 'content-type': 'application/pdf', 'idempotency-key': idem }, samplePdf()).answer;
        if (retry instanceof Error) throw retry;
        expect(retry.status, retry.body.toString()).toBe(200);
        expect(retry.headers['x-kyso-result-code']).toBe(code);
        expect((await withSequences(b, dir, (s) => resultRows(s))).map((a) => [a.note, a.state])).toEqual([[code, 'confirmed']]);
        const after = await readAudit(b, dir);
        expect(after.filter((r) => r.code === code).map((r) => [r.result, r.status])).toEqual([
          ['INTERRUPTED', 0],
          ['ok', 200],
        ]);
        expect(await withSequences(b, dir, (s) => s.listPending())).toEqual([]);
        await expectChainIntact(b, dir, after.length);
      } finally {
        await kill(second);
      }
    } finally {
      await tsa.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('killed while the upload is still arriving: no code, no pending note, nothing to recover', async () => {
    const b = backend();
    const dir = tempDir(`kyso-killed-early-${b.name}-`);
    const tsa = await hangingTsa();
    try {
      const first = await serve(writeConfig(dir, b, { tsa: { url: tsa.url, timeoutMs: 120_000 } }));
      const pdf = samplePdf();
      const idem = 'kill-before-allocation';
      const upload = send(first.url, SIGN_PATH, { 'content-type': 'application/pdf', 'idempotency-key': idem }, pdf, Math.floor(pdf.length / 2));
      // Half the document is in; the server waits for the rest (its deadline is minutes away).
      await new Promise((r) => setTimeout(r, 750));
      expect(await withSequences(b, dir, (s) => resultRows(s))).toEqual([]);
      await kill(first);
      upload.request.destroy();
      expect(await upload.answer).toBeInstanceOf(Error);
      expect(tsa.requests()).toBe(0);
      const empty = (s: SequenceStore) => Promise.all([resultRows(s), s.listPending()]);
      expect(await withSequences(b, dir, empty)).toEqual([[], [] as PendingEntry[]]);

      const second = await serve(writeConfig(dir, b, { requestTimeoutMs: 1000, tsa: { url: services.tsaUrl, timeoutMs: 10_000 } }));
      try {
        // Two recovery passes' time: nothing is written.
        await new Promise((r) => setTimeout(r, 4500));
        expect(await readAudit(b, dir)).toEqual([]);
        expect(second.output()).not.toMatch(/audit record recovered/);
        // The retry takes the first code, and the request's own record is its only one.
        const retry = await send(second.url, SIGN_PATH, { 'content-type': 'application/pdf', 'idempotency-key': idem }, pdf).answer;
        if (retry instanceof Error) throw retry;
        expect(retry.status, retry.body.toString()).toBe(200);
        const code = String(retry.headers['x-kyso-result-code']);
        const records = await readAudit(b, dir);
        expect(records.map((r) => [r.operation, r.code, r.result])).toEqual([['sign', code, 'ok']]);
        expect(await withSequences(b, dir, empty)).toEqual([[expect.objectContaining({ note: code, state: 'confirmed' })], []]);
        await expectChainIntact(b, dir, 1);
      } finally {
        await kill(second);
      }
    } finally {
      await tsa.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
}

beforeAll(async () => {
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  pkiDir = tempDir('kyso-killed-pki-');
  p12 = join(pkiDir, 'agency.p12');
  const pki = services.pki;
  writeFileSync(p12, createPkcs12({ privateKey: pki.organisation.privateKey, certificate: pki.organisation.certDer, chain: [pki.issuing.certDer, pki.root.certDer], password: P12_PASSWORD }));
  apiKey = generateApiKey();
}, 60_000);

afterAll(async () => {
  const gone = children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((res) => c.once('exit', res))));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(gone);
  await services?.close();
  if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
});

describe('a killed instance leaves no code without its audit record: SQLite', () => {
  const sqlite: Backend = {
    name: 'sqlite',
    location: (dir) => ({ dataDir: join(dir, 'data') }),
    sequences: (dir) => SqliteSequenceStore.open({ dataDir: join(dir, 'data') }),
    audit: (dir) => openServerStore({ dataDir: join(dir, 'data') }),
    verifyArgs: (dir) => ['--data-dir', join(dir, 'data')],
  };
  scenarios(() => sqlite);
});

describe('a killed instance leaves no code without its audit record: PostgreSQL', () => {
  let unreachable: unknown;
  beforeAll(async () => {
    try {
      dbUrl = await testDatabaseUrl();
    } catch (e) {
      unreachable = e;
    }
  });
  afterAll(async () => {
    if (dbUrl) for (const s of schemas) await dropSchema(dbUrl, s);
  });
  // One schema per test directory, so each scenario starts empty.
  const schemaOf = new Map<string, string>();
  const schemaFor = (dir: string) => {
    let s = schemaOf.get(dir);
    if (!s) {
      s = uniqueSchema('killed');
      schemaOf.set(dir, s);
      schemas.push(s);
    }
    return s;
  };
  const postgres: Backend = {
    name: 'postgres',
    location: (dir) => ({ dataDir: join(dir, 'data'), databaseUrl: dbUrl, databaseSchema: schemaFor(dir) }),
    sequences: (dir) => PostgresSequenceStore.open({ connectionString: dbUrl, schema: schemaFor(dir), maxConnections: 2 }),
    audit: (dir) => openServerStore({ dataDir: join(dir, 'data'), databaseUrl: dbUrl, schema: schemaFor(dir) }),
    verifyArgs: (dir) => ['--database-url', dbUrl, '--schema', schemaFor(dir)],
  };
  scenarios(() => {
    // Fails (does not skip) without PostgreSQL.
    if (unreachable) throw unreachable;
    return postgres;
  });
});

describe('the audit outbox in one process', () => {
  it('every allocating route clears its notes once its record is in; the recovery names case and cert codes, and only clears a note whose record exists', async () => {
    const dataDir = tempDir('kyso-outbox-');
    const pki = services.pki;
    const signer = () => SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
    const server = await createServer(
      {
        port: 0,
        dataDir,
        identities: [
          { name: 'can-bo', agency: AGENCY, signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }) },
          { name: 'ubnd-xa', agency: AGENCY, signer: signer() },
        ],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(apiKey), identities: ['can-bo', 'ubnd-xa'], operations: ['sign', 'codes', 'audit'] }],
        trust: { extraRoots: [pki.root.certPem] },
      },
      // Notes of live requests must survive: these requests take well under the grace time.
      { auditRecovery: { intervalMs: 100, graceMs: 1500 } },
    );
    const url = await server.listen();
    const sequences = await SqliteSequenceStore.open({ dataDir });
    try {
      const json = (path: string, body: unknown, idem?: string) =>
        fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...(idem ? { 'idempotency-key': idem } : {}) }, body: JSON.stringify(body) });
      const answers = await Promise.all([
        json('/v1/codes/case', { identity: 'ubnd-xa', count: 2 }),
        json('/v1/codes/cert-number', { identity: 'ubnd-xa', book: 1 }, 'cert-1'),
        json('/v1/codes/result', { identity: 'ubnd-xa', owner: OWNER, type: 'G15.000021', suffix: 'outbox' }),
        fetch(`${url}/v1/certified-copies?officer=can-bo&agency=ubnd-xa&owner=052090000495&book=2`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/pdf', 'idempotency-key': 'copy-1' },
          body: samplePdf(),
        }),
      ]);
      for (const a of answers) expect(a.status, await a.clone().text()).toBe(200);
      // Each answer left its record and no note.
      expect(await sequences.listPending()).toEqual([]);
      expect((await server.store.listAudit({ limit: 100 })).map((r) => r.result)).toEqual(['ok', 'ok', 'ok', 'ok']);

      // Two requests killed after allocating: one before its record was appended, one after (its notes not yet cleared).
      const codes = new CodeAllocator({ store: sequences, actor: 'ubnd-xa/clerk' });
      const note = (requestId: string, operation: string) => ({
        ref: requestId,
        data: JSON.stringify({ time: new Date().toISOString(), keyId: KEY_ID, identity: 'ubnd-xa', operation, code: null, requestId }),
      });
      const lost = await codes.caseCodes(AGENCY, { count: 2, pending: note('lost-case', 'codes.case') });
      const lostCert = await codes.certNumbers(AGENCY, 1, { pending: note('lost-cert', 'codes.cert-number') });
      const [done] = await codes.certNumbers(AGENCY, 1, { pending: note('done-cert', 'codes.cert-number') });
      const doneCode = `${done!.year}-${done!.number}`;
      await server.store.appendAudit({ time: new Date().toISOString(), keyId: KEY_ID, identity: 'ubnd-xa', operation: 'codes.cert-number', inputSha256: null, outputSha256: null, code: doneCode, field: null, result: 'ok', status: 200 });
      expect(await sequences.listPending()).toHaveLength(3);

      await until('the notes cleared', async () => ((await sequences.listPending()).length === 0 ? true : undefined), 10_000);
      const records = await server.store.listAudit({ limit: 100 });
      const recovered = records.filter((r) => r.result === 'INTERRUPTED');
      expect(recovered.map((r) => [r.operation, r.code, r.status, r.keyId, r.identity])).toEqual([
        ['codes.case', lost.map((c) => c.code).join(','), 0, KEY_ID, 'ubnd-xa'],
        ['codes.cert-number', `${lostCert[0]!.year}-${lostCert[0]!.number}`, 0, KEY_ID, 'ubnd-xa'],
      ]);
      expect(records.filter((r) => r.code === doneCode)).toHaveLength(1);
      expect(await verifyAuditChain(server.store)).toMatchObject({ ok: true, records: records.length });
    } finally {
      await sequences.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
