/**
 * Certification signatures (DocMDP, ISO 32000-1 §12.8.2.2): the first
 * signature of a document states which changes it permits afterwards.
 *
 * What is written, and why:
 * - the signature dictionary's /Reference holds one signature reference
 *   dictionary, /TransformMethod /DocMDP, /TransformParams
 *   << /Type /TransformParams /P n /V /1.2 >>, and /Data pointing at the
 *   catalog (as Acrobat, Adobe Sign and iText write it; the spec leaves
 *   /Data implicit for DocMDP, so a reader ignores it). No /DigestMethod,
 *   /DigestValue or /DigestLocation: those belong to the pre-ISO object
 *   digest, removed from the ISO text and deprecated in PDF 2.0 (errata
 *   pdf-association/pdf-issues#117);
 * - the catalog's /Perms gets /DocMDP pointing at the signature dictionary
 *   (merged into an existing /Perms), in the signature's own update. Without
 *   it viewers treat the signature as an approval signature.
 */
import { KysoError } from '../errors.js';
import { formFields, PdfDict, PdfName, PdfRef, type IncrementalWriter, type PdfReader } from '../pdf/index.js';

/** DocMDP / FieldMDP permission: 1 no changes, 2 form filling and signing, 3 also annotations. */
export type MdpPermission = 1 | 2 | 3;

export interface CertifyOptions {
  /**
   * 1: no changes at all (not even another signature; only DSS and
   * document timestamps); 2: filling forms and signing; 3: also
   * annotations. Use 2 when others will sign after you.
   */
  permissions: MdpPermission;
}

export function isMdpPermission(p: unknown): p is MdpPermission {
  return p === 1 || p === 2 || p === 3;
}

/** Checks the `certify` option's shape (it may come from JSON or a form). */
export function validateCertify(certify: unknown): CertifyOptions {
  const p = typeof certify === 'object' && certify !== null ? (certify as { permissions?: unknown }).permissions : undefined;
  if (!isMdpPermission(p)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'certify.permissions must be 1 (no changes), 2 (form filling and signing) or 3 (also annotations).', {
      vi: 'certify.permissions phải là 1 (không cho phép thay đổi), 2 (điền biểu mẫu và ký) hoặc 3 (thêm cả chú thích).',
    });
  }
  return { permissions: p };
}

/**
 * Certification must be the first signature (§12.8.2.2: "it shall be the
 * first signed field in the document"): refuses a document that already
 * has a signed signature field or a certification.
 */
export function assertCanCertify(reader: PdfReader): void {
  const perms = reader.resolve(reader.catalog().get('Perms'));
  const certified = perms instanceof PdfDict && perms.get('DocMDP') !== undefined;
  const signed = certified || formFields(reader).some((f) => f.type === 'Sig' && f.dict.get('V') !== undefined);
  if (signed) {
    throw new KysoError(
      'SIGN_CERTIFY_NOT_FIRST',
      certified
        ? 'The document is already certified: a document has only one certification signature. Sign it as an approval signature (without certify).'
        : 'The document is already signed: a certification must be the first signature. Certify the unsigned original, or sign this file without certify.',
      {
        vi: certified
          ? 'Tài liệu đã có chữ ký chứng nhận: mỗi tài liệu chỉ có một chữ ký chứng nhận. Hãy ký phê duyệt (không dùng certify).'
          : 'Tài liệu đã được ký: chữ ký chứng nhận phải là chữ ký đầu tiên. Hãy chứng nhận bản gốc chưa ký, hoặc ký tệp này không dùng certify.',
      },
    );
  }
}

/** The DocMDP signature reference dictionary for /Reference. */
export function docMdpReference(catalogRef: PdfRef, permissions: MdpPermission): PdfDict {
  return new PdfDict()
    .set('Type', PdfName.of('SigRef'))
    .set('TransformMethod', PdfName.of('DocMDP'))
    .set('TransformParams', new PdfDict().set('Type', PdfName.of('TransformParams')).set('P', permissions).set('V', PdfName.of('1.2')))
    .set('Data', catalogRef);
}

/**
 * Points the catalog's /Perms /DocMDP at the signature dictionary. An
 * indirect /Perms is re-emitted alone; otherwise the catalog, as this update
 * has already staged it (result code, AcroForm), so that every catalog edit
 * of the update ends up in one copy.
 */
export function writeCertificationPerms(reader: PdfReader, writer: IncrementalWriter, sigRef: PdfRef): void {
  const catalogRef = reader.catalogRef();
  const staged = writer.staged(catalogRef);
  const catalog = (staged instanceof PdfDict ? staged : reader.catalog()).clone();
  const entry = catalog.get('Perms');
  const resolved = entry instanceof PdfRef ? (writer.staged(entry) ?? reader.resolve(entry)) : entry;
  const perms = (resolved instanceof PdfDict ? resolved.clone() : new PdfDict()).set('DocMDP', sigRef);
  if (entry instanceof PdfRef && resolved instanceof PdfDict) writer.set(entry, perms);
  else writer.set(catalogRef, catalog.set('Perms', perms));
}
