/**
 * A minimal DER writer for the protocol messages of this directory (RFC 3161
 * requests, OCSP requests) and for the TEST services' answers. Every function
 * returns the complete TLV; composition is by plain nesting. Internal: not
 * exported from the package.
 */

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

function lengthOctets(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV with a single identifier octet (tag numbers below 31). */
export function tlv(identifier: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(identifier), lengthOctets(content.byteLength), content]);
}

export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, concat(items));
}

/** SET OF: elements sorted by their encodings, as DER requires. */
export function setOf(...items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => {
    const n = Math.min(a.byteLength, b.byteLength);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.byteLength - b.byteLength;
  });
  return tlv(0x31, concat(sorted));
}

/** Minimal two's-complement content of a non-negative integer given as unsigned big-endian bytes. */
function unsignedContent(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.byteLength - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  if (trimmed.byteLength === 0) return Uint8Array.of(0);
  return (trimmed[0]! & 0x80) !== 0 ? concat([Uint8Array.of(0), trimmed]) : new Uint8Array(trimmed);
}

function bigintBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('negative integers are not used here');
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** INTEGER from a non-negative number, bigint, or unsigned big-endian bytes. */
export function integer(v: number | bigint | Uint8Array): Uint8Array {
  const bytes = v instanceof Uint8Array ? v : bigintBytes(BigInt(v));
  return tlv(0x02, unsignedContent(bytes));
}

/** INTEGER with these exact content octets (a serial number copied as encoded). */
export function integerRaw(content: Uint8Array): Uint8Array {
  return tlv(0x02, content);
}

export function enumerated(v: number): Uint8Array {
  return tlv(0x0a, unsignedContent(bigintBytes(BigInt(v))));
}

export function boolean(v: boolean): Uint8Array {
  return tlv(0x01, Uint8Array.of(v ? 0xff : 0x00));
}

export function nullValue(): Uint8Array {
  return Uint8Array.of(0x05, 0x00);
}

export function octetString(b: Uint8Array): Uint8Array {
  return tlv(0x04, b);
}

export function bitString(b: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, concat([Uint8Array.of(unusedBits), b]));
}

/** BIT STRING of named bits (DER: trailing zero bits removed). */
export function namedBits(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const max = Math.max(...bits);
  const out = new Uint8Array((max >> 3) + 1);
  for (const b of bits) out[b >> 3]! |= 0x80 >> (b & 7);
  return bitString(out, 7 - (max & 7));
}

export function utf8String(s: string): Uint8Array {
  return tlv(0x0c, new Uint8Array(Buffer.from(s, 'utf8')));
}

export function ia5String(s: string): Uint8Array {
  return tlv(0x16, new Uint8Array(Buffer.from(s, 'latin1')));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`);
    return BigInt(a);
  });
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push = (v: bigint): void => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) groups.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** GeneralizedTime, UTC; with `millis`, a fraction without trailing zeros (RFC 3161 genTime). */
export function generalizedTime(d: Date, millis = false): Uint8Array {
  let s = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  if (millis && ms !== 0) s += `.${pad(ms, 3).replace(/0+$/, '')}`;
  return tlv(0x18, new Uint8Array(Buffer.from(`${s}Z`, 'latin1')));
}

/** RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050. */
export function x509Time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  if (y < 1950 || y >= 2050) return generalizedTime(d);
  const s = `${pad(y % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return tlv(0x17, new Uint8Array(Buffer.from(s, 'latin1')));
}

/** [n] EXPLICIT: a constructed context tag around complete encodings. */
export function explicit(n: number, ...inner: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | n, concat(inner));
}

/** [n] IMPLICIT over a primitive type: the given content octets. */
export function implicitPrimitive(n: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | n, content);
}

/** [n] IMPLICIT over a constructed type (SEQUENCE/SET): the given content octets. */
export function implicitConstructed(n: number, content: Uint8Array): Uint8Array {
  return tlv(0xa0 | n, content);
}

/** Content octets of a complete TLV produced by this writer (single-octet identifier). */
export function contentOfTlv(encoded: Uint8Array): Uint8Array {
  const l = encoded[1]!;
  if (l < 0x80) return encoded.subarray(2);
  return encoded.subarray(2 + (l & 0x7f));
}

/** AlgorithmIdentifier; `withNull` adds explicit NULL parameters (RSA, and hashes for old peers). */
export function algorithm(oidText: string, withNull = false): Uint8Array {
  return withNull ? sequence(oid(oidText), nullValue()) : sequence(oid(oidText));
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING } */
export function extension(oidText: string, value: Uint8Array, critical = false): Uint8Array {
  return critical ? sequence(oid(oidText), boolean(true), octetString(value)) : sequence(oid(oidText), octetString(value));
}

export { concat };
