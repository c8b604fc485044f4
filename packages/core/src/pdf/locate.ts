import { PdfDict, PdfName, type PdfObject } from './objects.js';
import { PdfParser } from './parser.js';

export interface LocatedValue {
  /** Offset of the value's first byte (e.g. the '<' of a hex string). */
  start: number;
  /** Offset just past the value's last byte. */
  end: number;
  value: PdfObject;
}

/**
 * Parses the dictionary of the indirect object at `objectOffset` and reports
 * where each top-level value lies in the file. Verification needs this to
 * check that a /ByteRange gap is exactly the /Contents string, which an
 * object model alone cannot tell.
 */
export function locateDictValues(bytes: Uint8Array, objectOffset: number): Map<string, LocatedValue> | undefined {
  const p = new PdfParser(bytes, objectOffset);
  if (p.tryReadUInt() === undefined || p.tryReadUInt() === undefined) return undefined;
  if (p.readWord() !== 'obj') return undefined;
  p.skipWhitespace();
  if (bytes[p.pos] !== 0x3c || bytes[p.pos + 1] !== 0x3c) return undefined;
  p.pos += 2;
  const out = new Map<string, LocatedValue>();
  for (let i = 0; i < 10_000; i++) {
    p.skipWhitespace();
    if (bytes[p.pos] === 0x3e && bytes[p.pos + 1] === 0x3e) return out;
    const key = p.parseObject();
    if (!(key instanceof PdfName)) return undefined;
    p.skipWhitespace();
    const start = p.pos;
    const value = p.parseObject();
    // A repeated key: readers disagree on which copy wins, which is an
    // attack vector. Keep the last (as PdfParser does) and mark the key so
    // the caller can reject the dictionary.
    if (out.has(key.value)) out.set(`${key.value}#duplicate`, out.get(key.value)!);
    out.set(key.value, { start, end: p.pos, value });
  }
  return undefined;
}

export type { PdfDict };
