import { KysoError } from '../errors.js';
import { certificateFields } from './inspect/certificate-fields.js';
import { parseDer, rawOf } from './inspect/der.js';

/**
 * The raw pieces of an X.509 certificate a CMS signer needs, bytes as
 * issued: a view of the fields the CMS inspector reads (one certificate
 * reader in cms), so the signer and the verifier identify a certificate by
 * the same bytes.
 */
export interface CertificateParts {
  der: Uint8Array;
  /** TLV of tbsCertificate.issuer (Name), not re-encoded. */
  issuer: Uint8Array;
  /** TLV of tbsCertificate.serialNumber (INTEGER), not re-encoded. */
  serialNumber: Uint8Array;
  /** TLV of subjectPublicKeyInfo. */
  subjectPublicKeyInfo: Uint8Array;
}

/** Split a DER certificate into the parts CMS needs. Throws CERT_INVALID. */
export function certificateParts(certificate: Uint8Array): CertificateParts {
  const bytes = new Uint8Array(certificate); // own copy: callers may reuse their buffer
  try {
    const { node, length } = parseDer(bytes, 'certificate');
    if (length !== bytes.byteLength) throw new Error('trailing bytes after the certificate');
    const f = certificateFields(node);
    const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);
    return { der: bytes, issuer: copy(rawOf(f.issuer)), serialNumber: copy(f.serialTlv), subjectPublicKeyInfo: copy(f.spki) };
  } catch (e) {
    const why = e instanceof KysoError ? e.message : e instanceof Error ? e.message : String(e);
    throw new KysoError('CERT_INVALID', `The certificate cannot be parsed: ${why}`, {
      vi: `Không phân tích được chứng thư số: ${e instanceof KysoError ? e.messageVi : why}`,
      cause: e,
    });
  }
}
