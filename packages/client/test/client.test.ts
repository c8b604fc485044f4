/**
 * @kyso/client against a real @kyso/server on loopback (TEST identities):
 * each call of the client and what the service did, checked with tools of
 * its own (verifyPdf under the TEST root, the audit chain).
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { appendSignedUpdate, SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { createKysoClient, type KysoClient, type VerificationReport } from '@kyso/client';
import { makeJpeg } from '../../core/test/workflow/jpeg.js';
import { samplePdf, startService, type Service } from './helpers.js';

let svc: Service;
let kyso: KysoClient;
let trust: TrustStore;
const OWNER = '052090000495';

beforeAll(async () => {
  svc = await startService();
  kyso = createKysoClient({ baseUrl: svc.url, apiKey: svc.keys.clerk });
  trust = TrustStore.fromPem(svc.pki.root.certPem);
});
afterAll(async () => {
  await svc?.close();
});

describe('sign', () => {
  it('signs a PDF: the bytes verify under the TEST root, the headers become fields (Vietnamese text included)', async () => {
    const signed = await kyso.sign(samplePdf(), { identity: 'ubnd-xa', reason: 'Phê duyệt hồ sơ', location: 'Bình Định', field: 'Chữ ký cơ quan' });
    expect(signed.field).toBe('Chữ ký cơ quan');
    expect(signed.identity).toBe('ubnd-xa');
    expect(signed.auditId).toMatch(/^\d+$/);
    expect(signed.resultCode).toBeUndefined();
    expect(signed.pdf).toBeInstanceOf(Uint8Array);
    const report = await verifyPdf(signed.pdf, { trustStore: trust });
    expect(report.verdict).toBe('valid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ field: 'Chữ ký cơ quan', reason: 'Phê duyệt hồ sơ', location: 'Bình Định' });
  });

  it('signUpdate: only the update comes back; appended to the original and checked by appendSignedUpdate it is a valid signed PDF', async () => {
    const original = samplePdf();
    const u = await kyso.signUpdate(original, { identity: 'ubnd-xa', field: 'Chữ ký cập nhật' });
    expect(u.offset).toBe(original.length);
    expect(u.update.length).toBeLessThan(original.length);
    expect(u.field).toBe('Chữ ký cập nhật');
    const pdf = appendSignedUpdate(original, u.update, u.sha256);
    const report = await verifyPdf(pdf, { trustStore: trust });
    expect(report.signatures.map((x) => [x.field, x.integrity])).toEqual([['Chữ ký cập nhật', 'ok']]);
    expect(() => appendSignedUpdate(original.subarray(1), u.update, u.sha256)).toThrow(expect.objectContaining({ code: 'SIGN_UPDATE_MISMATCH' }));
  });

  it('allocates a result code with an idempotency key: the same code on retry, written under the signature', async () => {
    const options = { identity: 'ubnd-xa', allocateResultCode: true, owner: OWNER, resultType: 'G15.000031', resultSuffix: '9/QĐ', idempotencyKey: 'ho-so-sign-1' } as const;
    const first = await kyso.sign(samplePdf(), options);
    expect(first.resultCode).toBe(`${OWNER}.KQ.G15.000031.9/QĐ`);
    const retry = await kyso.sign(samplePdf(), options);
    expect(retry.resultCode).toBe(first.resultCode);
    const report = await verifyPdf(first.pdf, { trustStore: trust });
    expect(report.resultCode?.value).toBe(first.resultCode);
  });

  it('certifies and locks (DocMDP): certify goes as a query parameter', async () => {
    const signed = await kyso.sign(samplePdf(), { identity: 'ubnd-xa', certify: 1 });
    const again = kyso.sign(signed.pdf, { identity: 'ubnd-xa' });
    await expect(again).rejects.toMatchObject({ name: 'KysoClientError', status: 409, code: 'SIGN_NOT_PERMITTED' });
  });
});

describe('verify', () => {
  it('answers the JSON report, typed from the OpenAPI document', async () => {
    const signed = await kyso.sign(samplePdf(), { identity: 'ubnd-xa' });
    const report = await kyso.verify(signed.pdf, { lang: 'en' });
    expectTypeOf(report).toEqualTypeOf<VerificationReport>();
    expectTypeOf(report.verdict).toEqualTypeOf<'valid' | 'indeterminate' | 'invalid' | 'unsigned'>();
    expect(report.verdict).toBe('valid');
    expect(report.signatures).toHaveLength(1);
    expect((await kyso.verify(samplePdf())).verdict).toBe('unsigned');
  });

  it('answers the text report', async () => {
    const signed = await kyso.sign(samplePdf(), { identity: 'ubnd-xa' });
    const text = await kyso.verifyText(signed.pdf, { lang: 'en' });
    expect(typeof text).toBe('string');
    expect(text).toMatch(/valid/i);
    expect(text.trimStart().startsWith('{')).toBe(false);
  });
});

describe('certifyCopy', () => {
  it('certifies a JPEG scan: number, result code and book from the headers; a retry gets the same numbers', async () => {
    const scan = new Uint8Array(await makeJpeg());
    const options = { officer: 'can-bo', agency: 'ubnd-xa', owner: OWNER, book: 2, idempotencyKey: 'ban-sao-001' };
    const copy = await kyso.certifyCopy(scan, options);
    expect(copy.certificationNumber).toBe(1);
    expect(copy.resultCode).toMatch(/^052090000495\.KQ\.G15\.000021\.\d{8}$/);
    expect(copy.book).toMatch(/^02\/\d{4}-SCTĐT\/BS$/);
    expect(copy.auditId).toMatch(/^\d+$/);
    const report = await verifyPdf(copy.pdf, { trustStore: trust });
    expect(report.verdict).toBe('valid');
    expect(report.certifiedCopy).toMatchObject({ certificationNumber: 1, complete: true });
    const retry = await kyso.certifyCopy(scan, options);
    expect([retry.certificationNumber, retry.resultCode]).toEqual([1, copy.resultCode]);
  });
});

describe('codes', () => {
  it('issues case codes, the same ones again for the same idempotency key', async () => {
    const first = await kyso.codes.caseCodes({ identity: 'ubnd-xa', count: 2, idempotencyKey: 'portal-1' });
    expect(first.agency).toBe('000.00.00.H56');
    expect(first.codes.map((c) => c.code)).toEqual([expect.stringMatching(/^000\.00\.00\.H56-\d{6}-0001$/), expect.stringMatching(/-0002$/)]);
    const retry = await kyso.codes.caseCodes({ identity: 'ubnd-xa', count: 2, idempotencyKey: 'portal-1' });
    expect(retry.codes.map((c) => c.code)).toEqual(first.codes.map((c) => c.code));
    const next = await kyso.codes.caseCodes({ identity: 'ubnd-xa' });
    expect(next.codes[0]?.code).toMatch(/-0003$/);
  });

  it('issues certification numbers and result codes, and voids them', async () => {
    const numbers = await kyso.codes.certNumbers({ identity: 'ubnd-xa', book: 7, count: 1 });
    const n = numbers.numbers[0]!;
    expect(n).toMatchObject({ book: 7, state: 'reserved' });
    expect(n.id).toBe(`${n.year}-${n.number}`);
    const result = await kyso.codes.resultCode({ identity: 'ubnd-xa', owner: '001200000001', type: 'G15.000031', suffix: '12/QĐ', confirm: true });
    expect(result).toMatchObject({ code: '001200000001.KQ.G15.000031.12/QĐ', state: 'confirmed' });
    await expect(kyso.codes.void(n.id, { identity: 'ubnd-xa', kind: 'cert', reason: 'Nhập sai' })).resolves.toMatchObject({ code: n.id, kind: 'cert', state: 'voided' });
    // A confirmed code stays; a reserved one is voided. A result code with "/" in it travels as one path segment.
    await expect(kyso.codes.void(result.code, { reason: 'Hủy theo yêu cầu' })).rejects.toMatchObject({ status: 409, code: 'CODE_STATE' });
    const reserved = await kyso.codes.resultCode({ identity: 'ubnd-xa', owner: '001200000001', type: 'G15.000031', suffix: '13/QĐ' });
    expect(reserved.state).toBe('reserved');
    await expect(kyso.codes.void(reserved.code, { reason: 'Hủy theo yêu cầu' })).resolves.toMatchObject({ code: reserved.code, kind: 'result', state: 'voided' });
    const c = await kyso.codes.caseCodes({ identity: 'ubnd-xa' });
    await expect(kyso.codes.void(c.codes[0]!.code)).resolves.toMatchObject({ kind: 'case', state: 'voided' });
  });
});

describe('twoStep', () => {
  it('prepares, signs toBeSigned with a key the service does not hold, completes: a valid signature', async () => {
    const pki = svc.pki;
    const token = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const prepared = await kyso.twoStep.prepare(samplePdf(), { certificateChain: [token.certificate, ...token.chain], reason: 'Ký bằng USB token', field: 'Cán bộ' });
    expect(prepared.field).toBe('Cán bộ');
    expect(prepared.digestAlgorithm).toBe('SHA-256');
    expect(prepared.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(prepared.toBeSigned[0]).toBe(0x31); // DER SET of the signed attributes
    expect(prepared.digest).toHaveLength(32);
    const signature = await token.sign(prepared.toBeSigned, prepared.digestAlgorithm);
    const done = await kyso.twoStep.complete(prepared.sessionId, signature);
    expect(done.field).toBe('Cán bộ');
    expect(done.auditId).toMatch(/^\d+$/);
    const report = await verifyPdf(done.pdf, { trustStore: trust });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ field: 'Cán bộ', reason: 'Ký bằng USB token' });
    // The session is used up.
    await expect(kyso.twoStep.complete(prepared.sessionId, signature)).rejects.toMatchObject({ status: 409, code: 'SESSION_COMPLETED' });
  });

  it('refuses a signature that is not over toBeSigned (422 SIGNATURE_INVALID)', async () => {
    const pki = svc.pki;
    const token = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const prepared = await kyso.twoStep.prepare(samplePdf(), { certificateChain: [token.certificate, ...token.chain] });
    const wrong = await token.sign(new TextEncoder().encode('something else'), 'SHA-256');
    await expect(kyso.twoStep.complete(prepared.sessionId, wrong)).rejects.toMatchObject({ status: 422, code: 'SIGNATURE_INVALID' });
  });
});

describe('health, readiness, audit', () => {
  it('answers /healthz and /readyz (details for an ops key)', async () => {
    await expect(kyso.health()).resolves.toEqual({ status: 'ok' });
    const anonymous = createKysoClient({ baseUrl: svc.url });
    await expect(anonymous.ready()).resolves.toEqual({ status: 'ready' });
    const ops = createKysoClient({ baseUrl: `${svc.url}/`, apiKey: svc.keys.ops });
    await expect(ops.ready()).resolves.toMatchObject({ status: 'ready', store: 'ok', signers: { 'ubnd-xa': 'ok', 'can-bo': 'ok' } });
  });

  it('reads and checks the audit chain with a reader key: every call above is a record', async () => {
    const reader = createKysoClient({ baseUrl: svc.url, apiKey: svc.keys.reader });
    const chain = await reader.audit.verify();
    expect(chain.ok).toBe(true);
    expect(chain.records).toBeGreaterThan(10);
    const page = await reader.audit.list({ limit: 5 });
    expect(page.records).toHaveLength(5);
    expect(page.records[0]?.operation).toBe('sign');
    expect(page.next).toBe(page.records[4]?.seq);
  });
});
