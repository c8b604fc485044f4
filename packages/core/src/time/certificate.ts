/**
 * The time-stamp and revocation clients' view of a certificate: the one
 * certificate model (trust/certificate.ts, parsed once) plus what the
 * protocols need as encoded: names as bytes (CertIDs, CRL issuer matching),
 * the serial's content octets, the public key bits OCSP hashes, the key as a
 * KeyObject, and the OCSP, caIssuers and CRL URLs. Stricter than the model:
 * trailing bytes, or an unreadable extension this view relies on (key usage,
 * EKU, AIA, CRL distribution points), make the certificate invalid here,
 * because a missing constraint must not read as "no constraint".
 */
import { X509Certificate as NodeX509, type KeyObject } from 'node:crypto';
import { KysoError } from '../errors.js';
import { childrenOf, contentOf, expectSequence, integerHex, isContext, isUniversal, oidOf, parseDer, rawOf, TAG } from '../cms/inspect/der.js';
import { parseCertificate, publicKeyOf, type KeyUsageName, type ParsedCertificate } from '../trust/certificate.js';

/**
 * A certificate as DER bytes, PEM text, an @peculiar/x509 or node:crypto
 * X509Certificate, or any object carrying `certDer` (a TEST PKI entity).
 */
export type CertificateLike = Uint8Array | string | { rawData: ArrayBuffer } | { raw: Uint8Array } | { certDer: Uint8Array };

export interface CertificateParts {
  /** The certificate model these parts are a view of. */
  model: ParsedCertificate;
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

const KEY_USAGE_BIT: Record<KeyUsageName, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
};

/** The extensions whose absence would loosen a check of this view if an unreadable one were taken for none. */
const RELIED_ON = new Set([OID_EKU, OID_KU, OID_AIA, OID_CRL_DP]);

function parse(der: Uint8Array): CertificateParts {
  const model = parseCertificate(der);
  // The model keeps only the certificate's own bytes: shorter than the input means bytes after it.
  if (model.der.byteLength !== der.byteLength) throw bad('Certificate: trailing bytes', 'Chứng thư số: có dữ liệu thừa');
  const broken = model.malformedExtensions.find((oid) => RELIED_ON.has(oid));
  if (broken) throw bad(`Certificate: extension ${broken} cannot be read`, `Chứng thư số: không đọc được phần mở rộng ${broken}`);
  const spkiParts = expectSequence(parseDer(model.spki, 'SubjectPublicKeyInfo').node, 'SubjectPublicKeyInfo');
  const bits = spkiParts[1];
  if (!bits || !isUniversal(bits, TAG.bitString)) throw bad('SubjectPublicKeyInfo: no key', 'SubjectPublicKeyInfo: không có khóa');
  const extension = (oid: string) => model.extensions.find((e) => e.oid === oid);
  const serial = new Uint8Array(Buffer.from(model.serialNumber, 'hex'));
  const aia = extension(OID_AIA)?.value;
  return {
    model,
    der: model.der,
    tbs: model.tbs,
    serial,
    serialHex: integerHex(serial),
    issuerName: model.issuer.raw,
    subjectName: model.subject.raw,
    spki: model.spki,
    publicKeyBits: new Uint8Array(contentOf(bits).subarray(1)),
    publicKey: publicKeyOf(model),
    notBefore: model.notBefore,
    notAfter: model.notAfter,
    extKeyUsage: model.extendedKeyUsage ? [...model.extendedKeyUsage] : null,
    extKeyUsageCritical: extension(OID_EKU)?.critical ?? false,
    keyUsage: model.keyUsage ? new Set([...model.keyUsage].map((n) => KEY_USAGE_BIT[n])) : null,
    ocspUrls: accessUrls(aia),
    caIssuersUrls: accessUrls(aia, OID_AD_CA_ISSUERS),
    crlUrls: crlUrls(extension(OID_CRL_DP)?.value),
    node: new NodeX509(Buffer.from(model.der)),
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
