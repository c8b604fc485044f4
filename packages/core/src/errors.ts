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
  | 'PDF_EMPTY'
  | 'PDF_NOT_PDF'
  | 'PDF_TRUNCATED'
  | 'PDF_XREF_BROKEN'
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
  | 'PDF_TOO_LARGE'
  | 'PDF_UNSUPPORTED'
  // keys and certificates
  | 'KEY_BAD_PASSWORD'
  | 'KEY_MISMATCH'
  | 'KEY_UNSUPPORTED'
  | 'KEY_NOT_FOUND'
  | 'CERT_INVALID'
  // signing
  | 'SIGN_FIELD_EXISTS'
  | 'SIGN_FIELD_NOT_FOUND'
  | 'SIGN_CONTENTS_TOO_SMALL'
  | 'SIGN_SIGNER_FAILED'
  | 'SIGN_OPTIONS_INVALID'
  | 'SIGN_NOT_PERMITTED'
  /** A certification (DocMDP) asked for on a document that is already signed or certified. */
  | 'SIGN_CERTIFY_NOT_FIRST'
  /** Signing into a field that an earlier signature's FieldMDP lock covers. */
  | 'SIGN_FIELD_LOCKED'
  | 'APPEARANCE_KEYWORD_NOT_FOUND'
  // CMS
  | 'CMS_MALFORMED'
  | 'CMS_UNSUPPORTED'
  // codes and sequences
  | 'CODE_INVALID'
  | 'CODE_STORE_FAILED'
  | 'CODE_NOT_FOUND'
  | 'CODE_STATE'
  // trust
  | 'TRUST_INVALID'
  // generic I/O
  | 'IO_ERROR'
  // network (time-stamping and revocation services)
  | 'NETWORK_TIMEOUT'
  | 'NETWORK_FAILED'
  // time-stamping (RFC 3161) and revocation (OCSP, CRL)
  | 'TSA_FAILED'
  | 'TSA_UNAVAILABLE'
  | 'OCSP_FAILED'
  | 'LTV_CHAIN_UNTRUSTED'
  | 'OCSP_UNAVAILABLE'
  | 'CRL_FAILED'
  | 'CRL_UNAVAILABLE'
  // an external tool (certutil, ...) is not installed
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
