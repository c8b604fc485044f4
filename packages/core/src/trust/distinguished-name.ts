/**
 * X.501 Name reading: attribute types, the string types real certificates use
 * (UTF8String, PrintableString, TeletexString, BMPString, ...), RFC 4514
 * rendering and a normalised comparison key for path building.
 */
import {
  decodeBmpString,
  decodeUniversalString,
  decodeUtf8OrLatin1,
  NAME_SHORT_NAMES,
  OID_ORGANIZATION_IDENTIFIER,
  STRING_TAG,
} from '../cms/name-attributes.js';
import { type Block, childrenOf, contentOf, oidOf, parseBer, tagClass, tagNumber, toHex, rawOf } from './asn1.js';

export interface NameAttribute {
  /** Index of the RDN (SET) in encoding order: 0 is usually C. */
  readonly rdn: number;
  readonly oid: string;
  /** Short name (CN, O, OU, L, ST, C, E, UID, ...) or the dotted OID when unknown. */
  readonly type: string;
  /** Decoded, NFC-normalised value. */
  readonly value: string;
  /** ASN.1 universal tag of the value (12 UTF8String, 19 PrintableString, 20 TeletexString, 30 BMPString...). */
  readonly stringTag: number;
}

export interface DistinguishedName {
  /** DER (or BER) bytes exactly as found in the certificate. */
  readonly raw: Uint8Array;
  /** Attributes in encoding order. */
  readonly attributes: readonly NameAttribute[];
  /** RFC 4514 string (most specific RDN first), UTF-8 kept as is. */
  readonly rfc4514: string;
}

const SHORT_NAMES: Record<string, string> = {
  ...NAME_SHORT_NAMES,
  '2.5.4.17': 'POSTALCODE',
  '2.5.4.43': 'INITIALS',
  '2.5.4.44': 'GENERATIONQUALIFIER',
  '2.5.4.46': 'DNQUALIFIER',
  '2.5.4.65': 'PSEUDONYM',
  [OID_ORGANIZATION_IDENTIFIER]: 'ORGANIZATIONIDENTIFIER',
};

export function attributeShortName(oid: string): string {
  return SHORT_NAMES[oid] ?? oid;
}

/**
 * Decodes a directory string by its universal tag. Values that are not
 * strings come back as `#hex` of the whole element (RFC 4514 2.4).
 */
export function decodeDirectoryString(b: Block): { value: string; tag: number } {
  const tag = tagNumber(b);
  if (tagClass(b) !== 1 || b.idBlock.isConstructed) {
    return { value: `#${toHex(rawOf(b))}`, tag: -1 };
  }
  const c = contentOf(b);
  let value: string;
  switch (tag) {
    case STRING_TAG.utf8String:
    case STRING_TAG.printableString:
    case STRING_TAG.ia5String:
    case STRING_TAG.visibleString:
    case STRING_TAG.numericString:
    case STRING_TAG.generalString:
    case STRING_TAG.graphicString:
    case STRING_TAG.videotexString:
    case STRING_TAG.teletexString:
      value = decodeUtf8OrLatin1(c);
      break;
    case STRING_TAG.bmpString:
      value = decodeBmpString(c);
      break;
    case STRING_TAG.universalString:
      value = decodeUniversalString(c);
      break;
    default:
      return { value: `#${toHex(rawOf(b))}`, tag };
  }
  return { value: value.normalize('NFC'), tag };
}

function escapeRfc4514(value: string): string {
  if (value.startsWith('#') && /^#[0-9a-f]*$/i.test(value)) return value; // hex form
  let out = value.replace(/[\\,+"<>;\u0000]/g, (ch) => (ch === '\u0000' ? '\\00' : `\\${ch}`));
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Parses a Name from its encoding; lenient about string types and lengths. */
export function parseName(raw: Uint8Array | Block): DistinguishedName {
  const block = raw instanceof Uint8Array ? parseBer(raw) : raw;
  const rawBytes = raw instanceof Uint8Array ? raw : rawOf(block);
  const attributes: NameAttribute[] = [];
  const rdns = childrenOf(block);
  rdns.forEach((set, rdn) => {
    for (const atv of childrenOf(set)) {
      const parts = childrenOf(atv);
      const typeBlock = parts[0];
      const valueBlock = parts[1];
      if (!typeBlock || !valueBlock) throw new Error('Name: incomplete AttributeTypeAndValue');
      const oid = oidOf(typeBlock);
      const { value, tag } = decodeDirectoryString(valueBlock);
      attributes.push({ rdn, oid, type: attributeShortName(oid), value, stringTag: tag });
    }
  });
  return { raw: rawBytes, attributes, rfc4514: renderRfc4514(attributes) };
}

export function renderRfc4514(attributes: readonly NameAttribute[]): string {
  const byRdn = new Map<number, NameAttribute[]>();
  for (const a of attributes) {
    const list = byRdn.get(a.rdn) ?? [];
    list.push(a);
    byRdn.set(a.rdn, list);
  }
  return [...byRdn.keys()]
    .sort((x, y) => y - x)
    .map((k) => (byRdn.get(k) ?? []).map((a) => `${a.type}=${escapeRfc4514(a.value)}`).join('+'))
    .join(',');
}

/**
 * Comparison key close to RFC 5280 7.1 (caseIgnoreMatch after NFKC, collapsed
 * spaces), used only when the raw encodings of two names differ.
 */
export function nameMatchKey(name: DistinguishedName): string {
  const byRdn = new Map<number, string[]>();
  for (const a of name.attributes) {
    const v = a.value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    const list = byRdn.get(a.rdn) ?? [];
    list.push(`${a.oid}=${v}`);
    byRdn.set(a.rdn, list);
  }
  return [...byRdn.keys()]
    .sort((x, y) => x - y)
    .map((k) => (byRdn.get(k) ?? []).sort().join('+'))
    .join('/');
}

/** First value of an attribute, by short name or OID. */
export function firstAttribute(name: DistinguishedName, typeOrOid: string): string | null {
  const a = name.attributes.find((x) => x.type === typeOrOid || x.oid === typeOrOid);
  return a ? a.value : null;
}

export function allAttributes(name: DistinguishedName, typeOrOid: string): string[] {
  return name.attributes.filter((x) => x.type === typeOrOid || x.oid === typeOrOid).map((x) => x.value);
}
