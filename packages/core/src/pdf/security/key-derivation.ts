/**
 * The standard security handler's password algorithms (ISO 32000-2 §7.6.4):
 * from a password and the /Encrypt entries to the file encryption key, and
 * whether the password is the owner's or the user's.
 *
 * - Revisions 2-4 (RC4 and AES-128): algorithms 2 (the key), 4 and 5 (the
 *   /U check), 7 (the owner password, through /O to the user password).
 * - Revision 6 (AES-256, PDF 2.0): algorithms 2.A and 2.B (the hardened
 *   hash); revision 5 (Adobe's deprecated extension level 3) is the same
 *   with a single SHA-256. Algorithm 13 checks /Perms against /P.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { rc4 } from './rc4.js';

/** The 32-byte padding string of algorithm 2 (ISO 32000-2 §7.6.4.3.2). */
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

/** What revisions 2-4 derive the key from. */
export interface LegacyEntries {
  r: 2 | 3 | 4;
  /** Key length in bytes (5 for revision 2, /Length / 8 otherwise). */
  keyLength: number;
  /** The first 32 bytes of /O and /U. */
  o: Uint8Array;
  u: Uint8Array;
  /** /P as a signed 32-bit integer. */
  p: number;
  /** The first element of the trailer's /ID (empty when the file has none). */
  id0: Uint8Array;
  encryptMetadata: boolean;
}

/** What revisions 5 and 6 derive the key from. */
export interface ModernEntries {
  r: 5 | 6;
  /** The first 48 bytes of /O and /U: hash, validation salt, key salt. */
  o: Uint8Array;
  u: Uint8Array;
  /** The 32-byte /OE and /UE: the file key wrapped with a key made from each password. */
  oe: Uint8Array;
  ue: Uint8Array;
}

export interface Authenticated {
  key: Uint8Array;
  as: 'owner' | 'user';
}

const md5 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('md5');
  for (const part of parts) h.update(part);
  return h.digest();
};

/** Revisions 2-4 take the password as bytes (PDFDocEncoding, approximated by Latin-1 where it can be). */
export function legacyPasswordBytes(password: string): Uint8Array {
  for (let i = 0; i < password.length; i++) if (password.charCodeAt(i) > 0xff) return Buffer.from(password, 'utf8');
  return Buffer.from(password, 'latin1');
}

/** Revisions 5 and 6 take it as UTF-8 after SASLprep (approximated by NFKC), at most 127 bytes. */
export function modernPasswordBytes(password: string): Uint8Array {
  return Buffer.from(password.normalize('NFKC'), 'utf8').subarray(0, 127);
}

function padded(password: Uint8Array): Buffer {
  const out = Buffer.alloc(32);
  const n = Math.min(32, password.length);
  out.set(password.subarray(0, n), 0);
  PAD.copy(out, n, 0, 32 - n);
  return out;
}

/** Algorithm 2: the file key a (user) password gives. */
export function legacyFileKey(password: Uint8Array, e: LegacyEntries): Buffer {
  const p = Buffer.alloc(4);
  p.writeInt32LE(e.p | 0);
  const parts: Uint8Array[] = [padded(password), e.o, p, e.id0];
  if (e.r >= 4 && !e.encryptMetadata) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let h = md5(...parts);
  const n = e.keyLength;
  if (e.r >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, n));
  return h.subarray(0, n);
}

/** RC4 under `key` XOR i for i = 1..19 (or 19..1): the extra rounds of algorithms 3, 5 and 7. */
function rc4Rounds(key: Uint8Array, data: Uint8Array, down: boolean): Uint8Array {
  let out = data;
  const k = Buffer.alloc(key.length);
  for (let step = 1; step <= 19; step++) {
    const i = down ? 20 - step : step;
    for (let j = 0; j < key.length; j++) k[j] = key[j]! ^ i;
    out = rc4(k, out);
  }
  return out;
}

/** Algorithms 4 and 5: the /U a file key produces, compared with the file's (all 32 bytes for R2, the first 16 after). */
function userCheck(key: Uint8Array, e: LegacyEntries): boolean {
  if (e.r === 2) return Buffer.compare(Buffer.from(rc4(key, PAD)), Buffer.from(e.u.subarray(0, 32))) === 0;
  const x = rc4Rounds(key, rc4(key, md5(PAD, e.id0)), false);
  return Buffer.compare(Buffer.from(x), Buffer.from(e.u.subarray(0, 16))) === 0;
}

/** Algorithm 7, first half: the (padded) user password that /O holds, decrypted with a key made from the owner password. */
function userPasswordFromOwner(ownerPassword: Uint8Array, e: LegacyEntries): Uint8Array {
  let h = md5(padded(ownerPassword));
  if (e.r >= 3) for (let i = 0; i < 50; i++) h = md5(h);
  const key = h.subarray(0, e.keyLength);
  if (e.r === 2) return rc4(key, e.o);
  // Revision 3 and up: 20 RC4 passes, with key XOR 19 down to key XOR 0.
  return rc4(key, rc4Rounds(key, e.o, true));
}

/** Revisions 2-4: the owner password is tried first (it also grants what /P withholds), then the user password. */
export function authenticateLegacy(password: Uint8Array, e: LegacyEntries): Authenticated | null {
  const asUser = userPasswordFromOwner(password, e);
  const ownerKey = legacyFileKey(asUser, e);
  if (userCheck(ownerKey, e)) return { key: ownerKey, as: 'owner' };
  const key = legacyFileKey(password, e);
  if (userCheck(key, e)) return { key, as: 'user' };
  return null;
}

const AES_128_ZERO_IV = Buffer.alloc(16);

/** Algorithm 2.B (revision 6): SHA-256, then at least 64 rounds of AES-128 and SHA-256/384/512; revision 5 stops after the first SHA-256. */
export function hardenedHash(r: 5 | 6, password: Uint8Array, salt: Uint8Array, udata: Uint8Array): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(udata).digest();
  if (r === 5) return k;
  let round = 0;
  let last = 0;
  while (round < 64 || last > round - 32) {
    const block = Buffer.concat([password, k.subarray(0, k.length), udata]);
    const k1 = Buffer.alloc(block.length * 64);
    for (let i = 0; i < 64; i++) block.copy(k1, i * block.length);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const e = Buffer.concat([cipher.update(k1), cipher.final()]);
    // The first 16 bytes as a big-endian number mod 3: 256 ≡ 1 (mod 3), so the sum of the bytes mod 3.
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!).update(e).digest();
    last = e[e.length - 1]!;
    round++;
  }
  return k.subarray(0, 32);
}

function unwrap(intermediate: Uint8Array, wrapped: Uint8Array): Buffer {
  const d = createDecipheriv('aes-256-cbc', intermediate, AES_128_ZERO_IV).setAutoPadding(false);
  return Buffer.concat([d.update(wrapped), d.final()]);
}

const equal32 = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a.subarray(0, 32)), Buffer.from(b.subarray(0, 32))) === 0;

/** Algorithm 2.A: owner password first, then user password; the file key is unwrapped from /OE or /UE. */
export function authenticateModern(password: Uint8Array, e: ModernEntries): Authenticated | null {
  const u48 = e.u.subarray(0, 48);
  if (equal32(hardenedHash(e.r, password, e.o.subarray(32, 40), u48), e.o)) {
    return { key: unwrap(hardenedHash(e.r, password, e.o.subarray(40, 48), u48), e.oe), as: 'owner' };
  }
  const none = new Uint8Array(0);
  if (equal32(hardenedHash(e.r, password, e.u.subarray(32, 40), none), e.u)) {
    return { key: unwrap(hardenedHash(e.r, password, e.u.subarray(40, 48), none), e.ue), as: 'user' };
  }
  return null;
}

/**
 * Algorithm 13: /Perms, decrypted with the file key, repeats /P and
 * /EncryptMetadata behind the marker "adb". A mismatch means /P was edited
 * without the key: its permissions cannot be trusted.
 */
export function permsMatch(key: Uint8Array, perms: Uint8Array, p: number, encryptMetadata: boolean): boolean {
  if (perms.length < 16) return false;
  const d = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const plain = Buffer.concat([d.update(perms.subarray(0, 16)), d.final()]);
  if (plain.toString('latin1', 9, 12) !== 'adb') return false;
  if (plain.readInt32LE(0) !== (p | 0)) return false;
  const flag = String.fromCharCode(plain[8]!);
  return flag === (encryptMetadata ? 'T' : 'F');
}
