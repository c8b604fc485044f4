/**
 * Certify, then lock: the first signature certifies the document (DocMDP
 * P=2: forms may be filled and more signatures added), the agency's
 * signature locks every field with "no changes permitted" after it
 * (FieldMDP, P=1). After that kyso refuses any further signature, while
 * long-term validation (DSS and a document timestamp, PAdES B-LTA) still
 * goes on. A loopback timestamp authority stands in for BCY's.
 *
 *   node --import tsx examples/certify-and-lock.ts [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SoftwareSigner, TrustStore, extendPdf, isKysoError, signPdf, tsaTimestamper, verifyPdf } from '@kyso/core';
import { createTestPki, startTestServices } from '@kyso/core/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-certify-and-lock');
mkdirSync(outDir, { recursive: true });

// A TEST hierarchy whose TSA, OCSP and CRL URLs point at local servers.
const services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
try {
  const pki = services.pki;
  writeFileSync(join(outDir, 'root.pem'), pki.root.certPem);
  const officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  const timestamper = tsaTimestamper({ url: services.tsaUrl, timeoutMs: 10_000 });

  // 1. The officer certifies: first signature, P=2.
  const certified = await signPdf(readFileSync(join(here, 'assets', 'sample.pdf')), {
    signer: officer,
    fieldName: 'CanBo',
    reason: 'Chứng thực bản sao đúng với bản chính',
    certify: { permissions: 2 },
  });
  // 2. The agency seals and locks every field; /P 1: nothing but DSS and document timestamps afterwards.
  const sealed = await signPdf(certified, { signer: agency, fieldName: 'CoQuan', lock: { action: 'All', permissions: 1 } });

  // 3. Another signature would break the agency's: refused, nothing written.
  try {
    await signPdf(sealed, { signer: officer });
    console.log('another signature: accepted (unexpected)');
  } catch (e) {
    console.log(`another signature: refused (${isKysoError(e) ? e.code : String(e)})`);
  }

  // 4. Long-term validation is still allowed.
  const lta = await extendPdf(sealed, { level: 'B-LTA', timestamper });
  const out = join(outDir, 'certified-locked.pdf');
  writeFileSync(out, lta);

  const report = await verifyPdf(lta, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  console.log(`signed: ${out}`);
  console.log(`certification: signature 1, DocMDP P=${report.signatures[0]?.certification?.docMdp}`);
  console.log(`signatures: ${report.signatures.map((s) => `${s.field} (${s.kind}, ${s.padesLevel ?? '-'})`).join(', ')}`);
} finally {
  await services.close();
}
