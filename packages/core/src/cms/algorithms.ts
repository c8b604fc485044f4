import * as asn1js from 'asn1js';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { KysoError } from '../errors.js';
import type { DigestAlgorithm, SignatureAlgorithm } from '../contracts/index.js';
import { OID } from './oids.js';
import { der } from './pre-encoded.js';

interface DigestInfo {
  oid: string;
  length: number;
  /** Node / OpenSSL name. */
  node: string;
  rsaOid: string;
  ecdsaOid: string;
}

const DIGESTS: Record<DigestAlgorithm, DigestInfo> = {
  'SHA-256': { oid: OID.sha256, length: 32, node: 'sha256', rsaOid: OID.sha256WithRSAEncryption, ecdsaOid: OID.ecdsaWithSha256 },
  'SHA-384': { oid: OID.sha384, length: 48, node: 'sha384', rsaOid: OID.sha384WithRSAEncryption, ecdsaOid: OID.ecdsaWithSha384 },
  'SHA-512': { oid: OID.sha512, length: 64, node: 'sha512', rsaOid: OID.sha512WithRSAEncryption, ecdsaOid: OID.ecdsaWithSha512 },
};

export function digestInfo(digest: DigestAlgorithm): DigestInfo {
  const d = Object.prototype.hasOwnProperty.call(DIGESTS, digest) ? DIGESTS[digest] : undefined;
  if (!d) {
    throw new KysoError('CMS_UNSUPPORTED', `Unsupported digest algorithm: ${String(digest)}`, {
      vi: `Thuật toán băm không được hỗ trợ: ${String(digest)}`,
    });
  }
  return d;
}

/** Length in bytes of a digest value. */
export function digestLength(digest: DigestAlgorithm): number {
  return digestInfo(digest).length;
}

/** Node's name for the digest ('sha256', ...). */
export function nodeDigestName(digest: DigestAlgorithm): string {
  return digestInfo(digest).node;
}

/**
 * AlgorithmIdentifier of a SHA-2 digest. RFC 5754: generate with absent
 * parameters (CMS digestAlgorithm, ESSCertIDv2). RFC 4055 asks for NULL
 * inside RSASSA-PSS-params, hence `withNull`.
 */
export function digestAlgorithmId(digest: DigestAlgorithm, withNull = false): asn1js.Sequence {
  const value: asn1js.BaseBlock[] = [new asn1js.ObjectIdentifier({ value: digestInfo(digest).oid })];
  if (withNull) value.push(new asn1js.Null());
  return new asn1js.Sequence({ value });
}

/** DER AlgorithmIdentifier of the signature, as it goes into SignerInfo.signatureAlgorithm. */
export function signatureAlgorithmId(alg: SignatureAlgorithm, digest: DigestAlgorithm): asn1js.Sequence {
  const d = digestInfo(digest);
  switch (alg.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: d.rsaOid }), new asn1js.Null()] });
    case 'ECDSA':
      // RFC 5758: ecdsa-with-SHA2 identifiers carry no parameters.
      return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: d.ecdsaOid })] });
    case 'RSA-PSS': {
      const saltLength = alg.saltLength ?? d.length;
      // RSASSA-PSS-params (RFC 4055). trailerField is the DEFAULT 1 and so,
      // under DER, omitted.
      const params = new asn1js.Sequence({
        value: [
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [digestAlgorithmId(digest, true)] }),
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 1 },
            value: [
              new asn1js.Sequence({
                value: [new asn1js.ObjectIdentifier({ value: OID.mgf1 }), digestAlgorithmId(digest, true)],
              }),
            ],
          }),
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 2 },
            value: [new asn1js.Integer({ value: saltLength })],
          }),
        ],
      });
      return new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.rsassaPss }), params] });
    }
    default:
      throw new KysoError('CMS_UNSUPPORTED', `Unsupported signature scheme: ${String((alg as { scheme: unknown }).scheme)}`, {
        vi: `Lược đồ chữ ký không được hỗ trợ: ${String((alg as { scheme: unknown }).scheme)}`,
      });
  }
}

export function signatureAlgorithmIdDer(alg: SignatureAlgorithm, digest: DigestAlgorithm): Uint8Array {
  return der(signatureAlgorithmId(alg, digest));
}

const EC_COORDINATE_BYTES: Record<string, number> = {
  prime256v1: 32,
  'P-256': 32,
  secp384r1: 48,
  'P-384': 48,
  secp521r1: 66,
  'P-521': 66,
};

/** Bytes of one coordinate of a supported named curve, or undefined. */
export function ecCoordinateBytes(namedCurve: string | undefined): number | undefined {
  return namedCurve === undefined ? undefined : EC_COORDINATE_BYTES[namedCurve];
}

/**
 * Largest DER Ecdsa-Sig-Value for a curve: SEQUENCE { INTEGER r, INTEGER s },
 * each INTEGER up to n+1 content bytes (a leading zero) plus a 2-byte header.
 */
export function maxEcdsaSignatureSize(coordinateBytes: number): number {
  const content = 2 * (2 + coordinateBytes + 1);
  return content + (content < 128 ? 2 : content < 256 ? 3 : 4);
}

/** What the public key allows: family and the largest signature value. */
export interface PublicKeyFacts {
  family: 'RSA' | 'EC';
  /** RSA modulus bits or EC coordinate bits. */
  bits: number;
  namedCurve?: string;
  maxSignatureSize: number;
  /** The key is an id-RSASSA-PSS key (PSS only). */
  pssOnly: boolean;
}

export function publicKeyFacts(key: KeyObject): PublicKeyFacts {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    return { family: 'RSA', bits, maxSignatureSize: Math.ceil(bits / 8), pssOnly: type === 'rsa-pss' };
  }
  if (type === 'ec') {
    const n = ecCoordinateBytes(details.namedCurve);
    if (n !== undefined) {
      return {
        family: 'EC',
        bits: details.namedCurve === 'secp521r1' ? 521 : n * 8,
        namedCurve: details.namedCurve!,
        maxSignatureSize: maxEcdsaSignatureSize(n),
        pssOnly: false,
      };
    }
  }
  throw new KysoError('KEY_UNSUPPORTED', `Unsupported key type: ${String(type)}${details.namedCurve ? ` (${details.namedCurve})` : ''}`, {
    vi: `Loại khóa không được hỗ trợ: ${String(type)}${details.namedCurve ? ` (${details.namedCurve})` : ''}`,
  });
}

/** Facts of the key in a DER SubjectPublicKeyInfo. */
export function spkiFacts(spki: Uint8Array): PublicKeyFacts {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'The certificate public key cannot be read', {
      vi: 'Không đọc được khóa công khai của chứng thư số',
      cause,
    });
  }
  return publicKeyFacts(key);
}
