/**
 * The few fields of an X.509 certificate the CMS inspector needs to find the
 * signer (issuer, serial, subject key identifier) and verify its signature
 * (the SubjectPublicKeyInfo, as encoded). Chain building lives elsewhere.
 */
import {
  childrenOf,
  expectSequence,
  integerBytes,
  isContext,
  isUniversal,
  malformed,
  octetStringValue,
  oidOf,
  parseDer,
  rawOf,
  TAG,
  withDefiniteLengths,
  type Node,
} from './der.js';

export interface CertificateFields {
  der: Uint8Array;
  issuer: Node;
  /** INTEGER content octets as encoded. */
  serial: Uint8Array;
  /** The serial number's TLV as encoded (what an IssuerAndSerialNumber repeats). */
  serialTlv: Uint8Array;
  subjectKeyIdentifier: Uint8Array | null;
  /** SubjectPublicKeyInfo, with BER indefinite lengths (if any) made definite for OpenSSL. */
  spki: Uint8Array;
  /** The certificate with indefinite lengths made definite: its DER form for the BER seen in real files (same bytes when already definite). */
  definite: Uint8Array;
}

const SKI_OID = '2.5.29.14';

export function certificateFields(node: Node): CertificateFields {
  const cert = expectSequence(node, 'Certificate');
  if (cert.length !== 3) throw malformed('Certificate: expected 3 fields', 'Chứng thư số: cần 3 trường');
  const tbs = expectSequence(cert[0], 'TBSCertificate');
  let i = 0;
  if (tbs[0] && isContext(tbs[0], 0)) i++;
  const serial = integerBytes(tbs[i], 'certificate serialNumber');
  const issuer = tbs[i + 2];
  expectSequence(issuer, 'certificate issuer');
  const spkiNode = tbs[i + 5];
  expectSequence(spkiNode, 'SubjectPublicKeyInfo');
  let ski: Uint8Array | null = null;
  for (const f of tbs.slice(i + 6)) {
    if (!isContext(f, 3)) continue;
    const inner = childrenOf(f, 'extensions');
    for (const ext of expectSequence(inner[0], 'Extensions')) {
      const parts = expectSequence(ext, 'Extension');
      if (parts.length < 2) continue;
      if (oidOf(parts[0], 'extnID') !== SKI_OID) continue;
      const value = octetStringValue(parts[parts.length - 1], 'extnValue');
      const parsed = parseDer(value, 'SubjectKeyIdentifier');
      if (isUniversal(parsed.node, TAG.octetString)) ski = octetStringValue(parsed.node, 'SubjectKeyIdentifier');
    }
  }
  return { der: rawOf(node), issuer: issuer!, serial, serialTlv: rawOf(tbs[i]!), subjectKeyIdentifier: ski, spki: withDefiniteLengths(spkiNode!), definite: withDefiniteLengths(node) };
}

/** Serial numbers compared by value (tolerates a non-minimal BER encoding with leading zero octets). */
export function serialsEqual(a: Uint8Array, b: Uint8Array): boolean {
  const strip = (x: Uint8Array): Uint8Array => {
    let k = 0;
    while (k < x.byteLength - 1 && x[k] === 0 && (x[k + 1]! & 0x80) === 0) k++;
    while (k < x.byteLength - 1 && x[k] === 0xff && (x[k + 1]! & 0x80) !== 0) k++;
    return x.subarray(k);
  };
  const p = strip(a);
  const q = strip(b);
  return p.byteLength === q.byteLength && p.every((v, j) => v === q[j]);
}
