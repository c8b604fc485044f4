/**
 * POST /v1/sign with multipart/form-data (the PDF as the file part `file`,
 * the options as text fields) and with allocateResultCode (a result code
 * reserved per Idempotency-Key, written under the signature, confirmed once
 * signed, voided when signing fails), over loopback HTTP.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, parseResultCode, SoftwareSigner, TrustStore, verifyPdf, type Signer } from '@kyso/core';
import { SqliteSequenceStore, type AllocationState } from '@kyso/core/codes';
import { createNssDb, loadOrCreateTestPki } from '@kyso/core/testing';
import { hasTool, pdfsig } from '../../core/test/helpers/external-tools.js';
import { form, trackSharedBlocks, type FormEntry } from './form-helpers.js';
import { bearer, samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

const BODY_LIMIT = 200 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const { expectNoBlockHeld } = trackSharedBlocks();

interface Answer {
  status: number;
  body: Buffer;
  json: { code: string; message: string; messageVi: string } | undefined;
  headers: Headers;
  auditId: number;
}

async function post(t: TwoAgencies, body: RequestInit['body'], headers: Record<string, string>, query = ''): Promise<Answer> {
  const r = await fetch(`${t.url}/v1/sign${query ? `?${query}` : ''}`, { method: 'POST', headers, body });
  const bytes = Buffer.from(await r.arrayBuffer());
  return {
    status: r.status,
    body: bytes,
    json: r.status >= 400 ? (JSON.parse(bytes.toString('utf8')) as Answer['json']) : undefined,
    headers: r.headers,
    auditId: Number(r.headers.get('x-kyso-audit-id')),
  };
}

async function auditRecord(t: TwoAgencies, seq: number) {
  const rec = (await t.server.store.listAudit({ limit: 1000 })).find((r) => r.seq === seq);
  expect(rec, `audit record ${seq}`).toBeDefined();
  return rec!;
}

/** A result code's state in the ledger, read beside the server's own connection. */
async function ledgerState(t: TwoAgencies, code: string): Promise<AllocationState | undefined> {
  const p = parseResultCode(code);
  const store = await SqliteSequenceStore.open({ dataDir: t.dataDir });
  try {
    return (await store.get({ kind: 'result', agency: p.owner, period: p.type + (p.suffix ? `.${p.suffix}` : '') }, 1))?.state;
  } finally {
    await store.close();
  }
}

async function resultCodesOf(t: TwoAgencies, owner: string): Promise<number> {
  const store = await SqliteSequenceStore.open({ dataDir: t.dataDir });
  try {
    return (await store.ledger({ kind: 'result', agency: owner })).length;
  } finally {
    await store.close();
  }
}

async function report(t: TwoAgencies, pdf: Uint8Array) {
  const r = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(t.pki.root.certPem) });
  expect(r.verdict).toBe('valid');
  return r;
}

let owners = 0;
/** A new citizen (province 052) per case: a result code is issued once per owner, type and suffix. */
const freshOwner = () => `0520910${String(++owners).padStart(5, '0')}`;

describe('multipart/form-data', () => {
  let t: TwoAgencies;
  let nss: string;
  beforeAll(async () => {
    t = await startTwoAgencies({ bodyLimit: BODY_LIMIT });
    nss = join(tempDir('kyso-server-nss-'), 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, t.pki.root.certPem);
  });
  afterAll(async () => {
    await t?.server.close();
  });

  it('signs the file part with the options of the text fields; pdfsig accepts it and the audit record names the PDF', async () => {
    const input = samplePdf();
    const reason = 'Phê duyệt hồ sơ';
    const r = await post(t, form(['identity', 'binh-dinh'], ['file', input, 'ho-so.pdf'], ['field', 'CoQuan'], ['reason', reason], ['location', 'Quy Nhơn']), bearer(t.keys.binh));
    expect(r.status, r.body.toString()).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-kyso-field')).toBe('CoQuan');
    expect(r.headers.get('x-kyso-identity')).toBe('binh-dinh');
    expect(r.body.subarray(0, input.length).equals(input)).toBe(true); // an incremental update of the file part, not of the envelope

    if (hasTool('pdfsig')) {
      const file = join(tempDir(), 'signed.pdf');
      writeFileSync(file, r.body);
      const [sig] = pdfsig(file, nss);
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
      expect(sig?.field).toBe('CoQuan');
    }
    const rep = await report(t, r.body);
    expect(rep.signatures[0]).toMatchObject({ field: 'CoQuan', reason, location: 'Quy Nhơn' });

    const rec = await auditRecord(t, r.auditId);
    expect(rec).toMatchObject({ operation: 'sign', keyId: 'binh', identity: 'binh-dinh', field: 'CoQuan', result: 'ok', status: 200 });
    expect(rec.inputSha256).toBe(sha256(input));
    expect(rec.outputSha256).toBe(sha256(r.body));
    await expectNoBlockHeld();
  });

  it('takes options from the query, X-Kyso-* headers and fields together, and reads a form sent without Content-Length', async () => {
    const input = samplePdf();
    const fd = form(['file', input, 'a.pdf'], ['reason', 'Ký số']);
    // A stream body: chunked, so the file part is read without knowing its size beforehand.
    const encoded = new Response(fd);
    const stream = encoded.body!;
    const r = await fetch(`${t.url}/v1/sign?field=Ky1`, {
      method: 'POST',
      headers: { ...bearer(t.keys.binh), 'content-type': encoded.headers.get('content-type')!, 'x-kyso-location': encodeURIComponent('Bình Định') },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const body = Buffer.from(await r.arrayBuffer());
    expect(r.status, body.toString()).toBe(200);
    expect(r.headers.get('x-kyso-field')).toBe('Ky1');
    expect((await report(t, body)).signatures[0]).toMatchObject({ field: 'Ky1', reason: 'Ký số', location: 'Bình Định' });
    const rec = await auditRecord(t, Number(r.headers.get('x-kyso-audit-id')));
    expect(rec.inputSha256).toBe(sha256(input));
    await expectNoBlockHeld();
  });

  it('refuses an option given twice, an unknown field, and a bad value, naming the PDF in the audit record', async () => {
    const input = samplePdf();
    const cases: { what: string; body: FormData; headers?: Record<string, string>; query?: string; message: RegExp }[] = [
      { what: 'query and field', body: form(['file', input, 'a.pdf'], ['reason', 'a']), query: 'reason=b', message: /"reason" is given twice \(query string, form field\)/ },
      { what: 'header and field', body: form(['field', 'A'], ['file', input, 'a.pdf']), headers: { 'x-kyso-field': 'B' }, message: /"field" is given twice \(header x-kyso-field, form field\)/ },
      { what: 'field twice', body: form(['file', input, 'a.pdf'], ['level', 'B-B'], ['level', 'B-B']), message: /"level" is given twice/ },
      { what: 'unknown field', body: form(['file', input, 'a.pdf'], ['colour', 'red']), message: /Unknown form field "colour"/ },
      { what: 'bad field name', body: form(['file', input, 'a.pdf'], ['field', 'a.b']), message: /field \(form field\) must match pattern/ },
      { what: 'bad level', body: form(['level', 'B-X'], ['file', input, 'a.pdf']), message: /level \(form field\) must be equal to one of the allowed values/ },
      { what: 'field too long', body: form(['file', input, 'a.pdf'], ['reason', 'x'.repeat(5000)]), message: /"reason" is longer than 4096 bytes/ },
    ];
    for (const c of cases) {
      const r = await post(t, c.body, { ...bearer(t.keys.binh), ...c.headers }, c.query);
      expect(r.status, c.what).toBe(400);
      expect(r.json!.code, c.what).toBe('REQUEST_INVALID');
      expect(r.json!.message, c.what).toMatch(c.message);
      expect(r.json!.messageVi, c.what).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/i);
      expect(r.json!.messageVi, c.what).not.toMatch(/\bmust\b|allowed values|pattern/);
      const rec = await auditRecord(t, r.auditId);
      expect(rec.result, c.what).toBe('REQUEST_INVALID');
      expect(rec.inputSha256, c.what).toBe(sha256(input));
    }
    // The raw route keeps its header options, and refuses the same option in query and header too.
    const raw = await post(t, input, { ...bearer(t.keys.binh), 'content-type': 'application/pdf', 'x-kyso-field': 'A' }, 'field=B');
    expect(raw.status).toBe(400);
    expect(raw.json!.message).toMatch(/"field" is given twice \(query string, header x-kyso-field\)/);
    await expectNoBlockHeld();
  });

  it('refuses two file parts, a file part of another name, the PDF as a text field, and a form without a file part', async () => {
    const input = samplePdf();
    const refused: [string, FormData, number, string, RegExp][] = [
      ['two file parts', form(['file', input, 'a.pdf'], ['file', input, 'b.pdf']), 400, 'REQUEST_INVALID', /exactly one file part, named "file"/],
      ['file part named otherwise', form(['pdf', input, 'a.pdf']), 400, 'REQUEST_INVALID', /exactly one file part, named "file"/],
      ['PDF as a text field', form(['file', '%PDF-1.7 not a file part']), 400, 'REQUEST_INVALID', /as a file part/],
      ['no file part', form(['reason', 'a']), 400, 'REQUEST_INVALID', /no file part named "file"/],
      ['empty file part', form(['file', new Uint8Array(0), 'a.pdf']), 422, 'PDF_EMPTY', /no PDF/],
      ['not a PDF', form(['file', Buffer.from('Kính gửi: UBND tỉnh.'), 'a.pdf']), 422, 'PDF_NOT_PDF', /not a PDF/],
    ];
    for (const [what, body, status, code, message] of refused) {
      const r = await post(t, body, bearer(t.keys.binh));
      expect(r.status, what).toBe(status);
      expect(r.json!.code, what).toBe(code);
      expect(r.json!.message, what).toMatch(message);
      expect((await auditRecord(t, r.auditId)).result, what).toBe(code);
    }
    // Malformed envelopes: no boundary, and a body cut in the middle of the file part.
    const noBoundary = await post(t, 'whatever', { ...bearer(t.keys.binh), 'content-type': 'multipart/form-data' });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.json!.code).toBe('REQUEST_INVALID');
    const whole = Buffer.from(await new Response(form(['file', input, 'a.pdf'])).arrayBuffer());
    const type = new Response(form(['file', input, 'a.pdf'])).headers.get('content-type')!;
    const boundary = /boundary=(.*)$/.exec(type)![1]!;
    const cut = Buffer.concat([Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.pdf"\r\ncontent-type: application/pdf\r\n\r\n`), input.subarray(0, 3000)]);
    expect(whole.length).toBeGreaterThan(cut.length);
    const truncated = await post(t, cut, { ...bearer(t.keys.binh), 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(truncated.status).toBe(400);
    expect(truncated.json!.code).toBe('REQUEST_INVALID');
    await expectNoBlockHeld();
  });

  it('reads and drops what is left of a refused form, so the keep-alive connection serves the next request; a chunked one is closed', async () => {
    // The second file part is refused before it is read: the rest of the upload is still on the wire when the answer leaves.
    const fd = form(['file', samplePdf(), 'a.pdf'], ['file', Buffer.alloc(190 * 1024, 0x20), 'b.pdf']);
    const encoded = new Response(fd);
    const type = encoded.headers.get('content-type')!;
    const twoFiles = Buffer.from(await encoded.arrayBuffer());
    const okForm = new Response(form(['file', samplePdf(), 'a.pdf']));
    const okType = okForm.headers.get('content-type')!;
    const ok = Buffer.from(await okForm.arrayBuffer());
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: Buffer, contentType: string, chunked = false) =>
      new Promise<{ status: number; reused: boolean; connection: string | undefined }>((resolve, reject) => {
        const u = new URL(`${t.url}/v1/sign`);
        const headers = { ...bearer(t.keys.binh), 'content-type': contentType, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }) };
        const req = request({ agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket, connection: res.headers.connection }));
        });
        req.on('error', reject);
        if (chunked) for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
        req.end(chunked ? undefined : body);
      });
    try {
      const first = await send(twoFiles, type);
      expect(first).toMatchObject({ status: 400, connection: 'keep-alive' });
      expect(await send(twoFiles, type)).toMatchObject({ status: 400, reused: true });
      expect(await send(ok, okType)).toMatchObject({ status: 200, reused: true });
      // Without a length, what is left could be endless: the connection is closed after the answer instead.
      expect(await send(twoFiles, type, true)).toMatchObject({ status: 400, connection: 'close' });
      expect(await send(ok, okType)).toMatchObject({ status: 200, reused: false });
    } finally {
      agent.destroy();
    }
    await expectNoBlockHeld();
  });

  it('refuses a file part over bodyLimit with 413 BODY_TOO_LARGE, holds no memory after, and keeps signing', async () => {
    const over = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(BODY_LIMIT + 10 * 1024, 0x20)]);
    const far = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4 * BODY_LIMIT, 0x20)]);
    for (const [what, file] of [['just over (cut by the parser)', over], ['far over (refused by Content-Length)', far]] as const) {
      const r = await post(t, form(['field', 'X'], ['file', file, 'big.pdf']), bearer(t.keys.binh));
      expect(r.status, what).toBe(413);
      expect(r.json, what).toMatchObject({ code: 'BODY_TOO_LARGE', message: 'The request body is too large.', messageVi: 'Nội dung yêu cầu quá lớn.' });
      const rec = await auditRecord(t, r.auditId);
      expect(rec, what).toMatchObject({ result: 'BODY_TOO_LARGE', status: 413, inputSha256: null, outputSha256: null });
    }
    await expectNoBlockHeld();
    const ok = await post(t, form(['file', samplePdf(), 'a.pdf']), bearer(t.keys.binh));
    expect(ok.status).toBe(200);
    await expectNoBlockHeld();
  });

  it('refuses JSON with 415 like the raw route, and other routes refuse forms with 415', async () => {
    const json = await post(t, JSON.stringify({ file: 'x' }), { ...bearer(t.keys.binh), 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json!.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // /v1/verify takes forms too (verify-multipart.test.ts); a certified copy's scan is its body alone.
    const copy = await fetch(`${t.url}/v1/certified-copies?owner=052090000495&book=1`, { method: 'POST', headers: { ...bearer(t.keys.binh), 'idempotency-key': 'form-1' }, body: form(['file', samplePdf(), 'a.pdf']) });
    expect(copy.status).toBe(415);
    expect(((await copy.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const codes = await fetch(`${t.url}/v1/codes/result`, { method: 'POST', headers: bearer(t.keys.binh), body: form(['owner', '052090000495'], ['type', 'G15.000021']) });
    expect(codes.status).toBe(415);
  });

  it('describes the form and the allocation options in /openapi.json', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: Record<string, { post: { description: string; parameters: { name: string; in: string }[] } }> };
    const op = doc.paths['/v1/sign']!.post;
    expect(op.description).toMatch(/multipart\/form-data/);
    expect(op.parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(expect.arrayContaining(['allocateResultCode', 'owner', 'resultType', 'resultSuffix']));
    expect(op.parameters.some((p) => p.in === 'header' && p.name === 'idempotency-key')).toBe(true);
  });
});

describe('allocateResultCode', () => {
  let t: TwoAgencies;
  beforeAll(async () => {
    t = await startTwoAgencies({ bodyLimit: BODY_LIMIT });
  });
  afterAll(async () => {
    await t?.server.close();
  });

  it('allocates a code, writes it under the signature, confirms it, and gives the same code to a retry with the same Idempotency-Key', async () => {
    const owner = freshOwner();
    const input = samplePdf();
    const headers = { ...bearer(t.keys.binh), 'idempotency-key': 'ho-so-1' };
    const fields: FormEntry[] = [['allocateResultCode', 'true'], ['owner', owner], ['resultType', 'G15.000031'], ['resultSuffix', '123/QĐ-UBND'], ['file', input, 'khai-sinh.pdf']];
    const r = await post(t, form(...fields), headers);
    expect(r.status, r.body.toString()).toBe(200);
    const code = `${owner}.KQ.G15.000031.123/QĐ-UBND`;
    // Not Latin-1: percent-encoded, as X-Kyso-* request headers are.
    expect(decodeURIComponent(r.headers.get('x-kyso-result-code')!)).toBe(code);
    expect((await report(t, r.body)).resultCode).toMatchObject({ value: code, wellFormed: true, signedBy: [1] });
    expect(await ledgerState(t, code)).toBe('confirmed');
    const rec = await auditRecord(t, r.auditId);
    expect(rec).toMatchObject({ code, result: 'ok', inputSha256: sha256(input) });

    const again = await post(t, form(...fields), headers);
    expect(again.status).toBe(200);
    expect(decodeURIComponent(again.headers.get('x-kyso-result-code')!)).toBe(code);
    expect((await report(t, again.body)).resultCode?.value).toBe(code);
    expect(await ledgerState(t, code)).toBe('confirmed');
    expect(await resultCodesOf(t, owner)).toBe(1);
    await expectNoBlockHeld();
  });

  it('a document the signer would refuse (not a PDF, cut short) reserves no result code: checked on a worker first', async () => {
    const owner = freshOwner();
    const whole = samplePdf();
    const cases: [string, Buffer, string][] = [
      ['not a PDF', Buffer.from('Kính gửi: UBND tỉnh.'), 'PDF_NOT_PDF'],
      ['cut short', whole.subarray(0, Math.floor(whole.length / 2)), 'PDF_TRUNCATED'],
    ];
    for (const [what, body, code] of cases) {
      const r = await post(t, body, { ...bearer(t.keys.binh), 'content-type': 'application/pdf', 'idempotency-key': `bad-${what}` }, `allocateResultCode=true&owner=${owner}&resultType=G15.000031&resultSuffix=9%2FQD`);
      expect(r.status, what).toBe(422);
      expect(JSON.parse(r.body.toString()).code, what).toBe(code);
    }
    expect(await resultCodesOf(t, owner)).toBe(0);
    // The same request with a good document then gets the code the bad ones did not use up.
    const ok = await post(t, whole, { ...bearer(t.keys.binh), 'content-type': 'application/pdf', 'idempotency-key': 'good-after-bad' }, `allocateResultCode=true&owner=${owner}&resultType=G15.000031&resultSuffix=9%2FQD`);
    expect(ok.status, ok.body.toString()).toBe(200);
    expect(await ledgerState(t, `${owner}.KQ.G15.000031.9/QD`)).toBe('confirmed');
    expect(await resultCodesOf(t, owner)).toBe(1);
  });

  it('works from the query on a raw body, with the type\'s default suffix (the date for G15.000021)', async () => {
    const owner = freshOwner();
    const r = await post(t, samplePdf(), { ...bearer(t.keys.binh), 'content-type': 'application/pdf', 'idempotency-key': 'raw-1' }, `allocateResultCode=true&owner=${owner}&resultType=G15.000021`);
    expect(r.status, r.body.toString()).toBe(200);
    const code = r.headers.get('x-kyso-result-code')!;
    expect(code).toMatch(new RegExp(`^${owner}\\.KQ\\.G15\\.000021\\.\\d{8}$`));
    expect((await report(t, r.body)).resultCode?.value).toBe(code);
    expect(await ledgerState(t, code)).toBe('confirmed');
    expect((await auditRecord(t, r.auditId)).code).toBe(code);
  });

  it('refuses a missing Idempotency-Key, resultCode with allocateResultCode, and allocation options without it, allocating nothing', async () => {
    const owner = freshOwner();
    const pdf = samplePdf();
    const cases: [string, FormData, Record<string, string>, RegExp][] = [
      ['no Idempotency-Key', form(['allocateResultCode', 'true'], ['owner', owner], ['resultType', 'G15.000021'], ['file', pdf, 'a.pdf']), {}, /Idempotency-Key/],
      ['resultCode too', form(['allocateResultCode', 'true'], ['owner', owner], ['resultType', 'G15.000021'], ['resultCode', '052090000495.KQ.G15.000021.01012024'], ['file', pdf, 'a.pdf']), { 'idempotency-key': 'x1' }, /either resultCode or allocateResultCode/],
      ['no owner', form(['allocateResultCode', 'true'], ['resultType', 'G15.000021'], ['file', pdf, 'a.pdf']), { 'idempotency-key': 'x2' }, /needs owner/],
      ['no resultType', form(['allocateResultCode', 'true'], ['owner', owner], ['file', pdf, 'a.pdf']), { 'idempotency-key': 'x3' }, /needs resultType/],
      ['owner without allocation', form(['owner', owner], ['file', pdf, 'a.pdf']), { 'idempotency-key': 'x4' }, /only go with allocateResultCode=true/],
      ['not a boolean', form(['allocateResultCode', 'yes'], ['owner', owner], ['file', pdf, 'a.pdf']), { 'idempotency-key': 'x5' }, /allocateResultCode \(form field\) must be boolean/],
    ];
    for (const [what, body, headers, message] of cases) {
      const r = await post(t, body, { ...bearer(t.keys.binh), ...headers });
      expect(r.status, what).toBe(400);
      expect(r.json!.code, what).toBe('REQUEST_INVALID');
      expect(r.json!.message, what).toMatch(message);
    }
    const badOwner = await post(t, form(['allocateResultCode', 'true'], ['owner', '12ab'], ['resultType', 'G15.000021'], ['file', pdf, 'a.pdf']), { ...bearer(t.keys.binh), 'idempotency-key': 'x6' });
    expect(badOwner.status).toBe(400);
    expect(badOwner.json!.code).toBe('CODE_INVALID');
    expect(await resultCodesOf(t, owner)).toBe(0);
  });

  it('does not spend a code on a document that cannot be signed', async () => {
    const owner = freshOwner();
    const truncated = samplePdf().subarray(0, 2000);
    const r = await post(t, form(['allocateResultCode', 'true'], ['owner', owner], ['resultType', 'G15.000021'], ['file', truncated, 'a.pdf']), { ...bearer(t.keys.binh), 'idempotency-key': 'cut-1' });
    expect(r.status).toBe(422);
    expect(r.json!.code).toBe('PDF_TRUNCATED');
    expect(await resultCodesOf(t, owner)).toBe(0);
    expect((await auditRecord(t, r.auditId)).inputSha256).toBe(sha256(truncated));
  });
});

describe('allocateResultCode when the signature fails', () => {
  let t: TwoAgencies;
  /** The token of binh-dinh: failing while true, as a removed HSM would. */
  let failing = true;
  beforeAll(async () => {
    const pki = await loadOrCreateTestPki();
    const inner = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
    const broken: Signer = {
      certificate: inner.certificate,
      chain: inner.chain,
      signatureAlgorithm: inner.signatureAlgorithm,
      maxSignatureSize: inner.maxSignatureSize,
      sign: (data, algorithm) => (failing ? Promise.reject(new KysoError('PKCS11_ERROR', 'The token failed (CKR_DEVICE_ERROR).', { vi: 'Thiết bị ký báo lỗi (CKR_DEVICE_ERROR).' })) : inner.sign(data, algorithm)),
    };
    t = await startTwoAgencies({
      bodyLimit: BODY_LIMIT,
      identities: [
        { name: 'binh-dinh', agency: '000.00.00.H56', signer: broken },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: inner },
      ],
    });
  });
  afterAll(async () => {
    await t?.server.close();
  });

  it('keeps the code of a request whose signature failed for its retry: the retry signs with it, a new key cannot take it, a voided one is refused', async () => {
    const owner = freshOwner();
    const input = samplePdf();
    const fields = (suffix: string): FormEntry[] => [['allocateResultCode', 'true'], ['owner', owner], ['resultType', 'G15.000021'], ['resultSuffix', suffix], ['file', input, 'a.pdf']];
    failing = true;
    const failed = await post(t, form(...fields('HS1')), { ...bearer(t.keys.binh), 'idempotency-key': 'k1' });
    expect(failed.status).toBe(503);
    expect(failed.json!.code).toBe('PKCS11_ERROR');
    expect(failed.headers.get('x-kyso-result-code')).toBeNull();
    const code = `${owner}.KQ.G15.000021.HS1`;
    expect(await ledgerState(t, code)).toBe('reserved');
    const rec = await auditRecord(t, failed.auditId);
    expect(rec).toMatchObject({ code, result: 'PKCS11_ERROR', inputSha256: sha256(input), outputSha256: null });

    // Another request with the same parts cannot take the code the failed one holds.
    const same = await post(t, form(...fields('HS1')), { ...bearer(t.keys.hanoi), 'idempotency-key': 'k2' });
    expect(same.status).toBe(409);
    expect(same.json!.code).toBe('CODE_STATE');
    // The same request again, the token back: signed with the code it had, confirmed.
    failing = false;
    const retry = await post(t, form(...fields('HS1')), { ...bearer(t.keys.binh), 'idempotency-key': 'k1' });
    expect(retry.status, retry.body.toString()).toBe(200);
    expect(retry.headers.get('x-kyso-result-code')).toBe(code);
    expect(await ledgerState(t, code)).toBe('confirmed');

    // A code an operator voided (the request given up) is never used again: its retry is told to use a new key.
    failing = true;
    const given = await post(t, form(...fields('HS3')), { ...bearer(t.keys.binh), 'idempotency-key': 'k3' });
    expect(given.status).toBe(503);
    const voidIt = await fetch(`${t.url}/v1/codes/${encodeURIComponent(`${owner}.KQ.G15.000021.HS3`)}/void`, {
      method: 'POST',
      headers: { ...bearer(t.keys.binh), 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'result', reason: 'request withdrawn' }),
    });
    expect(voidIt.status, await voidIt.clone().text()).toBe(200);
    failing = false;
    const afterVoid = await post(t, form(...fields('HS3')), { ...bearer(t.keys.binh), 'idempotency-key': 'k3' });
    expect(afterVoid.status).toBe(409);
    expect(afterVoid.json!.code).toBe('CODE_STATE');
    expect(afterVoid.json!.message).toMatch(/use a new key/);
    expect(await ledgerState(t, `${owner}.KQ.G15.000021.HS3`)).toBe('voided');
    await expectNoBlockHeld();
  });
});
