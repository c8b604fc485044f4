import { formFields, PdfDict, PdfRef, type FormField, type PdfObject, type PdfReader } from '../pdf/index.js';
import type { RevisionDelta } from './delta.js';
import type { ReferenceIndex, Edge } from './references.js';
import type { DocMdpLevel, ModificationRule } from './rule.js';

/** A FieldMDP lock set by a signature (its /Reference transform, or its field's /Lock). */
export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  fields: readonly string[];
  /** PDF 2.0: the DocMDP level in force after the locking signature. */
  p: DocMdpLevel | null;
  /** The revision the locking signature signs: the lock binds every later revision. */
  revision: number;
  field: string;
}

export function lockCovers(lock: FieldLock, name: string): boolean {
  const listed = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  return lock.action === 'All' || (lock.action === 'Include' ? listed : !listed);
}

export interface Clearance {
  rule: ModificationRule;
  /** Dictionary keys cleared, or the whole object. */
  keys: readonly string[] | 'all';
  /**
   * For an existing object overwritten in place: the references by which
   * the rule reached it. Every reference to it, before and after, must be
   * one of these, or the change also alters whatever else uses it.
   */
  via?: readonly Edge[];
  path?: string | null;
  covers?: { page: number | null; rect: [number, number, number, number]; opaque: boolean };
  en?: string;
  vi?: string;
}

export interface Refusal {
  rule: ModificationRule;
  keys: readonly string[] | 'all';
  en: string;
  vi: string;
  path?: string | null;
  covers?: { page: number | null; rect: [number, number, number, number]; opaque: boolean };
}

export type Target = number | 'trailer';

/**
 * What rules see of one revision: both views, the delta between them, the
 * permissions in force, and where they record what they clear or refuse.
 */
export class DiffContext {
  readonly clearances = new Map<Target, Clearance[]>();
  readonly refusals = new Map<Target, Refusal[]>();
  /** Widgets of new or newly signed signature fields, with the rule that accepted them. */
  readonly signatureWidgets = new Map<number, ModificationRule>();
  /** New or newly signed signature fields that a rule accepted, by field object number. */
  readonly acceptedFields = new Map<number, ModificationRule>();
  /** New annotations (not widgets) that a rule accepted. */
  readonly newAnnotations = new Map<number, ModificationRule>();
  private readonly fieldCache = new Map<PdfReader, FormField[]>();

  constructor(
    readonly revision: number,
    readonly before: PdfReader,
    readonly after: PdfReader,
    readonly delta: RevisionDelta,
    readonly refsBefore: ReferenceIndex,
    readonly refsAfter: ReferenceIndex,
    /** The DocMDP level in force for this revision. */
    readonly docMdp: DocMdpLevel,
    readonly locks: readonly FieldLock[],
    readonly signatureIntact: (sigDictNum: number) => boolean,
  ) {}

  clear(target: Target, c: Clearance): void {
    const list = this.clearances.get(target) ?? [];
    list.push(c);
    this.clearances.set(target, list);
  }

  refuse(target: Target, r: Refusal): void {
    const list = this.refusals.get(target) ?? [];
    list.push(r);
    this.refusals.set(target, list);
  }

  /** Did this revision make or redefine `n`? */
  touched(n: number): boolean {
    return this.delta.added.has(n) || this.delta.changed.has(n);
  }

  /**
   * A number the revision brought into use: new, or an old definition that
   * nothing referred to (an orphan whose number was reused).
   */
  isNew(n: number): boolean {
    if (this.delta.added.has(n)) return true;
    if (!this.delta.changed.has(n)) return false;
    let known = this.knownReferenced.get(n);
    if (known === undefined) {
      known = this.structurallyReferenced(n) || this.refsBefore.referrers(n).length > 0;
      this.knownReferenced.set(n, known);
    }
    return !known;
  }

  private readonly knownReferenced = new Map<number, boolean>();

  /**
   * Referenced in the old revision by its structure, known without looking
   * for referrers: the catalog and /Info, what the catalog and the form
   * name, and a page (it names its parent; walking a 30,000-kid page tree
   * node to find it again would cost more than the analysis).
   */
  private structurallyReferenced(n: number): boolean {
    const t = this.before.trailer;
    for (const k of ['Root', 'Info']) {
      const v = t.get(k);
      if (v instanceof PdfRef && v.num === n) return true;
    }
    const catalog = this.catalogIn(this.before);
    if (!catalog) return false;
    const named = (d: PdfDict | null): boolean => d !== null && [...d.map.values()].some((v) => v instanceof PdfRef && v.num === n);
    if (named(catalog)) return true;
    const af = this.resolveIn(this.before, catalog.get('AcroForm'));
    if (af instanceof PdfDict && named(af)) return true;
    const old = this.objectIn(this.before, n);
    return old instanceof PdfDict && old.getName('Type') === 'Page' && old.get('Parent') instanceof PdfRef;
  }

  objectIn(view: PdfReader, n: number): PdfObject {
    try {
      return view.getObject(new PdfRef(n, view.generationOf(n)));
    } catch {
      return null;
    }
  }

  resolveIn(view: PdfReader, o: PdfObject | undefined): PdfObject {
    try {
      return view.resolve(o);
    } catch {
      return null;
    }
  }

  catalogIn(view: PdfReader): PdfDict | null {
    const c = this.resolveIn(view, view.trailer.get('Root'));
    return c instanceof PdfDict ? c : null;
  }

  catalogNum(view: PdfReader): number | null {
    const r = view.trailer.get('Root');
    return r instanceof PdfRef ? r.num : null;
  }

  fields(view: PdfReader): FormField[] {
    let f = this.fieldCache.get(view);
    if (!f) {
      f = formFields(view);
      this.fieldCache.set(view, f);
    }
    return f;
  }

  /** Locks in force for a field of this name in this revision. */
  locksOn(name: string): FieldLock[] {
    return this.locks.filter((l) => lockCovers(l, name));
  }
}
