import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

/*
 * A stalled upload over a real socket: the service cuts it off near its
 * deadline with 408 in kyso's error shape, closes the connection, signs
 * nothing, and keeps answering everyone else.
 */

let t: TwoAgencies;
beforeAll(async () => {
  t = await startTwoAgencies({ requestTimeoutMs: 1000 });
});
afterAll(async () => {
  await t?.server.close();
});

/** Sends `head` and a part of a body, then nothing; resolves with what the server wrote before it closed, and when. */
function stall(url: string, head: string, partial: Buffer): Promise<{ text: string; ms: number; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(head);
      socket.write(partial);
    });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, ms: Date.now() - started, closed: true }));
    setTimeout(() => {
      socket.destroy();
      resolve({ text, ms: Date.now() - started, closed: false });
    }, 10_000);
  });
}

describe('a request that does not arrive in time', () => {
  it('is cut off with 408 REQUEST_TIMEOUT in kyso shape within the deadline plus a quarter, and nothing is signed', async () => {
    const pdf = samplePdf();
    const auditBefore = await (await fetch(`${t.url}/v1/audit?limit=1000`, { headers: bearer(t.keys.reader) })).json() as { records?: unknown[] };
    const head = `POST /v1/sign?identity=binh-dinh HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.keys.binh}\r\nContent-Type: application/pdf\r\nContent-Length: ${pdf.length}\r\n\r\n`;
    const r = await stall(t.url, head, pdf.subarray(0, 1000));
    expect(r.closed).toBe(true);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.text).toMatch(/content-type: application\/json/i);
    const body = JSON.parse(r.text.slice(r.text.indexOf('\r\n\r\n') + 4)) as { code: string; message: string; messageVi: string };
    expect(body.code).toBe('REQUEST_TIMEOUT');
    expect(body.messageVi.length).toBeGreaterThan(0);
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(r.ms).toBeLessThan(1000 + 250 + 1000); // deadline + checking interval + slack for a loaded machine
    // One record for the cut-off request, as a refusal: 408, nothing read, nothing signed.
    // The record is written once the socket is closed, so it may land just after the client sees the close.
    type Row = { operation: string; status: number; result: string; outputSha256: string | null; keyId: string };
    let added: Row[] = [];
    for (let i = 0; i < 100 && added.length === 0; i++) {
      const auditAfter = await (await fetch(`${t.url}/v1/audit?limit=1000`, { headers: bearer(t.keys.reader) })).json() as { records?: unknown[] };
      added = ((auditAfter.records ?? []) as Row[]).slice((auditBefore.records ?? []).length).filter((r) => r.operation === 'sign');
      if (added.length === 0) await new Promise((res) => setTimeout(res, 20));
    }
    expect(added).toEqual([expect.objectContaining({ keyId: 'binh', status: 408, result: 'REQUEST_TIMEOUT', outputSha256: null })]);
    // Everyone else is still served.
    const ok = await fetch(`${t.url}/v1/sign?identity=binh-dinh`, { method: 'POST', headers: { ...bearer(t.keys.binh), 'content-type': 'application/pdf' }, body: pdf });
    expect(ok.status).toBe(200);
  });

  it('a client that hangs up mid-upload is audited as 400 REQUEST_ABORTED, not as an internal error', async () => {
    const pdf = samplePdf();
    const list = async () => ((await (await fetch(`${t.url}/v1/audit?limit=1000`, { headers: bearer(t.keys.reader) })).json()) as { records: { operation: string; status: number; result: string }[] }).records;
    const before = (await list()).length;
    const { hostname, port } = new URL(t.url);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => {
        socket.write(`POST /v1/sign?identity=binh-dinh HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.keys.binh}\r\nContent-Type: application/pdf\r\nContent-Length: ${pdf.length}\r\n\r\n`);
        socket.write(pdf.subarray(0, 1000), () => setTimeout(() => socket.destroy(), 100));
      });
      socket.on('close', () => resolve());
    });
    let added: { operation: string; status: number; result: string }[] = [];
    for (let i = 0; i < 50 && added.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      added = (await list()).slice(before).filter((r) => r.operation === 'sign');
    }
    expect(added).toEqual([expect.objectContaining({ status: 400, result: 'REQUEST_ABORTED' })]);
  });
});
