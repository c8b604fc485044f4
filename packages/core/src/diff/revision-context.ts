import { formFields, PdfDict, PdfName, PdfReader, PdfRef, PdfStream, type PdfObject } from '../pdf/index.js';

/**
 * What a modification rule needs to know about one revision's document:
 * which object numbers play which structural role.
 */
export class RevisionContext {
  readonly catalogNum: number | undefined;
  readonly acroFormNum: number | undefined;
  readonly fieldsArrayNum: number | undefined;
  readonly metadataNum: number | undefined;
  /** The trailer's /Info dictionary (document information: title, dates). */
  readonly infoNum: number | undefined;
  /** Page-tree facts, gathered only when a rule needs them: walking 30,000 pages costs more than verifying. */
  private pageFacts: { pages: Set<number>; annots: Set<number>; contents: Set<number> } | undefined;
  readonly dssNums = new Set<number>();
  /** Terminal fields by object number (signature and other form fields). */
  readonly fieldNums = new Set<number>();
  readonly signatureFieldNums = new Set<number>();

  constructor(readonly reader: PdfReader) {
    const info = reader.trailer.get('Info');
    this.infoNum = info instanceof PdfRef ? info.num : undefined;
    const rootRef = reader.trailer.get('Root');
    this.catalogNum = rootRef instanceof PdfRef ? rootRef.num : undefined;
    const catalog = safe(() => reader.catalog());
    if (!catalog) return;
    const md = catalog.get('Metadata');
    this.metadataNum = md instanceof PdfRef ? md.num : undefined;
    const af = catalog.get('AcroForm');
    if (af instanceof PdfRef) this.acroFormNum = af.num;
    const acroForm = reader.resolve(af);
    if (acroForm instanceof PdfDict) {
      const fields = acroForm.get('Fields');
      if (fields instanceof PdfRef) this.fieldsArrayNum = fields.num;
      for (const f of formFields(reader)) {
        if (!f.ref) continue;
        this.fieldNums.add(f.ref.num);
        if (f.type === 'Sig') this.signatureFieldNums.add(f.ref.num);
      }
    }
    this.collectDss(catalog.get('DSS'));
  }

  /** Is object `n` a page? Judged by its own type, so no page-tree walk is needed. */
  isPage(n: number): boolean {
    const o = this.object(n);
    return o instanceof PdfDict && o.getName('Type') === 'Page';
  }

  /** Is object `n` an indirect /Annots array of some page? */
  isAnnotsArray(n: number): boolean {
    return this.pages().annots.has(n);
  }

  /** Is object `n` (part of) a page's /Contents? */
  isContentStream(n: number): boolean {
    return this.pages().contents.has(n);
  }

  private object(n: number): PdfObject {
    const e = this.reader.entry(n);
    if (!e || e.type === 0) return null;
    return safe(() => this.reader.getObject(new PdfRef(n, this.reader.generationOf(n)))) ?? null;
  }

  private pages(): { pages: Set<number>; annots: Set<number>; contents: Set<number> } {
    if (this.pageFacts) return this.pageFacts;
    const facts = { pages: new Set<number>(), annots: new Set<number>(), contents: new Set<number>() };
    for (const ref of safe(() => this.reader.pageRefs()) ?? []) {
      facts.pages.add(ref.num);
      const page = this.reader.resolve(ref);
      if (!(page instanceof PdfDict)) continue;
      const annots = page.get('Annots');
      if (annots instanceof PdfRef) facts.annots.add(annots.num);
      const contents = page.get('Contents');
      for (const c of [contents, ...asArray(this.reader.resolve(contents))]) if (c instanceof PdfRef) facts.contents.add(c.num);
    }
    this.pageFacts = facts;
    return facts;
  }

  private collectDss(dssEntry: PdfObject | undefined): void {
    if (dssEntry instanceof PdfRef) this.dssNums.add(dssEntry.num);
    const dss = this.reader.resolve(dssEntry);
    if (!(dss instanceof PdfDict)) return;
    for (const key of ['Certs', 'OCSPs', 'CRLs', 'VRI']) {
      const v = dss.get(key);
      if (v instanceof PdfRef) this.dssNums.add(v.num);
      const resolved = this.reader.resolve(v);
      for (const item of asArray(resolved)) if (item instanceof PdfRef) this.dssNums.add(item.num);
      if (resolved instanceof PdfDict) {
        // VRI: one dictionary per signature, each with its own arrays.
        for (const k of resolved.keys()) {
          const entry = resolved.get(k);
          if (entry instanceof PdfRef) this.dssNums.add(entry.num);
          const vri = this.reader.resolve(entry);
          if (vri instanceof PdfDict) for (const kk of vri.keys()) {
            const x = vri.get(kk);
            if (x instanceof PdfRef) this.dssNums.add(x.num);
            for (const y of asArray(this.reader.resolve(x))) if (y instanceof PdfRef) this.dssNums.add(y.num);
          }
        }
      }
    }
  }
}

/** /FT of a field, inherited from its parents. */
export function fieldType(reader: PdfReader, field: PdfDict): string | undefined {
  let node: PdfDict | undefined = field;
  for (let i = 0; node && i < 32; i++) {
    const ft = node.getName('FT');
    if (ft) return ft;
    const parent = reader.resolve(node.get('Parent'));
    node = parent instanceof PdfDict ? parent : undefined;
  }
  return undefined;
}

export function isSignatureDictionary(o: PdfObject): boolean {
  if (!(o instanceof PdfDict)) return false;
  const t = o.getName('Type');
  return t === 'Sig' || t === 'DocTimeStamp' || (o.has('ByteRange') && o.has('Contents') && o.has('Filter'));
}

export function isStructuralStream(o: PdfObject): boolean {
  return o instanceof PdfStream && (o.dict.getName('Type') === 'XRef' || o.dict.getName('Type') === 'ObjStm');
}

export function asArray(o: PdfObject | undefined): PdfObject[] {
  return Array.isArray(o) ? o : [];
}

export function isName(o: PdfObject | undefined, v: string): boolean {
  return o instanceof PdfName && o.value === v;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
