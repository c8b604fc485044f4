import { KysoError } from '../errors.js';
import { formFields, PdfDict, PdfReader, PdfRef, type LocatedValue, type PdfObject } from '../pdf/index.js';
import { salvageDict, unreachableSignatures } from './salvage.js';

export interface SignatureFieldEntry {
  /** Fully qualified field name (parent names joined with '.'); empty when no field names it. */
  name: string;
  fieldRef: PdfRef | null;
  /** The /V value: a reference to the signature dictionary (an inline one is malformed). */
  value: PdfObject;
  sigRef: PdfRef | null;
  /** The signature dictionary, or what of it could be read when it does not parse whole. */
  sig: PdfDict | null;
  /**
   * Set when the dictionary was read entry by entry because it does not
   * parse as an object (or lies outside every revision): where its values
   * lie, and which of them could not be read.
   */
  salvaged: { located: Map<string, LocatedValue>; unreadable: Map<string, { code: string; message: string; messageVi: string }> } | null;
  /** The dictionary lies in bytes after the file's last readable revision, where no readable field refers to it. */
  unreachable: boolean;
  /**
   * The field was there in an earlier revision but the current document no
   * longer shows it (its form, its catalog, or the field itself replaced by
   * a later update): the signature is still reported, and what removed it is
   * for modification analysis to judge.
   */
  removedLater?: boolean;
}

/**
 * Signed signature fields of the current revision, in /Fields order, then
 * the signature dictionaries found in bytes after the last readable
 * revision (a file cut short after signing). A signature counts only as a
 * field's /V: a stray /Sig dictionary inside the document proves nothing a
 * viewer would show; one in a damaged tail is reported, never trusted.
 *
 * A field whose /V is a reference is always an entry, even when the object
 * it names does not parse or is not a dictionary: the verifier reports it
 * as a broken signature. A direct `null` /V is no value (PDF 32000-1 §7.3.9).
 */
export function signatureFields(reader: PdfReader, bytes: Uint8Array = reader.bytes): SignatureFieldEntry[] {
  const out: SignatureFieldEntry[] = formFields(reader)
    .filter((f) => f.type === 'Sig' && f.dict.get('V') !== undefined && f.dict.get('V') !== null)
    .map((f) => {
      const v = f.dict.get('V')!;
      const sigRef = v instanceof PdfRef ? v : null;
      let sig: PdfObject = null;
      let salvaged: SignatureFieldEntry['salvaged'] = null;
      try {
        sig = reader.resolve(v);
      } catch (e) {
        if (!(e instanceof KysoError) || !sigRef) throw e;
        // The object does not parse (e.g. a /Contents with non-hex characters): read what it can.
        const at = reader.entry(sigRef.num);
        const d = at?.type === 1 ? salvageDict(bytes, reader.definitionOffset(sigRef.num) ?? at.offset) : undefined;
        if (d) {
          // Read past the parser, so not decrypted by the reader: its strings are still encrypted in an encrypted file.
          sig = reader.decryptObject(d.dict, d.num, d.gen);
          salvaged = { located: d.located, unreadable: d.unreadable };
        }
      }
      return { name: f.name, fieldRef: f.ref, value: v, sigRef, sig: sig instanceof PdfDict ? sig : null, salvaged, unreachable: false };
    });

  // Signatures of earlier revisions that the current one no longer lists: a swapped catalog or form must not make them vanish.
  const listed = new Set(out.map((e) => e.sigRef?.num).filter((n) => n !== undefined));
  for (let r = reader.revisions.length - 2; r >= 0; r--) {
    let view: PdfReader;
    try {
      view = reader.prefix(reader.revisions[r]!.endOffset);
    } catch {
      continue;
    }
    for (const f of formFields(view)) {
      const v = f.dict.get('V');
      if (f.type !== 'Sig' || !(v instanceof PdfRef) || listed.has(v.num)) continue;
      listed.add(v.num);
      let sig: PdfObject = null;
      try {
        sig = view.resolve(v);
      } catch {
        sig = null;
      }
      out.push({ name: f.name, fieldRef: f.ref, value: v, sigRef: v, sig: sig instanceof PdfDict ? sig : null, salvaged: null, unreachable: false, removedLater: true });
    }
  }

  const last = reader.revisions[reader.revisions.length - 1];
  if (last && last.endOffset < bytes.length) {
    const known = new Set(out.map((e) => e.sigRef?.num).filter((n) => n !== undefined));
    for (const u of unreachableSignatures(bytes, last.endOffset, (o, num, gen) => reader.decryptObject(o, num, gen))) {
      if (known.has(u.dict.num)) continue;
      const ref = new PdfRef(u.dict.num, u.dict.gen);
      out.push({ name: u.fieldName ?? '', fieldRef: null, value: ref, sigRef: ref, sig: u.dict.dict, salvaged: { located: u.dict.located, unreadable: u.dict.unreadable }, unreachable: true });
    }
  }
  return out;
}
