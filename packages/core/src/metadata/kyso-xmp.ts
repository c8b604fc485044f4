/**
 * The names under which kyso records facts in a PDF's metadata: the result
 * code (mã kết quả) in XMP and /Info, and a certified copy's number and book
 * in XMP. The vocabulary the producers (sign/, workflow/) write and the
 * verifier (verify/) reads; only names live here, no code path of either side.
 */

/** kyso's XMP namespace, where the result code and the certified-copy facts are recorded. */
export const RESULT_CODE_XMP = { uri: 'http://ns.kyso.vn/chung-thuc/1.0/', prefix: 'kyso' } as const;
/** Mã kết quả: the result code of the citizen's data store, in XMP... */
export const RESULT_CODE_XMP_PROPERTY = 'MaKetQua';
/** ...and under this key of the document information dictionary. */
export const RESULT_CODE_INFO_KEY = 'MaKetQua';

/** A certified copy's facts share the result code's namespace. */
export const CERTIFIED_COPY_XMP = RESULT_CODE_XMP;
/** Số chứng thực: the running number in the book. */
export const CERT_NUMBER_XMP_PROPERTY = 'SoChungThuc';
/** Quyển số: the book label, e.g. `02/2024-SCTĐT/BS`. */
export const CERT_BOOK_XMP_PROPERTY = 'QuyenSo';
