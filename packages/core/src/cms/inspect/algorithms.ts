/**
 * Algorithm identifiers the CMS inspector recognises, and how they map onto
 * node crypto. Kept separate from the signing side's tables on purpose.
 */
import {
  childrenOf,
  expectSequence,
  isContext,
  isUniversal,
  malformed,
  oidOf,
  smallInteger,
  TAG,
  type Node,
} from './der.js';

export type DigestName = 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512';

interface DigestInfo {
  name: DigestName;
  node: string;
  length: number;
  /** Dotted OID of the hash itself (what a PKCS#1 DigestInfo names). */
  oid: string;
}

const DIGESTS: Record<string, DigestInfo> = withOids({
  '1.2.840.113549.2.5': { name: 'MD5', node: 'md5', length: 16 },
  '1.3.14.3.2.26': { name: 'SHA-1', node: 'sha1', length: 20 },
  '2.16.840.1.101.3.4.2.4': { name: 'SHA-224', node: 'sha224', length: 28 },
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', node: 'sha256', length: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', node: 'sha384', length: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', node: 'sha512', length: 64 },
  '2.16.840.1.101.3.4.2.8': { name: 'SHA3-256', node: 'sha3-256', length: 32 },
  '2.16.840.1.101.3.4.2.9': { name: 'SHA3-384', node: 'sha3-384', length: 48 },
  '2.16.840.1.101.3.4.2.10': { name: 'SHA3-512', node: 'sha3-512', length: 64 },
});

/** The table is keyed by OID; each entry also carries it so a name leads back to its OID. */
function withOids(table: Record<string, Omit<DigestInfo, 'oid'>>): Record<string, DigestInfo> {
  return Object.fromEntries(Object.entries(table).map(([oid, d]) => [oid, { ...d, oid }]));
}

const BY_NAME = new Map<DigestName, DigestInfo>(Object.values(DIGESTS).map((d) => [d.name, d]));

export type SignatureKind = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA' | 'ECDSA-plain' | 'Ed25519' | 'Ed448';

interface SignatureInfo {
  kind: SignatureKind;
  /** The hash the algorithm identifier names; null = taken from the SignerInfo's digestAlgorithm. */
  hash: DigestName | null;
}

const SIGNATURES: Record<string, SignatureInfo> = {
  // RSA PKCS#1 v1.5
  '1.2.840.113549.1.1.1': { kind: 'RSASSA-PKCS1-v1_5', hash: null }, // rsaEncryption
  '1.2.840.113549.1.1.4': { kind: 'RSASSA-PKCS1-v1_5', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  '1.3.14.3.2.29': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, // OIW sha1WithRSASignature
  '1.2.840.113549.1.1.14': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.14': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA3-256' },
  '2.16.840.1.101.3.4.3.15': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA3-384' },
  '2.16.840.1.101.3.4.3.16': { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA3-512' },
  // RSASSA-PSS: hash from the parameters
  '1.2.840.113549.1.1.10': { kind: 'RSA-PSS', hash: null },
  // ECDSA, DER-encoded signature value
  '1.2.840.10045.2.1': { kind: 'ECDSA', hash: null }, // id-ecPublicKey
  '1.2.840.10045.4.1': { kind: 'ECDSA', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { kind: 'ECDSA', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { kind: 'ECDSA', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ECDSA', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ECDSA', hash: 'SHA-512' },
  '2.16.840.1.101.3.4.3.10': { kind: 'ECDSA', hash: 'SHA3-256' },
  '2.16.840.1.101.3.4.3.11': { kind: 'ECDSA', hash: 'SHA3-384' },
  '2.16.840.1.101.3.4.3.12': { kind: 'ECDSA', hash: 'SHA3-512' },
  // BSI TR-03111 plain ECDSA (r || s)
  '0.4.0.127.0.7.1.1.4.1.1': { kind: 'ECDSA-plain', hash: 'SHA-1' },
  '0.4.0.127.0.7.1.1.4.1.2': { kind: 'ECDSA-plain', hash: 'SHA-224' },
  '0.4.0.127.0.7.1.1.4.1.3': { kind: 'ECDSA-plain', hash: 'SHA-256' },
  '0.4.0.127.0.7.1.1.4.1.4': { kind: 'ECDSA-plain', hash: 'SHA-384' },
  '0.4.0.127.0.7.1.1.4.1.5': { kind: 'ECDSA-plain', hash: 'SHA-512' },
  // .6 is RIPEMD-160: recognised below as unsupported (no CMS digest name for it)
  '1.3.101.112': { kind: 'Ed25519', hash: null },
  '1.3.101.113': { kind: 'Ed448', hash: null },
};

/** OIDs recognised by name but not verifiable here. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  '0.4.0.127.0.7.1.1.4.1.6': 'ECDSA-plain-RIPEMD160',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.10040.4.3': 'DSA-SHA1',
  '2.16.840.1.101.3.4.3.2': 'DSA-SHA256',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
};

export function digestByOid(oid: string): DigestInfo | undefined {
  // Some legacy signers put a combined signature OID in digestAlgorithm; its hash is unambiguous.
  return DIGESTS[oid] ?? (SIGNATURES[oid]?.hash ? BY_NAME.get(SIGNATURES[oid]!.hash!) : undefined);
}

export function digestByName(name: DigestName): DigestInfo {
  return BY_NAME.get(name)!;
}

/** Display name of a hash algorithm OID: the name when known, else the OID itself. */
export function hashLabel(oid: string): string {
  return DIGESTS[oid]?.name ?? oid;
}

export interface AlgorithmIdentifier {
  oid: string;
  /** The parameters element, when present and not NULL. */
  params: Node | undefined;
}

export function algorithmIdentifier(n: Node | undefined, what: string): AlgorithmIdentifier {
  const parts = expectSequence(n, what);
  if (parts.length < 1 || parts.length > 2) throw malformed(`${what}: bad AlgorithmIdentifier`, `${what}: AlgorithmIdentifier không hợp lệ`);
  const oid = oidOf(parts[0], `${what} OID`);
  const p = parts[1];
  return { oid, params: p && !isUniversal(p, TAG.null) ? p : undefined };
}

export interface PssParams {
  hash: string;
  mgfHash: string;
  saltLength: number;
  trailerField: number;
}

const SHA1_OID = '1.3.14.3.2.26';
const MGF1_OID = '1.2.840.113549.1.1.8';

/** RSASSA-PSS-params (RFC 4055) with their DEFAULTs. Hash names are labels ('SHA-256', or the OID when unknown). */
export function pssParams(params: Node | undefined): PssParams {
  const out: PssParams = { hash: hashLabel(SHA1_OID), mgfHash: hashLabel(SHA1_OID), saltLength: 20, trailerField: 1 };
  if (!params) return out;
  const fields = expectSequence(params, 'RSASSA-PSS-params');
  let last = -1;
  for (const f of fields) {
    const tag = f.idBlock.tagNumber;
    if (f.idBlock.tagClass !== 3 || tag > 3 || tag <= last) throw malformed('RSASSA-PSS-params: unexpected field', 'RSASSA-PSS-params: trường không mong đợi');
    last = tag;
    const inner = childrenOf(f, 'RSASSA-PSS-params field');
    if (inner.length !== 1) throw malformed('RSASSA-PSS-params: bad explicit tag', 'RSASSA-PSS-params: thẻ tường minh không hợp lệ');
    const v = inner[0]!;
    if (isContext(f, 0)) out.hash = hashLabel(algorithmIdentifier(v, 'PSS hashAlgorithm').oid);
    else if (isContext(f, 1)) {
      const mgf = algorithmIdentifier(v, 'PSS maskGenAlgorithm');
      if (mgf.oid !== MGF1_OID) out.mgfHash = `unsupported-mgf:${mgf.oid}`;
      else out.mgfHash = mgf.params ? hashLabel(algorithmIdentifier(mgf.params, 'MGF1 hash').oid) : hashLabel(SHA1_OID);
    } else if (isContext(f, 2)) out.saltLength = smallInteger(v, 'PSS saltLength');
    else out.trailerField = smallInteger(v, 'PSS trailerField');
  }
  return out;
}

export function signatureByOid(oid: string): SignatureInfo | undefined {
  return SIGNATURES[oid];
}

export function unsupportedSignatureName(oid: string): string | undefined {
  return KNOWN_UNSUPPORTED[oid];
}

export function isDigestName(s: string): s is DigestName {
  return BY_NAME.has(s as DigestName);
}
