import { KysoError } from '../errors.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfStream, type PdfObject } from './objects.js';

/** Decodes a cross-reference stream's data; the reader passes one that enforces its inflation limits. */
export type StreamDecoder = (stream: PdfStream) => Uint8Array;
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
  /** How many entries the section lists (its subsection or /Index counts), without reading them. */
  readonly entryCount: number;
}

export const MAX_OBJECT_NUMBER = 50_000_000;

/**
 * Subsection headers as columns of typed arrays: a table of a million
 * one-entry subsections costs 13 MB here, against some 150 MB as objects.
 */
class Subsections {
  length = 0;
  start = new Int32Array(16);
  count = new Int32Array(16);
  dataOffset = new Float64Array(16);
  width = new Uint8Array(16);

  push(start: number, count: number, dataOffset: number, width: number): void {
    if (this.length === this.start.length) {
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.count = grow(this.count);
      this.dataOffset = grow(this.dataOffset);
      this.width = grow(this.width);
    }
    const i = this.length++;
    this.start[i] = start;
    this.count[i] = count;
    this.dataOffset[i] = dataOffset;
    this.width[i] = width;
  }

  /** The subsection that defines `num`, -1 if none: the newest one, as a scan from the end decides. */
  find(num: number, state: { sorted?: boolean; pieces?: Piece<{ start: number; count: number; i: number }>[] }): number {
    const { start, count } = this;
    if (this.length <= SCAN_LIMIT) {
      for (let i = this.length - 1; i >= 0; i--) if (num >= start[i]! && num < start[i]! + count[i]!) return i;
      return -1;
    }
    // Writers list subsections in order and without overlap: search them as they are.
    if ((state.sorted ??= this.sortedDisjoint())) {
      let lo = 0;
      let hi = this.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (num < start[mid]!) hi = mid - 1;
        else if (num >= start[mid]! + count[mid]!) lo = mid + 1;
        else return mid;
      }
      return -1;
    }
    state.pieces ??= resolveRuns(Array.from({ length: this.length }, (_, i) => ({ start: start[i]!, count: count[i]!, i })), (i) => i);
    return findPiece(state.pieces, num)?.run.i ?? -1;
  }

  private sortedDisjoint(): boolean {
    for (let i = 1; i < this.length; i++) if (this.start[i]! < this.start[i - 1]! + this.count[i - 1]!) return false;
    return true;
  }
}

export class XrefTable implements XrefSection {
  readonly kind = 'table' as const;
  private readonly search: { sorted?: boolean; pieces?: Piece<{ start: number; count: number; i: number }>[] } = {};
  private constructor(
    private readonly buf: Uint8Array,
    readonly offset: number,
    private readonly subsections: Subsections,
    readonly trailer: PdfDict,
    readonly end: number,
  ) {}

  static parse(buf: Uint8Array, offset: number): XrefTable {
    const p = new PdfParser(buf, offset);
    p.expectWord('xref');
    const subs = new Subsections();
    for (;;) {
      p.skipWhitespace();
      // Only a "t" can start "trailer": not making a string per header matters with a million subsections.
      if (buf[p.pos] === 0x74 && p.peekWord() === 'trailer') break;
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
      subs.push(start, count, q, width);
      p.pos = q + count * width;
    }
    p.expectWord('trailer');
    const trailer = p.parseObject();
    if (!(trailer instanceof PdfDict)) throw xrefBroken('trailer is not a dictionary');
    return new XrefTable(buf, offset, subs, trailer, p.pos);
  }

  lookup(num: number): XrefEntry | undefined {
    const s = this.subsections;
    const i = s.find(num, this.search);
    return i < 0 ? undefined : this.readEntry(s.dataOffset[i]! + (num - s.start[i]!) * s.width[i]!);
  }

  numbers(): number[] {
    const out: number[] = [];
    const s = this.subsections;
    for (let i = 0; i < s.length; i++) for (let k = 0; k < s.count[i]!; k++) out.push(s.start[i]! + k);
    return out;
  }

  get upperBound(): number {
    let max = 0;
    const s = this.subsections;
    for (let i = 0; i < s.length; i++) if (s.count[i]! > 0) max = Math.max(max, s.start[i]! + s.count[i]!);
    return max;
  }

  get entryCount(): number {
    let n = 0;
    const s = this.subsections;
    for (let i = 0; i < s.length; i++) n += s.count[i]!;
    return n;
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

/**
 * Above this many subsections (or /Index pairs) a lookup stops scanning them
 * all: a table of a million one-entry subsections made reading every object
 * quadratic.
 */
const SCAN_LIMIT = 16;

interface Piece<T> {
  start: number;
  end: number;
  run: T;
}

/**
 * Which run defines each number, as disjoint pieces sorted by start: where
 * runs overlap, the one of highest `priority` wins (the newest subsection of
 * a table, the first /Index pair of a stream), as a linear scan decides. A
 * sweep over the run boundaries with a heap of the open runs: n log n
 * however the runs overlap.
 */
function resolveRuns<T extends { start: number; count: number }>(runs: readonly T[], priority: (i: number) => number): Piece<T>[] {
  const order = runs.map((_, i) => i).filter((i) => runs[i]!.count > 0).sort((x, y) => runs[x]!.start - runs[y]!.start);
  const bounds = [...new Set(order.flatMap((i) => [runs[i]!.start, runs[i]!.start + runs[i]!.count]))].sort((x, y) => x - y);
  const heap: number[] = [];
  const better = (x: number, y: number): boolean => priority(x) > priority(y);
  const push = (i: number): void => {
    heap.push(i);
    for (let k = heap.length - 1; k > 0; ) {
      const up = (k - 1) >> 1;
      if (!better(heap[k]!, heap[up]!)) break;
      [heap[k], heap[up]] = [heap[up]!, heap[k]!];
      k = up;
    }
  };
  const pop = (): void => {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && better(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && better(heap[r]!, heap[m]!)) m = r;
      if (m === k) break;
      [heap[k], heap[m]] = [heap[m]!, heap[k]!];
      k = m;
    }
  };
  const out: Piece<T>[] = [];
  let next = 0;
  for (let b = 0; b < bounds.length - 1; b++) {
    const at = bounds[b]!;
    while (next < order.length && runs[order[next]!]!.start === at) push(order[next++]!);
    // Runs that ended at or before here leave the heap when they surface.
    while (heap.length > 0 && runs[heap[0]!]!.start + runs[heap[0]!]!.count <= at) pop();
    if (heap.length === 0) continue;
    const run = runs[heap[0]!]!;
    const last = out[out.length - 1];
    if (last && last.run === run && last.end === at) last.end = bounds[b + 1]!;
    else out.push({ start: at, end: bounds[b + 1]!, run });
  }
  return out;
}

function findPiece<T>(pieces: readonly Piece<T>[], num: number): Piece<T> | undefined {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid]!;
    if (num < p.start) hi = mid - 1;
    else if (num >= p.end) lo = mid + 1;
    else return p;
  }
  return undefined;
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

  static parse(buf: Uint8Array, offset: number, resolveLength?: LengthResolver, decode: StreamDecoder = decodeStream): XrefStream {
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
    const data = decode(obj);
    const rowLen = w[0] + w[1] + w[2];
    let rows = 0;
    for (let i = 1; i < index.length; i += 2) rows += index[i]!;
    if (rowLen === 0 || rows * rowLen > data.length + rowLen) throw xrefBroken('cross-reference stream is shorter than its /Index says');
    return new XrefStream(offset, dict, p.pos, data, w, index);
  }

  private pieces: Piece<{ start: number; count: number; row: number }>[] | undefined;

  lookup(num: number): XrefEntry | undefined {
    const rowLen = this.w[0] + this.w[1] + this.w[2];
    if (this.index.length > 2 * SCAN_LIMIT) {
      if (!this.pieces) {
        const runs: { start: number; count: number; row: number }[] = [];
        let row = 0;
        for (let i = 0; i < this.index.length; i += 2) {
          runs.push({ start: this.index[i]!, count: this.index[i + 1]!, row });
          row += this.index[i + 1]!;
        }
        // The first pair that lists a number wins, as in the scan below.
        this.pieces = resolveRuns(runs, (i) => -i);
      }
      const r = findPiece(this.pieces, num)?.run;
      return r ? this.readRow((r.row + num - r.start) * rowLen) : undefined;
    }
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

  get entryCount(): number {
    let n = 0;
    for (let i = 1; i < this.index.length; i += 2) n += this.index[i]!;
    return n;
  }

  private readRow(at: number): XrefEntry | undefined {
    if (at + this.w[0] + this.w[1] + this.w[2] > this.data.length) return undefined;
    const type = this.w[0] === 0 ? 1 : this.field(at, this.w[0]);
    const a = this.field(at + this.w[0], this.w[1]);
    const b = this.field(at + this.w[0] + this.w[1], this.w[2]);
    if (type === 0) return { type: 0, gen: b };
    if (type === 1) return { type: 1, offset: a, gen: b };
    if (type === 2) return { type: 2, stream: a, index: b };
    return undefined; // unknown types are treated as null references (§7.5.8.3)
  }

  /** A big-endian field of `n` bytes (a method, not a closure per row: reading a million rows made a million closures). */
  private field(at: number, n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.data[at + i]!;
    return v;
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

export function parseSection(buf: Uint8Array, at: number, resolveLength?: LengthResolver, decode?: StreamDecoder): XrefSection {
  const kind = sectionKindAt(buf, at);
  if (kind === 'table') return XrefTable.parse(buf, at);
  if (kind === 'stream') return XrefStream.parse(buf, at, resolveLength, decode);
  throw xrefBroken(`nothing at byte ${at} looks like a cross-reference section`);
}

export type { PdfObject };
export { malformed };
