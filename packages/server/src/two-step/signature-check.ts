import { constants, verify, type KeyObject } from 'node:crypto';
import type { DigestAlgorithm } from '@kyso/core';
import { ecCoordinateBytes } from './external-signer.js';
import type { ExternalScheme } from './sign-session.js';

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const nodeDigest = (d: DigestAlgorithm) => d.replace('-', '').toLowerCase();

/** DER INTEGER content of an unsigned big-endian number. */
function derInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let v = Buffer.from(bytes.subarray(i));
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([0x02]), derLength(v.length), v]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** raw r||s (IEEE P1363) → DER Ecdsa-Sig-Value. */
export function p1363ToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const body = Buffer.concat([derInteger(raw.subarray(0, half)), derInteger(raw.subarray(half))]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/**
 * Checks a signature value a client returned against the certificate's key
 * over the DER of the signed attributes. Returns the value to put into the
 * CMS (ECDSA always as DER), or undefined when it does not verify.
 */
export function checkSignatureValue(key: KeyObject, scheme: ExternalScheme, digest: DigestAlgorithm, toBeSigned: Uint8Array, value: Uint8Array): Uint8Array | undefined {
  if (value.length === 0) return undefined;
  const alg = nodeDigest(digest);
  try {
    if (scheme === 'ECDSA') {
      if (verify(alg, toBeSigned, { key, dsaEncoding: 'der' }, value)) return value;
      const n = ecCoordinateBytes(key);
      if (n !== undefined && value.length === 2 * n && verify(alg, toBeSigned, { key, dsaEncoding: 'ieee-p1363' }, value)) return p1363ToDer(value);
      return undefined;
    }
    if (scheme === 'RSA-PSS') {
      return verify(alg, toBeSigned, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[digest] }, value) ? value : undefined;
    }
    return verify(alg, toBeSigned, { key, padding: constants.RSA_PKCS1_PADDING }, value) ? value : undefined;
  } catch {
    // A malformed value (wrong length, bad DER) is simply not a valid signature.
    return undefined;
  }
}
