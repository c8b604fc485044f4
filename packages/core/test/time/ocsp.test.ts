/** OCSP client against the TEST responder: statuses, responder authorisation, nonce, freshness, cache, faults. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueLeaf, startTestServices, type TestEntity, type TestPki, type TestServices } from '../../src/testing/index.js';
import { checkOcsp, createResponseCache, validateOcspResponse } from '../../src/time/index.js';
import { expectKysoError, loadPki } from './fixture.js';

let pki: TestPki;
let s: TestServices;
let revokedLeaf: TestEntity;
let stranger: TestEntity;
const REVOKED_AT = new Date('2026-01-15T08:30:00Z');

beforeAll(async () => {
  pki = await loadPki();
  // Issued by the issuing CA, so it is revocable (kept in pki.leaves, which the server reads).
  revokedLeaf = await issueLeaf(pki, { kind: 'personal', name: 'ocsp-test-revoked', key: 'p256' });
  // Same issuer, unknown to the responder: taken out of the PKI's list again.
  stranger = await issueLeaf(pki, { kind: 'personal', name: 'ocsp-test-stranger', key: 'p256' });
  delete pki.leaves['ocsp-test-stranger'];
  s = await startTestServices(pki);
  s.revoke(revokedLeaf.serialNumber, { at: REVOKED_AT, reason: 'keyCompromise' });
});
afterAll(() => s?.close());
afterEach(async () => {
  s.hooks = {};
  await s.setMode('normal');
});

describe('checkOcsp against the TEST responder', () => {
  it('good, from the delegated responder, nonce echoed, fresh', async () => {
    const r = await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl });
    expect(r.status).toBe('good');
    expect(r.responderIsIssuer).toBe(false);
    expect(Buffer.from(r.responderCert).equals(Buffer.from(pki.ocsp.certDer))).toBe(true);
    expect(r.nonceEchoed).toBe(true);
    expect(r.nextUpdate!.getTime() - r.thisUpdate.getTime()).toBe(3_600_000);
    expect(r.producedAt.getTime()).toBeLessThanOrEqual(Date.now());
    // The DER answer validates again offline (as when embedded), without a nonce.
    expect(validateOcspResponse(r.responseDer, pki.personal, pki.issuing).status).toBe('good');
  });

  it('revoked at the chosen time with its reason, by POST and by GET', async () => {
    for (const method of ['POST', 'GET'] as const) {
      const r = await checkOcsp(revokedLeaf, pki.issuing, { url: s.ocspUrl, method });
      expect(r.status).toBe('revoked');
      expect(r.revokedAt?.toISOString()).toBe(REVOKED_AT.toISOString());
      expect(r.reason).toBe('keyCompromise');
    }
  });

  it('unknown for a certificate the CA never registered', async () => {
    expect((await checkOcsp(stranger, pki.issuing, { url: s.ocspUrl })).status).toBe('unknown');
  });

  it("the issuing CA's own status is signed by the root itself; SHA-256 CertID; responder by key", async () => {
    const r = await checkOcsp(pki.issuing, pki.root, { url: s.ocspUrl, hashAlgorithm: 'SHA-256' });
    expect(r.status).toBe('good');
    expect(r.responderIsIssuer).toBe(true);
  });

  it('refuses a wrong nonce, a missing nonce when required, an unauthorised signer and a broken signature', async () => {
    s.hooks.ocspNonce = () => Uint8Array.of(0x04, 0x02, 0xab, 0xcd);
    await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl }), 'OCSP_FAILED', 'nonce-mismatch');
    s.hooks = { ocspNonce: () => null };
    expect((await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl })).nonceEchoed).toBe(false);
    await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl, requireNonce: true }), 'OCSP_FAILED', 'nonce-missing');
    // A leaf of the same CA without EKU OCSPSigning.
    s.hooks = { ocspSigner: pki.organisation };
    await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl }), 'OCSP_FAILED', 'responder-unauthorised');
    // The delegated responder may not answer for the root's certificates.
    s.hooks = { ocspSigner: pki.ocsp };
    await expectKysoError(checkOcsp(pki.issuing, pki.root, { url: s.ocspUrl }), 'OCSP_FAILED', 'responder-unauthorised');
    s.hooks = { breakSignatures: true };
    await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl }), 'OCSP_FAILED', 'signature-invalid');
  });

  it('refuses an answer about another certificate (issuer given wrongly)', async () => {
    // Asked with the root as issuer: the responder answers "unauthorized".
    await expectKysoError(checkOcsp(pki.personal, pki.root, { url: s.ocspUrl }), 'OCSP_FAILED', 'status-unauthorized');
    const r = await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl });
    await expectKysoError(async () => validateOcspResponse(r.responseDer, pki.organisation, pki.issuing), 'OCSP_FAILED', 'certid-mismatch');
  });

  it('freshness against the clock, with skew tolerance', async () => {
    const r = await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl });
    const at = (ms: number) => () => new Date(Date.now() + ms);
    expect(validateOcspResponse(r.responseDer, pki.personal, pki.issuing, { clock: at(3_600_000 + 60_000) }).status).toBe('good');
    await expectKysoError(async () => validateOcspResponse(r.responseDer, pki.personal, pki.issuing, { clock: at(3_600_000 + 10 * 60_000) }), 'OCSP_FAILED', 'stale');
    expect(validateOcspResponse(r.responseDer, pki.personal, pki.issuing, { clock: at(-60_000) }).status).toBe('good');
    await expectKysoError(async () => validateOcspResponse(r.responseDer, pki.personal, pki.issuing, { clock: at(-10 * 60_000) }), 'OCSP_FAILED', 'not-yet-valid');
  });

  it('caches by responder and certificate until nextUpdate', async () => {
    const cache = createResponseCache({ maxEntries: 10 });
    const before = s.requests.ocsp;
    const a = await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl, cache });
    const b = await checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl, cache });
    expect(a.fromCache).toBeUndefined();
    expect(b.fromCache).toBe(true);
    expect(s.requests.ocsp - before).toBe(1);
    await checkOcsp(pki.organisation, pki.issuing, { url: s.ocspUrl, cache });
    expect(s.requests.ocsp - before).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('slow: NETWORK_TIMEOUT; down: OCSP_UNAVAILABLE quickly; garbage: OCSP_FAILED', async () => {
    await s.setMode('slow', { delayMs: 3000, services: ['ocsp'] });
    const slow = await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl, timeoutMs: 300 }), 'NETWORK_TIMEOUT');
    expect(slow.ms).toBeLessThan(1500);
    await s.setMode('down');
    const down = await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl, timeoutMs: 5000 }), 'OCSP_UNAVAILABLE');
    expect(down.ms).toBeLessThan(1000);
    await s.setMode('garbage');
    await expectKysoError(checkOcsp(pki.personal, pki.issuing, { url: s.ocspUrl }), 'OCSP_FAILED', 'malformed');
  });

  it('without a URL and none in the certificate: OCSP_FAILED no-url', async () => {
    const noAia = await issueLeaf(pki, { kind: 'personal', name: 'ocsp-test-no-aia', key: 'p256', aia: false });
    await expectKysoError(checkOcsp(noAia, pki.issuing), 'OCSP_FAILED', 'no-url');
  });
});
