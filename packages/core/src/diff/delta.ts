import { PdfParser, PdfRef, PdfStream, type PdfObject, type PdfReader, type Revision, type XrefEntry } from '../pdf/index.js';
import { sameObject } from './object-equality.js';
import { headerEndingAt } from './references.js';

/** A problem in how a revision's cross-reference data relates to the one before it: no rule can clear these. */
export interface XrefProblem {
  object: number | null;
  code: 'generation-changed' | 'repointed' | 'duplicate-definition' | 'stray-definition' | 'in-signature-gap' | 'prev-skips' | 'hidden-section' | 'unreadable';
  en: string;
  vi: string;
}

/**
 * What one revision changed, object by object, comparing what a reader of
 * the previous revision and a reader of this one see: not only what the
 * update wrote but what its cross-reference entries make each number mean.
 */
export interface RevisionDelta {
  /** Numbers live now and not before. */
  added: Set<number>;
  /** Numbers live in both whose value differs. */
  changed: Set<number>;
  /** Numbers written again with the same value. */
  rewritten: Set<number>;
  /** Numbers live before and freed (or gone) now. */
  deleted: Set<number>;
  /** Trailer keys whose value differs (bookkeeping keys excluded). */
  trailerKeys: string[];
  /** The first /ID element (the document's identity) is the same in both trailers. */
  sameFirstId: boolean;
  problems: XrefProblem[];
}

/**
 * Trailer keys that only describe the cross-reference data itself, and
 * Acrobat's own bookkeeping (/DocChecksum, /AdditionalStreams), which no
 * viewer draws from.
 */
const TRAILER_BOOKKEEPING = new Set(['Size', 'Prev', 'XRefStm', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms', 'DocChecksum', 'AdditionalStreams']);

export function revisionDelta(
  previous: Revision,
  revision: Revision,
  before: PdfReader,
  after: PdfReader,
  gaps: readonly [number, number][],
): RevisionDelta {
  const ownStart = previous.endOffset;
  const delta: RevisionDelta = { added: new Set(), changed: new Set(), rewritten: new Set(), deleted: new Set(), trailerKeys: [], sameFirstId: true, problems: [] };
  const nums = new Set<number>();
  for (const s of revision.sections) for (const n of s.numbers()) nums.add(n);
  // Objects kept in an object stream that this revision redefines read differently even though their entries did not change.
  for (const n of [...nums]) {
    for (const reader of [before, after]) {
      const e = reader.entry(n);
      if (e?.type !== 1) continue;
      const stm = safe(() => reader.getObject(new PdfRef(n, e.gen)));
      if (stm instanceof PdfStream && stm.dict.getName('Type') === 'ObjStm') for (const k of reader.objectStream(n)?.offsets.keys() ?? []) nums.add(k);
    }
  }
  for (const n of [...nums].sort((a, b) => a - b)) {
    if (n === 0) continue;
    const eb = before.entry(n);
    const ea = after.entry(n);
    const liveBefore = eb !== null && eb.type !== 0;
    const liveAfter = ea !== null && ea.type !== 0;
    if (!liveAfter) {
      if (liveBefore) delta.deleted.add(n);
      continue;
    }
    if (ea.type === 1) {
      // The unsigned hole of a signature made before this revision: whatever its bytes look like now, nothing there was signed.
      if (gaps.some(([a, b]) => b <= ownStart && ea.offset > a && ea.offset < b - 1)) {
        delta.problems.push({ object: n, code: 'in-signature-gap', en: `Object ${n} is defined inside a signature's unsigned /Contents gap.`, vi: `Đối tượng ${n} được định nghĩa bên trong vùng /Contents không được ký của một chữ ký.` });
        continue;
      }
    }
    if (!liveBefore) {
      delta.added.add(n);
      continue;
    }
    if (sameEntry(eb, ea, before, after)) continue;
    if (eb.type === 1 && ea.type === 1 && eb.gen !== ea.gen) {
      delta.problems.push({ object: n, code: 'generation-changed', en: `Object ${n} changed generation (${eb.gen} → ${ea.gen}) after signing.`, vi: `Đối tượng ${n} bị đổi số thế hệ (${eb.gen} → ${ea.gen}) sau khi ký.` });
      continue;
    }
    let a: PdfObject;
    let b: PdfObject;
    try {
      b = before.getObject(new PdfRef(n, before.generationOf(n)));
      a = after.getObject(new PdfRef(n, after.generationOf(n)));
    } catch {
      delta.problems.push({ object: n, code: 'unreadable', en: `Object ${n} cannot be read.`, vi: `Không đọc được đối tượng ${n}.` });
      continue;
    }
    if (sameObject(b, a)) {
      delta.rewritten.add(n);
      continue;
    }
    // An entry sent back to bytes an earlier revision wrote: a conforming reader now shows another definition, though the update wrote nothing.
    if (ea.type === 1 && ea.offset < ownStart) {
      delta.problems.push({ object: n, code: 'repointed', en: `The cross-reference entry of object ${n} was pointed at other, older bytes (offset ${ea.offset}): the object now reads differently although this update wrote no new definition.`, vi: `Mục tham chiếu chéo của đối tượng ${n} bị trỏ sang vùng byte cũ khác (vị trí ${ea.offset}): đối tượng hiển thị khác đi dù bản cập nhật không ghi định nghĩa mới.` });
      continue;
    }
    delta.changed.add(n);
  }

  const tb = before.trailer;
  const ta = after.trailer;
  for (const k of new Set([...tb.keys(), ...ta.keys()])) {
    if (TRAILER_BOOKKEEPING.has(k)) continue;
    if (!sameObject(tb.get(k), ta.get(k))) delta.trailerKeys.push(k);
  }
  // A file without /ID gets one at its first update: that establishes the identity, it changes none.
  const idBefore = firstId(before, tb.get('ID'));
  delta.sameFirstId = idBefore === undefined || sameObject(idBefore, firstId(after, ta.get('ID')));
  delta.problems.push(...sectionProblems(previous, revision, after));
  return delta;
}

function firstId(reader: PdfReader, id: PdfObject | undefined): PdfObject | undefined {
  const v = safe(() => reader.resolve(id));
  return Array.isArray(v) ? v[0] : v ?? undefined;
}

function sameEntry(eb: XrefEntry, ea: XrefEntry, before: PdfReader, after: PdfReader): boolean {
  if (eb.type === 1 && ea.type === 1) return eb.offset === ea.offset && eb.gen === ea.gen;
  if (eb.type === 2 && ea.type === 2) {
    if (eb.stream !== ea.stream) return false;
    // Same slot, but only if the stream itself is the same definition.
    const sb = before.entry(eb.stream);
    const sa = after.entry(ea.stream);
    return sb?.type === 1 && sa?.type === 1 && sb.offset === sa.offset;
  }
  return false;
}

/**
 * Problems of the update's own bytes: a /Prev that does not lead to the
 * previous section (a hidden revision in between), and objects defined in
 * the body that its cross-reference data does not point at (duplicates a
 * repairing viewer could pick instead).
 */
function sectionProblems(previous: Revision, revision: Revision, after: PdfReader): XrefProblem[] {
  const out: XrefProblem[] = [];
  const prev = revision.trailer.get('Prev');
  const prevOffsets = previous.sections.map((s) => s.offset);
  if (typeof prev !== 'number' || !prevOffsets.some((o) => Math.abs(o - prev) <= 64)) {
    out.push({ object: null, code: 'prev-skips', en: `The cross-reference section of revision ${revision.index} does not lead back to the previous revision (/Prev ${String(prev)}).`, vi: `Bảng tham chiếu chéo của phiên bản ${revision.index} không trỏ về phiên bản trước (/Prev ${String(prev)}).` });
  }
  const b = after.bytes;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const start = previous.endOffset;
  const bodyEnd = Math.min(...revision.sections.map((s) => s.offset));
  const sx = buf.indexOf('startxref', start, 'latin1');
  if (sx >= 0 && sx < bodyEnd) {
    out.push({ object: null, code: 'hidden-section', en: `Revision ${revision.index} hides another cross-reference section (at byte ${sx}) that its /Prev chain skips.`, vi: `Phiên bản ${revision.index} chứa một bảng tham chiếu chéo khác (tại byte ${sx}) bị chuỗi /Prev bỏ qua.` });
  }
  const defined = new Map<number, number[]>();
  let at = buf.indexOf('obj', start, 'latin1');
  while (at >= 0 && at < bodyEnd) {
    const h = headerEndingAt(b, at);
    if (h) {
      const list = defined.get(h.num) ?? [];
      list.push(h.offset);
      defined.set(h.num, list);
      // Skip the object body so that bytes inside streams are not read as headers.
      const skip = skipObject(b, h.offset);
      at = buf.indexOf('obj', Math.max(at + 3, skip), 'latin1');
    } else at = buf.indexOf('obj', at + 3, 'latin1');
  }
  const sectionOffsets = new Set(revision.sections.map((s) => s.offset));
  for (const [num, offsets] of defined) {
    const used = firstToken(b, after.definitionOffset(num));
    const strays = offsets.filter((o) => o !== used && !sectionOffsets.has(o) && firstToken(b, o) !== used);
    if (strays.length === 0) continue;
    if (offsets.length > 1) {
      out.push({ object: num, code: 'duplicate-definition', en: `Object ${num} is defined ${offsets.length} times in revision ${revision.index}: a viewer that repairs the file may show a definition other than the one verified.`, vi: `Đối tượng ${num} được định nghĩa ${offsets.length} lần trong phiên bản ${revision.index}: trình xem tự sửa tệp có thể hiển thị định nghĩa khác với định nghĩa đã kiểm tra.` });
    } else {
      out.push({ object: num, code: 'stray-definition', en: `Object ${num} is defined in revision ${revision.index}'s bytes but its cross-reference entry points elsewhere: a viewer that repairs the file may show it.`, vi: `Đối tượng ${num} được định nghĩa trong phiên bản ${revision.index} nhưng mục tham chiếu chéo trỏ chỗ khác: trình xem tự sửa tệp có thể hiển thị nó.` });
    }
  }
  return out;
}

/** Offsets in cross-reference data often point at the white space before "n g obj". */
function firstToken(b: Uint8Array, at: number | undefined): number | undefined {
  if (at === undefined) return undefined;
  let p = at;
  while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09 || b[p] === 0x0c || b[p] === 0x00)) p++;
  return p;
}

/** The offset just past the indirect object starting at `offset` (or `offset` if it cannot be parsed). */
function skipObject(b: Uint8Array, offset: number): number {
  try {
    // Parsing through a throwaway parser gives the end of the object, streams included.
    const p = new PdfParser(b, offset);
    p.parseIndirectObject();
    return p.pos;
  } catch {
    return offset;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
