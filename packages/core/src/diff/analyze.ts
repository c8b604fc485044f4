import { PdfDict, PdfReader, PdfRef, PdfStream, type PdfObject } from '../pdf/index.js';
import type { Modification } from './modification.js';
import { changedKeys, sameObject } from './object-equality.js';
import { asArray, fieldType, isSignatureDictionary, isStructuralStream, RevisionContext } from './revision-context.js';

export interface DiffOptions {
  /** DocMDP permission of the document's certification signature (1, 2 or 3), if it has one. */
  docMdp?: 1 | 2 | 3 | undefined;
}

/** Catalog entries a later revision may change: signing and LTV data. */
const CATALOG_ALLOWED = new Set(['AcroForm', 'DSS', 'Extensions', 'Metadata']);
/** AcroForm entries that signing (and form filling) touch. */
const ACROFORM_ALLOWED = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);
/** Entries of an existing empty signature field that signing fills in. */
const SIG_FIELD_ALLOWED = new Set(['V', 'AP', 'AS', 'Lock', 'SV', 'F', 'MK', 'DR', 'DA']);
/** Entries of another form field that filling changes. */
const FORM_FIELD_ALLOWED = new Set(['V', 'AP', 'AS']);

/**
 * Object-level comparison of each revision with the one before it. Every
 * change is suspicious unless a rule clears it; the rules are those of
 * PAdES signing and LTV (new signature fields, DSS, document timestamps)
 * and, as far as DocMDP allows, form filling and annotations.
 */
export class ModificationAnalyzer {
  private readonly readers = new Map<number, PdfReader>();
  private readonly contexts = new Map<number, RevisionContext>();
  private readonly perRevision = new Map<number, Modification[]>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly current: PdfReader,
    private readonly options: DiffOptions = {},
  ) {}

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

  private reader(r: number): PdfReader {
    let reader = this.readers.get(r);
    if (!reader) {
      const end = this.current.revisions[r]!.endOffset;
      reader = r === this.current.revisions.length - 1 && end === this.bytes.length ? this.current : PdfReader.open(this.bytes.subarray(0, end), { allowEncrypted: true });
      this.readers.set(r, reader);
    }
    return reader;
  }

  private context(r: number): RevisionContext {
    let c = this.contexts.get(r);
    if (!c) {
      c = new RevisionContext(this.reader(r));
      this.contexts.set(r, c);
    }
    return c;
  }

  private classify(r: number): Modification[] {
    const revision = this.current.revisions[r]!;
    const nums = new Set<number>();
    for (const s of revision.sections) for (const n of s.numbers()) nums.add(n);
    let before: PdfReader;
    let after: PdfReader;
    let cb: RevisionContext;
    let ca: RevisionContext;
    try {
      before = this.reader(r - 1);
      after = this.reader(r);
      cb = this.context(r - 1);
      ca = this.context(r);
    } catch {
      return [mod(r, null, 'bytes', 'suspicious', 'unreadable-revision', `Revision ${r} cannot be read as a PDF revision.`, `Không đọc được phiên bản ${r} của tài liệu.`)];
    }
    const mods: Modification[] = [];
    const newlySigned = new Set<number>();
    for (const n of ca.signatureFieldNums) {
      const a = after.resolve(after.entry(n) ? new PdfRef(n, after.generationOf(n)) : null);
      const b = cb.signatureFieldNums.has(n) ? before.resolve(new PdfRef(n, before.generationOf(n))) : undefined;
      if (a instanceof PdfDict && a.has('V') && !(b instanceof PdfDict && b.has('V'))) newlySigned.add(n);
    }
    for (const n of nums) {
      const m = this.classifyObject(r, n, before, after, cb, ca, newlySigned);
      if (m) mods.push(m);
    }
    if (this.options.docMdp === 1) {
      for (const m of mods) {
        if (m.verdict === 'allowed' && !['dss', 'document-timestamp', 'rewritten-identical', 'structure'].includes(m.category)) {
          m.verdict = 'suspicious';
          m.reason += ' The certification signature permits no changes (DocMDP P=1).';
          m.reasonVi += ' Chữ ký chứng nhận không cho phép bất kỳ thay đổi nào (DocMDP P=1).';
        }
      }
    }
    return mods;
  }

  private classifyObject(
    r: number,
    n: number,
    before: PdfReader,
    after: PdfReader,
    cb: RevisionContext,
    ca: RevisionContext,
    newlySigned: Set<number>,
  ): Modification | undefined {
    const eb = before.entry(n);
    const ea = after.entry(n);
    const existedBefore = eb !== null && eb.type !== 0;
    if (ea === null || ea.type === 0) {
      if (!existedBefore) return undefined;
      return mod(r, n, 'deleted', 'suspicious', 'deleted', `Object ${n} was deleted after signing.`, `Đối tượng ${n} đã bị xoá sau khi ký.`);
    }
    let a: PdfObject;
    let b: PdfObject = null;
    try {
      a = after.getObject(new PdfRef(n, after.generationOf(n)));
      if (existedBefore) b = before.getObject(new PdfRef(n, before.generationOf(n)));
    } catch {
      return mod(r, n, existedBefore ? 'changed' : 'added', 'suspicious', 'unreadable', `Object ${n} cannot be read.`, `Không đọc được đối tượng ${n}.`);
    }
    if (isStructuralStream(a)) return undefined;
    if (!existedBefore || b === null) return this.added(r, n, a, ca);
    if (sameObject(b, a)) return mod(r, n, 'changed', 'allowed', 'rewritten-identical', `Object ${n} was written again without changes.`, `Đối tượng ${n} được ghi lại nhưng không thay đổi.`);

    const ok = (category: string, en: string, vi: string): Modification => mod(r, n, 'changed', 'allowed', category, en, vi);
    const bad = (category: string, en: string, vi: string): Modification => mod(r, n, 'changed', 'suspicious', category, en, vi);

    if (n === cb.catalogNum && b instanceof PdfDict && a instanceof PdfDict) {
      const keys = changedKeys(b, a);
      const other = keys.filter((k) => !CATALOG_ALLOWED.has(k));
      if (other.length > 0) return bad('catalog', `The document catalog changed after signing (${other.map((k) => `/${k}`).join(', ')}).`, `Danh mục gốc của tài liệu bị thay đổi sau khi ký (${other.map((k) => `/${k}`).join(', ')}).`);
      const bAf = b.get('AcroForm');
      const aAf = a.get('AcroForm');
      if (keys.includes('AcroForm') && bAf instanceof PdfDict && aAf instanceof PdfDict) {
        const problem = this.acroFormProblem(bAf, aAf, before, after, ca);
        if (problem) return bad('form', problem[0], problem[1]);
      }
      return ok('catalog', `Catalog: ${keys.map((k) => `/${k}`).join(', ')} updated (signing or LTV data).`, `Danh mục gốc: cập nhật ${keys.map((k) => `/${k}`).join(', ')} (dữ liệu ký hoặc kiểm tra dài hạn).`);
    }
    if (n === cb.acroFormNum && b instanceof PdfDict && a instanceof PdfDict) {
      const problem = this.acroFormProblem(b, a, before, after, ca);
      return problem ? bad('form', problem[0], problem[1]) : ok('form', 'The form gained signature fields.', 'Biểu mẫu được thêm trường chữ ký.');
    }
    if (n === cb.fieldsArrayNum) {
      const problem = this.listProblem(asArray(b), asArray(a), (ref) => ca.signatureFieldNums.has(ref.num));
      return problem ? bad('form', 'The list of form fields changed beyond adding signature fields.', 'Danh sách trường biểu mẫu bị thay đổi ngoài việc thêm trường chữ ký.') : ok('form', 'Signature fields were added to the form.', 'Trường chữ ký được thêm vào biểu mẫu.');
    }
    if (cb.isPage(n) && b instanceof PdfDict && a instanceof PdfDict) {
      const keys = changedKeys(b, a);
      if (keys.some((k) => k !== 'Annots')) return bad('page', `Page object ${n} changed after signing (${keys.map((k) => `/${k}`).join(', ')}).`, `Trang (đối tượng ${n}) bị thay đổi sau khi ký (${keys.map((k) => `/${k}`).join(', ')}).`);
      return this.annotsVerdict(r, n, asArray(before.resolve(b.get('Annots'))), asArray(after.resolve(a.get('Annots'))), after, ca);
    }
    if (Array.isArray(b) && cb.isAnnotsArray(n)) return this.annotsVerdict(r, n, asArray(b), asArray(a), after, ca);
    if (cb.signatureFieldNums.has(n) && b instanceof PdfDict && a instanceof PdfDict) {
      const keys = changedKeys(b, a);
      if (!b.has('V') && keys.every((k) => SIG_FIELD_ALLOWED.has(k))) return ok('signature-field', 'An empty signature field was signed.', 'Một trường chữ ký còn trống đã được ký.');
      return bad('signature-field', `Signature field ${n} was altered after it was signed (${keys.map((k) => `/${k}`).join(', ')}).`, `Trường chữ ký ${n} bị sửa sau khi đã ký (${keys.map((k) => `/${k}`).join(', ')}).`);
    }
    if (cb.fieldNums.has(n) && b instanceof PdfDict && a instanceof PdfDict && this.options.docMdp !== undefined && this.options.docMdp >= 2) {
      const keys = changedKeys(b, a);
      if (keys.every((k) => FORM_FIELD_ALLOWED.has(k))) return ok('form-fill', 'A form field was filled in, as the certification permits.', 'Một trường biểu mẫu được điền, trong phạm vi chữ ký chứng nhận cho phép.');
    }
    if (n === cb.infoNum && b instanceof PdfDict && a instanceof PdfDict) {
      return ok('metadata', 'The document information (/Info: dates, producer) was updated.', 'Thông tin tài liệu (/Info: ngày, phần mềm tạo) được cập nhật.');
    }
    if (n === cb.metadataNum && b instanceof PdfStream && b.dict.getName('Type') === 'Metadata') {
      // Signing tools (Acrobat among them) refresh the XMP packet; it is not drawn on any page.
      return ok('metadata', 'The XMP metadata was updated.', 'Siêu dữ liệu XMP được cập nhật.');
    }
    if (cb.dssNums.has(n)) return ok('dss', 'Long-term validation data (DSS) was updated.', 'Dữ liệu kiểm tra dài hạn (DSS) được cập nhật.');
    if (isSignatureDictionary(b)) return bad('signature-dictionary', `The signature dictionary ${n} was rewritten after signing.`, `Từ điển chữ ký ${n} bị ghi đè sau khi ký.`);
    if (b instanceof PdfStream && this.isAppearanceOfNewlySigned(n, before, after, newlySigned)) {
      return ok('signature-appearance', 'The appearance of a newly signed field was replaced.', 'Hình thể hiện của trường chữ ký vừa ký được thay mới.');
    }
    return bad(...describeChange(n, b, cb));
  }

  private added(r: number, n: number, a: PdfObject, ca: RevisionContext): Modification {
    if (isSignatureDictionary(a)) {
      const ts = a instanceof PdfDict && a.getName('Type') === 'DocTimeStamp';
      return ts
        ? mod(r, n, 'added', 'allowed', 'document-timestamp', 'A document timestamp was added.', 'Dấu thời gian cho tài liệu được thêm vào.')
        : mod(r, n, 'added', 'allowed', 'signature', 'A signature was added.', 'Một chữ ký được thêm vào.');
    }
    if (ca.signatureFieldNums.has(n)) return mod(r, n, 'added', 'allowed', 'signature-field', 'A signature field was added.', 'Một trường chữ ký được thêm vào.');
    if (ca.dssNums.has(n)) return mod(r, n, 'added', 'allowed', 'dss', 'Long-term validation data (DSS) was added.', 'Dữ liệu kiểm tra dài hạn (DSS) được thêm vào.');
    if (a instanceof PdfDict && a.has('Subtype') && a.getName('Type') !== 'XObject' && (a.getName('Type') === 'Annot' || a.has('Rect'))) {
      if (a.getName('Subtype') === 'Widget' && a.get('FT') === undefined && !a.has('Parent')) {
        // fall through to the generic rule: a bare widget with no field
      } else if (a.getName('Subtype') !== 'Widget' && this.options.docMdp !== 3) {
        return mod(r, n, 'added', 'suspicious', 'annotation', `An annotation (/${a.getName('Subtype')}) was added after signing.`, `Một chú thích (/${a.getName('Subtype')}) được thêm vào sau khi ký.`);
      }
    }
    if (a instanceof PdfDict && a.getName('Type') === 'Page') return mod(r, n, 'added', 'suspicious', 'page', 'A page was added after signing.', 'Một trang được thêm vào sau khi ký.');
    return mod(r, n, 'added', 'allowed', 'new-object', `Object ${n} was added.`, `Đối tượng ${n} được thêm vào.`);
  }

  private acroFormProblem(b: PdfDict, a: PdfDict, before: PdfReader, after: PdfReader, ca: RevisionContext): [string, string] | undefined {
    const keys = changedKeys(b, a);
    const other = keys.filter((k) => !ACROFORM_ALLOWED.has(k));
    if (other.length > 0) return [`The form dictionary changed after signing (${other.map((k) => `/${k}`).join(', ')}).`, `Từ điển biểu mẫu bị thay đổi sau khi ký (${other.map((k) => `/${k}`).join(', ')}).`];
    if (keys.includes('Fields')) {
      const bf = asArray(before.resolve(b.get('Fields')));
      const af = asArray(after.resolve(a.get('Fields')));
      if (this.listProblem(bf, af, (ref) => ca.signatureFieldNums.has(ref.num))) return ['The list of form fields changed beyond adding signature fields.', 'Danh sách trường biểu mẫu bị thay đổi ngoài việc thêm trường chữ ký.'];
    }
    return undefined;
  }

  /** True when `after` is not `before` plus new items that pass `allowed`. */
  private listProblem(before: PdfObject[], after: PdfObject[], allowed: (ref: PdfRef) => boolean): boolean {
    if (after.length < before.length) return true;
    for (let i = 0; i < before.length; i++) if (!sameObject(before[i], after[i])) return true;
    return after.slice(before.length).some((x) => !(x instanceof PdfRef) || !allowed(x));
  }

  private annotsVerdict(r: number, n: number, b: PdfObject[], a: PdfObject[], after: PdfReader, ca: RevisionContext): Modification {
    const isSigWidget = (ref: PdfRef): boolean => {
      const d = after.resolve(ref);
      return d instanceof PdfDict && d.getName('Subtype') === 'Widget' && (ca.signatureFieldNums.has(ref.num) || fieldType(after, d) === 'Sig');
    };
    const annotationsPermitted = this.options.docMdp === 3;
    if (!this.listProblem(b, a, isSigWidget)) return mod(r, n, 'changed', 'allowed', 'signature-field', 'A signature widget was added to a page.', 'Một ô chữ ký được thêm vào trang.');
    if (annotationsPermitted && !this.listProblem(b, a, () => true)) return mod(r, n, 'changed', 'allowed', 'annotation', 'Annotations were added, as the certification permits.', 'Chú thích được thêm vào, trong phạm vi chữ ký chứng nhận cho phép.');
    return mod(r, n, 'changed', 'suspicious', 'annotation', 'Annotations on a page were added or changed after signing.', 'Chú thích trên trang bị thêm hoặc thay đổi sau khi ký.');
  }

  /**
   * A newly signed field may replace its own appearance stream in place, but
   * only if nothing else in the signed revision uses that stream: otherwise
   * the "appearance" update redraws content elsewhere (a known attack).
   */
  private isAppearanceOfNewlySigned(n: number, before: PdfReader, after: PdfReader, newlySigned: Set<number>): boolean {
    let isAppearance = false;
    for (const f of newlySigned) {
      const field = after.resolve(new PdfRef(f, after.generationOf(f)));
      if (field instanceof PdfDict && referencesObject(after, field.get('AP'), n, 3)) isAppearance = true;
    }
    if (!isAppearance) return false;
    // Who else refers to it in the signed revision?
    for (let i = 1; i < before.size; i++) {
      if (i === n || newlySigned.has(i)) continue;
      const e = before.entry(i);
      if (!e || e.type === 0) continue;
      let o: PdfObject;
      try {
        o = before.getObject(new PdfRef(i, before.generationOf(i)));
      } catch {
        continue;
      }
      if (containsRef(o, n, 0)) return false;
    }
    return true;
  }
}

function referencesObject(reader: PdfReader, o: PdfObject | undefined, n: number, depth: number): boolean {
  if (o instanceof PdfRef) return o.num === n || (depth > 0 && referencesObject(reader, reader.resolve(o), n, depth - 1));
  if (o instanceof PdfDict) return [...o.keys()].some((k) => referencesObject(reader, o.get(k), n, depth));
  return false;
}

function containsRef(o: PdfObject, n: number, depth: number): boolean {
  if (depth > 32) return false;
  if (o instanceof PdfRef) return o.num === n;
  if (Array.isArray(o)) return o.some((x) => containsRef(x, n, depth + 1));
  if (o instanceof PdfDict) return [...o.map.values()].some((x) => containsRef(x, n, depth + 1));
  if (o instanceof PdfStream) return containsRef(o.dict, n, depth + 1);
  return false;
}

function describeChange(n: number, b: PdfObject, cb: RevisionContext): [string, string, string] {
  if (b instanceof PdfStream && cb.isContentStream(n)) return ['page-content', `A page's content stream (object ${n}) was changed after signing.`, `Nội dung hiển thị của một trang (đối tượng ${n}) bị thay đổi sau khi ký.`];
  const dict = b instanceof PdfStream ? b.dict : b instanceof PdfDict ? b : undefined;
  const type = dict?.getName('Type');
  const subtype = dict?.getName('Subtype');
  if (type === 'Pages') return ['page-tree', `The page tree (object ${n}) was changed after signing.`, `Cây trang (đối tượng ${n}) bị thay đổi sau khi ký.`];
  if (type === 'Font' || subtype === 'Image' || subtype === 'Form' || type === 'XObject') {
    return ['resource', `A resource used to draw the document (object ${n}, ${subtype ?? type}) was redefined after signing.`, `Một tài nguyên hiển thị (đối tượng ${n}, ${subtype ?? type}) bị định nghĩa lại sau khi ký.`];
  }
  if (type === 'Annot' || dict?.has('Rect')) return ['annotation', `An annotation (object ${n}) was changed after signing.`, `Một chú thích (đối tượng ${n}) bị thay đổi sau khi ký.`];
  return ['object', `Object ${n}${type ? ` (/${type})` : ''} was changed after signing.`, `Đối tượng ${n}${type ? ` (/${type})` : ''} bị thay đổi sau khi ký.`];
}

function mod(revision: number, object: number | null, change: Modification['change'], verdict: Modification['verdict'], category: string, reason: string, reasonVi: string): Modification {
  return { revision, object, change, verdict, category, reason, reasonVi };
}
