/**
 * Every failure is a KysoClientError: the service's refusals with its
 * stable code and both messages, and the client's own for a service that
 * cannot be reached (CLIENT_NETWORK) or does not answer in time
 * (CLIENT_TIMEOUT). Raw node HTTP servers on loopback stand in for a
 * service that hangs, refuses or is not kyso.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysoClient, isKysoClientError, KysoClientError } from '@kyso/client';
import { samplePdf, startService, type Service } from './helpers.js';

let svc: Service;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.close();
});

/** A raw HTTP server on loopback; `handle` answers (or does not). */
async function raw(handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function caught(p: Promise<unknown>): Promise<KysoClientError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KysoClientError);
    expect(isKysoClientError(e)).toBe(true);
    return e as KysoClientError;
  }
  throw new Error('expected a KysoClientError');
}

describe('refusals of the service', () => {
  it('a wrong API key: 401 AUTH_REQUIRED with both messages', async () => {
    const kyso = createKysoClient({ baseUrl: svc.url, apiKey: 'kyso_not-a-key' });
    const e = await caught(kyso.sign(samplePdf()));
    expect(e).toMatchObject({ name: 'KysoClientError', status: 401, code: 'AUTH_REQUIRED' });
    expect(e.message).toBeTruthy();
    expect(e.messageVi).toBeTruthy();
    expect(e.messageVi).not.toBe(e.message);
    expect(e.message).not.toContain('kyso_not-a-key');
  });

  it('not a PDF: 422 PDF_NOT_PDF', async () => {
    const kyso = createKysoClient({ baseUrl: svc.url, apiKey: svc.keys.clerk });
    const e = await caught(kyso.sign(new TextEncoder().encode('hello, this is no PDF'), { identity: 'ubnd-xa' }));
    expect(e).toMatchObject({ status: 422, code: 'PDF_NOT_PDF' });
    expect(e.messageVi).toBeTruthy();
    await expect(kyso.verify(new TextEncoder().encode('no PDF either'))).rejects.toMatchObject({ status: 422, code: 'PDF_NOT_PDF' });
  });

  it('an option the service refuses: 400 with the code it gives', async () => {
    const kyso = createKysoClient({ baseUrl: svc.url, apiKey: svc.keys.clerk });
    await expect(kyso.sign(samplePdf(), { identity: 'ubnd-xa', level: 'B-T' })).rejects.toMatchObject({ status: 400, code: 'LEVEL_NEEDS_TSA' });
    await expect(kyso.codes.void('2026-999', { identity: 'ubnd-xa', kind: 'cert' })).rejects.toBeInstanceOf(KysoClientError);
  });

  it('Retry-After becomes retryAfter (seconds); a body that is not kyso’s is CLIENT_UNEXPECTED_RESPONSE', async () => {
    const s = await raw((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        res.end(JSON.stringify({ code: 'BUSY', message: 'Busy.', messageVi: 'Dịch vụ đang bận.' }));
      } else {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>Bad Gateway</html>');
      }
    });
    try {
      const kyso = createKysoClient({ baseUrl: s.url });
      expect(await caught(kyso.health())).toMatchObject({ status: 429, code: 'BUSY', message: 'Busy.', messageVi: 'Dịch vụ đang bận.', retryAfter: 7 });
      const e = await caught(kyso.ready());
      expect(e).toMatchObject({ status: 502, code: 'CLIENT_UNEXPECTED_RESPONSE' });
      expect(e.retryAfter).toBeUndefined();
      expect(e.messageVi).toMatch(/502/);
    } finally {
      await s.close();
    }
  });
});

describe('failures of the network', () => {
  it('a service that does not answer in time: CLIENT_TIMEOUT, in English and Vietnamese', async () => {
    const s = await raw(() => {
      /* never answers */
    });
    try {
      const kyso = createKysoClient({ baseUrl: s.url, apiKey: 'kyso_secret-key', timeoutMs: 300 });
      const started = Date.now();
      const e = await caught(kyso.sign(samplePdf()));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(e).toMatchObject({ status: 0, code: 'CLIENT_TIMEOUT' });
      expect(e.message).toContain('300 ms');
      expect(e.messageVi).toContain('không trả lời');
      expect(`${e.message} ${e.messageVi}`).not.toContain('kyso_secret-key');
    } finally {
      await s.close();
    }
  });

  it('a service that answers the headers and then stalls: CLIENT_TIMEOUT too (the deadline covers the body)', async () => {
    const s = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'x-kyso-field': 'Signature1' });
      res.write('%PDF-1.7\n');
    });
    try {
      const kyso = createKysoClient({ baseUrl: s.url, timeoutMs: 300 });
      expect(await caught(kyso.sign(samplePdf()))).toMatchObject({ code: 'CLIENT_TIMEOUT' });
    } finally {
      await s.close();
    }
  });

  it('connection refused: CLIENT_NETWORK, naming the cause', async () => {
    const s = await raw(() => undefined);
    const url = s.url;
    await s.close(); // nothing listens on the port now
    const kyso = createKysoClient({ baseUrl: url, apiKey: 'kyso_secret-key' });
    const e = await caught(kyso.health());
    expect(e).toMatchObject({ status: 0, code: 'CLIENT_NETWORK' });
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.messageVi).toContain('Không kết nối được');
    expect(e.cause).toBeDefined();
  });
});

describe('what goes on the wire', () => {
  it('the API key only as Authorization: Bearer; options in the query; passwords and idempotency keys as headers', async () => {
    const seen: { url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
    const s = await raw((req, res, body) => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/pdf', 'x-kyso-field': encodeURIComponent('Chữ ký 1'), 'x-kyso-result-code': encodeURIComponent('052090000495.KQ.G15.000031.9/QĐ'), 'x-kyso-audit-id': '42' });
      res.end(body);
    });
    try {
      const kyso = createKysoClient({ baseUrl: `${s.url}/kyso/`, apiKey: 'kyso_secret-key' });
      const pdf = samplePdf();
      const out = await kyso.sign(pdf, { reason: 'Phê duyệt', allocateResultCode: true, owner: '052090000495', resultType: 'G15.000031', certify: 2, idempotencyKey: 'req-1', pdfPassword: 'mật khẩu' });
      expect(out).toEqual({ pdf, field: 'Chữ ký 1', resultCode: '052090000495.KQ.G15.000031.9/QĐ', auditId: '42' });
      const r = seen[0]!;
      const u = new URL(r.url, 'http://x');
      expect(u.pathname).toBe('/kyso/v1/sign');
      expect(Object.fromEntries(u.searchParams)).toEqual({ reason: 'Phê duyệt', allocateResultCode: 'true', owner: '052090000495', resultType: 'G15.000031', certify: '2' });
      expect(r.url).not.toContain('secret');
      expect(r.headers.authorization).toBe('Bearer kyso_secret-key');
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['idempotency-key']).toBe('req-1');
      expect(r.headers['x-pdf-password']).toBe('m%E1%BA%ADt%20kh%E1%BA%A9u');
      expect(r.body.equals(Buffer.from(pdf))).toBe(true);
      // No key configured: no Authorization header at all.
      await createKysoClient({ baseUrl: s.url }).sign(pdf);
      expect(seen[1]!.headers.authorization).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('refuses a base URL that would carry credentials or is not HTTP: CLIENT_OPTIONS_INVALID', () => {
    for (const baseUrl of ['http://user:key@127.0.0.1:1', 'ftp://127.0.0.1', 'not a url', 'http://127.0.0.1:1/?apiKey=x']) {
      let e: unknown;
      try {
        createKysoClient({ baseUrl });
      } catch (x) {
        e = x;
      }
      expect(e, baseUrl).toBeInstanceOf(KysoClientError);
      expect(e).toMatchObject({ status: 0, code: 'CLIENT_OPTIONS_INVALID', messageVi: expect.stringContaining('baseUrl') });
      expect((e as Error).message).not.toContain('key@');
    }
  });

  it('refuses an API key fetch could not send, without quoting it', () => {
    expect(() => createKysoClient({ baseUrl: svc.url, apiKey: 'khóa bí mật' })).toThrow(expect.objectContaining({ code: 'CLIENT_OPTIONS_INVALID', message: expect.not.stringContaining('bí mật') }));
  });

  it('refuses a header value that is not ASCII before sending anything', async () => {
    const kyso = createKysoClient({ baseUrl: svc.url, apiKey: svc.keys.clerk });
    await expect(kyso.codes.caseCodes({ identity: 'ubnd-xa', idempotencyKey: 'hồ-sơ-1' })).rejects.toMatchObject({ code: 'CLIENT_OPTIONS_INVALID' });
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await expect(createKysoClient({ baseUrl: 'https://kyso.example.gov.vn', fetch: fake }).health()).resolves.toEqual({ status: 'ok' });
    expect(calls).toEqual(['https://kyso.example.gov.vn/healthz']);
  });
});
