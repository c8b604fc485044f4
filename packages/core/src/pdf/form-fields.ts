import { PdfDict, PdfRef, PdfString, type PdfObject } from './objects.js';
import type { PdfReader } from './reader.js';

export interface FormField {
  /** Fully qualified name: parents' partial names joined with '.'. */
  name: string;
  /** The terminal field's reference (null for a field written inline, which is malformed). */
  ref: PdfRef | null;
  dict: PdfDict;
  /** /FT, inherited from the parents when the field itself has none. */
  type: string | undefined;
}

/**
 * The terminal fields of the AcroForm, in /Fields order. A node whose kids
 * carry names (/T) is a parent and is descended; anything else is a terminal
 * field (its kids, if any, are its widgets). Loops and depth are bounded:
 * the structure may be hostile.
 */
export function formFields(reader: PdfReader): FormField[] {
  const out: FormField[] = [];
  let acroForm: PdfObject;
  try {
    acroForm = reader.resolve(reader.catalog().get('AcroForm'));
  } catch {
    return out;
  }
  if (!(acroForm instanceof PdfDict)) return out;
  const seen = new Set<string>();
  const walk = (list: PdfObject, prefix: string, inheritedType: string | undefined, depth: number): void => {
    if (!Array.isArray(list) || depth > 32) return;
    for (const item of list.slice(0, 100_000)) {
      if (item instanceof PdfRef) {
        if (seen.has(item.key)) continue;
        seen.add(item.key);
      }
      let field: PdfObject;
      try {
        field = reader.resolve(item);
      } catch {
        continue;
      }
      if (!(field instanceof PdfDict)) continue;
      const t = field.get('T');
      const partial = t instanceof PdfString ? t.toText() : '';
      const name = prefix && partial ? `${prefix}.${partial}` : prefix || partial;
      const type = field.getName('FT') ?? inheritedType;
      const kids = reader.resolve(field.get('Kids'));
      const isParent = Array.isArray(kids) && kids.some((k) => {
        const d = reader.resolve(k);
        return d instanceof PdfDict && d.has('T');
      });
      if (isParent) walk(kids, name, type, depth + 1);
      else out.push({ name, ref: item instanceof PdfRef ? item : null, dict: field, type });
    }
  };
  walk(reader.resolve(acroForm.get('Fields')), '', undefined, 0);
  return out;
}
