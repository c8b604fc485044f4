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
  // The document's password is the client's to give (X-Pdf-Password): like any unreadable upload, 422.
  PDF_PASSWORD_REQUIRED: 422,
  PDF_PASSWORD_WRONG: 422,
  PDF_ENCRYPTION_UNSUPPORTED: 422,
  PDF_ENCRYPT_MALFORMED: 422,
  // The document's own permissions forbid the change, as a certification does (SIGN_NOT_PERMITTED).
  PDF_PERMISSION_DENIED: 409,
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
  // The codes store does not answer (a database restarting, a full disk): nothing was issued, retry later.
  CODE_STORE_FAILED: 503,
  CMS_MALFORMED: 422,
  // The identity's chain does not reach the service's trusted roots: no URL of it is fetched (B-LT, B-LTA).
  LTV_CHAIN_UNTRUSTED: 422,
  NETWORK_TIMEOUT: 503,
  NETWORK_FAILED: 503,
  TSA_FAILED: 502,
  TSA_UNAVAILABLE: 503,
  // The key could not be used (a token removed, a remote signer down): nothing was issued, the same request may be retried.
  SIGN_SIGNER_FAILED: 503,
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
  if (fe && typeof fe === 'object' && typeof fe.statusCode === 'number' && fe.statusCode > 500 && fe.statusCode < 600) {
    return { status: fe.statusCode, body: statusBody(fe.statusCode), headers: {} };
  }
  return { status: 500, body: statusBody(500), headers: {} };
}

/**
 * The stable code of every status the framework, a plugin or node's HTTP
 * parser may answer by itself, so that no refusal leaves in another shape
 * (and none repeats the request's path, a header or a stack).
 */
const STATUS_BODIES: Record<number, ErrorBody> = {
  400: { code: 'REQUEST_MALFORMED', message: 'The request is malformed.', messageVi: 'Yêu cầu không đúng cú pháp.' },
  401: { code: 'AUTH_REQUIRED', message: 'A valid API key is required (Authorization: Bearer <key>).', messageVi: 'Cần khóa API hợp lệ (Authorization: Bearer <khóa>).' },
  403: { code: 'FORBIDDEN', message: 'Not allowed.', messageVi: 'Không được phép.' },
  404: { code: 'NOT_FOUND', message: 'No such endpoint.', messageVi: 'Không có điểm truy cập này.' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'This endpoint does not take this method.', messageVi: 'Điểm truy cập này không nhận phương thức này.' },
  406: { code: 'NOT_ACCEPTABLE', message: 'The request body is not what this endpoint takes.', messageVi: 'Nội dung yêu cầu không phải loại điểm truy cập này nhận.' },
  408: { code: 'REQUEST_TIMEOUT', message: 'The request took too long to arrive.', messageVi: 'Yêu cầu gửi đến quá chậm.' },
  411: { code: 'LENGTH_REQUIRED', message: 'Content-Length is required.', messageVi: 'Cần tiêu đề Content-Length.' },
  413: { code: 'BODY_TOO_LARGE', message: 'The request body is too large.', messageVi: 'Nội dung yêu cầu quá lớn.' },
  414: { code: 'URI_TOO_LONG', message: 'The request URL is too long.', messageVi: 'Địa chỉ yêu cầu quá dài.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type.', messageVi: 'Kiểu nội dung (Content-Type) không được hỗ trợ.' },
  431: { code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.', messageVi: 'Phần tiêu đề của yêu cầu quá lớn.' },
  500: { code: 'INTERNAL', message: 'Internal error.', messageVi: 'Lỗi nội bộ.' },
  502: { code: 'UPSTREAM_FAILED', message: 'A service this one depends on failed.', messageVi: 'Một dịch vụ phụ thuộc bị lỗi.' },
  503: { code: 'UNAVAILABLE', message: 'The service cannot answer now; retry later.', messageVi: 'Dịch vụ tạm thời không trả lời được; hãy thử lại sau.' },
  504: { code: 'UPSTREAM_TIMEOUT', message: 'A service this one depends on did not answer in time.', messageVi: 'Một dịch vụ phụ thuộc không trả lời kịp.' },
};

/** The typed body for a bare HTTP status (a refusal that carries no code of its own). */
export function statusBody(status: number): ErrorBody {
  const known = STATUS_BODIES[status];
  if (known) return { ...known };
  if (status >= 500) return { code: 'INTERNAL', message: 'Internal error.', messageVi: 'Lỗi nội bộ.' };
  return { code: 'REQUEST_INVALID', message: `Invalid request (HTTP ${status}).`, messageVi: `Yêu cầu không hợp lệ (HTTP ${status}).` };
}

/** The status codes statusBody knows, for the OpenAPI document. */
export const TYPED_STATUSES: readonly number[] = Object.keys(STATUS_BODIES).map(Number);

function fastifyErrorBody(fe: { statusCode?: number; code?: string; validation?: unknown; message?: string }): ErrorBody {
  const msg = fe.message ?? '';
  if (fe.validation) {
    const named = validationText(fe.validation, (fe as { validationContext?: string }).validationContext);
    if (named) return { code: 'REQUEST_INVALID', message: `Invalid request: ${named.en}`, messageVi: `Yêu cầu không hợp lệ: ${named.vi}` };
    // ajv's text is English: the Vietnamese message does not repeat it.
    return { code: 'REQUEST_INVALID', message: `Invalid request: ${msg}`, messageVi: 'Yêu cầu không hợp lệ: không đúng lược đồ của điểm truy cập này.' };
  }
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
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'REQUEST_INVALID', message: 'The body does not match its Content-Length.', messageVi: 'Nội dung không khớp với Content-Length.' };
    case 'FST_ERR_BAD_URL':
      return { code: 'REQUEST_MALFORMED', message: 'The request URL is malformed.', messageVi: 'Địa chỉ yêu cầu không đúng cú pháp.' };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request is not multipart/form-data.', messageVi: 'Yêu cầu không phải multipart/form-data.' };
    default:
      if (fe.statusCode === 400 && /JSON/i.test(msg)) return { code: 'REQUEST_MALFORMED', message: 'The JSON body is malformed.', messageVi: 'Nội dung JSON không đúng cú pháp.' };
      if (fe.statusCode !== undefined && fe.statusCode !== 400 && STATUS_BODIES[fe.statusCode]) return statusBody(fe.statusCode);
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
  ambiguous: (what: string, whatVi: string) => new HttpError(400, 'AUTH_AMBIGUOUS', `${what}: a request is made with exactly one credential and one identity.`, `${whatVi}: mỗi yêu cầu chỉ dùng đúng một khóa và một danh tính.`),
  repeatedHeader: (name: string) => new HttpError(400, 'HEADER_REPEATED', `The header ${name} is given more than once.`, `Tiêu đề ${name} được gửi nhiều lần.`),
  credentialMisplaced: (where: string, whereVi: string) =>
    new HttpError(400, 'AUTH_MISPLACED', `An API key is sent only in the Authorization header, never in ${where}; this one was not used (replace it if it was real).`, `Khóa API chỉ được gửi trong tiêu đề Authorization, không bao giờ trong ${whereVi}; khóa này không được dùng (hãy thay khóa nếu đó là khóa thật).`),
  draining: () => new HttpError(503, 'SHUTTING_DOWN', 'The service is shutting down.', 'Dịch vụ đang dừng.', { 'retry-after': '5', connection: 'close' }),
};

/** Where a schema failure is, by fastify's validation context: the field is named with it in both languages. */
const PLACES: Record<string, { en: string; vi: string; whole: { en: string; vi: string }; unknown: { en: string; vi: string } }> = {
  body: { en: 'body field', vi: 'trường nội dung', whole: { en: 'the body', vi: 'nội dung yêu cầu' }, unknown: { en: 'field', vi: 'trường' } },
  querystring: { en: 'query parameter', vi: 'tham số truy vấn', whole: { en: 'the query string', vi: 'chuỗi truy vấn' }, unknown: { en: 'parameter', vi: 'tham số' } },
  params: { en: 'path parameter', vi: 'tham số đường dẫn', whole: { en: 'the path', vi: 'đường dẫn' }, unknown: { en: 'parameter', vi: 'tham số' } },
  headers: { en: 'header', vi: 'tiêu đề', whole: { en: 'the headers', vi: 'phần tiêu đề' }, unknown: { en: 'header', vi: 'tiêu đề' } },
  // A multipart form's text fields, checked by the query's schema (/v1/verify).
  form: { en: 'form field', vi: 'trường biểu mẫu', whole: { en: 'the form', vi: 'biểu mẫu' }, unknown: { en: 'field', vi: 'trường' } },
};

/** A schema failure found by a route itself (options merged from the query and a form), in the words fastify's own refusals get. */
export function schemaError(validation: unknown, context: 'body' | 'querystring' | 'params' | 'headers' | 'form'): HttpError {
  const named = validationText(validation, context);
  if (named) return new HttpError(400, 'REQUEST_INVALID', `Invalid request: ${named.en}`, `Yêu cầu không hợp lệ: ${named.vi}`);
  return new HttpError(400, 'REQUEST_INVALID', 'The request is invalid.', 'Yêu cầu không hợp lệ.');
}

/** JSON types by name, in Vietnamese: the client gets the expected type in its language, not ajv's keyword. */
const TYPES_VI: Record<string, string> = {
  string: 'chuỗi ký tự',
  integer: 'số nguyên',
  number: 'số',
  boolean: 'giá trị true/false',
  object: 'đối tượng',
  array: 'mảng',
  null: 'null',
};
const TYPES_EN: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', object: 'an object', array: 'an array', null: 'null' };

interface AjvError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/**
 * A schema failure as a sentence in each language, the field named with
 * where it was (`the query parameter "lang" must be one of: "vi", "en"`).
 * Written here rather than taken from ajv: its messages are English only,
 * and an enum's message does not list the values a client may send. The
 * refused value itself is never repeated (it may be a secret sent in the
 * wrong field).
 */
function validationText(validation: unknown, context: string | undefined): { en: string; vi: string } | undefined {
  const first = Array.isArray(validation) ? (validation[0] as AjvError | undefined) : undefined;
  if (!first) return undefined;
  const place = PLACES[context ?? ''] ?? { en: 'field', vi: 'trường', whole: { en: 'the request', vi: 'yêu cầu' }, unknown: { en: 'field', vi: 'trường' } };
  // "/items/0/name" → "items[0].name": a field path as a client writes it.
  const path = (first.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
  const field = (name: string) => ({ en: `the ${place.en} "${name}"`, vi: `${place.vi} "${name}"` });
  const at = path ? field(path) : place.whole;
  const join = (p: string, f: string) => (p ? `${p}.${f}` : f);
  const params = first.params ?? {};
  const values = (vs: unknown[]) => vs.map((v) => JSON.stringify(v)).join(', ');
  switch (first.keyword) {
    case 'additionalProperties':
      if (typeof params.additionalProperty === 'string') {
        const f = params.additionalProperty;
        return { en: `${path ? `the ${place.en} "${path}"` : place.whole.en} has an unknown ${place.unknown.en} "${f}"`, vi: `${path ? `${place.vi} "${path}"` : place.whole.vi} có ${place.unknown.vi} không được nhận "${f}"` };
      }
      break;
    case 'required':
      if (typeof params.missingProperty === 'string') {
        const f = field(join(path, params.missingProperty));
        return { en: `${f.en} is required`, vi: `thiếu ${f.vi} (bắt buộc)` };
      }
      break;
    case 'enum':
      if (Array.isArray(params.allowedValues)) {
        const list = values(params.allowedValues);
        return { en: `${at.en} must be one of: ${list}`, vi: `${at.vi} phải là một trong các giá trị: ${list}` };
      }
      break;
    case 'const':
      return { en: `${at.en} must be ${JSON.stringify(params.allowedValue)}`, vi: `${at.vi} phải là ${JSON.stringify(params.allowedValue)}` };
    case 'type': {
      const types = (Array.isArray(params.type) ? params.type : String(params.type ?? '').split(',')).map(String).filter(Boolean);
      if (types.length > 0) {
        return {
          en: `${at.en} must be ${types.map((t) => TYPES_EN[t] ?? t).join(' or ')}`,
          vi: `${at.vi} phải là ${types.map((t) => TYPES_VI[t] ?? t).join(' hoặc ')}`,
        };
      }
      break;
    }
    case 'minLength':
    case 'maxLength': {
      const n = Number(params.limit);
      const min = first.keyword === 'minLength';
      return { en: `${at.en} must be at ${min ? 'least' : 'most'} ${n} characters long`, vi: `${at.vi} phải dài ${min ? 'ít nhất' : 'tối đa'} ${n} ký tự` };
    }
    case 'minItems':
    case 'maxItems': {
      const n = Number(params.limit);
      const min = first.keyword === 'minItems';
      return { en: `${at.en} must have at ${min ? 'least' : 'most'} ${n} items`, vi: `${at.vi} phải có ${min ? 'ít nhất' : 'tối đa'} ${n} phần tử` };
    }
    case 'minProperties':
    case 'maxProperties': {
      const n = Number(params.limit);
      const min = first.keyword === 'minProperties';
      return { en: `${at.en} must have at ${min ? 'least' : 'most'} ${n} fields`, vi: `${at.vi} phải có ${min ? 'ít nhất' : 'tối đa'} ${n} trường` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const n = Number(params.limit);
      const vi: Record<string, string> = { '>=': 'lớn hơn hoặc bằng', '<=': 'nhỏ hơn hoặc bằng', '>': 'lớn hơn', '<': 'nhỏ hơn' };
      const en: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' };
      const c = String(params.comparison ?? '');
      if (vi[c]) return { en: `${at.en} must be ${en[c]} ${n}`, vi: `${at.vi} phải ${vi[c]} ${n}` };
      break;
    }
    case 'pattern':
      return { en: `${at.en} must match the pattern ${String(params.pattern)}`, vi: `${at.vi} phải khớp mẫu ${String(params.pattern)}` };
    case 'format':
      return { en: `${at.en} must be in the format ${String(params.format)}`, vi: `${at.vi} phải theo định dạng ${String(params.format)}` };
    case 'uniqueItems':
      return { en: `${at.en} must not repeat an item`, vi: `${at.vi} không được có phần tử trùng nhau` };
    case 'multipleOf':
      return { en: `${at.en} must be a multiple of ${String(params.multipleOf)}`, vi: `${at.vi} phải là bội số của ${String(params.multipleOf)}` };
  }
  // Any other keyword: ajv's English, and in Vietnamese the field and that it is invalid, never an English phrase.
  return { en: `${at.en} ${first.message ?? 'is invalid'}`, vi: `${at.vi} không hợp lệ` };
}
