import { PdfDict, PdfRef } from './objects.js';
import type { PdfReader } from './reader.js';

/** What the catalog's /Perms /DocMDP says: the certification signature and its DocMDP transforms. */
export interface DocMdpEntry {
  /** The reference /Perms /DocMDP holds; null when it is a direct dictionary. */
  readonly signatureRef: PdfRef | null;
  /** The certification signature dictionary it points at. */
  readonly signature: PdfDict;
  /**
   * The /P of each DocMDP signature reference (/TransformMethod /DocMDP) in
   * the signature's /Reference, in order; undefined where /TransformParams
   * or its /P is missing (ISO 32000-1 reads that as 2).
   */
  readonly permissions: readonly (number | undefined)[];
}

/**
 * Reads the document's certification (DocMDP, ISO 32000-1 §12.8.2.2) as the
 * catalog states it; null when /Perms has no /DocMDP signature dictionary.
 * Structure only: whether that signature is valid is its readers' business
 * (signing refuses to break it, verification judges it). Errors of the
 * reader propagate.
 */
export function readDocMdp(reader: PdfReader): DocMdpEntry | null {
  const perms = reader.resolve(reader.catalog().get('Perms'));
  if (!(perms instanceof PdfDict)) return null;
  const entry = perms.get('DocMDP');
  const signature = reader.resolve(entry);
  if (!(signature instanceof PdfDict)) return null;
  const permissions: (number | undefined)[] = [];
  const refs = reader.resolve(signature.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = reader.resolve(r);
    if (!(ref instanceof PdfDict) || ref.getName('TransformMethod') !== 'DocMDP') continue;
    const params = reader.resolve(ref.get('TransformParams'));
    permissions.push(params instanceof PdfDict ? params.getNumber('P') : undefined);
  }
  return { signatureRef: entry instanceof PdfRef ? entry : null, signature, permissions };
}
