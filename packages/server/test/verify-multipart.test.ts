/**
 * POST /v1/verify with multipart/form-data (the PDF as the file part `file`,
 * lang, policy and format as text fields), read as /v1/sign reads its forms:
 * the same report as the PDF sent as the body, and typed refusals for a form
 * without its file, with two, with an oversized one, over loopback HTTP.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { form, trackSharedBlocks } from './form-helpers.js';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

const BODY_LIMIT = 200 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const { expectNoBlockHeld } = trackSharedBlocks();

interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown> & { code?: string; message?: string; messageVi?: string };
  headers: Headers;
  auditId: number;
}

let t: TwoAgencies;
let signed: Buffer;

async function verify(body: RequestInit['body'], headers: Record<string, string> = {}, query = ''): Promise<Answer> {
  const r = await fetch(`${t.url}/v1/verify${query ? `?${query}` : ''}`, { method: 'POST', headers, body });
  const text = await r.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    // format=text
  }
  return { status: r.status, text, json, headers: r.headers, auditId: Number(r.headers.get('x-kyso-audit-id')) };
}

/** A report without the moments it was made at (each verification is dated when it runs). */
const stable = (report: unknown) => JSON.parse(JSON.stringify(report, (k, v: unknown) => (['validationTime', 'validatedAt', 'checkedAt'].includes(k) ? '<time>' : v))) as unknown;

async function auditRecord(seq: number) {
  const rec = (await t.server.store.listAudit({ limit: 1000 })).find((r) => r.seq === seq);
  expect(rec, `audit record ${seq}`).toBeDefined();
  return rec!;
}

beforeAll(async () => {
  t = await startTwoAgencies({ bodyLimit: BODY_LIMIT });
  const r = await fetch(`${t.url}/v1/sign?reason=${encodeURIComponent('Phê duyệt')}`, { method: 'POST', headers: { ...bearer(t.keys.binh), 'content-type': 'application/pdf' }, body: samplePdf() });
  expect(r.status).toBe(200);
  signed = Buffer.from(await r.arrayBuffer());
});
afterAll(async () => {
  await t?.server.close();
});

describe('POST /v1/verify with multipart/form-data', () => {
  it('gives the same report as the PDF sent as the body, and the audit record names the PDF', async () => {
    const raw = await verify(signed, { 'content-type': 'application/pdf' });
    expect(raw.status).toBe(200);
    expect(raw.json.verdict).toBe('valid');
    const multi = await verify(form(['file', signed, 'signed.pdf']));
    expect(multi.status).toBe(200);
    expect(multi.headers.get('content-type')).toMatch(/^application\/json/);
    expect(stable(multi.json)).toEqual(stable(raw.json));
    expect(multi.headers.get('content-language')).toBe('vi');
    expect((await auditRecord(multi.auditId)).inputSha256).toBe(sha256(signed));
    await expectNoBlockHeld();
  });

  it('takes the options as text fields, as the query gives them', async () => {
    const byQuery = await verify(signed, { 'content-type': 'application/pdf' }, 'lang=en&format=text&policy=vn');
    expect(byQuery.status).toBe(200);
    const byForm = await verify(form(['lang', 'en'], ['format', 'text'], ['policy', 'vn'], ['file', signed, 'signed.pdf']));
    expect(byForm.status).toBe(200);
    expect(byForm.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(byForm.headers.get('content-language')).toBe('en');
    expect(byForm.text).toBe(byQuery.text);
    // Query and form together, each option once.
    const mixed = await verify(form(['format', 'text'], ['file', signed, 'signed.pdf']), {}, 'lang=en&policy=vn');
    expect(mixed.status).toBe(200);
    expect(mixed.text).toBe(byQuery.text);
    await expectNoBlockHeld();
  });

  it('refuses a form without its file part, with two, with an unknown field, a bad value or an option given twice: typed 400s', async () => {
    const cases: [string, FormData, string, RegExp, string][] = [
      ['no file part', form(['lang', 'en']), '', /no file part named "file"/, 'REQUEST_INVALID'],
      ['two file parts', form(['file', signed, 'a.pdf'], ['file', signed, 'b.pdf']), '', /exactly one file part, named "file"/, 'REQUEST_INVALID'],
      ['a file part of another name', form(['pdf', signed, 'a.pdf']), '', /exactly one file part, named "file"/, 'REQUEST_INVALID'],
      ['the PDF as a text field', form(['file', '%PDF-1.7 not a file part']), '', /as a file part/, 'REQUEST_INVALID'],
      ['an unknown field', form(['file', signed, 'a.pdf'], ['colour', 'red']), '', /Unknown form field "colour"/, 'REQUEST_INVALID'],
      ['a bad enum value', form(['file', signed, 'a.pdf'], ['policy', 'nasa']), '', /form field "policy" must be one of: "bcy", "vn"/, 'REQUEST_INVALID'],
      ['an option in the query and the form', form(['lang', 'en'], ['file', signed, 'a.pdf']), 'lang=vi', /"lang" is given twice \(query string, form field\)/, 'REQUEST_INVALID'],
      ['an API key as a field', form(['api_key', 'secret'], ['file', signed, 'a.pdf']), '', /only in the Authorization header/, 'AUTH_MISPLACED'],
    ];
    for (const [what, body, query, message, code] of cases) {
      const r = await verify(body, {}, query);
      expect(r.status, what).toBe(400);
      expect(Object.keys(r.json).sort(), what).toEqual(['code', 'message', 'messageVi']);
      expect(r.json.code, what).toBe(code);
      expect(r.json.message, what).toMatch(message);
      expect(r.json.messageVi, what).toBeTruthy();
      expect((await auditRecord(r.auditId)).result, what).toBe(code);
    }
    const bad = await verify(form(['file', signed, 'a.pdf'], ['policy', 'nasa']));
    expect(bad.json.messageVi).toMatch(/trường biểu mẫu "policy" phải là một trong các giá trị: "bcy", "vn"/);
    await expectNoBlockHeld();
  });

  it('refuses an oversized file part (413 BODY_TOO_LARGE), read or announced, and an empty or non-PDF one (422)', async () => {
    // Within what a form may announce (the body limit and the fields' envelope): read up to the limit, then refused.
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(BODY_LIMIT + 10, 0x20)]);
    const read = await verify(form(['file', big, 'big.pdf']));
    expect(read.status).toBe(413);
    expect(read.json.code).toBe('BODY_TOO_LARGE');
    expect(read.json.messageVi).toBeTruthy();
    // Announced larger than any form can be: refused before reading.
    const huge = await verify(form(['file', Buffer.alloc(BODY_LIMIT * 3, 0x20), 'huge.pdf']));
    expect(huge.status).toBe(413);
    expect(huge.json.code).toBe('BODY_TOO_LARGE');
    const empty = await verify(form(['file', new Uint8Array(0), 'a.pdf']));
    expect([empty.status, empty.json.code]).toEqual([422, 'PDF_EMPTY']);
    const notPdf = await verify(form(['file', Buffer.from('Kính gửi: UBND tỉnh.'), 'a.pdf']));
    expect([notPdf.status, notPdf.json.code]).toEqual([422, 'PDF_NOT_PDF']);
    // The service still answers after the refusals.
    expect((await verify(signed, { 'content-type': 'application/pdf' })).status).toBe(200);
    await expectNoBlockHeld();
  });

  it('is described in /openapi.json: both media types, the form with its file part and the options', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<string, { post: { requestBody: { required: boolean; content: Record<string, { schema: { required?: string[]; properties?: Record<string, { type?: string; format?: string; enum?: string[] }> } }> } } }>;
    };
    const body = doc.paths['/v1/verify']!.post.requestBody;
    expect(body.required).toBe(true);
    expect(Object.keys(body.content)).toEqual(['application/pdf', 'multipart/form-data']);
    const f = body.content['multipart/form-data']!.schema;
    expect(f.required).toEqual(['file']);
    expect(f.properties!.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(f.properties!.policy!.enum).toEqual(['bcy', 'vn']);
    for (const p of ['lang', 'format']) expect(f.properties, p).toHaveProperty(p);
  });
});
