/**
 * Every failure of a call to the service: a refusal (any status other than
 * 2xx, with the service's stable code and its messages in English and
 * Vietnamese), a network failure (CLIENT_NETWORK), a timeout
 * (CLIENT_TIMEOUT) or an answer that is not the service's
 * (CLIENT_UNEXPECTED_RESPONSE), or options the client cannot send
 * (CLIENT_OPTIONS_INVALID, thrown before anything is sent).
 */
export type KysoClientErrorCode = 'CLIENT_NETWORK' | 'CLIENT_TIMEOUT' | 'CLIENT_UNEXPECTED_RESPONSE' | 'CLIENT_OPTIONS_INVALID';

export interface KysoClientErrorInit {
  /** The HTTP status; 0 when no answer came (CLIENT_NETWORK, CLIENT_TIMEOUT). */
  status: number;
  /** The service's stable code (`AUTH_REQUIRED`, `PDF_NOT_PDF`, …) or one of the client's own ({@link KysoClientErrorCode}). */
  code: string;
  message: string;
  messageVi: string;
  /** Seconds to wait before retrying, from the Retry-After header. */
  retryAfter?: number;
  cause?: unknown;
}

export class KysoClientError extends Error {
  override readonly name = 'KysoClientError';
  readonly status: number;
  readonly code: string;
  readonly messageVi: string;
  declare readonly retryAfter?: number;

  constructor(init: KysoClientErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.status = init.status;
    this.code = init.code;
    this.messageVi = init.messageVi;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }
}

export function isKysoClientError(e: unknown): e is KysoClientError {
  return e instanceof KysoClientError;
}

/** The client's own errors, each in English and Vietnamese. */
export const clientErrors = {
  network: (url: string, detail: string, cause: unknown) =>
    new KysoClientError({
      status: 0,
      code: 'CLIENT_NETWORK',
      message: `The kyso service at ${url} could not be reached: ${detail}.`,
      messageVi: `Không kết nối được tới dịch vụ kyso tại ${url}: ${detail}.`,
      cause,
    }),
  timeout: (url: string, ms: number) =>
    new KysoClientError({
      status: 0,
      code: 'CLIENT_TIMEOUT',
      message: `The kyso service at ${url} did not answer within ${ms} ms.`,
      messageVi: `Dịch vụ kyso tại ${url} không trả lời trong ${ms} ms.`,
    }),
  options: (en: string, vi: string) => new KysoClientError({ status: 0, code: 'CLIENT_OPTIONS_INVALID', message: en, messageVi: vi }),
  unexpected: (status: number, what: { en: string; vi: string }, retryAfter: number | undefined) =>
    new KysoClientError({
      status,
      code: 'CLIENT_UNEXPECTED_RESPONSE',
      message: `The service answered ${status} with ${what.en}.`,
      messageVi: `Dịch vụ trả lời ${status} với ${what.vi}.`,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    }),
};
