import { KysoError } from '../errors.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfStream, type PdfObject } from './objects.js';
import { isWhitespace, latin1, malformed, PdfParser, type LengthResolver } from './parser.js';

/** Where an object lives, per one cross-reference section. */
export type XrefEntry =
  | { type: 0; gen: number }
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number };

/**
 * One cross-reference section: a classic table or a cross-reference
 * stream. Entries are read on demand, so opening a file with a large table
 * costs only the subsection headers.
 */
export interface XrefSection {
  readonly kind: 'table' | 'stream';
  /** Byte offset of "xref" or of the xref stream object. */
  readonly offset: number;
  readonly trailer: PdfDict;
  /** Where this section's data ends (after "trailer<<...>>" or "endobj"). */
  readonly end: number;
  lookup(num: number): XrefEntry | undefined;
  /** Every object number this section defines (free ones too). */
  numbers(): number[];
  /** One more than the highest object number this section defines (0 if none), without reading entries. */
  readonly upperBound: number;
}

export const MAX_OBJECT_NUMBER = 50_000_000;

interface Subsection {
  start: number;
  count: number;
  dataOffset: number;
  width: number;
}

export class XrefTable implements XrefSection {
  readonly kind = 'table' as const;
  private constructor(
    private readonly buf: Uint8Array,
    readonly offset: number,
    private readonly subsections: Subsection[],
    readonly trailer: PdfDict,
    readonly end: number,
  ) {}

  static parse(buf: Uint8Array, offset: number): XrefTable {
    const p = new PdfParser(buf, offset);
    p.expectWord('xref');
    const subs: Subsection[] = [];
    for (;;) {
      p.skipWhitespace();
      if (p.peekWord() === 'trailer') break;
      const headerAt = p.pos;
      const start = p.tryReadUInt();
      const count = p.tryReadUInt();
      if (start === undefined || count === undefined) throw xrefBroken(`bad subsection header at byte ${headerAt}`);
      if (start + count > MAX_OBJECT_NUMBER) throw xrefBroken('object numbers out of range');
      // Entries start after the header's end of line.
      let q = p.pos;
      while (q < buf.length && (buf[q] === 0x20 || buf[q] === 0x0d || buf[q] === 0x0a)) q++;
      const width = count > 0 ? entryWidth(buf, q) : 20;
      if (q + count * width > buf.length) throw new KysoError('PDF_TRUNCATED', 'The PDF is truncated inside its cross-reference table.', { vi: 'Tệp PDF bị cắt cụt trong bảng tham chiếu chéo.' });
      subs.push({ start, count, dataOffset: q, width });
      p.pos = q + count * width;
    }
    p.expectWord('trailer');
    const trailer = p.parseObject();
    if (!(trailer instanceof PdfDict)) throw xrefBroken('trailer is not a dictionary');
    return new XrefTable(buf, offset, subs, trailer, p.pos);
  }

  lookup(num: number): XrefEntry | undefined {
    for (let i = this.subsections.length - 1; i >= 0; i--) {
      const s = this.subsections[i]!;
      if (num >= s.start && num < s.start + s.count) return this.readEntry(s.dataOffset + (num - s.start) * s.width);
    }
    return undefined;
  }

  numbers(): number[] {
    const out: number[] = [];
    for (const s of this.subsections) for (let i = 0; i < s.count; i++) out.push(s.start + i);
    return out;
  }

  get upperBound(): number {
    return Math.max(0, ...this.subsections.filter((s) => s.count > 0).map((s) => s.start + s.count));
  }

  private readEntry(at: number): XrefEntry {
    const b = this.buf;
    let offset = 0;
    let i = at;
    while (b[i] === 0x20) i++;
    for (; i < at + 10; i++) {
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) break;
      offset = offset * 10 + (c - 0x30);
    }
    let gen = 0;
    let j = at + 11;
    for (; j < at + 16; j++) {
      const c = b[j]!;
      if (c < 0x30 || c > 0x39) break;
      gen = gen * 10 + (c - 0x30);
    }
    const t = b[at + 17];
    if (t === 0x6e /* n */) return { type: 1, offset, gen };
    if (t === 0x66 /* f */) return { type: 0, gen };
    throw xrefBroken(`bad entry at byte ${at}`);
  }
}

/** Standard entries are 20 bytes; some writers use a one-byte end of line (19). */
function entryWidth(buf: Uint8Array, at: number): number {
  const c18 = buf[at + 18];
  const c19 = buf[at + 19];
  if (c18 !== undefined && isWhitespace(c18) && c19 !== undefined && isWhitespace(c19)) return 20;
  if ((c18 === 0x0a || c18 === 0x0d) && c19 !== undefined && c19 >= 0x30 && c19 <= 0x39) return 19;
  if (c18 !== undefined && isWhitespace(c18) && (c19 === undefined || !isWhitespace(c19))) return 19;
  return 20;
}

export class XrefStream implements XrefSection {
  readonly kind = 'stream' as const;
  private constructor(
    readonly offset: number,
    readonly trailer: PdfDict,
    readonly end: number,
    private readonly data: Uint8Array,
    private readonly w: [number, number, number],
    private readonly index: number[],
  ) {}

  static parse(buf: Uint8Array, offset: number, resolveLength?: LengthResolver): XrefStream {
    const p = new PdfParser(buf, offset, resolveLength);
    const { obj } = p.parseIndirectObject();
    if (!(obj instanceof PdfStream) || obj.dict.getName('Type') !== 'XRef') throw xrefBroken(`no cross-reference stream at byte ${offset}`);
    const dict = obj.dict;
    const wRaw = dict.get('W');
    if (!Array.isArray(wRaw) || wRaw.length !== 3 || !wRaw.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 8)) {
      throw xrefBroken('cross-reference stream has a bad /W');
    }
    const w = wRaw as [number, number, number];
    const size = dict.getNumber('Size');
    if (size === undefined || size < 0 || size > MAX_OBJECT_NUMBER) throw xrefBroken('cross-reference stream has a bad /Size');
    const idxRaw = dict.get('Index');
    let index: number[];
    if (idxRaw === undefined) index = [0, size];
    else if (Array.isArray(idxRaw) && idxRaw.length % 2 === 0 && idxRaw.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= MAX_OBJECT_NUMBER)) index = idxRaw as number[];
    else throw xrefBroken('cross-reference stream has a bad /Index');
    const data = decodeStream(obj);
    const rowLen = w[0] + w[1] + w[2];
    let rows = 0;
    for (let i = 1; i < index.length; i += 2) rows += index[i]!;
    if (rowLen === 0 || rows * rowLen > data.length + rowLen) throw xrefBroken('cross-reference stream is shorter than its /Index says');
    return new XrefStream(offset, dict, p.pos, data, w, index);
  }

  lookup(num: number): XrefEntry | undefined {
    const rowLen = this.w[0] + this.w[1] + this.w[2];
    let row = 0;
    for (let i = 0; i < this.index.length; i += 2) {
      const start = this.index[i]!;
      const count = this.index[i + 1]!;
      if (num >= start && num < start + count) return this.readRow((row + num - start) * rowLen);
      row += count;
    }
    return undefined;
  }

  numbers(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.index.length; i += 2) for (let k = 0; k < this.index[i + 1]!; k++) out.push(this.index[i]! + k);
    return out;
  }

  get upperBound(): number {
    let max = 0;
    for (let i = 0; i < this.index.length; i += 2) if (this.index[i + 1]! > 0) max = Math.max(max, this.index[i]! + this.index[i + 1]!);
    return max;
  }

  private readRow(at: number): XrefEntry | undefined {
    if (at + this.w[0] + this.w[1] + this.w[2] > this.data.length) return undefined;
    const f = (o: number, n: number): number => {
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + this.data[at + o + i]!;
      return v;
    };
    const type = this.w[0] === 0 ? 1 : f(0, this.w[0]);
    const a = f(this.w[0], this.w[1]);
    const b = f(this.w[0] + this.w[1], this.w[2]);
    if (type === 0) return { type: 0, gen: b };
    if (type === 1) return { type: 1, offset: a, gen: b };
    if (type === 2) return { type: 2, stream: a, index: b };
    return undefined; // unknown types are treated as null references (§7.5.8.3)
  }
}

export function xrefBroken(message: string): KysoError {
  return new KysoError('PDF_XREF_BROKEN', `The PDF's cross-reference data is broken: ${message}.`, {
    vi: `Bảng tham chiếu chéo của tệp PDF bị hỏng: ${message}.`,
  });
}

/** Is there an "xref" keyword or an "n g obj" header at `at`? */
export function sectionKindAt(buf: Uint8Array, at: number): 'table' | 'stream' | undefined {
  if (at < 0 || at >= buf.length) return undefined;
  if (latin1(buf, at, at + 4) === 'xref') return 'table';
  const p = new PdfParser(buf, at);
  if (p.tryReadUInt() === undefined) return undefined;
  if (p.tryReadUInt() === undefined) return undefined;
  return p.peekWord() === 'obj' ? 'stream' : undefined;
}

export function parseSection(buf: Uint8Array, at: number, resolveLength?: LengthResolver): XrefSection {
  const kind = sectionKindAt(buf, at);
  if (kind === 'table') return XrefTable.parse(buf, at);
  if (kind === 'stream') return XrefStream.parse(buf, at, resolveLength);
  throw xrefBroken(`nothing at byte ${at} looks like a cross-reference section`);
}

export type { PdfObject };
export { malformed };
