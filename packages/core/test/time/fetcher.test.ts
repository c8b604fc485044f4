/** The default Fetcher: redirects only on the same host, size limits, timeouts, typed errors; offline mode. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher, httpFetcher, offlineFetcher } from '../../src/time/index.js';
import { expectKysoError } from './fixture.js';

let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/ok') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(`${req.method} ${req.headers['content-type'] ?? '-'} ${Buffer.concat(chunks).toString()}`));
      return;
    }
    req.resume();
    if (url === '/same-host') res.writeHead(307, { location: '/ok' }).end();
    else if (url === '/see-other') res.writeHead(303, { location: `http://127.0.0.1:${port}/ok` }).end();
    else if (url === '/other-host') res.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    else if (url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (url === '/big') res.end(Buffer.alloc(5000));
    else if (url === '/big-chunked') {
      res.write(Buffer.alloc(3000));
      res.end(Buffer.alloc(3000));
    } else if (url === '/hang') setTimeout(() => res.end('late'), 3000);
    else res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('httpFetcher', () => {
  it('POSTs a body with its content type', async () => {
    const body = await httpFetcher(`${base}/ok`, { body: new Uint8Array(Buffer.from('xin chào')), contentType: 'application/ocsp-request' });
    expect(Buffer.from(body).toString()).toBe('POST application/ocsp-request xin chào');
  });

  it('follows same-host redirects (307 keeps the method, 303 turns into GET) and refuses other hosts and loops', async () => {
    expect(Buffer.from(await httpFetcher(`${base}/same-host`, { body: Uint8Array.of(0x41) })).toString()).toBe('POST application/octet-stream A');
    expect(Buffer.from(await httpFetcher(`${base}/see-other`, { body: Uint8Array.of(0x41) })).toString()).toBe('GET - ');
    await expectKysoError(httpFetcher(`${base}/other-host`, {}), 'NETWORK_FAILED', 'redirect');
    await expectKysoError(httpFetcher(`${base}/loop`, {}), 'NETWORK_FAILED', 'redirect');
    await expectKysoError(createHttpFetcher({ maxRedirects: 0 })(`${base}/same-host`, {}), 'NETWORK_FAILED', 'redirect');
  });

  it('limits the size, declared or streamed', async () => {
    await expectKysoError(httpFetcher(`${base}/big`, { maxBytes: 4096 }), 'NETWORK_FAILED', 'too-large');
    await expectKysoError(httpFetcher(`${base}/big-chunked`, { maxBytes: 4096 }), 'NETWORK_FAILED', 'too-large');
    expect((await httpFetcher(`${base}/big-chunked`, { maxBytes: 6000 })).byteLength).toBe(6000);
  });

  it('times out, reports HTTP errors, refused connections and bad URLs', async () => {
    const t = await expectKysoError(httpFetcher(`${base}/hang`, { timeoutMs: 200 }), 'NETWORK_TIMEOUT');
    expect(t.ms).toBeLessThan(1000);
    await expectKysoError(httpFetcher(`${base}/error`, {}), 'NETWORK_FAILED', 'http-status');
    // A port nothing listens on: bind one, note it, close it.
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const closedPort = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    await expectKysoError(httpFetcher(`http://127.0.0.1:${closedPort}/`, {}), 'NETWORK_FAILED', 'refused');
    await expectKysoError(httpFetcher('ftp://127.0.0.1/x', {}), 'NETWORK_FAILED', 'bad-url');
    await expectKysoError(httpFetcher('not a url', {}), 'NETWORK_FAILED', 'bad-url');
  });

  it('offlineFetcher never connects', async () => {
    await expectKysoError(offlineFetcher(`${base}/ok`, {}), 'NETWORK_FAILED', 'offline');
  });
});
