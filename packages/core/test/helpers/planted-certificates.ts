import { randomBytes, webcrypto } from 'node:crypto';
import {
  AuthorityInfoAccessExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { addDss } from '../../src/sign/index.js';
import type { TestServices } from '../../src/testing/index.js';
import { makePdfLibPdf } from './fixtures.js';

const crypto = webcrypto as unknown as NonNullable<Parameters<typeof X509CertificateGenerator.create>[1]>;

/**
 * The SSRF bait of the LTV tests: `good`'s issuing CA (same name, same key)
 * re-certified by `evil`'s root, with `evil`'s OCSP, CRL and caIssuers URLs.
 * A leaf of `good` verifies under it, so a collector that takes chains from
 * the file would fetch `evil`'s URLs.
 */
export async function crossCertificate(good: TestServices, evil: TestServices): Promise<Uint8Array> {
  const cross = await X509CertificateGenerator.create(
    {
      serialNumber: `01${randomBytes(8).toString('hex')}`,
      subject: good.pki.issuing.certificate.subjectName as never,
      issuer: evil.pki.root.certificate.subjectName as never,
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 86_400_000),
      publicKey: good.pki.issuing.cryptoKeys.publicKey,
      signingKey: evil.pki.root.cryptoKeys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        new AuthorityInfoAccessExtension({ ocsp: evil.ocspUrl, caIssuers: `${evil.baseUrl}/crt/root.crt` }),
        new CRLDistributionPointsExtension([evil.crlUrl()]),
      ],
    },
    crypto,
  );
  return new Uint8Array(cross.rawData);
}

/** A client's unsigned PDF whose DSS carries the cross certificate and `evil`'s root. */
export async function plantedPdf(cross: Uint8Array, evil: TestServices): Promise<Uint8Array> {
  return addDss(await makePdfLibPdf(), [{ signatureContents: new Uint8Array([0x30, 0x00]), data: { certificates: [cross, evil.pki.root.certDer], ocspResponses: [], crls: [] } }]);
}

/** Every request `services` received, whatever the service. */
export const requestCount = (services: TestServices): number => Object.values(services.requests).reduce((a, b) => a + b, 0);
