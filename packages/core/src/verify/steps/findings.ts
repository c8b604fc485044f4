import { FORMAT_FINDING_CODES, type FormatFindingCode, type SignatureFindingCode } from '../finding-codes.js';
import type { Finding } from '../report.js';

/** The report texts of the findings that say a signature is broken, and what to do. */
export const ASK_SENDER = {
  en: 'Ask the sender for the original signed file.',
  vi: 'Hãy đề nghị người gửi cung cấp tệp gốc đã ký.',
};
export const RESAVED = {
  en: `the file was changed or re-saved after signing, so the signed version is not in this file. ${ASK_SENDER.en}`,
  vi: `tệp đã bị thay đổi hoặc được lưu lại sau khi ký, nên phiên bản đã ký không có trong tệp này. ${ASK_SENDER.vi}`,
};

const FORMAT_CODES: ReadonlySet<string> = new Set(FORMAT_FINDING_CODES);

/** The findings of one signature, in the order the steps make them. */
export class SignatureFindings {
  readonly list: Finding<SignatureFindingCode>[] = [];

  /** No format finding: the signature dictionary, its byte ranges and its /Contents are well formed. */
  get formatOk(): boolean {
    return !this.list.some((f) => FORMAT_CODES.has(f.code));
  }

  add(code: SignatureFindingCode, message: string, messageVi: string, severity: Finding['severity'] = 'error'): void {
    this.list.push({ code, severity, message, messageVi });
  }

  /** A format finding: the signature is malformed. */
  malformed(code: FormatFindingCode, en: string, vi: string): void {
    this.add(code, en, vi);
  }

  /** The signature value cannot be read (a format finding); `cause` is the code of the error behind it. */
  unreadable(en: string, vi: string, cause?: string): void {
    this.list.push({
      code: 'SIGNATURE_UNREADABLE',
      severity: 'error',
      message: `The signature value cannot be read: ${en}. The signature is damaged and cannot be checked. ${ASK_SENDER.en}`,
      messageVi: `Không đọc được giá trị chữ ký: ${vi}. Chữ ký bị hỏng nên không kiểm tra được. ${ASK_SENDER.vi}`,
      ...(cause ? { cause } : {}),
    });
  }
}
