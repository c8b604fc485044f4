/**
 * Crypt filters (ISO 32000-2 §7.6.6): which cipher encrypts a string or a
 * stream, and the per-object key of algorithm 1. Revisions 2 and 3 have one
 * implicit filter (RC4); revision 4 and up name theirs in /CF and choose
 * with /StmF, /StrF and /EFF, /Identity meaning "not encrypted".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { rc4 } from './rc4.js';

/** None: /Identity (or /CFM /None); V2: RC4; AESV2: AES-128-CBC; AESV3: AES-256-CBC. */
export type CryptMethod = 'None' | 'V2' | 'AESV2' | 'AESV3';

export interface CryptFilter {
  readonly name: string;
  readonly method: CryptMethod;
}

export const IDENTITY: CryptFilter = Object.freeze({ name: 'Identity', method: 'None' });

/** Algorithm 1: the key for one object: MD5 of the file key, the object's number and generation (and "sAlT" for AES), cut to n + 5 bytes (at most 16). */
export function objectKey(fileKey: Uint8Array, num: number, gen: number, aes: boolean): Uint8Array {
  const h = createHash('md5').update(fileKey);
  h.update(Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]));
  if (aes) h.update(Buffer.from('sAlT', 'latin1'));
  return h.digest().subarray(0, Math.min(fileKey.length + 5, 16));
}

function keyFor(method: CryptMethod, fileKey: Uint8Array, num: number, gen: number): Uint8Array {
  return method === 'AESV3' ? fileKey : objectKey(fileKey, num, gen, method === 'AESV2');
}

/**
 * Decrypts the bytes of a string or stream of object `num gen`. AES data is
 * the 16-byte IV and the CBC ciphertext with PKCS#7 padding; what a sloppy
 * writer gets wrong (a partial last block, bad padding) is read as other
 * readers read it, never thrown: the result is data, judged by whoever uses it.
 */
export function decryptBytes(method: CryptMethod, fileKey: Uint8Array, num: number, gen: number, data: Uint8Array): Uint8Array {
  if (method === 'None') return data;
  const key = keyFor(method, fileKey, num, gen);
  if (method === 'V2') return rc4(key, data);
  if (data.length < 32) return new Uint8Array(0); // an IV and not one whole block: nothing
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  const d = createDecipheriv(method === 'AESV3' ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad >= 1 && pad <= 16 && pad <= plain.length) {
    let ok = true;
    for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) ok = false;
    if (ok) return plain.subarray(0, plain.length - pad);
  }
  return plain;
}

/** Encrypts for object `num gen`: RC4, or AES-CBC with a fresh random IV and PKCS#7 padding. */
export function encryptBytes(method: CryptMethod, fileKey: Uint8Array, num: number, gen: number, data: Uint8Array): Uint8Array {
  if (method === 'None') return data;
  const key = keyFor(method, fileKey, num, gen);
  if (method === 'V2') return rc4(key, data);
  const iv = randomBytes(16);
  const c = createCipheriv(method === 'AESV3' ? 'aes-256-cbc' : 'aes-128-cbc', key, iv);
  return Buffer.concat([iv, c.update(data), c.final()]);
}
