import { isKysoError, type KysoError } from '@kyso/core';

/**
 * An error the service answers with: an HTTP status and the body
 * `{ code, message, messageVi }`. Secrets never go into these messages.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageVi: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  messageVi: string;
}

const KYSO_STATUS: Record<string, number> = {
  PDF_EMPTY: 422,
  PDF_NOT_PDF: 422,
  PDF_TRUNCATED: 422,
  PDF_XREF_BROKEN: 422,
  PDF_MALFORMED: 422,
  PDF_ENCRYPTED: 422,
  PDF_UNSUPPORTED: 422,
  PDF_TOO_LARGE: 413,
  SIGN_FIELD_EXISTS: 409,
  SIGN_FIELD_NOT_FOUND: 404,
  SIGN_NOT_PERMITTED: 409,
  SIGN_CERTIFY_NOT_FIRST: 409,
  SIGN_FIELD_LOCKED: 409,
  SIGN_OPTIONS_INVALID: 400,
  APPEARANCE_KEYWORD_NOT_FOUND: 400,
  CODE_INVALID: 400,
  CODE_NOT_FOUND: 404,
  CODE_STATE: 409,
  CMS_MALFORMED: 422,
  NETWORK_TIMEOUT: 503,
  NETWORK_FAILED: 503,
  TSA_FAILED: 502,
  TSA_UNAVAILABLE: 503,
  PKCS11_ERROR: 503,
  PKCS11_TOKEN_NOT_FOUND: 503,
  PKCS11_PIN_LOCKED: 503,
  PKCS11_PIN_INCORRECT: 503,
};

/** The status and body for any error thrown while handling a request. */
export function toErrorResponse(e: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (e instanceof HttpError) return { status: e.status, body: { code: e.code, message: e.message, messageVi: e.messageVi }, headers: e.headers };
  if (isKysoError(e)) {
    const k = e as KysoError;
    const status = KYSO_STATUS[k.code] ?? 500;
    if (status >= 500) {
      // Operator-facing details stay in the log; the client gets the stable code.
      return { status, body: { code: k.code, message: 'The service could not complete the request.', messageVi: 'Dịch vụ không thực hiện được yêu cầu.' }, headers: {} };
    }
    return { status, body: { code: k.code, message: k.message, messageVi: k.messageVi }, headers: {} };
  }
  const fe = e as { statusCode?: number; code?: string; validation?: unknown; message?: string };
  if (fe && typeof fe === 'object' && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: fastifyErrorBody(fe), headers: {} };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'Internal error.', messageVi: 'Lỗi nội bộ.' }, headers: {} };
}

function fastifyErrorBody(fe: { statusCode?: number; code?: string; validation?: unknown; message?: string }): ErrorBody {
  const msg = fe.message ?? '';
  if (fe.validation) return { code: 'REQUEST_INVALID', message: `Invalid request: ${msg}`, messageVi: `Yêu cầu không hợp lệ: ${msg}` };
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', message: 'The request body is too large.', messageVi: 'Nội dung yêu cầu quá lớn.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type.', messageVi: 'Kiểu nội dung (Content-Type) không được hỗ trợ.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'REQUEST_MALFORMED', message: 'The JSON body is malformed.', messageVi: 'Nội dung JSON không đúng cú pháp.' };
    case 'FST_ERR_CTP_EMPTY_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Missing or invalid Content-Type.', messageVi: 'Thiếu hoặc sai kiểu nội dung (Content-Type).' };
    default:
      if (fe.statusCode === 400 && /JSON/i.test(msg)) return { code: 'REQUEST_MALFORMED', message: 'The JSON body is malformed.', messageVi: 'Nội dung JSON không đúng cú pháp.' };
      return { code: 'REQUEST_INVALID', message: `Invalid request (${fe.code ?? fe.statusCode}).`, messageVi: `Yêu cầu không hợp lệ (${fe.code ?? fe.statusCode}).` };
  }
}

export const errors = {
  unauthorized: () => new HttpError(401, 'AUTH_REQUIRED', 'A valid API key is required (Authorization: Bearer <key>).', 'Cần khóa API hợp lệ (Authorization: Bearer <khóa>).', { 'www-authenticate': 'Bearer' }),
  forbidden: (what: string, whatVi: string) => new HttpError(403, 'FORBIDDEN', `This API key may not ${what}.`, `Khóa API này không được phép ${whatVi}.`),
  unknownIdentity: (name: string) => new HttpError(400, 'IDENTITY_UNKNOWN', `Unknown signing identity "${name}".`, `Không có danh tính ký "${name}".`),
  identityRequired: () => new HttpError(400, 'IDENTITY_REQUIRED', 'Name the identity to use (?identity=...): this API key may use several.', 'Hãy chỉ rõ danh tính ký (?identity=...): khóa API này dùng được nhiều danh tính.'),
  notPdf: () => new HttpError(422, 'PDF_NOT_PDF', 'The body is not a PDF file.', 'Nội dung gửi lên không phải tệp PDF.'),
  busy: (retryAfter: number) => new HttpError(429, 'BUSY', 'Too many requests in progress; retry later.', 'Có quá nhiều yêu cầu đang xử lý; hãy thử lại sau.', { 'retry-after': String(retryAfter) }),
  draining: () => new HttpError(503, 'SHUTTING_DOWN', 'The service is shutting down.', 'Dịch vụ đang dừng.', { 'retry-after': '5', connection: 'close' }),
};
