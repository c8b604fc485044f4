import { formFields, PdfDict, PdfReader, readXmp, xmpProperty } from '../pdf/index.js';
import { CERT_BOOK_XMP_PROPERTY, CERT_NUMBER_XMP_PROPERTY, CERTIFIED_COPY_XMP } from '../metadata/index.js';
import type { CertifiedCopyReport, ResultCodeReport, SignatureReport } from './report.js';

function factsAt(reader: PdfReader): { number: number; book: string } | null {
  const xmp = readXmp(reader);
  if (!xmp) return null;
  const n = xmpProperty(xmp.xml, CERTIFIED_COPY_XMP, CERT_NUMBER_XMP_PROPERTY);
  const book = xmpProperty(xmp.xml, CERTIFIED_COPY_XMP, CERT_BOOK_XMP_PROPERTY);
  if (n === null || !/^\d{1,9}$/.test(n) || book === null) return null;
  return { number: Number(n), book };
}

/**
 * The certified-copy facts the document states (certification number and
 * book in kyso's XMP namespace), the signatures whose signed revision carries
 * them, and which signature is the officer's (personal certificate) and
 * which the agency's (organisation certificate). Null when the document
 * states no certification number.
 */
export function certifiedCopyReport(pdf: Uint8Array, reader: PdfReader, signatures: readonly SignatureReport[], resultCode: ResultCodeReport | null): CertifiedCopyReport | null {
  const current = factsAt(reader);
  if (!current) return null;
  const signedBy: number[] = [];
  for (const s of signatures) {
    if (s.revision === null || s.integrity !== 'ok') continue;
    try {
      const at = factsAt(reader.prefix(reader.revisions[s.revision]!.endOffset));
      if (at && at.number === current.number && at.book === current.book) signedBy.push(s.index);
    } catch {
      // a revision that cannot be read signs nothing
    }
  }
  const signing = signatures.filter((s) => s.kind === 'signature' && signedBy.includes(s.index));
  const officer = signing.find((s) => s.signer?.kind === 'personal')?.index ?? null;
  const agency = [...signing].reverse().find((s) => s.signer?.kind === 'organisation')?.index ?? null;
  const code = resultCode && resultCode.signedBy.length > 0 ? resultCode.value : null;
  return {
    certificationNumber: current.number,
    book: current.book,
    resultCode: code,
    signedBy,
    officer,
    agency,
    complete: code !== null && officer !== null && agency !== null && officer < agency && resultCode!.signedBy.includes(officer) && resultCode!.signedBy.includes(agency),
    locked: lockedAfter(reader, signatures, agency),
  };
}

/**
 * Certified, and closed by a P=1 certification or by the agency's FieldMDP
 * lock with P=1 (the P in the field's /Lock, or in the FieldMDP
 * /TransformParams where Acrobat writes it), every signature intact.
 */
function lockedAfter(reader: PdfReader, signatures: readonly SignatureReport[], agency: number | null): boolean {
  const docMdp = signatures.find((s) => s.certification)?.certification?.docMdp;
  if (docMdp === undefined || !signatures.every((s) => s.integrity === 'ok')) return false;
  if (docMdp === 1) return true;
  const field = agency === null ? undefined : signatures.find((s) => s.index === agency)?.field;
  if (field === undefined) return false;
  try {
    const f = formFields(reader).find((x) => x.name === field && x.type === 'Sig');
    const sig = f && reader.resolve(f.dict.get('V'));
    if (!f || !(sig instanceof PdfDict)) return false;
    const refs = reader.resolve(sig.get('Reference'));
    const fieldMdp = (Array.isArray(refs) ? refs.slice(0, 16) : []).map((r) => reader.resolve(r)).find((r): r is PdfDict => r instanceof PdfDict && r.getName('TransformMethod') === 'FieldMDP');
    if (!fieldMdp) return false;
    const params = reader.resolve(fieldMdp.get('TransformParams'));
    const lock = reader.resolve(f.dict.get('Lock'));
    return (params instanceof PdfDict && params.getNumber('P') === 1) || (lock instanceof PdfDict && lock.getNumber('P') === 1);
  } catch {
    return false;
  }
}
