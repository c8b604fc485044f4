import { KeyObject, webcrypto } from 'node:crypto';
import { KysoError } from '../errors.js';

/** Key types the TEST PKI can generate. */
export type TestKeyType = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384';

export const TEST_KEY_TYPES: readonly TestKeyType[] = ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384'];

/** A key pair held both as node KeyObjects and as WebCrypto keys (the latter sign certificates). */
export interface TestKeyPair {
  readonly keyType: TestKeyType;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly cryptoKeys: webcrypto.CryptoKeyPair;
}

type KeyAlgorithm = webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;

function algorithmFor(keyType: TestKeyType): KeyAlgorithm {
  switch (keyType) {
    case 'rsa2048':
    case 'rsa3072':
    case 'rsa4096':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    default:
      throw unsupported(keyType);
  }
}

function unsupported(keyType: unknown): KysoError {
  return new KysoError('KEY_UNSUPPORTED', `Unsupported TEST key type ${JSON.stringify(keyType)}; use one of ${TEST_KEY_TYPES.join(', ')}`, {
    vi: `Loại khóa TEST ${JSON.stringify(keyType)} không được hỗ trợ; dùng một trong ${TEST_KEY_TYPES.join(', ')}`,
    details: { keyType },
  });
}

export function assertTestKeyType(keyType: unknown): asserts keyType is TestKeyType {
  if (typeof keyType !== 'string' || !(TEST_KEY_TYPES as readonly string[]).includes(keyType)) throw unsupported(keyType);
}

/** The WebCrypto algorithm used to sign with a key of this type (always SHA-256, per the brief). */
export function signingAlgorithmFor(keyType: TestKeyType): webcrypto.RsaHashedImportParams | webcrypto.EcdsaParams {
  return keyType.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', hash: 'SHA-256' };
}

/**
 * Generates a key pair. WebCrypto's generateKey runs off the main thread (libuv
 * pool), so several calls in parallel use every core.
 */
export async function generateTestKeyPair(keyType: TestKeyType): Promise<TestKeyPair> {
  assertTestKeyType(keyType);
  const base = algorithmFor(keyType);
  const params =
    base.name === 'ECDSA'
      ? base
      : {
          ...base,
          modulusLength: Number(keyType.slice(3)),
          publicExponent: new Uint8Array([1, 0, 1]),
        };
  const cryptoKeys = (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return {
    keyType,
    cryptoKeys,
    privateKey: KeyObject.from(cryptoKeys.privateKey),
    publicKey: KeyObject.from(cryptoKeys.publicKey),
  };
}

/** Rebuilds a TestKeyPair from a PKCS#8 private key (PEM or DER) and the certificate's SPKI. */
export async function importTestKeyPair(keyType: TestKeyType, pkcs8Der: Uint8Array, spkiDer: Uint8Array): Promise<TestKeyPair> {
  assertTestKeyType(keyType);
  const alg = algorithmFor(keyType);
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8Der, alg, true, ['sign']),
    webcrypto.subtle.importKey('spki', spkiDer, alg, true, ['verify']),
  ]);
  return {
    keyType,
    cryptoKeys: { privateKey, publicKey },
    privateKey: KeyObject.from(privateKey),
    publicKey: KeyObject.from(publicKey),
  };
}

/** Infers the TestKeyType of a node public or private key. */
export function keyTypeOf(key: KeyObject): TestKeyType {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && d?.modulusLength) {
    const t = `rsa${d.modulusLength}`;
    assertTestKeyType(t);
    return t;
  }
  if (key.asymmetricKeyType === 'ec') {
    if (d?.namedCurve === 'prime256v1') return 'p256';
    if (d?.namedCurve === 'secp384r1') return 'p384';
  }
  throw unsupported(`${key.asymmetricKeyType ?? '?'}/${d?.modulusLength ?? d?.namedCurve ?? '?'}`);
}
