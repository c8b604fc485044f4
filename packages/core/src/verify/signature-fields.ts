import { PdfDict, PdfRef, PdfString, type PdfObject, type PdfReader } from '../pdf/index.js';

export interface SignatureFieldEntry {
  /** Fully qualified field name (parent names joined with '.'). */
  name: string;
  fieldRef: PdfRef | null;
  /** The /V value: a reference to the signature dictionary (an inline one is malformed). */
  value: PdfObject;
  sigRef: PdfRef | null;
  sig: PdfDict | null;
}

/**
 * Signed signature fields of the current revision, in /Fields order. A
 * signature counts only as its field's /V: a stray /Sig dictionary proves
 * nothing a viewer would show.
 */
export function signatureFields(reader: PdfReader): SignatureFieldEntry[] {
  const out: SignatureFieldEntry[] = [];
  let catalog: PdfDict;
  try {
    catalog = reader.catalog();
  } catch {
    return out;
  }
  const acroForm = reader.resolve(catalog.get('AcroForm'));
  if (!(acroForm instanceof PdfDict)) return out;
  const seen = new Set<string>();
  const walk = (list: PdfObject, prefix: string, inheritedFt: string | undefined, depth: number): void => {
    if (!Array.isArray(list) || depth > 32) return;
    for (const item of list) {
      if (item instanceof PdfRef) {
        if (seen.has(item.key)) continue;
        seen.add(item.key);
      }
      const field = reader.resolve(item);
      if (!(field instanceof PdfDict)) continue;
      const t = field.get('T');
      const partial = t instanceof PdfString ? t.toText() : '';
      const name = prefix && partial ? `${prefix}.${partial}` : prefix || partial;
      const ft = field.getName('FT') ?? inheritedFt;
      const kids = reader.resolve(field.get('Kids'));
      if (Array.isArray(kids) && kids.some((k) => { const d = reader.resolve(k); return d instanceof PdfDict && d.has('T'); })) {
        walk(kids, name, ft, depth + 1);
        continue;
      }
      if (ft !== 'Sig') continue;
      const v = field.get('V');
      if (v === undefined) continue;
      const sig = reader.resolve(v);
      out.push({
        name,
        fieldRef: item instanceof PdfRef ? item : null,
        value: v,
        sigRef: v instanceof PdfRef ? v : null,
        sig: sig instanceof PdfDict ? sig : null,
      });
    }
  };
  walk(reader.resolve(acroForm.get('Fields')), '', undefined, 0);
  return out;
}
