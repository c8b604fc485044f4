import { isResultCode } from '../codes/index.js';
import { PdfDict, PdfReader, PdfString, readXmp, xmpProperty } from '../pdf/index.js';
import { RESULT_CODE_INFO_KEY, RESULT_CODE_XMP, RESULT_CODE_XMP_PROPERTY } from '../metadata/index.js';
import type { ResultCodeReport, SignatureReport } from './report.js';

/** The result code as one revision states it (XMP first, then /Info). */
function codeAt(reader: PdfReader): { value: string; source: 'xmp' | 'info' } | null {
  const xmp = readXmp(reader);
  const fromXmp = xmp ? xmpProperty(xmp.xml, RESULT_CODE_XMP, RESULT_CODE_XMP_PROPERTY) : null;
  if (fromXmp) return { value: fromXmp, source: 'xmp' };
  try {
    const info = reader.resolve(reader.trailer.get('Info'));
    const v = info instanceof PdfDict ? info.get(RESULT_CODE_INFO_KEY) : undefined;
    if (v instanceof PdfString) return { value: v.toText(), source: 'info' };
  } catch {
    // unreadable /Info: no code
  }
  return null;
}

/**
 * The result code the document carries now, and which signatures signed
 * that very value: metadata may legitimately change after signing, so a
 * code no signature covers proves nothing.
 */
export function resultCodeReport(pdf: Uint8Array, reader: PdfReader, signatures: readonly SignatureReport[]): ResultCodeReport | null {
  const current = codeAt(reader);
  if (!current) return null;
  const signedBy: number[] = [];
  for (const s of signatures) {
    if (s.revision === null || s.integrity !== 'ok') continue;
    try {
      const at = codeAt(reader.prefix(reader.revisions[s.revision]!.endOffset));
      if (at?.value === current.value) signedBy.push(s.index);
    } catch {
      // a revision that cannot be read signs nothing
    }
  }
  return { value: current.value, source: current.source, wellFormed: isResultCode(current.value), signedBy };
}
