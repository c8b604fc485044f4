/**
 * The signature algorithms of the CSC API as object identifiers
 * (credentials/info `key.algo`, signatures/signHash `signAlgo`,
 * `hashAlgorithmOID`, `signAlgoParams`), read on the service's side. The
 * client in core has its own table: the two are not allowed to share a
 * misreading.
 *
 * signAlgo as the specification names them: rsaEncryption with
 * hashAlgorithmOID, sha256/384/512WithRSAEncryption, RSASSA-PSS with
 * signAlgoParams (the DER RSASSA-PSS-params of RFC 4055), ecPublicKey with
 * hashAlgorithmOID, ecdsa-with-SHA256/384/512.
 */
import type { DigestAlgorithm, SignatureAlgorithm } from '@kyso/core';
import { cscErrors } from './errors.js';

export const HASH_OID: Record<string, DigestAlgorithm> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

const RSA_WITH: Record<string, DigestAlgorithm> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};

const ECDSA_WITH: Record<string, DigestAlgorithm> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

export type KeyFamily = 'RSA' | 'EC';

/** The OIDs credentials/info lists for a key (key.algo). */
export function offeredAlgorithms(family: KeyFamily): string[] {
  return family === 'RSA' ? [RSA_ENCRYPTION, ...Object.keys(RSA_WITH), RSASSA_PSS] : [EC_PUBLIC_KEY, ...Object.keys(ECDSA_WITH)];
}

export interface ChosenAlgorithm {
  digest: DigestAlgorithm;
  scheme: SignatureAlgorithm;
  /** A short name for metrics. */
  name: string;
}

const own = (o: Record<string, DigestAlgorithm>, k: string | undefined): DigestAlgorithm | undefined => (k !== undefined && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** What signHash's algorithm fields ask for, or a CSC_ALGORITHM_UNSUPPORTED refusal. */
export function chooseAlgorithm(family: KeyFamily, signAlgo: string, hashAlgorithmOID: string | undefined, signAlgoParams: string | undefined): ChosenAlgorithm {
  const hash = hashAlgorithmOID === undefined ? undefined : own(HASH_OID, hashAlgorithmOID);
  if (hashAlgorithmOID !== undefined && hash === undefined) throw cscErrors.algorithm('hashAlgorithmOID');
  if (signAlgoParams !== undefined && signAlgo !== RSASSA_PSS) throw cscErrors.algorithm('signAlgoParams');
  const implied = family === 'RSA' ? own(RSA_WITH, signAlgo) : own(ECDSA_WITH, signAlgo);
  if (implied) {
    if (hash !== undefined && hash !== implied) throw cscErrors.algorithm('hashAlgorithmOID');
    return { digest: implied, scheme: family === 'RSA' ? { scheme: 'RSASSA-PKCS1-v1_5' } : { scheme: 'ECDSA' }, name: family === 'RSA' ? `rsa-${implied}` : `ecdsa-${implied}` };
  }
  if ((family === 'RSA' && signAlgo === RSA_ENCRYPTION) || (family === 'EC' && signAlgo === EC_PUBLIC_KEY)) {
    if (hash === undefined) throw cscErrors.algorithm('hashAlgorithmOID');
    return { digest: hash, scheme: family === 'RSA' ? { scheme: 'RSASSA-PKCS1-v1_5' } : { scheme: 'ECDSA' }, name: family === 'RSA' ? `rsa-${hash}` : `ecdsa-${hash}` };
  }
  if (family === 'RSA' && signAlgo === RSASSA_PSS) {
    if (signAlgoParams === undefined) throw cscErrors.algorithm('signAlgoParams');
    const p = parsePssParams(signAlgoParams);
    if (hash !== undefined && hash !== p.digest) throw cscErrors.algorithm('hashAlgorithmOID');
    return { digest: p.digest, scheme: { scheme: 'RSA-PSS', saltLength: p.saltLength }, name: `pss-${p.digest}` };
  }
  throw cscErrors.algorithm('signAlgo');
}

// ------------------------------------------------------ RSASSA-PSS-params

interface Tlv {
  tag: number;
  value: Buffer;
  end: number;
}

/** One DER TLV at `at` (definite lengths only, as DER has). */
function tlv(b: Buffer, at: number): Tlv {
  if (at + 2 > b.length) throw cscErrors.algorithm('signAlgoParams');
  const tag = b[at]!;
  let len = b[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2 || at + 2 + n > b.length) throw cscErrors.algorithm('signAlgoParams');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
    head += n;
  }
  const end = at + head + len;
  if (end > b.length) throw cscErrors.algorithm('signAlgoParams');
  return { tag, value: b.subarray(at + head, end), end };
}

function children(v: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < v.length; ) {
    const t = tlv(v, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

function oidText(v: Buffer): string {
  if (v.length === 0) throw cscErrors.algorithm('signAlgoParams');
  const parts: number[] = [Math.floor(v[0]! / 40), v[0]! % 40];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i]! & 0x7f);
    if (!(v[i]! & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

/** AlgorithmIdentifier of a SHA-2 digest, with absent or NULL parameters. */
function hashOf(algId: Tlv): DigestAlgorithm {
  if (algId.tag !== 0x30) throw cscErrors.algorithm('signAlgoParams');
  const [oid, params, ...rest] = children(algId.value);
  if (!oid || oid.tag !== 0x06 || rest.length > 0 || (params && !(params.tag === 0x05 && params.value.length === 0))) throw cscErrors.algorithm('signAlgoParams');
  const d = own(HASH_OID, oidText(oid.value));
  if (!d) throw cscErrors.algorithm('signAlgoParams');
  return d;
}

/**
 * RSASSA-PSS-params { [0] hashAlgorithm, [1] maskGenAlgorithm, [2]
 * saltLength, [3] trailerField }, base64 DER. Accepted: a SHA-2 hash,
 * MGF1 with the same hash, any salt length, trailer 1. The defaults of
 * RFC 4055 (SHA-1) are refused, as SHA-1 is.
 */
export function parsePssParams(b64: string): { digest: DigestAlgorithm; saltLength: number } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length > 400) throw cscErrors.algorithm('signAlgoParams');
  const der = Buffer.from(b64, 'base64');
  const top = tlv(der, 0);
  if (top.tag !== 0x30 || top.end !== der.length) throw cscErrors.algorithm('signAlgoParams');
  let digest: DigestAlgorithm | undefined;
  let mgfDigest: DigestAlgorithm | undefined;
  let saltLength = 20;
  let last = -1;
  for (const field of children(top.value)) {
    const n = field.tag - 0xa0;
    if (n < 0 || n > 3 || n <= last) throw cscErrors.algorithm('signAlgoParams');
    last = n;
    const inner = children(field.value);
    if (inner.length !== 1) throw cscErrors.algorithm('signAlgoParams');
    const x = inner[0]!;
    if (n === 0) digest = hashOf(x);
    else if (n === 1) {
      if (x.tag !== 0x30) throw cscErrors.algorithm('signAlgoParams');
      const [oid, param, ...rest] = children(x.value);
      if (!oid || oid.tag !== 0x06 || oidText(oid.value) !== MGF1 || !param || rest.length > 0) throw cscErrors.algorithm('signAlgoParams');
      mgfDigest = hashOf(param);
    } else if (n === 2 || n === 3) {
      if (x.tag !== 0x02 || x.value.length === 0 || x.value.length > 2 || x.value[0]! & 0x80) throw cscErrors.algorithm('signAlgoParams');
      const v = x.value.length === 1 ? x.value[0]! : x.value[0]! * 256 + x.value[1]!;
      if (n === 2) saltLength = v;
      else if (v !== 1) throw cscErrors.algorithm('signAlgoParams');
    }
  }
  if (!digest || mgfDigest !== digest) throw cscErrors.algorithm('signAlgoParams');
  return { digest, saltLength };
}

/** Length in bytes of a hash of each digest. */
export const HASH_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
