/**
 * The XMP and /Info names kyso writes and reads (result code, certified copy).
 *
 * @module @kyso/core/metadata
 */
export {
  RESULT_CODE_XMP,
  RESULT_CODE_XMP_PROPERTY,
  RESULT_CODE_INFO_KEY,
  CERTIFIED_COPY_XMP,
  CERT_NUMBER_XMP_PROPERTY,
  CERT_BOOK_XMP_PROPERTY,
} from './kyso-xmp.js';
