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

/** What an update to an encrypted document asks of its permissions (/P). */
export type EncryptedChange = 'new-signature-field' | 'fill-signature-field' | 'validation-data';

const BIT4_MODIFY = 1 << 3;
const BIT6_ANNOTATE_AND_FILL = 1 << 5;
const BIT9_FILL = 1 << 8;

/**
 * An encrypted document carries its author's permissions (/P, ISO 32000-2
 * Table 22), which apply unless the owner password opened it:
 *
 * - signing an existing empty signature field is filling a form field:
 *   bit 6, or bit 9 (revision 3 and up) even when bit 6 is clear;
 * - a new signature field (and a document timestamp, and a certification,
 *   which also edits the catalog) is creating a form field: bits 6 and 4;
 * - validation data (DSS) belongs to signatures already allowed: any of
 *   bits 4, 6, 9.
 *
 * Acrobat offers the same choices ("filling in form fields and signing
 * existing signature fields" is bit 9 alone). pyHanko checks none of them,
 * only that a password opened the file; kyso refuses rather than write what
 * the author did not permit. Revisions 5 and 6 whose /P does not match
 * /Perms were edited without the key: nothing is permitted then.
 */
export function assertEncryptionPermits(reader: PdfReader, change: EncryptedChange, emptyFields: readonly string[] = []): void {
  const info = reader.encryption;
  if (!info || info.authenticatedAs === 'owner') return;
  const p = info.permissions;
  const has = (bit: number): boolean => info.permissionsIntact && (p & bit) !== 0;
  const fill = has(BIT6_ANNOTATE_AND_FILL) || (info.revision >= 3 && has(BIT9_FILL));
  const create = has(BIT6_ANNOTATE_AND_FILL) && has(BIT4_MODIFY);
  const ok = change === 'fill-signature-field' ? fill : change === 'new-signature-field' ? create : fill || has(BIT4_MODIFY);
  if (ok) return;
  const details = { permissions: p, revision: info.revision, change, ...(info.permissionsIntact ? {} : { permissionsTampered: true }) };
  const owner = 'or open it with its owner password (pdfPassword / --pdf-password-env), which grants every permission';
  const ownerVi = 'hoặc mở tệp bằng mật khẩu chủ sở hữu (pdfPassword / --pdf-password-env), mật khẩu này có mọi quyền';
  if (!info.permissionsIntact) {
    throw new KysoError('PDF_PERMISSION_DENIED', `The permissions in this document's /Encrypt do not match its /Perms entry: they were altered without the document's key and cannot be trusted. Nothing can be signed ${owner.replace(/^or /, 'unless you ')}.`, {
      vi: `Quyền sử dụng trong /Encrypt của tài liệu không khớp với mục /Perms: chúng đã bị sửa mà không có khoá của tài liệu nên không đáng tin cậy. Không thể ký, trừ khi mở tệp bằng mật khẩu chủ sở hữu (pdfPassword / --pdf-password-env).`,
      details,
    });
  }
  if (change === 'new-signature-field' && fill) {
    const where = emptyFields.length > 0 ? ` (${emptyFields.map((f) => `"${f}"`).join(', ')})` : '';
    const whereVi = emptyFields.length > 0 ? ` (${emptyFields.map((f) => `"${f}"`).join(', ')})` : '';
    throw new KysoError('PDF_PERMISSION_DENIED', `The document's author permits only signing its existing empty signature fields (permission "fill in form fields"), not adding a signature field: sign into one of them${where} with fieldName, ${owner}.`, {
      vi: `Tác giả tài liệu chỉ cho phép ký vào các trường chữ ký trống có sẵn (quyền "điền biểu mẫu"), không cho phép thêm trường chữ ký: hãy ký vào một trong các trường đó${whereVi} bằng fieldName, ${ownerVi}.`,
      details: { ...details, emptyFields },
    });
  }
  const what = change === 'new-signature-field' ? 'adding a signature field (permissions "modify the document" and "fill in form fields, annotate")' : change === 'fill-signature-field' ? 'signing a form field (permission "fill in form fields")' : 'adding validation data (any permission to change the document)';
  const whatVi = change === 'new-signature-field' ? 'thêm trường chữ ký (quyền "sửa đổi tài liệu" và "điền biểu mẫu, chú thích")' : change === 'fill-signature-field' ? 'ký vào trường biểu mẫu (quyền "điền biểu mẫu")' : 'bổ sung dữ liệu kiểm tra (bất kỳ quyền sửa đổi nào)';
  throw new KysoError('PDF_PERMISSION_DENIED', `The document is encrypted and its author's permissions do not allow ${what}: ask the author for a copy that allows signing, ${owner}.`, {
    vi: `Tài liệu được mã hoá và quyền do tác giả đặt không cho phép ${whatVi}: hãy đề nghị tác giả cung cấp bản cho phép ký, ${ownerVi}.`,
    details,
  });
}
