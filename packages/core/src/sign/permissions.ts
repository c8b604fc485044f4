import { KysoError } from '../errors.js';
import { readDocMdp } from '../pdf/doc-mdp.js';
import type { PdfReader } from '../pdf/index.js';
import { activeLocks } from './field-lock.js';

/**
 * A document certified with "no changes permitted" (DocMDP P=1) is broken,
 * in Acrobat's eyes, by any later revision, a new signature included; so is
 * one whose signature locks it with a FieldMDP lock carrying /P 1 (PDF 2.0:
 * no changes after that signature). We refuse rather than produce a file
 * whose earlier signature shows as invalid. Document timestamps and DSS
 * updates stay allowed (callers skip this check for them).
 */
export function assertChangesPermitted(reader: PdfReader): void {
  // A DocMDP transform without /P means P=2.
  if (readDocMdp(reader)?.permissions.includes(1)) {
    throw new KysoError('SIGN_NOT_PERMITTED', 'The document is certified with "no changes permitted": adding a signature would invalidate its certification.', {
      vi: 'Tài liệu đã được chứng nhận với quyền "không cho phép thay đổi": thêm chữ ký sẽ làm mất hiệu lực chứng nhận đó.',
    });
  }
  const locked = activeLocks(reader).find((l) => l.permissions === 1);
  if (locked) {
    throw new KysoError('SIGN_NOT_PERMITTED', `The signature in "${locked.field}" locks the document with "no changes permitted": adding a signature would invalidate it. Only long-term validation data (DSS) and document timestamps may still be added.`, {
      vi: `Chữ ký trong trường "${locked.field}" đã khóa tài liệu với quyền "không cho phép thay đổi": thêm chữ ký sẽ làm mất hiệu lực chữ ký đó. Chỉ còn có thể bổ sung dữ liệu xác thực dài hạn (DSS) và dấu thời gian tài liệu.`,
      details: { lockedBy: locked.field },
    });
  }
}
