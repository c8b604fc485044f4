import { PdfDict, PdfReader, PdfString } from '../pdf/index.js';
import { DiffContext } from './context.js';
import { revisionDelta } from './delta.js';
import type { Modification } from './modification.js';
import { levelAt, readPermissions, type DocumentPermissions } from './permissions.js';
import { judge } from './policy.js';
import { ReferenceIndex, ReferenceScanner } from './references.js';
import { RULE_FAMILIES } from './rules/index.js';

/** Objects an update may list and still be analysed object by object. */
export const MAX_ANALYSED_ENTRIES = 100_000;

export interface DiffOptions {
  /**
   * Whether the signature whose dictionary is object `sigDictNum` has intact
   * integrity (its CMS verifies over its byte ranges). A new signature field is
   * cleared only when the signature in it verifies; unknown means no.
   */
  signatureIntact?: (sigDictNum: number) => boolean;
  /** Ignored: the certification (and field locks) are read from the document itself. */
  docMdp?: 1 | 2 | 3 | undefined;
}

/** What the analysis of one revision cost: objects parsed in the two views compared. */
export interface RevisionCost {
  revision: number;
  objectsRead: number;
}

/**
 * Modification analysis: for each revision after a signed one, the
 * document as a reader of the previous revision sees it is compared with
 * what a reader of this revision sees, each from its own trailer and
 * cross-reference data. Every difference must be cleared by a rule of the
 * policy (rules/table.ts) that the DocMDP level in force permits; whatever
 * no rule clears is suspicious. Only objects the revision touches, and the
 * few that hold them, are read.
 */
export class ModificationAnalyzer {
  private readonly readers = new Map<number, PdfReader>();
  private readonly perRevision = new Map<number, Modification[]>();
  private readonly costs = new Map<number, number>();
  private scanner: ReferenceScanner | undefined;
  private gapList: [number, number][] | undefined;
  readonly permissions: DocumentPermissions;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly current: PdfReader,
    private readonly options: DiffOptions = {},
  ) {
    this.permissions = readPermissions(current);
  }

  /** Changes made by every revision after `revision`. */
  after(revision: number): Modification[] {
    const out: Modification[] = [];
    for (let r = revision + 1; r < this.current.revisions.length; r++) out.push(...this.revision(r));
    return out;
  }

  /** Changes made by revision `r` relative to `r - 1`. */
  revision(r: number): Modification[] {
    let mods = this.perRevision.get(r);
    if (!mods) {
      mods = this.classify(r);
      this.perRevision.set(r, mods);
    }
    return mods;
  }

  /** Objects read per analysed revision (for benchmarks: the analysis must stay local). */
  cost(): RevisionCost[] {
    return [...this.costs].sort((a, b) => a[0] - b[0]).map(([revision, objectsRead]) => ({ revision, objectsRead }));
  }

  private reader(r: number): PdfReader {
    let reader = this.readers.get(r);
    if (!reader) {
      const end = this.current.revisions[r]!.endOffset;
      reader = r === this.current.revisions.length - 1 && end === this.bytes.length ? this.current : this.current.prefix(end);
      this.readers.set(r, reader);
    }
    return reader;
  }

  /** The unsigned /Contents gaps of every signature in the file: no object may live there. */
  private gaps(): [number, number][] {
    if (this.gapList) return this.gapList;
    const out: [number, number][] = [];
    for (const sig of signatureDictionaries(this.current)) {
      const br = sig.get('ByteRange');
      if (!Array.isArray(br) || br.length !== 4 || !br.every((x) => typeof x === 'number')) continue;
      const [from, to] = [br[1] as number, br[2] as number];
      if (to > from && to <= this.bytes.length) out.push([from, to]);
    }
    this.gapList = out;
    return out;
  }

  private classify(r: number): Modification[] {
    const revisions = this.current.revisions;
    let before: PdfReader;
    let after: PdfReader;
    try {
      before = this.reader(r - 1);
      after = this.reader(r);
    } catch {
      return [{ revision: r, object: null, change: 'bytes', verdict: 'suspicious', category: 'unreadable', rule: null, path: null, reason: `Revision ${r} cannot be read as a PDF revision.`, reasonVi: `Không đọc được phiên bản ${r} của tài liệu.` }];
    }
    // The analysis costs microseconds per listed object and more per changed
    // one: an update listing millions (freed, or pointing anywhere) would
    // take minutes. Past a bound it is judged whole, never cleared.
    const listed = revisions[r]!.sections.reduce((n, s) => n + s.entryCount, 0);
    if (listed > MAX_ANALYSED_ENTRIES) {
      return [{
        revision: r, object: null, change: 'xref', verdict: 'suspicious', category: 'xref', rule: null, refusedBy: 'xref.too-many-entries', path: null,
        reason: `Revision ${r} lists ${listed} objects in its cross-reference data, more than the ${MAX_ANALYSED_ENTRIES} the analysis examines one by one: the update is reported as suspicious as a whole.`,
        reasonVi: `Phiên bản ${r} liệt kê ${listed} đối tượng trong dữ liệu tham chiếu chéo, vượt quá ${MAX_ANALYSED_ENTRIES} đối tượng mà phép phân tích kiểm tra từng cái: toàn bộ bản cập nhật được coi là đáng ngờ.`,
      }];
    }
    const readBefore = before.objectsRead + after.objectsRead;
    const delta = revisionDelta(revisions[r - 1]!, revisions[r]!, before, after, this.gaps());
    this.scanner ??= new ReferenceScanner(this.bytes, this.current);
    const refsBefore = new ReferenceIndex(this.scanner, before, revisions[r - 1]!.endOffset);
    const refsAfter = new ReferenceIndex(this.scanner, after, revisions[r]!.endOffset);
    refsAfter.prepare([...delta.added, ...delta.changed, ...delta.deleted, ...delta.rewritten]);
    const locks = this.permissions.locks.filter((l) => l.revision < r);
    const intact = this.options.signatureIntact ?? (() => false);
    const ctx = new DiffContext(r, before, after, delta, refsBefore, refsAfter, levelAt(this.permissions, r), locks, intact);
    for (const family of RULE_FAMILIES) family.run(ctx);
    const mods = judge(ctx);
    this.costs.set(r, before.objectsRead + after.objectsRead - readBefore);
    return mods;
  }
}

/** Signature dictionaries named by signature fields' /V in the current revision. */
function signatureDictionaries(reader: PdfReader): PdfDict[] {
  const out: PdfDict[] = [];
  try {
    const walk = (list: unknown, depth: number): void => {
      if (!Array.isArray(list) || depth > 16) return;
      for (const item of list.slice(0, 100_000)) {
        const f = reader.resolve(item);
        if (!(f instanceof PdfDict)) continue;
        const v = reader.resolve(f.get('V'));
        if (v instanceof PdfDict && v.get('Contents') instanceof PdfString) out.push(v);
        walk(reader.resolve(f.get('Kids')), depth + 1);
      }
    };
    const af = reader.resolve(reader.catalog().get('AcroForm'));
    if (af instanceof PdfDict) walk(reader.resolve(af.get('Fields')), 0);
  } catch {
    // an unreadable form has no signatures to protect
  }
  return out;
}
