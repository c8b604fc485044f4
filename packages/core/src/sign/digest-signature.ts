/**
 * Signature values over a hash computed elsewhere (Signer.signDigest), with
 * a private key held by node crypto. Node signs only what it hashes itself,
 * so each scheme is completed here around OpenSSL's private-key operation:
 *
 * - RSASSA-PKCS1-v1_5: the DigestInfo of the hash, padded and exponentiated
 *   by OpenSSL (privateEncrypt with PKCS#1 type-1 padding, RFC 8017 §9.2);
 * - RSASSA-PSS: EMSA-PSS encoding (RFC 8017 §9.1.1, MGF1 with the same
 *   hash) here, the raw RSA operation by OpenSSL;
 * - ECDSA (FIPS 186-5 §6.4.1): the nonce k and the point k·G come from a
 *   fresh OpenSSL key pair (its scalar multiplication, constant time), and
 *   s = k⁻¹(z + r·d) mod n is computed here with the inverse blinded by a
 *   random factor, so its timing does not follow k.
 *
 * The values are checked in the suite against node's own verification
 * (packages/core/test/sign/sign-digest.test.ts).
 */
import * as asn1js from 'asn1js';
import { constants, createHash, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { KysoError } from '../errors.js';
import type { DigestAlgorithm } from '../contracts/index.js';
import { digestLength, nodeDigestName } from '../cms/algorithms.js';

/** DER DigestInfo up to the digest's OCTET STRING header (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

function invalid(en: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', en, { vi });
}

/** Refuses a hash that is not exactly as long as its digest algorithm says. */
export function checkHashLength(hash: Uint8Array, digest: DigestAlgorithm): void {
  const want = digestLength(digest);
  if (!(hash instanceof Uint8Array) || hash.length !== want) {
    const got = hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash;
    throw invalid(`A ${digest} hash is ${want} bytes (got ${got})`, `Giá trị băm ${digest} dài ${want} byte (nhận được ${got})`);
  }
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const out = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export function rsaPkcs1SignDigest(key: KeyObject, hash: Uint8Array, digest: DigestAlgorithm): Uint8Array {
  const info = Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[digest], 'hex'), asBuffer(hash)]);
  return out(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, info));
}

function mgf1(seed: Buffer, length: number, hashName: string): Buffer {
  const parts: Buffer[] = [];
  let have = 0;
  for (let counter = 0; have < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hashName).update(seed).update(c).digest();
    parts.push(block);
    have += block.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

/** RSASSA-PSS over `hash`: EMSA-PSS-ENCODE with MGF1(digest), then the raw RSA private operation. */
export function rsaPssSignDigest(key: KeyObject, modulusBits: number, hash: Uint8Array, digest: DigestAlgorithm, saltLength: number): Uint8Array {
  const hLen = digestLength(digest);
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (!Number.isInteger(saltLength) || saltLength < 0 || emLen < hLen + saltLength + 2) {
    throw invalid(`RSA-PSS salt length ${String(saltLength)} does not fit a ${modulusBits}-bit key with ${digest}`, `Độ dài salt RSA-PSS ${String(saltLength)} không phù hợp khóa ${modulusBits} bit với ${digest}`);
  }
  const name = nodeDigestName(digest);
  const salt = randomBytes(saltLength);
  const h = createHash(name).update(Buffer.alloc(8)).update(asBuffer(hash)).update(salt).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - saltLength - hLen - 2] = 0x01;
  salt.copy(db, db.length - saltLength);
  const mask = mgf1(h, db.length, name);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const k = Math.ceil(modulusBits / 8);
  const em = Buffer.concat([Buffer.alloc(k - emLen), db, h, Buffer.from([0xbc])]);
  return out(privateEncrypt({ key: rsaKeyForRawOperation(key), padding: constants.RSA_NO_PADDING }, em));
}

const rawRsaKeys = new WeakMap<KeyObject, KeyObject>();

/**
 * OpenSSL refuses the raw operation on an id-RSASSA-PSS key (its
 * parameters restrict it to PSS, which is what the encoding above makes):
 * the same private key is re-read as a plain RSA key for it.
 */
function rsaKeyForRawOperation(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'rsa-pss') return key;
  let plain = rawRsaKeys.get(key);
  if (!plain) {
    const info = asn1js.fromBER(new Uint8Array(key.export({ type: 'pkcs8', format: 'der' })));
    const inner = (info.result as asn1js.Sequence).valueBlock.value[2] as asn1js.OctetString;
    plain = createPrivateKey({ key: Buffer.from(inner.valueBlock.valueHexView), format: 'der', type: 'pkcs1' });
    rawRsaKeys.set(key, plain);
  }
  return plain;
}

interface Curve {
  n: bigint;
  bits: number;
}

const CURVES: Record<string, Curve> = {
  prime256v1: { n: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'), bits: 256 },
  secp384r1: { n: BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'), bits: 384 },
  secp521r1: {
    n: BigInt('0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409'),
    bits: 521,
  },
};

const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));
const fromJwk = (v: string | undefined): bigint => big(Buffer.from(v ?? '', 'base64url'));

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** A uniformly random integer in [1, n-1]. */
function randomScalar(c: Curve): bigint {
  const bytes = Math.ceil(c.bits / 8) + 16; // 128 extra bits make the reduction's bias negligible
  return (big(randomBytes(bytes)) % (c.n - 1n)) + 1n;
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02]), derLength(b.length), b]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

const privateScalars = new WeakMap<KeyObject, bigint>();

/** ECDSA over `hash` with a P-256, P-384 or P-521 key: the DER Ecdsa-Sig-Value, as Signer.sign returns it. */
export function ecdsaSignDigest(key: KeyObject, namedCurve: string | undefined, hash: Uint8Array): Uint8Array {
  const curve = namedCurve === undefined ? undefined : CURVES[namedCurve];
  if (!curve) throw new KysoError('KEY_UNSUPPORTED', `Unsupported curve for hash signing: ${String(namedCurve)}`, { vi: `Đường cong không được hỗ trợ khi ký giá trị băm: ${String(namedCurve)}` });
  let d = privateScalars.get(key);
  if (d === undefined) {
    d = fromJwk(key.export({ format: 'jwk' }).d);
    privateScalars.set(key, d);
  }
  // z: the leftmost bits of the hash, as many as the order has.
  let z = big(hash);
  const excess = hash.length * 8 - curve.bits;
  if (excess > 0) z >>= BigInt(excess);
  const { n } = curve;
  for (;;) {
    const nonce = generateKeyPairSync('ec', { namedCurve: namedCurve! }).privateKey.export({ format: 'jwk' });
    const k = fromJwk(nonce.d);
    const r = fromJwk(nonce.x) % n;
    if (r === 0n || k === 0n) continue;
    const blind = randomScalar(curve);
    const kInverse = (modPow((k * blind) % n, n - 2n, n) * blind) % n;
    const s = (kInverse * ((z + r * d) % n)) % n;
    if (s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return out(Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]));
  }
}
