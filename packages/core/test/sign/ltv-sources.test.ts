import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, signPdf, tsaTimestamper, TrustStore, verifyPdf } from '../../src/index.js';
import { type CollectValidationOptions } from '../../src/time/index.js';
import { readDss, PdfReader } from '../../src/pdf/index.js';
import { createTestPki, startTestServices, type TestServices } from '../../src/testing/index.js';
import { makePdfLibPdf } from '../helpers/fixtures.js';
import { crossCertificate, plantedPdf as planted, requestCount } from '../helpers/planted-certificates.js';

/*
 * A service that signs other people's files at B-LT must not let a file (or
 * a certificate nobody trusts) choose where it connects: the threat is a
 * client who plants a certificate in the PDF's DSS whose OCSP or CRL URL
 * points at an internal address (SSRF). `sources: 'trusted-chain'` fetches
 * only the URLs of a chain that ends at a trusted anchor.
 */

let good: TestServices; // the trusted PKI and its real OCSP/CRL/TSA
let evil: TestServices; // another PKI whose every URL points at the "attacker's" listener
let trust: TrustStore;
let crossDer: Uint8Array;

beforeAll(async () => {
  good = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  evil = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  trust = TrustStore.fromPem(good.pki.root.certPem);
  crossDer = await crossCertificate(good, evil);
});
afterAll(async () => {
  await good?.close();
  await evil?.close();
});

const evilRequests = (): number => requestCount(evil);

async function plantedPdf(): Promise<Uint8Array> {
  const pdf = await planted(crossDer, evil);
  expect(readDss(PdfReader.open(pdf)).certificates.length).toBe(2);
  return pdf;
}

const leafOnly = () => SoftwareSigner.fromPem({ key: good.pki.personal.keyPem, cert: good.pki.personal.certPem });
const fullChain = () => SoftwareSigner.fromPem({ key: good.pki.personal.keyPem, cert: good.pki.personal.certPem, chain: good.pki.chainPem });
const tsa = () => tsaTimestamper({ url: good.tsaUrl, timeoutMs: 5000 });

async function refusal(p: Promise<unknown>): Promise<KysoError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(KysoError);
  return e as KysoError;
}

describe('where B-LT validation data may be fetched from', () => {
  it("'any' (a desk tool's default): a certificate planted in the client's DSS makes the signer connect to the attacker's URLs", async () => {
    const before = evilRequests();
    const validation: CollectValidationOptions = { store: trust, timeoutMs: 3000 };
    await signPdf(await plantedPdf(), { signer: leafOnly(), timestamper: tsa(), level: 'B-LT', validation }).catch(() => undefined);
    // This is the hole the strict mode closes; if this ever stops reaching the attacker the next tests prove nothing.
    expect(evilRequests()).toBeGreaterThan(before);
  });

  it("'trusted-chain': the same file and signer are refused with LTV_CHAIN_UNTRUSTED and the attacker gets no request", async () => {
    const before = evilRequests();
    const validation: CollectValidationOptions = { store: trust, timeoutMs: 3000, sources: 'trusted-chain' };
    const e = await refusal(signPdf(await plantedPdf(), { signer: leafOnly(), timestamper: tsa(), level: 'B-LT', validation }));
    expect(e.code).toBe('LTV_CHAIN_UNTRUSTED');
    expect(e.message).toContain(good.pki.personal.certificate.subjectName.getField('CN')[0]!);
    expect(e.messageVi).toMatch(/chứng thư gốc tin cậy/);
    expect(evilRequests()).toBe(before);
  });

  it("'trusted-chain' with the signer's chain: B-LT is made from the trusted CA's URLs only, the planted certificate ignored", async () => {
    const before = evilRequests();
    const ocspBefore = good.requests.ocsp + good.requests.crl;
    const validation: CollectValidationOptions = { store: trust, timeoutMs: 3000, sources: 'trusted-chain' };
    const out = await signPdf(await plantedPdf(), { signer: fullChain(), timestamper: tsa(), level: 'B-LTA', validation });
    expect(evilRequests()).toBe(before);
    expect(good.requests.ocsp + good.requests.crl).toBeGreaterThan(ocspBefore);
    const report = await verifyPdf(out, { trustStore: trust });
    expect(report.signatures.map((s) => [s.kind, s.indication])).toEqual([
      ['signature', 'TOTAL_PASSED'],
      ['timestamp', 'TOTAL_PASSED'],
    ]);
  });

  it("'trusted-chain': a signer under a root the service does not trust is refused before any of its URLs is fetched", async () => {
    const before = evilRequests();
    const stranger = SoftwareSigner.fromPem({ key: evil.pki.personal.keyPem, cert: evil.pki.personal.certPem, chain: evil.pki.chainPem });
    const validation: CollectValidationOptions = { store: trust, timeoutMs: 3000, sources: 'trusted-chain' };
    const e = await refusal(signPdf(await makePdfLibPdf(), { signer: stranger, timestamper: tsa(), level: 'B-LT', validation }));
    expect(e.code).toBe('LTV_CHAIN_UNTRUSTED');
    expect(evilRequests()).toBe(before);
    // The same signer in 'any' mode does fetch them (its chain ends at a self-signed root it carries).
    // (Both TEST PKIs name their CAs alike, so the data it gets may not even verify: what matters is that it connected.)
    await signPdf(await makePdfLibPdf(), { signer: stranger, timestamper: tsa(), level: 'B-LT', validation: { store: trust, timeoutMs: 3000 } }).catch(() => undefined);
    expect(evilRequests()).toBeGreaterThan(before);
  });
});
