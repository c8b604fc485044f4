import { PdfDict, PdfParser, PdfRef, PdfStream, type PdfObject, type PdfReader } from '../pdf/index.js';

/** A reference to an object: from which object (or the trailer), at which place inside it ('/AP/N', '[3]'). */
export interface Edge {
  from: number | 'trailer';
  at: string;
}

type Hit = { kind: 'raw'; pos: number } | { kind: 'objstm'; header: number; stream: number; holder: number };

const R = 0x52;
const OBJ = Buffer.from('obj', 'latin1');
const OBJSTM = Buffer.from('/ObjStm', 'latin1');
const MAX_BACKTRACK = 4 << 20;
const BIG_STREAM = 256 * 1024;

const isWs = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isDelimiter = (c: number | undefined): boolean => c !== undefined && '()<>[]{}/%'.includes(String.fromCharCode(c));

/**
 * Finds where objects are referred to without parsing the whole document:
 * one pass over the file's bytes for "n g R" tokens of the numbers asked
 * about (plus the decoded object streams), so that the cost is a memchr
 * over the file, not a parse of every object. Candidates are confirmed per
 * revision by parsing only the object that holds them.
 */
export class ReferenceScanner {
  private readonly hits = new Map<number, Hit[]>();
  private objectStreams: { num: number; header: number }[] | undefined;
  private readonly decoded = new Map<number, { data: Uint8Array; first: number; holders: { num: number; start: number }[] } | null>();

  /** `reader` reads the whole file: it sees every object stream any revision defines. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly reader: PdfReader,
  ) {}

  /** Candidate places that may refer to each of `nums` (scanning for those not asked about before). */
  candidates(num: number): readonly Hit[] {
    return this.hits.get(num) ?? [];
  }

  ensure(nums: Iterable<number>): void {
    const wanted = new Set<number>();
    for (const n of nums) if (!this.hits.has(n)) wanted.add(n);
    if (wanted.size === 0) return;
    for (const n of wanted) this.hits.set(n, []);
    let at = 0;
    for (const [from, to] of this.streamBodies()) {
      scanRefs(this.bytes, at, from, wanted, (num, pos) => this.hits.get(num)!.push({ kind: 'raw', pos }));
      at = to;
    }
    scanRefs(this.bytes, at, this.bytes.length, wanted, (num, pos) => this.hits.get(num)!.push({ kind: 'raw', pos }));
    for (const stm of this.streams()) {
      const d = this.decode(stm, this.reader);
      if (!d) continue;
      scanRefs(d.data, 0, d.data.length, wanted, (num, pos) => {
        const holder = holderAt(d.holders, pos);
        if (holder !== undefined) this.hits.get(num)!.push({ kind: 'objstm', header: stm.header, stream: stm.num, holder });
      });
    }
  }

  private bodies: [number, number][] | undefined;

  /**
   * The data of large streams (images, fonts), which hold no references:
   * skipping them keeps the scan to the dictionaries. Found from the
   * cross-reference offsets when the file has few objects (a big gap
   * between two objects is a big stream); a file of many small objects has
   * no large bodies worth the look-up.
   */
  private streamBodies(): [number, number][] {
    if (this.bodies) return this.bodies;
    const out: [number, number][] = [];
    this.bodies = out;
    const sections = this.reader.revisions.flatMap((r) => r.sections);
    if (sections.reduce((n, sec) => n + sec.upperBound, 0) > 4000) return out;
    const offsets: { num: number; offset: number }[] = [];
    for (const sec of sections) {
      for (const num of sec.numbers()) {
        const e = sec.lookup(num);
        if (e?.type === 1) offsets.push({ num, offset: e.offset });
      }
    }
    offsets.sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < offsets.length; i++) {
      const { offset } = offsets[i]!;
      const next = offsets[i + 1]?.offset ?? this.bytes.length;
      if (next - offset < BIG_STREAM) continue;
      try {
        const { obj } = new PdfParser(this.bytes, offset, (ref) => {
          const v = this.reader.resolve(ref);
          return typeof v === 'number' ? v : undefined;
        }).parseIndirectObject();
        if (!(obj instanceof PdfStream) || obj.raw.buffer !== this.bytes.buffer) continue;
        const start = obj.raw.byteOffset - this.bytes.byteOffset;
        // Keep a margin: only the inside of the data is skipped.
        if (start > offset && obj.raw.length > BIG_STREAM / 2) out.push([start + 16, start + obj.raw.length - 16]);
      } catch {
        // an object that does not parse is scanned like the rest
      }
    }
    out.sort((a, b) => a[0] - b[0]);
    // Overlapping ranges (an object defined twice) merge.
    for (let i = 1; i < out.length; i++) {
      if (out[i]![0] < out[i - 1]![1]) {
        out[i - 1]![1] = Math.max(out[i - 1]![1], out[i]![1]);
        out.splice(i--, 1);
      }
    }
    return out;
  }

  /** Object streams defined anywhere in the file: their dictionaries are plain text. */
  private streams(): { num: number; header: number }[] {
    if (this.objectStreams) return this.objectStreams;
    const out: { num: number; header: number }[] = [];
    // Only a cross-reference stream can point into an object stream: a file of tables alone has none in use.
    if (this.reader.revisions.every((r) => r.sections.every((sec) => sec.kind === 'table'))) {
      this.objectStreams = out;
      return out;
    }
    const buf = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    for (let at = buf.indexOf(OBJSTM); at >= 0; at = buf.indexOf(OBJSTM, at + OBJSTM.length)) {
      const h = headerBefore(this.bytes, at);
      if (h && !out.some((s) => s.header === h.offset)) out.push({ num: h.num, header: h.offset });
    }
    this.objectStreams = out;
    return out;
  }

  private decode(stm: { num: number; header: number }, reader: PdfReader): { data: Uint8Array; first: number; holders: { num: number; start: number }[] } | null {
    let d = this.decoded.get(stm.header);
    if (d !== undefined) return d;
    d = null;
    try {
      // The definition at this very offset: an overwritten object stream is still what older revisions read.
      const p = new PdfParser(this.bytes, stm.header, (ref) => {
        const v = reader.resolve(ref);
        return typeof v === 'number' ? v : undefined;
      });
      const { obj } = p.parseIndirectObject();
      if (obj instanceof PdfStream && obj.dict.getName('Type') === 'ObjStm') {
        // Through the reader: its inflation limits hold for the object streams the scan decodes too.
        const data = reader.streamData(obj);
        const n = obj.dict.getNumber('N') ?? 0;
        const first = obj.dict.getNumber('First') ?? 0;
        const hp = new PdfParser(data, 0);
        const holders: { num: number; start: number }[] = [];
        for (let i = 0; i < n && i < 1_000_000; i++) {
          const on = hp.tryReadUInt();
          const off = hp.tryReadUInt();
          if (on === undefined || off === undefined) break;
          holders.push({ num: on, start: first + off });
        }
        holders.sort((a, b) => a.start - b.start);
        d = { data, first, holders };
      }
    } catch {
      d = null;
    }
    this.decoded.set(stm.header, d);
    return d;
  }
}

function holderAt(holders: { num: number; start: number }[], pos: number): number | undefined {
  let lo = 0;
  let hi = holders.length - 1;
  let found: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (holders[mid]!.start <= pos) {
      found = holders[mid]!.num;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Calls `hit(num, pos)` for each "num gen R" token in [from, to) whose num is wanted. */
function scanRefs(b: Uint8Array, from: number, to: number, wanted: Set<number>, hit: (num: number, pos: number) => void): void {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let i = buf.indexOf(R, from); i >= 0 && i < to; i = buf.indexOf(R, i + 1)) {
    const next = b[i + 1];
    if (next !== undefined && !isWs(next) && !isDelimiter(next)) continue;
    let p = i - 1;
    if (!isWs(b[p])) continue;
    while (p > 0 && isWs(b[p])) p--;
    if (!isDigit(b[p])) continue;
    while (p > 0 && isDigit(b[p - 1])) p--;
    let q = p - 1;
    if (!isWs(b[q])) continue;
    while (q > 0 && isWs(b[q])) q--;
    if (!isDigit(b[q])) continue;
    const end = q + 1;
    while (q > 0 && isDigit(b[q - 1])) q--;
    if (end - q > 10) continue;
    const before = b[q - 1];
    if (q > 0 && !isWs(before) && !isDelimiter(before)) continue;
    let num = 0;
    for (let k = q; k < end; k++) num = num * 10 + (b[k]! - 0x30);
    if (wanted.has(num)) hit(num, q);
  }
}

/** The "n g obj" header that most closely precedes `pos`, if any. */
export function headerBefore(b: Uint8Array, pos: number): { num: number; gen: number; offset: number } | undefined {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const floor = Math.max(0, pos - MAX_BACKTRACK);
  for (let at = buf.lastIndexOf(OBJ, pos); at >= floor; at = buf.lastIndexOf(OBJ, at - 1)) {
    const h = headerEndingAt(b, at);
    if (h) return h;
    if (at === 0) break;
  }
  return undefined;
}

/** Reads "n g " backwards from the "obj" keyword at `at`. */
export function headerEndingAt(b: Uint8Array, at: number): { num: number; gen: number; offset: number } | undefined {
  const after = b[at + 3];
  if (after !== undefined && !isWs(after) && !isDelimiter(after)) return undefined;
  let p = at - 1;
  if (!isWs(b[p])) return undefined;
  while (p > 0 && isWs(b[p])) p--;
  if (!isDigit(b[p])) return undefined;
  const genEnd = p + 1;
  while (p > 0 && isDigit(b[p - 1])) p--;
  const genStart = p;
  let q = p - 1;
  if (!isWs(b[q])) return undefined;
  while (q > 0 && isWs(b[q])) q--;
  if (!isDigit(b[q])) return undefined;
  const numEnd = q + 1;
  while (q > 0 && isDigit(b[q - 1])) q--;
  if (numEnd - q > 10 || genEnd - genStart > 5) return undefined;
  if (q > 0 && !isWs(b[q - 1]) && !isDelimiter(b[q - 1])) return undefined;
  const num = Number(Buffer.from(b.subarray(q, numEnd)).toString('latin1'));
  const gen = Number(Buffer.from(b.subarray(genStart, genEnd)).toString('latin1'));
  return { num, gen, offset: q };
}

/**
 * The references to objects as one revision's reader sees them: only
 * definitions that revision uses count, so an old overwritten definition
 * that still names an object is not a referrer.
 */
export class ReferenceIndex {
  private readonly cache = new Map<number, Edge[]>();

  constructor(
    private readonly scanner: ReferenceScanner,
    readonly view: PdfReader,
    /** The revision's bytes end here: later bytes are not part of it. */
    private readonly end: number,
  ) {}

  /** Makes sure the scanner has looked for these numbers (one pass for all of them). */
  prepare(nums: Iterable<number>): void {
    this.scanner.ensure(nums);
  }

  /**
   * References to `num` other than back-links (/Parent, /P, /Pg...): the
   * ways down from the trailer. Cheaper than `referrers` on a page-tree
   * node, which every page names as its /Parent.
   */
  forwardReferrers(num: number): Edge[] {
    const cached = this.cache.get(num);
    if (cached) return cached.filter((e) => !isBackLink(e.at));
    return this.collect(num, true).filter((e) => !isBackLink(e.at));
  }

  referrers(num: number): Edge[] {
    const cached = this.cache.get(num);
    if (cached) return cached;
    const out = this.collect(num, false);
    this.cache.set(num, out);
    return out;
  }

  private collect(num: number, skipBackLinks: boolean): Edge[] {
    this.scanner.ensure([num]);
    const out: Edge[] = [];
    const seen = new Set<number>();
    for (const key of ['Root', 'Info', 'Encrypt']) {
      const v = this.view.trailer.get(key);
      if (v instanceof PdfRef && v.num === num) out.push({ from: 'trailer', at: `/${key}` });
    }
    for (const h of this.scanner.candidates(num)) {
      let holder: number | undefined;
      if (h.kind === 'raw') {
        if (h.pos >= this.end) continue;
        if (skipBackLinks && BACK_KEYS.has(keyBefore(this.view.bytes, h.pos))) continue;
        const header = headerBefore(this.view.bytes, h.pos);
        if (!header || this.view.definitionOffset(header.num) !== header.offset) continue;
        holder = header.num;
      } else {
        if (h.header >= this.end || this.view.definitionOffset(h.stream) !== h.header) continue;
        const e = this.view.entry(h.holder);
        if (e?.type !== 2 || e.stream !== h.stream) continue;
        holder = h.holder;
      }
      if (seen.has(holder)) continue;
      seen.add(holder);
      let obj: PdfObject;
      try {
        obj = this.view.getObject(new PdfRef(holder, this.view.generationOf(holder)));
      } catch {
        continue;
      }
      // A cross-reference stream's dictionary is the trailer, counted above.
      if (obj instanceof PdfStream && obj.dict.getName('Type') === 'XRef') continue;
      for (const at of refPaths(obj, num)) out.push({ from: holder, at });
    }
    return out;
  }
}

const BACK_KEYS = new Set(['Parent', 'P', 'Pg', 'IRT', 'Obj']);

function isBackLink(at: string): boolean {
  return /\/(Parent|P|Pg|IRT|Obj)$/.test(at);
}

/** The name token just before a reference at `pos` ("/Parent 3 0 R" → "Parent"), or ''. */
function keyBefore(b: Uint8Array, pos: number): string {
  let p = pos - 1;
  while (p > 0 && isWs(b[p])) p--;
  const end = p + 1;
  while (p > 0 && !isWs(b[p]) && !isDelimiter(b[p])) p--;
  if (b[p] !== 0x2f) return '';
  return Buffer.from(b.subarray(p + 1, end)).toString('latin1');
}

/** Every place inside `o` where a reference to `num` sits ('/AP/N', '[2]', '/Kids[0]'). */
export function refPaths(o: PdfObject, num: number, prefix = '', depth = 0, out: string[] = []): string[] {
  if (depth > 32) return out;
  if (o instanceof PdfRef) {
    if (o.num === num) out.push(prefix);
  } else if (Array.isArray(o)) {
    o.forEach((x, i) => refPaths(x, num, `${prefix}[${i}]`, depth + 1, out));
  } else if (o instanceof PdfDict) {
    for (const [k, v] of o.map) refPaths(v, num, `${prefix}/${k}`, depth + 1, out);
  } else if (o instanceof PdfStream) {
    refPaths(o.dict, num, prefix, depth + 1, out);
  }
  return out;
}

function edgeRank(at: string): number {
  if (/\/(Kids|Pages|AcroForm|Fields|Annots|Resources|AP)\b/.test(at) || at === '/Root') return 0;
  if (/\/(P|Parent|Pg|Obj|Dest|D|OpenAction|A|First|Last|Next|Prev|Popup|IRT)(\[|$)/.test(at)) return 2;
  return 1;
}

/**
 * A shortest path from the trailer to object `num` in a revision, found by
 * walking referrers upwards (used to report what no rule cleared).
 */
export function pathFromTrailer(index: ReferenceIndex, num: number, maxNodes = 4000): string | null {
  return searchPath(index, num, maxNodes).path;
}

/** Is object `num` reachable from the trailer? True also when the search gave up (so never wrongly "unreferenced"). */
export function reachable(index: ReferenceIndex, num: number, maxNodes = 4000): boolean {
  const r = searchPath(index, num, maxNodes);
  return r.path !== null || !r.complete;
}

function searchPath(index: ReferenceIndex, num: number, maxNodes: number): { path: string | null; complete: boolean } {
  const parent = new Map<number, Edge>();
  let frontier = [num];
  const seen = new Set<number>([num]);
  for (let depth = 0; depth < 40 && frontier.length > 0 && seen.size < maxNodes; depth++) {
    index.prepare(frontier);
    const next: number[] = [];
    for (const n of frontier) {
      // Prefer the way a reader walks (page tree, forms) over back-links and actions.
      const edges = [...index.forwardReferrers(n)].sort((a, b) => edgeRank(a.at) - edgeRank(b.at));
      for (const e of edges) {
        if (e.from === 'trailer') {
          let path = e.at;
          let cur = n;
          while (cur !== num) {
            const step = parent.get(cur)!;
            path += step.at;
            cur = step.from as number;
          }
          return { path, complete: true };
        }
        if (seen.has(e.from)) continue;
        seen.add(e.from);
        // Walking up: the referrer's referrer is found next round; remember how to come back down.
        parent.set(e.from, { from: n, at: e.at });
        next.push(e.from);
      }
    }
    frontier = next;
  }
  return { path: null, complete: frontier.length === 0 };
}
