/**
 * Encrypted PDFs over HTTP: the document's password in the X-Pdf-Password
 * header (percent-encoded UTF-8) on /v1/sign, /v1/sign/prepare and /v1/verify, the typed
 * errors when it is missing or wrong or the permissions forbid signing, and
 * the password in no log line and no audit record.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyPdf } from '@kyso/core';
import { PdfReader } from '@kyso/core/pdf';
import { pdfsig, qpdfCheck } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { OWNER_PASSWORD, USER_PASSWORD, VARIANTS, qpdfEncrypt } from '../../core/test/helpers/encryption.js';
import { bearer, samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

let t: TwoAgencies;
let withUser: Buffer;
let restricted: Buffer;
const r6 = VARIANTS.find((v) => v.revision === 6)!;

beforeAll(async () => {
  t = await startTwoAgencies();
  withUser = qpdfEncrypt(samplePdf(), r6, { user: USER_PASSWORD });
  restricted = qpdfEncrypt(samplePdf(), VARIANTS.find((v) => v.revision === 4)!, { restrictions: ['--modify=none'] });
});
afterAll(async () => {
  await t?.server.close();
});

const passwordHeader = (pw: string | undefined): Record<string, string> => (pw === undefined ? {} : { 'x-pdf-password': encodeURIComponent(pw) });

async function post(route: string, pdf: Buffer, key: string | undefined, pw: string | undefined): Promise<{ status: number; body: Buffer; code: string | undefined }> {
  const r = await fetch(`${t.url}${route}`, { method: 'POST', headers: { ...(key ? bearer(key) : {}), 'content-type': 'application/pdf', ...passwordHeader(pw) }, body: pdf });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, body, code: r.status >= 400 ? (JSON.parse(body.toString('utf8')) as { code: string }).code : undefined };
}

/** Every file under dir, as text (SQLite pages, JSON lines). */
function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p).toString('latin1') + readFileSync(p).toString('utf8');
  }
  return out;
}

describe('X-Pdf-Password', () => {
  it('/v1/sign signs a file encrypted with a user password given in the header; /v1/verify reads it with the header', async () => {
    const signed = await post('/v1/sign?reason=Ch%E1%BB%A9ng%20th%E1%BB%B1c', withUser, t.keys.binh, USER_PASSWORD);
    expect(signed.status, signed.body.toString()).toBe(200);
    expect(signed.body.subarray(0, withUser.length).equals(withUser)).toBe(true);
    const file = join(tempDir(), 'signed.pdf');
    writeFileSync(file, signed.body);
    expect(pdfsig(file, await nssDbForTestPki(), USER_PASSWORD)[0]?.signatureValid).toBe(true);
    expect(qpdfCheck(file, USER_PASSWORD).ok).toBe(true);
    expect(PdfReader.open(signed.body, { password: USER_PASSWORD }).encryption?.revision).toBe(6);
    const local = await verifyPdf(signed.body, { trustStore: TrustStore.fromPem(t.pki.root.certPem), pdfPassword: USER_PASSWORD });
    expect(local.signatures[0]!.reason).toBe('Chứng thực');

    const verified = await post('/v1/verify', signed.body, undefined, USER_PASSWORD);
    expect(verified.status, verified.body.toString()).toBe(200);
    const report = JSON.parse(verified.body.toString('utf8')) as { verdict: string; signatures: { reason: string; indication: string }[] };
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ reason: 'Chứng thực', indication: 'TOTAL_PASSED' });

    expect(await post('/v1/verify', signed.body, undefined, undefined)).toMatchObject({ status: 422, code: 'PDF_PASSWORD_REQUIRED' });
    expect(await post('/v1/verify', signed.body, undefined, 'sai-mat-khau')).toMatchObject({ status: 422, code: 'PDF_PASSWORD_WRONG' });
    expect(await post('/v1/sign', withUser, t.keys.binh, 'sai-mat-khau')).toMatchObject({ status: 422, code: 'PDF_PASSWORD_WRONG' });
  });

  it('permissions: 409 PDF_PERMISSION_DENIED without the owner password, 200 with it', async () => {
    expect(await post('/v1/sign', restricted, t.keys.binh, undefined)).toMatchObject({ status: 409, code: 'PDF_PERMISSION_DENIED' });
    const ok = await post('/v1/sign', restricted, t.keys.binh, OWNER_PASSWORD);
    expect(ok.status, ok.body.toString()).toBe(200);
    expect((await verifyPdf(ok.body, { trustStore: TrustStore.fromPem(t.pki.root.certPem) })).verdict).toBe('valid');
  });

  it('/v1/sign/prepare takes it too: the two-step signature of a password-protected file verifies', async () => {
    const chain = [t.pki.personal.certDer, t.pki.issuing.certDer, t.pki.root.certDer].map((d) => Buffer.from(d).toString('base64'));
    const json = { ...bearer(t.keys.binh), 'content-type': 'application/json' };
    const body = JSON.stringify({ pdf: withUser.toString('base64'), certificateChain: chain });
    const denied = await fetch(`${t.url}/v1/sign/prepare`, { method: 'POST', headers: json, body });
    expect(denied.status).toBe(422);
    const prepared = await fetch(`${t.url}/v1/sign/prepare`, { method: 'POST', headers: { ...json, ...passwordHeader(USER_PASSWORD) }, body });
    expect(prepared.status, await prepared.clone().text()).toBe(200);
    const session = (await prepared.json()) as { sessionId: string; toBeSigned: string };
    const signature = nodeSign('sha256', Buffer.from(session.toBeSigned, 'base64'), createPrivateKey(t.pki.personal.keyPem)).toString('base64');
    const done = await fetch(`${t.url}/v1/sign/complete`, { method: 'POST', headers: json, body: JSON.stringify({ sessionId: session.sessionId, signature }) });
    expect(done.status).toBe(200);
    const signed = Buffer.from(await done.arrayBuffer());
    const report = await verifyPdf(signed, { trustStore: TrustStore.fromPem(t.pki.root.certPem), pdfPassword: USER_PASSWORD });
    expect(report.verdict).toBe('valid');
  });

  it('the password reaches no log line and no audit record', async () => {
    // Let the audit writer and the logger flush.
    await new Promise((r) => setTimeout(r, 200));
    const secrets = [USER_PASSWORD, encodeURIComponent(USER_PASSWORD), OWNER_PASSWORD, 'sai-mat-khau'];
    for (const s of secrets) {
      expect(t.log.text).not.toContain(s);
      expect(allText(t.dataDir)).not.toContain(s);
    }
    expect(t.log.text).toContain('/v1/sign');
  });
});
