/**
 * Defensive accessors over asn1js blocks for the CMS inspector. Input is
 * attacker-controlled: every structural surprise becomes a KysoError
 * CMS_MALFORMED, never a TypeError. Parsing is bounded (depth, node count)
 * and embedded ASN.1 inside OCTET/BIT STRINGs is NOT parsed speculatively;
 * callers decode the contents they need explicitly with `parseDer`.
 *
 * Independent of `cms/*.ts` (the signing builder) on purpose.
 */
import * as asn1js from 'asn1js';
import { KysoError } from '../../errors.js';

export type Node = asn1js.AsnType;

export const CLASS_UNIVERSAL = 1;
export const CLASS_CONTEXT = 3;

export const TAG = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
  utcTime: 23,
  generalizedTime: 24,
} as const;

/** Nesting deeper than this is never legitimate in a CMS / certificate. */
const MAX_DEPTH = 64;

export function malformed(message: string, vi: string, details?: Record<string, unknown>): KysoError {
  return new KysoError('CMS_MALFORMED', message, { vi, ...(details ? { details } : {}) });
}

export interface ParsedDer {
  node: Node;
  /** Bytes consumed by the outer element (header + content [+ EOC]). */
  length: number;
}

/**
 * Decodes exactly one BER element at the start of `bytes`. Trailing bytes are
 * reported through `length`; the caller decides whether they are allowed.
 * The returned blocks' views point into `bytes` (not copied).
 */
export function parseDer(bytes: Uint8Array, what: string): ParsedDer {
  if (bytes.byteLength === 0) throw malformed(`${what}: empty`, `${what}: dữ liệu rỗng`);
  let res: asn1js.FromBerResult;
  try {
    res = asn1js.fromBER(bytes, {
      maxDepth: MAX_DEPTH,
      // Every node takes at least two bytes: this only bounds pathological input.
      maxNodes: Math.max(10_000, Math.ceil(bytes.byteLength / 2) + 16),
      parseEmbedded: false,
      copyInput: false,
    });
  } catch (e) {
    throw malformed(`${what}: cannot decode ASN.1`, `${what}: không giải mã được ASN.1`, { cause: String(e) });
  }
  const err = (res.result as { error?: string }).error;
  if (res.offset === -1 || (typeof err === 'string' && err.length > 0)) {
    throw malformed(`${what}: invalid ASN.1 (${err || 'cannot decode'})`, `${what}: ASN.1 không hợp lệ (${err || 'không giải mã được'})`);
  }
  return { node: res.result, length: res.offset };
}

export function isUniversal(n: Node, tag: number): boolean {
  return n.idBlock.tagClass === CLASS_UNIVERSAL && n.idBlock.tagNumber === tag;
}

export function isContext(n: Node, tag: number): boolean {
  return n.idBlock.tagClass === CLASS_CONTEXT && n.idBlock.tagNumber === tag;
}

function isEoc(n: Node): boolean {
  return n.idBlock.tagClass === CLASS_UNIVERSAL && n.idBlock.tagNumber === 0 && !n.idBlock.isConstructed;
}

/** The element exactly as it appeared in the input (header + content [+ EOC]). */
export function rawOf(n: Node): Uint8Array {
  return n.valueBeforeDecodeView;
}

/** Content octets as they appear in the input (header and, for indefinite lengths, the EOC stripped). */
export function contentOf(n: Node): Uint8Array {
  const raw = n.valueBeforeDecodeView;
  const start = n.idBlock.blockLength + n.lenBlock.blockLength;
  const end = n.lenBlock.isIndefiniteForm ? raw.byteLength - 2 : raw.byteLength;
  if (start > end || end > raw.byteLength) throw malformed('ASN.1 element with inconsistent length', 'Phần tử ASN.1 có độ dài không nhất quán');
  return raw.subarray(start, end);
}

export function childrenOf(n: Node, what: string): Node[] {
  if (!n.idBlock.isConstructed) throw malformed(`${what}: expected a constructed element`, `${what}: cần một phần tử cấu trúc`);
  const v = (n.valueBlock as unknown as { value?: unknown }).value;
  if (!Array.isArray(v)) throw malformed(`${what}: constructed element without children`, `${what}: phần tử cấu trúc không có thành phần`);
  return (v as Node[]).filter((c) => !isEoc(c));
}

export function expectSequence(n: Node | undefined, what: string): Node[] {
  if (!n || !isUniversal(n, TAG.sequence) || !n.idBlock.isConstructed) {
    throw malformed(`${what}: expected a SEQUENCE`, `${what}: cần một SEQUENCE`);
  }
  return childrenOf(n, what);
}

export function expectSet(n: Node | undefined, what: string): Node[] {
  if (!n || !isUniversal(n, TAG.set) || !n.idBlock.isConstructed) {
    throw malformed(`${what}: expected a SET`, `${what}: cần một SET`);
  }
  return childrenOf(n, what);
}

/** Decodes an OBJECT IDENTIFIER's content octets into dotted form. */
export function oidOf(n: Node | undefined, what: string): string {
  if (!n || !isUniversal(n, TAG.oid) || n.idBlock.isConstructed) {
    throw malformed(`${what}: expected an OBJECT IDENTIFIER`, `${what}: cần một OBJECT IDENTIFIER`);
  }
  const c = contentOf(n);
  if (c.byteLength === 0 || c.byteLength > 64 || (c[c.byteLength - 1]! & 0x80) !== 0) {
    throw malformed(`${what}: invalid OBJECT IDENTIFIER`, `${what}: OBJECT IDENTIFIER không hợp lệ`);
  }
  const arcs: bigint[] = [];
  let acc = 0n;
  for (let i = 0; i < c.byteLength; i++) {
    const b = c[i]!;
    acc = (acc << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(acc);
      acc = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].map(String).join('.');
}

/** Content octets of an INTEGER (two's complement, as encoded). */
export function integerBytes(n: Node | undefined, what: string): Uint8Array {
  if (!n || !isUniversal(n, TAG.integer) || n.idBlock.isConstructed) {
    throw malformed(`${what}: expected an INTEGER`, `${what}: cần một INTEGER`);
  }
  const c = contentOf(n);
  if (c.byteLength === 0) throw malformed(`${what}: empty INTEGER`, `${what}: INTEGER rỗng`);
  return c;
}

/** A small non-negative INTEGER (versions, salt lengths, accuracy). */
export function smallInteger(n: Node | undefined, what: string): number {
  return smallIntegerOfContent(integerBytes(n, what), what);
}

export function smallIntegerOfContent(c: Uint8Array, what: string): number {
  if (c.byteLength === 0 || c.byteLength > 6 || (c[0]! & 0x80) !== 0) {
    throw malformed(`${what}: integer out of range`, `${what}: số nguyên ngoài phạm vi`);
  }
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** Hex of an INTEGER's magnitude without redundant leading zero octets (lowercase). */
export function integerHex(c: Uint8Array): string {
  let i = 0;
  while (i < c.byteLength - 1 && c[i] === 0) i++;
  return Buffer.from(c.subarray(i)).toString('hex');
}

/**
 * OCTET STRING value: primitive content, or (BER) the concatenation of the
 * primitive segments of a constructed one.
 */
export function octetStringValue(n: Node | undefined, what: string): Uint8Array {
  if (!n || !isUniversal(n, TAG.octetString)) {
    throw malformed(`${what}: expected an OCTET STRING`, `${what}: cần một OCTET STRING`);
  }
  return stringValue(n, what, TAG.octetString);
}

/**
 * Value of a string type that may be constructed under BER: primitive content
 * or the concatenated segments. `segmentTag` is the universal tag the segments
 * must carry. Used for OCTET STRINGs and for IMPLICIT-tagged OCTET STRINGs.
 */
export function stringValue(n: Node, what: string, segmentTag: number): Uint8Array {
  if (!n.idBlock.isConstructed) return contentOf(n);
  const parts: Uint8Array[] = [];
  const walk = (m: Node): void => {
    for (const c of childrenOf(m, what)) {
      if (!isUniversal(c, segmentTag)) throw malformed(`${what}: bad segment in constructed string`, `${what}: đoạn không hợp lệ trong chuỗi cấu trúc`);
      if (c.idBlock.isConstructed) walk(c);
      else parts.push(contentOf(c));
    }
  };
  walk(n);
  return parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An independent copy, so results never alias the caller's (mutable) buffer. */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/** Minimal DER length octets for `len`. */
export function derLength(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const out: number[] = [];
  let v = len;
  while (v > 0) {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return Uint8Array.from([0x80 | out.length, ...out]);
}

function hasIndefinite(n: Node): boolean {
  if (n.lenBlock.isIndefiniteForm) return true;
  if (!n.idBlock.isConstructed) return false;
  const v = (n.valueBlock as unknown as { value?: unknown }).value;
  return Array.isArray(v) && (v as Node[]).some((c) => hasIndefinite(c));
}

/**
 * The element re-encoded with definite, minimal lengths (identifier and
 * content octets unchanged). This is the DER form for the BER variant real
 * signers produce (indefinite lengths); other BER liberties are kept as they
 * are. Returns the original bytes when there is nothing to change.
 */
export function withDefiniteLengths(n: Node): Uint8Array {
  if (!hasIndefinite(n)) return rawOf(n);
  const parts: Uint8Array[] = [];
  const emit = (m: Node): number => {
    const id = rawOf(m).subarray(0, m.idBlock.blockLength);
    if (!m.idBlock.isConstructed) {
      const c = contentOf(m);
      const len = derLength(c.byteLength);
      parts.push(id, len, c);
      return id.byteLength + len.byteLength + c.byteLength;
    }
    const headerAt = parts.length;
    parts.push(id, new Uint8Array(0));
    let body = 0;
    for (const c of childrenOf(m, 'element')) body += emit(c);
    const len = derLength(body);
    parts[headerAt + 1] = len;
    return id.byteLength + len.byteLength + body;
  };
  emit(n);
  return new Uint8Array(Buffer.concat(parts));
}
