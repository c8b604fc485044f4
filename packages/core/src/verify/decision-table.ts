/**
 * The decision table: what each finding, and each fact the verification
 * steps establish, means for a signature's ETSI EN 319 102-1 indication.
 * `decide()` (indication.ts) reads it and holds no rule of its own.
 *
 * A row either decides (an indication, a sub-indication and the stage it
 * belongs to) or is 'info': reported, deciding nothing by itself. Of the
 * rows that apply to a signature, the one of the earliest stage decides
 * (`STAGES`): a signature that is broken is reported as broken before
 * anything is said about who signed it. Within a stage the facts come
 * first: integrity is decided by what the CMS check established (its
 * digest and signature booleans); the integrity findings that come with it
 * say why.
 */
import type { Indication, SubIndication } from './report.js';
import type { ChainProblemFindingCode, DocumentFindingCode, SignatureFindingCode } from './finding-codes.js';

/** The stages, earliest (deciding first) first. */
export const STAGES = [
  /** The signature dictionary, its byte ranges, its /Contents, the CMS structure. */
  'format',
  /** The digest over the signed bytes and the signature value. */
  'integrity',
  /** What changed after signing. */
  'modification',
  /** Algorithms refused outright. */
  'crypto-constraints',
  /** The signer certificate. */
  'signing-certificate',
  /** Signed attributes (ESS signing-certificate). */
  'signature-constraints',
  /** The certificate path is broken (an error here makes the chain untrusted). */
  'chain-structure',
  /** No path to a trusted anchor (an error here makes the chain untrusted). */
  'chain',
  /** Revoked before the signing time. */
  'revocation',
  /** Not yet valid at the validation time. */
  'validity-start',
  /** Expired at the validation time, with no proof of existence before. */
  'validity-end',
  /** Key usage the signature may not rely on. */
  'key-usage',
] as const;
export type Stage = (typeof STAGES)[number];

export interface Decides {
  readonly indication: Exclude<Indication, 'TOTAL_PASSED'>;
  readonly subIndication: SubIndication;
  readonly stage: Stage;
}

/** A row: what its finding or fact decides, or 'info' when it decides nothing by itself. */
export type Row = Decides | 'info';

/** What a step establishes about a signature beside its findings. */
export type Fact =
  /** The format step found the signature malformed. */
  | 'malformed'
  /** No CMS could be read from /Contents. */
  | 'cms-unread'
  /** The digest over the signed bytes does not match (or could not be computed or confirmed). */
  | 'digest-failed'
  /** The digest matches, but the signature value does not verify with the signer's key. */
  | 'signature-value-failed'
  /** A change after signing that no rule allows. */
  | 'modified'
  /** The CMS names no signer certificate it holds. */
  | 'no-signing-certificate'
  /** The chain reaches no trusted anchor. */
  | 'chain-untrusted'
  /** A certificate of the chain was revoked before the proven signing time. */
  | 'revoked'
  /** The same, with no proof of existence of the signature before the revocation. */
  | 'revoked-no-poe';

const failed = (subIndication: SubIndication, stage: Stage): Decides => ({ indication: 'TOTAL_FAILED', subIndication, stage });
const indeterminate = (subIndication: SubIndication, stage: Stage): Decides => ({ indication: 'INDETERMINATE', subIndication, stage });

const FORMAT = failed('FORMAT_FAILURE', 'format');
const HASH = failed('HASH_FAILURE', 'integrity');
const SIG_CRYPTO = failed('SIG_CRYPTO_FAILURE', 'integrity');
const NO_SIGNING_CERTIFICATE = indeterminate('NO_SIGNING_CERTIFICATE_FOUND', 'signing-certificate');
const CHAIN_STRUCTURE = indeterminate('CHAIN_CONSTRAINTS_FAILURE', 'chain-structure');
const NO_CHAIN = indeterminate('NO_CERTIFICATE_CHAIN_FOUND', 'chain');

/** The facts of the steps. */
export const FACT_ROWS: Readonly<Record<Fact, Decides>> = {
  malformed: FORMAT,
  'cms-unread': FORMAT,
  'digest-failed': HASH,
  'signature-value-failed': SIG_CRYPTO,
  // The signed content is intact, but what a viewer shows is not what was signed.
  modified: failed('FORMAT_FAILURE', 'modification'),
  'no-signing-certificate': NO_SIGNING_CERTIFICATE,
  'chain-untrusted': NO_CHAIN,
  revoked: failed('REVOKED', 'revocation'),
  'revoked-no-poe': indeterminate('REVOKED_NO_POE', 'revocation'),
};

/** The findings of a signature (`SignatureReport.findings`), any severity. */
export const SIGNATURE_FINDING_ROWS: Readonly<Record<SignatureFindingCode, Row>> = {
  // format
  SIGNATURE_NOT_INDIRECT: FORMAT,
  SIGNATURE_UNREADABLE: FORMAT,
  SIGNATURE_OUTSIDE_REVISIONS: FORMAT,
  UNKNOWN_SUBFILTER: FORMAT,
  DUPLICATE_KEY: FORMAT,
  BYTE_RANGE_SHAPE: FORMAT,
  BYTE_RANGE_START: FORMAT,
  BYTE_RANGE_OVERLAP: FORMAT,
  BYTERANGE_OUT_OF_FILE: FORMAT,
  CONTENTS_NOT_LOCATED: FORMAT,
  CONTENTS_NOT_IN_GAP: FORMAT,
  CONTENTS_MISSING: FORMAT,
  // integrity: each comes with a failed digest or signature value, and that fact decides which
  HASH_FAILURE: HASH,
  MESSAGE_DIGEST_MISMATCH: HASH,
  MESSAGE_DIGEST_MISSING: HASH,
  NO_CONTENT: HASH,
  SIGNATURE_INVALID: SIG_CRYPTO,
  UNSUPPORTED_KEY: SIG_CRYPTO,
  KEY_ALGORITHM_MISMATCH: SIG_CRYPTO,
  // integrity: said, deciding nothing by itself (an unsupported digest or
  // signature algorithm fails the digest or the signature value; one in the
  // signing-certificate attribute comes with ESS_CERT_MISMATCH)
  UNSUPPORTED_ALGORITHM: 'info',
  ALGORITHM_MISMATCH: 'info',
  SHA1_DIGEST: 'info',
  WEAK_KEY: 'info',
  ECONTENT_PRESENT: 'info',
  CONTENT_TYPE_MISSING: 'info',
  CONTENT_TYPE_MISMATCH: 'info',
  SIGNED_ATTRS_NOT_DER: 'info',
  RSA_DIGESTINFO_NO_NULL: 'info',
  // MD5 also fails the digest (cms/inspect), which decides first
  MD5_DIGEST: indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE', 'crypto-constraints'),
  // the signer certificate
  NO_SIGNER_CERTIFICATE: NO_SIGNING_CERTIFICATE,
  NO_SIGNING_CERTIFICATE: NO_SIGNING_CERTIFICATE,
  // an unreadable signer certificate is the chain's UNPARSEABLE_CERTIFICATE
  SIGNER_CERTIFICATE_UNREADABLE: 'info',
  // the ESS signing-certificate(-v2) attribute does not identify the signer certificate
  ESS_CERT_MISMATCH: failed('SIG_CONSTRAINTS_FAILURE', 'signature-constraints'),
  // the chain
  CHAIN_UNREADABLE: NO_CHAIN,
  // time: a timestamp that proves nothing leaves the validation at the current time
  TIMESTAMP_INVALID: 'info',
  TIMESTAMP_UNTRUSTED: 'info',
  // modification: the removal is a change after signing, judged there
  SIGNATURE_FIELD_REMOVED: 'info',
};

/** The problems of the signer's chain (`ChainReport.problems`), errors only: a warning decides nothing. */
export const CHAIN_PROBLEM_ROWS: Readonly<Record<ChainProblemFindingCode, Row>> = {
  BAD_SIGNATURE: CHAIN_STRUCTURE,
  NOT_A_CA: CHAIN_STRUCTURE,
  PATH_LENGTH_EXCEEDED: CHAIN_STRUCTURE,
  NO_CHAIN: NO_CHAIN,
  UNTRUSTED_ROOT: NO_CHAIN,
  UNPARSEABLE_CERTIFICATE: NO_CHAIN,
  WEAK_ALGORITHM: NO_CHAIN,
  UNSUPPORTED_ALGORITHM: NO_CHAIN,
  UNHANDLED_CRITICAL_EXTENSION: NO_CHAIN,
  // a timestamp authority's certificate without timeStamping: its chain is untrusted (TIMESTAMP_UNTRUSTED)
  TSA_EKU: NO_CHAIN,
  NOT_YET_VALID: indeterminate('NOT_YET_VALID', 'validity-start'),
  EXPIRED: indeterminate('OUT_OF_BOUNDS_NO_POE', 'validity-end'),
  KEY_USAGE: indeterminate('CHAIN_CONSTRAINTS_FAILURE', 'key-usage'),
  // warnings
  SHA1_SIGNATURE: 'info',
  MALFORMED_EXTENSION: 'info',
};

/** The document's findings (`VerificationReport.findings`): they bear on the verdict, not on a signature's indication. */
export const DOCUMENT_FINDING_ROWS: Readonly<Record<DocumentFindingCode, Row>> = {
  // the verdict is 'invalid' when nothing is signed
  NOT_SIGNED: 'info',
  RESULT_CODE_NOT_SIGNED: 'info',
};

/**
 * A chain problem that makes the chain untrusted whatever anchor it
 * reaches: a broken path, or none to a trusted anchor. Expiry, a validity
 * not yet begun and key usage leave the chain trusted and decide later.
 */
export function breaksChain(code: ChainProblemFindingCode): boolean {
  const row = CHAIN_PROBLEM_ROWS[code];
  return row !== 'info' && (row.stage === 'chain-structure' || row.stage === 'chain');
}
