/**
 * The TEST services as a whole: a PKI created for the server's own port (so
 * the URLs in certificates work), CA certificate downloads, responder-by-key,
 * request counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startTestServices, type TestServices } from '../../src/testing/index.js';
import { checkOcsp, fetchCrl, httpFetcher } from '../../src/time/index.js';
import { certificateParts } from '../../src/time/certificate.js';

let s: TestServices;

beforeAll(async () => {
  // P-256 keys: generated in milliseconds, so this PKI need not be cached.
  s = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }), { ocspResponderId: 'key' });
});
afterAll(() => s?.close());

describe('startTestServices with a PKI made for its port', () => {
  it('certificates point at this server', () => {
    expect(s.pkiMatchesServer).toBe(true);
    const leaf = certificateParts(s.pki.personal);
    expect(leaf.ocspUrls).toEqual([s.ocspUrl]);
    expect(leaf.crlUrls).toEqual([s.crlUrl('issuing')]);
    expect(certificateParts(s.pki.issuing).crlUrls).toEqual([s.crlUrl('root')]);
    expect(s.pki.urls.issuingCert).toBe(`${s.baseUrl}/crt/issuing.crt`);
  });

  it('OCSP and CRL clients follow the URLs in the certificates (ECDSA, responder by key)', async () => {
    s.revoke(s.pki.organisation.serialNumber, { reason: 'superseded' });
    expect((await checkOcsp(s.pki.personal, s.pki.issuing)).status).toBe('good');
    const r = await checkOcsp(s.pki.organisation, s.pki.issuing);
    expect(r.status).toBe('revoked');
    expect(r.reason).toBe('superseded');
    const crlUrl = certificateParts(s.pki.organisation).crlUrls[0]!;
    expect((await fetchCrl(crlUrl, s.pki.issuing)).isRevoked(s.pki.organisation)?.reason).toBe('superseded');
    expect((await checkOcsp(s.pki.issuing, s.pki.root)).responderIsIssuer).toBe(true);
  });

  it('serves the CA certificates named in AIA caIssuers', async () => {
    const issuing = await httpFetcher(s.pki.urls.issuingCert, {});
    expect(Buffer.from(issuing).equals(Buffer.from(s.pki.issuing.certDer))).toBe(true);
    const root = await httpFetcher(s.pki.urls.rootCert, {});
    expect(Buffer.from(root).equals(Buffer.from(s.pki.root.certDer))).toBe(true);
  });

  it('counts requests and answers 404 / 405 elsewhere', async () => {
    const before = { ...s.requests };
    await expect(httpFetcher(`${s.baseUrl}/nothing`, {})).rejects.toMatchObject({ code: 'NETWORK_FAILED', details: { status: 404 } });
    await expect(httpFetcher(s.tsaUrl, { method: 'GET' })).rejects.toMatchObject({ code: 'NETWORK_FAILED', details: { status: 405 } });
    expect(s.requests.other - before.other).toBe(1);
    expect(s.requests.tsa - before.tsa).toBe(1);
  });
});
