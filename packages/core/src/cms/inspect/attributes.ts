/**
 * SignerInfo attributes: the signed ones (what the signature covers) and the
 * unsigned ones (signature timestamps). Attribute rules from RFC 5652 11 and
 * RFC 5035 are enforced where breaking them could mislead a verifier.
 */
import { algorithmIdentifier, hashLabel } from './algorithms.js';
import { serialsEqual, type CertificateFields } from './certificate-fields.js';
import {
  childrenOf,
  contentOf,
  copyBytes,
  derLength,
  expectSequence,
  expectSet,
  integerBytes,
  isContext,
  isUniversal,
  malformed,
  octetStringValue,
  oidOf,
  rawOf,
  TAG,
  type Node,
} from './der.js';
import { namesEqual } from './names.js';
import { timeOf } from './time.js';
import type { CmsSignedAttributes, CmsSigningCertificate } from './types.js';

export const ATTR = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
} as const;

const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** Attributes that must occur at most once, with exactly one value. */
const SINGLE = new Set<string>([
  ATTR.contentType,
  ATTR.messageDigest,
  ATTR.signingTime,
  ATTR.signingCertificate,
  ATTR.signingCertificateV2,
  ATTR.adbeRevocationInfoArchival,
]);

interface Attribute {
  type: string;
  values: Node[];
}

function attributesOf(container: Node, what: string): Attribute[] {
  return childrenOf(container, what).map((a) => {
    const parts = expectSequence(a, `${what}: Attribute`);
    if (parts.length !== 2) throw malformed(`${what}: Attribute must have 2 fields`, `${what}: Attribute phải có 2 trường`);
    return { type: oidOf(parts[0], `${what}: attrType`), values: expectSet(parts[1], `${what}: attrValues`) };
  });
}

function single(attrs: Attribute[], type: string): Node | null {
  const found = attrs.filter((a) => a.type === type);
  if (found.length === 0) return null;
  return found[0]!.values[0]!;
}

export interface ParsedSignedAttributes {
  attributes: CmsSignedAttributes;
  /** ESS issuerSerial, kept for matching once the signer certificate is known. */
  essIssuerSerial: { issuer: Node | null; serial: Uint8Array } | null;
  revocationInfoArchival: { crls: Uint8Array[]; ocspResponses: Uint8Array[] } | null;
}

/** `node` is the SignerInfo's [0] IMPLICIT signedAttrs element. */
export function parseSignedAttributes(node: Node): ParsedSignedAttributes {
  if (!node.idBlock.isConstructed) throw malformed('signedAttrs: not constructed', 'signedAttrs: không phải phần tử cấu trúc');
  const attrs = attributesOf(node, 'signedAttrs');
  if (attrs.length === 0) throw malformed('signedAttrs: empty (RFC 5652 requires at least one attribute)', 'signedAttrs: rỗng');
  for (const type of SINGLE) {
    const found = attrs.filter((a) => a.type === type);
    if (found.length > 1) {
      throw malformed(`signedAttrs: attribute ${type} occurs more than once`, `signedAttrs: thuộc tính ${type} xuất hiện nhiều lần`, { type });
    }
    if (found.length === 1 && found[0]!.values.length !== 1) {
      throw malformed(`signedAttrs: attribute ${type} must have exactly one value`, `signedAttrs: thuộc tính ${type} phải có đúng một giá trị`, { type });
    }
  }

  const ctNode = single(attrs, ATTR.contentType);
  const mdNode = single(attrs, ATTR.messageDigest);
  const stNode = single(attrs, ATTR.signingTime);
  const v2Node = single(attrs, ATTR.signingCertificateV2);
  const v1Node = single(attrs, ATTR.signingCertificate);
  const raNode = single(attrs, ATTR.adbeRevocationInfoArchival);

  let signingCertificate: CmsSigningCertificate | null = null;
  let essIssuerSerial: ParsedSignedAttributes['essIssuerSerial'] = null;
  if (v2Node || v1Node) {
    const r = parseSigningCertificate(v2Node ?? v1Node!, v2Node ? 2 : 1);
    signingCertificate = r.value;
    essIssuerSerial = r.issuerSerial;
  }

  const raw = rawOf(node);
  let der: Uint8Array;
  let reencoded = false;
  if (node.lenBlock.isIndefiniteForm) {
    const content = contentOf(node);
    const len = derLength(content.byteLength);
    der = new Uint8Array(1 + len.byteLength + content.byteLength);
    der[0] = 0x31;
    der.set(len, 1);
    der.set(content, 1 + len.byteLength);
    reencoded = true;
  } else {
    der = copyBytes(raw);
    der[0] = 0x31; // [0] IMPLICIT (0xA0, low tag number) -> SET
    if (node.idBlock.blockLength !== 1) throw malformed('signedAttrs: unexpected tag encoding', 'signedAttrs: mã hoá thẻ không mong đợi');
  }

  return {
    attributes: {
      der,
      reencoded,
      contentType: ctNode ? oidOf(ctNode, 'content-type attribute') : null,
      messageDigest: mdNode ? copyBytes(octetStringValue(mdNode, 'message-digest attribute')) : null,
      signingTime: stNode ? timeOf(stNode, 'signing-time attribute') : null,
      signingCertificate,
      oids: attrs.map((a) => a.type),
    },
    essIssuerSerial,
    revocationInfoArchival: raNode ? parseRevocationInfoArchival(raNode) : null,
  };
}

function parseSigningCertificate(
  value: Node,
  version: 1 | 2,
): { value: CmsSigningCertificate; issuerSerial: ParsedSignedAttributes['essIssuerSerial'] } {
  const what = version === 2 ? 'SigningCertificateV2' : 'SigningCertificate';
  const top = expectSequence(value, what);
  const certs = expectSequence(top[0], `${what}.certs`);
  if (certs.length === 0) throw malformed(`${what}: no ESSCertID`, `${what}: không có ESSCertID`);
  const id = expectSequence(certs[0], `${what}: ESSCertID`);
  let i = 0;
  let hashOid = version === 2 ? SHA256_OID : '1.3.14.3.2.26';
  if (version === 2 && id[0] && isUniversal(id[0], TAG.sequence)) {
    hashOid = algorithmIdentifier(id[0], 'ESSCertIDv2.hashAlgorithm').oid;
    i++;
  }
  const certHash = copyBytes(octetStringValue(id[i], `${what}: certHash`));
  let issuerSerial: ParsedSignedAttributes['essIssuerSerial'] = null;
  const isNode = id[i + 1];
  if (isNode) {
    const is = expectSequence(isNode, `${what}: IssuerSerial`);
    const names = expectSequence(is[0], `${what}: IssuerSerial.issuer`);
    const dir = names.find((g) => isContext(g, 4));
    const dirName = dir ? childrenOf(dir, 'directoryName')[0] ?? null : null;
    issuerSerial = { issuer: dirName, serial: integerBytes(is[1], `${what}: IssuerSerial.serialNumber`) };
  }
  return { value: { version, hashAlgorithm: hashLabel(hashOid), certHash, issuerSerialMatches: null }, issuerSerial };
}

/** Compares an ESS IssuerSerial with the signer certificate. */
export function essIssuerSerialMatches(is: NonNullable<ParsedSignedAttributes['essIssuerSerial']>, cert: CertificateFields): boolean {
  if (!is.issuer) return false;
  return namesEqual(is.issuer, cert.issuer) && serialsEqual(is.serial, cert.serial);
}

function parseRevocationInfoArchival(value: Node): { crls: Uint8Array[]; ocspResponses: Uint8Array[] } {
  const out = { crls: [] as Uint8Array[], ocspResponses: [] as Uint8Array[] };
  for (const f of expectSequence(value, 'RevocationInfoArchival')) {
    if (f.idBlock.tagClass !== 3 || !f.idBlock.isConstructed) {
      throw malformed('RevocationInfoArchival: unexpected field', 'RevocationInfoArchival: trường không mong đợi');
    }
    const inner = childrenOf(f, 'RevocationInfoArchival field');
    if (inner.length !== 1) throw malformed('RevocationInfoArchival: bad explicit tag', 'RevocationInfoArchival: thẻ tường minh không hợp lệ');
    const items = expectSequence(inner[0], 'RevocationInfoArchival list').map((x) => copyBytes(rawOf(x)));
    if (isContext(f, 0)) out.crls.push(...items);
    else if (isContext(f, 1)) out.ocspResponses.push(...items);
    // [2] otherRevInfo: not reported
  }
  return out;
}

/** `node` is the SignerInfo's [1] IMPLICIT unsignedAttrs element. */
export function parseUnsignedAttributes(node: Node): { signatureTimeStampTokens: Uint8Array[]; oids: string[] } {
  if (!node.idBlock.isConstructed) throw malformed('unsignedAttrs: not constructed', 'unsignedAttrs: không phải phần tử cấu trúc');
  const attrs = attributesOf(node, 'unsignedAttrs');
  const tokens: Uint8Array[] = [];
  for (const a of attrs) {
    if (a.type !== ATTR.signatureTimeStampToken) continue;
    for (const v of a.values) {
      expectSequence(v, 'signature-time-stamp-token');
      tokens.push(copyBytes(rawOf(v)));
    }
  }
  return { signatureTimeStampTokens: tokens, oids: attrs.map((a) => a.type) };
}
