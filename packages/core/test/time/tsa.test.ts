/** RFC 3161 client against the TEST TSA: success paths, validation failures, faults. */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inspectTimestampToken, checkCmsSignature } from '../../src/cms/inspect/index.js';
import { startTestServices, TEST_TSA_POLICY_OID, type TestPki, type TestServices } from '../../src/testing/index.js';
import { buildTimestampRequest, requestTimestamp } from '../../src/time/index.js';
import { expectKysoError, loadPki } from './fixture.js';

let pki: TestPki;
let s: TestServices;
const sha256 = (t: string): Uint8Array => new Uint8Array(createHash('sha256').update(t).digest());

beforeAll(async () => {
  pki = await loadPki();
  s = await startTestServices(pki);
});
afterAll(() => s?.close());
afterEach(async () => {
  s.hooks = {};
  await s.setMode('normal');
});

describe('requestTimestamp against the TEST TSA', () => {
  it('gets a token that verifies, with nonce, policy, accuracy and the TSA certificate', async () => {
    const digest = sha256('văn bản cần đóng dấu thời gian');
    const before = Date.now();
    const r = await requestTimestamp(digest, { url: s.tsaUrl });
    expect(r.status).toBe('granted');
    expect(r.policy).toBe(TEST_TSA_POLICY_OID);
    expect(r.hashAlgorithm).toBe('SHA-256');
    expect(r.nonce).toMatch(/^[0-9a-f]+$/);
    expect(r.accuracyMs).toBe(1000);
    expect(Math.abs(r.genTime.getTime() - before)).toBeLessThan(5000);
    expect(Buffer.from(r.tsaCertificate).equals(Buffer.from(pki.tsa.certDer))).toBe(true);
    // The token read again on its own, as a verifier would.
    const info = inspectTimestampToken(r.token);
    expect(Buffer.from(info.messageImprint.hash).equals(Buffer.from(digest))).toBe(true);
    expect(checkCmsSignature(info.cms, null).ok).toBe(true);
    expect(info.tsaName).toContain('TSA');
  });

  it('asks for and checks a policy; SHA-384 and SHA-512 imprints', async () => {
    const r = await requestTimestamp(new Uint8Array(createHash('sha384').update('x').digest()), {
      url: s.tsaUrl,
      hashAlgorithm: 'SHA-384',
      policy: TEST_TSA_POLICY_OID,
    });
    expect(r.policy).toBe(TEST_TSA_POLICY_OID);
    expect(r.hashAlgorithm).toBe('SHA-384');
    const r2 = await requestTimestamp(new Uint8Array(createHash('sha512').update('x').digest()), { url: s.tsaUrl, hashAlgorithm: 'SHA-512', nonce: false });
    expect(r2.nonce).toBeNull();
  });

  it('certReq false: no certificate in the token; the TSA certificate must then be supplied', async () => {
    const digest = sha256('no cert');
    await expectKysoError(requestTimestamp(digest, { url: s.tsaUrl, certReq: false }), 'TSA_FAILED', 'no-certificate');
    const r = await requestTimestamp(digest, { url: s.tsaUrl, certReq: false, tsaCertificate: pki.tsa });
    expect(inspectTimestampToken(r.token).cms.certificates).toHaveLength(0);
  });

  it('gives every token its own serial number', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 5; i++) serials.add((await requestTimestamp(sha256(`n${i}`), { url: s.tsaUrl })).serialNumber);
    expect(serials.size).toBe(5);
  });

  it('a policy the TSA does not offer is refused by the TSA (unacceptedPolicy)', async () => {
    const { error } = await expectKysoError(requestTimestamp(sha256('p'), { url: s.tsaUrl, policy: '2.16.704.1.1.1.2' }), 'TSA_FAILED', 'rejected');
    expect(error.details?.failInfo).toEqual(['unacceptedPolicy']);
  });

  it('detects a wrong nonce, a wrong imprint, a non-TSA signer and a clock far off', async () => {
    s.hooks.tsaNonce = () => Uint8Array.of(0x01, 0x02, 0x03);
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl }), 'TSA_FAILED', 'nonce-mismatch');
    s.hooks = { tsaNonce: () => null };
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl }), 'TSA_FAILED', 'nonce-mismatch');
    s.hooks = { tsaImprint: (h) => new Uint8Array(h.byteLength).fill(7) };
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl }), 'TSA_FAILED', 'imprint-mismatch');
    s.hooks = { tsaSigner: pki.personal };
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl }), 'TSA_FAILED', 'eku');
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl, tsaCertificate: pki.tsa }), 'TSA_FAILED', 'certificate-mismatch');
    s.hooks = {};
    await expectKysoError(requestTimestamp(sha256('a'), { url: s.tsaUrl, clock: () => new Date(Date.now() + 3_600_000) }), 'TSA_FAILED', 'clock');
  });

  it('rejects a digest of the wrong length before sending anything', () => {
    expect(() => buildTimestampRequest(new Uint8Array(20), { hashAlgorithm: 'SHA-256' })).toThrow(/32 bytes/);
  });

  it('slow TSA: NETWORK_TIMEOUT within the timeout', async () => {
    await s.setMode('slow', { delayMs: 3000 });
    const { ms } = await expectKysoError(requestTimestamp(sha256('slow'), { url: s.tsaUrl, timeoutMs: 300 }), 'NETWORK_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1500);
  });

  it('TSA down: TSA_UNAVAILABLE at once', async () => {
    await s.setMode('down');
    const { ms, error } = await expectKysoError(requestTimestamp(sha256('down'), { url: s.tsaUrl, timeoutMs: 5000 }), 'TSA_UNAVAILABLE');
    expect(error.details?.reason).toBe('refused');
    expect(ms).toBeLessThan(1000);
    await s.setMode('normal');
    expect((await requestTimestamp(sha256('up again'), { url: s.tsaUrl })).status).toBe('granted');
  });

  it('garbage from the TSA: TSA_FAILED', async () => {
    await s.setMode('garbage');
    await expectKysoError(requestTimestamp(sha256('junk'), { url: s.tsaUrl }), 'TSA_FAILED');
  });

  it('an HTTP error status: TSA_UNAVAILABLE', async () => {
    await expectKysoError(requestTimestamp(sha256('404'), { url: `${s.baseUrl}/no-such-tsa` }), 'TSA_UNAVAILABLE', 'http-status');
  });
});
