/**
 * CMS inspection and cryptographic verification for the verification side.
 * Shares no code path with the signing builder in `cms/*.ts`.
 */
export { inspectCms } from './inspect-cms.js';
export { checkCmsSignature } from './check-signature.js';
export { inspectTimestampToken, checkTimestampImprint } from './timestamp-token.js';
export type {
  CmsInspection,
  CmsSignedAttributes,
  CmsSigningCertificate,
  CmsSignerIdentifier,
  CmsCheck,
  CmsProblem,
  CmsProblemCode,
  TimestampInfo,
  DigestName,
  DetachedContent,
} from './types.js';
