import * as asn1js from 'asn1js';
import { KysoError } from '../errors.js';
import { parseExact } from './pre-encoded.js';

/** The raw pieces of an X.509 certificate a CMS signer needs, bytes as issued. */
export interface CertificateParts {
  der: Uint8Array;
  /** TLV of tbsCertificate.issuer (Name), not re-encoded. */
  issuer: Uint8Array;
  /** TLV of tbsCertificate.serialNumber (INTEGER), not re-encoded. */
  serialNumber: Uint8Array;
  /** TLV of subjectPublicKeyInfo. */
  subjectPublicKeyInfo: Uint8Array;
}

function invalid(why: string, cause?: unknown): KysoError {
  return new KysoError('CERT_INVALID', `The certificate cannot be parsed: ${why}`, {
    vi: `Không phân tích được chứng thư số: ${why}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

function tlv(block: asn1js.BaseBlock): Uint8Array {
  return block.valueBeforeDecodeView;
}

/** Split a DER certificate into the parts CMS needs. Throws CERT_INVALID. */
export function certificateParts(certificate: Uint8Array): CertificateParts {
  const bytes = new Uint8Array(certificate); // own copy: callers may reuse their buffer
  const root = parseExact(bytes);
  if (!(root instanceof asn1js.Sequence)) throw invalid('not a DER SEQUENCE');
  const tbs = root.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence) || root.valueBlock.value.length !== 3) throw invalid('no TBSCertificate');
  const f = tbs.valueBlock.value;
  let i = 0;
  const first = f[0];
  if (first && first.idBlock.tagClass === 3 && first.idBlock.tagNumber === 0) i = 1; // [0] version
  const serial = f[i];
  const issuer = f[i + 2];
  const spki = f[i + 5];
  if (!(serial instanceof asn1js.Integer)) throw invalid('no serial number');
  if (!(issuer instanceof asn1js.Sequence)) throw invalid('no issuer name');
  if (!(spki instanceof asn1js.Sequence)) throw invalid('no subject public key');
  return {
    der: bytes,
    issuer: new Uint8Array(tlv(issuer)),
    serialNumber: new Uint8Array(tlv(serial)),
    subjectPublicKeyInfo: new Uint8Array(tlv(spki)),
  };
}
