export { signPdf, signPdfDetailed, signPdfFile, preparePdf, embedSignature } from './sign-pdf.js';
export type { SignPdfOptions, SignPdfResult, SignPdfFileResult, PreparedPdf, PrepareOptions } from './sign-pdf.js';
export type { FieldPlacement } from './signature-field.js';
export { pdfDate } from './pdf-date.js';
export { RESULT_CODE_XMP, RESULT_CODE_XMP_PROPERTY, RESULT_CODE_INFO_KEY } from './result-code-metadata.js';
