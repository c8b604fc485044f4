import type { Modification, ModificationLevel } from '../diff/index.js';
import type { ChainProblemFindingCode, DocumentFindingCode, FindingCode, SignatureFindingCode } from './finding-codes.js';

/** ETSI EN 319 102-1 main indications. */
export type Indication = 'TOTAL_PASSED' | 'INDETERMINATE' | 'TOTAL_FAILED';

/** ETSI EN 319 102-1 sub-indications used by kyso. */
export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'NOT_YET_VALID'
  | 'REVOKED'
  | 'REVOKED_NO_POE'
  | 'TRY_LATER';

/** One thing verification found; `C` narrows the code to where the finding is reported. */
export interface Finding<C extends FindingCode = FindingCode> {
  /** Stable: one of the unions of finding-codes.ts; what it means for the indication is the decision table's row. */
  code: C;
  severity: 'error' | 'warning' | 'info';
  /** What was found and, for a broken signature, what to do (English). */
  message: string;
  /** The same in Vietnamese. */
  messageVi: string;
  /** The code of the error behind the finding, when there is one (SIGNATURE_UNREADABLE: e.g. CMS_MALFORMED, PDF_MALFORMED). */
  cause?: string;
}

export interface SignerReport {
  commonName: string | null;
  organization: string | null;
  organizationalUnits: string[];
  locality: string | null;
  email: string | null;
  /** 'personal' (an officer) or 'organisation' (an agency's seal). */
  kind: 'personal' | 'organisation' | null;
  uids: Record<string, string>;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

export interface ChainCertificateReport {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

export interface ChainReport {
  /** A path reached an anchor of the chosen policy with no structural error. */
  trusted: boolean;
  /** CN of the anchor reached, or null. */
  anchor: string | null;
  policy: string;
  /** The time the certificates were checked at. */
  validatedAt: string;
  path: ChainCertificateReport[];
  problems: Finding<ChainProblemFindingCode>[];
}

export interface TimestampReport {
  time: string;
  tsa: string | null;
  policy: string | null;
  /** The token's imprint matches what it stamps and its CMS signature verifies. */
  integrity: 'ok' | 'broken';
  chain: ChainReport | null;
}

export interface RevocationReport {
  status: 'good' | 'revoked' | 'unknown';
  source: 'embedded' | 'online' | null;
  checkedAt: string | null;
  note: string;
  noteVi: string;
}

export interface SignatureReport {
  /** 1-based position in document order. */
  index: number;
  field: string;
  kind: 'signature' | 'timestamp';
  subFilter: string | null;
  format: 'ok' | 'malformed';
  integrity: 'ok' | 'broken';
  coversWholeDocument: boolean;
  byteRange: number[] | null;
  /** Bytes [0, signedLength) are what this signature covers. */
  signedLength: number | null;
  /** Index of the revision (0 = original file) this signature signs, or null if it signs none exactly. */
  revision: number | null;
  signer: SignerReport | null;
  /** Best known signing time: a valid timestamp's, else the claimed one. ISO 8601. */
  signingTime: string | null;
  /** /M or the signing-time attribute: what the signer's clock said (not proof). */
  claimedSigningTime: string | null;
  reason: string | null;
  location: string | null;
  digestAlgorithm: string | null;
  signatureAlgorithm: string | null;
  padesLevel: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  timestamp: TimestampReport | null;
  chain: ChainReport;
  revocation: RevocationReport;
  /** Changes made after this signature. */
  modification: ModificationLevel;
  modifications: Modification[];
  /** Set when this is a certification signature. */
  certification: { docMdp: 1 | 2 | 3 } | null;
  indication: Indication;
  subIndication: SubIndication | null;
  findings: Finding<SignatureFindingCode>[];
}

export interface ResultCodeReport {
  /** The result code of the citizen's data store (mã kết quả). */
  value: string;
  source: 'xmp' | 'info';
  /** Matches `<owner>.KQ.<Gxx>.<nnnnnn>[.<suffix>]`. */
  wellFormed: boolean;
  /** Indices of the signatures whose signed revision carries this same code. */
  signedBy: number[];
}

/** A certified copy's facts (kyso XMP), with the officer's and the agency's signatures. */
export interface CertifiedCopyReport {
  /** Số chứng thực. */
  certificationNumber: number;
  /** Quyển số, e.g. `02/2024-SCTĐT/BS`. */
  book: string;
  /** The result code, when a signature covers it. */
  resultCode: string | null;
  /** Signatures whose signed revision states this number and book. */
  signedBy: number[];
  /** Index of the officer's signature (personal certificate), or null. */
  officer: number | null;
  /** Index of the agency's signature (organisation certificate), or null. */
  agency: number | null;
  /** Number, book and result code signed by the officer and then by the agency. */
  complete: boolean;
  /**
   * Closed to further signatures: the document is certified (/Perms
   * /DocMDP) and either the certification permits no changes (P=1) or the
   * agency's signature carries a FieldMDP lock with P=1; and every
   * signature is intact. Only DSS and document timestamps may follow.
   */
  locked: boolean;
}

export interface VerificationReport {
  /**
   * 'valid' only when every signature is TOTAL_PASSED and nothing suspicious
   * changed; 'unsigned' when no signature field has a value (nothing to
   * judge: not a forgery, not a signed document either; a broken signature
   * is still a signature, judged 'invalid').
   */
  verdict: 'valid' | 'indeterminate' | 'invalid' | 'unsigned';
  policy: string;
  /** When validation was done (or the --at time). */
  validationTime: string;
  document: { size: number; sha256: string; revisions: number };
  signatures: SignatureReport[];
  /** Changes after the first signature, across the whole document. */
  modification: ModificationLevel;
  modifications: Modification[];
  /** The certified copy's result code, when the document carries one. */
  resultCode: ResultCodeReport | null;
  /** The certified-copy facts (number, book, officer and agency signatures), when the document states them. */
  certifiedCopy?: CertifiedCopyReport | null;
  findings: Finding<DocumentFindingCode>[];
}
