import { formFields, PdfDict, PdfRef, type PdfObject, type PdfReader } from '../pdf/index.js';

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
  return formFields(reader)
    .filter((f) => f.type === 'Sig' && f.dict.get('V') !== undefined)
    .map((f) => {
      const v = f.dict.get('V')!;
      const sig = reader.resolve(v);
      return { name: f.name, fieldRef: f.ref, value: v, sigRef: v instanceof PdfRef ? v : null, sig: sig instanceof PdfDict ? sig : null };
    });
}
