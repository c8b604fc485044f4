import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectValidationData } from '../../src/time/index.js';
import { certificateParts } from '../../src/time/certificate.js';
import { createTestPki, issueLeaf, startTestServices, type TestEntity, type TestServices } from '../../src/testing/index.js';
import { TrustStore } from '../../src/trust/index.js';
import { SoftwareSigner, signPdf, verifyPdf } from '../../src/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Long-term validation data for a chain in which a certificate declares no
 * revocation source: refused by default, naming it (EU DSS refuses too);
 * `revocation: 'if-declared'` records what the chain declares (pyHanko signs).
 */
const serialOf = (e: TestEntity): string => certificateParts(e.certDer).serialHex.toUpperCase();
let services: TestServices;
let silent: TestEntity;
let store: TrustStore;
beforeAll(async () => {
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  // A leaf with neither AIA (OCSP) nor a CRL distribution point; its issuing CA declares both.
  silent = await issueLeaf(services.pki, { kind: 'personal', name: 'silent', aia: false, crlDistributionPoint: false });
  store = TrustStore.fromPem(services.pki.root.certPem);
});
afterAll(async () => {
  await services?.close();
});

describe("collectValidationData's revocation policy", () => {
  it("require (default): LTV_NO_REVOCATION_SOURCE names the certificate's subject and serial, and nothing is fetched", async () => {
    const before = { ...services.requests };
    const e = await collectValidationData(silent.certDer, [services.pki.issuing.certDer], { store, sources: 'trusted-chain' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'LTV_NO_REVOCATION_SOURCE', details: { serial: serialOf(silent) } });
    const err = e as { message: string; messageVi: string; details: { subject: string } };
    expect(err.details.subject).toMatch(/CN=/);
    expect(err.message).toContain(err.details.subject);
    expect(err.message).toContain(serialOf(silent));
    expect(err.message).toMatch(/--revocation if-declared/);
    expect(err.messageVi).toMatch(/không khai báo máy chủ OCSP/);
    expect(services.requests.ocsp - before.ocsp + services.requests.crl - before.crl).toBe(0);
  });

  it('if-declared: the chain is recorded with the status of every certificate that declares a source, none for the one that does not', async () => {
    const data = await collectValidationData(silent.certDer, [services.pki.issuing.certDer], { store, sources: 'trusted-chain', revocation: 'if-declared' });
    expect(data.certificates.map((c) => Buffer.from(c).toString('hex'))).toEqual(expect.arrayContaining([Buffer.from(silent.certDer).toString('hex'), Buffer.from(services.pki.issuing.certDer).toString('hex')]));
    // The issuing CA's status (OCSP from the root's responder, or the root's CRL): one piece of evidence, and none for the silent leaf.
    expect(data.ocspResponses.length + data.crls.length).toBe(1);
  });

  it('if-declared still refuses a declared source that does not answer', async () => {
    await services.setMode('down');
    try {
      const e = await collectValidationData(services.pki.personal.certDer, [services.pki.issuing.certDer], { store, sources: 'trusted-chain', revocation: 'if-declared', timeoutMs: 1500 }).catch((x: unknown) => x);
      expect((e as { code?: string }).code).toMatch(/^(OCSP|CRL)_UNAVAILABLE$|^NETWORK_/);
    } finally {
      await services.setMode('normal');
    }
  });

  it('signPdf at B-LT refuses the silent leaf by default and signs with if-declared; the verifier then finds no good status for it', async () => {
    const signer = SoftwareSigner.fromPem({ key: silent.keyPem, cert: silent.certPem, chain: services.pki.chainPem });
    const sample = readFileSync(join(__dirname, '../../../../examples/assets/sample.pdf'));
    const tsa = { timestamper: (await import('../../src/time/index.js')).tsaTimestamper({ url: services.tsaUrl }) };
    await expect(signPdf(sample, { signer, level: 'B-LT', ...tsa, validation: { store, sources: 'trusted-chain' } })).rejects.toMatchObject({ code: 'LTV_NO_REVOCATION_SOURCE' });
    const pdf = await signPdf(sample, { signer, level: 'B-LT', ...tsa, validation: { store, sources: 'trusted-chain', revocation: 'if-declared' } });
    const report = await verifyPdf(pdf, { trustStore: store });
    const s = report.signatures[0]!;
    expect(s.integrity).toBe('ok');
    expect(s.revocation?.status).not.toBe('good');
  });
});
