/**
 * Signing and verification on the worker threads (piscina): the same
 * results as on the main thread, keys that stay apart when several
 * identities share the threads, errors that keep their code and Vietnamese
 * message across the thread boundary, audit digests computed on the thread
 * that match the bytes on the wire, and bodies streamed without a length.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, verifyPdf, TrustStore, type Signer } from '@kyso/core';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function sign(t: TwoAgencies, key: string, body: Uint8Array): Promise<{ status: number; pdf: Buffer; json?: { code: string; message: string; messageVi: string }; auditId: number; field: string | null }> {
  const r = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/pdf' }, body });
  const bytes = Buffer.from(await r.arrayBuffer());
  return {
    status: r.status,
    pdf: bytes,
    ...(r.status >= 400 ? { json: JSON.parse(bytes.toString('utf8')) as { code: string; message: string; messageVi: string } } : {}),
    auditId: Number(r.headers.get('x-kyso-audit-id')),
    field: r.headers.get('x-kyso-field'),
  };
}

async function signerSha256(pdf: Uint8Array, root: string): Promise<string[]> {
  const store = TrustStore.forPolicy('bcy');
  store.addAnchors(root);
  const report = await verifyPdf(pdf, { trustStore: store });
  expect(report.verdict).toBe('valid');
  return report.signatures.map((s) => s.signer!.sha256);
}

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

for (const workers of [2, 0]) {
  describe(`with workers: ${workers}`, () => {
    let t: TwoAgencies;
    beforeAll(async () => {
      t = await startTwoAgencies({ workers });
    });
    afterAll(async () => {
      await t?.server.close();
    });

    it('signs many documents at once for two identities, each with its own key, and audits the digests of the bytes on the wire', async () => {
      const input = samplePdf();
      const jobs = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? ('binh' as const) : ('hanoi' as const)));
      const results = await Promise.all(jobs.map((k) => sign(t, t.keys[k], input)));
      const org = fingerprint(t.pki.organisation.certPem);
      const personal = fingerprint(t.pki.personal.certPem);
      for (const [i, r] of results.entries()) {
        expect(r.status).toBe(200);
        expect(r.pdf.subarray(0, input.length).equals(input)).toBe(true); // an incremental update
        expect(await signerSha256(r.pdf, t.pki.root.certPem)).toEqual([jobs[i] === 'binh' ? org : personal]);
      }
      const records = await t.server.store.listAudit({ limit: 1000 });
      for (const r of results) {
        const rec = records.find((x) => x.seq === r.auditId)!;
        expect(rec.inputSha256).toBe(sha256(input));
        expect(rec.outputSha256).toBe(sha256(r.pdf));
        expect(rec.field).toBe(r.field);
      }
    });

    it('reports the threads and the work they did in /metrics', async () => {
      const text = await (await fetch(`${t.url}/metrics`, { headers: bearer(t.keys.ops) })).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value('kyso_worker_threads')).toBe(workers);
      if (workers > 0) expect(value('kyso_worker_tasks_completed')).toBeGreaterThanOrEqual(24);
      else expect(value('kyso_worker_tasks_completed')).toBe(0);
    });

    it('verifies on the threads: the same report as the library, in both languages', async () => {
      const signed = (await sign(t, t.keys.binh, samplePdf())).pdf;
      const json = (await (await fetch(`${t.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: signed })).json()) as { verdict: string; signatures: { signer: { sha256: string } }[] };
      expect(json.verdict).toBe('valid');
      expect(json.signatures[0]!.signer.sha256).toBe(fingerprint(t.pki.organisation.certPem));
      const vi = await (await fetch(`${t.url}/v1/verify?format=text&lang=vi`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: signed })).text();
      const en = await (await fetch(`${t.url}/v1/verify?format=text&lang=en`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: signed })).text();
      expect(vi).toMatch(/hợp lệ/i);
      expect(en).toMatch(/valid/i);
      expect(vi).not.toBe(en);
    });

    it('keeps a PDF error typed across the thread boundary, with its audit record and input digest', async () => {
      const truncated = samplePdf().subarray(0, 2000);
      const r = await sign(t, t.keys.binh, truncated);
      expect(r.status).toBe(422);
      expect(r.json!.code).toBe('PDF_TRUNCATED');
      expect(r.json!.messageVi).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i);
      const rec = (await t.server.store.listAudit({ limit: 1000 })).find((x) => x.seq === r.auditId)!;
      expect(rec.result).toBe('PDF_TRUNCATED');
      expect(rec.inputSha256).toBe(sha256(truncated));
      expect(rec.outputSha256).toBeNull();
    });

    it('reads a body sent without Content-Length (chunked) and refuses one that grows past the limit', async () => {
      const input = samplePdf();
      const send = (chunks: Buffer[]) =>
        new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
          const u = new URL(`${t.url}/v1/sign`);
          const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...bearer(t.keys.binh), 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' } }, (res) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts) }));
          });
          req.on('error', reject);
          for (const c of chunks) req.write(c);
          req.end();
        });
      const ok = await send([input.subarray(0, 1000), input.subarray(1000, 5000), input.subarray(5000)]);
      expect(ok.status).toBe(200);
      expect(await signerSha256(ok.body, t.pki.root.certPem)).toEqual([fingerprint(t.pki.organisation.certPem)]);
    });
  });
}

describe('a signer that fails on the main thread while the document is on a worker', () => {
  let t: TwoAgencies;
  beforeAll(async () => {
    const pki = (await import('@kyso/core/testing')).loadOrCreateTestPki;
    const p = await pki();
    const inner = SoftwareSigner.fromPem({ key: p.organisation.keyPem, cert: p.organisation.certPem, chain: p.chainPem });
    const broken: Signer = {
      certificate: inner.certificate,
      chain: inner.chain,
      signatureAlgorithm: inner.signatureAlgorithm,
      maxSignatureSize: inner.maxSignatureSize,
      sign: () => Promise.reject(new KysoError('PKCS11_ERROR', 'The token failed (CKR_DEVICE_ERROR).', { vi: 'Thiết bị ký báo lỗi (CKR_DEVICE_ERROR).' })),
    };
    t = await startTwoAgencies({
      workers: 2,
      bodyLimit: 64 * 1024,
      identities: [
        { name: 'binh-dinh', agency: '000.00.00.H56', signer: broken },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: inner },
      ],
    });
  });
  afterAll(async () => {
    await t?.server.close();
  });

  it('answers with the token error code (503) and Vietnamese message, and the other identity keeps signing', async () => {
    const r = await sign(t, t.keys.binh, samplePdf());
    expect(r.status).toBe(503);
    expect(r.json!.code).toBe('PKCS11_ERROR');
    const ok = await sign(t, t.keys.hanoi, samplePdf());
    expect(ok.status).toBe(200);
    const rec = (await t.server.store.listAudit({ limit: 100 })).find((x) => x.seq === r.auditId)!;
    expect(rec.result).toBe('PKCS11_ERROR');
    expect(rec.outputSha256).toBeNull();
    const metrics = await (await fetch(`${t.url}/metrics`, { headers: bearer(t.keys.ops) })).text();
    expect(metrics).toMatch(/^kyso_signer_errors_total\{identity="binh-dinh",code="PKCS11_ERROR"\} 1$/m);
    expect(metrics).toMatch(/^kyso_signatures_total\{identity="binh-dinh",level="B-B",result="error"\} 1$/m);
    expect(metrics).toMatch(/^kyso_signatures_total\{identity="ha-noi",level="B-B",result="ok"\} 1$/m);
  });

  it('refuses a chunked body that grows past the limit with 413', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(80 * 1024, 0x20)]);
    const status = await new Promise<number>((resolve) => {
      const u = new URL(`${t.url}/v1/sign`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...bearer(t.keys.hanoi), 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', () => resolve(0));
      for (let i = 0; i < big.length; i += 8192) req.write(big.subarray(i, i + 8192));
      req.end();
    });
    expect(status).toBe(413);
  });
});

describe('when the audit log cannot be written', () => {
  let t: TwoAgencies;
  beforeAll(async () => {
    t = await startTwoAgencies();
  });
  afterAll(async () => {
    await t?.server.close();
  });

  it('returns a typed 503 instead of the signed document, and signs again once the log is back', async () => {
    const store = t.server.store as { appendAudit: (...a: unknown[]) => Promise<unknown> };
    const real = store.appendAudit.bind(store);
    store.appendAudit = () => Promise.reject(new Error('disk I/O error'));
    try {
      const r = await sign(t, t.keys.binh, samplePdf());
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ code: 'AUDIT_UNAVAILABLE', message: expect.stringMatching(/audit log/) as unknown, messageVi: expect.stringMatching(/nhật ký kiểm toán/) as unknown });
      expect(r.pdf.includes('%PDF-')).toBe(false);
      expect(r.field).toBeNull();
    } finally {
      store.appendAudit = real;
    }
    const ok = await sign(t, t.keys.binh, samplePdf());
    expect(ok.status).toBe(200);
    expect(ok.auditId).toBeGreaterThan(0);
  });
});
