import { KysoError } from '../errors.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';
import { indexOfBytes, lastIndexOfBytes, latin1, malformed, PdfParser } from './parser.js';
import { encryptMalformed } from './security/encryption-errors.js';
import { StandardSecurityHandler, type EncryptionInfo } from './security/standard-handler.js';
import { ByteWriter } from './serializer.js';
import { MAX_OBJECT_NUMBER, parseSection, sectionKindAt, xrefBroken, type XrefEntry, type XrefSection } from './xref.js';

/**
 * One revision of the document: the original file or one incremental
 * update. Revisions are listed oldest first.
 */
export interface Revision {
  readonly index: number;
  /** The startxref value that opens this revision. */
  readonly xrefOffset: number;
  readonly kind: 'table' | 'stream';
  readonly trailer: PdfDict;
  /** Offset just past this revision's %%EOF line: the bytes [0, endOffset) are this revision. */
  readonly endOffset: number;
  /**
   * Offset just past the "%%EOF" marker itself. A file that ended without a
   * final line break was signed up to here; the break belongs to the next update.
   */
  readonly eofOffset: number;
  /** Sections of this revision, most authoritative first (hybrid and linearized files have two). */
  readonly sections: readonly XrefSection[];
}

export interface PdfReaderOptions {
  /** Refuse files larger than this many bytes (default 2 GiB). */
  maxBytes?: number;
  /**
   * Largest decoded size of one stream the reader inflates: cross-reference
   * and object streams, and what `streamData` decodes (default 32 MiB). A
   * stream that would inflate further is refused with PDF_TOO_LARGE. With
   * `maxInflatedTotal` it keeps a hostile file's peak memory near 200 MB:
   * inflating holds up to twice one stream's size for a moment.
   */
  maxInflatedBytes?: number;
  /**
   * Decoded bytes the reader inflates in all, counted together with the
   * readers of earlier revisions made from it by `prefix` (default 128 MiB):
   * many streams each under `maxInflatedBytes` cannot add up to gigabytes.
   */
  maxInflatedTotal?: number;
  /**
   * Refuse files whose cross-reference data lists more entries than this,
   * over all sections (default 5,000,000; a million-object file opens). A
   * claimed /Size above it is ignored, as an absurd one is.
   */
  maxObjects?: number;
  /**
   * The password of an encrypted file (standard security handler): its
   * user or its owner password. By default the empty user password, which
   * opens files protected only against editing. Strings and streams are
   * then decrypted as they are read.
   */
  password?: string;
  /**
   * Open encrypted files even when they cannot be decrypted (no or a wrong
   * password, another security handler, a damaged /Encrypt): their strings
   * and streams then stay encrypted, and `encryptionProblem` says why.
   * Only for callers that read structure, never content; default false.
   */
  allowEncrypted?: boolean;
}

/** What the readers of one file's revisions share: the password and the handlers it opened (a key is derived once). */
interface SharedSecurity {
  password: string | undefined;
  handlers: Map<string, StandardSecurityHandler>;
}

const STARTXREF = Buffer.from('startxref', 'latin1');
const EOF_MARK = Buffer.from('%%EOF', 'latin1');
const MAX_SECTIONS = 10_000;
export const DEFAULT_MAX_INFLATED_BYTES = 32 * 2 ** 20;
export const DEFAULT_MAX_INFLATED_TOTAL = 128 * 2 ** 20;
export const DEFAULT_MAX_OBJECTS = 5_000_000;

/**
 * Bytes left to inflate, per file: keyed by the state a reader shares with
 * the readers of its earlier revisions, so that verifying every revision of
 * a file does not get a fresh allowance per revision.
 */
const inflateBudgets = new WeakMap<object, { left: number }>();

/** A page tree node as pageRef walks it: its dictionary and its /Kids, one kid per call (undefined past the last). */
interface TreeNode {
  readonly dict: PdfDict;
  readonly num?: number;
  hasKidsArray(): boolean;
  kids(): (() => PdfObject | undefined) | undefined;
}

function tooLarge(en: string, vi: string, details: Record<string, unknown>): KysoError {
  return new KysoError('PDF_TOO_LARGE', en, { vi, details });
}

/**
 * The lazy reader: opening a file reads its trailers and cross-reference
 * headers; objects are parsed only when asked for, then cached.
 */
export class PdfReader {
  readonly revisions: readonly Revision[];
  /** Sections in lookup order: newest first. */
  private readonly sections: readonly XrefSection[];
  private readonly entryCache = new Map<number, XrefEntry | null>();
  private readonly objectCache = new Map<number, PdfObject>();
  private readonly objStmCache = new Map<number, { data: Uint8Array; first: number; offsets: Map<number, number> }>();
  private readonly resolving = new Set<number>();
  /** Highest object number + 1 over every revision. */
  readonly size: number;
  /** Objects parsed so far (cache misses): what a lazy reader really read. */
  objectsRead = 0;
  readonly startxref: number;
  readonly version: string;
  /** The security handler of an encrypted file that this reader decrypts. */
  private readonly security: StandardSecurityHandler | undefined;
  /** The object number of /Encrypt: never decrypted. */
  private readonly encryptNum: number | undefined;
  /** Why an encrypted file opened with `allowEncrypted` is read without decryption. */
  readonly encryptionProblem: KysoError | undefined;
  private readonly shared: SharedSecurity;

  private constructor(
    readonly bytes: Uint8Array,
    private readonly options: PdfReaderOptions,
    shared?: SharedSecurity,
  ) {
    this.shared = shared ?? { password: options.password, handlers: new Map() };
    const max = options.maxBytes ?? 2 ** 31;
    if (bytes.length === 0) throw new KysoError('PDF_EMPTY', 'The file is empty: there is no PDF data in it.', { vi: 'Tệp rỗng: không có dữ liệu PDF nào.' });
    if (bytes.length > max) {
      throw new KysoError('PDF_TOO_LARGE', `The PDF is ${bytes.length} bytes, above the limit of ${max}.`, {
        vi: `Tệp PDF có ${bytes.length} byte, vượt giới hạn ${max} byte.`,
      });
    }
    const header = indexOfBytes(bytes.subarray(0, Math.min(bytes.length, 1024)), Buffer.from('%PDF-', 'latin1'));
    if (header < 0) throw new KysoError('PDF_NOT_PDF', 'The file is not a PDF (no %PDF- header).', { vi: 'Tệp không phải là PDF (thiếu phần đầu %PDF-).' });
    this.version = latin1(bytes, header + 5, header + 8);

    const sx = lastIndexOfBytes(bytes, STARTXREF);
    if (sx < 0) {
      throw new KysoError('PDF_TRUNCATED', 'The PDF is truncated or damaged: no "startxref" at its end.', {
        vi: 'Tệp PDF bị cắt cụt hoặc hư hỏng: không có "startxref" ở cuối tệp.',
      });
    }
    const p = new PdfParser(bytes, sx + STARTXREF.length);
    const start = p.tryReadUInt();
    if (start === undefined) throw xrefBroken('startxref is not followed by a number');
    this.startxref = this.locateSection(start);

    const chain: XrefSection[] = [];
    const hidden = new Set<XrefSection>();
    const seen = new Set<number>();
    let at: number | undefined = this.startxref;
    while (at !== undefined) {
      if (seen.has(at) || chain.length >= MAX_SECTIONS) break; // a /Prev loop: stop, what we have is complete
      seen.add(at);
      const section = parseSection(bytes, at, (ref) => this.lengthOf(ref, chain), (s) => this.inflate(s));
      chain.push(section);
      const xrefStm = section.trailer.get('XRefStm');
      if (section.kind === 'table' && typeof xrefStm === 'number' && !seen.has(xrefStm)) {
        try {
          seen.add(xrefStm);
          const stm = parseSection(bytes, this.locateSection(xrefStm), (ref) => this.lengthOf(ref, chain), (s) => this.inflate(s));
          if (stm.kind === 'stream') {
            chain.push(stm);
            hidden.add(stm);
          }
        } catch (e) {
          if (!(e instanceof KysoError)) throw e;
          // A hybrid file whose hidden stream is broken still reads as a classic file.
        }
      }
      const prev = section.trailer.get('Prev');
      if (prev === undefined) at = undefined;
      else if (typeof prev === 'number' && Number.isInteger(prev)) at = this.locateSection(prev);
      else throw xrefBroken('/Prev is not a byte offset');
    }
    this.sections = chain;
    this.revisions = this.groupRevisions(chain, hidden);
    // New objects must be numbered above every object any section defines,
    // whatever /Size claims: a missing, small or absurd /Size would
    // otherwise make an update overwrite existing objects.
    const maxObjects = options.maxObjects ?? DEFAULT_MAX_OBJECTS;
    let entries = 0;
    for (const s of chain) entries += s.entryCount;
    if (entries > maxObjects) {
      throw tooLarge(
        `The PDF's cross-reference data lists ${entries} objects, above the limit of ${maxObjects}. If the file is trusted, open it with a higher maxObjects.`,
        `Dữ liệu tham chiếu chéo của tệp PDF liệt kê ${entries} đối tượng, vượt giới hạn ${maxObjects}. Nếu tệp đáng tin cậy, hãy mở với maxObjects cao hơn.`,
        { entries, maxObjects },
      );
    }
    let size = 0;
    for (const s of chain) {
      const claimed = s.trailer.getNumber('Size');
      if (claimed !== undefined && Number.isInteger(claimed) && claimed >= 0 && claimed <= Math.min(MAX_OBJECT_NUMBER, maxObjects)) size = Math.max(size, claimed);
      size = Math.max(size, s.upperBound);
    }
    this.size = size;

    const encrypt = chain[0]!.trailer.get('Encrypt');
    if (encrypt !== undefined) {
      this.encryptNum = encrypt instanceof PdfRef ? encrypt.num : undefined;
      try {
        this.security = this.openSecurity(encrypt);
      } catch (e) {
        if (!(e instanceof KysoError) || !options.allowEncrypted) throw e;
        this.encryptionProblem = e;
      }
    }
  }

  static open(bytes: Uint8Array, options: PdfReaderOptions = {}): PdfReader {
    try {
      return new PdfReader(bytes, options);
    } catch (e) {
      throw asKysoError(e);
    }
  }

  /**
   * A reader of the first `end` bytes (an earlier revision), with this
   * reader's password and the keys it derived. Opened for structure like
   * `allowEncrypted`: a revision whose /Encrypt the password does not open
   * is still read.
   */
  prefix(end: number): PdfReader {
    try {
      return new PdfReader(this.bytes.subarray(0, end), { ...this.options, allowEncrypted: true }, this.shared);
    } catch (e) {
      throw asKysoError(e);
    }
  }

  /** Whether the newest trailer names an /Encrypt dictionary. */
  get encrypted(): boolean {
    return this.trailer.has('Encrypt');
  }

  /** How the file is encrypted and which password opened it; undefined when it is not, or was not decrypted. */
  get encryption(): EncryptionInfo | undefined {
    return this.security?.info;
  }

  /** Object `num gen` as this file's security handler decrypts it (as it is when the file is not encrypted). */
  decryptObject(obj: PdfObject, num: number, gen: number): PdfObject {
    return this.security && num !== this.encryptNum ? this.security.decryptObject(obj, num, gen) : obj;
  }

  /**
   * Object `num gen` encrypted for an incremental update of this file (as it
   * is when the file is not encrypted). An encrypted file that this reader
   * could not decrypt cannot be updated.
   */
  encryptObject(obj: PdfObject, num: number, gen: number): PdfObject {
    if (!this.security) {
      if (this.encrypted) {
        throw new KysoError('PDF_ENCRYPTED', 'This encrypted PDF was opened without being decrypted, so nothing can be added to it: open it with its password.', {
          vi: 'Tệp PDF được mã hoá này được mở mà không giải mã, nên không thể bổ sung gì vào tệp: hãy mở tệp bằng mật khẩu của nó.',
          ...(this.encryptionProblem ? { cause: this.encryptionProblem } : {}),
        });
      }
      return obj;
    }
    return num === this.encryptNum ? obj : this.security.encryptObject(obj, num, gen);
  }

  /** The newest trailer. */
  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  /** The kind of the last cross-reference section, which an update must repeat. */
  get lastXrefKind(): 'table' | 'stream' {
    return this.sections[0]!.kind;
  }

  /** Resolves a reference (or passes a direct object through). Missing or free objects are null. */
  resolve(o: PdfObject | undefined): PdfObject {
    if (o instanceof PdfRef) return this.getObject(o);
    return o === undefined ? null : o;
  }

  getObject(ref: PdfRef): PdfObject {
    const cached = this.objectCache.get(ref.num);
    if (cached !== undefined) return cached;
    const entry = this.entry(ref.num);
    let obj: PdfObject = null;
    if (entry && entry.type !== 0) this.objectsRead++;
    if (entry?.type === 1 && entry.gen === ref.gen) {
      obj = this.readAt(ref.num, ref.gen, entry.offset);
      // Objects inside object streams were decrypted with their stream.
      if (this.security && ref.num !== this.encryptNum) obj = this.security.decryptObject(obj, ref.num, ref.gen);
    } else if (entry?.type === 2 && ref.gen === 0) obj = this.readCompressed(ref.num, entry.stream, entry.index);
    this.objectCache.set(ref.num, obj);
    return obj;
  }

  /** The newest cross-reference entry for an object number. */
  entry(num: number): XrefEntry | null {
    let e = this.entryCache.get(num);
    if (e !== undefined) return e;
    e = null;
    for (const s of this.sections) {
      const found = s.lookup(num);
      if (found) {
        e = found;
        break;
      }
    }
    // A lookup in one or two sections costs less than remembering it: a
    // million-object file would keep a million entries here for nothing.
    if (this.sections.length > 2) this.entryCache.set(num, e);
    return e;
  }

  /** The generation an update must use to redefine `num` (0 for objects in object streams). */
  generationOf(num: number): number {
    const e = this.entry(num);
    return e?.type === 1 ? e.gen : 0;
  }

  catalog(): PdfDict {
    const root = this.resolve(this.trailer.get('Root'));
    if (!(root instanceof PdfDict)) throw malformed('the trailer has no /Root catalog dictionary');
    return root;
  }

  catalogRef(): PdfRef {
    const r = this.trailer.get('Root');
    if (!(r instanceof PdfRef)) throw malformed('the trailer /Root is not an indirect reference');
    return r;
  }

  /** Page references in document order, walking the page tree with loop protection. */
  pageRefs(): PdfRef[] {
    const out: PdfRef[] = [];
    const seen = new Set<string>();
    const pagesRef = this.catalog().get('Pages');
    const walk = (ref: PdfObject | undefined, depth: number): void => {
      if (!(ref instanceof PdfRef) || seen.has(ref.key) || depth > 64) return;
      seen.add(ref.key);
      const node = this.resolve(ref);
      if (!(node instanceof PdfDict)) return;
      const type = node.getName('Type');
      const kids = this.resolve(node.get('Kids'));
      if (type === 'Pages' || (type === undefined && Array.isArray(kids))) {
        if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
      } else out.push(ref);
    };
    walk(pagesRef, 0);
    return out;
  }

  /**
   * The reference of page `index` (zero-based), descending the page tree by
   * /Count so that only the nodes on the way are parsed: signing page 1 of a
   * 30,000-page file must not read 30,000 page objects.
   */
  pageRef(index: number): PdfRef | undefined {
    const rootEntry = this.catalog().get('Pages');
    let node: TreeNode | undefined = rootEntry instanceof PdfRef ? this.treeNode(rootEntry) : this.wholeNode(this.resolve(rootEntry));
    let remaining = index;
    const seen = new Set<PdfDict>();
    const seenRefs = new Set<number>();
    for (let depth = 0; node && depth < 64 && !seen.has(node.dict) && !(node.num !== undefined && seenRefs.has(node.num)); depth++) {
      seen.add(node.dict);
      if (node.num !== undefined) seenRefs.add(node.num);
      const kids = node.kids();
      if (!kids) return undefined;
      let next: TreeNode | undefined;
      for (let kid = kids(); kid !== undefined; kid = kids()) {
        if (!(kid instanceof PdfRef)) continue;
        const k = this.treeNode(kid);
        if (!k) continue;
        const isTree = k.dict.getName('Type') === 'Pages' || (k.dict.getName('Type') === undefined && k.hasKidsArray());
        if (isTree) {
          const count = k.dict.getNumber('Count');
          if (count === undefined) return this.pageRefs()[index]; // no usable /Count: walk it all
          if (remaining < count) {
            next = k;
            break;
          }
          remaining -= count;
        } else {
          if (remaining === 0) return kid;
          remaining--;
        }
      }
      node = next;
    }
    return undefined;
  }

  /** A page tree node (or any dictionary) that is already whole. */
  private wholeNode(obj: PdfObject, num?: number): TreeNode | undefined {
    if (!(obj instanceof PdfDict)) return undefined;
    const kidsOf = (): PdfObject[] | undefined => {
      const kids = this.resolve(obj.get('Kids'));
      return Array.isArray(kids) ? kids : undefined;
    };
    return {
      dict: obj,
      ...(num !== undefined ? { num } : {}),
      hasKidsArray: () => kidsOf() !== undefined,
      kids: () => {
        const kids = kidsOf();
        if (!kids) return undefined;
        let i = 0;
        return () => (i < kids.length ? kids[i++] : undefined);
      },
    };
  }

  /**
   * The dictionary `ref` as a page tree node, whose direct /Kids array is
   * read only as far as it is walked: signing page 1 of a flat tree of
   * 4,000 kids reads one of them. A node read that way is not cached (it
   * lacks /Kids); one without a direct /Kids array is the whole object and is.
   */
  private treeNode(ref: PdfRef): TreeNode | undefined {
    const num = ref.num;
    const cached = this.objectCache.get(num);
    if (cached !== undefined || this.security || this.resolving.has(num)) return this.wholeNode(this.resolve(ref), num);
    const entry = this.entry(num);
    if (entry?.type !== 1 || entry.gen !== ref.gen) return this.wholeNode(this.resolve(ref), num);
    const b = this.bytes;
    const at = entry.offset;
    if (at < 0 || at >= b.length) return this.wholeNode(this.resolve(ref), num);
    const p = new PdfParser(b, at, this.resolveLength);
    if (p.tryReadUInt() !== num || p.tryReadUInt() !== ref.gen) return this.wholeNode(this.resolve(ref), num);
    p.skipWhitespace();
    const k = p.pos;
    if (b[k] !== 0x6f || b[k + 1] !== 0x62 || b[k + 2] !== 0x6a || !endsWord(b[k + 3])) return this.wholeNode(this.resolve(ref), num); // "obj"
    p.pos = k + 3;
    let node: { dict: PdfDict; kidsAt: number | undefined } | undefined;
    this.resolving.add(num);
    try {
      node = dictSkippingKids(p);
    } finally {
      this.resolving.delete(num);
    }
    // Not a plain dictionary (a stream, something odd): read it whole, with getObject's tolerance and errors.
    if (!node) return this.wholeNode(this.resolve(ref), num);
    this.objectsRead++;
    const { dict, kidsAt } = node;
    if (kidsAt === undefined) {
      // Nothing skipped: this is the object getObject would read.
      this.objectCache.set(num, dict);
      return this.wholeNode(dict, num);
    }
    return {
      dict,
      num,
      hasKidsArray: () => true,
      kids: () => {
        const q = new PdfParser(b, kidsAt + 1, this.resolveLength);
        return () => nextElement(q);
      },
    };
  }

  /** Number of pages according to the page tree root's /Count. */
  pageCount(): number {
    const root = this.resolve(this.catalog().get('Pages'));
    return root instanceof PdfDict ? (root.getNumber('Count') ?? 0) : 0;
  }

  /** A page attribute, looking up the /Parent chain for the inheritable ones. */
  inherited(page: PdfDict, key: string): PdfObject | undefined {
    let node: PdfDict | undefined = page;
    for (let i = 0; node && i < 64; i++) {
      const v = node.get(key);
      if (v !== undefined) return v;
      const parent = this.resolve(node.get('Parent'));
      node = parent instanceof PdfDict ? parent : undefined;
    }
    return undefined;
  }

  /** Decoded stream data (FlateDecode only). */
  streamData(stream: PdfStream): Uint8Array {
    return this.inflate(stream);
  }

  /** decodeStream under this file's limits: one stream's size, and what all of them add up to. */
  private inflate(stream: PdfStream): Uint8Array {
    let budget = inflateBudgets.get(this.shared);
    if (!budget) {
      budget = { left: this.options.maxInflatedTotal ?? DEFAULT_MAX_INFLATED_TOTAL };
      inflateBudgets.set(this.shared, budget);
    }
    const perStream = this.options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    const limit = Math.max(1, Math.min(perStream, budget.left));
    let data: Uint8Array;
    try {
      data = decodeStream(stream, limit);
    } catch (e) {
      if (!(e instanceof KysoError) || e.code !== 'PDF_TOO_LARGE') throw e;
      if (limit === perStream) {
        throw tooLarge(
          `A compressed stream in the PDF inflates beyond ${perStream} bytes (a decompression bomb, or a very large stream). If the file is trusted, open it with a higher maxInflatedBytes.`,
          `Một luồng nén trong tệp PDF giải nén ra hơn ${perStream} byte (bom giải nén, hoặc luồng rất lớn). Nếu tệp đáng tin cậy, hãy mở với maxInflatedBytes cao hơn.`,
          { maxInflatedBytes: perStream },
        );
      }
      const total = this.options.maxInflatedTotal ?? DEFAULT_MAX_INFLATED_TOTAL;
      throw tooLarge(
        `The compressed streams of the PDF inflate to more than ${total} bytes in all. If the file is trusted, open it with a higher maxInflatedTotal.`,
        `Các luồng nén của tệp PDF giải nén ra tổng cộng hơn ${total} byte. Nếu tệp đáng tin cậy, hãy mở với maxInflatedTotal cao hơn.`,
        { maxInflatedTotal: total },
      );
    }
    // Data that was not inflated is a view of the file: it costs nothing more.
    if (data !== stream.raw) budget.left -= data.length;
    return data;
  }

  /** Finds the revision whose bytes end exactly at `end` (a signature's covered length), if any. */
  revisionEndingAt(end: number): Revision | undefined {
    return this.revisions.find((r) => end >= r.eofOffset && end <= r.endOffset);
  }

  /**
   * Where the definition of `num` that this reader uses begins ("n g obj"),
   * for an object stored as a plain object; undefined otherwise. Applies the
   * same tolerance for miscounted offsets as reading does.
   */
  definitionOffset(num: number): number | undefined {
    const e = this.entry(num);
    if (e?.type !== 1) return undefined;
    const at = (o: number): boolean => {
      if (o < 0 || o >= this.bytes.length) return false;
      const p = new PdfParser(this.bytes, o);
      return p.tryReadUInt() === num && p.tryReadUInt() === e.gen && p.peekWord() === 'obj';
    };
    if (at(e.offset)) return e.offset;
    const header = Buffer.from(`${num} ${e.gen} obj`, 'latin1');
    const near = indexOfBytes(this.bytes.subarray(0, Math.min(this.bytes.length, e.offset + 256)), header, Math.max(0, e.offset - 256));
    return near >= 0 && at(near) ? near : undefined;
  }

  /** The decoded data and header of an object stream this reader uses (cached). */
  objectStream(stmNum: number): { data: Uint8Array; first: number; offsets: Map<number, number> } | undefined {
    try {
      this.readCompressedHeader(stmNum);
    } catch {
      return undefined;
    }
    return this.objStmCache.get(stmNum);
  }

  // ---------------------------------------------------------------------

  /** The security handler for the /Encrypt entry of the newest trailer, opened with the password (once per file and password). */
  private openSecurity(encrypt: PdfObject): StandardSecurityHandler {
    let dict: PdfObject;
    try {
      dict = this.resolve(encrypt);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw encryptMalformed(`it cannot be read (${why})`, `không đọc được từ điển (${e instanceof KysoError ? e.messageVi : why})`, e);
    }
    const ids = this.resolve(this.trailer.get('ID'));
    const id0 = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : undefined;
    const password = this.shared.password;
    const key = dict instanceof PdfDict ? `${Buffer.from(new ByteWriter(256).object(dict).toBytes()).toString('latin1')}\u0000${id0 ? Buffer.from(id0).toString('hex') : ''}` : undefined;
    const known = key !== undefined ? this.shared.handlers.get(key) : undefined;
    if (known) return known;
    const handler = StandardSecurityHandler.open(dict, id0, password);
    if (key !== undefined) this.shared.handlers.set(key, handler);
    return handler;
  }

  private readonly resolveLength = (r: PdfRef): number | undefined => this.lengthOf(r);

  /** The object at `at` if its header is "num gen obj" (the hot path of reading every object: no closure, no header string). */
  private objectAt(num: number, gen: number, at: number): PdfObject | undefined {
    if (at < 0 || at >= this.bytes.length) return undefined;
    const p = new PdfParser(this.bytes, at, this.resolveLength);
    if (p.tryReadUInt() !== num || p.tryReadUInt() !== gen) return undefined;
    p.skipWhitespace();
    const b = this.bytes;
    const k = p.pos;
    if (b[k] !== 0x6f || b[k + 1] !== 0x62 || b[k + 2] !== 0x6a || !endsWord(b[k + 3])) return undefined; // "obj"
    p.pos = at;
    return p.parseIndirectObject().obj;
  }

  private readAt(num: number, gen: number, offset: number): PdfObject {
    this.resolving.add(num);
    try {
      const direct = this.objectAt(num, gen, offset);
      if (direct !== undefined) return direct;
      // Writers that miscount by a few bytes are common; look close by.
      const header = Buffer.from(`${num} ${gen} obj`, 'latin1');
      const from = Math.max(0, offset - 256);
      const near = indexOfBytes(this.bytes.subarray(0, Math.min(this.bytes.length, offset + 256)), header, from);
      if (near >= 0) {
        const obj = this.objectAt(num, gen, near);
        if (obj !== undefined) return obj;
      }
      throw malformed(`object ${num} ${gen} is not where the cross-reference table says (byte ${offset})`);
    } finally {
      this.resolving.delete(num);
    }
  }

  private readCompressed(num: number, stmNum: number, index: number): PdfObject {
    const stm = this.readCompressedHeader(stmNum);
    void index; // the header's own numbering is authoritative; /index only orders it
    const off = stm.offsets.get(num);
    if (off === undefined) return null;
    const p = new PdfParser(stm.data, stm.first + off);
    return p.parseObject();
  }

  private readCompressedHeader(stmNum: number): { data: Uint8Array; first: number; offsets: Map<number, number> } {
    let stm = this.objStmCache.get(stmNum);
    if (!stm) {
      if (this.resolving.has(stmNum)) throw malformed(`object stream ${stmNum} refers to itself`);
      const e = this.entry(stmNum);
      if (e?.type !== 1) throw malformed(`object stream ${stmNum} is missing`);
      const s = this.getObject(new PdfRef(stmNum, e.gen));
      if (!(s instanceof PdfStream) || s.dict.getName('Type') !== 'ObjStm') throw malformed(`object ${stmNum} is not an object stream`);
      const n = s.dict.getNumber('N') ?? 0;
      const first = s.dict.getNumber('First') ?? 0;
      if (!Number.isInteger(first) || first < 0) throw malformed(`object stream ${stmNum} has a bad /First`);
      const data = this.inflate(s);
      const p = new PdfParser(data, 0);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const on = p.tryReadUInt();
        const off = p.tryReadUInt();
        if (on === undefined || off === undefined) break;
        if (!offsets.has(on)) offsets.set(on, off);
      }
      stm = { data, first, offsets };
      this.objStmCache.set(stmNum, stm);
    }
    return stm;
  }

  private lengthOf(ref: PdfRef, partialChain?: XrefSection[]): number | undefined {
    if (this.resolving.has(ref.num)) return undefined;
    if (partialChain) {
      // While the chain is being read we cannot use the full lookup yet.
      for (const s of partialChain) {
        const e = s.lookup(ref.num);
        if (e?.type === 1) {
          const p = new PdfParser(this.bytes, e.offset);
          try {
            const o = p.parseIndirectObject().obj;
            return typeof o === 'number' ? o : undefined;
          } catch {
            return undefined;
          }
        }
        if (e) return undefined;
      }
      return undefined;
    }
    try {
      const v = this.getObject(ref);
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** startxref values that are off by a few bytes are common; find the section nearby. */
  private locateSection(offset: number): number {
    const b = this.bytes;
    if (sectionKindAt(b, offset)) return offset;
    for (let d = 1; d <= 64; d++) {
      if (sectionKindAt(b, offset + d)) return offset + d;
      if (sectionKindAt(b, offset - d)) return offset - d;
    }
    if (offset >= b.length) {
      throw new KysoError('PDF_TRUNCATED', 'The PDF is truncated: its cross-reference section lies past the end of the file.', {
        vi: 'Tệp PDF bị cắt cụt: bảng tham chiếu chéo nằm ngoài phạm vi tệp.',
      });
    }
    throw xrefBroken(`startxref or /Prev points to byte ${offset}, where there is no cross-reference section`);
  }

  private groupRevisions(chain: XrefSection[], hidden: Set<XrefSection>): Revision[] {
    // A hybrid file's hidden xref stream belongs to its table's revision.
    const newestFirst: XrefSection[][] = [];
    for (const s of chain) {
      const last = newestFirst[newestFirst.length - 1];
      if (hidden.has(s) && last) last.push(s);
      else newestFirst.push([s]);
    }
    // A section whose /Prev points forward is the first-page section of a
    // linearized file: it and its /Prev form one revision.
    const groups: XrefSection[][] = [];
    for (const g of newestFirst.reverse()) {
      const prev = g[0]!.trailer.get('Prev');
      const last = groups[groups.length - 1];
      if (last && typeof prev === 'number' && prev > g[0]!.offset) groups[groups.length - 1] = [...g, ...last];
      else groups.push(g);
    }
    const revisions: Revision[] = [];
    let floor = 0;
    groups.forEach((g, index) => {
      const primary = g[0]!;
      const sectionEnd = Math.max(floor, ...g.map((s) => s.end));
      const eof = indexOfBytes(this.bytes, EOF_MARK, sectionEnd);
      let endOffset = this.bytes.length;
      let eofOffset = this.bytes.length;
      if (eof >= 0) {
        endOffset = eof + EOF_MARK.length;
        eofOffset = endOffset;
        if (this.bytes[endOffset] === 0x0d) endOffset++;
        if (this.bytes[endOffset] === 0x0a) endOffset++;
      }
      floor = endOffset;
      revisions.push({ index, xrefOffset: primary.offset, kind: primary.kind, trailer: primary.trailer, endOffset, eofOffset, sections: g });
    });
    return revisions;
  }
}

/**
 * The dictionary at `p` (just after "n g obj") as the parser reads it,
 * except that a direct array under /Kids is skipped, not built: the result
 * lacks /Kids and `kidsAt` is the offset of its '['. Undefined when the
 * object is not a plain dictionary, or is not well formed: the caller then
 * reads it whole (and reports what is wrong with it).
 */
function dictSkippingKids(p: PdfParser): { dict: PdfDict; kidsAt: number | undefined } | undefined {
  const b = p.buf;
  p.skipWhitespace();
  if (b[p.pos] !== 0x3c || b[p.pos + 1] !== 0x3c) return undefined;
  p.pos += 2;
  const dict = new PdfDict();
  let kidsAt: number | undefined;
  try {
    for (;;) {
      p.skipWhitespace();
      if (p.pos >= b.length) return undefined;
      const c = b[p.pos];
      if (c === 0x3e && b[p.pos + 1] === 0x3e) {
        p.pos += 2;
        break;
      }
      if (c !== 0x2f) return undefined;
      const key = p.parseObject(1);
      if (!(key instanceof PdfName)) return undefined;
      if (key.value === 'Kids') {
        p.skipWhitespace();
        if (b[p.pos] === 0x5b) {
          kidsAt = p.pos;
          skipArray(p);
          dict.delete('Kids');
          continue;
        }
        kidsAt = undefined;
      }
      const value = p.parseObject(1);
      // A null value is the same as an absent key (PDF 32000-1 §7.3.7), as the parser has it.
      if (value !== null) dict.set(key.value, value);
    }
  } catch (e) {
    if (e instanceof KysoError) return undefined;
    throw e;
  }
  // A stream's dictionary: let the parser read the whole object.
  if (p.peekWord() === 'stream') return undefined;
  return { dict, kidsAt };
}

/** Moves `p` past the array at its '[' without building it. */
function skipArray(p: PdfParser): void {
  const buf = p.buf;
  const start = p.pos;
  // Buffer's indexOf is memchr; a Uint8Array's is a byte loop.
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const close = view.indexOf(0x5d, start + 1);
  // The first ']' closes the array unless something before it can hold or open one.
  if (close > 0) {
    const span = view.subarray(start + 1, close);
    if (span.indexOf(0x5b) < 0 && span.indexOf(0x28) < 0 && span.indexOf(0x3c) < 0 && span.indexOf(0x25) < 0) {
      p.pos = close + 1;
      return;
    }
  }
  p.parseObject(1);
}

/** The next element of an array read one element at a time (`p` past its '[' or a previous element); undefined at its ']'. */
function nextElement(p: PdfParser): PdfObject | undefined {
  p.skipWhitespace();
  if (p.pos >= p.buf.length) throw new KysoError('PDF_TRUNCATED', 'The PDF ends inside an array.', { vi: 'Tệp PDF bị cắt cụt trong một mảng.' });
  if (p.buf[p.pos] === 0x5d) return undefined;
  return p.parseObject(1);
}

/** After a keyword: end of data, white space or a delimiter. */
function endsWord(c: number | undefined): boolean {
  return c === undefined || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00 || c === 0x25 || c === 0x3c || c === 0x5b || c === 0x28 || c === 0x2f || c === 0x3e || c === 0x5d || c === 0x29 || c === 0x7b || c === 0x7d;
}

function asKysoError(e: unknown): KysoError {
  if (e instanceof KysoError) return e;
  if (e instanceof RangeError) {
    return new KysoError('PDF_MALFORMED', 'The PDF is malformed (structure too deep or too large to read).', {
      vi: 'Tệp PDF bị lỗi cấu trúc (quá sâu hoặc quá lớn để đọc).',
      cause: e,
    });
  }
  return new KysoError('PDF_MALFORMED', `The PDF could not be read: ${e instanceof Error ? e.message : String(e)}`, {
    vi: 'Không đọc được tệp PDF: cấu trúc không hợp lệ.',
    cause: e,
  });
}
