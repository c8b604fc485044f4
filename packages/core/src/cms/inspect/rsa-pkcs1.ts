/**
 * RSASSA-PKCS1-v1_5 verification (RFC 8017 8.2.2) by re-encoding: the
 * encoded message s^e mod n is compared byte for byte with the two encodings
 * kyso accepts, EMSA-PKCS1-v1_5 over a DigestInfo whose hash parameters are
 * NULL, and the same with the parameters absent (RFC 8017 B.1 allows both;
 * OpenSSL, and so node's verify, accepts only the first). What the signature
 * decrypts to is never parsed: a parser is where lenient verifiers have let
 * forgeries through (BER lengths, trailing bytes, garbage parameters).
 */
import { constants, publicDecrypt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { digestByName, type DigestName } from './algorithms.js';

/** Which of the two accepted DigestInfo encodings the signature carries. */
export type DigestInfoForm = 'null-parameters' | 'absent-parameters';

export interface RsaVerificationKey {
  key: KeyObject;
  /** Big-endian modulus without leading zeros: its length is k, the signature length. */
  modulus: Buffer;
}

/** Reads the modulus once, so each check can bound the signature without touching the key again. */
export function rsaVerificationKey(key: KeyObject): RsaVerificationKey {
  const n = key.export({ format: 'jwk' }).n;
  if (typeof n !== 'string') throw new Error('RSA key without a modulus');
  return { key, modulus: Buffer.from(n, 'base64url') };
}

/**
 * The DigestInfo form `signature` verifies under, or null when it matches
 * neither. `digest` is the hash of the signed data, computed by the caller
 * with `hash`.
 */
export function verifyPkcs1v15(rsa: RsaVerificationKey, hash: DigestName, digest: Uint8Array, signature: Uint8Array): DigestInfoForm | null {
  const k = rsa.modulus.length;
  // RFC 8017 8.2.2 step 1 and RSAVP1's range check, before any arithmetic.
  if (signature.length !== k || Buffer.compare(signature, rsa.modulus) >= 0) return null;
  const em = publicDecrypt({ key: rsa.key, padding: constants.RSA_NO_PADDING }, signature);
  if (em.length !== k) return null;
  const prefixes = digestInfoPrefixes(hash);
  if (matches(em, prefixes.nullParameters, digest)) return 'null-parameters';
  if (matches(em, prefixes.absentParameters, digest)) return 'absent-parameters';
  return null;
}

function matches(em: Buffer, prefix: Uint8Array, digest: Uint8Array): boolean {
  const expected = encodedMessage(em.length, prefix, digest);
  return expected !== null && timingSafeEqual(em, expected);
}

/** EMSA-PKCS1-v1_5 (RFC 8017 9.2): 00 01 FF..FF 00 || DigestInfo, k bytes, at least eight FF. */
function encodedMessage(k: number, prefix: Uint8Array, digest: Uint8Array): Buffer | null {
  const tLen = prefix.length + digest.length;
  if (k < tLen + 11) return null;
  const em = Buffer.alloc(k, 0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - tLen - 1] = 0x00;
  em.set(prefix, k - tLen);
  em.set(digest, k - digest.length);
  return em;
}

interface Prefixes {
  /** DER of DigestInfo up to and including the digest OCTET STRING's header. */
  nullParameters: Uint8Array;
  absentParameters: Uint8Array;
}

const PREFIXES = new Map<DigestName, Prefixes>();

function digestInfoPrefixes(hash: DigestName): Prefixes {
  let p = PREFIXES.get(hash);
  if (!p) {
    const d = digestByName(hash);
    const oid = tlv(0x06, oidContent(d.oid));
    p = { nullParameters: prefix(oid, Uint8Array.of(0x05, 0x00), d.length), absentParameters: prefix(oid, new Uint8Array(0), d.length) };
    PREFIXES.set(hash, p);
  }
  return p;
}

/** DigestInfo ::= SEQUENCE { SEQUENCE { OID, params }, OCTET STRING digest }, without the digest's bytes. */
function prefix(oid: Uint8Array, params: Uint8Array, digestLength: number): Uint8Array {
  const algorithm = tlv(0x30, concat(oid, params));
  const octetHeader = Uint8Array.of(0x04, digestLength);
  const inner = algorithm.length + octetHeader.length + digestLength;
  return concat(Uint8Array.of(0x30, shortLength(inner)), algorithm, octetHeader);
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(tag, shortLength(content.length)), content);
}

/** Every DigestInfo of a supported hash is shorter than 128 bytes: only the short form is ever right. */
function shortLength(n: number): number {
  if (n >= 0x80) throw new Error(`DigestInfo part of ${n} bytes`);
  return n;
}

function oidContent(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128 = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift((v & 0x7f) | 0x80);
    out.push(...base128);
  }
  return Uint8Array.from(out);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
