/**
 * The codes a verification report's findings carry, one union per layer
 * that emits them. A code is a stable string (reports, the JSON schema in
 * the README and the verification page depend on it): the unions only make
 * an unknown one a type error. Each code has a row in the decision table
 * (`decision-table.ts`), which says what it means for the signature's
 * ETSI indication.
 */
import type { CmsProblemCode } from '../cms/inspect/index.js';
import type { ChainProblemCode } from '../trust/index.js';

/**
 * Format (steps/format.ts, and the /Contents checks of steps/integrity.ts):
 * the signature dictionary, its /ByteRange and its /Contents against the
 * file. Any one of them makes the signature `format: 'malformed'`.
 */
export const FORMAT_FINDING_CODES = [
  'SIGNATURE_NOT_INDIRECT',
  'SIGNATURE_UNREADABLE',
  'SIGNATURE_OUTSIDE_REVISIONS',
  'UNKNOWN_SUBFILTER',
  'DUPLICATE_KEY',
  'BYTE_RANGE_SHAPE',
  'BYTE_RANGE_START',
  'BYTE_RANGE_OVERLAP',
  'BYTERANGE_OUT_OF_FILE',
  'CONTENTS_NOT_LOCATED',
  'CONTENTS_NOT_IN_GAP',
  'CONTENTS_MISSING',
] as const;
export type FormatFindingCode = (typeof FORMAT_FINDING_CODES)[number];

/**
 * Integrity (steps/integrity.ts): the digest over the signed bytes and the
 * signature value. HASH_FAILURE is the verifier's own (a document timestamp's
 * imprint, an adbe.pkcs7.sha1 digest); the rest are the CMS inspector's
 * problems (cms/inspect), reported under their own codes.
 */
export type IntegrityFindingCode = 'HASH_FAILURE' | CmsProblemCode;

/** Identity (steps/identity.ts): the signer certificate the CMS names. */
export type IdentityFindingCode = 'NO_SIGNING_CERTIFICATE' | 'SIGNER_CERTIFICATE_UNREADABLE';

/**
 * Chain (steps/chain.ts, trust/): CHAIN_UNREADABLE is a finding of the
 * signature (no chain could be built at all); the others are problems of a
 * chain (`ChainReport.problems`): trust/'s path validation, and TSA_EKU for
 * a timestamp authority's certificate.
 */
export type ChainFindingCode = 'CHAIN_UNREADABLE' | ChainProblemFindingCode;
/** The codes of `ChainReport.problems`. */
export type ChainProblemFindingCode = ChainProblemCode | 'TSA_EKU';

/**
 * Time and revocation (steps/time.ts, steps/chain.ts): the signature
 * timestamp. Revocation reports a status and a note, not a finding; a
 * certificate revoked before signing decides the indication by itself.
 */
export type TimeFindingCode = 'TIMESTAMP_INVALID' | 'TIMESTAMP_UNTRUSTED';

/**
 * Modification (steps/modifications.ts, diff/): what a later update did to
 * the signature itself. Every other change after signing is a
 * `Modification` of the report, not a finding.
 */
export type ModificationFindingCode = 'SIGNATURE_FIELD_REMOVED';

/** The document (verify-pdf.ts, result-code.ts): nothing signed, a result code no signature vouches for. */
export type DocumentFindingCode = 'NOT_SIGNED' | 'RESULT_CODE_NOT_SIGNED';

/** The codes of `SignatureReport.findings`. */
export type SignatureFindingCode = FormatFindingCode | IntegrityFindingCode | IdentityFindingCode | TimeFindingCode | ModificationFindingCode | 'CHAIN_UNREADABLE';

/** Every code a finding of a verification report may carry. */
export type FindingCode = SignatureFindingCode | ChainProblemFindingCode | DocumentFindingCode;
