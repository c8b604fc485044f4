/**
 * Small, lenient accessors over asn1js blocks, shared by the certificate and
 * name readers of the trust layer. Every accessor throws a plain Error on a
 * structural surprise; callers turn it into a KysoError or a chain problem.
 */
import * as asn1js from 'asn1js';

export type Block = asn1js.AsnType;

export const TAG_CLASS_UNIVERSAL = 1;
export const TAG_CLASS_CONTEXT = 3;

/** Parses one BER/DER element; trailing bytes are ignored (they are common after PEM/PKCS#7 extraction). */
export function parseBer(bytes: Uint8Array): Block {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const res = asn1js.fromBER(view);
  if (res.offset === -1 || (res.result as { error?: string }).error) {
    throw new Error(`ASN.1: ${(res.result as { error?: string }).error ?? 'cannot decode'}`);
  }
  return res.result;
}

export function tagClass(b: Block): number {
  return b.idBlock.tagClass;
}

export function tagNumber(b: Block): number {
  return b.idBlock.tagNumber;
}

export function isUniversal(b: Block, tag: number): boolean {
  return b.idBlock.tagClass === TAG_CLASS_UNIVERSAL && b.idBlock.tagNumber === tag;
}

export function isContext(b: Block, tag: number): boolean {
  return b.idBlock.tagClass === TAG_CLASS_CONTEXT && b.idBlock.tagNumber === tag;
}

/** The element's own encoding (header + content), as it appeared in the input. */
export function rawOf(b: Block): Uint8Array {
  return b.valueBeforeDecodeView;
}

/** Content octets of a primitive element (header stripped). */
export function contentOf(b: Block): Uint8Array {
  const raw = b.valueBeforeDecodeView;
  const header = b.idBlock.blockLength + b.lenBlock.blockLength;
  return raw.subarray(header);
}

/** Children of a constructed element (SEQUENCE, SET, explicit tags). */
export function childrenOf(b: Block): Block[] {
  if (!b.idBlock.isConstructed) throw new Error('ASN.1: expected a constructed element');
  const v = (b.valueBlock as unknown as { value?: unknown }).value;
  if (!Array.isArray(v)) throw new Error('ASN.1: constructed element without children');
  // asn1js leaves an EndOfContent marker at the end of indefinite-length values.
  return (v as Block[]).filter((c) => !(c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 0));
}

export function child(b: Block, i: number): Block {
  const c = childrenOf(b)[i];
  if (!c) throw new Error(`ASN.1: missing element #${i}`);
  return c;
}

export function oidOf(b: Block): string {
  if (!isUniversal(b, 6)) throw new Error('ASN.1: expected an OBJECT IDENTIFIER');
  return decodeOid(contentOf(b));
}

export function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = [];
  let value = 0;
  let first = true;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (first) {
        const a = value < 40 ? 0 : value < 80 ? 1 : 2;
        parts.push(a, value - a * 40);
        first = false;
      } else {
        parts.push(value);
      }
      value = 0;
    }
  }
  if (parts.length === 0) throw new Error('ASN.1: empty OBJECT IDENTIFIER');
  return parts.join('.');
}

/** Non-negative integers that fit a JS number (pathLenConstraint, saltLength, version). */
export function smallIntOf(b: Block): number {
  if (!isUniversal(b, 2)) throw new Error('ASN.1: expected an INTEGER');
  const c = contentOf(b);
  if (c.length === 0 || c.length > 6) throw new Error('ASN.1: INTEGER out of range');
  let v = 0;
  for (const byte of c) v = v * 256 + byte;
  if ((c[0] ?? 0) & 0x80) v -= 2 ** (8 * c.length);
  return v;
}

export function booleanOf(b: Block): boolean {
  if (!isUniversal(b, 1)) throw new Error('ASN.1: expected a BOOLEAN');
  const c = contentOf(b);
  return c.length > 0 && c[0] !== 0;
}

/** BIT STRING content without the unused-bits octet, plus the unused-bit count. */
export function bitStringOf(b: Block): { bytes: Uint8Array; unusedBits: number } {
  if (!isUniversal(b, 3)) throw new Error('ASN.1: expected a BIT STRING');
  if (b.idBlock.isConstructed) {
    const bs = b as asn1js.BitString;
    return { bytes: new Uint8Array(bs.valueBlock.valueHexView), unusedBits: bs.valueBlock.unusedBits };
  }
  const c = contentOf(b);
  if (c.length === 0) throw new Error('ASN.1: empty BIT STRING');
  return { bytes: c.subarray(1), unusedBits: c[0] ?? 0 };
}

/** OCTET STRING content; constructed (BER) octet strings are concatenated. */
export function octetStringOf(b: Block): Uint8Array {
  if (!isUniversal(b, 4)) throw new Error('ASN.1: expected an OCTET STRING');
  if (b.idBlock.isConstructed) {
    const parts = childrenOf(b).map(octetStringOf);
    return concatBytes(parts);
  }
  return contentOf(b);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** UTCTime / GeneralizedTime, read leniently (missing seconds, fractions, offsets). */
export function timeOf(b: Block): Date {
  const utc = isUniversal(b, 23);
  if (!utc && !isUniversal(b, 24)) throw new Error('ASN.1: expected a time');
  const s = Buffer.from(contentOf(b)).toString('latin1').trim();
  const m = utc
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/.exec(s)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(s);
  if (!m) throw new Error(`ASN.1: bad time "${s}"`);
  let year = Number(m[1]);
  if (utc) year += year < 50 ? 2000 : 1900;
  const ms = !utc && m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  let t = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  const zone = utc ? m[7] : m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  if (Number.isNaN(t)) throw new Error(`ASN.1: bad time "${s}"`);
  return new Date(t);
}
