import { PdfDict, PdfName, PdfReader, PdfRef, PdfStream, type PdfObject } from '../pdf/index.js';

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
  readonly pageNums = new Map<number, PdfRef>();
  readonly annotsArrayNums = new Set<number>();
  readonly contentStreamNums = new Set<number>();
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
      this.collectFields(reader.resolve(fields), 0, new Set());
    }
    const pages = safe(() => reader.pageRefs()) ?? [];
    for (const ref of pages) {
      this.pageNums.set(ref.num, ref);
      const page = reader.resolve(ref);
      if (!(page instanceof PdfDict)) continue;
      const annots = page.get('Annots');
      if (annots instanceof PdfRef) this.annotsArrayNums.add(annots.num);
      const contents = page.get('Contents');
      for (const c of [contents, ...asArray(reader.resolve(contents))]) if (c instanceof PdfRef) this.contentStreamNums.add(c.num);
    }
    this.collectDss(catalog.get('DSS'));
  }

  private collectFields(list: PdfObject, depth: number, seen: Set<number>): void {
    if (!Array.isArray(list) || depth > 32) return;
    for (const item of list) {
      if (!(item instanceof PdfRef) || seen.has(item.num)) continue;
      seen.add(item.num);
      const f = this.reader.resolve(item);
      if (!(f instanceof PdfDict)) continue;
      const kids = this.reader.resolve(f.get('Kids'));
      if (Array.isArray(kids) && kids.some((k) => { const d = this.reader.resolve(k); return d instanceof PdfDict && d.has('T'); })) {
        this.collectFields(kids, depth + 1, seen);
        continue;
      }
      this.fieldNums.add(item.num);
      if (fieldType(this.reader, f) === 'Sig') this.signatureFieldNums.add(item.num);
    }
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
