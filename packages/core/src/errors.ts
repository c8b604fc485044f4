/**
 * KysoError and its stable codes, alone (no other module loaded).
 *
 * @module @kyso/core/errors
 */
/**
 * Every failure kyso reports on purpose is a KysoError with a stable `code`
 * (safe to switch on, safe to show to an operator) and messages in English
 * and Vietnamese. Anything else escaping the public API is a bug.
 */
/**
 * The codes other kyso packages raise for failures of their own layer (a
 * PKCS#11 token, say), added to KysoErrorCode by declaration merging in
 * that package, so core names none of them:
 *
 *     declare module '@kyso/core' {
 *       interface KysoErrorCodeRegistry { PKCS11_PIN_LOCKED: true }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KysoErrorCodeRegistry {}

/** Every stable error code: core's own and those the other kyso packages register. */
export type KysoErrorCode = CoreErrorCode | keyof KysoErrorCodeRegistry;

/** The codes of core's own failures. */
export type CoreErrorCode =
  // input PDF
  /** The input has no bytes. */
  | 'PDF_EMPTY'
  /** The input does not start like a PDF (no %PDF- header near its start). */
  | 'PDF_NOT_PDF'
  /** The file ends early: no startxref, no %%EOF, or a cross-reference past the end. */
  | 'PDF_TRUNCATED'
  /** The cross-reference table or stream cannot be read or points at the wrong places. */
  | 'PDF_XREF_BROKEN'
  /** An object the operation needs does not parse, or the document has no catalog or pages. */
  | 'PDF_MALFORMED'
  /** Encrypted, and not decrypted (an update to a file opened without its password, a workflow that takes no encrypted input). */
  | 'PDF_ENCRYPTED'
  /** Encrypted with a user password, and none was given. */
  | 'PDF_PASSWORD_REQUIRED'
  /** The password given is neither the user nor the owner password. */
  | 'PDF_PASSWORD_WRONG'
  /** Encrypted by another security handler than the standard one (public-key /Adobe.PubSec, a custom one), or an unknown /V, /R or crypt filter method. */
  | 'PDF_ENCRYPTION_UNSUPPORTED'
  /** The /Encrypt dictionary is not a dictionary, cannot be read, or lacks what its revision needs. */
  | 'PDF_ENCRYPT_MALFORMED'
  /** The permissions of an encrypted document (/P) do not allow the change asked for, and the owner password was not given. */
  | 'PDF_PERMISSION_DENIED'
  /**
   * Beyond a limit of PdfReaderOptions: the file (maxBytes), one stream's inflated size (maxInflatedBytes), all of them together
   * (maxInflatedTotal) or the objects its cross-reference data lists (maxObjects). details names the limit; raise it for a trusted file.
   */
  /** The file, or something inside it (a stream, a count), is over a configured limit. */
  | 'PDF_TOO_LARGE'
  /** A valid PDF feature kyso does not handle for this operation. */
  | 'PDF_UNSUPPORTED'
  // keys and certificates
  /** The password of a PKCS#12 file or an encrypted private key is wrong. */
  | 'KEY_BAD_PASSWORD'
  /** The private key does not belong to the certificate given with it. */
  | 'KEY_MISMATCH'
  /** A key type or size kyso does not sign with (DSA, RSA below 2048 bits, an unknown curve). */
  | 'KEY_UNSUPPORTED'
  /** No private key in the file or the input given. */
  | 'KEY_NOT_FOUND'
  /** A certificate cannot be parsed (or is not one). */
  | 'CERT_INVALID'
  // signing
  /** The signature field named already holds a signature. */
  | 'SIGN_FIELD_EXISTS'
  /** No signature field of that name, or no page for the placement asked for. */
  | 'SIGN_FIELD_NOT_FOUND'
  /** The signature (with its timestamp and validation data) does not fit the space reserved for /Contents. */
  | 'SIGN_CONTENTS_TOO_SMALL'
  /** The signer (a key, a token, a remote service) failed to produce a signature value. */
  | 'SIGN_SIGNER_FAILED'
  /** A signing option is missing, out of range or contradicts another. */
  | 'SIGN_OPTIONS_INVALID'
  /** An earlier certification or lock (DocMDP P=1) permits no further change. */
  | 'SIGN_NOT_PERMITTED'
  /** A certification (DocMDP) asked for on a document that is already signed or certified. */
  | 'SIGN_CERTIFY_NOT_FIRST'
  /** Signing into a field that an earlier signature's FieldMDP lock covers. */
  | 'SIGN_FIELD_LOCKED'
  /** An original and the update a service answered do not make the file it signed (SHA-256 differs): another original, or a cut answer. */
  | 'SIGN_UPDATE_MISMATCH'
  /** The keyword to place the visible signature next to is not in the page's text. */
  | 'APPEARANCE_KEYWORD_NOT_FOUND'
  // CMS
  /** A CMS / CAdES structure (a signature, a timestamp token) does not parse. */
  | 'CMS_MALFORMED'
  /** A CMS algorithm or structure kyso does not build or check. */
  | 'CMS_UNSUPPORTED'
  // codes and sequences
  /** A result code, case code or certification number is not in its format, or a part of it is out of range. */
  | 'CODE_INVALID'
  /** The sequence store (SQLite, PostgreSQL) failed: no code was allocated. */
  | 'CODE_STORE_FAILED'
  /** No allocation of that code, key or number in the store. */
  | 'CODE_NOT_FOUND'
  /** The code is not in a state that allows the change asked for (already confirmed or voided, a conflicting request). */
  | 'CODE_STATE'
  // trust
  /** Trust anchors or extra certificates given cannot be read. */
  | 'TRUST_INVALID'
  // generic I/O
  /** A file cannot be read or written. */
  | 'IO_ERROR'
  // network (time-stamping and revocation services)
  /** A TSA, OCSP or CRL server did not answer in time. */
  | 'NETWORK_TIMEOUT'
  /** A TSA, OCSP or CRL server cannot be reached, or answered an HTTP error. */
  | 'NETWORK_FAILED'
  // time-stamping (RFC 3161) and revocation (OCSP, CRL)
  /** The timestamp authority's answer is refused (status, imprint, nonce, signature, certificate). */
  | 'TSA_FAILED'
  /** No timestamp could be obtained from the configured authority. */
  | 'TSA_UNAVAILABLE'
  /** An OCSP response is refused (status, CertID, signature, responder, freshness). */
  | 'OCSP_FAILED'
  /** Validation data asked for a chain that does not end at a trusted root (a service collects only for its trusted chains). */
  | 'LTV_CHAIN_UNTRUSTED'
  /** A certificate of the chain declares neither an OCSP responder nor a CRL, and revocation data is required for every certificate (details: subject, serial). */
  | 'LTV_NO_REVOCATION_SOURCE'
  /** No OCSP response could be obtained for a certificate. */
  | 'OCSP_UNAVAILABLE'
  /** A CRL is refused (signature, issuer, validity, a delta or indirect CRL). */
  | 'CRL_FAILED'
  /** No CRL could be obtained from a distribution point. */
  | 'CRL_UNAVAILABLE'
  // an external tool (certutil, ...) is not installed
  /** An optional package or program a feature needs is not installed (pdfjs-dist for keyword placement, certutil). */
  | 'TOOL_NOT_FOUND'
  // remote signing over the Cloud Signature Consortium API (CscSigner)
  /** The service refused the access token or the client credentials (expired, revoked, wrong). */
  | 'CSC_AUTH_FAILED'
  /** No such credential for this token, or none whose certificate has the subject asked for. */
  | 'CSC_CREDENTIAL_UNKNOWN'
  /** The authorization (SAD) was refused: wrong, expired, used up, or the PIN/OTP was wrong. */
  | 'CSC_SAD_REFUSED'
  /** The credential offers no signature algorithm this signer can use, or the service refused the one asked for. */
  | 'CSC_ALGORITHM_UNSUPPORTED'
  /** The service refused the request for another reason (its error and description are in details). */
  | 'CSC_REQUEST_REFUSED'
  /** The service failed (5xx, overloaded) or answered something that is not the CSC API. */
  | 'CSC_SERVICE_FAILED';

export interface KysoErrorOptions {
  /** The same message for a Vietnamese reader. */
  vi?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/**
 * Marks KysoErrors across copies of this module (the ESM and CJS builds, or
 * a bundle that inlines core twice), so `instanceof` and `isKysoError` hold
 * for an error thrown by any copy.
 */
const MARK = Symbol.for('@kyso/core/KysoError');

export class KysoError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARK] === true;
  }

  override readonly name = 'KysoError';
  readonly [MARK] = true;
  readonly code: KysoErrorCode;
  readonly messageVi: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: KysoErrorCode, message: string, options: KysoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.messageVi = options.vi ?? message;
    this.details = options.details;
  }

  toJSON(): { code: KysoErrorCode; message: string; messageVi: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      messageVi: this.messageVi,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function isKysoError(e: unknown): e is KysoError {
  return e instanceof KysoError;
}
