/**
 * Scale-out: two `kyso serve` processes on one PostgreSQL schema hand out case
 * codes concurrently, then one of them is SIGKILLed in the middle of a load.
 * Codes must never repeat, the audit hash chain must stay intact, and every
 * answer a client actually received must be in the audit log with its code.
 *
 * The processes run the CLI from its TypeScript sources (tsx, with the root
 * tsconfig's paths), like the rest of the suite: they test the code as it is,
 * with no build step, and a concurrent rebuild of dist/ cannot pull modules
 * from under a running server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseCode } from '@kyso/core';
import { createPkcs12, loadOrCreateTestPki } from '@kyso/core/testing';
import { generateApiKey, hashApiKey, openServerStore, verifyAuditChain, type AuditRecord, type ServerStore } from '@kyso/server';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';
import { tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const KYSO = ['--import', 'tsx', resolve(ROOT, 'packages/cli/src/bin.ts')];
const KEY_ID = 'scale';
const AGENCY = '000.00.00.H56';
// Enough sockets to keep both servers' database pools busy without drowning a 2-core machine in connections.
const SOCKETS_PER_SERVER = 24;
// Each phase takes 3-15 s on a 2-core machine; the margin is for a machine shared with other suites.
const LOAD_TIMEOUT = 120_000;

interface Instance {
  name: string;
  child: ChildProcess;
  url: string;
  agent: http.Agent;
  exited: Promise<void>;
}

type Outcome =
  | { ok: true; via: string; idem: string; status: number; code: string | undefined; auditId: number | undefined; body: string }
  | { ok: false; via: string; idem: string; error: string };

let dbUrl = '';
const schema = uniqueSchema('scale');
let dir = '';
let configFile = '';
let apiKey = '';
let store: ServerStore | undefined;
const instances: Instance[] = [];
/** Every process spawned, listening or not, so that afterAll leaves none behind. */
const children: ChildProcess[] = [];
/** Every code a client received a 200 for, by idempotency key (a key may be answered more than once, always with the same code). */
const codeByKey = new Map<string, string>();
/** Idempotency keys whose request was lost when B was killed (phase 2). */
const diedWithB: string[] = [];
/** Every 200 answer received, across all phases. */
const answered: Extract<Outcome, { ok: true }>[] = [];

function startInstance(name: string): Promise<Instance> {
  const child = spawn(process.execPath, [...KYSO, 'serve', '--config', configFile, '--quiet'], {
    cwd: ROOT,
    // The configuration file alone decides where the data goes.
    env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', KYSO_DATABASE_SCHEMA: '', KYSO_PORT: '', KYSO_HOST: '', KYSO_DATA_DIR: '', SCALE_P12_PASSWORD: 'scale-out-pw' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return new Promise<Instance>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /kyso: listening on (http:\/\/\S+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const inst: Instance = { name, child, url: m[1]!, agent: new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_SERVER }), exited };
      instances.push(inst);
      res(inst);
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`${name} exited before listening (${child.exitCode ?? child.signalCode}):\n${out}`));
    });
  });
}

/** One HTTP request; never rejects, so a load can be awaited as a whole even when a server dies under it. */
function request(inst: Instance, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((res, rej) => {
    const req = http.request(new URL(path, inst.url), { method, agent: inst.agent, headers: { authorization: `Bearer ${apiKey}`, ...headers } }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => (text += d));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body: text }));
      r.on('error', rej);
    });
    req.on('error', rej);
    req.end(body);
  });
}

async function allocate(inst: Instance, idem: string): Promise<Outcome> {
  try {
    const r = await request(inst, 'POST', '/v1/codes/case', { 'content-type': 'application/json', 'idempotency-key': idem }, '{}');
    let code: string | undefined;
    if (r.status === 200) code = (JSON.parse(r.body) as { codes: { code: string }[] }).codes[0]?.code;
    const audit = r.headers['x-kyso-audit-id'];
    return { ok: true, via: inst.name, idem, status: r.status, code, auditId: typeof audit === 'string' ? Number(audit) : undefined, body: r.body };
  } catch (e) {
    return { ok: false, via: inst.name, idem, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

/** Records the 200s, and fails at once if a key ever maps to two codes or a code to two keys. */
function remember(outcomes: Outcome[]): void {
  const keyByCode = new Map([...codeByKey].map(([k, c]) => [c, k]));
  for (const o of outcomes) {
    if (!o.ok || o.status !== 200) continue;
    expect(o.code, o.body).toBeTypeOf('string');
    answered.push(o);
    const before = codeByKey.get(o.idem);
    if (before !== undefined) expect(o.code, `key ${o.idem} answered twice with different codes`).toBe(before);
    const owner = keyByCode.get(o.code!);
    if (owner !== undefined) expect(owner, `code ${o.code} given for two keys`).toBe(o.idem);
    codeByKey.set(o.idem, o.code!);
    keyByCode.set(o.code!, o.idem);
  }
}

async function readAudit(): Promise<Map<number, AuditRecord>> {
  const all = new Map<number, AuditRecord>();
  let after = 0;
  for (;;) {
    const page = await store!.listAudit({ after, limit: 1000 });
    for (const r of page) all.set(r.seq, r);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.seq;
  }
}

/** The chain checked three ways: in this process, by `kyso audit verify`, and by a server. */
async function expectChainIntact(via: Instance): Promise<Map<number, AuditRecord>> {
  const records = await readAudit();
  const local = await verifyAuditChain(store!);
  expect(local, JSON.stringify(local)).toMatchObject({ ok: true, records: records.size });

  const cli = spawn(process.execPath, [...KYSO, 'audit', 'verify', '--database-url', dbUrl, '--schema', schema, '--json'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const status = await new Promise<number | null>((res) => cli.once('close', (c) => res(c)));
  expect(status, err).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ ok: true, records: records.size, lastHash: local.lastHash });

  // The server's check is audited too, but its record is written after the check ran.
  const served = await request(via, 'GET', '/v1/audit/verify', {});
  expect(served.status, served.body).toBe(200);
  expect(JSON.parse(served.body)).toMatchObject({ ok: true, records: records.size, lastHash: local.lastHash });
  return readAudit();
}

/** Each 200 carries the id of an audit record of this very allocation. */
function expectAudited(outcomes: Extract<Outcome, { ok: true }>[], records: Map<number, AuditRecord>): void {
  const seen = new Set<number>();
  for (const o of outcomes) {
    expect(o.auditId, `${o.via} ${o.idem}: no x-kyso-audit-id`).toBeTypeOf('number');
    expect(seen.has(o.auditId!), `audit id ${o.auditId} given to two answers`).toBe(false);
    seen.add(o.auditId!);
    const r = records.get(o.auditId!);
    expect(r, `${o.via} ${o.idem}: audit record ${o.auditId} missing`).toBeDefined();
    expect({ operation: r!.operation, code: r!.code, status: r!.status, result: r!.result, keyId: r!.keyId }).toEqual({
      operation: 'codes.case',
      code: o.code,
      status: 200,
      result: 'ok',
      keyId: KEY_ID,
    });
  }
}

/** The case-code ledger as `<api key>:<idempotency key>` → `<YYYYMMDD>:<sequence>`. */
async function ledger(): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const rows = await client.query<{ value: string; idem_key: string; period: string }>(`SELECT value, idem_key, period FROM "${schema}".kyso_ledger WHERE kind = 'case'`);
    const out = new Map(rows.rows.map((r) => [r.idem_key, `${r.period}:${r.value}`]));
    expect(out.size, 'a ledger row without its own idempotency key').toBe(rows.rows.length);
    return out;
  } finally {
    await client.end();
  }
}

/** What the ledger must hold if exactly the codes clients received were allocated. */
function ledgerOfClients(): Map<string, string> {
  const pad = (n: number) => String(n).padStart(2, '0');
  return new Map(
    [...codeByKey].map(([k, c]) => {
      const p = parseCaseCode(c);
      return [`${KEY_ID}:${k}`, `${p.date.year}${pad(p.date.month)}${pad(p.date.day)}:${p.sequence}`];
    }),
  );
}

/** Each day's case codes run 1..n (a run may cross midnight in Vietnam, where the numbering restarts). */
function expectGapless(): void {
  const byDay = new Map<string, number[]>();
  for (const c of codeByKey.values()) {
    const p = parseCaseCode(c);
    const day = JSON.stringify(p.date);
    byDay.set(day, [...(byDay.get(day) ?? []), p.sequence]);
  }
  for (const seqs of byDay.values()) expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
}

function expectNoDuplicateCodes(): void {
  const codes = [...codeByKey.values()];
  expect(new Set(codes).size).toBe(codes.length);
}

beforeAll(async () => {
  dbUrl = await testDatabaseUrl();
  dir = tempDir('kyso-scale-');
  const pki = await loadOrCreateTestPki();
  const p12 = join(dir, 'agency.p12');
  writeFileSync(
    p12,
    createPkcs12({ privateKey: pki.organisation.privateKey, certificate: pki.organisation.certDer, chain: [pki.issuing.certDer, pki.root.certDer], password: 'scale-out-pw' }),
  );
  apiKey = generateApiKey();
  configFile = join(dir, 'kyso.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      dataDir: join(dir, 'data'),
      databaseUrl: dbUrl,
      databaseSchema: schema,
      // Codes need no signing threads; two idle pools per process would only cost start-up time.
      workers: 0,
      identities: [{ name: 'binh-dinh', agency: AGENCY, signer: { p12, passwordEnv: 'SCALE_P12_PASSWORD' } }],
      apiKeys: [{ id: KEY_ID, sha256: hashApiKey(apiKey), identities: ['binh-dinh'], operations: ['codes', 'audit'] }],
    }),
  );
  // Both start at once, racing on the schema creation as a real rollout would.
  await Promise.all([startInstance('A'), startInstance('B')]);
  instances.sort((x, y) => x.name.localeCompare(y.name));
  store = await openServerStore({ dataDir: join(dir, 'data'), databaseUrl: dbUrl, schema });
});

afterAll(async () => {
  for (const i of instances) i.agent.destroy();
  const gone = children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((res) => c.once('exit', res))));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(gone);
  await store?.close().catch(() => undefined);
  if (dbUrl) await dropSchema(dbUrl, schema);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two server processes on one PostgreSQL', () => {
  it('2,000 concurrent allocations over both: no duplicate, chain intact, every answer audited', async () => {
    const [a, b] = instances as [Instance, Instance];
    let issued = 0;
    let issuedAtFirstAnswer = -1;
    const load: Promise<Outcome>[] = [];
    for (let i = 0; i < 2000; i++) {
      load.push(
        allocate(i % 2 === 0 ? a : b, `p1-${i}`).then((o) => {
          if (issuedAtFirstAnswer < 0) issuedAtFirstAnswer = issued;
          return o;
        }),
      );
      issued++;
    }
    const outcomes = await Promise.all(load);
    expect(issuedAtFirstAnswer).toBe(2000);
    const failed = outcomes.filter((o) => !o.ok || o.status !== 200);
    expect(failed.slice(0, 5), `${failed.length} failed`).toEqual([]);
    remember(outcomes);
    expect(codeByKey.size).toBe(2000);
    expectNoDuplicateCodes();
    // The counter is shared: together the two processes used 1..2000 with no gap.
    expectGapless();

    // A client retrying on the other instance gets the code it was first given; a new key sent to both instances at
    // the same moment gets one code, whichever process wins the race.
    const replays = Array.from({ length: 20 }, (_, j) => 7 + j * 97).map((i) => allocate(i % 2 === 0 ? b : a, `p1-${i}`));
    const races = Array.from({ length: 20 }, (_, j) => [allocate(a, `race-${j}`), allocate(b, `race-${j}`)]).flat();
    const again = await Promise.all([...replays, ...races]);
    expect(again.every((o) => o.ok && o.status === 200), JSON.stringify(again.find((o) => !o.ok || o.status !== 200))).toBe(true);
    for (const r of again.slice(0, 20)) expect(r.ok && r.code === codeByKey.get(r.idem), JSON.stringify(r)).toBe(true);
    remember(again);
    expect(codeByKey.size).toBe(2020);
    expectNoDuplicateCodes();
    expectGapless();

    const records = await expectChainIntact(a);
    expectAudited(answered, records);
    expect([...records.values()].filter((r) => r.operation === 'codes.case').length).toBe(2060);
  }, LOAD_TIMEOUT);

  it('SIGKILL of one instance mid-load: no duplicate, no broken chain, every answer received is audited', async () => {
    const [a, b] = instances as [Instance, Instance];
    let done = 0;
    const load: Promise<Outcome>[] = [];
    for (let i = 0; i < 1000; i++) {
      load.push(
        allocate(i % 2 === 0 ? a : b, `p2-${i}`).then((o) => {
          done++;
          if (done === 333) b.child.kill('SIGKILL');
          return o;
        }),
      );
    }
    const outcomes = await Promise.all(load);
    await b.exited;
    expect(b.child.signalCode).toBe('SIGKILL');

    // A never falters; B answered until it died, then its clients saw errors (resets, refusals), never a wrong answer.
    const fromA = outcomes.filter((o) => o.via === 'A');
    const fromB = outcomes.filter((o) => o.via === 'B');
    expect(fromA.every((o) => o.ok && o.status === 200), JSON.stringify(fromA.find((o) => !o.ok || o.status !== 200))).toBe(true);
    const bAnswered = fromB.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const bFailed = fromB.filter((o) => !o.ok);
    expect(bAnswered.every((o) => o.status === 200), JSON.stringify(bAnswered.find((o) => o.status !== 200))).toBe(true);
    expect(bAnswered.length).toBeGreaterThan(50);
    expect(bFailed.length).toBeGreaterThan(50);
    remember(outcomes);
    expectNoDuplicateCodes();

    const records = await expectChainIntact(a);
    expectAudited(answered, records);

    // B died with requests in progress. Some of them may have committed their code (never delivered); only those could
    // have: a refused connection never reached B.
    const lostInFlight = bFailed.filter((o) => !o.ok && o.error !== 'ECONNREFUSED').length;
    expect(lostInFlight).toBeGreaterThan(0);
    const before = await ledger();
    const clients = ledgerOfClients();
    for (const [k, v] of clients) expect(before.get(k), k).toBe(v);
    expect(before.size - clients.size).toBeLessThanOrEqual(lostInFlight);

    // Clients of the dead instance retry on the survivor with the same key: an allocation B committed but never
    // delivered comes back as it was; one B never made is made now. Either way nothing is issued twice.
    diedWithB.push(...bFailed.map((o) => o.idem));
    const retried = await Promise.all(bFailed.map((o) => allocate(a, o.idem)));
    expect(retried.every((o) => o.ok && o.status === 200), JSON.stringify(retried.find((o) => !o.ok || o.status !== 200))).toBe(true);
    remember(retried);
    expect(codeByKey.size).toBe(3020);
    expectNoDuplicateCodes();
    expectAudited(answered, await expectChainIntact(a));
    expect(await ledger()).toEqual(ledgerOfClients());
  }, LOAD_TIMEOUT);

  it('the killed instance restarts and allocates on from the shared counter; the ledger holds exactly the codes clients got', async () => {
    const a = instances.find((i) => i.name === 'A')!;
    const b2 = await startInstance('B2');
    const load: Promise<Outcome>[] = [];
    for (let i = 0; i < 300; i++) load.push(allocate(i % 2 === 0 ? a : b2, `p3-${i}`));
    // Keys whose first attempt died with B, asked once more of its successor.
    for (const k of diedWithB.slice(0, 30)) load.push(allocate(b2, k));
    const outcomes = await Promise.all(load);
    expect(outcomes.every((o) => o.ok && o.status === 200), JSON.stringify(outcomes.find((o) => !o.ok || o.status !== 200))).toBe(true);
    remember(outcomes);
    expect(codeByKey.size).toBe(3320);
    expectNoDuplicateCodes();
    expectAudited(answered, await expectChainIntact(b2));

    // No allocation was lost or orphaned by the kill: the ledger is exactly the key → code map the clients hold,
    // and a transaction cut off by the kill took its counter increment with it.
    expect(await ledger()).toEqual(ledgerOfClients());
    expectGapless();
  }, LOAD_TIMEOUT);
});
