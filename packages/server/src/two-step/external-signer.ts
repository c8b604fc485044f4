import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { KysoError, type DigestAlgorithm, type Signer } from '@kyso/core';
import type { ExternalScheme } from './sign-session.js';

/**
 * A Signer-shaped holder of a certificate chain whose private key lives
 * elsewhere (an officer's USB token in a browser or desktop client). It
 * lets CmsSignerTemplate lay out the CMS; it can never sign.
 */
export interface ExternalSigner extends Signer {
  readonly publicKey: KeyObject;
  readonly maxSignatureSize: number;
}

/** Byte length of the curve order for the named curves node reports. */
const CURVE_BYTES: Record<string, number> = { prime256v1: 32, secp384r1: 48, secp521r1: 66, secp256k1: 32 };

export function ecCoordinateBytes(key: KeyObject): number | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? CURVE_BYTES[curve] : undefined;
}

/** Upper bound of the signature value: RSA modulus bytes, or the DER Ecdsa-Sig-Value bound. */
export function maxSignatureSizeOf(key: KeyObject): number {
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits) return Math.ceil(bits / 8);
  }
  if (key.asymmetricKeyType === 'ec') {
    const n = ecCoordinateBytes(key);
    if (n) {
      // SEQUENCE { INTEGER r, INTEGER s }, each up to n bytes plus a sign byte.
      const content = 2 * (2 + (n + 1 >= 128 ? 1 : 0) + n + 1);
      return content + (content < 128 ? 2 : content < 256 ? 3 : 4);
    }
  }
  throw new KysoError('CERT_INVALID', `Unsupported public key type ${String(key.asymmetricKeyType)}`, { vi: `Không hỗ trợ loại khóa công khai ${String(key.asymmetricKeyType)}` });
}

export function defaultScheme(key: KeyObject): ExternalScheme {
  if (key.asymmetricKeyType === 'ec') return 'ECDSA';
  if (key.asymmetricKeyType === 'rsa-pss') return 'RSA-PSS';
  return 'RSASSA-PKCS1-v1_5';
}

/** Parses the chain (DER, signer first) into an ExternalSigner; throws CERT_INVALID if a certificate is unreadable. */
export function externalSigner(certificates: readonly Uint8Array[], scheme: ExternalScheme | undefined, digest: DigestAlgorithm): ExternalSigner {
  let publicKey: KeyObject;
  try {
    for (const c of certificates) new X509Certificate(c);
    publicKey = createPublicKey(new X509Certificate(certificates[0]!).publicKey.export({ format: 'pem', type: 'spki' }));
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'A certificate of the chain cannot be read.', { vi: 'Không đọc được một chứng thư số trong chuỗi.', cause });
  }
  const chosen = scheme ?? defaultScheme(publicKey);
  return {
    certificate: certificates[0]!,
    chain: certificates.slice(1),
    signatureAlgorithm: chosen === 'RSA-PSS' ? { scheme: 'RSA-PSS' } : { scheme: chosen },
    defaultDigest: digest,
    maxSignatureSize: maxSignatureSizeOf(publicKey),
    publicKey,
    async sign(): Promise<Uint8Array> {
      throw new KysoError('SIGN_SIGNER_FAILED', 'This key is held by the client; the server cannot sign with it.', { vi: 'Khóa này do máy khách giữ; máy chủ không ký được bằng nó.' });
    },
  };
}
