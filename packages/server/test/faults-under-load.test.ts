/**
 * Faults while the service is under load (issue 17, part 3). Each describe
 * has a server of its own, a closed-loop load of concurrent clients, and a
 * real fault in the middle of it:
 *
 *  1. the PKCS#11 token (SoftHSM2) goes away: its token directory is
 *     renamed, then put back;
 *  2. PostgreSQL is stopped for ~3 s, then started again;
 *  3. the SQLite volume (a tmpfs) fills up, then space is freed;
 *  4. the TSA is slow, then answers garbage; the OCSP responder answers garbage.
 *
 * While a fault lasts, answers are 200 or typed refusals (code, English and
 * Vietnamese messages); afterwards the same server answers 200 again, no code
 * is given twice or lost, no half-written document leaves, the audit chain
 * verifies and holds exactly one record per answered request. Each describe
 * prints one summary line (`[faults] …`) with its figures.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseCode, SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { PostgresSequenceStore, SqliteSequenceStore, type Allocation, type SequenceStore } from '@kyso/core/codes';
import { createPkcs12, createTestPki, loadOrCreateTestPki, startTestServices, type TestPki, type TestServices } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, openServerStore, verifyAuditChain, type AuditRecord, type KysoServer, type ServerStore } from '@kyso/server';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../../pkcs11/test/softhsm.js';
import { countsByStatus, cuttableLink, expectOneRecordPerAnswer, type CutLink, expectTyped, killAll, readAudit, recoveryMs, runLoad, send, serveChild, sleep, type Child, type Outcome } from './faults-load.js';
import { LogCapture, samplePdf, tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const BIN = resolve(ROOT, 'packages/cli/dist/bin.js');
const AGENCY = '000.00.00.H56';
const OWNER = '001090000001';
const RESULT_TYPE = 'G15.000021';
const TIMEOUT = 60_000;

/** A signed PDF that is whole: the input, then one incremental update ending in %%EOF. */
function expectWholePdf(o: Outcome, input: Buffer): void {
  expect(o.body.length, `${o.idem}: signed PDF shorter than its input`).toBeGreaterThan(input.length);
  expect(o.body.subarray(0, input.length).equals(input), `${o.idem}: the input is not a prefix of the answer`).toBe(true);
  expect(o.body.subarray(-7).toString('latin1'), `${o.idem}: no %%EOF at the end`).toMatch(/%%EOF\s*$/);
}

function summary(name: string, fields: Record<string, unknown>): void {
  console.log(`[faults] ${name}: ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' | ')}`);
}

/** Ledger rows whose idempotency key is one of ours (`<api key id>:<idem>[#sign]`), by that idem. */
function ledgerByIdem(rows: Allocation[], keyId: string, suffix = ''): Map<string, Allocation> {
  const m = new Map<string, Allocation>();
  for (const r of rows) {
    const k = r.idempotencyKey;
    if (!k || !k.startsWith(`${keyId}:`) || !k.endsWith(suffix)) continue;
    const idem = k.slice(keyId.length + 1, k.length - suffix.length);
    expect(m.has(idem), `two ledger rows for ${idem}`).toBe(false);
    m.set(idem, r);
  }
  return m;
}

/** Values 1..n of each counter, none missing, none twice. */
function expectContiguous(rows: Allocation[]): void {
  const by = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${r.kind}/${r.agency}/${r.period}`;
    by.set(k, [...(by.get(k) ?? []), r.value]);
  }
  for (const [k, vs] of by) expect(vs.sort((a, b) => a - b), k).toEqual(Array.from({ length: vs.length }, (_, i) => i + 1));
}

// ---------------------------------------------------------------------------------------------------------------

describe('1. the PKCS#11 token fails mid-load', () => {
  const PIN = '493817';
  const KEY_ID = 'hsm-clerk';
  let pki: TestPki;
  let token: SoftHsmToken;
  let server: KysoServer;
  let url: string;
  let key: string;
  let dir: string;
  const log = new LogCapture();

  beforeAll(async () => {
    pki = await loadOrCreateTestPki();
    token = await createSoftHsmToken({ pki, label: 'HSM Faults', pin: PIN, keys: [{ label: 'seal', id: '01', keyType: 'EC:prime256v1', kind: 'organisation' }] });
    dir = tempDir('kyso-faults-hsm-');
    key = generateApiKey();
    process.env.KYSO_FAULTS_HSM_PIN = PIN;
    server = await createServer(
      {
        port: 0,
        dataDir: join(dir, 'data'),
        workers: 1,
        identities: [{ name: 'hsm', agency: AGENCY, signer: { pkcs11: { module: SOFTHSM_MODULE, token: 'HSM Faults', key: 'seal', pinEnv: 'KYSO_FAULTS_HSM_PIN' } } }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['hsm'], operations: ['sign', 'audit', 'codes'] }],
        trust: { extraRoots: [pki.root.certPem] },
      },
      { logStream: log },
    );
    url = await server.listen();
  }, TIMEOUT);
  afterAll(async () => {
    // The token directory is always put back (the fault's end runs in a finally too).
    const tokens = join(token?.dir ?? '/nonexistent', 'tokens');
    if (token && !existsSync(tokens) && existsSync(`${tokens}.away`)) renameSync(`${tokens}.away`, tokens);
    await server?.close();
    delete process.env.KYSO_FAULTS_HSM_PIN;
  });

  it('8 clients × 6 s of signatures with allocateResultCode; the token directory renamed away for 2 s: 200 or typed 503 PKCS11_*, recovery without restart, codes distinct and confirmed, one audit record per answer', async () => {
    const pdf = samplePdf();
    const tokens = join(token.dir, 'tokens');
    // One owner per request: the default suffix (the date) allows one result code per owner, type and day.
    let owners = 0;
    const ownerOf = new Map<string, string>();
    const sign = (idem: string) => {
      if (!ownerOf.has(idem)) ownerOf.set(idem, `001090${String(++owners).padStart(6, '0')}`);
      return {
      kind: 'sign',
      idem,
      path: `/v1/sign?allocateResultCode=true&owner=${ownerOf.get(idem)}&resultType=${RESULT_TYPE}`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf', 'idempotency-key': idem },
      body: pdf,
      };
    };
    const FAULT_AT = 1500;
    const FAULT_MS = 2000;
    let faultStart = 0;
    let faultEnd = 0;
    const load = await runLoad({
      base: url,
      clients: 8,
      durationMs: 6000,
      next: (c, n) => sign(`hsm-${c}-${n}`),
      events: [
        { name: 'away', at: FAULT_AT, run: () => renameSync(tokens, `${tokens}.away`) },
        { name: 'back', at: FAULT_AT + FAULT_MS, run: () => renameSync(`${tokens}.away`, tokens) },
      ],
    });
    faultStart = load.marks.away!;
    faultEnd = load.marks.back!;
    const outcomes = load.outcomes;
    // After the load: the same server, no restart, must sign again. Polled for up to 10 s after the token came back.
    const agent = new http.Agent({ keepAlive: true });
    const after: Outcome[] = [];
    for (let i = 0; Date.now() - load.t0 < faultEnd + 10_000; i++) {
      const o = await send(url, agent, sign(`hsm-after-${i}`), load.t0);
      after.push(o);
      if (o.status === 200) break;
      await sleep(250);
    }
    const all = [...outcomes, ...after];
    const recovered = after.some((o) => o.status === 200) || outcomes.some((o) => o.status === 200 && o.sentAt >= faultEnd);

    const during = outcomes.filter((o) => o.sentAt >= faultStart && o.sentAt < faultEnd);
    const afterFault = outcomes.filter((o) => o.sentAt >= faultEnd);
    summary('pkcs11 token removed (SoftHSM tokendir renamed away 2 s, 8 clients x 6 s)', {
      requests: outcomes.length,
      statuses: countsByStatus(outcomes),
      beforeFault: countsByStatus(outcomes.filter((o) => o.sentAt < faultStart)),
      duringFault: countsByStatus(during),
      afterTokenBack: countsByStatus(afterFault),
      pollAfterLoad: countsByStatus(after),
      recoveryMs: recoveryMs(all, faultEnd) ?? 'never (within 10 s)',
      fault: `${faultStart}-${faultEnd}ms`,
    });

    expectTyped(all, { 503: /^PKCS11_[A-Z_]+$/ });
    const ok = all.filter((o) => o.status === 200);
    const refused = all.filter((o) => o.status !== 200);
    for (const o of ok) expectWholePdf(o, pdf);
    const signed = await verifyPdf(new Uint8Array(ok[ok.length - 1]!.body), { trustStore: TrustStore.fromPem(pki.root.certPem) });
    expect(signed.signatures[0]!.indication).toBe('TOTAL_PASSED');
    // A refusal carries no document and no result code.
    for (const o of refused) expect(o.resultCode, o.idem).toBeUndefined();

    // Every 200 has a distinct result code.
    const codes = ok.map((o) => o.resultCode);
    expect(codes.every((c) => typeof c === 'string')).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);

    // The ledger: the code of every 200 confirmed; a refused request's code reserved for its retry; nothing else.
    const sequences = await SqliteSequenceStore.open({ dataDir: join(dir, 'data') });
    let states: Record<string, number> = {};
    try {
      const rows = (await sequences.ledger({ kind: 'result' })) as Allocation[];
      const byIdem = ledgerByIdem(rows, KEY_ID, '#sign');
      for (const o of ok) {
        const row = byIdem.get(o.idem);
        expect(row, `${o.idem}: no ledger row`).toBeDefined();
        expect({ state: row!.state, note: row!.note }, o.idem).toEqual({ state: 'confirmed', note: o.resultCode });
      }
      for (const o of refused) {
        const row = byIdem.get(o.idem);
        // Refused before its code was reserved (no row), or reserved for the retry.
        if (row) expect(row.state, o.idem).toBe('reserved');
      }
      expect(rows.length).toBe(byIdem.size);
      expect(byIdem.size).toBeLessThanOrEqual(all.length);
      states = rows.reduce<Record<string, number>>((m, r) => ({ ...m, [r.state]: (m[r.state] ?? 0) + 1 }), {});
      expectContiguous(rows);
    } finally {
      await sequences.close();
    }

    const records = await readAudit(server.store);
    const check = await verifyAuditChain(server.store);
    expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: records.size });
    const counted = expectOneRecordPerAnswer(all, records, ['sign']);
    summary('pkcs11 ledger and audit', { answered: all.length, auditRecords: counted.audited, unaudited: counted.unaudited, ledger: states, chain: check.ok ? 'intact' : 'BROKEN' });

    // The fault must have been felt, or the test proved nothing.
    expect(refused.length, 'SoftHSM kept signing with its token directory gone').toBeGreaterThan(0);
    // Recovery without a restart; then a refused request's retry with the same key signs with its reserved code.
    expect(recovered, `no 200 within 10 s of the token coming back: ${countsByStatus(after)}`).toBe(true);
    const retries = await Promise.all(refused.slice(0, 20).map((o) => send(url, agent, sign(o.idem), load.t0)));
    expect(retries.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`)).toEqual([]);
    expectOneRecordPerAnswer([...all, ...retries], await readAudit(server.store), ['sign']);
    agent.destroy();
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------------------------

function caseCodeOf(o: Outcome): string | undefined {
  if (o.status !== 200) return undefined;
  return (JSON.parse(o.body.toString('utf8')) as { codes: { code: string }[] }).codes[0]?.code;
}

/** `kyso audit verify --json` as an operator runs it. */
function cliAuditVerify(args: string[]): { status: number | null; out: string; err: string } {
  try {
    const out = execFileSync(process.execPath, [BIN, 'audit', 'verify', ...args, '--json'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', KYSO_DATA_DIR: '' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, out, err: '' };
  } catch (e) {
    const x = e as { status: number | null; stdout?: string; stderr?: string };
    return { status: x.status, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

describe('2. PostgreSQL unreachable mid-load (the link to it cut, then restored)', () => {
  const KEY_ID = 'pg-clerk';
  const P12_PASSWORD = 'faults-pg-pw';
  let pki: TestPki;
  let inst: Child;
  let url: string;
  let key: string;
  let dbUrl = '';
  let link: CutLink;
  let dir = '';
  let store: ServerStore | undefined;
  const schema = uniqueSchema('faults');
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    pki = await loadOrCreateTestPki();
    dbUrl = await testDatabaseUrl();
    link = await cuttableLink(dbUrl);
    key = generateApiKey();
    dir = tempDir('kyso-faults-pg-');
    const p12 = join(dir, 'agency.p12');
    writeFileSync(p12, createPkcs12({ privateKey: pki.organisation.privateKey, certificate: pki.organisation.certDer, chain: [pki.issuing.certDer, pki.root.certDer], password: P12_PASSWORD }));
    const config = join(dir, 'kyso.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: '127.0.0.1',
        port: 0,
        dataDir: join(dir, 'data'),
        // Through the relay: the link is cut, the database the rest of the suite shares stays up.
        databaseUrl: link.url,
        databaseSchema: schema,
        // Signing on the main thread (a supported set-up) keeps its event loop busy, as a loaded instance's is.
        workers: 0,
        // The audit recovery pass runs every 2 × requestTimeoutMs (5 s here): notes left by requests the outage cut off are recorded within the test.
        requestTimeoutMs: 2500,
        identities: [{ name: 'binh-dinh', agency: AGENCY, signer: { p12, passwordEnv: 'FAULTS_P12_PASSWORD' } }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['sign', 'codes', 'audit'] }],
        trust: { extraRoots: [pki.root.certPem] },
      }),
    );
    inst = await serveChild(BIN, ROOT, config, { FAULTS_P12_PASSWORD: P12_PASSWORD }, children);
    url = inst.url;
  }, TIMEOUT);
  afterAll(async () => {
    await killAll(children);
    await link?.close();
    await store?.close().catch(() => undefined);
    if (dbUrl) await dropSchema(dbUrl, schema).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('12 clients of case codes and 2 of B-B signatures for 9 s, PostgreSQL down ~3 s: typed 503s, recovery without restart, codes unique and gapless, one audit record per answer', async () => {
    const pdf = samplePdf();
    const auth = { authorization: `Bearer ${key}` };
    const caseReq = (idem: string) => ({ kind: 'case', idem, path: '/v1/codes/case', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': idem }, body: '{}' });
    const signReq = (idem: string) => ({ kind: 'sign', idem, path: '/v1/sign', headers: { ...auth, 'content-type': 'application/pdf' }, body: pdf });
    const load = await runLoad({
      base: url,
      // Many allocations in flight when PostgreSQL goes: each holds a pooled client inside a transaction.
      clients: 14,
      durationMs: 9000,
      next: (c, n) => (c < 12 ? caseReq(`pg-${c}-${n}`) : signReq(`pg-sign-${c}-${n}`)),
      events: [
        { name: 'stopped', at: 2000, run: () => link.cut() },
        { name: 'started', at: 4500, run: () => link.restore() },
      ],
    });
    const downFrom = load.marks['stopped:start']!;
    const upAt = load.marks.started!;
    const outcomes = load.outcomes;

    // Polled for up to 10 s after the start.
    const agent = new http.Agent({ keepAlive: true });
    const after: Outcome[] = [];
    for (let i = 0; Date.now() - load.t0 < upAt + 10_000; i++) {
      const o = await send(url, agent, caseReq(`pg-after-${i}`), load.t0);
      after.push(o);
      if (o.status === 200) break;
      await sleep(250);
    }
    const all = [...outcomes, ...after];
    const during = outcomes.filter((o) => o.doneAt >= downFrom && o.sentAt < upAt);
    summary('postgresql stopped ~3 s (14 clients x 9 s: 12 case codes, 2 B-B)', {
      requests: outcomes.length,
      cases: countsByStatus(outcomes.filter((o) => o.kind === 'case')),
      signs: countsByStatus(outcomes.filter((o) => o.kind === 'sign')),
      duringOutage: countsByStatus(during),
      afterStart: countsByStatus(outcomes.filter((o) => o.sentAt >= upAt)),
      pollAfterLoad: countsByStatus(after),
      outage: `${downFrom}-${upAt}ms (stop took ${load.marks.stopped! - downFrom} ms, start ${upAt - load.marks['started:start']!} ms)`,
      recoveryMs: recoveryMs(all, upAt, 'case') ?? 'never (within 10 s)',
      recoveryMsSign: recoveryMs(all, upAt, 'sign') ?? 'none',
    });

    // The process survived the outage (an unhandled 'error' event of a pg client would have killed it).
    expect({ exitCode: inst.child.exitCode, signal: inst.child.signalCode }, inst.output().slice(-3000)).toEqual({ exitCode: null, signal: null });
    store = await openServerStore({ dataDir: join(dir, 'data'), databaseUrl: dbUrl, schema });
    const ok = all.filter((o) => o.status === 200);
    for (const o of ok.filter((x) => x.kind === 'sign')) expectWholePdf(o, pdf);
    // Codes given so far are unique.
    const given = new Map<string, string>();
    for (const o of ok.filter((x) => x.kind === 'case')) given.set(o.idem, caseCodeOf(o)!);
    expect(new Set(given.values()).size).toBe(given.size);

    // The audit log: one record per answered request (a 503 AUDIT_UNAVAILABLE has none), chain intact; the
    // recovery pass may add INTERRUPTED records for allocations whose request could not write its own.
    const settle = async () => {
      await sleep(11_000); // > graceMs + interval (5 s each): the recovery pass has run over every note the outage left
      return readAudit(store!);
    };
    let records = await settle();
    const interrupted = (r: AuditRecord) => r.result === 'INTERRUPTED';
    const first = expectOneRecordPerAnswer(all, records, ['codes.case', 'sign'], interrupted);
    // An INTERRUPTED record is for an allocation whose answer could not be audited.
    const unauditedIdems = new Set(all.filter((o) => o.auditId === undefined && o.status !== 0).map((o) => o.idem));
    expect(first.extra.length).toBeLessThanOrEqual(unauditedIdems.size);
    let check = await verifyAuditChain(store!);
    expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: records.size });

    expect(all.filter((o) => o.status !== 200).length, 'the outage was not felt').toBeGreaterThan(0);
    expect(after.some((o) => o.status === 200) || outcomes.some((o) => o.status === 200 && o.sentAt >= upAt), 'no recovery without restart').toBe(true);

    // Every refused allocation asked again with its key: a code committed before the refusal comes back, one never made
    // is made now. Then the ledger holds exactly the codes clients hold, 1..n for the day.
    const retry = await Promise.all(all.filter((o) => o.kind === 'case' && o.status !== 200).map((o) => send(url, agent, caseReq(o.idem), load.t0)));
    agent.destroy();
    expect(retry.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`)).toEqual([]);
    for (const o of retry) given.set(o.idem, caseCodeOf(o)!);
    expect(new Set(given.values()).size).toBe(given.size);
    const sequences = await PostgresSequenceStore.open({ connectionString: dbUrl, schema, maxConnections: 2 });
    try {
      const rows = (await sequences.ledger({ kind: 'case' })) as Allocation[];
      const byIdem = ledgerByIdem(rows, KEY_ID);
      expect(rows.length).toBe(byIdem.size);
      const pad = (n: number) => String(n).padStart(2, '0');
      const expected = new Map([...given].map(([k, c]) => {
        const p = parseCaseCode(c);
        return [k, `${p.date.year}${pad(p.date.month)}${pad(p.date.day)}:${p.sequence}`];
      }));
      expect(new Map([...byIdem].map(([k, r]) => [k, `${r.period}:${r.value}`]))).toEqual(expected);
      expectContiguous(rows);
    } finally {
      await sequences.close();
    }
    records = await readAudit(store!);
    const second = expectOneRecordPerAnswer([...all, ...retry], records, ['codes.case', 'sign'], interrupted);
    check = await verifyAuditChain(store!);
    expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: records.size });
    const cli = cliAuditVerify(['--database-url', dbUrl, '--schema', schema]);
    expect(cli.status, cli.err).toBe(0);
    expect(JSON.parse(cli.out)).toMatchObject({ ok: true, records: records.size });
    summary('postgresql ledger and audit', { answered: all.length + retry.length, auditRecords: second.audited, unaudited: second.unaudited, interruptedRecords: second.extra.length, retriedAllocations: retry.length, codes: given.size, chain: 'intact (in process and kyso audit verify)' });
    // Typed refusals only: 503 while the database is down (the codes: see the summary line).
    expectTyped(all, { 503: /^[A-Z][A-Z0-9_]+$/ });
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------------------------

/** Writes zeros into `file` until the volume says ENOSPC; returns the bytes written. */
function fillVolume(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw e;
      }
    }
    // The last bytes a partial chunk would not take.
    for (const size of [4096, 512, 1]) {
      for (;;) {
        try {
          written += writeSync(fd, chunk.subarray(0, size));
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

describe('3. the SQLite volume fills up mid-load', () => {
  const KEY_ID = 'disk-clerk';
  const P12_PASSWORD = 'faults-disk-pw';
  let pki: TestPki;
  let inst: Child;
  let url: string;
  let key: string;
  let dir = '';
  let vol = '';
  let mounted = false;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    pki = await loadOrCreateTestPki();
    key = generateApiKey();
    dir = tempDir('kyso-faults-disk-');
    vol = join(dir, 'vol');
    mkdirSync(vol);
    // A 16 MiB tmpfs of its own for the data directory (the sandbox runs as root and allows it).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', vol]);
    mounted = true;
    const p12 = join(dir, 'agency.p12');
    writeFileSync(p12, createPkcs12({ privateKey: pki.organisation.privateKey, certificate: pki.organisation.certDer, chain: [pki.issuing.certDer, pki.root.certDer], password: P12_PASSWORD }));
    const config = join(dir, 'kyso.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: '127.0.0.1',
        port: 0,
        dataDir: join(vol, 'data'),
        workers: 1,
        requestTimeoutMs: 2500,
        identities: [{ name: 'binh-dinh', agency: AGENCY, signer: { p12, passwordEnv: 'FAULTS_P12_PASSWORD' } }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['sign', 'codes', 'audit'] }],
        trust: { extraRoots: [pki.root.certPem] },
      }),
    );
    inst = await serveChild(BIN, ROOT, config, { FAULTS_P12_PASSWORD: P12_PASSWORD }, children);
    url = inst.url;
  }, TIMEOUT);
  afterAll(async () => {
    await killAll(children);
    if (mounted) {
      try {
        execFileSync('umount', [vol]);
      } catch {
        execFileSync('umount', ['-l', vol]);
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('6 clients of case codes and 2 of B-B signatures for 8 s, the data volume full for 2.5 s: typed 503s, no crash, recovery, integrity_check ok, chain intact', async () => {
    const pdf = samplePdf();
    const auth = { authorization: `Bearer ${key}` };
    const filler = join(vol, 'filler');
    const caseReq = (idem: string) => ({ kind: 'case', idem, path: '/v1/codes/case', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': idem }, body: '{}' });
    const signReq = (idem: string) => ({ kind: 'sign', idem, path: '/v1/sign', headers: { ...auth, 'content-type': 'application/pdf' }, body: pdf });
    let filled = 0;
    let freeBefore = 0;
    const load = await runLoad({
      base: url,
      clients: 8,
      durationMs: 8000,
      next: (c, n) => (c < 6 ? caseReq(`disk-${c}-${n}`) : signReq(`disk-sign-${c}-${n}`)),
      events: [
        {
          name: 'full',
          at: 2000,
          run: () => {
            const st = statfsSync(vol);
            freeBefore = st.bavail * st.bsize;
            filled = fillVolume(filler);
          },
        },
        { name: 'freed', at: 4500, run: () => rmSync(filler, { force: true }) },
      ],
    });
    const fullAt = load.marks.full!;
    const freedAt = load.marks.freed!;
    const outcomes = load.outcomes;
    const agent = new http.Agent({ keepAlive: true });
    const after: Outcome[] = [];
    for (let i = 0; Date.now() - load.t0 < freedAt + 10_000; i++) {
      const o = await send(url, agent, caseReq(`disk-after-${i}`), load.t0);
      after.push(o);
      if (o.status === 200) break;
      await sleep(250);
    }
    const all = [...outcomes, ...after];
    const alive = inst.child.exitCode === null && inst.child.signalCode === null;
    summary('sqlite volume full 2.5 s (16 MiB tmpfs; 8 clients x 8 s: 6 case codes, 2 B-B)', {
      requests: outcomes.length,
      cases: countsByStatus(outcomes.filter((o) => o.kind === 'case')),
      signs: countsByStatus(outcomes.filter((o) => o.kind === 'sign')),
      whileFull: countsByStatus(outcomes.filter((o) => o.sentAt >= fullAt && o.sentAt < freedAt)),
      afterFreed: countsByStatus(outcomes.filter((o) => o.sentAt >= freedAt)),
      pollAfterLoad: countsByStatus(after),
      full: `${fullAt}-${freedAt}ms (filler ${(filled / 1048576).toFixed(1)} MiB of ${(freeBefore / 1048576).toFixed(1)} MiB free)`,
      recoveryMs: recoveryMs(all, freedAt, 'case') ?? 'never (within 10 s)',
      recoveryMsSign: recoveryMs(all, freedAt, 'sign') ?? 'none',
      processAlive: alive,
    });
    expect(alive, inst.output().slice(-3000)).toBe(true);
    const ok = all.filter((o) => o.status === 200);
    for (const o of ok.filter((x) => x.kind === 'sign')) expectWholePdf(o, pdf);
    expect(all.filter((o) => o.status !== 200).length, 'the full volume was not felt').toBeGreaterThan(0);
    const recovered = after.some((o) => o.status === 200) || outcomes.some((o) => o.status === 200 && o.sentAt >= freedAt);

    // Retry every refused allocation with its key once the volume has room (if the service recovered).
    const retry = recovered ? await Promise.all(all.filter((o) => o.kind === 'case' && o.status !== 200).map((o) => send(url, agent, caseReq(o.idem), load.t0))) : [];
    agent.destroy();
    // Stopped cleanly (SIGTERM drains and closes the databases), then the files are checked with SQLite itself.
    inst.child.kill('SIGTERM');
    await inst.exited;
    const integrity: Record<string, string> = {};
    for (const f of ['sequences.sqlite', 'server.sqlite']) {
      const db = new Database(join(vol, 'data', f), { readonly: true, fileMustExist: true });
      try {
        integrity[f] = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
      } finally {
        db.close();
      }
    }
    const store = await openServerStore({ dataDir: join(vol, 'data') });
    const sequences = await SqliteSequenceStore.open({ dataDir: join(vol, 'data') });
    try {
      const records = await readAudit(store);
      const check = await verifyAuditChain(store);
      const counted = expectOneRecordPerAnswer([...all, ...retry], records, ['codes.case', 'sign'], (r) => r.result === 'INTERRUPTED');
      const rows = (await sequences.ledger({ kind: 'case' })) as Allocation[];
      const cli = cliAuditVerify(['--data-dir', join(vol, 'data')]);
      summary('sqlite ledger and audit', {
        integrity,
        answered: all.length + retry.length,
        auditRecords: counted.audited,
        unaudited: counted.unaudited,
        interruptedRecords: counted.extra.length,
        retried: countsByStatus(retry),
        ledgerRows: rows.length,
        chain: check.ok ? 'intact' : JSON.stringify(check),
        cli: cli.status,
      });
      expect(integrity).toEqual({ 'sequences.sqlite': 'ok', 'server.sqlite': 'ok' });
      expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: records.size });
      expect(cli.status, cli.err).toBe(0);
      expect(JSON.parse(cli.out)).toMatchObject({ ok: true, records: records.size });
      expect(recovered, `no 200 within 10 s of freeing space: ${countsByStatus(after)}`).toBe(true);
      expect(retry.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`)).toEqual([]);
      // Codes unique; the ledger holds exactly the codes clients hold, 1..n for the day.
      const given = new Map<string, string>();
      for (const o of [...ok, ...retry].filter((x) => x.kind === 'case')) given.set(o.idem, caseCodeOf(o)!);
      expect(new Set(given.values()).size).toBe(given.size);
      const byIdem = ledgerByIdem(rows, KEY_ID);
      expect(rows.length).toBe(byIdem.size);
      const pad = (n: number) => String(n).padStart(2, '0');
      expect(new Map([...byIdem].map(([k, r]) => [k, `${r.period}:${r.value}`]))).toEqual(
        new Map(
          [...given].map(([k, c]) => {
            const p = parseCaseCode(c);
            return [k, `${p.date.year}${pad(p.date.month)}${pad(p.date.day)}:${p.sequence}`];
          }),
        ),
      );
      expectContiguous(rows);
    } finally {
      await sequences.close();
      await store.close();
    }
    expectTyped(all, { 503: /^[A-Z][A-Z0-9_]+$/ });
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------------------------

describe('4. the TSA slow, then answering garbage; the OCSP responder answering garbage', () => {
  const KEY_ID = 'tsa-clerk';
  let services: TestServices;
  let server: KysoServer;
  let url: string;
  let key: string;
  const log = new LogCapture();

  beforeAll(async () => {
    services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
    key = generateApiKey();
    const pki = services.pki;
    server = await createServer(
      {
        port: 0,
        dataDir: tempDir('kyso-faults-tsa-'),
        workers: 2,
        identities: [{ name: 'binh-dinh', agency: AGENCY, signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['sign', 'audit'] }],
        trust: { extraRoots: [pki.root.certPem] },
        tsa: { url: services.tsaUrl, timeoutMs: 1500 },
      },
      { logStream: log },
    );
    url = await server.listen();
  }, TIMEOUT);
  afterAll(async () => {
    await services?.setMode('normal').catch(() => undefined);
    await server?.close();
    await services?.close();
  });

  it('B-T, B-LT and B-B for 11 s; TSA slow (3 s > 1.5 s timeout), then garbage, then OCSP garbage: typed 502/503/504 for the levels that need them, B-B always 200, recovery when normal', async () => {
    const pdf = samplePdf();
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/pdf' };
    const levels = ['B-T', 'B-T', 'B-T', 'B-LT', 'B-LT', 'B-B', 'B-B', 'B-B'];
    const phases = { slow: 1500, garbage: 4000, normal: 6000, ocspGarbage: 7500, ocspNormal: 9500 };
    const load = await runLoad({
      base: url,
      clients: levels.length,
      durationMs: 11_000,
      next: (c, n) => ({ kind: levels[c]!, idem: `tsa-${c}-${n}`, path: `/v1/sign?level=${levels[c]}`, headers: auth, body: pdf }),
      events: [
        { name: 'slow', at: phases.slow, run: () => services.setMode('slow', { delayMs: 3000, services: ['tsa'] }) },
        { name: 'garbage', at: phases.garbage, run: () => services.setMode('garbage', { services: ['tsa'] }) },
        { name: 'normal', at: phases.normal, run: () => services.setMode('normal') },
        { name: 'ocspGarbage', at: phases.ocspGarbage, run: () => services.setMode('garbage', { services: ['ocsp'] }) },
        { name: 'ocspNormal', at: phases.ocspNormal, run: () => services.setMode('normal') },
      ],
    });
    const m = load.marks;
    const outcomes = load.outcomes;
    const inPhase = (from: number, to: number, kind?: string) => outcomes.filter((o) => o.sentAt >= from && o.sentAt < to && (kind === undefined || o.kind === kind));
    summary('tsa slow 2.5 s, tsa garbage 2 s, ocsp garbage 2 s (8 clients x 11 s: 3 B-T, 2 B-LT, 3 B-B)', {
      requests: outcomes.length,
      'B-T': countsByStatus(outcomes.filter((o) => o.kind === 'B-T')),
      'B-LT': countsByStatus(outcomes.filter((o) => o.kind === 'B-LT')),
      'B-B': countsByStatus(outcomes.filter((o) => o.kind === 'B-B')),
      tsaSlow: ['B-T', 'B-LT', 'B-B'].map((k) => `${k} ${countsByStatus(inPhase(m.slow!, m.garbage!, k))}`).join(', '),
      tsaGarbage: ['B-T', 'B-LT', 'B-B'].map((k) => `${k} ${countsByStatus(inPhase(m.garbage!, m.normal!, k))}`).join(', '),
      ocspGarbage: ['B-T', 'B-LT', 'B-B'].map((k) => `${k} ${countsByStatus(inPhase(m.ocspGarbage!, m.ocspNormal!, k))}`).join(', '),
      recoveryMsBT: recoveryMs(outcomes, m.normal!, 'B-T') ?? 'never',
      recoveryMsBLT: recoveryMs(outcomes, m.ocspNormal!, 'B-LT') ?? 'never',
      tsaRequests: services.requests.tsa,
      ocspRequests: services.requests.ocsp,
    });

    // B-B needs neither: always 200, whole.
    const bb = outcomes.filter((o) => o.kind === 'B-B');
    expect(bb.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`)).toEqual([]);
    for (const o of outcomes.filter((x) => x.status === 200)) expectWholePdf(o, pdf);
    // The levels that need the TSA: 200 or typed 502/503/504.
    expectTyped(outcomes, { 502: /^[A-Z][A-Z0-9_]+$/, 503: /^[A-Z][A-Z0-9_]+$/, 504: /^[A-Z][A-Z0-9_]+$/ });
    // Each fault was felt by B-T, and B-T recovered without a restart.
    expect(inPhase(m.slow!, m.garbage!, 'B-T').filter((o) => o.status !== 200).length, 'slow TSA not felt').toBeGreaterThan(0);
    expect(inPhase(m.garbage!, m.normal!, 'B-T').filter((o) => o.status !== 200).length, 'garbage TSA not felt').toBeGreaterThan(0);
    expect(inPhase(m.normal! + 2000, m.ocspGarbage!, 'B-T').every((o) => o.status === 200), 'B-T after the TSA is normal again').toBe(true);
    expect(recoveryMs(outcomes, m.normal!, 'B-T'), 'B-T never recovered').toBeTypeOf('number');
    expect(recoveryMs(outcomes, m.ocspNormal!, 'B-LT'), 'B-LT never recovered').toBeTypeOf('number');
    // A signature made meanwhile verifies (a sample of each level after the faults).
    const trust = TrustStore.fromPem(services.pki.root.certPem);
    for (const level of ['B-T', 'B-LT', 'B-B']) {
      const last = outcomes.filter((o) => o.kind === level && o.status === 200).pop()!;
      const report = await verifyPdf(new Uint8Array(last.body), { trustStore: trust });
      expect(report.signatures[0]!.indication, level).toBe('TOTAL_PASSED');
    }

    const records = await readAudit(server.store);
    const check = await verifyAuditChain(server.store);
    expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: records.size });
    const counted = expectOneRecordPerAnswer(outcomes, records, ['sign']);
    summary('tsa audit', { answered: outcomes.length, auditRecords: counted.audited, unaudited: counted.unaudited, chain: 'intact' });
    // OCSP garbage: B-LT 200 or a typed refusal; a B-LT signed meanwhile is a real B-LT (its revocation data from the CRL).
    const ocspPhase = inPhase(m.ocspGarbage! + 200, m.ocspNormal!, 'B-LT');
    for (const o of ocspPhase.filter((x) => x.status !== 200)) expect([502, 503, 504], `${o.status} ${o.code}`).toContain(o.status);
    const duringOcsp = ocspPhase.filter((o) => o.status === 200).pop();
    if (duringOcsp) {
      const report = await verifyPdf(new Uint8Array(duringOcsp.body), { trustStore: trust });
      summary('tsa B-LT signed while OCSP answered garbage', { indication: report.signatures[0]!.indication, padesLevel: report.signatures[0]!.padesLevel });
      expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
      expect(report.signatures[0]!.padesLevel).toBe('B-LT');
    }
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------------------------

describe('3b. only the counters volume fills up mid-load (sequences.sqlite on a volume of its own)', () => {
  const KEY_ID = 'counter-clerk';
  const P12_PASSWORD = 'faults-counter-pw';
  let inst: Child;
  let url: string;
  let key: string;
  let dir = '';
  let vol = '';
  let mounted = false;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const pki = await loadOrCreateTestPki();
    key = generateApiKey();
    dir = tempDir('kyso-faults-counters-');
    vol = join(dir, 'counters');
    mkdirSync(vol);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', vol]);
    mounted = true;
    // The audit log stays on the ordinary disk; the counters' file is a symlink onto the small volume (SQLite
    // follows it and keeps its -wal and -shm next to the target).
    mkdirSync(join(dir, 'data'));
    execFileSync('ln', ['-s', join(vol, 'sequences.sqlite'), join(dir, 'data', 'sequences.sqlite')]);
    const p12 = join(dir, 'agency.p12');
    writeFileSync(p12, createPkcs12({ privateKey: pki.organisation.privateKey, certificate: pki.organisation.certDer, chain: [pki.issuing.certDer, pki.root.certDer], password: P12_PASSWORD }));
    const config = join(dir, 'kyso.json');
    writeFileSync(
      config,
      JSON.stringify({
        host: '127.0.0.1',
        port: 0,
        dataDir: join(dir, 'data'),
        workers: 1,
        requestTimeoutMs: 2500,
        identities: [{ name: 'binh-dinh', agency: AGENCY, signer: { p12, passwordEnv: 'FAULTS_P12_PASSWORD' } }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['sign', 'codes', 'audit'] }],
        trust: { extraRoots: [pki.root.certPem] },
      }),
    );
    inst = await serveChild(BIN, ROOT, config, { FAULTS_P12_PASSWORD: P12_PASSWORD }, children);
    url = inst.url;
  }, TIMEOUT);
  afterAll(async () => {
    await killAll(children);
    if (mounted) {
      try {
        execFileSync('umount', [vol]);
      } catch {
        execFileSync('umount', ['-l', vol]);
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('6 clients of case codes and 2 of B-B for 7 s, the counters volume full for 2 s: case codes get a typed 503 (audited), B-B stays 200, recovery, ledger exact', async () => {
    expect(existsSync(join(vol, 'sequences.sqlite')), 'the counters are not on the small volume').toBe(true);
    const pdf = samplePdf();
    const auth = { authorization: `Bearer ${key}` };
    const filler = join(vol, 'filler');
    const caseReq = (idem: string) => ({ kind: 'case', idem, path: '/v1/codes/case', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': idem }, body: '{}' });
    const signReq = (idem: string) => ({ kind: 'sign', idem, path: '/v1/sign', headers: { ...auth, 'content-type': 'application/pdf' }, body: pdf });
    const load = await runLoad({
      base: url,
      clients: 8,
      durationMs: 7000,
      next: (c, n) => (c < 6 ? caseReq(`cnt-${c}-${n}`) : signReq(`cnt-sign-${c}-${n}`)),
      events: [
        { name: 'full', at: 1500, run: () => void fillVolume(filler) },
        { name: 'freed', at: 3500, run: () => rmSync(filler, { force: true }) },
      ],
    });
    const { full: fullAt, freed: freedAt } = load.marks as { full: number; freed: number };
    const outcomes = load.outcomes;
    const agent = new http.Agent({ keepAlive: true });
    const alive = inst.child.exitCode === null && inst.child.signalCode === null;
    summary('sqlite counters volume full 2 s (16 MiB tmpfs, audit on another disk; 8 clients x 7 s: 6 case codes, 2 B-B)', {
      requests: outcomes.length,
      cases: countsByStatus(outcomes.filter((o) => o.kind === 'case')),
      signs: countsByStatus(outcomes.filter((o) => o.kind === 'sign')),
      whileFull: countsByStatus(outcomes.filter((o) => o.sentAt >= fullAt && o.sentAt < freedAt)),
      afterFreed: countsByStatus(outcomes.filter((o) => o.sentAt >= freedAt)),
      recoveryMs: recoveryMs(outcomes, freedAt, 'case') ?? 'never',
      processAlive: alive,
    });
    // What the service logged for its failures (distinct messages, in order).
    const failures = [...new Set(inst.output().split('\n').filter((l) => l.includes('request failed') || l.includes('failed')).map((l) => { try { return JSON.parse(l).err?.message ?? l; } catch { return l; } }))];
    console.log(`[faults] counters volume: the service logged ${failures.length} distinct failure messages:\n  ${failures.slice(0, 8).join('\n  ')}`);
    expect(alive, inst.output().slice(-3000)).toBe(true);
    const refusedCases = outcomes.filter((o) => o.kind === 'case' && o.status !== 200);
    expect(refusedCases.length, 'the full counters volume was not felt').toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.kind === 'sign' && o.status !== 200).map((o) => `${o.status} ${o.code}`), 'B-B needs no counter').toEqual([]);
    for (const o of outcomes.filter((x) => x.kind === 'sign')) expectWholePdf(o, pdf);
    expect(recoveryMs(outcomes, freedAt, 'case'), 'no recovery').toBeTypeOf('number');
    const retry = await Promise.all(refusedCases.map((o) => send(url, agent, caseReq(o.idem), load.t0)));
    agent.destroy();
    expect(retry.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.code}`)).toEqual([]);
    inst.child.kill('SIGTERM');
    await inst.exited;

    const integrity = new Database(join(vol, 'sequences.sqlite'), { readonly: true, fileMustExist: true });
    const verdict = (integrity.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    integrity.close();
    expect(verdict).toBe('ok');
    const store = await openServerStore({ dataDir: join(dir, 'data') });
    const sequences = await SqliteSequenceStore.open({ dataDir: join(dir, 'data') });
    try {
      const records = await readAudit(store);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: records.size });
      // The audit log had room: every answer, refusals included, has its record.
      const counted = expectOneRecordPerAnswer([...outcomes, ...retry], records, ['codes.case', 'sign'], (r) => r.result === 'INTERRUPTED');
      expect(counted.unaudited).toBe(0);
      const rows = (await sequences.ledger({ kind: 'case' })) as Allocation[];
      const given = new Map<string, string>();
      for (const o of [...outcomes, ...retry].filter((x) => x.kind === 'case' && x.status === 200)) given.set(o.idem, caseCodeOf(o)!);
      expect(new Set(given.values()).size).toBe(given.size);
      const byIdem = ledgerByIdem(rows, KEY_ID);
      expect(new Map([...byIdem].map(([k, r]) => [k, r.value]))).toEqual(new Map([...given].map(([k, c]) => [k, parseCaseCode(c).sequence])));
      expectContiguous(rows);
      summary('sqlite counters ledger and audit', { integrity: verdict, auditRecords: counted.audited, unaudited: counted.unaudited, retried: countsByStatus(retry), ledgerRows: rows.length });
    } finally {
      await sequences.close();
      await store.close();
    }
    // While the counters cannot be written, an allocation is a typed 503 (the client may retry), not a 500.
    expectTyped(outcomes, { 503: /^[A-Z][A-Z0-9_]+$/ });
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------------------------

describe('2b. PostgreSQL unreachable mid-load, server in this process (unhandled pg client errors are visible here)', () => {
  const KEY_ID = 'pg-inproc';
  let server: KysoServer;
  let url: string;
  let key: string;
  let dbUrl = '';
  let link: CutLink;
  const schema = uniqueSchema('faultsin');

  beforeAll(async () => {
    const pki = await loadOrCreateTestPki();
    dbUrl = await testDatabaseUrl();
    link = await cuttableLink(dbUrl);
    key = generateApiKey();
    server = await createServer(
      {
        port: 0,
        dataDir: tempDir('kyso-faults-pgin-'),
        databaseUrl: link.url,
        databaseSchema: schema,
        workers: 0,
        identities: [{ name: 'binh-dinh', agency: AGENCY, signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) }],
        apiKeys: [{ id: KEY_ID, sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['codes', 'audit'] }],
      },
      { logStream: new LogCapture() },
    );
    url = await server.listen();
  }, TIMEOUT);
  afterAll(async () => {
    await server?.close();
    await link?.close();
    if (dbUrl) await dropSchema(dbUrl, schema).catch(() => undefined);
  });

  it('12 clients of case codes, PostgreSQL down ~2 s: no error escapes the service (in `kyso serve` each would be an uncaught exception: the process dies)', async () => {
    const escaped: string[] = [];
    const onUncaught = (e: Error) => escaped.push(`${(e as { code?: string }).code ?? ''} ${e.message}`);
    process.on('uncaughtException', onUncaught);
    try {
      const caseReq = (idem: string) => ({ kind: 'case', idem, path: '/v1/codes/case', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idem }, body: '{}' });
      const load = await runLoad({
        base: url,
        clients: 12,
        durationMs: 6000,
        next: (c, n) => caseReq(`pgin-${c}-${n}`),
        events: [
          { name: 'stopped', at: 1500, run: () => link.cut() },
          { name: 'started', at: 3000, run: () => link.restore() },
        ],
      });
      await sleep(500);
      summary('postgresql stopped, in-process server (12 clients x 6 s of case codes)', {
        requests: load.outcomes.length,
        statuses: countsByStatus(load.outcomes),
        outage: `${load.marks['stopped:start']}-${load.marks.started}ms`,
        recoveryMs: recoveryMs(load.outcomes, load.marks.started!) ?? 'never',
        uncaughtExceptions: escaped.length,
        distinct: [...new Set(escaped)].join(' / '),
      });
      expect(recoveryMs(load.outcomes, load.marks.started!), 'no recovery').toBeTypeOf('number');
      expect(escaped, 'errors of checked-out pg clients escaped as uncaught exceptions').toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, TIMEOUT);
});
