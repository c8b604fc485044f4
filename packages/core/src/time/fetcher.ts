/**
 * How the time-stamp and revocation clients reach the network. A `Fetcher`
 * is a plain function, so callers can keep verification offline
 * (`offlineFetcher`), route through a proxy, or record and replay.
 *
 * The default implementation uses node:http / node:https with an overall
 * deadline, a size limit, and redirects followed only on the same host.
 */
import http from 'node:http';
import https from 'node:https';
import { KysoError } from '../errors.js';

export interface FetchRequest {
  /** Default GET, or POST when a body is given. */
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  /** Content-Type of the body. */
  contentType?: string;
  /** Accept header. */
  accept?: string;
  /** Deadline for the whole exchange (connect, send, receive). Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest response body accepted. Default 16 MiB. */
  maxBytes?: number;
}

/** Sends one request and returns the response body; throws KysoError NETWORK_TIMEOUT / NETWORK_FAILED. */
export type Fetcher = (url: string, request: FetchRequest) => Promise<Uint8Array>;

export interface HttpFetcherOptions {
  /** Defaults for requests that do not say. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Same-host redirects followed. Default 3; 0 refuses every redirect. */
  maxRedirects?: number;
  /** Extra trusted CA certificates (PEM) for https. */
  ca?: string | string[];
  /** User-Agent header. Default `kyso`. */
  userAgent?: string;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_FETCH_MAX_BYTES = 16 * 1024 * 1024;

function failed(reason: string, url: string, message: string, vi: string, extra: Record<string, unknown> = {}, cause?: unknown): KysoError {
  return new KysoError('NETWORK_FAILED', message, { vi, details: { url, reason, ...extra }, ...(cause === undefined ? {} : { cause }) });
}

function timeout(url: string, timeoutMs: number): KysoError {
  return new KysoError('NETWORK_TIMEOUT', `No answer from ${url} within ${timeoutMs} ms`, {
    vi: `Không nhận được phản hồi từ ${url} trong ${timeoutMs} ms`,
    details: { url, timeoutMs },
  });
}

function parseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw failed('bad-url', url, `Not a URL: ${url}`, `Không phải URL: ${url}`, {}, cause);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw failed('bad-url', url, `Only http and https URLs are fetched: ${url}`, `Chỉ hỗ trợ URL http và https: ${url}`);
  }
  return u;
}

/** Creates a Fetcher on node:http / node:https. */
export function createHttpFetcher(options: HttpFetcherOptions = {}): Fetcher {
  const maxRedirects = options.maxRedirects ?? 3;
  return async (url, request) => {
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    const maxBytes = request.maxBytes ?? options.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
    const deadline = Date.now() + timeoutMs;
    const first = parseUrl(url);
    let current = first;
    let method = request.method ?? (request.body ? 'POST' : 'GET');
    let body = request.body;
    for (let hop = 0; ; hop++) {
      const res = await once(current, method, body, request, options, deadline, timeoutMs, maxBytes, url);
      if (res.kind === 'body') return res.body;
      if (hop >= maxRedirects) {
        throw failed('redirect', url, `Too many redirects from ${url}`, `Quá nhiều lần chuyển hướng từ ${url}`, { location: res.location });
      }
      let next: URL;
      try {
        next = new URL(res.location, current);
      } catch (cause) {
        throw failed('redirect', url, `Bad redirect from ${url}`, `Chuyển hướng không hợp lệ từ ${url}`, { location: res.location }, cause);
      }
      const upgrade = current.protocol === 'http:' && next.protocol === 'https:';
      if (next.hostname !== first.hostname || (next.protocol !== current.protocol && !upgrade) || (!upgrade && next.port !== current.port)) {
        throw failed('redirect', url, `Refused redirect from ${url} to another host or scheme: ${next.href}`, `Từ chối chuyển hướng từ ${url} sang máy chủ khác: ${next.href}`, {
          location: next.href,
        });
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      current = next;
    }
  };
}

type Outcome = { kind: 'body'; body: Uint8Array } | { kind: 'redirect'; status: number; location: string };

function once(
  u: URL,
  method: 'GET' | 'POST',
  body: Uint8Array | undefined,
  request: FetchRequest,
  options: HttpFetcherOptions,
  deadline: number,
  timeoutMs: number,
  maxBytes: number,
  original: string,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      reject(timeout(original, timeoutMs));
      return;
    }
    const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'kyso' };
    if (request.accept) headers.accept = request.accept;
    if (body) {
      headers['content-type'] = request.contentType ?? 'application/octet-stream';
      headers['content-length'] = String(body.byteLength);
    }
    const lib = u.protocol === 'https:' ? https : http;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = lib.request(
      u,
      { method, headers, agent: false, ...(u.protocol === 'https:' && options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          const location = res.headers.location;
          res.resume();
          if (!location) {
            settle(() => reject(failed('http-status', original, `HTTP ${status} without Location from ${original}`, `HTTP ${status} không có Location từ ${original}`, { status })));
          } else {
            settle(() => resolve({ kind: 'redirect', status, location }));
          }
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          settle(() => reject(failed('http-status', original, `HTTP ${status} from ${original}`, `Máy chủ ${original} trả về HTTP ${status}`, { status })));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          settle(() => reject(tooLarge(original, maxBytes)));
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > maxBytes) {
            settle(() => reject(tooLarge(original, maxBytes)));
            res.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => settle(() => resolve({ kind: 'body', body: new Uint8Array(Buffer.concat(chunks)) })));
        res.on('error', (e) => settle(() => reject(networkError(original, e))));
        res.on('aborted', () => settle(() => reject(failed('reset', original, `Connection to ${original} closed early`, `Kết nối tới ${original} bị đóng giữa chừng`))));
      },
    );
    const timer = setTimeout(() => {
      settle(() => reject(timeout(original, timeoutMs)));
      req.destroy();
    }, remaining);
    req.on('error', (e) => settle(() => reject(networkError(original, e))));
    if (body) req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    else req.end();
  });
}

function tooLarge(url: string, maxBytes: number): KysoError {
  return failed('too-large', url, `Response from ${url} exceeds ${maxBytes} bytes`, `Phản hồi từ ${url} vượt quá ${maxBytes} byte`, { maxBytes });
}

function networkError(url: string, e: Error & { code?: string }): KysoError {
  const code = e.code ?? 'ERROR';
  const reason = code === 'ECONNREFUSED' ? 'refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : code === 'ECONNRESET' ? 'reset' : 'error';
  return failed(reason, url, `Cannot reach ${url}: ${code} ${e.message}`, `Không kết nối được ${url}: ${code}`, { errno: code }, e);
}

/** The default Fetcher (node:http / node:https, 10 s, 16 MiB, same-host redirects). */
export const httpFetcher: Fetcher = createHttpFetcher();

/** A Fetcher that never touches the network: for verification that must stay offline. */
export const offlineFetcher: Fetcher = async (url) => {
  throw failed('offline', url, `Network access is disabled (offline): ${url}`, `Truy cập mạng đang tắt (ngoại tuyến): ${url}`);
};

/** Re-labels a Fetcher's NETWORK_FAILED as the service's *_UNAVAILABLE code; timeouts stay NETWORK_TIMEOUT. */
export async function fetchFor(
  service: 'TSA' | 'OCSP' | 'CRL',
  fetcher: Fetcher,
  url: string,
  request: FetchRequest,
): Promise<Uint8Array> {
  try {
    const body = await fetcher(url, request);
    if (!(body instanceof Uint8Array)) throw new TypeError('Fetcher returned no bytes');
    return body;
  } catch (e) {
    if (e instanceof KysoError) {
      if (e.code === 'NETWORK_TIMEOUT' || e.code === `${service}_UNAVAILABLE`) throw e;
      if (e.code === 'NETWORK_FAILED') {
        throw new KysoError(`${service}_UNAVAILABLE`, `${service} service unavailable: ${e.message}`, {
          vi: `Dịch vụ ${service} không truy cập được: ${e.messageVi}`,
          cause: e,
          details: { ...e.details, service },
        });
      }
      throw e;
    }
    throw new KysoError(`${service}_UNAVAILABLE`, `${service} service unavailable: ${e instanceof Error ? e.message : String(e)}`, {
      vi: `Dịch vụ ${service} không truy cập được`,
      cause: e,
      details: { url, service },
    });
  }
}
