/**
 * The client's vocabulary: options and answers of each call, taken from the
 * service's OpenAPI document (openapi.ts, generated) wherever the wire shape
 * is the domain's, and written here where the client turns wire into domain
 * (bytes rather than base64, headers read into fields).
 */
import type { paths } from './openapi.js';

type Post<P extends keyof paths> = paths[P] extends { post: infer O } ? O : never;
type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type JsonBodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Json200<O> = O extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

/** PAdES level. */
export type PadesLevel = NonNullable<QueryOf<Post<'/v1/sign'>>['level']>;

/** The options of `sign`: those of /v1/sign (as query parameters) and the two that travel as headers. */
export type SignOptions = Omit<QueryOf<Post<'/v1/sign'>>, 'return'> & {
  /** Required with `allocateResultCode`: a retry with the same key gets the same result code. */
  idempotencyKey?: string;
  /** An encrypted PDF's user or owner password (sent percent-encoded in X-Pdf-Password, never in the URL). */
  pdfPassword?: string;
};

/** What signUpdate answers: the bytes to append to the PDF sent, and how to check the result. */
export interface SignedUpdate {
  /** The incremental update: the original followed by these bytes is the signed PDF. */
  update: Uint8Array;
  /** SHA-256 (hex) of the whole signed PDF (X-Kyso-Signed-Sha256): @kyso/core's appendSignedUpdate checks it. */
  sha256: string;
  /** Where the update goes: the length of the PDF sent (X-Kyso-Update-Offset). */
  offset: number;
  field: string;
  identity?: string;
  resultCode?: string;
  auditId?: string;
}

export interface SignedPdf {
  /** The signed PDF: the original bytes and one incremental update. */
  pdf: Uint8Array;
  /** The signature field's name (X-Kyso-Field). */
  field: string;
  /** The identity that signed (X-Kyso-Identity). */
  identity?: string;
  /** The result code written under the signature (X-Kyso-Result-Code), given or allocated. */
  resultCode?: string;
  /** The audit record of the request (X-Kyso-Audit-Id). */
  auditId?: string;
}

type VerifyQuery = QueryOf<Post<'/v1/verify'>>;

export interface VerifyOptions {
  /** Language of the report's messages (the service's default: `vi`). */
  lang?: VerifyQuery['lang'];
  /** Trust policy (the service's default: its configured one). */
  policy?: VerifyQuery['policy'];
  /** An encrypted PDF's user or owner password. */
  pdfPassword?: string;
}

/** The verification report (`kyso verify --json`), as the OpenAPI document describes it. */
export type VerificationReport = Json200<Post<'/v1/verify'>>;

type CopyQuery = QueryOf<Post<'/v1/certified-copies'>>;

export type CertifyCopyOptions = CopyQuery & {
  /** Required: a retry with the same key gets the same numbers, also after a failure. */
  idempotencyKey: string;
  /** The scan's media type (default: from its first bytes: image/jpeg, image/png, application/pdf). */
  contentType?: 'image/jpeg' | 'image/png' | 'application/pdf' | 'application/octet-stream';
};

export interface CertifiedCopy {
  /** The certified copy: officer's signature, then the agency's seal. */
  pdf: Uint8Array;
  resultCode: string;
  /** The number in the certification book (số chứng thực). */
  certificationNumber: number;
  /** The book's label (sổ chứng thực), e.g. `01/2026/SCT/BS`. */
  book: string;
  auditId?: string;
}

/** Idempotency of the code calls: the same key returns the same code(s). */
export interface Idempotent {
  idempotencyKey?: string;
}

export type CaseCodesOptions = JsonBodyOf<Post<'/v1/codes/case'>> & Idempotent;
export type CaseCodes = Json200<Post<'/v1/codes/case'>>;
export type CertNumbersOptions = JsonBodyOf<Post<'/v1/codes/cert-number'>> & Idempotent;
export type CertNumbers = Json200<Post<'/v1/codes/cert-number'>>;
export type ResultCodeOptions = JsonBodyOf<Post<'/v1/codes/result'>> & Idempotent;
export type ResultCode = Json200<Post<'/v1/codes/result'>>;
export type VoidCodeOptions = JsonBodyOf<Post<'/v1/codes/{code}/void'>>;
export type VoidedCode = Json200<Post<'/v1/codes/{code}/void'>>;

type PrepareBody = JsonBodyOf<Post<'/v1/sign/prepare'>>;

export type PrepareOptions = Omit<PrepareBody, 'pdf' | 'certificateChain'> & {
  /** The signer's certificate (DER) first, then its chain. */
  certificateChain: readonly Uint8Array[];
  /** An encrypted PDF's user or owner password. */
  pdfPassword?: string;
};

type PrepareAnswer = Json200<Post<'/v1/sign/prepare'>>;

export interface PreparedSignature {
  /** Give it back to `complete` before `expiresAt`. */
  sessionId: string;
  expiresAt: Date;
  /** The DER of the CMS signed attributes: what the key signs (hashing it with `digestAlgorithm`). */
  toBeSigned: Uint8Array;
  digestAlgorithm: PrepareAnswer['digestAlgorithm'];
  /** The hash of `toBeSigned`, for a token that signs with a raw mechanism. */
  digest: Uint8Array;
  /** The signature field the PDF will have. */
  field: string;
}

export interface CompletedSignature {
  pdf: Uint8Array;
  field: string;
  auditId?: string;
}

export type Health = Json200<Get<'/healthz'>>;
export type Readiness = Json200<Get<'/readyz'>>;
/** Which capability /readyz answers for (when the service has them). */
export type ReadyOptions = QueryOf<Get<'/readyz'>>;
export type AuditChain = Json200<Get<'/v1/audit/verify'>>;
export type AuditPage = Json200<Get<'/v1/audit'>>;
export type AuditListOptions = QueryOf<Get<'/v1/audit'>>;
