import { KysoError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

/** Character classes per PDF 32000-1 §7.2.2. */
const WS = new Uint8Array(256);
const DELIM = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WS[c] = 1;
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

export const isWhitespace = (c: number): boolean => WS[c] === 1;
const isRegular = (c: number): boolean => WS[c] !== 1 && DELIM[c] !== 1;

const MAX_DEPTH = 256;

/** Resolves /Length when it is an indirect reference. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

export function malformed(message: string, offset?: number): KysoError {
  return new KysoError(
    'PDF_MALFORMED',
    offset === undefined ? `Malformed PDF: ${message}` : `Malformed PDF at byte ${offset}: ${message}`,
    {
      vi: offset === undefined ? `Tệp PDF bị lỗi cấu trúc: ${message}` : `Tệp PDF bị lỗi cấu trúc tại byte ${offset}: ${message}`,
      details: offset === undefined ? {} : { offset },
    },
  );
}

/**
 * A cursor over the file's bytes that reads PDF tokens and objects. It never
 * copies the buffer; strings and streams are subarrays or small copies.
 */
export class PdfParser {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    private readonly resolveLength?: LengthResolver,
  ) {
    this.pos = pos;
  }

  skipWhitespace(): void {
    const b = this.buf;
    let p = this.pos;
    for (;;) {
      while (p < b.length && WS[b[p]!] === 1) p++;
      if (p < b.length && b[p] === 0x25 /* % */) {
        while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
        continue;
      }
      break;
    }
    this.pos = p;
  }

  /** Reads a run of regular characters (a keyword or a number) without consuming it. */
  peekWord(): string {
    this.skipWhitespace();
    const b = this.buf;
    let p = this.pos;
    while (p < b.length && isRegular(b[p]!)) p++;
    return latin1(b, this.pos, p);
  }

  readWord(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  expectWord(word: string): void {
    const start = this.pos;
    const w = this.readWord();
    if (w !== word) throw malformed(`expected "${word}", found "${w.slice(0, 20)}"`, start);
  }

  /** Reads an unsigned integer token; undefined (and position unchanged) if there is none. */
  tryReadUInt(): number | undefined {
    this.skipWhitespace();
    const b = this.buf;
    let p = this.pos;
    let n = 0;
    const start = p;
    while (p < b.length && b[p]! >= 0x30 && b[p]! <= 0x39) {
      n = n * 10 + (b[p]! - 0x30);
      p++;
    }
    if (p === start || p - start > 15) return undefined;
    if (p < b.length && isRegular(b[p]!)) return undefined;
    this.pos = p;
    return n;
  }

  parseObject(depth = 0): PdfObject {
    if (depth > MAX_DEPTH) throw malformed('objects nested too deeply', this.pos);
    this.skipWhitespace();
    const b = this.buf;
    if (this.pos >= b.length) throw new KysoError('PDF_TRUNCATED', 'The PDF ends in the middle of an object.', { vi: 'Tệp PDF bị cắt cụt giữa chừng một đối tượng.' });
    const c = b[this.pos]!;
    switch (c) {
      case 0x2f: // /
        return this.parseName();
      case 0x28: // (
        return this.parseLiteralString();
      case 0x3c: // <
        if (b[this.pos + 1] === 0x3c) return this.parseDictOrStream(depth);
        return this.parseHexString();
      case 0x5b: {
        // [
        this.pos++;
        const arr: PdfObject[] = [];
        for (;;) {
          this.skipWhitespace();
          if (this.pos >= b.length) throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside an array.', { vi: 'Tệp PDF bị cắt cụt trong một mảng.' });
          if (b[this.pos] === 0x5d) {
            this.pos++;
            return arr;
          }
          arr.push(this.parseObject(depth + 1));
        }
      }
      default:
        break;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return this.parseNumberOrRef();
    const start = this.pos;
    const word = this.readWord();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word.length === 0) {
      this.pos++;
      throw malformed(`unexpected character 0x${c.toString(16)}`, start);
    }
    throw malformed(`unexpected token "${word.slice(0, 20)}"`, start);
  }

  private parseNumberOrRef(): PdfObject {
    const start = this.pos;
    const num = this.parseNumber();
    // "n g R": look ahead for two more tokens without committing.
    if (Number.isInteger(num) && num >= 0 && b(this.buf, start) !== 0x2b) {
      const save = this.pos;
      const gen = this.tryReadUInt();
      if (gen !== undefined) {
        this.skipWhitespace();
        if (this.buf[this.pos] === 0x52 /* R */ && !isRegular(this.buf[this.pos + 1] ?? 0x20)) {
          this.pos++;
          return new PdfRef(num, gen);
        }
      }
      this.pos = save;
    }
    return num;
  }

  parseNumber(): number {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    // Plain integers, nearly every number in a file, without a string and a regex each.
    let v = 0;
    while (p < buf.length && p - start < 15 && buf[p]! >= 0x30 && buf[p]! <= 0x39) v = v * 10 + (buf[p++]! - 0x30);
    if (p > start && buf[p] !== 0x2e && !(buf[p]! >= 0x30 && buf[p]! <= 0x39)) {
      this.pos = p;
      return v;
    }
    p = start;
    if (buf[p] === 0x2b || buf[p] === 0x2d) p++;
    // Some writers emit "--5" or "-.5"; accept what other readers accept.
    while (buf[p] === 0x2d) p++;
    while (p < buf.length && ((buf[p]! >= 0x30 && buf[p]! <= 0x39) || buf[p] === 0x2e)) p++;
    const text = latin1(buf, start, p).replace(/^([+-])-+/, '$1');
    this.pos = p;
    const n = Number(text === '-' || text === '+' || text === '.' || text === '' ? 0 : text);
    if (!Number.isFinite(n)) throw malformed(`bad number "${text}"`, start);
    return n;
  }

  private parseName(): PdfName {
    const buf = this.buf;
    let p = this.pos + 1;
    const start = p;
    let hasEscape = false;
    while (p < buf.length && isRegular(buf[p]!)) {
      if (buf[p] === 0x23) hasEscape = true;
      p++;
    }
    this.pos = p;
    if (!hasEscape) return PdfName.of(latin1(buf, start, p));
    const out: number[] = [];
    for (let i = start; i < p; i++) {
      const ch = buf[i]!;
      if (ch === 0x23 && i + 2 < p + 1) {
        const hex = latin1(buf, i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out.push(parseInt(hex, 16));
          i += 2;
          continue;
        }
      }
      out.push(ch);
    }
    return PdfName.of(Buffer.from(out).toString('latin1'));
  }

  private parseLiteralString(): PdfString {
    const buf = this.buf;
    let p = this.pos + 1;
    let depth = 1;
    const out: number[] = [];
    while (p < buf.length) {
      const ch = buf[p]!;
      if (ch === 0x5c /* \ */) {
        p++;
        const e = buf[p];
        if (e === undefined) break;
        switch (e) {
          case 0x6e: out.push(0x0a); p++; break; // n
          case 0x72: out.push(0x0d); p++; break; // r
          case 0x74: out.push(0x09); p++; break; // t
          case 0x62: out.push(0x08); p++; break; // b
          case 0x66: out.push(0x0c); p++; break; // f
          case 0x0d: p++; if (buf[p] === 0x0a) p++; break; // line continuation
          case 0x0a: p++; break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = 0;
              let k = 0;
              while (k < 3 && buf[p]! >= 0x30 && buf[p]! <= 0x37) {
                v = v * 8 + (buf[p]! - 0x30);
                p++;
                k++;
              }
              out.push(v & 0xff);
            } else {
              out.push(e);
              p++;
            }
        }
        continue;
      }
      if (ch === 0x28) depth++;
      else if (ch === 0x29) {
        depth--;
        if (depth === 0) {
          this.pos = p + 1;
          return new PdfString(Uint8Array.from(out), false);
        }
      }
      out.push(ch);
      p++;
    }
    throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside a string.', { vi: 'Tệp PDF bị cắt cụt trong một chuỗi.' });
  }

  private parseHexString(): PdfString {
    const buf = this.buf;
    let p = this.pos + 1;
    const end = buf.indexOf(0x3e, p);
    if (end < 0) throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside a hex string.', { vi: 'Tệp PDF bị cắt cụt trong một chuỗi hex.' });
    const out = new Uint8Array(((end - p) >> 1) + 1);
    let n = 0;
    let hi = -1;
    for (; p < end; p++) {
      const v = hexValue(buf[p]!);
      if (v < 0) {
        if (WS[buf[p]!] === 1) continue;
        throw malformed('bad character in hex string', p);
      }
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4;
    this.pos = end + 1;
    return new PdfString(out.subarray(0, n), true);
  }

  private parseDictOrStream(depth: number): PdfDict | PdfStream {
    const buf = this.buf;
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= buf.length) throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside a dictionary.', { vi: 'Tệp PDF bị cắt cụt trong một từ điển.' });
      const c = buf[this.pos];
      if (c === 0x3e && buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      if (c !== 0x2f) throw malformed('dictionary key is not a name', this.pos);
      const key = this.parseName().value;
      const value = this.parseObject(depth + 1);
      // A null value is the same as an absent key (PDF 32000-1 §7.3.7).
      if (value !== null) dict.set(key, value);
    }
    const save = this.pos;
    this.skipWhitespace();
    if (this.buf[this.pos] === 0x73 && latin1(buf, this.pos, this.pos + 6) === 'stream' && !isRegular(buf[this.pos + 6] ?? 0x20)) {
      this.pos += 6;
      return this.parseStreamBody(dict);
    }
    this.pos = save;
    return dict;
  }

  private parseStreamBody(dict: PdfDict): PdfStream {
    const buf = this.buf;
    // EOL after "stream": CRLF or LF (a lone CR is tolerated).
    if (buf[this.pos] === 0x0d) this.pos++;
    if (buf[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    let len: number | undefined;
    const l = dict.get('Length');
    if (typeof l === 'number') len = l;
    else if (l instanceof PdfRef && this.resolveLength) len = this.resolveLength(l);
    if (len !== undefined && Number.isInteger(len) && len >= 0 && start + len <= buf.length) {
      let q = start + len;
      while (q < buf.length && WS[buf[q]!] === 1) q++;
      if (latin1(buf, q, q + 9) === 'endstream') {
        this.pos = q + 9;
        return new PdfStream(dict, buf.subarray(start, start + len));
      }
    }
    // /Length missing or wrong: fall back to the next "endstream".
    const end = indexOfBytes(buf, ENDSTREAM, start);
    if (end < 0) throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside a stream.', { vi: 'Tệp PDF bị cắt cụt trong một luồng dữ liệu.' });
    let dataEnd = end;
    if (buf[dataEnd - 1] === 0x0a) dataEnd--;
    if (buf[dataEnd - 1] === 0x0d) dataEnd--;
    this.pos = end + 9;
    return new PdfStream(dict, buf.subarray(start, Math.max(start, dataEnd)));
  }

  /**
   * Parses "n g obj <object> endobj" at the current position. Returns the
   * object and its number; a missing "endobj" is tolerated.
   */
  parseIndirectObject(): { num: number; gen: number; obj: PdfObject } {
    const start = this.pos;
    const num = this.tryReadUInt();
    const gen = num === undefined ? undefined : this.tryReadUInt();
    if (num === undefined || gen === undefined) throw malformed('expected an object header "n g obj"', start);
    this.expectWord('obj');
    const obj = this.parseObject();
    this.skipWhitespace();
    if (latin1(this.buf, this.pos, this.pos + 6) === 'endobj') this.pos += 6;
    return { num, gen, obj };
  }
}

const ENDSTREAM = Buffer.from('endstream', 'latin1');

function b(buf: Uint8Array, i: number): number {
  return buf[i] ?? 0;
}

export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export function latin1(buf: Uint8Array, start: number, end: number): string {
  const e = Math.min(end, buf.length);
  if (e - start < 64) {
    let s = '';
    for (let i = start; i < e; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  return Buffer.from(buf.buffer, buf.byteOffset + start, e - start).toString('latin1');
}

export function indexOfBytes(buf: Uint8Array, needle: Uint8Array, from = 0): number {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(needle, from);
}

export function lastIndexOfBytes(buf: Uint8Array, needle: Uint8Array, from?: number): number {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).lastIndexOf(needle, from);
}
