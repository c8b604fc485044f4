import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

/*
 * Clients that hold connections instead of using them: slowloris (headers a
 * byte at a time), thousands of connections that never send a byte, huge
 * headers, malformed multipart. The service keeps answering everyone else,
 * closes what stalls near its deadline, and its memory stays bounded.
 */

const DEADLINE_MS = 2000;
let t: TwoAgencies;
beforeAll(async () => {
  t = await startTwoAgencies({ requestTimeoutMs: DEADLINE_MS });
});
afterAll(async () => {
  await t?.server.close();
});

const address = () => {
  const { hostname, port } = new URL(t.url);
  return { host: hostname, port: Number(port) };
};

/** Opens a connection; resolves when it is open, with a promise of when (and whether) the server closed it. */
function open(): Promise<{ socket: Socket; closed: Promise<number>; opened: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(address());
    socket.on('error', () => undefined);
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now())));
    socket.once('connect', () => resolve({ socket, closed, opened: Date.now() }));
    socket.once('error', reject);
  });
}

/** A normal signature request, timed. */
async function signTimed(): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const r = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh) }, body: samplePdf() });
  await r.arrayBuffer();
  return { status: r.status, ms: Date.now() - started };
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** The connections the server holds (accepted), by node's own count. */
const accepted = () => new Promise<number>((resolve, reject) => t.server.app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

describe('slow and idle clients', () => {
  it('slowloris: 300 connections sending their headers a byte every 200 ms are closed near the deadline; a normal request is answered meanwhile', async () => {
    const conns = await Promise.all(Array.from({ length: 300 }, () => open()));
    const head = `POST /v1/sign HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nX-Padding: ${'a'.repeat(200)}`;
    const timers = conns.map((c, i) => {
      let at = 0;
      return setInterval(() => {
        if (at < head.length && !c.socket.destroyed) c.socket.write(head[at++]!);
      }, 200 + (i % 7));
    });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const during = await signTimed();
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(1500);
      const closedAt = await Promise.race([Promise.all(conns.map((c) => c.closed)), new Promise<null>((r) => setTimeout(() => r(null), DEADLINE_MS * 3))]);
      expect(closedAt, 'every slowloris connection is closed by the server').not.toBeNull();
      const longest = Math.max(...closedAt!.map((at, i) => at - conns[i]!.opened));
      // Node checks deadlines every quarter of it: closed within the deadline and a half.
      expect(longest).toBeLessThan(DEADLINE_MS * 1.6);
    } finally {
      for (const tm of timers) clearInterval(tm);
      for (const c of conns) c.socket.destroy();
    }
    expect((await signTimed()).status).toBe(200);
  }, 30_000);

  it('2,000 connections that never send a byte: closed near the deadline, requests answered meanwhile, memory bounded', async () => {
    const before = rssMb();
    const conns: Awaited<ReturnType<typeof open>>[] = [];
    const baseline = await accepted();
    // In batches the server has accepted before the next: a connection the kernel completed but the accept queue dropped
    // (a loaded machine) is one the server never held, and would never be closed by it.
    for (let i = 0; i < 2000; i += 100) {
      conns.push(...(await Promise.all(Array.from({ length: 100 }, () => open()))));
      for (let w = 0; w < 200 && (await accepted()) < baseline + conns.length; w++) await new Promise((r) => setTimeout(r, 10));
    }
    try {
      const during = await signTimed();
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(1500);
      const peak = rssMb();
      // Client and server sockets both live in this process: 4,000 sockets within 64 MB.
      expect(peak - before).toBeLessThan(64);
      const closedAt = await Promise.race([Promise.all(conns.map((c) => c.closed)), new Promise<null>((r) => setTimeout(() => r(null), DEADLINE_MS * 3))]);
      expect(closedAt, 'every idle connection is closed by the server').not.toBeNull();
      expect(Math.max(...closedAt!.map((at, i) => at - conns[i]!.opened))).toBeLessThan(DEADLINE_MS * 1.6);
    } finally {
      for (const c of conns) c.socket.destroy();
    }
    expect((await signTimed()).status).toBe(200);
  }, 60_000);

  it('huge headers and malformed multipart are refused in kyso\'s shape without disturbing the next request', async () => {
    const huge = await new Promise<string>((resolve) => {
      const s = connect(address(), () => s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(64 * 1024)}\r\n\r\n`));
      let text = '';
      s.on('data', (d) => (text += d.toString('latin1')));
      s.on('error', () => undefined);
      s.on('close', () => resolve(text));
    });
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('"code":"HEADERS_TOO_LARGE"');
    const broken = await fetch(`${t.url}/v1/sign`, {
      method: 'POST',
      headers: { ...bearer(t.keys.binh), 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 and then the form just ends',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { code: string }).code).toBe('REQUEST_INVALID');
    const noBoundary = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { ...bearer(t.keys.binh), 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(noBoundary.status).toBeGreaterThanOrEqual(400);
    expect(noBoundary.status).toBeLessThan(500);
    expect((await signTimed()).status).toBe(200);
  }, 30_000);
});
