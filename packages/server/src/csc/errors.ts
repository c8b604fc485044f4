/**
 * Refusals of the CSC API in the specification's JSON error form,
 * `{ "error", "error_description" }`, with kyso's stable `code` and its
 * English and Vietnamese messages beside them. Secrets (token, SAD, PIN,
 * OTP) never go into a description.
 */
import { HttpError, toErrorResponse } from '../errors.js';

/** A CSC refusal: the CSC error name and description, and kyso's code and messages. */
export class CscError extends HttpError {
  constructor(
    status: number,
    readonly error: string,
    readonly errorDescription: string,
    code: string,
    message: string,
    messageVi: string,
    headers: Record<string, string> = {},
  ) {
    super(status, code, message, messageVi, headers);
  }
}

export interface CscErrorBody {
  error: string;
  error_description: string;
  code: string;
  message: string;
  messageVi: string;
}

/** The schema of every CSC refusal (OpenAPI and the response serializer). */
export const cscErrorSchema = {
  type: 'object',
  required: ['error', 'error_description', 'code', 'message', 'messageVi'],
  properties: {
    error: { type: 'string', description: 'CSC / OAuth 2.0 error (invalid_request, invalid_token, access_denied, …)' },
    error_description: { type: 'string', description: 'CSC error description, e.g. "Invalid parameter SAD"' },
    code: { type: 'string', description: "kyso's stable error code" },
    message: { type: 'string' },
    messageVi: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const bearerChallenge = (error: string) => ({ 'www-authenticate': `Bearer error="${error}"` });

export const cscErrors = {
  tokenMissing: () => new CscError(401, 'invalid_token', 'Missing access token', 'CSC_TOKEN_INVALID', 'An access token is required (Authorization: Bearer <token> from auth/login or oauth2/token).', 'Cần mã truy cập (Authorization: Bearer <mã> lấy từ auth/login hoặc oauth2/token).', { 'www-authenticate': 'Bearer' }),
  tokenInvalid: () => new CscError(401, 'invalid_token', 'The access token is not valid', 'CSC_TOKEN_INVALID', 'The access token is not valid.', 'Mã truy cập không hợp lệ.', bearerChallenge('invalid_token')),
  tokenExpired: () => new CscError(401, 'invalid_token', 'The access token expired', 'CSC_TOKEN_EXPIRED', 'The access token has expired: log in again.', 'Mã truy cập đã hết hạn: hãy đăng nhập lại.', bearerChallenge('invalid_token')),
  loginFailed: () => new CscError(401, 'invalid_client', 'Authentication failed', 'AUTH_REQUIRED', 'A valid API key is required (Authorization: Bearer <key>, or Basic with the key id and key).', 'Cần khóa API hợp lệ (Authorization: Bearer <khóa>, hoặc Basic với mã và khóa).', { 'www-authenticate': 'Basic realm="kyso", Bearer' }),
  forbidden: () => new CscError(403, 'access_denied', 'This API key may not use the CSC API', 'FORBIDDEN', 'This API key may not use remote signing (operation "csc").', 'Khóa API này không được phép ký từ xa (thao tác "csc").'),
  credentialUnknown: () => new CscError(400, 'invalid_request', 'Invalid parameter credentialID', 'CSC_CREDENTIAL_UNKNOWN', 'No such credential for this API key.', 'Không có thông tin ký (credential) này cho khóa API này.'),
  sadInvalid: () => new CscError(400, 'invalid_request', 'Invalid parameter SAD', 'CSC_SAD_INVALID', 'The signature activation data (SAD) is not valid for this credential.', 'Dữ liệu kích hoạt chữ ký (SAD) không hợp lệ cho thông tin ký này.'),
  sadExpired: () => new CscError(400, 'invalid_request', 'SAD expired', 'CSC_SAD_EXPIRED', 'The signature activation data (SAD) has expired: authorize again.', 'Dữ liệu kích hoạt chữ ký (SAD) đã hết hạn: hãy ủy quyền lại.'),
  sadExhausted: (left: number) =>
    new CscError(400, 'invalid_request', 'Invalid parameter SAD: the number of signatures it authorizes is exceeded', 'CSC_SAD_EXHAUSTED', `The SAD does not cover that many more signatures (${left} left): authorize again.`, `SAD không còn đủ số chữ ký được phép (còn ${left}): hãy ủy quyền lại.`),
  sadHashes: () => new CscError(400, 'invalid_request', 'Invalid parameter hashes: not the ones the SAD was issued for', 'CSC_SAD_INVALID', 'These hashes are not the ones the SAD was issued for (SCAL2).', 'Các giá trị băm không phải các giá trị SAD được cấp cho (SCAL2).'),
  authDataRequired: (ids: string[]) => new CscError(400, 'invalid_request', `Missing parameter authData (${ids.join(', ')})`, 'CSC_AUTH_DATA_REQUIRED', `This credential needs ${ids.join(' and ')} in authData.`, `Thông tin ký này cần ${ids.join(' và ')} trong authData.`),
  authDataInvalid: () => new CscError(400, 'invalid_request', 'Invalid authData: the PIN or OTP is wrong', 'CSC_AUTH_DATA_INVALID', 'The PIN or OTP is wrong.', 'Mã PIN hoặc OTP không đúng.'),
  authDataLocked: (seconds: number) =>
    new CscError(429, 'access_denied', 'Too many wrong PIN or OTP values; retry later', 'CSC_AUTH_DATA_LOCKED', `Too many wrong PIN or OTP values for this credential: retry in ${seconds} s.`, `Nhập sai mã PIN hoặc OTP quá nhiều lần cho thông tin ký này: thử lại sau ${seconds} giây.`, { 'retry-after': String(seconds) }),
  tooManySignatures: (max: number) => new CscError(400, 'invalid_request', 'Invalid parameter numSignatures', 'CSC_BATCH_TOO_LARGE', `At most ${max} signatures may be authorized at once.`, `Chỉ được ủy quyền tối đa ${max} chữ ký một lần.`),
  tooManyHashes: (max: number) => new CscError(400, 'invalid_request', 'Invalid parameter hashes: more than multisign', 'CSC_BATCH_TOO_LARGE', `At most ${max} hashes per signHash call (multisign).`, `Mỗi lần gọi signHash tối đa ${max} giá trị băm (multisign).`),
  hashInvalid: (i: number, want: number) =>
    new CscError(400, 'invalid_request', 'Invalid parameter hashes', 'CSC_HASH_INVALID', `hashes[${i}] is not a base64 hash of ${want} bytes.`, `hashes[${i}] không phải giá trị băm base64 dài ${want} byte.`),
  algorithm: (what: string) => new CscError(400, 'invalid_request', `Invalid parameter ${what}`, 'CSC_ALGORITHM_UNSUPPORTED', `The ${what} is not one this credential offers (credentials/info key.algo; SHA-256/384/512 only).`, `Tham số ${what} không thuộc các thuật toán thông tin ký này hỗ trợ (credentials/info key.algo; chỉ SHA-256/384/512).`),
  operationMode: () => new CscError(400, 'invalid_request', 'Invalid parameter operationMode', 'CSC_UNSUPPORTED', 'Only the synchronous operation mode ("S") is offered.', 'Chỉ hỗ trợ chế độ đồng bộ ("S").'),
  nonce: () => new CscError(400, 'invalid_request', 'Invalid parameter nonce', 'CSC_UNSUPPORTED', 'A client nonce is not supported: the token carries the nonce kyso sent to the TSA and checked.', 'Không hỗ trợ nonce của máy khách: dấu thời gian mang nonce do kyso gửi tới TSA và đã kiểm tra.'),
  noTsa: () => new CscError(400, 'invalid_request', 'signatures/timestamp is not available', 'LEVEL_NEEDS_TSA', 'No TSA is configured on this service.', 'Dịch vụ này chưa cấu hình máy chủ dấu thời gian (TSA).'),
  grantType: () => new CscError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported', 'REQUEST_INVALID', 'Only the client_credentials grant is offered.', 'Chỉ hỗ trợ kiểu cấp quyền client_credentials.'),
};

/** The CSC error name for a status, for refusals that carry only kyso's code (shared hooks, the framework). */
function cscNameFor(status: number): string {
  if (status === 401) return 'invalid_token';
  if (status === 403) return 'access_denied';
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** Any error raised while handling a CSC request, as the CSC JSON error with kyso's code. */
export function toCscErrorResponse(e: unknown): { status: number; body: CscErrorBody; headers: Record<string, string> } {
  if (e instanceof CscError) {
    return { status: e.status, body: { error: e.error, error_description: e.errorDescription, code: e.code, message: e.message, messageVi: e.messageVi }, headers: e.headers };
  }
  const { status, body, headers } = toErrorResponse(e);
  const v = (e as { validation?: { instancePath?: string; params?: Record<string, unknown> }[] } | undefined)?.validation?.[0];
  let description = body.message;
  if (v) {
    // "Invalid parameter SAD", as the CSC specification words it; the name of the field only, never its value.
    const field = (v.instancePath ?? '').split('/').filter(Boolean)[0] ?? (typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : typeof v.params?.additionalProperty === 'string' ? v.params.additionalProperty : '');
    description = typeof v.params?.missingProperty === 'string' && !v.instancePath ? `Missing parameter ${field}` : field ? `Invalid parameter ${field}` : 'Invalid request';
  }
  return { status, body: { error: cscNameFor(status), error_description: description, ...body }, headers };
}
