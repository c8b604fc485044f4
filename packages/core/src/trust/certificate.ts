/**
 * A lenient, read-once X.509 certificate model for the trust layer. Parsing
 * tolerates what real BCY certificates contain (long CNs, odd string types,
 * empty IssuerAltName, Netscape extensions); a malformed extension is recorded,
 * not fatal. Only a certificate whose outer structure cannot be read fails,
 * with a KysoError CERT_INVALID.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import {
  type Block,
  bitStringOf,
  booleanOf,
  child,
  childrenOf,
  contentOf,
  isContext,
  isUniversal,
  octetStringOf,
  oidOf,
  parseBer,
  rawOf,
  smallIntOf,
  timeOf,
  toHex,
} from './asn1.js';
import { type DistinguishedName, parseName, nameMatchKey } from './distinguished-name.js';
import { KysoError } from '../errors.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** Encoded parameters, when present and not NULL. */
  readonly parameters: Uint8Array | null;
}

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_KEY_ID = '2.5.29.14';
export const OID_AUTHORITY_KEY_ID = '2.5.29.35';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_EXT_KEY_USAGE = '2.5.29.37';

export interface ParsedCertificate {
  readonly der: Uint8Array;
  /** Lowercase hex SHA-256 of `der`. */
  readonly sha256: string;
  readonly version: number;
  /** Lowercase hex of the serial number's content octets (two's complement, as encoded). */
  readonly serialNumber: string;
  /** The signed part, bytes exactly as in the input. */
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly extensions: readonly CertificateExtension[];
  /** Extensions present but unreadable (OIDs). */
  readonly malformedExtensions: readonly string[];
  readonly basicConstraints: { readonly cA: boolean; readonly pathLenConstraint: number | null } | null;
  readonly keyUsage: ReadonlySet<KeyUsageName> | null;
  readonly extendedKeyUsage: readonly string[] | null;
  /** Lowercase hex. */
  readonly subjectKeyIdentifier: string | null;
  /** Lowercase hex of the keyIdentifier field. */
  readonly authorityKeyIdentifier: string | null;
  /** rfc822Name entries of subjectAltName. */
  readonly emailAddresses: readonly string[];
  /** Issuer and subject names are equal (raw or normalised). */
  readonly selfIssued: boolean;
}

function algorithmOf(b: Block): AlgorithmIdentifier {
  const parts = childrenOf(b);
  const first = parts[0];
  if (!first) throw new Error('AlgorithmIdentifier: empty');
  const oid = oidOf(first);
  const p = parts[1];
  const parameters = p && !isUniversal(p, 5) ? rawOf(p) : null;
  return { oid, parameters };
}

interface ExtensionView {
  basicConstraints: ParsedCertificate['basicConstraints'];
  keyUsage: Set<KeyUsageName> | null;
  extendedKeyUsage: string[] | null;
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  emailAddresses: string[];
}

function readExtension(ext: CertificateExtension, view: ExtensionView): void {
  switch (ext.oid) {
    case OID_BASIC_CONSTRAINTS: {
      const seq = parseBer(ext.value);
      let cA = false;
      let pathLenConstraint: number | null = null;
      for (const c of childrenOf(seq)) {
        if (isUniversal(c, 1)) cA = booleanOf(c);
        else if (isUniversal(c, 2)) pathLenConstraint = smallIntOf(c);
      }
      view.basicConstraints = { cA, pathLenConstraint };
      return;
    }
    case OID_KEY_USAGE: {
      const { bytes } = bitStringOf(parseBer(ext.value));
      const set = new Set<KeyUsageName>();
      KEY_USAGE_BITS.forEach((name, i) => {
        const byte = bytes[i >> 3] ?? 0;
        if (byte & (0x80 >> (i & 7))) set.add(name);
      });
      view.keyUsage = set;
      return;
    }
    case OID_EXT_KEY_USAGE:
      view.extendedKeyUsage = childrenOf(parseBer(ext.value)).map(oidOf);
      return;
    case OID_SUBJECT_KEY_ID:
      view.subjectKeyIdentifier = toHex(octetStringOf(parseBer(ext.value)));
      return;
    case OID_AUTHORITY_KEY_ID: {
      for (const c of childrenOf(parseBer(ext.value))) {
        if (isContext(c, 0)) view.authorityKeyIdentifier = toHex(contentOf(c));
      }
      return;
    }
    case OID_SUBJECT_ALT_NAME: {
      for (const c of childrenOf(parseBer(ext.value))) {
        if (isContext(c, 1) && !c.idBlock.isConstructed) {
          view.emailAddresses.push(Buffer.from(contentOf(c)).toString('utf8'));
        }
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Parses a certificate (DER, or BER as some CMS producers emit). Throws
 * KysoError CERT_INVALID when the outer structure cannot be read.
 */
export function parseCertificate(input: Uint8Array): ParsedCertificate {
  // The same certificates come back in every signature, DSS and chain of a
  // file, and in every file an agency signs: a parse is a pure function of
  // the bytes, so it is kept (by the bytes themselves, bounded).
  const key = input.byteLength <= MAX_CACHED_BYTES ? Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1') : null;
  const hit = key !== null ? parsedCache.get(key) : undefined;
  if (hit) return hit;
  const parsed = Object.freeze(parseUncached(input));
  if (key !== null) {
    if (parsedCache.size >= MAX_CACHED) parsedCache.delete(parsedCache.keys().next().value!);
    parsedCache.set(key, parsed);
  }
  return parsed;
}

const MAX_CACHED = 512;
const MAX_CACHED_BYTES = 32 * 1024;
const parsedCache = new Map<string, ParsedCertificate>();

function parseUncached(input: Uint8Array): ParsedCertificate {
  const der = new Uint8Array(input);
  try {
    const root = parseBer(der);
    const certDer = rawOf(root);
    const tbsBlock = child(root, 0);
    const tbs = childrenOf(tbsBlock);
    let i = 0;
    let version = 1;
    const first = tbs[0];
    if (first && isContext(first, 0)) {
      version = smallIntOf(child(first, 0)) + 1;
      i = 1;
    }
    const serial = tbs[i++];
    const sigAlgInner = tbs[i++];
    const issuerBlock = tbs[i++];
    const validity = tbs[i++];
    const subjectBlock = tbs[i++];
    const spkiBlock = tbs[i++];
    if (!serial || !sigAlgInner || !issuerBlock || !validity || !subjectBlock || !spkiBlock) {
      throw new Error('TBSCertificate: missing fields');
    }
    if (!isUniversal(serial, 2)) throw new Error('serialNumber: not an INTEGER');
    const extensions: CertificateExtension[] = [];
    for (const rest of tbs.slice(i)) {
      if (!isContext(rest, 3)) continue; // issuerUniqueID [1] / subjectUniqueID [2]
      for (const ext of childrenOf(child(rest, 0))) {
        const parts = childrenOf(ext);
        const oidBlock = parts[0];
        if (!oidBlock) continue;
        const oid = oidOf(oidBlock);
        let critical = false;
        let valueBlock = parts[1];
        if (valueBlock && isUniversal(valueBlock, 1)) {
          critical = booleanOf(valueBlock);
          valueBlock = parts[2];
        }
        if (!valueBlock) throw new Error(`extension ${oid}: no value`);
        extensions.push({ oid, critical, value: new Uint8Array(octetStringOf(valueBlock)) });
      }
    }
    const view: ExtensionView = {
      basicConstraints: null,
      keyUsage: null,
      extendedKeyUsage: null,
      subjectKeyIdentifier: null,
      authorityKeyIdentifier: null,
      emailAddresses: [],
    };
    const malformedExtensions: string[] = [];
    for (const ext of extensions) {
      try {
        readExtension(ext, view);
      } catch {
        malformedExtensions.push(ext.oid);
      }
    }
    const spki = new Uint8Array(rawOf(spkiBlock));
    const issuer = parseName(new Uint8Array(rawOf(issuerBlock)));
    const subject = parseName(new Uint8Array(rawOf(subjectBlock)));
    const selfIssued =
      Buffer.compare(Buffer.from(issuer.raw), Buffer.from(subject.raw)) === 0 ||
      nameMatchKey(issuer) === nameMatchKey(subject);
    const sig = bitStringOf(child(root, 2));
    return {
      der: certDer.length === der.length ? der : new Uint8Array(certDer),
      sha256: createHash('sha256').update(certDer).digest('hex'),
      version,
      serialNumber: toHex(contentOf(serial)),
      tbs: new Uint8Array(rawOf(tbsBlock)),
      signatureAlgorithm: algorithmOf(child(root, 1)),
      signatureValue: new Uint8Array(sig.bytes),
      issuer,
      subject,
      notBefore: timeOf(child(validity, 0)),
      notAfter: timeOf(child(validity, 1)),
      spki,
      publicKeyAlgorithm: oidOf(child(child(spkiBlock, 0), 0)),
      extensions,
      malformedExtensions,
      basicConstraints: view.basicConstraints,
      keyUsage: view.keyUsage,
      extendedKeyUsage: view.extendedKeyUsage,
      subjectKeyIdentifier: view.subjectKeyIdentifier,
      authorityKeyIdentifier: view.authorityKeyIdentifier,
      emailAddresses: view.emailAddresses,
      selfIssued,
    };
  } catch (cause) {
    if (cause instanceof KysoError) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new KysoError('CERT_INVALID', `Cannot read the certificate: ${why}`, {
      vi: `Không đọc được chứng thư số: ${why}`,
      cause,
    });
  }
}

const keyCache = new WeakMap<ParsedCertificate, KeyObject>();

/** The certificate's public key as a node KeyObject (parsed once per certificate). */
export function publicKeyOf(cert: ParsedCertificate): KeyObject {
  let key = keyCache.get(cert);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(cert.spki), format: 'der', type: 'spki' });
    keyCache.set(cert, key);
  }
  return key;
}

/** Accepts an already parsed certificate or its DER. */
export function toParsed(c: Uint8Array | ParsedCertificate): ParsedCertificate {
  return c instanceof Uint8Array ? parseCertificate(c) : c;
}
