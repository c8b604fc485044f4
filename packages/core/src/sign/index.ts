/**
 * PAdES signing B-B to B-LTA, document timestamps, DSS, certification and field locks, signers.
 *
 * @module @kyso/core/sign
 */
export { signPdf, signPdfDetailed, signPdfFile } from './sign-pdf.js';
export type { SignPdfResult, SignPdfFileResult } from './sign-pdf.js';
export type { SignPdfOptions, SignatureAppearance, PadesLevel } from './options.js';
export { preparePdf, embedSignature } from './signature-update.js';
export type { PreparedPdf, PrepareOptions } from './signature-update.js';
export type { FieldPlacement } from './signature-field.js';
export { pdfDate } from './pdf-date.js';
export { addDocumentTimestamp } from './document-timestamp.js';
export type { DocumentTimestampOptions } from './document-timestamp.js';
export { addDss } from './dss.js';
export type { VriEntry } from './dss.js';
export { extendPdf } from './ltv.js';
export type { ExtendPdfOptions } from './ltv.js';
export type { CertifyOptions, MdpPermission } from './certification.js';
export { parseLockSpec } from './field-lock.js';
export { appendSignedUpdate, appendSignedUpdateToFile } from './signed-update.js';
export type { FieldLockOptions, LockAction } from './field-lock.js';
export { CscSigner } from './csc/csc-signer.js';
export type { CscSignerOptions, CscCredentialInfo } from './csc/csc-signer.js';
export type { CscAuthOptions, CscClientCredentials } from './csc/csc-client.js';
export { SoftwareSigner, orderChain } from './software-signer.js';
export type { SoftwareSignerOptions, SoftwareSignerPem, SoftwareSignerThreadData, PemInput } from './software-signer.js';
export { readPkcs12, readCertificates, readPrivateKey } from './key-files.js';
export type { KeyMaterial } from './key-files.js';
