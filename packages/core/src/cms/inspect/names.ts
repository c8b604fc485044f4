/**
 * X.500 Names as they appear in a CMS (sid issuer, ESS IssuerSerial, TSA
 * name): equality for matching a signer certificate, and a display string.
 */
import { decodeBmpString, NAME_SHORT_NAMES, OID_ORGANIZATION_IDENTIFIER, STRING_TAG } from '../name-attributes.js';
import { bytesEqual, childrenOf, contentOf, expectSequence, expectSet, isContext, malformed, oidOf, rawOf, type Node } from './der.js';

// organizationIdentifier keeps the inspector's spelling, not trust's upper
// case: these strings reach verification reports (the TSA name).
const SHORT: Record<string, string> = { ...NAME_SHORT_NAMES, [OID_ORGANIZATION_IDENTIFIER]: 'organizationIdentifier' };

interface Ava {
  type: string;
  value: string;
}

function decodeString(n: Node): string {
  const c = contentOf(n);
  const tag = n.idBlock.tagNumber;
  if (n.idBlock.tagClass !== 1 || n.idBlock.isConstructed) return `#${Buffer.from(rawOf(n)).toString('hex')}`;
  if (tag === STRING_TAG.bmpString) return decodeBmpString(c);
  if (tag === STRING_TAG.universalString) return `#${Buffer.from(rawOf(n)).toString('hex')}`; // rare, keep raw
  if (tag === STRING_TAG.utf8String) return Buffer.from(c).toString('utf8');
  return Buffer.from(c).toString('latin1');
}

function avasOf(name: Node): Ava[][] {
  return expectSequence(name, 'Name').map((rdn) =>
    expectSet(rdn, 'RelativeDistinguishedName').map((atv) => {
      const parts = expectSequence(atv, 'AttributeTypeAndValue');
      if (parts.length !== 2) throw malformed('AttributeTypeAndValue: expected 2 fields', 'AttributeTypeAndValue: cần 2 trường');
      return { type: oidOf(parts[0], 'attribute type'), value: decodeString(parts[1]!) };
    }),
  );
}

const norm = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Same name? Byte equality first; otherwise a lenient comparison (RFC 5280
 * 7.1 in spirit: same attribute types in the same RDN order, values equal
 * after Unicode NFC, whitespace folding and case folding), which absorbs the
 * PrintableString/UTF8String and BER/DER differences seen in real files.
 */
export function namesEqual(a: Node, b: Node): boolean {
  if (bytesEqual(rawOf(a), rawOf(b))) return true;
  try {
    const x = avasOf(a);
    const y = avasOf(b);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const p = x[i]!.map((v) => `${v.type}=${norm(v.value)}`).sort();
      const q = y[i]!.map((v) => `${v.type}=${norm(v.value)}`).sort();
      if (p.length !== q.length || p.some((s, j) => s !== q[j])) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** RFC 4514-like display string, most significant RDN last as in certificates' usual rendering. */
export function nameToString(name: Node): string {
  return avasOf(name)
    .reverse()
    .map((rdn) => rdn.map((v) => `${SHORT[v.type] ?? v.type}=${v.value.replace(/([,+"\\<>;])/g, '\\$1')}`).join('+'))
    .join(', ');
}

/** A GeneralName (RFC 5280) as display text; directoryName is rendered as a DN. */
export function generalNameToString(gn: Node): string {
  if (isContext(gn, 4)) {
    const inner = childrenOf(gn, 'directoryName');
    if (inner.length !== 1) throw malformed('directoryName: bad explicit tag', 'directoryName: thẻ tường minh không hợp lệ');
    return nameToString(inner[0]!);
  }
  const prefix: Record<number, string> = { 1: 'email:', 2: 'DNS:', 6: 'URI:' };
  const p = gn.idBlock.tagClass === 3 ? prefix[gn.idBlock.tagNumber] : undefined;
  if (p && !gn.idBlock.isConstructed) return p + Buffer.from(contentOf(gn)).toString('latin1');
  return `#${Buffer.from(rawOf(gn)).toString('hex')}`;
}
