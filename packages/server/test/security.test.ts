/**
 * The signing service under attack (issue 22), over a real loopback server:
 * one credential, one identity and one retry key per request; no coercion of
 * JSON bodies (a wrong type reserves nothing); every refusal, the framework's
 * and node's HTTP parser's included, in kyso's `{ code, message, messageVi }`;
 * no secret in the log; /metrics and the detailed /readyz behind an `ops`
 * key; request smuggling refused; X-Forwarded-For believed only from a
 * configured proxy.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDevMode } from '@kyso/server';
import { toErrorResponse } from '@kyso/server';
import { forbiddenAddress, resolveAllowed, TransferError } from '../src/vgca/transfer.js';
import { clientErrorBody } from '../src/client-error.js';
import { bearer, samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Everything the server wrote before closing (to count responses). */
  raw: string;
}

/** Writes bytes as they are over a TCP socket and reads until the server closes (or `idleMs` of silence). */
function rawRequest(base: string, bytes: string | Buffer, idleMs = 2000): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('utf8');
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.slice(0, headEnd < 0 ? raw.length : headEnd).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = headEnd < 0 ? '' : raw.slice(headEnd + 4);
      const len = headers['content-length'];
      if (len !== undefined) body = Buffer.from(body, 'utf8').subarray(0, Number(len)).toString('utf8');
      resolve({ status, headers, body, raw });
    };
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      idle();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e) => (chunks.length ? finish() : reject(e)));
    socket.write(bytes, () => idle());
  });
}

function expectKysoError(body: string, code: string): Record<string, unknown> {
  const j = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(j).sort()).toEqual(['code', 'message', 'messageVi']);
  expect(j.code).toBe(code);
  expect(String(j.message)).not.toMatch(/\bat .*\.(ts|js):\d+|\/work\/|node_modules/);
  return j;
}

let t: TwoAgencies;
const json = (key: string, extra: Record<string, string> = {}) => ({ ...bearer(key), 'content-type': 'application/json', ...extra });

/** Every row of the code ledger and its events (reservations, confirmations, voids). */
function ledger(dataDir: string): { tables: Record<string, number>; rows: { state: string; kind: string }[] } {
  const file = join(dataDir, 'sequences.sqlite');
  if (!existsSync(file)) return { tables: {}, rows: [] };
  const db = new Database(file, { readonly: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    const tables: Record<string, number> = {};
    for (const n of names) tables[n] = (db.prepare(`SELECT COUNT(*) AS n FROM "${n}"`).get() as { n: number }).n;
    const l = names.find((n) => /ledger/.test(n));
    const rows = l ? (db.prepare(`SELECT kind, state FROM "${l}"`).all() as { state: string; kind: string }[]) : [];
    return { tables, rows };
  } finally {
    db.close();
  }
}

/** The audit records of signing requests that succeeded. */
function signedRecords(dataDir: string): number {
  const db = new Database(join(dataDir, 'server.sqlite'), { readonly: true });
  try {
    const table = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%audit%'").get() as { name: string }).name;
    return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE operation = 'sign' AND status < 400`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  t = await startTwoAgencies({ workers: 1 });
});
afterAll(async () => {
  await t?.server.close();
});

describe('one credential, one identity, one retry key', () => {
  const pdf = samplePdf();
  const signRequest = (authLines: string[], extra: string[] = []) =>
    Buffer.concat([
      Buffer.from(
        ['POST /v1/sign HTTP/1.1', 'Host: 127.0.0.1', ...authLines, ...extra, 'Content-Type: application/pdf', `Content-Length: ${pdf.length}`, 'Connection: close', '', ''].join('\r\n'),
        'latin1',
      ),
      pdf,
    ]);

  it('signs with one valid Authorization header (the baseline the refusals are measured against)', async () => {
    const r = await rawRequest(t.url, signRequest([`Authorization: Bearer ${t.keys.binh}`]));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
  });

  it('refuses two Authorization headers, valid then wrong and wrong then valid, with 400 AUTH_AMBIGUOUS and signs nothing', async () => {
    const before = signedRecords(t.dataDir);
    for (const lines of [
      [`Authorization: Bearer ${t.keys.binh}`, 'Authorization: Bearer kyso_wrong'],
      ['Authorization: Bearer kyso_wrong', `Authorization: Bearer ${t.keys.binh}`],
      [`Authorization: Bearer ${t.keys.binh}`, `authorization: Bearer ${t.keys.binh}`],
      [`Authorization: Bearer ${t.keys.binh}`, `Authorization: Bearer ${t.keys.hanoi}`],
    ]) {
      const r = await rawRequest(t.url, signRequest(lines));
      expect(r.status, lines.join(' | ')).toBe(400);
      expect(r.headers['content-type']).not.toBe('application/pdf');
      expectKysoError(r.body, 'AUTH_AMBIGUOUS');
    }
    expect(signedRecords(t.dataDir)).toBe(before);
  });

  it('refuses one Authorization header carrying two credentials', async () => {
    for (const value of [`Bearer ${t.keys.binh}, Bearer kyso_wrong`, `Bearer kyso_wrong, Bearer ${t.keys.binh}`, `Bearer ${t.keys.binh} kyso_wrong`, `Basic Zm9vOmJhcg==, Bearer ${t.keys.binh}`]) {
      const r = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { authorization: value, 'content-type': 'application/pdf' }, body: pdf });
      expect(r.status, value).toBe(400);
      expectKysoError(await r.text(), 'AUTH_AMBIGUOUS');
    }
  });

  it('refuses a repeated Idempotency-Key or X-Kyso-Identity (AUTH_AMBIGUOUS) and reserves nothing', async () => {
    const before = ledger(t.dataDir).rows.length;
    const body = '{"count":1}';
    const codes = (lines: string[]) =>
      ['POST /v1/codes/case HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${t.keys.binh}`, ...lines, 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close', '', body].join('\r\n');
    for (const lines of [['Idempotency-Key: a', 'Idempotency-Key: b'], ['Idempotency-Key: a, b']]) {
      const r = await rawRequest(t.url, codes(lines));
      expect(r.status, lines.join(' | ')).toBe(400);
      expectKysoError(r.body, 'AUTH_AMBIGUOUS');
    }
    const r = await rawRequest(t.url, signRequest([`Authorization: Bearer ${t.keys.binh}`], ['X-Kyso-Identity: binh-dinh', 'X-Kyso-Identity: ha-noi']));
    expect(r.status).toBe(400);
    expectKysoError(r.body, 'AUTH_AMBIGUOUS');
    const reason = await rawRequest(t.url, signRequest([`Authorization: Bearer ${t.keys.binh}`], ['X-Kyso-Reason: a', 'X-Kyso-Reason: b']));
    expect(reason.status).toBe(400);
    expectKysoError(reason.body, 'HEADER_REPEATED');
    expect(ledger(t.dataDir).rows.length).toBe(before);
  });

  it('refuses a key in the query string, a form field or a body field (400 AUTH_MISPLACED), and the log never shows it', async () => {
    const secrets = ['S3cretQueryKey1', 'S3cretQueryKey2', 'S3cretFormKey3', 'S3cretBodyKey4', 'S3cretPin5', 'S3cretHeader6'];
    const q1 = await fetch(`${t.url}/v1/codes/case?api_key=kyso_${secrets[0]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(q1.status).toBe(400);
    expectKysoError(await q1.text(), 'AUTH_MISPLACED');
    // With a valid header as well: still refused (the key in the URL is burnt and must not look accepted).
    const q2 = await fetch(`${t.url}/metrics?token=${secrets[1]}`, { headers: bearer(t.keys.ops) });
    expect(q2.status).toBe(400);
    expectKysoError(await q2.text(), 'AUTH_MISPLACED');
    const form = new FormData();
    form.append('api_key', `kyso_${secrets[2]}`);
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'in.pdf');
    const f = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: bearer(t.keys.binh), body: form });
    expect(f.status).toBe(400);
    expectKysoError(await f.text(), 'AUTH_MISPLACED');
    const b = await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh), body: JSON.stringify({ password: secrets[3] }) });
    expect(b.status).toBe(400);
    expectKysoError(await b.text(), 'AUTH_MISPLACED');
    // A secret-looking query value on a route that refuses the parameter for another reason is not logged either.
    await fetch(`${t.url}/v1/audit?pin=${secrets[4]}`, { headers: bearer(t.keys.reader) });
    await fetch(`${t.url}/healthz`, { headers: { authorization: `Bearer ${secrets[5]}` } });

    // Give pino's stream a moment, then read everything the server logged.
    await new Promise((r) => setTimeout(r, 100));
    const log = t.log.text;
    expect(log).toContain('api_key=[REDACTED]');
    expect(log).toContain('token=[REDACTED]');
    for (const s of secrets) expect(log, s).not.toContain(s);
    for (const k of Object.values(t.keys)) expect(log).not.toContain(k);
  });
});

describe('strict types on JSON bodies: a wrong type is a 400 naming the field and allocates nothing', () => {
  it('refuses {"suffix":123456}, {"book":"3"}, {"confirm":"true"}, {"reason":42} with nothing reserved, voided or stored', async () => {
    const env = await startTwoAgencies({ workers: 0 });
    try {
      const cases: [string, unknown, string][] = [
        ['/v1/codes/result', { owner: '052090000495', type: 'G15.000021', suffix: 123456 }, 'suffix'],
        ['/v1/codes/result', { owner: '052090000495', type: 'G15.000021', confirm: 'true' }, 'confirm'],
        ['/v1/codes/cert-number', { book: '3' }, 'book'],
        ['/v1/codes/cert-number', { book: 3, count: '2' }, 'count'],
        ['/v1/codes/case', { confirm: 'true' }, 'confirm'],
        ['/v1/codes/case', { count: '5' }, 'count'],
        ['/v1/codes/case', { count: 1, extra: 'field' }, 'extra'],
      ];
      for (const [route, body, field] of cases) {
        const r = await fetch(`${env.url}${route}`, { method: 'POST', headers: json(env.keys.binh, { 'idempotency-key': `k-${field}-${route}` }), body: JSON.stringify(body) });
        const text = await r.text();
        expect(r.status, `${route} ${JSON.stringify(body)}`).toBe(400);
        const j = expectKysoError(text, 'REQUEST_INVALID');
        expect(String(j.message)).toContain(field);
      }
      // Nothing allocated: the ledger is empty (or was never created).
      expect(ledger(env.dataDir).rows).toEqual([]);

      // A real reservation, then a void with {"reason":42}: refused, the code stays reserved.
      const ok = await fetch(`${env.url}/v1/codes/case`, { method: 'POST', headers: json(env.keys.binh), body: JSON.stringify({ count: 1 }) });
      expect(ok.status).toBe(200);
      const code = ((await ok.json()) as { codes: { code: string }[] }).codes[0]!.code;
      const v = await fetch(`${env.url}/v1/codes/${encodeURIComponent(code)}/void`, { method: 'POST', headers: json(env.keys.binh), body: JSON.stringify({ reason: 42 }) });
      expect(v.status).toBe(400);
      expect(String(expectKysoError(await v.text(), 'REQUEST_INVALID').message)).toContain('reason');
      expect(ledger(env.dataDir).rows).toEqual([{ kind: 'case', state: 'reserved' }]);

      // The two-step prepare's reason too: no session is stored.
      const p = await fetch(`${env.url}/v1/sign/prepare`, {
        method: 'POST',
        headers: json(env.keys.binh),
        body: JSON.stringify({ pdf: samplePdf().toString('base64'), certificateChain: [Buffer.from(env.pki.personal.certPem).toString('base64')], reason: 42 }),
      });
      expect(p.status).toBe(400);
      expect(String(expectKysoError(await p.text(), 'REQUEST_INVALID').message)).toContain('reason');
      const db = new Database(join(env.dataDir, 'server.sqlite'), { readonly: true });
      try {
        const sessions = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%session%'").get() as { name: string } | undefined;
        if (sessions) expect((db.prepare(`SELECT COUNT(*) AS n FROM "${sessions.name}"`).get() as { n: number }).n).toBe(0);
      } finally {
        db.close();
      }

      // The right types still work, and query strings still read "3" as 3.
      const good = await fetch(`${env.url}/v1/codes/cert-number`, { method: 'POST', headers: json(env.keys.binh), body: JSON.stringify({ book: 3, confirm: true }) });
      expect(good.status).toBe(200);
      expect(((await good.json()) as { numbers: { book: number; state: string }[] }).numbers[0]).toMatchObject({ book: 3, state: 'confirmed' });
      const audit = await fetch(`${env.url}/v1/audit?after=0&limit=2`, { headers: bearer(env.keys.reader) });
      expect(audit.status).toBe(200);
      expect(((await audit.json()) as { records: unknown[] }).records).toHaveLength(2);
    } finally {
      await env.server.close();
    }
  });
});

describe('every refusal typed', () => {
  it('answers a 64 KB header with 431 in kyso shape (from the HTTP parser, before fastify)', async () => {
    const r = await rawRequest(t.url, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expectKysoError(r.body, 'HEADERS_TOO_LARGE');
  });

  it('answers an HTTP/1.1 request without Host, or with two, in kyso shape (node would answer a bare 400)', async () => {
    for (const head of ['GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n']) {
      const r = await rawRequest(t.url, head);
      expect(r.status, head).toBe(400);
      expectKysoError(r.body, head.includes('Host: b') ? 'HEADER_REPEATED' : 'REQUEST_MALFORMED');
    }
  });

  it('maps the parser\'s and plugins\' own refusals to stable codes (timeouts, framing, multipart)', () => {
    expect(clientErrorBody(Object.assign(new Error('t'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }))).toMatchObject({ status: 408, body: { code: 'REQUEST_TIMEOUT' } });
    expect(clientErrorBody(Object.assign(new Error('h'), { code: 'HPE_HEADER_OVERFLOW' }))).toMatchObject({ status: 431, body: { code: 'HEADERS_TOO_LARGE' } });
    expect(clientErrorBody(Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD' }))).toMatchObject({ status: 400, body: { code: 'REQUEST_MALFORMED' } });
    expect(toErrorResponse({ statusCode: 406, code: 'FST_INVALID_MULTIPART_CONTENT_TYPE', message: 'the request is not multipart' })).toMatchObject({ status: 406, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(toErrorResponse({ statusCode: 405, code: 'FST_X', message: '/secret/path' }).body).toEqual({ code: 'METHOD_NOT_ALLOWED', message: expect.any(String), messageVi: expect.any(String) });
    expect(toErrorResponse({ statusCode: 504, message: 'at /work/x.js:1' }).body.code).toBe('UPSTREAM_TIMEOUT');
    expect(JSON.stringify(toErrorResponse(new Error('boom at /work/main/x.ts:1')).body)).not.toContain('/work');
  });

  it('answers 404, 405, a malformed URL, 415, 413 and malformed JSON in kyso shape, without the path', async () => {
    const probe = 'zz-probe-path-<script>';
    const cases: [string, RequestInit, number, string][] = [
      [`/nope/${probe}`, {}, 404, 'NOT_FOUND'],
      ['/v1/sign', {}, 405, 'METHOD_NOT_ALLOWED'],
      ['/healthz', { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
      [`/v1/codes/%zz${probe}/void`, { method: 'POST', headers: json(t.keys.binh), body: '{}' }, 400, 'REQUEST_MALFORMED'],
      ['/v1/codes/case', { method: 'POST', headers: { ...bearer(t.keys.binh), 'content-type': 'text/plain' }, body: 'x' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['/v1/codes/case', { method: 'POST', headers: json(t.keys.binh), body: `{"x":"${'a'.repeat(1100 * 1024)}"}` }, 413, 'BODY_TOO_LARGE'],
      ['/v1/codes/case', { method: 'POST', headers: json(t.keys.binh), body: '{"count":' }, 400, 'REQUEST_MALFORMED'],
      ['/v1/certified-copies?owner=1&book=1', { method: 'POST', headers: json(t.keys.binh, { 'idempotency-key': 'j' }), body: '{}' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [path, init, status, code] of cases) {
      const r = await fetch(`${t.url}${path}`, init);
      const text = await r.text();
      expect(r.status, path).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expectKysoError(text, code);
      expect(text).not.toContain('zz-probe');
      expect(text).not.toMatch(/stack|statusCode|FST_/);
    }
    const r = await fetch(`${t.url}/v1/sign`);
    expect(r.headers.get('allow')).toBe('POST');
  });

  it('refuses request smuggling: Content-Length with Transfer-Encoding is a 400 and the smuggled request is never answered', async () => {
    const smuggled = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const body = `0\r\n\r\n${smuggled}`;
    for (const framing of [
      `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked`,
      `Transfer-Encoding: chunked\r\nContent-Length: ${body.length}`,
      `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked, identity`,
      `Content-Length: 4\r\nContent-Length: ${body.length}`,
    ]) {
      const r = await rawRequest(t.url, `POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pdf\r\n${framing}\r\n\r\n${body}`);
      expect(r.status, framing).toBe(400);
      expectKysoError(r.body, 'REQUEST_MALFORMED');
      expect(r.raw.match(/HTTP\/1\.1 \d{3}/g), framing).toHaveLength(1);
      expect(r.raw).not.toContain('"status":"ok"');
    }
  });
});

describe('operations endpoints', () => {
  it('/metrics needs an ops key: 401 without, 403 with another key, 200 with ops', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const other = await fetch(`${t.url}/metrics`, { headers: bearer(t.keys.binh) });
    expect(other.status).toBe(403);
    expectKysoError(await other.text(), 'FORBIDDEN');
    const ok = await fetch(`${t.url}/metrics`, { headers: bearer(t.keys.ops) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('kyso_http_requests_total');
  });

  it('/readyz tells an anonymous caller only ready/not-ready; an ops key sees the parts; /healthz stays public', async () => {
    const anon = await fetch(`${t.url}/readyz`);
    expect(anon.status).toBe(200);
    const text = await anon.text();
    expect(JSON.parse(text)).toEqual({ status: 'ready' });
    expect(text).not.toContain('binh-dinh');
    expect((await fetch(`${t.url}/readyz`, { headers: bearer(t.keys.binh) })).status).toBe(403);
    expect((await fetch(`${t.url}/readyz`, { headers: bearer('kyso_not_a_key') })).status).toBe(401);
    expect(await (await fetch(`${t.url}/readyz`, { headers: bearer(t.keys.ops) })).json()).toEqual({
      status: 'ready',
      store: 'ok',
      signers: { 'binh-dinh': 'ok', 'ha-noi': 'ok' },
      capabilities: { signing: 'ready', timestamping: 'not-configured', verification: 'ready' },
    });
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('a separate operations listener serves /metrics and the detailed /readyz without a key, and nothing of the API', async () => {
    const env = await startTwoAgencies({ workers: 0, opsListener: { host: '127.0.0.1', port: 0 } });
    try {
      const ops = env.server.opsUrl!;
      expect(ops).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ops).not.toBe(env.url);
      expect((await fetch(`${ops}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${ops}/readyz`)).json()).toMatchObject({ status: 'ready', signers: { 'binh-dinh': 'ok' } });
      const api = await fetch(`${ops}/v1/sign`, { method: 'POST', headers: { ...bearer(env.keys.binh), 'content-type': 'application/pdf' }, body: samplePdf() });
      expect(api.status).toBe(404);
      expectKysoError(await api.text(), 'NOT_FOUND');
      // The main listener still wants the ops key.
      expect((await fetch(`${env.url}/metrics`)).status).toBe(401);
    } finally {
      await env.server.close();
    }
  });

  it('development mode gives its printed key the ops scope', async () => {
    const dev = await prepareDevMode(tempDir('kyso-dev-ops-'));
    expect(dev.config.apiKeys?.[0]?.operations).toContain('ops');
  });
});

describe('X-Forwarded-For', () => {
  /** The remoteAddress the request log gives for the request whose URL carries `probe`. */
  async function loggedAddress(env: TwoAgencies, probe: string): Promise<string | undefined> {
    await fetch(`${env.url}/healthz?probe=${probe}`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    await new Promise((r) => setTimeout(r, 100));
    for (const line of env.log.text.split('\n')) {
      if (!line.includes(probe)) continue;
      const rec = JSON.parse(line) as { req?: { remoteAddress?: string } };
      if (rec.req?.remoteAddress) return rec.req.remoteAddress;
    }
    return undefined;
  }

  it('is ignored by default (trustProxy off): the log shows the connecting address', async () => {
    expect(await loggedAddress(t, 'xff-default')).toBe('127.0.0.1');
  });

  it('is believed only from a configured proxy', async () => {
    const trusting = await startTwoAgencies({ workers: 0, trustProxy: ['127.0.0.1'] });
    const other = await startTwoAgencies({ workers: 0, trustProxy: ['10.9.9.9'] });
    try {
      expect(await loggedAddress(trusting, 'xff-trusted')).toBe('203.0.113.7');
      expect(await loggedAddress(other, 'xff-other-proxy')).toBe('127.0.0.1');
    } finally {
      await trusting.server.close();
      await other.server.close();
    }
  });
});

describe('the OpenAPI document', () => {
  interface Op {
    requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> };
    responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  }
  let doc: { paths: Record<string, Record<string, Op>> };
  beforeAll(async () => {
    doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as typeof doc;
  });

  it('describes the multipart body of /v1/sign and the body of /v1/certified-copies', () => {
    const sign = doc.paths['/v1/sign']!.post!;
    expect(Object.keys(sign.requestBody!.content)).toEqual(expect.arrayContaining(['application/pdf', 'multipart/form-data']));
    const form = sign.requestBody!.content['multipart/form-data']!.schema as { required: string[]; properties: Record<string, { type: string; format?: string }> };
    expect(form.required).toEqual(['file']);
    expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    for (const f of ['identity', 'level', 'reason', 'allocateResultCode', 'certify', 'lock']) expect(form.properties, f).toHaveProperty(f);
    const copy = doc.paths['/v1/certified-copies']!.post!;
    expect(copy.requestBody!.required).toBe(true);
    expect(Object.keys(copy.requestBody!.content)).toEqual(expect.arrayContaining(['image/jpeg', 'image/png', 'application/pdf']));
    expect(copy.responses['200']!.content).toHaveProperty(['application/pdf']);
  });

  it('lists the error responses of every operation, the framework-level ones included, in the error shape', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const s of ['400', '408', '431', '500']) {
          expect(op.responses[s], `${method} ${path} ${s}`).toBeDefined();
          // The CSC API (/csc/v2/) answers the specification's error form with these three beside error and error_description.
          if (path.startsWith('/csc/v2/')) expect(op.responses[s]!.content!['application/json']!.schema.required, `${method} ${path} ${s}`).toEqual(expect.arrayContaining(['code', 'message', 'messageVi']));
          else expect(op.responses[s]!.content!['application/json']!.schema).toMatchObject({ required: ['code', 'message', 'messageVi'] });
        }
        if (method === 'post') for (const s of ['413', '415']) expect(op.responses[s], `${method} ${path} ${s}`).toBeDefined();
      }
    }
    expect(doc.paths['/v1/sign']!.post!.responses['400']!.description).toContain('AUTH_AMBIGUOUS');
    expect(doc.paths['/metrics']!.get!.responses['403']).toBeDefined();
  });
});

describe('VGCA transfers: allow-list checked after one resolution, no redirect followed', () => {
  /** A loopback HTTP server counting its hits; `handler` answers. */
  async function server(handler: http.RequestListener): Promise<{ origin: string; hits: () => number; close(): Promise<void> }> {
    let hits = 0;
    const s = http.createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
    return { origin: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, hits: () => hits, close: () => new Promise((ok) => s.close(() => ok())) };
  }

  it('does not follow a redirect from an allowed host, for the download or the upload', async () => {
    const target = await server((_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePdf()));
    const redirecting = await server((req, res) => {
      if (req.url === '/files/doc.pdf') return res.writeHead(302, { location: `${target.origin}/files/doc.pdf` }).end();
      if (req.url === '/files/ok.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePdf());
      req.resume();
      req.on('end', () => res.writeHead(307, { location: `${target.origin}/upload` }).end());
    });
    const env = await startTwoAgencies({ workers: 0, vgca: { allowHosts: [new URL(redirecting.origin).host], identity: 'binh-dinh' } });
    try {
      const call = async (body: unknown) => (await (await fetch(`${env.url}/vgca/SignPDF`, { method: 'POST', headers: json(env.keys.binh), body: JSON.stringify(body) })).json()) as { Status: number; Message: string };
      const down = await call({ FileName: `${redirecting.origin}/files/doc.pdf`, FileUploadHandler: `${redirecting.origin}/upload` });
      expect(down.Status).toBe(2);
      expect(down.Message).toContain('302');
      const up = await call({ FileName: `${redirecting.origin}/files/ok.pdf`, FileUploadHandler: `${redirecting.origin}/upload` });
      expect(up.Status).toBe(4);
      expect(up.Message).toContain('307');
      expect(target.hits()).toBe(0);
    } finally {
      await env.server.close();
      await target.close();
      await redirecting.close();
    }
  });

  it('refuses an allowed name that resolves to a loopback address (DNS rebinding) without contacting it', async () => {
    const sys = await server((_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePdf()));
    const port = new URL(sys.origin).port;
    const env = await startTwoAgencies({ workers: 0, vgca: { allowHosts: [`localhost:${port}`], identity: 'binh-dinh' } });
    try {
      const r = (await (await fetch(`${env.url}/vgca/VerifyPDF`, { method: 'POST', headers: json(env.keys.binh), body: JSON.stringify({ FileName: `http://localhost:${port}/doc.pdf` }) })).json()) as { Status: number };
      expect(r.Status).toBe(5);
      expect(sys.hits()).toBe(0);
    } finally {
      await env.server.close();
      await sys.close();
    }
  });

  it('resolves a name once and checks every address it gives', async () => {
    let calls = 0;
    const rebinding = async () => {
      calls++;
      return calls === 1 ? [{ address: '10.20.30.40', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    expect(await resolveAllowed(new URL('http://dvc.example.gov.vn/a.pdf'), rebinding)).toEqual({ address: '10.20.30.40', family: 4 });
    expect(calls).toBe(1);
    const mixed = async () => [{ address: '10.20.30.40', family: 4 }, { address: '169.254.169.254', family: 4 }];
    await expect(resolveAllowed(new URL('http://dvc.example.gov.vn/a.pdf'), mixed)).rejects.toBeInstanceOf(TransferError);
    for (const a of ['127.0.0.1', '127.1.2.3', '0.0.0.0', '169.254.169.254', '224.0.0.1', '::1', '::', 'fe80::1', '::ffff:127.0.0.1', 'ff02::1']) expect(forbiddenAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.10', '172.16.0.1', '203.0.113.7', '2001:db8::1']) expect(forbiddenAddress(a), a).toBe(false);
    // An address written in the allow-list is meant: no lookup.
    expect(await resolveAllowed(new URL('http://127.0.0.1:9000/x'), () => Promise.reject(new Error('no lookup expected')))).toEqual({ address: '127.0.0.1', family: 4 });
  });
});
