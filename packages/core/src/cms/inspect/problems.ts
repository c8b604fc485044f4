/** Bilingual problem reports produced by checkCmsSignature. */
import type { CmsProblem, CmsProblemCode } from './types.js';

const TEXT: Record<CmsProblemCode, { severity: CmsProblem['severity']; en: string; vi: string }> = {
  NO_SIGNER_CERTIFICATE: {
    severity: 'error',
    en: 'The signer certificate is not in the CMS (no certificate matches the signer identifier)',
    vi: 'Không có chứng thư số của người ký trong CMS (không chứng thư nào khớp định danh người ký)',
  },
  UNSUPPORTED_ALGORITHM: {
    severity: 'error',
    en: 'Unsupported or unknown algorithm',
    vi: 'Thuật toán không được hỗ trợ hoặc không xác định',
  },
  UNSUPPORTED_KEY: {
    severity: 'error',
    en: "The signer certificate's public key cannot be used",
    vi: 'Không sử dụng được khoá công khai trong chứng thư số của người ký',
  },
  KEY_ALGORITHM_MISMATCH: {
    severity: 'error',
    en: "The signature algorithm does not match the signer certificate's key type",
    vi: 'Thuật toán chữ ký không khớp loại khoá trong chứng thư số của người ký',
  },
  ALGORITHM_MISMATCH: {
    severity: 'warning',
    en: 'The signature algorithm names a different hash than the digest algorithm',
    vi: 'Thuật toán chữ ký dùng hàm băm khác với thuật toán băm đã khai báo',
  },
  MD5_DIGEST: {
    severity: 'error',
    en: 'MD5 is broken: a signature relying on it is rejected',
    vi: 'MD5 không còn an toàn: chữ ký dùng MD5 bị từ chối',
  },
  SHA1_DIGEST: {
    severity: 'warning',
    en: 'SHA-1 is deprecated for signatures',
    vi: 'SHA-1 không còn được khuyến nghị cho chữ ký số',
  },
  WEAK_KEY: {
    severity: 'warning',
    en: 'The signer key is shorter than 2048 bits',
    vi: 'Khoá của người ký ngắn hơn 2048 bit',
  },
  NO_CONTENT: {
    severity: 'error',
    en: 'No content to verify: the CMS is detached and no content was given',
    vi: 'Không có nội dung để kiểm tra: CMS tách rời và không có nội dung đi kèm',
  },
  ECONTENT_PRESENT: {
    severity: 'warning',
    en: 'The CMS encapsulates content, but detached content was checked instead',
    vi: 'CMS có nội dung đóng gói, nhưng nội dung tách rời được dùng để kiểm tra',
  },
  MESSAGE_DIGEST_MISSING: {
    severity: 'error',
    en: 'The signed attributes have no message-digest attribute',
    vi: 'Thuộc tính được ký không có message-digest',
  },
  MESSAGE_DIGEST_MISMATCH: {
    severity: 'error',
    en: 'The signed message digest does not match the content: the document was changed after signing',
    vi: 'Giá trị băm đã ký không khớp nội dung: tài liệu đã bị thay đổi sau khi ký',
  },
  CONTENT_TYPE_MISSING: {
    severity: 'error',
    en: 'The signed attributes have no content-type attribute',
    vi: 'Thuộc tính được ký không có content-type',
  },
  CONTENT_TYPE_MISMATCH: {
    severity: 'error',
    en: 'The signed content-type differs from the encapsulated content type',
    vi: 'content-type đã ký khác với loại nội dung đóng gói',
  },
  SIGNED_ATTRS_NOT_DER: {
    severity: 'warning',
    en: 'The signed attributes use an indefinite length (BER); verified over a definite-length header',
    vi: 'Thuộc tính được ký dùng độ dài không xác định (BER); đã kiểm tra với phần đầu độ dài xác định',
  },
  SIGNATURE_INVALID: {
    severity: 'error',
    en: "The signature value does not verify with the signer's public key",
    vi: 'Giá trị chữ ký không hợp lệ với khoá công khai của người ký',
  },
  ESS_CERT_MISMATCH: {
    severity: 'error',
    en: 'The signing-certificate attribute does not identify the signer certificate',
    vi: 'Thuộc tính signing-certificate không trỏ đúng chứng thư số của người ký',
  },
  RSA_DIGESTINFO_NO_NULL: {
    severity: 'info',
    en: "The signature's DigestInfo omits the NULL parameter of the hash algorithm, which RFC 8017 permits: the signature is valid, but some tools (OpenSSL, poppler) will call it invalid",
    vi: 'DigestInfo trong chữ ký bỏ tham số NULL của thuật toán băm, điều RFC 8017 cho phép: chữ ký hợp lệ, nhưng một số công cụ (OpenSSL, poppler) sẽ báo là không hợp lệ',
  },
};

export function problem(code: CmsProblemCode, detail?: string): CmsProblem {
  const t = TEXT[code];
  return {
    code,
    severity: t.severity,
    message: detail ? `${t.en} (${detail})` : t.en,
    messageVi: detail ? `${t.vi} (${detail})` : t.vi,
  };
}
