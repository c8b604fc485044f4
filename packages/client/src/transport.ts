import { clientErrors, KysoClientError } from './errors.js';

/** How the client reaches the service. */
export interface TransportOptions {
  /** The service's address, e.g. `https://kyso.example.gov.vn` or `http://127.0.0.1:8080/kyso` (a path prefix is kept). */
  baseUrl: string;
  /** The API key, sent only as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Time for one call, the upload and the whole answer included (default 60 000 ms). */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

type QueryValue = string | number | boolean | undefined;

export interface Call {
  method: 'GET' | 'POST';
  /** From the base URL, starting with `/`; path parameters already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string | undefined>;
  /** A binary body (PDF, scan) with its media type. */
  body?: { bytes: Uint8Array; type: string };
  /** A JSON body. */
  json?: unknown;
  /** Statuses other than 2xx that are an answer rather than a refusal (/readyz's 503). */
  answers?: readonly number[];
}

/** What the service answered, its body read in full. */
export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** The request side of the client: URL, credentials, deadline, and every failure as a KysoClientError. */
export class Transport {
  private readonly base: string;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw clientErrors.options(`baseUrl is not a URL: ${JSON.stringify(options.baseUrl)}.`, `baseUrl không phải một URL: ${JSON.stringify(options.baseUrl)}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw clientErrors.options(`baseUrl must be http: or https:, not ${url.protocol}.`, `baseUrl phải là http: hoặc https:, không phải ${url.protocol}.`);
    if (url.username || url.password) {
      throw clientErrors.options('baseUrl must not carry credentials: give the API key as apiKey (sent as Authorization: Bearer).', 'baseUrl không được chứa thông tin đăng nhập: hãy truyền khóa API qua apiKey (gửi trong Authorization: Bearer).');
    }
    if (url.search || url.hash) throw clientErrors.options('baseUrl must not have a query or a fragment.', 'baseUrl không được có chuỗi truy vấn hoặc phân đoạn (#).');
    this.base = url.href.replace(/\/+$/, '');
    // Checked here, not by fetch: fetch's own error would quote the header, key and all.
    if (options.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(options.apiKey)) throw clientErrors.options('apiKey must be printable ASCII without spaces.', 'apiKey chỉ được chứa ký tự ASCII in được, không có khoảng trắng.');
    this.apiKey = options.apiKey;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw clientErrors.options('No fetch here: give one as the fetch option.', 'Không có fetch: hãy truyền một hàm fetch qua tùy chọn fetch.');
    // Called unbound, the global fetch of some browsers throws "Illegal invocation".
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw clientErrors.options('timeoutMs must be a positive number of milliseconds.', 'timeoutMs phải là một số mili giây dương.');
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(name, String(value));
    const q = params.toString();
    return `${this.base}${path}${q ? `?${q}` : ''}`;
  }

  async call(c: Call): Promise<Answer> {
    const url = this.url(c.path, c.query);
    const headers: Record<string, string> = { accept: 'application/json, application/pdf, text/plain' };
    if (this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    let body: Uint8Array | string | undefined;
    if (c.body) {
      headers['content-type'] = c.body.type;
      body = c.body.bytes;
    } else if (c.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(c.json);
    }
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      if (value === undefined) continue;
      // Header values are ASCII: text that may be Vietnamese is percent-encoded by the caller; anything else is refused before it is sent.
      if (!/^[\x20-\x7e]*$/.test(value)) throw clientErrors.options(`The ${name} header may hold printable ASCII only.`, `Tiêu đề ${name} chỉ được chứa ký tự ASCII in được.`);
      headers[name.toLowerCase()] = value;
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    // The service's address without the path: what the messages name (never a query, never a key).
    const where = this.base;
    let answer: Answer;
    try {
      const r = await this.fetchImpl(url, { method: c.method, headers, body: body as never, signal: controller.signal, redirect: 'error' });
      answer = { status: r.status, headers: r.headers, body: new Uint8Array(await r.arrayBuffer()) };
    } catch (e) {
      if (timedOut) throw clientErrors.timeout(where, this.timeoutMs);
      if (e instanceof KysoClientError) throw e;
      throw clientErrors.network(where, describe(e), e);
    } finally {
      clearTimeout(timer);
    }
    if ((answer.status >= 200 && answer.status < 300) || c.answers?.includes(answer.status)) return answer;
    throw refusal(answer);
  }
}

/** What went wrong under fetch, in a few words: the system's code (ECONNREFUSED) where there is one. */
function describe(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string' && cause.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}

/** Seconds from a Retry-After header (delay-seconds or an HTTP date). */
export function retryAfterOf(headers: Headers, now = Date.now()): number | undefined {
  const v = headers.get('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now) / 1000));
}

/** A non-2xx answer as a KysoClientError: the service's `{ code, message, messageVi }`, or CLIENT_UNEXPECTED_RESPONSE. */
function refusal(a: Answer): KysoClientError {
  const retryAfter = retryAfterOf(a.headers);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(a.body));
  } catch {
    parsed = undefined;
  }
  const b = parsed as { code?: unknown; message?: unknown; messageVi?: unknown } | undefined;
  if (b && typeof b.code === 'string' && typeof b.message === 'string') {
    return new KysoClientError({
      status: a.status,
      code: b.code,
      message: b.message,
      messageVi: typeof b.messageVi === 'string' ? b.messageVi : b.message,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    });
  }
  return clientErrors.unexpected(a.status, { en: "a body that is not kyso's error", vi: 'nội dung không phải lỗi của kyso' }, retryAfter);
}

/** A 2xx answer's JSON body. */
export function jsonOf<T>(a: Answer): T {
  try {
    return JSON.parse(new TextDecoder().decode(a.body)) as T;
  } catch {
    throw clientErrors.unexpected(a.status, { en: 'a body that is not JSON', vi: 'nội dung không phải JSON' }, undefined);
  }
}

export function textOf(a: Answer): string {
  return new TextDecoder().decode(a.body);
}
