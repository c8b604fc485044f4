/**
 * The VGCA plugin-compatible endpoints against a stand-in "procedure
 * system" on loopback that serves the document and receives the signed file
 * the way the desktop plugin posts it (multipart field `uploadfile`).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { bearer, samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

interface Received {
  auth: string | undefined;
  fields: Record<string, string>;
  file: Buffer | null;
}

/** A tiny procedure system: GET /files/doc.pdf, POST /upload (multipart). */
async function procedureSystem(): Promise<{ origin: string; received: Received[]; hits: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const hits = [0];
  const server = http.createServer((req, res) => {
    hits[0]!++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/files/doc.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end(samplePdf());
      if (req.method === 'POST' && req.url === '/upload') {
        const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1];
        const body = Buffer.concat(chunks);
        const r: Received = { auth: req.headers.authorization, fields: {}, file: null };
        for (const part of body.toString('latin1').split(`--${boundary}`)) {
          const m = /name="([^"]+)"(?:; filename="[^"]*")?\r\n(?:Content-Type: [^\r]*\r\n)?\r\n([\s\S]*)\r\n$/.exec(part);
          if (!m) continue;
          if (m[1] === 'uploadfile') r.file = Buffer.from(m[2]!, 'latin1');
          else r.fields[m[1]!] = Buffer.from(m[2]!, 'latin1').toString('utf8');
        }
        received.push(r);
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ FileName: `stored-${received.length}.pdf` }));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    hits,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

let sys: Awaited<ReturnType<typeof procedureSystem>>;
let stranger: Awaited<ReturnType<typeof procedureSystem>>;
let env: TwoAgencies;
const dir = tempDir('kyso-vgca-');

beforeAll(async () => {
  sys = await procedureSystem();
  stranger = await procedureSystem();
  env = await startTwoAgencies({ vgca: { allowHosts: [new URL(sys.origin).host], identity: 'binh-dinh' } });
});
afterAll(async () => {
  await env?.server.close();
  await sys?.close();
  await stranger?.close();
});

async function call(endpoint: string, body: unknown, key = env.keys.binh): Promise<{ status: number; json: { Status: number; Message: string; FileName: string; FileServer: string } }> {
  const res = await fetch(`${env.url}/vgca/${endpoint}`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as never };
}

describe('VGCA plugin-compatible endpoints', () => {
  it('SignPDF downloads, signs with the configured identity, uploads as `uploadfile`, answers Status 0', async () => {
    const r = await call('SignPDF', { FileName: `${sys.origin}/files/doc.pdf`, FileUploadHandler: `${sys.origin}/upload`, SessionId: 'phien-123', JWTToken: 'jwt-abc' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ Status: 0, FileName: 'stored-1.pdf', FileServer: sys.origin });
    const got = sys.received[0]!;
    expect(got.auth).toBe('Bearer jwt-abc');
    expect(got.fields.SessionId).toBe('phien-123');
    const file = join(dir, 'vgca-signed.pdf');
    writeFileSync(file, got.file!);
    const [sig] = pdfsig(file, await nssDbForTestPki());
    expect(sig?.signatureValid).toBe(true);
    expect(sig?.certificateTrusted).toBe(true);
  });

  it('SignCopy draws the SAO Y stamp', async () => {
    const r = await call('SignCopy', { FileName: `${sys.origin}/files/doc.pdf`, FileUploadHandler: `${sys.origin}/upload` });
    expect(r.json.Status).toBe(0);
    const file = join(dir, 'vgca-copy.pdf');
    writeFileSync(file, sys.received[sys.received.length - 1]!.file!);
    expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout).toContain('SAO Y');
  });

  it('refuses hosts off the allow-list, for download and upload, without contacting them', async () => {
    const before = stranger.hits[0];
    const a = await call('SignPDF', { FileName: `${stranger.origin}/files/doc.pdf`, FileUploadHandler: `${sys.origin}/upload` });
    expect(a.json.Status).toBe(5);
    const b = await call('SignPDF', { FileName: `${sys.origin}/files/doc.pdf`, FileUploadHandler: `${stranger.origin}/upload` });
    expect(b.json.Status).toBe(5);
    const c = await call('SignPDF', { FileName: 'file:///etc/passwd', FileUploadHandler: `${sys.origin}/upload` });
    expect(c.json.Status).toBe(5);
    expect(stranger.hits[0]).toBe(before);
  });

  it('needs an API key allowed to use the identity', async () => {
    const r = await fetch(`${env.url}/vgca/SignPDF`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ FileName: `${sys.origin}/files/doc.pdf` }) });
    expect(r.status).toBe(401);
    const other = await call('SignPDF', { FileName: `${sys.origin}/files/doc.pdf`, FileUploadHandler: `${sys.origin}/upload` }, env.keys.hanoi);
    expect(other.status).toBe(403);
  });

  it('VerifyPDF answers with the Vietnamese report', async () => {
    const r = await call('VerifyPDF', { FileName: `${sys.origin}/files/doc.pdf` });
    expect(r.json.Status).toBe(1); // the sample is not signed
    expect(r.json.Message).toContain('chưa được ký');
  });
});
