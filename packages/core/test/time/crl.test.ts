/** CRL client against the TEST distribution points: entries, validation, cache, faults. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServices, type TestPki, type TestServices } from '../../src/testing/index.js';
import { createResponseCache, fetchCrl, parseCrl } from '../../src/time/index.js';
import { expectKysoError, loadPki } from './fixture.js';

let pki: TestPki;
let s: TestServices;
const AT = new Date('2026-02-01T01:02:03Z');

beforeAll(async () => {
  pki = await loadPki();
  s = await startTestServices(pki);
});
afterAll(() => s?.close());
afterEach(async () => {
  s.hooks = {};
  await s.setMode('normal');
});

describe('fetchCrl / parseCrl against the TEST CRLs', () => {
  it('an empty CRL first, then the revoked serials with time and reason; the CRL number grows', async () => {
    const empty = await fetchCrl(s.crlUrl('issuing'), pki.issuing);
    expect(empty.revokedCount).toBe(0);
    expect(empty.isRevoked(pki.personal)).toBeNull();
    expect(empty.nextUpdate!.getTime() - empty.thisUpdate.getTime()).toBe(24 * 3_600_000);

    s.revoke(pki.organisation.serialNumber, { at: AT, reason: 'affiliationChanged' });
    s.revoke('00:0a:bc:de', { at: AT }); // a serial the PKI does not know, no reason
    const crl = await fetchCrl(s.crlUrl('issuing'), pki.issuing);
    expect(crl.revokedCount).toBe(2);
    expect(BigInt(`0x${crl.crlNumber}`)).toBeGreaterThan(BigInt(`0x${empty.crlNumber}`));
    expect(crl.isRevoked(pki.organisation)).toEqual({ revokedAt: AT, reason: 'affiliationChanged' });
    expect(crl.isRevoked(pki.organisation.serialNumber.toUpperCase())).not.toBeNull();
    expect(crl.isRevoked('0abcde')).toEqual({ revokedAt: AT });
    expect(crl.isRevoked(Uint8Array.of(0x0a, 0xbc, 0xde))).not.toBeNull();
    expect(crl.isRevoked(pki.personal)).toBeNull();

    // certificateHold, then released.
    s.revoke(pki.personal.serialNumber, { reason: 'certificateHold' });
    expect((await fetchCrl(s.crlUrl('issuing'), pki.issuing)).isRevoked(pki.personal)?.reason).toBe('certificateHold');
    s.unrevoke(pki.personal.serialNumber);
    expect((await fetchCrl(s.crlUrl('issuing'), pki.issuing)).isRevoked(pki.personal)).toBeNull();
  });

  it("the root's CRL lists a revoked issuing CA", async () => {
    s.revoke(pki.issuing.serialNumber, { at: AT, reason: 'cACompromise' });
    const crl = await fetchCrl(s.crlUrl('root'), pki.root);
    expect(crl.isRevoked(pki.issuing)?.reason).toBe('cACompromise');
    s.unrevoke(pki.issuing.serialNumber);
  });

  it('refuses a CRL checked against the wrong issuer, with a broken signature, out of date or in the future', async () => {
    const crl = await fetchCrl(s.crlUrl('issuing'), pki.issuing);
    await expectKysoError(async () => parseCrl(crl.crlDer, pki.root), 'CRL_FAILED', 'wrong-issuer');
    const tampered = new Uint8Array(crl.crlDer);
    tampered[tampered.length - 1]! ^= 0x01;
    await expectKysoError(async () => parseCrl(tampered, pki.issuing), 'CRL_FAILED', 'signature-invalid');
    s.hooks.breakSignatures = true;
    await expectKysoError(fetchCrl(s.crlUrl('issuing'), pki.issuing), 'CRL_FAILED', 'signature-invalid');
    const later = () => new Date(Date.now() + 25 * 3_600_000);
    await expectKysoError(async () => parseCrl(crl.crlDer, pki.issuing, { clock: later }), 'CRL_FAILED', 'stale');
    await expectKysoError(async () => parseCrl(crl.crlDer, pki.issuing, { clock: () => new Date(Date.now() - 3_600_000) }), 'CRL_FAILED', 'not-yet-valid');
    // An embedded CRL judged at another time: the period check can be skipped.
    expect(parseCrl(crl.crlDer, pki.issuing, { clock: null }).thisUpdate).toEqual(crl.thisUpdate);
    // A leaf cannot issue CRLs at all (names differ, and no cRLSign).
    await expectKysoError(async () => parseCrl(crl.crlDer, pki.personal), 'CRL_FAILED');
  });

  it('accepts PEM; refuses bytes that are not a CRL', async () => {
    const crl = await fetchCrl(s.crlUrl('issuing'), pki.issuing);
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(crl.crlDer).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`;
    expect(parseCrl(new Uint8Array(Buffer.from(pem)), pki.issuing).crlNumber).toBe(crl.crlNumber);
    await expectKysoError(async () => parseCrl(pki.personal.certDer, pki.issuing), 'CRL_FAILED', 'malformed');
  });

  it('caches by URL until nextUpdate', async () => {
    const cache = createResponseCache();
    const before = s.requests.crl;
    await fetchCrl(s.crlUrl('issuing'), pki.issuing, { cache });
    const again = await fetchCrl(s.crlUrl('issuing'), pki.issuing, { cache });
    expect(again.fromCache).toBe(true);
    expect(again.isRevoked(pki.organisation)).not.toBeNull();
    expect(s.requests.crl - before).toBe(1);
  });

  it('slow: NETWORK_TIMEOUT; down: CRL_UNAVAILABLE quickly; garbage: CRL_FAILED; too large: CRL_UNAVAILABLE', async () => {
    await s.setMode('slow', { delayMs: 3000 });
    const slow = await expectKysoError(fetchCrl(s.crlUrl('issuing'), pki.issuing, { timeoutMs: 300 }), 'NETWORK_TIMEOUT');
    expect(slow.ms).toBeLessThan(1500);
    await s.setMode('down');
    const down = await expectKysoError(fetchCrl(s.crlUrl('issuing'), pki.issuing), 'CRL_UNAVAILABLE', 'refused');
    expect(down.ms).toBeLessThan(1000);
    await s.setMode('garbage');
    await expectKysoError(fetchCrl(s.crlUrl('issuing'), pki.issuing), 'CRL_FAILED', 'malformed');
    await s.setMode('normal');
    await expectKysoError(fetchCrl(s.crlUrl('issuing'), pki.issuing, { maxBytes: 100 }), 'CRL_UNAVAILABLE', 'too-large');
  });
});
