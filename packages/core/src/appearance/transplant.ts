/**
 * Copies an object graph from one PDF (a PdfReader) into another's
 * incremental update: every indirect object reached is given a fresh number
 * in the target and written once, so nothing of the target is rewritten.
 * Used to lift pdf-lib's scratch page (its content, fonts, font files,
 * images, graphics states) into the document being signed.
 */
import { deflateSync } from 'node:zlib';
import { KysoError } from '../errors.js';
import { IncrementalWriter, PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject, type PdfReader } from '../pdf/index.js';

/** Keys never followed: they lead back up the source's page tree. */
const SKIP_KEYS = new Set(['Parent', 'P', 'StructParent', 'StructParents']);

/** At most this many objects per graph: a scratch page has a few dozen. */
const MAX_OBJECTS = 10_000;

export class ObjectCopier {
  private readonly map = new Map<string, PdfRef>();
  private count = 0;

  constructor(
    readonly source: PdfReader,
    readonly target: IncrementalWriter,
  ) {}

  /** Copies an object (direct or a reference), returning its counterpart in the target. */
  copy(o: PdfObject): PdfObject {
    if (o instanceof PdfRef) return this.copyRef(o);
    if (o instanceof PdfStream) {
      const dict = this.copyDict(o.dict, true);
      return new PdfStream(dict, o.raw);
    }
    if (o instanceof PdfDict) return this.copyDict(o, false);
    if (Array.isArray(o)) return o.map((v) => this.copy(v));
    if (o instanceof PdfString) return new PdfString(o.bytes, o.hex);
    if (o instanceof PdfRaw) throw new TypeError('cannot copy a raw placeholder');
    return o; // null, boolean, number, PdfName (interned)
  }

  /** The number of indirect objects written so far. */
  get written(): number {
    return this.count;
  }

  private copyRef(ref: PdfRef): PdfRef {
    const known = this.map.get(ref.key);
    if (known) return known;
    if (++this.count > MAX_OBJECTS) {
      throw new KysoError('PDF_UNSUPPORTED', 'The appearance refers to too many objects.', { vi: 'Hình hiển thị chữ ký tham chiếu quá nhiều đối tượng.' });
    }
    const fresh = this.target.allocate();
    this.map.set(ref.key, fresh); // before recursing: cycles end here
    this.target.set(fresh, this.copy(this.source.resolve(ref)));
    return fresh;
  }

  private copyDict(d: PdfDict, isStream: boolean): PdfDict {
    const out = new PdfDict();
    for (const [k, v] of d.map) {
      if (SKIP_KEYS.has(k)) continue;
      // The serialiser writes /Length from the bytes; an indirect length must not be dragged along.
      if (isStream && k === 'Length') continue;
      out.set(k, this.copy(v));
    }
    return out;
  }
}

/** A page's content as one decoded byte string (its streams joined by newlines). */
export function pageContent(reader: PdfReader, page: PdfDict): Uint8Array {
  const contents = reader.resolve(page.get('Contents'));
  const streams = Array.isArray(contents) ? contents.map((c) => reader.resolve(c)) : [contents];
  const parts: Uint8Array[] = [];
  for (const s of streams) {
    if (!(s instanceof PdfStream)) continue;
    parts.push(reader.streamData(s), Buffer.from('\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

/**
 * Turns page `index` of `source` into a Form XObject in `target`:
 * /BBox from the page's MediaBox (its lower-left mapped to the origin by /Matrix),
 * its content as one Flate stream, its /Resources copied with fresh numbers.
 */
export function pageToFormXObject(source: PdfReader, target: IncrementalWriter, index = 0): { ref: PdfRef; width: number; height: number } {
  const pageRef = source.pageRef(index);
  const page = pageRef ? source.resolve(pageRef) : null;
  if (!(page instanceof PdfDict)) throw new KysoError('PDF_MALFORMED', 'The scratch appearance page is missing.', { vi: 'Thiếu trang nháp của hình hiển thị chữ ký.' });
  const box = source.resolve(source.inherited(page, 'MediaBox'));
  const [x1, y1, x2, y2] = Array.isArray(box) && box.length === 4 && box.every((n) => typeof n === 'number') ? (box as number[]) : [0, 0, 0, 0];
  const width = Math.abs(x2! - x1!);
  const height = Math.abs(y2! - y1!);
  const lx = Math.min(x1!, x2!);
  const ly = Math.min(y1!, y2!);
  const copier = new ObjectCopier(source, target);
  const resources = source.resolve(source.inherited(page, 'Resources'));
  const dict = new PdfDict()
    .set('Type', PdfName.of('XObject'))
    .set('Subtype', PdfName.of('Form'))
    .set('FormType', 1)
    .set('BBox', [lx, ly, lx + width, ly + height])
    .set('Resources', resources instanceof PdfDict ? copier.copy(resources) : new PdfDict())
    .set('Filter', PdfName.of('FlateDecode'));
  if (lx !== 0 || ly !== 0) dict.set('Matrix', [1, 0, 0, 1, -lx, -ly]);
  const ref = target.add(new PdfStream(dict, deflateSync(pageContent(source, page))));
  return { ref, width, height };
}
