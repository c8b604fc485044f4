/**
 * Which C_Sign mechanism to use for a key type, scheme and digest, given
 * the mechanisms the token lists (C_GetMechanismList), and how to prepare
 * the input for it.
 */
import { createHash } from 'node:crypto';
import { KysoError, type DigestAlgorithm } from '@kyso/core';
import { P, type Mechanism } from './pkcs11js.js';

export type Pkcs11Scheme = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

interface DigestFacts {
  node: string;
  length: number;
  ckmDigest: number;
  ckmRsaPkcs: number;
  ckmRsaPss: number;
  mgf: number;
  /** DER DigestInfo up to (and including) the OCTET STRING header: prefix || digest is what PKCS#1 v1.5 signs. */
  digestInfoPrefix: Buffer;
}

const DIGESTS: Record<DigestAlgorithm, DigestFacts> = {
  'SHA-256': {
    node: 'sha256',
    length: 32,
    ckmDigest: P.CKM_SHA256,
    ckmRsaPkcs: P.CKM_SHA256_RSA_PKCS,
    ckmRsaPss: P.CKM_SHA256_RSA_PKCS_PSS,
    mgf: P.CKG_MGF1_SHA256,
    digestInfoPrefix: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  },
  'SHA-384': {
    node: 'sha384',
    length: 48,
    ckmDigest: P.CKM_SHA384,
    ckmRsaPkcs: P.CKM_SHA384_RSA_PKCS,
    ckmRsaPss: P.CKM_SHA384_RSA_PKCS_PSS,
    mgf: P.CKG_MGF1_SHA384,
    digestInfoPrefix: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  },
  'SHA-512': {
    node: 'sha512',
    length: 64,
    ckmDigest: P.CKM_SHA512,
    ckmRsaPkcs: P.CKM_SHA512_RSA_PKCS,
    ckmRsaPss: P.CKM_SHA512_RSA_PKCS_PSS,
    mgf: P.CKG_MGF1_SHA512,
    digestInfoPrefix: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
  },
};

export function digestFacts(digest: DigestAlgorithm): DigestFacts {
  const d = Object.prototype.hasOwnProperty.call(DIGESTS, digest) ? DIGESTS[digest] : undefined;
  if (!d) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Unsupported digest algorithm: ${String(digest)}`, {
      vi: `Thuật toán băm không được hỗ trợ: ${String(digest)}`,
    });
  }
  return d;
}

/** A mechanism and how to turn the signed attributes into its input. */
export interface SignPlan {
  mechanism: Mechanism;
  /** Human name for errors and `mechanismName`. */
  name: string;
  input(data: Uint8Array): Buffer;
}

const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(P)) if (k.startsWith('CKM_') && typeof v === 'number' && !NAMES.has(v)) NAMES.set(v, k);
export const mechanismName = (m: number): string => NAMES.get(m) ?? `0x${m.toString(16)}`;

const hash = (d: DigestFacts, data: Uint8Array): Buffer => createHash(d.node).update(data).digest();
const asBuffer = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * PKCS#1 v1.5: CKM_SHAx_RSA_PKCS (the token hashes), else CKM_RSA_PKCS over
 * DigestInfo (we hash). PSS: CKM_RSA_PKCS_PSS over our digest, else
 * CKM_SHAx_RSA_PKCS_PSS; either way hashAlg and MGF1 use the same digest and
 * sLen is the digest length. ECDSA: CKM_ECDSA over our digest.
 */
export function planSignature(scheme: Pkcs11Scheme, digest: DigestAlgorithm, available: ReadonlySet<number>): SignPlan {
  const d = digestFacts(digest);
  const pss = { type: P.CK_PARAMS_RSA_PSS, hashAlg: d.ckmDigest, mgf: d.mgf, saltLen: d.length };
  if (scheme === 'RSASSA-PKCS1-v1_5') {
    if (available.has(d.ckmRsaPkcs)) return { mechanism: { mechanism: d.ckmRsaPkcs }, name: mechanismName(d.ckmRsaPkcs), input: asBuffer };
    if (available.has(P.CKM_RSA_PKCS)) {
      return { mechanism: { mechanism: P.CKM_RSA_PKCS }, name: 'CKM_RSA_PKCS', input: (data) => Buffer.concat([d.digestInfoPrefix, hash(d, data)]) };
    }
  } else if (scheme === 'RSA-PSS') {
    if (available.has(P.CKM_RSA_PKCS_PSS)) {
      return { mechanism: { mechanism: P.CKM_RSA_PKCS_PSS, parameter: pss }, name: 'CKM_RSA_PKCS_PSS', input: (data) => hash(d, data) };
    }
    if (available.has(d.ckmRsaPss)) return { mechanism: { mechanism: d.ckmRsaPss, parameter: pss }, name: mechanismName(d.ckmRsaPss), input: asBuffer };
  } else if (scheme === 'ECDSA') {
    if (available.has(P.CKM_ECDSA)) return { mechanism: { mechanism: P.CKM_ECDSA }, name: 'CKM_ECDSA', input: (data) => hash(d, data) };
  }
  const wanted =
    scheme === 'RSASSA-PKCS1-v1_5'
      ? `${mechanismName(d.ckmRsaPkcs)} or CKM_RSA_PKCS`
      : scheme === 'RSA-PSS'
        ? `CKM_RSA_PKCS_PSS or ${mechanismName(d.ckmRsaPss)}`
        : 'CKM_ECDSA';
  throw new KysoError('PKCS11_MECHANISM_UNSUPPORTED', `The token cannot make ${scheme} signatures with ${digest}: it lists neither ${wanted}. Choose another scheme or digest`, {
    vi: `Thiết bị không tạo được chữ ký ${scheme} với ${digest}: không hỗ trợ ${wanted}. Hãy chọn lược đồ hoặc thuật toán băm khác`,
    details: { scheme, digest },
  });
}

/**
 * Raw mechanisms for a hash computed elsewhere (Signer.signDigest): the
 * token never sees the data, so only CKM_RSA_PKCS over the DigestInfo,
 * CKM_RSA_PKCS_PSS over the hash (hashAlg and MGF1 of the same digest,
 * the given salt length) and CKM_ECDSA over the hash can do it.
 */
export function planDigestSignature(scheme: Pkcs11Scheme, digest: DigestAlgorithm, saltLength: number | undefined, available: ReadonlySet<number>): SignPlan {
  const d = digestFacts(digest);
  const asIs = (data: Uint8Array): Buffer => asBuffer(data);
  if (scheme === 'RSASSA-PKCS1-v1_5' && available.has(P.CKM_RSA_PKCS)) {
    return { mechanism: { mechanism: P.CKM_RSA_PKCS }, name: 'CKM_RSA_PKCS', input: (hash) => Buffer.concat([d.digestInfoPrefix, asBuffer(hash)]) };
  }
  if (scheme === 'RSA-PSS' && available.has(P.CKM_RSA_PKCS_PSS)) {
    const parameter = { type: P.CK_PARAMS_RSA_PSS, hashAlg: d.ckmDigest, mgf: d.mgf, saltLen: saltLength ?? d.length };
    return { mechanism: { mechanism: P.CKM_RSA_PKCS_PSS, parameter }, name: 'CKM_RSA_PKCS_PSS', input: asIs };
  }
  if (scheme === 'ECDSA' && available.has(P.CKM_ECDSA)) return { mechanism: { mechanism: P.CKM_ECDSA }, name: 'CKM_ECDSA', input: asIs };
  const wanted = scheme === 'RSASSA-PKCS1-v1_5' ? 'CKM_RSA_PKCS' : scheme === 'RSA-PSS' ? 'CKM_RSA_PKCS_PSS' : 'CKM_ECDSA';
  throw new KysoError('PKCS11_MECHANISM_UNSUPPORTED', `The token cannot sign a precomputed ${digest} hash with ${scheme}: it does not list ${wanted}`, {
    vi: `Thiết bị không ký được giá trị băm ${digest} tính sẵn bằng ${scheme}: không hỗ trợ ${wanted}`,
    details: { scheme, digest },
  });
}
