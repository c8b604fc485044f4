import { KysoError } from '../errors.js';
import { PdfDict, type PdfReader } from '../pdf/index.js';

/**
 * A document certified with "no changes permitted" (DocMDP P=1) is broken,
 * in Acrobat's eyes, by any later revision, a new signature included. We
 * refuse rather than produce a file whose first signature shows as invalid.
 */
export function assertChangesPermitted(reader: PdfReader): void {
  const perms = reader.resolve(reader.catalog().get('Perms'));
  if (!(perms instanceof PdfDict)) return;
  const docMdp = reader.resolve(perms.get('DocMDP'));
  if (!(docMdp instanceof PdfDict)) return;
  const refs = reader.resolve(docMdp.get('Reference'));
  if (!Array.isArray(refs)) return;
  for (const r of refs) {
    const ref = reader.resolve(r);
    if (!(ref instanceof PdfDict) || ref.getName('TransformMethod') !== 'DocMDP') continue;
    const params = reader.resolve(ref.get('TransformParams'));
    const p = params instanceof PdfDict ? (params.getNumber('P') ?? 2) : 2;
    if (p === 1) {
      throw new KysoError('SIGN_NOT_PERMITTED', 'The document is certified with "no changes permitted": adding a signature would invalidate its certification.', {
        vi: 'Tài liệu đã được chứng nhận với quyền "không cho phép thay đổi": thêm chữ ký sẽ làm mất hiệu lực chứng nhận đó.',
      });
    }
  }
}
