/** The typed errors of encrypted PDFs: each says what is wrong and what to do. */
import { KysoError } from '../../errors.js';

export function encryptMalformed(what: string, whatVi: string, cause?: unknown): KysoError {
  return new KysoError('PDF_ENCRYPT_MALFORMED', `The PDF's encryption dictionary (/Encrypt) is damaged: ${what}. The file cannot be decrypted; ask the sender for an intact copy.`, {
    vi: `Từ điển mã hoá (/Encrypt) của tệp PDF bị hỏng: ${whatVi}. Không giải mã được tệp; hãy đề nghị người gửi cung cấp bản không bị hỏng.`,
    details: { problem: what },
    ...(cause !== undefined ? { cause } : {}),
  });
}

export function encryptionUnsupported(what: string, whatVi: string, details: Record<string, unknown> = {}): KysoError {
  return new KysoError('PDF_ENCRYPTION_UNSUPPORTED', `The PDF is encrypted with ${what}, which kyso cannot open. Ask the sender for a copy without this protection, or protected with a password (the standard security handler).`, {
    vi: `Tệp PDF được mã hoá bằng ${whatVi}, kyso không mở được. Hãy đề nghị người gửi cung cấp bản không có lớp bảo vệ này, hoặc bản được bảo vệ bằng mật khẩu (cơ chế bảo mật chuẩn).`,
    details,
  });
}

export function passwordRequired(): KysoError {
  return new KysoError('PDF_PASSWORD_REQUIRED', 'The PDF is protected with a password that is needed to open it: give the document\'s password (its user or owner password) with the pdfPassword option (kyso: --pdf-password-env VAR).', {
    vi: 'Tệp PDF được bảo vệ bằng mật khẩu, cần mật khẩu mới mở được: hãy cung cấp mật khẩu của tài liệu (mật khẩu người dùng hoặc mật khẩu chủ sở hữu) qua tuỳ chọn pdfPassword (kyso: --pdf-password-env BIEN).',
  });
}

export function passwordWrong(): KysoError {
  return new KysoError('PDF_PASSWORD_WRONG', 'The password given does not open this PDF: it is neither its user password nor its owner password. Check the password (letter case, keyboard layout) and try again.', {
    vi: 'Mật khẩu đã cung cấp không mở được tệp PDF này: đó không phải mật khẩu người dùng cũng không phải mật khẩu chủ sở hữu. Hãy kiểm tra lại mật khẩu (chữ hoa, chữ thường, kiểu bàn phím) rồi thử lại.',
  });
}
