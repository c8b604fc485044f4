/**
 * Helpers of faults-under-load.test.ts: a closed-loop load (N clients, each
 * sending its next request when the previous one is answered, until a
 * deadline), the outcome of every request, and the checks every fault shares
 * (typed refusals, one audit record per answered request).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { expect } from 'vitest';
import type { AuditRecord, ServerStore } from '@kyso/server';

export interface Outcome {
  /** Which kind of request (e.g. 'sign', 'case', 'B-T'). */
  kind: string;
  idem: string;
  /** ms since the load started, when the request was sent and when it was answered. */
  sentAt: number;
  doneAt: number;
  /** 0: no HTTP answer (connection error, see `error`). */
  status: number;
  error?: string;
  code?: string;
  message?: string;
  messageVi?: string;
  auditId?: number;
  resultCode?: string;
  retryAfter?: string;
  contentType?: string;
  body: Buffer;
}

export interface Req {
  kind: string;
  idem: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** One request; never rejects. */
export function send(base: string, agent: http.Agent, r: Req, t0: number, timeoutMs = 30_000): Promise<Outcome> {
  const sentAt = Date.now() - t0;
  return new Promise((res) => {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    const req = http.request(
      new URL(r.path, base),
      { method: r.method ?? 'POST', agent, headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...(r.headers ?? {}) } },
      (resp) => {
        const chunks: Buffer[] = [];
        resp.on('data', (d: Buffer) => chunks.push(d));
        resp.on('error', (e) => res({ kind: r.kind, idem: r.idem, sentAt, doneAt: Date.now() - t0, status: 0, error: (e as NodeJS.ErrnoException).code ?? e.message, body: Buffer.alloc(0) }));
        resp.on('end', () => {
          const buf = Buffer.concat(chunks);
          const o: Outcome = { kind: r.kind, idem: r.idem, sentAt, doneAt: Date.now() - t0, status: resp.statusCode ?? 0, body: buf };
          const h = resp.headers;
          if (typeof h['x-kyso-audit-id'] === 'string') o.auditId = Number(h['x-kyso-audit-id']);
          if (typeof h['x-kyso-result-code'] === 'string') o.resultCode = decodeURIComponent(h['x-kyso-result-code']);
          if (typeof h['retry-after'] === 'string') o.retryAfter = h['retry-after'];
          if (typeof h['content-type'] === 'string') o.contentType = h['content-type'];
          if (o.status !== 200 || (o.contentType ?? '').includes('json')) {
            try {
              const j = JSON.parse(buf.toString('utf8')) as { code?: string; message?: string; messageVi?: string };
              if (o.status !== 200) {
                o.code = j.code;
                o.message = j.message;
                o.messageVi = j.messageVi;
              }
            } catch {
              /* untyped: the checks say so */
            }
          }
          res(o);
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('CLIENT_TIMEOUT')));
    req.on('error', (e) => res({ kind: r.kind, idem: r.idem, sentAt, doneAt: Date.now() - t0, status: 0, error: (e as NodeJS.ErrnoException).code ?? e.message, body: Buffer.alloc(0) }));
    req.end(body);
  });
}

export interface LoadOptions {
  base: string;
  clients: number;
  durationMs: number;
  /** The next request of client `c` (its `n`th). */
  next: (c: number, n: number) => Req;
  /** Called at these ms offsets (the fault, its end). */
  events?: { at: number; run: () => Promise<void> | void; name: string }[];
}

export interface LoadResult {
  outcomes: Outcome[];
  /** ms offsets at which the named events ran (finished). */
  marks: Record<string, number>;
  t0: number;
}

/** A closed-loop load: `clients` loops, each one request at a time, until `durationMs`; the events run meanwhile. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.clients + 4 });
  const t0 = Date.now();
  const outcomes: Outcome[] = [];
  const marks: Record<string, number> = {};
  const clients = Array.from({ length: o.clients }, async (_, c) => {
    for (let n = 0; Date.now() - t0 < o.durationMs; n++) {
      const out = await send(o.base, agent, o.next(c, n), t0);
      outcomes.push(out);
      // A refused connection comes back at once: don't spin.
      if (out.status === 0) await sleep(50);
    }
  });
  const events = (async () => {
    for (const e of [...(o.events ?? [])].sort((a, b) => a.at - b.at)) {
      const wait = e.at - (Date.now() - t0);
      if (wait > 0) await sleep(wait);
      marks[`${e.name}:start`] = Date.now() - t0;
      await e.run();
      marks[e.name] = Date.now() - t0;
    }
  })();
  // The events must run even if they outlast the load (e.g. the fault's end: always undone).
  const [ev] = await Promise.allSettled([events, Promise.all(clients)]);
  agent.destroy();
  if (ev.status === 'rejected') throw ev.reason;
  return { outcomes, marks, t0 };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts by status (and code for refusals), e.g. `200:120 503/PKCS11_ERROR:14`. */
export function countsByStatus(outcomes: Outcome[]): string {
  const m = new Map<string, number>();
  for (const o of outcomes) {
    const k = o.status === 0 ? `ERR/${o.error}` : o.status === 200 ? '200' : `${o.status}/${o.code ?? '?'}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
}

/** Every refusal is typed: a stable code, an English and a Vietnamese message, JSON. */
export function expectTyped(outcomes: Outcome[], allowed: Record<number, RegExp>): void {
  for (const o of outcomes) {
    const desc = `${o.kind} ${o.idem} at ${o.sentAt}ms: ${o.status} ${o.error ?? o.body.subarray(0, 300).toString('utf8')}`;
    expect(o.status, desc).not.toBe(0);
    if (o.status === 200) continue;
    expect(Object.keys(allowed).map(Number), desc).toContain(o.status);
    expect(o.code, desc).toMatch(allowed[o.status]!);
    expect(o.message, desc).toBeTypeOf('string');
    expect(o.message!.length, desc).toBeGreaterThan(0);
    expect(o.messageVi, desc).toBeTypeOf('string');
    expect(o.messageVi!.length, desc).toBeGreaterThan(0);
    expect(o.contentType ?? '', desc).toContain('application/json');
  }
}

/** ms from `from` to the first 200 sent after it (undefined: none). */
export function recoveryMs(outcomes: Outcome[], from: number, kind?: string): number | undefined {
  const ok = outcomes.filter((o) => o.status === 200 && o.sentAt >= from && (kind === undefined || o.kind === kind)).sort((a, b) => a.doneAt - b.doneAt)[0];
  return ok ? ok.doneAt - from : undefined;
}

export async function readAudit(store: ServerStore): Promise<Map<number, AuditRecord>> {
  const all = new Map<number, AuditRecord>();
  let after = 0;
  for (;;) {
    const page = await store.listAudit({ after, limit: 1000 });
    for (const r of page) all.set(r.seq, r);
    if (page.length < 1000) return all;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * One audit record per answered request: every answer carries the id of a
 * record of its own (status and result matching), ids are distinct, and the
 * log holds no other record of these operations except `extra` (e.g. the
 * recovery pass's INTERRUPTED records), which are returned. An answer
 * without an id must be 503 AUDIT_UNAVAILABLE (the record could not be written).
 */
export function expectOneRecordPerAnswer(outcomes: Outcome[], records: Map<number, AuditRecord>, operations: string[], extra: (r: AuditRecord) => boolean = () => false): { audited: number; unaudited: number; extra: AuditRecord[] } {
  const seen = new Set<number>();
  let unaudited = 0;
  for (const o of outcomes) {
    if (o.status === 0) continue;
    const desc = `${o.kind} ${o.idem}: ${o.status} ${o.code ?? ''}`;
    if (o.auditId === undefined) {
      expect(`${o.status} ${o.code}`, `${desc}: answered without X-Kyso-Audit-Id`).toBe('503 AUDIT_UNAVAILABLE');
      unaudited++;
      continue;
    }
    expect(seen.has(o.auditId), `${desc}: audit id ${o.auditId} given twice`).toBe(false);
    seen.add(o.auditId);
    const r = records.get(o.auditId);
    expect(r, `${desc}: audit record ${o.auditId} missing`).toBeDefined();
    expect({ status: r!.status, result: r!.result }, desc).toEqual({ status: o.status, result: o.status === 200 ? 'ok' : o.code });
    if (o.resultCode) expect(r!.code, desc).toBe(o.resultCode);
  }
  const others = [...records.values()].filter((r) => operations.includes(r.operation) && !seen.has(r.seq));
  const extras = others.filter(extra);
  expect(
    others.filter((r) => !extra(r)).map((r) => ({ seq: r.seq, operation: r.operation, status: r.status, result: r.result, code: r.code })),
    'audit records of no answered request',
  ).toEqual([]);
  return { audited: seen.size, unaudited, extra: extras };
}


export interface Child {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<void>;
}

/** `node <bin> serve --config <file>` as a child process; resolves once it listens. */
export function serveChild(bin: string, cwd: string, configFile: string, env: Record<string, string>, children: ChildProcess[]): Promise<Child> {
  const child = spawn(process.execPath, [bin, 'serve', '--config', configFile], {
    cwd,
    // The configuration file alone decides where the data goes.
    env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', KYSO_DATABASE_SCHEMA: '', KYSO_PORT: '', KYSO_HOST: '', KYSO_DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return new Promise<Child>((res, rej) => {
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

/** Kills what is still running (SIGKILL) and waits for it. */
export async function killAll(children: ChildProcess[]): Promise<void> {
  const gone = children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((res) => c.once('exit', res))));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(gone);
}

/**
 * A TCP relay in front of PostgreSQL whose link can be cut: every
 * connection through it dropped and new ones refused, as when the database
 * goes away, without stopping the database the other tests of the suite
 * share (they run at the same time).
 */
export interface CutLink {
  /** `databaseUrl` with the relay's port. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableLink(databaseUrl: string): Promise<CutLink> {
  const { createServer: createTcpServer, connect } = await import('node:net');
  const target = new URL(databaseUrl);
  const sockets = new Set<import('node:net').Socket>();
  let down = false;
  const relay = createTcpServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.hostname, port: Number(target.port || 5432) });
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((relay.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        relay.close(() => r());
      }),
  };
}
