import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { hasTool, pdfsig } from '../../core/test/helpers/external-tools.js';
import { bearer, samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

let t: TwoAgencies;
let nss: string;

beforeAll(async () => {
  t = await startTwoAgencies({ bodyLimit: 200 * 1024 });
  nss = join(tempDir('kyso-server-nss-'), 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, t.pki.root.certPem);
});
afterAll(async () => {
  await t?.server.close();
});

const pdfHeaders = (key?: string) => ({ 'content-type': 'application/pdf', ...(key ? bearer(key) : {}) });

async function audit(): Promise<{ seq: number; operation: string; result: string; status: number; keyId: string | null; identity: string | null; code: string | null; field: string | null; inputSha256: string | null; outputSha256: string | null }[]> {
  const r = await fetch(`${t.url}/v1/audit?limit=1000`, { headers: bearer(t.keys.reader) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { records: never[] }).records;
}

describe('POST /v1/sign over HTTP', () => {
  it('signs a PDF that pdfsig and /v1/verify accept, with the field, audit id and result code', async () => {
    const reason = 'Chứng thực bản sao';
    const r = await fetch(`${t.url}/v1/sign?identity=binh-dinh&reason=${encodeURIComponent(reason)}&resultCode=052090000495.KQ.G15.000021.02022024`, {
      method: 'POST',
      headers: { ...pdfHeaders(t.keys.binh), 'x-kyso-location': encodeURIComponent('Bình Định') },
      body: samplePdf(),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-kyso-field')).toBe('Signature1');
    expect(r.headers.get('x-kyso-result-code')).toBe('052090000495.KQ.G15.000021.02022024');
    const auditId = Number(r.headers.get('x-kyso-audit-id'));
    expect(auditId).toBeGreaterThan(0);
    const signed = Buffer.from(await r.arrayBuffer());

    if (hasTool('pdfsig')) {
      const file = join(tempDir(), 'signed.pdf');
      writeFileSync(file, signed);
      const [sig] = pdfsig(file, nss);
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
      expect(sig?.field).toBe('Signature1');
    }

    const v = await fetch(`${t.url}/v1/verify?lang=en`, { method: 'POST', headers: pdfHeaders(), body: signed });
    expect(v.status).toBe(200);
    const report = (await v.json()) as { verdict: string; signatures: { reason: string; location: string; chain: { trusted: boolean } }[]; resultCode: { value: string; signedBy: number[] } };
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]?.reason).toBe(reason);
    expect(report.signatures[0]?.location).toBe('Bình Định');
    expect(report.signatures[0]?.chain.trusted).toBe(true);
    expect(report.resultCode).toMatchObject({ value: '052090000495.KQ.G15.000021.02022024', signedBy: [1] });

    const rec = (await audit()).find((a) => a.seq === auditId)!;
    expect(rec).toMatchObject({ operation: 'sign', keyId: 'binh', identity: 'binh-dinh', field: 'Signature1', code: '052090000495.KQ.G15.000021.02022024', result: 'ok', status: 200 });
    expect(rec.outputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.inputSha256).not.toBe(rec.outputSha256);
  });

  it('uses the only identity of a key when none is named, and signs twice in sequence', async () => {
    const first = await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: pdfHeaders(t.keys.hanoi), body: samplePdf() });
    expect(first.status).toBe(200);
    const second = await fetch(`${t.url}/v1/sign?field=CoQuan`, { method: 'POST', headers: pdfHeaders(t.keys.binh), body: Buffer.from(await first.arrayBuffer()) });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-kyso-field')).toBe('CoQuan');
    const v = await fetch(`${t.url}/v1/verify?format=text&lang=vi`, { method: 'POST', headers: pdfHeaders(), body: Buffer.from(await second.arrayBuffer()) });
    expect(v.status).toBe(200);
    expect(v.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});

describe('bad requests get a typed 4xx and an audit record each', () => {
  const truncated = () => samplePdf().subarray(0, 600);
  const cases: [string, () => { path: string; init: RequestInit }, number, string][] = [
    ['no API key', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(), body: samplePdf() } }), 401, 'AUTH_REQUIRED'],
    ['a wrong API key', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders('kyso_not-a-real-key'), body: samplePdf() } }), 401, 'AUTH_REQUIRED'],
    ['a key of another agency', () => ({ path: '/v1/sign?identity=binh-dinh', init: { method: 'POST', headers: pdfHeaders(t.keys.hanoi), body: samplePdf() } }), 403, 'FORBIDDEN'],
    ['a key without the sign permission', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(t.keys.reader), body: samplePdf() } }), 403, 'FORBIDDEN'],
    ['an unknown identity', () => ({ path: '/v1/sign?identity=nobody', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), 400, 'IDENTITY_UNKNOWN'],
    ['not a PDF', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: Buffer.from('hello, this is not a PDF') } }), 422, 'PDF_NOT_PDF'],
    ['an empty body', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: Buffer.alloc(0) } }), 422, 'PDF_EMPTY'],
    ['a truncated PDF', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: truncated() } }), 422, 'PDF_'],
    ['a truncated PDF to verify', () => ({ path: '/v1/verify', init: { method: 'POST', headers: pdfHeaders(), body: truncated() } }), 422, 'PDF_'],
    ['an oversized body', () => ({ path: '/v1/sign', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024, 0x20)]) } }), 413, 'BODY_TOO_LARGE'],
    ['a JSON body to sign', () => ({ path: '/v1/sign', init: { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t.keys.binh) }, body: '{}' } }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an unknown query option', () => ({ path: '/v1/sign?colour=red', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), 400, 'REQUEST_INVALID'],
    ['a bad level', () => ({ path: '/v1/sign?level=B-X', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), 400, 'REQUEST_INVALID'],
    ['B-T without a TSA', () => ({ path: '/v1/sign?level=B-T', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), 400, 'LEVEL_NEEDS_TSA'],
    ['a malformed result code', () => ({ path: '/v1/sign?resultCode=nonsense', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), 400, 'CODE_INVALID'],
    ['malformed JSON', () => ({ path: '/v1/codes/case', init: { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t.keys.binh) }, body: '{"count": 1,' } }), 400, 'REQUEST_MALFORMED'],
    ['a JSON body that breaks the schema', () => ({ path: '/v1/codes/cert-number', init: { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t.keys.binh) }, body: '{"book": "two"}' } }), 400, 'REQUEST_INVALID'],
    ['a bad verify policy', () => ({ path: '/v1/verify?policy=nasa', init: { method: 'POST', headers: pdfHeaders(), body: samplePdf() } }), 400, 'REQUEST_INVALID'],
  ];

  it.each(cases)('%s', async (_name, make, status, code) => {
    const before = (await audit()).length;
    const { path, init } = make();
    const r = await fetch(`${t.url}${path}`, init);
    const body = (await r.json()) as { code: string; message: string; messageVi: string };
    expect(r.status).toBe(status);
    expect(Object.keys(body).sort()).toEqual(['code', 'message', 'messageVi']);
    expect(body.code.startsWith(code), body.code).toBe(true);
    expect(body.messageVi.length).toBeGreaterThan(0);
    if (status === 401) expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(r.headers.get('x-kyso-audit-id')).toMatch(/^\d+$/);
    const after = await audit();
    // The failed request got its own record (the audit read itself is the next one).
    const rec = after.find((a) => a.seq === Number(r.headers.get('x-kyso-audit-id')))!;
    expect(rec.status).toBe(status);
    expect(rec.result).toBe(body.code);
    expect(rec.outputSha256).toBeNull();
    expect(after.length).toBe(before + 2);
  });

  it('answers unknown routes with a typed 404', async () => {
    const r = await fetch(`${t.url}/v1/nothing`);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

type Json = any;

describe('codes', () => {
  const json = (key: string, idem?: string) => ({ 'content-type': 'application/json', ...bearer(key), ...(idem ? { 'idempotency-key': idem } : {}) });

  it('gives the same case code for the same Idempotency-Key and a new one otherwise', async () => {
    const a: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh, 'req-1'), body: '{}' })).json();
    const b: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh, 'req-1'), body: '{}' })).json();
    const c: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh, 'req-2'), body: '{}' })).json();
    expect(a.codes[0].code).toMatch(/^000\.00\.00\.H56-\d{6}-\d{4}$/);
    expect(b).toEqual(a);
    expect(c.codes[0].sequence).toBe(a.codes[0].sequence + 1);
    // Another client's same idempotency key is its own request.
    const d: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.hanoi, 'req-1'), body: '{}' })).json();
    expect(d.agency).toBe('000.00.00.H26');
  });

  it('issues certification numbers and result codes, idempotently, and voids them', async () => {
    const n1: Json = await (await fetch(`${t.url}/v1/codes/cert-number`, { method: 'POST', headers: json(t.keys.binh, 'cert-1'), body: '{"book": 2}' })).json();
    const n2: Json = await (await fetch(`${t.url}/v1/codes/cert-number`, { method: 'POST', headers: json(t.keys.binh, 'cert-1'), body: '{"book": 2}' })).json();
    expect(n2).toEqual(n1);
    expect(n1.numbers[0].line).toMatch(/^Số chứng thực: \d+ {2}Quyển số: 02\/\d{4}-SCTĐT\/BS$/);

    const res = await fetch(`${t.url}/v1/codes/result`, { method: 'POST', headers: json(t.keys.binh, 'res-1'), body: JSON.stringify({ owner: '052090000495', type: 'G15.000021', suffix: 'SRV1' }) });
    expect(res.status).toBe(200);
    const r1: Json = await res.json();
    const r2: Json = await (await fetch(`${t.url}/v1/codes/result`, { method: 'POST', headers: json(t.keys.binh, 'res-1'), body: JSON.stringify({ owner: '052090000495', type: 'G15.000021', suffix: 'SRV1' }) })).json();
    expect(r2).toEqual(r1);
    const again = await fetch(`${t.url}/v1/codes/result`, { method: 'POST', headers: json(t.keys.binh), body: JSON.stringify({ owner: '052090000495', type: 'G15.000021', suffix: 'SRV1' }) });
    expect(again.status).toBe(409);

    // Another agency's key cannot void it; its owner can, once (then it stays voided).
    const foreign = await fetch(`${t.url}/v1/codes/${encodeURIComponent(r1.code)}/void`, { method: 'POST', headers: json(t.keys.hanoi), body: '{}' });
    expect(foreign.status).toBe(403);
    const v = await fetch(`${t.url}/v1/codes/${encodeURIComponent(r1.code)}/void`, { method: 'POST', headers: json(t.keys.binh), body: '{"reason": "nhầm"}' });
    expect(v.status).toBe(200);
    expect(await v.json()).toMatchObject({ kind: 'result', state: 'voided' });

    const certVoid = await fetch(`${t.url}/v1/codes/${n1.numbers[0].id}/void`, { method: 'POST', headers: json(t.keys.binh), body: '{"kind": "cert"}' });
    expect(await certVoid.json()).toMatchObject({ kind: 'cert', state: 'voided' });
  });

  it('voids a case code only for its own agency, and a confirmed code not at all', async () => {
    const a: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh), body: '{"confirm": true}' })).json();
    const code = a.codes[0].code as string;
    expect((await fetch(`${t.url}/v1/codes/${code}/void`, { method: 'POST', headers: json(t.keys.hanoi), body: '{}' })).status).toBe(403);
    const r = await fetch(`${t.url}/v1/codes/${code}/void`, { method: 'POST', headers: json(t.keys.binh), body: '{}' });
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ code: 'CODE_STATE' });
    const b: Json = await (await fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json(t.keys.binh), body: '{}' })).json();
    expect(await (await fetch(`${t.url}/v1/codes/${b.codes[0].code}/void`, { method: 'POST', headers: json(t.keys.binh), body: '{}' })).json()).toMatchObject({ state: 'voided' });
  });
});

describe('operations endpoints', () => {
  it('health, readiness, metrics, OpenAPI', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${t.url}/readyz`, { headers: bearer(t.keys.ops) })).json()).toMatchObject({ status: 'ready', store: 'ok', signers: { 'binh-dinh': 'ok', 'ha-noi': 'ok' } });
    const metrics = await (await fetch(`${t.url}/metrics`, { headers: bearer(t.keys.ops) })).text();
    expect(metrics).toMatch(/kyso_signatures_total\{identity="binh-dinh",level="B-B",result="ok"\} \d+/);
    expect(metrics).toContain('kyso_http_requests_total');
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; parameters: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/sign', '/v1/verify', '/v1/codes/case', '/v1/codes/cert-number', '/v1/codes/result', '/v1/codes/{code}/void', '/v1/audit', '/healthz', '/readyz']));
    expect(Object.keys(doc.paths['/v1/sign']!.post!.requestBody!.content)).toEqual(['application/pdf', 'multipart/form-data']);
    expect(doc.paths['/v1/sign']!.post!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['identity', 'level', 'reason', 'location', 'field', 'resultCode']));
  });

  it('serves the verification page: Vietnamese, self-contained, built on /v1/verify', async () => {
    const r = await fetch(`${t.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await r.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Kiểm tra chữ ký số PDF');
    expect(html).toContain('name="viewport"');
    expect(html).toContain("fetch('v1/verify?lang='");
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });
});

describe('the audit chain over HTTP', () => {
  it('verifies', async () => {
    const r = await fetch(`${t.url}/v1/audit/verify`, { headers: bearer(t.keys.reader) });
    const check = (await r.json()) as { ok: boolean; records: number };
    expect(check.ok).toBe(true);
    expect(check.records).toBeGreaterThan(10);
  });

  it('is refused to keys without the audit permission', async () => {
    expect((await fetch(`${t.url}/v1/audit`, { headers: bearer(t.keys.binh) })).status).toBe(403);
  });
});
