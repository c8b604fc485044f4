/**
 * The parts of an X.509 certificate the time-stamp and revocation clients
 * need: names as encoded (for CertIDs and CRL issuer matching), the serial,
 * the public key, validity, and a few extensions (EKU, key usage, AIA).
 */
import { createPublicKey, X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { KysoError } from '../errors.js';
import { childrenOf, contentOf, expectSequence, integerBytes, integerHex, isContext, isUniversal, octetStringValue, oidOf, parseDer, rawOf, TAG } from '../cms/inspect/der.js';
import { timeOf } from '../cms/inspect/time.js';

/**
 * A certificate as DER bytes, PEM text, an @peculiar/x509 or node:crypto
 * X509Certificate, or any object carrying `certDer` (a TEST PKI entity).
 */
export type CertificateLike = Uint8Array | string | { rawData: ArrayBuffer } | { raw: Uint8Array } | { certDer: Uint8Array };

export interface CertificateParts {
  der: Uint8Array;
  tbs: Uint8Array;
  /** INTEGER content octets as encoded. */
  serial: Uint8Array;
  /** Lowercase hex of the serial's magnitude. */
  serialHex: string;
  issuerName: Uint8Array;
  subjectName: Uint8Array;
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING value (without the unused-bits octet): what OCSP key hashes cover. */
  publicKeyBits: Uint8Array;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Extensions by OID. */
  extensions: Map<string, { critical: boolean; value: Uint8Array }>;
  /** Extended key usage OIDs, or null without the extension. */
  extKeyUsage: string[] | null;
  extKeyUsageCritical: boolean;
  /** Key usage bits set (0 = digitalSignature ... 6 = cRLSign), or null without the extension. */
  keyUsage: Set<number> | null;
  /** OCSP URLs from Authority Information Access. */
  ocspUrls: string[];
  /** caIssuers URLs from Authority Information Access (where the issuer's certificate is published). */
  caIssuersUrls: string[];
  /** CRL distribution point URLs (full names, URI form). */
  crlUrls: string[];
  node: NodeX509;
}

export const OID_EKU = '2.5.29.37';
export const OID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
export const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const OID_KU = '2.5.29.15';
const OID_AIA = '1.3.6.1.5.5.7.1.1';
const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';
const OID_AD_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
const OID_CRL_DP = '2.5.29.31';

function bad(message: string, vi: string, cause?: unknown): KysoError {
  return new KysoError('CERT_INVALID', message, { vi, ...(cause === undefined ? {} : { cause }) });
}

export function certificateDer(input: CertificateLike): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (typeof input === 'string') {
    const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(input);
    if (!m) throw bad('Not a PEM certificate', 'Không phải chứng thư số dạng PEM');
    return new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  }
  if (input && typeof input === 'object') {
    if ('certDer' in input && input.certDer instanceof Uint8Array) return input.certDer;
    if ('raw' in input && input.raw instanceof Uint8Array) return new Uint8Array(input.raw);
    if ('rawData' in input && input.rawData instanceof ArrayBuffer) return new Uint8Array(input.rawData);
  }
  throw bad('Unsupported certificate input', 'Kiểu dữ liệu chứng thư số không được hỗ trợ');
}

const cache = new WeakMap<object, CertificateParts>();

export function certificateParts(input: CertificateLike): CertificateParts {
  const key = typeof input === 'object' ? input : null;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const der = certificateDer(input);
  let parts: CertificateParts;
  try {
    parts = parse(der);
  } catch (e) {
    if (e instanceof KysoError && e.code === 'CERT_INVALID') throw e;
    throw bad(`Cannot read certificate: ${e instanceof Error ? e.message : String(e)}`, 'Không đọc được chứng thư số', e);
  }
  if (key) cache.set(key, parts);
  return parts;
}

function parse(der: Uint8Array): CertificateParts {
  const bytes = new Uint8Array(der);
  const { node, length } = parseDer(bytes, 'certificate');
  if (length !== bytes.byteLength) throw bad('Certificate: trailing bytes', 'Chứng thư số: có dữ liệu thừa');
  const cert = expectSequence(node, 'Certificate');
  const tbsNode = cert[0];
  const tbs = expectSequence(tbsNode, 'TBSCertificate');
  let i = 0;
  if (tbs[0] && isContext(tbs[0], 0)) i++;
  const serial = integerBytes(tbs[i], 'serialNumber');
  const issuerName = rawOf(tbs[i + 2]!);
  const validity = expectSequence(tbs[i + 3], 'validity');
  const subjectName = rawOf(tbs[i + 4]!);
  const spkiNode = tbs[i + 5];
  const spkiParts = expectSequence(spkiNode, 'SubjectPublicKeyInfo');
  const bits = spkiParts[1];
  if (!bits || !isUniversal(bits, TAG.bitString)) throw bad('SubjectPublicKeyInfo: no key', 'SubjectPublicKeyInfo: không có khóa');
  const spki = rawOf(spkiNode!);
  const extensions = new Map<string, { critical: boolean; value: Uint8Array }>();
  for (const f of tbs.slice(i + 6)) {
    if (!isContext(f, 3)) continue;
    for (const ext of expectSequence(childrenOf(f, 'extensions')[0], 'Extensions')) {
      const p = expectSequence(ext, 'Extension');
      const id = oidOf(p[0], 'extnID');
      const critical = p.length === 3 && isUniversal(p[1]!, TAG.boolean) && contentOf(p[1]!)[0] !== 0;
      extensions.set(id, { critical, value: octetStringValue(p[p.length - 1], 'extnValue') });
    }
  }
  const eku = extensions.get(OID_EKU);
  const ku = extensions.get(OID_KU);
  let keyUsage: Set<number> | null = null;
  if (ku) {
    const c = contentOf(parseDer(ku.value, 'keyUsage').node);
    keyUsage = new Set();
    for (let b = 0; b < (c.byteLength - 1) * 8; b++) if ((c[1 + (b >> 3)]! & (0x80 >> (b & 7))) !== 0) keyUsage.add(b);
  }
  const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);
  return {
    der: bytes,
    tbs: copy(rawOf(tbsNode!)),
    serial: copy(serial),
    serialHex: integerHex(serial),
    issuerName: copy(issuerName),
    subjectName: copy(subjectName),
    spki: copy(spki),
    publicKeyBits: copy(contentOf(bits).subarray(1)),
    publicKey: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
    notBefore: timeOf(validity[0], 'notBefore'),
    notAfter: timeOf(validity[1], 'notAfter'),
    extensions,
    extKeyUsage: eku ? expectSequence(parseDer(eku.value, 'extKeyUsage').node, 'extKeyUsage').map((n) => oidOf(n, 'KeyPurposeId')) : null,
    extKeyUsageCritical: eku?.critical ?? false,
    keyUsage,
    ocspUrls: accessUrls(extensions.get(OID_AIA)?.value),
    caIssuersUrls: accessUrls(extensions.get(OID_AIA)?.value, OID_AD_CA_ISSUERS),
    crlUrls: crlUrls(extensions.get(OID_CRL_DP)?.value),
    node: new NodeX509(Buffer.from(bytes)),
  };
}

function uriOf(n: import('../cms/inspect/der.js').Node): string | null {
  // GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String
  return isContext(n, 6) && !n.idBlock.isConstructed ? Buffer.from(contentOf(n)).toString('latin1') : null;
}

function accessUrls(value: Uint8Array | undefined, method = OID_AD_OCSP): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const ad of expectSequence(parseDer(value, 'AIA').node, 'AuthorityInfoAccess')) {
    const p = expectSequence(ad, 'AccessDescription');
    if (oidOf(p[0], 'accessMethod') !== method || !p[1]) continue;
    const u = uriOf(p[1]);
    if (u) out.push(u);
  }
  return out;
}

function crlUrls(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const dp of expectSequence(parseDer(value, 'CRLDistributionPoints').node, 'CRLDistributionPoints')) {
    const fields = expectSequence(dp, 'DistributionPoint');
    const name = fields.find((f) => isContext(f, 0));
    if (!name) continue;
    for (const choice of childrenOf(name, 'distributionPoint')) {
      if (!isContext(choice, 0)) continue; // fullName [0] GeneralNames
      for (const gn of childrenOf(choice, 'fullName')) {
        const u = uriOf(gn);
        if (u) out.push(u);
      }
    }
  }
  return out;
}

/** Was `cert` signed by `issuer` (names match and the signature verifies)? */
export function issuedBy(cert: CertificateParts, issuer: CertificateParts): boolean {
  if (!Buffer.from(cert.issuerName).equals(Buffer.from(issuer.subjectName))) return false;
  try {
    return cert.node.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function sameCertificate(a: CertificateParts, b: CertificateParts): boolean {
  return Buffer.from(a.der).equals(Buffer.from(b.der));
}
