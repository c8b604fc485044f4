import type { FastifyRequest } from 'fastify';
import { errors, HttpError } from './errors.js';

/**
 * Authentication with one answer. Node's HTTP parser joins repeated headers
 * ("a, b") or keeps only the first of some, and a proxy or gateway in front
 * may read the last one: a request whose credential, identity or retry key
 * could be read two ways is refused before anything looks at it.
 */

/** Headers that decide who is asking, as whom, or which earlier request this repeats: more than one is AUTH_AMBIGUOUS. */
const AMBIGUOUS_IF_REPEATED: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'idempotency-key', 'x-kyso-identity']);
/** Other single-valued headers kyso reads: more than one is HEADER_REPEATED. */
const SINGLE: (name: string) => boolean = (name) => name === 'content-type' || name === 'host' || name.startsWith('x-kyso-');

/**
 * Names under which a client might put an API key outside the
 * Authorization header (query string, form field, JSON field). Refused,
 * never used and never logged (log-redaction.ts hides their values).
 */
export const CREDENTIAL_NAMES: ReadonlySet<string> = new Set(['api_key', 'apikey', 'api-key', 'key', 'token', 'access_token', 'auth', 'authorization', 'bearer', 'password', 'pin']);

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAMES.has(name.toLowerCase());
}

/** Counts each header name as it arrived on the wire (rawHeaders), before node joined or dropped repeats. */
export function refuseRepeatedHeaders(req: FastifyRequest): void {
  // HTTP/1.1 requires Host (RFC 9112 §3.2); node's own refusal of its absence would leave in another shape.
  if (req.raw.headers.host === undefined && req.raw.httpVersion === '1.1') {
    throw new HttpError(400, 'REQUEST_MALFORMED', 'An HTTP/1.1 request needs a Host header.', 'Yêu cầu HTTP/1.1 cần tiêu đề Host.');
  }
  const raw = req.raw.rawHeaders;
  const seen = new Map<string, number>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!AMBIGUOUS_IF_REPEATED.has(name) && !SINGLE(name)) continue;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n < 2) continue;
    if (AMBIGUOUS_IF_REPEATED.has(name)) throw errors.ambiguous(`The header ${name} is given more than once`, `Tiêu đề ${name} được gửi nhiều lần`);
    throw errors.repeatedHeader(name);
  }
  // Idempotency-Key and the identity header must not carry a list either ("a, b" is one header but two values to a proxy that splits it).
  for (const name of ['idempotency-key', 'x-kyso-identity']) {
    const v = req.headers[name];
    if (typeof v === 'string' && v.includes(',')) throw errors.ambiguous(`The header ${name} holds a list`, `Tiêu đề ${name} chứa nhiều giá trị`);
  }
}

/** A key in the query string is refused (400): it would sit in proxy logs, browser history and Referer headers. */
export function refuseCredentialInQuery(req: FastifyRequest): void {
  const q = req.query as Record<string, unknown> | undefined;
  if (q && typeof q === 'object') for (const name of Object.keys(q)) if (isCredentialName(name)) throw errors.credentialMisplaced('the query string', 'chuỗi truy vấn');
}

/** A key in a JSON body's top level is refused as one in a form field is. */
export function refuseCredentialInBody(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return;
  for (const name of Object.keys(body)) if (isCredentialName(name)) throw errors.credentialMisplaced('the request body', 'nội dung yêu cầu');
}

export type Credential = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'invalid' };

/**
 * The one credential of an Authorization header: `Bearer <token68>`. Two
 * credentials in one header ("Bearer a, Bearer b", "Bearer a b", a list of
 * schemes) are AUTH_AMBIGUOUS; another scheme or a malformed value is no
 * credential (401).
 */
export function credentialOf(header: string | string[] | undefined): Credential {
  if (header === undefined) return { kind: 'none' };
  if (Array.isArray(header)) throw errors.ambiguous('The header authorization is given more than once', 'Tiêu đề authorization được gửi nhiều lần');
  const v = header.trim();
  if (v.includes(',')) throw errors.ambiguous('The Authorization header holds more than one credential', 'Tiêu đề Authorization chứa nhiều hơn một khóa');
  const parts = v.split(/[ \t]+/);
  if (!/^bearer$/i.test(parts[0] ?? '')) return { kind: 'invalid' };
  if (parts.length > 2) throw errors.ambiguous('The Authorization header holds more than one credential', 'Tiêu đề Authorization chứa nhiều hơn một khóa');
  const token = parts[1];
  if (token === undefined || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) return { kind: 'invalid' };
  return { kind: 'bearer', token };
}
