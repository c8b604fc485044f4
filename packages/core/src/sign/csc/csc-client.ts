/**
 * The HTTP side of a CSC v2 client: JSON POSTs to `<base>/<method>` with a
 * Bearer access token, a deadline per call, no redirects (a token is never
 * sent on to another address), and every refusal turned into a KysoError.
 * The access token comes as given, or from the OAuth2 client-credentials
 * grant (fetched again once when the service says it expired), or from
 * auth/login with HTTP Basic. Tokens, SADs, PINs and client secrets never
 * go into an error message or its details.
 */
import { KysoError, type KysoErrorCode } from '../../errors.js';

export interface CscClientCredentials {
  clientId: string;
  clientSecret: string;
  /** The OAuth2 token endpoint. Default `<url>/oauth2/token`. */
  tokenUrl?: string;
  scope?: string;
}

export interface CscAuthOptions {
  /** An access token (Bearer) the caller already has. */
  token?: string;
  /** OAuth2 client credentials grant (RFC 6749 §4.4). */
  clientCredentials?: CscClientCredentials;
  /** auth/login with HTTP Basic (the service's user name and password, or an API key id and key). */
  login?: { username: string; password: string };
}

export interface CscClientOptions extends CscAuthOptions {
  /** Base URL of the CSC API, the part before `info` (e.g. `https://host/csc/v2`). */
  url: string;
  /** Deadline of each call. Default 30 000 ms. */
  timeoutMs?: number;
  /** Largest answer accepted. Default 16 MiB. */
  maxBytes?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

interface CscErrorBody {
  error?: unknown;
  error_description?: unknown;
  code?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class CscClient {
  readonly base: string;
  readonly #options: CscClientOptions;
  readonly #fetch: typeof fetch;
  #token: string | undefined;
  #obtaining: Promise<string> | undefined;

  constructor(options: CscClientOptions) {
    const ways = [options.token, options.clientCredentials, options.login].filter((w) => w !== undefined).length;
    if (ways !== 1) {
      throw new KysoError('SIGN_OPTIONS_INVALID', 'Give exactly one of token, clientCredentials or login for the CSC service', {
        vi: 'Cung cấp đúng một trong token, clientCredentials hoặc login cho dịch vụ CSC',
      });
    }
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new KysoError('SIGN_OPTIONS_INVALID', 'The CSC service URL is not a URL', { vi: 'Địa chỉ dịch vụ CSC không phải URL hợp lệ' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new KysoError('SIGN_OPTIONS_INVALID', 'The CSC service URL must be http(s)', { vi: 'Địa chỉ dịch vụ CSC phải là http(s)' });
    }
    this.base = url.href.replace(/\/+$/, '');
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#token = options.token;
  }

  /** POSTs `body` to `<base>/<method>` and returns the JSON answer. */
  async call<T>(method: string, body: Record<string, unknown>, authenticated = true): Promise<T> {
    if (!authenticated) return this.#post<T>(method, body, undefined);
    const token = await this.#accessToken();
    try {
      return await this.#post<T>(method, body, token);
    } catch (e) {
      // A token fetched by client credentials that expired is fetched again, once.
      if (e instanceof KysoError && e.code === 'CSC_AUTH_FAILED' && !this.#options.token) {
        if (this.#token === token) this.#token = undefined;
        return this.#post<T>(method, body, await this.#accessToken());
      }
      throw e;
    }
  }

  async #accessToken(): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    this.#obtaining ??= this.#obtain().finally(() => {
      this.#obtaining = undefined;
    });
    return this.#obtaining;
  }

  async #obtain(): Promise<string> {
    const o = this.#options;
    let answer: { access_token?: unknown };
    if (o.clientCredentials) {
      const c = o.clientCredentials;
      const form = new URLSearchParams({ grant_type: 'client_credentials', ...(c.scope ? { scope: c.scope } : {}) });
      const basic = Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64');
      answer = await this.#send(c.tokenUrl ?? `${this.base}/oauth2/token`, 'oauth2/token', form.toString(), 'application/x-www-form-urlencoded', `Basic ${basic}`);
    } else {
      const l = o.login!;
      const basic = Buffer.from(`${l.username}:${l.password}`).toString('base64');
      answer = await this.#send(`${this.base}/auth/login`, 'auth/login', '{}', 'application/json', `Basic ${basic}`);
    }
    if (typeof answer.access_token !== 'string' || answer.access_token.length === 0) throw protocol('auth', 'no access_token in the answer', 'không có access_token trong câu trả lời');
    this.#token = answer.access_token;
    return answer.access_token;
  }

  #post<T>(method: string, body: Record<string, unknown>, token: string | undefined): Promise<T> {
    return this.#send<T>(`${this.base}/${method}`, method, JSON.stringify(body), 'application/json', token === undefined ? undefined : `Bearer ${token}`);
  }

  async #send<T>(url: string, method: string, body: string, contentType: string, authorization: string | undefined): Promise<T> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json', ...(authorization ? { authorization } : {}) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new KysoError('NETWORK_TIMEOUT', `The CSC service did not answer ${method} within ${timeoutMs} ms`, {
          vi: `Dịch vụ CSC không trả lời ${method} trong ${timeoutMs} ms`,
          details: { method },
        });
      }
      throw new KysoError('NETWORK_FAILED', `The CSC service cannot be reached (${method})`, { vi: `Không kết nối được dịch vụ CSC (${method})`, cause: e, details: { method } });
    }
    const text = await readLimited(res, this.#options.maxBytes ?? 16 * 1024 * 1024, method);
    let json: unknown;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 300 && res.status < 400) throw refused('CSC_SERVICE_FAILED', method, res.status, {}, 'it answered with a redirect, which is not followed', 'dịch vụ trả lời bằng chuyển hướng, không được theo');
    if (!res.ok) throw mapError(method, res.status, (json ?? {}) as CscErrorBody);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw protocol(method, 'the answer is not a JSON object', 'câu trả lời không phải đối tượng JSON');
    return json as T;
  }
}

async function readLimited(res: Response, max: number, method: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) throw protocol(method, 'the answer is too large', 'câu trả lời quá lớn');
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw protocol(method, 'the answer is too large', 'câu trả lời quá lớn');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function protocol(method: string, en: string, vi: string): KysoError {
  return new KysoError('CSC_SERVICE_FAILED', `The CSC service's answer to ${method} is not usable: ${en}`, {
    vi: `Câu trả lời của dịch vụ CSC cho ${method} không dùng được: ${vi}`,
    details: { method },
  });
}

/** Printable, short and free of anything secret-looking: what the service said goes into messages only this way. */
function said(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return v.replace(/[^\x20-\x7e\u00a0-\u1fff]/g, '').slice(0, 200);
}

function refused(code: KysoErrorCode, method: string, status: number, b: CscErrorBody, en: string, vi: string): KysoError {
  const error = said(b.error);
  const description = said(b.error_description);
  const serviceCode = said(b.code);
  const tail = [error, description].filter(Boolean).join(': ');
  return new KysoError(code, `The CSC service refused ${method} (HTTP ${status}${tail ? `, ${tail}` : ''}): ${en}`, {
    vi: `Dịch vụ CSC từ chối ${method} (HTTP ${status}${tail ? `, ${tail}` : ''}): ${vi}`,
    details: { method, status, ...(error ? { error } : {}), ...(description ? { errorDescription: description } : {}), ...(serviceCode ? { serviceCode } : {}) },
  });
}

/**
 * A CSC refusal as one of kyso's codes. kyso's own service sends its stable
 * code beside the CSC error; any other service is read by the CSC error
 * and the parameter its description names ("Invalid parameter SAD").
 */
export function mapError(method: string, status: number, b: CscErrorBody): KysoError {
  const error = typeof b.error === 'string' ? b.error : '';
  const description = typeof b.error_description === 'string' ? b.error_description : '';
  const code = typeof b.code === 'string' ? b.code : '';
  const about = (re: RegExp) => re.test(code) || re.test(description);
  if (status === 401 || /^(invalid_token|invalid_client|unauthorized_client|invalid_grant|unauthorized)$/.test(error) || /^CSC_TOKEN_/.test(code)) {
    return refused('CSC_AUTH_FAILED', method, status, b, 'the access token or client credentials were not accepted', 'mã truy cập hoặc thông tin xác thực không được chấp nhận');
  }
  if (status >= 500 || status === 429 || /^(server_error|temporarily_unavailable)$/.test(error)) {
    return refused('CSC_SERVICE_FAILED', method, status, b, 'the service failed or is overloaded; retry later', 'dịch vụ bị lỗi hoặc quá tải; hãy thử lại sau');
  }
  if (about(/credential(ID)?\b|CSC_CREDENTIAL/i)) return refused('CSC_CREDENTIAL_UNKNOWN', method, status, b, 'no such credential for this account', 'không có thông tin ký (credential) này cho tài khoản');
  if (about(/\bSAD\b|CSC_SAD|CSC_AUTH_DATA|\bPIN\b|\bOTP\b|authData/i)) {
    return refused('CSC_SAD_REFUSED', method, status, b, 'the signature activation data (SAD) or the PIN/OTP was refused: authorize again', 'dữ liệu kích hoạt chữ ký (SAD) hoặc mã PIN/OTP bị từ chối: hãy ủy quyền lại');
  }
  if (about(/signAlgo|hashAlgo|CSC_ALGORITHM/i)) return refused('CSC_ALGORITHM_UNSUPPORTED', method, status, b, 'the signature algorithm is not offered by the credential', 'thuật toán ký không được thông tin ký hỗ trợ');
  return refused('CSC_REQUEST_REFUSED', method, status, b, 'the request was refused', 'yêu cầu bị từ chối');
}
