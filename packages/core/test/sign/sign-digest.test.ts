/**
 * Signer.signDigest for software keys: every value must verify with node's
 * own verification over the data whose hash was signed (OpenSSL judges it,
 * not our encoder), for each scheme, digest and curve.
 */
import { constants, createHash, generateKeyPairSync, randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError } from '../../src/errors.js';
import { ecdsaSignDigest, rsaPkcs1SignDigest, rsaPssSignDigest } from '../../src/sign/digest-signature.js';
import { SoftwareSigner } from '../../src/sign/software-signer.js';
import { createTestPki, type TestKeyType } from '../../src/testing/index.js';

const DIGESTS = ['SHA-256', 'SHA-384', 'SHA-512'] as const;
const node = (d: string) => d.replace('-', '').toLowerCase();

describe('digest signatures with node keys', () => {
  it('RSA PKCS#1 v1.5 and PSS over a hash verify with crypto.verify over the data', () => {
    for (const bits of [2048, 3072]) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
      for (const d of DIGESTS) {
        const data = randomBytes(300);
        const hash = createHash(node(d)).update(data).digest();
        expect(verify(node(d), data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, rsaPkcs1SignDigest(privateKey, hash, d))).toBe(true);
        for (const salt of [0, 20, hash.length]) {
          const sig = rsaPssSignDigest(privateKey, bits, hash, d, salt);
          expect(verify(node(d), data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }, sig)).toBe(true);
        }
      }
    }
  });

  it('PSS with an odd modulus size and with an id-RSASSA-PSS key', () => {
    const odd = generateKeyPairSync('rsa', { modulusLength: 2056 });
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    for (const pair of [odd, pss]) {
      const bits = pair.publicKey.asymmetricKeyDetails!.modulusLength!;
      const data = randomBytes(64);
      const hash = createHash('sha256').update(data).digest();
      const sig = rsaPssSignDigest(pair.privateKey, bits, hash, 'SHA-256', 32);
      expect(verify('sha256', data, { key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)).toBe(true);
    }
  });

  it('ECDSA over a hash verifies for P-256, P-384 and P-521 with every digest (the hash truncated to the order)', () => {
    for (const curve of ['prime256v1', 'secp384r1', 'secp521r1']) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      for (const d of DIGESTS) {
        for (let i = 0; i < 5; i++) {
          const data = randomBytes(100);
          const hash = createHash(node(d)).update(data).digest();
          const sig = ecdsaSignDigest(privateKey, curve, hash);
          expect(verify(node(d), data, { key: publicKey, dsaEncoding: 'der' }, sig)).toBe(true);
          // A different hash does not verify: the value is bound to what was given.
          expect(verify(node(d), randomBytes(100), { key: publicKey, dsaEncoding: 'der' }, sig)).toBe(false);
        }
      }
    }
  });

  it('two ECDSA signatures of one hash differ (a fresh nonce each time)', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const hash = randomBytes(32);
    expect(Buffer.from(ecdsaSignDigest(privateKey, 'prime256v1', hash)).equals(Buffer.from(ecdsaSignDigest(privateKey, 'prime256v1', hash)))).toBe(false);
  });
});

describe('SoftwareSigner.signDigest', () => {
  const signers = new Map<TestKeyType, SoftwareSigner>();
  beforeAll(async () => {
    for (const key of ['rsa2048', 'p256', 'p384'] as const) {
      const pki = await createTestPki({ key });
      signers.set(key, SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem }));
    }
  }, 120_000);

  const publicKey = (s: SoftwareSigner): KeyObject => new X509Certificate(s.certificate).publicKey;

  it('signs the hash of data as sign() signs the data (RSA: both schemes; EC: ECDSA)', async () => {
    const rsa = signers.get('rsa2048')!;
    for (const d of DIGESTS) {
      const data = randomBytes(500);
      const hash = createHash(node(d)).update(data).digest();
      expect(Buffer.from(await rsa.signDigest(hash, d)).equals(Buffer.from(await rsa.sign(data, d)))).toBe(true); // PKCS#1 v1.5 is deterministic
      const pss = await rsa.signDigest(hash, d, { scheme: 'RSA-PSS' });
      expect(verify(node(d), data, { key: publicKey(rsa), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.length }, pss)).toBe(true);
      for (const k of ['p256', 'p384'] as const) {
        const ec = signers.get(k)!;
        expect(verify(node(d), data, { key: publicKey(ec), dsaEncoding: 'der' }, await ec.signDigest(hash, d))).toBe(true);
      }
    }
  });

  it('refuses a hash of the wrong length and a scheme the key cannot make, with typed errors', async () => {
    const rsa = signers.get('rsa2048')!;
    const ec = signers.get('p256')!;
    const e1 = await rsa.signDigest(new Uint8Array(20), 'SHA-256').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(KysoError);
    expect((e1 as KysoError).code).toBe('SIGN_OPTIONS_INVALID');
    expect((e1 as KysoError).messageVi).not.toBe((e1 as KysoError).message);
    const e2 = await ec.signDigest(new Uint8Array(32), 'SHA-256', { scheme: 'RSA-PSS' }).catch((e: unknown) => e);
    expect((e2 as KysoError).code).toBe('SIGN_OPTIONS_INVALID');
    const e3 = await rsa.signDigest(new Uint8Array(32), 'SHA-256', { scheme: 'ECDSA' }).catch((e: unknown) => e);
    expect((e3 as KysoError).code).toBe('SIGN_OPTIONS_INVALID');
    const e4 = await rsa.signDigest(new Uint8Array(32), 'SHA-256', { scheme: 'RSA-PSS', saltLength: 500 }).catch((e: unknown) => e);
    expect((e4 as KysoError).code).toBe('SIGN_OPTIONS_INVALID');
  });
});
