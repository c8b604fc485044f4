import { randomBytes } from 'node:crypto';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfObject } from './objects.js';
import type { PdfReader } from './reader.js';
import { ByteWriter } from './serializer.js';

export interface IncrementalUpdate {
  /** The bytes to append after the original file (starting with an end of line if the file lacked one). */
  readonly appended: Uint8Array;
  /** Absolute offsets (in original + appended) of each marked placeholder. */
  readonly markers: ReadonlyMap<string, number>;
  /** Offset of this update's cross-reference section. */
  readonly startxref: number;
}

export interface WriteOptions {
  /** Override the cross-reference kind; by default it repeats the file's last one. */
  xrefKind?: 'table' | 'stream';
}

/**
 * Collects new and changed objects and lays them out as one incremental
 * update. Only objects passed to `set` are written; the original bytes are
 * never touched.
 */
export class IncrementalWriter {
  private readonly objects = new Map<number, { ref: PdfRef; obj: PdfObject }>();
  private readonly trailerEntries = new Map<string, PdfObject>();
  private next: number;

  constructor(readonly reader: PdfReader) {
    this.next = Math.max(1, reader.size);
  }

  /** A fresh object number. */
  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** Adds a new object or replaces an existing one in this update. */
  set(ref: PdfRef, obj: PdfObject): void {
    this.objects.set(ref.num, { ref, obj });
  }

  /** Adds a new object and returns its reference. */
  add(obj: PdfObject): PdfRef {
    const ref = this.allocate();
    this.set(ref, obj);
    return ref;
  }

  /** The staged version of an object if this update changes it. */
  staged(ref: PdfRef): PdfObject | undefined {
    return this.objects.get(ref.num)?.obj;
  }

  /** Sets a trailer entry of the update (e.g. /Info when the file had none). */
  setTrailer(key: 'Info', value: PdfRef): void {
    this.trailerEntries.set(key, value);
  }

  /** The reference to write for an existing object number (keeps its generation). */
  refFor(num: number): PdfRef {
    return new PdfRef(num, this.reader.generationOf(num));
  }

  write(options: WriteOptions = {}): IncrementalUpdate {
    const src = this.reader.bytes;
    const base = src.length;
    const w = new ByteWriter(16 * 1024);
    const last = src[base - 1];
    if (last !== 0x0a && last !== 0x0d) w.ascii('\n');

    const offsets = new Map<number, { offset: number; gen: number }>();
    const sorted = [...this.objects.values()].sort((a, b) => a.ref.num - b.ref.num);
    // An encrypted file's update is encrypted with the document's key, object by object; a plain file's objects are written as they are.
    const encrypted = this.reader.encrypted;
    for (const { ref, obj } of sorted) {
      offsets.set(ref.num, { offset: base + w.length, gen: ref.gen });
      w.ascii(`${ref.num} ${ref.gen} obj\n`).object(encrypted ? this.reader.encryptObject(obj, ref.num, ref.gen) : obj).ascii('\nendobj\n');
    }

    const kind = options.xrefKind ?? this.reader.lastXrefKind;
    const trailer = this.trailer();
    const startxref = base + w.length;
    if (kind === 'table') {
      w.ascii('xref\n');
      for (const [start, nums] of runs([...offsets.keys()])) {
        w.ascii(`${start} ${nums.length}\n`);
        for (const n of nums) {
          const e = offsets.get(n)!;
          w.ascii(`${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`);
        }
      }
      w.ascii('trailer\n').object(trailer).ascii(`\nstartxref\n${startxref}\n%%EOF\n`);
    } else {
      const xrefRef = this.allocate();
      offsets.set(xrefRef.num, { offset: startxref, gen: 0 });
      trailer.set('Size', this.next);
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      const maxOffset = Math.max(...[...offsets.values()].map((e) => e.offset));
      const ow = maxOffset < 2 ** 32 ? 4 : 8;
      const maxGen = Math.max(0, ...[...offsets.values()].map((e) => e.gen));
      const gw = maxGen < 256 ? 1 : 2;
      const rowLen = 1 + ow + gw;
      const index: number[] = [];
      const data = Buffer.alloc(nums.length * rowLen);
      let row = 0;
      for (const [start, run] of runs(nums)) {
        index.push(start, run.length);
        for (const n of run) {
          const e = offsets.get(n)!;
          const at = row * rowLen;
          data[at] = 1;
          writeUInt(data, at + 1, ow, e.offset);
          writeUInt(data, at + 1 + ow, gw, e.gen);
          row++;
        }
      }
      trailer.set('Type', PdfName.of('XRef')).set('W', [1, ow, gw]).set('Index', index).set('Length', data.length);
      w.ascii(`${xrefRef.num} 0 obj\n`)
        .object(trailer)
        .ascii(`\nstream\n`)
        .bytes(data)
        .ascii(`\nendstream\nendobj\nstartxref\n${startxref}\n%%EOF\n`);
    }
    const markers = new Map<string, number>();
    for (const [k, rel] of w.markers) markers.set(k, base + rel);
    return { appended: w.toBytes(), markers, startxref };
  }

  private trailer(): PdfDict {
    const old = this.reader.trailer;
    const t = new PdfDict();
    t.set('Size', this.next);
    // /Encrypt stays: the update is encrypted with the same handler and key.
    for (const key of ['Root', 'Info', 'Encrypt']) {
      const v = this.trailerEntries.get(key) ?? old.get(key);
      if (v !== undefined) t.set(key, v);
    }
    // The first /ID element identifies the document and must survive; the
    // second changes with each revision. An encrypted file's key is made
    // from the first: one that has no /ID gets none, or its key would change.
    const id = this.reader.resolve(old.get('ID'));
    const kept = Array.isArray(id) && id[0] instanceof PdfString ? id[0] : undefined;
    if (kept || !this.reader.encrypted) {
      // One call for both halves: each randomBytes call costs more than 16 bytes of it.
      const fresh = randomBytes(kept ? 16 : 32);
      t.set('ID', [kept ?? new PdfString(fresh.subarray(16), true), new PdfString(fresh.subarray(0, 16), true)]);
    }
    t.set('Prev', this.reader.startxref);
    return t;
  }
}

function* runs(nums: number[]): Generator<[number, number[]]> {
  const sorted = [...nums].sort((a, b) => a - b);
  let run: number[] = [];
  for (const n of sorted) {
    if (run.length > 0 && n !== run[run.length - 1]! + 1) {
      yield [run[0]!, run];
      run = [];
    }
    run.push(n);
  }
  if (run.length > 0) yield [run[0]!, run];
}

function writeUInt(buf: Buffer, at: number, width: number, value: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}
