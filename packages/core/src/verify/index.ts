/**
 * verifyPdf, its report, indications and the text rendering.
 *
 * @module @kyso/core/verify
 */
export { verifyPdf, parsePdfDate } from './verify-pdf.js';
export type { VerifyPdfOptions } from './verify-pdf.js';
export type * from './report.js';
export type {
  FindingCode,
  FormatFindingCode,
  IntegrityFindingCode,
  IdentityFindingCode,
  ChainFindingCode,
  ChainProblemFindingCode,
  TimeFindingCode,
  ModificationFindingCode,
  DocumentFindingCode,
  SignatureFindingCode,
} from './finding-codes.js';
export { signatureFields } from './signature-fields.js';
export { renderReport, vietnamTime } from './render.js';
export type { Lang } from './render.js';
