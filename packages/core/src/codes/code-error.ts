import { KysoError, type KysoErrorCode } from '../errors.js';

/**
 * Shorthands for the typed errors of `codes/`: every failure is a `KysoError`
 * with a stable code and an English and a Vietnamese message.
 */
export function invalidCode(message: string, vi: string, details?: Record<string, unknown>): KysoError {
  return new KysoError('CODE_INVALID', message, { vi, ...(details ? { details } : {}) });
}

export function codeError(
  code: Extract<KysoErrorCode, `CODE_${string}`>,
  message: string,
  vi: string,
  options: { details?: Record<string, unknown>; cause?: unknown } = {},
): KysoError {
  return new KysoError(code, message, { vi, ...options });
}
