import type { FastifyInstance, RouteOptions } from 'fastify';
import { errorSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types of a binary body other than a PDF (the OpenAPI document lists them). */
    bodyTypes?: readonly string[];
  }
}

interface Collected {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  pdfBody: boolean;
  multipart: boolean;
  bodyTypes: readonly string[];
}

/**
 * Every error code the service answers, by status: the description of each
 * error response. What the framework and node's HTTP parser refuse by
 * themselves is in the same `{ code, message, messageVi }` shape.
 */
const ERROR_CODES: Record<number, string> = {
  400: 'REQUEST_INVALID (a field of the query, body or a header has the wrong type or value; the field is named; nothing is reserved or allocated), REQUEST_MALFORMED (JSON, URL or HTTP framing, e.g. Content-Length with Transfer-Encoding), AUTH_AMBIGUOUS (two Authorization headers, two credentials in one, a repeated Idempotency-Key or X-Kyso-Identity), AUTH_MISPLACED (an API key in the query string, a form field or a body field), HEADER_REPEATED, IDENTITY_UNKNOWN, IDENTITY_REQUIRED, LEVEL_NEEDS_TSA, CODE_INVALID, SIGN_OPTIONS_INVALID, CERTIFICATE_INVALID',
  401: 'AUTH_REQUIRED: no valid API key (Authorization: Bearer <key>)',
  403: 'FORBIDDEN: the key may not use this identity or operation',
  404: 'NOT_FOUND, CODE_NOT_FOUND, SESSION_NOT_FOUND, SIGN_FIELD_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED (with Allow)',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT: the request (upload included) took longer than requestTimeoutMs',
  409: 'CODE_STATE, SIGN_FIELD_EXISTS, SIGN_NOT_PERMITTED, PDF_PERMISSION_DENIED, SIGN_CERTIFY_NOT_FIRST, SIGN_FIELD_LOCKED, SESSION_COMPLETED',
  410: 'SESSION_EXPIRED',
  413: 'BODY_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'PDF_NOT_PDF, PDF_EMPTY, PDF_TRUNCATED, PDF_XREF_BROKEN, PDF_MALFORMED, PDF_ENCRYPTED, PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG, PDF_ENCRYPTION_UNSUPPORTED, PDF_ENCRYPT_MALFORMED, PDF_UNSUPPORTED, CMS_MALFORMED, SIGNATURE_INVALID',
  429: 'BUSY (with Retry-After)',
  431: 'HEADERS_TOO_LARGE: the request headers exceed 16 KiB',
  500: 'INTERNAL',
  502: 'TSA_FAILED, UPSTREAM_FAILED',
  503: 'SHUTTING_DOWN, AUDIT_UNAVAILABLE (with Retry-After), PKCS11_ERROR, PKCS11_TOKEN_NOT_FOUND, PKCS11_PIN_LOCKED, PKCS11_PIN_INCORRECT, TSA_UNAVAILABLE, NETWORK_FAILED, NETWORK_TIMEOUT',
  504: 'UPSTREAM_TIMEOUT',
};

/** Refusals any operation may get whatever it does: framework and parser level (400, 408, 431, 500), and for bodies 413/415. */
const EVERY_OPERATION = [400, 408, 431, 500];
const WITH_BODY = [413, 415];
const WITH_KEY = [401, 403];

/** Collects every route as it is registered; returns a builder of the OpenAPI 3.0 document. */
export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (!r.schema || r.method === 'HEAD') return;
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
      if (m === 'HEAD') continue;
      routes.push({ method: m.toLowerCase(), url: r.url, schema: r.schema as Record<string, unknown>, pdfBody: r.config?.pdfBody === true, multipart: r.config?.multipart === true, bodyTypes: r.config?.bodyTypes ?? [] });
    }
  });
  let doc: Record<string, unknown> | undefined;
  return () => (doc ??= build(routes));
}

function params(where: 'query' | 'path' | 'header', schema: unknown): unknown[] {
  const s = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: where, required: where === 'path' || (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

/**
 * A multipart form of the route: the one file part `file` (the PDF) and the
 * query's options as text fields of the same names (each at most once,
 * never also in the query or a header; at most 20 fields of 4 KB).
 */
function formSchema(query: unknown): Record<string, unknown> {
  const props = ((query as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;
  return {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description: 'The PDF (one file part, up to bodyLimit)' }, ...props },
    additionalProperties: false,
  };
}

/**
 * The routes' schemas are JSON Schema (draft 7, what fastify validates and
 * serialises with); OpenAPI 3.0 takes a subset of it. `type: ['string',
 * 'null']` is 3.1 syntax that 3.0 validators refuse and code generators
 * (openapi-typescript, openapi-generator) mistype: it becomes `nullable`,
 * several types an `anyOf`, and `const` a one-value `enum`. Converted here,
 * for the document only, so fastify keeps checking what it always checked.
 * Property names are never touched (a field may be called "type").
 */
function oas30(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((v) => oas30(v));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (inProperties) out[k] = oas30(v);
    else if (k === 'type' && Array.isArray(v)) {
      const types = v.filter((t) => t !== 'null') as string[];
      if (types.length < v.length) out.nullable = true;
      if (types.length === 1) out.type = types[0];
      else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
    } else if (k === 'const') out.enum = [v];
    else out[k] = oas30(v, k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === 'content' || k === 'responses' || k === 'encoding');
  }
  return out;
}

function build(routes: Collected[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const url = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const s = r.schema;
    const responses: Record<string, unknown> = {};
    for (const [status, rs] of Object.entries((s.response ?? {}) as Record<string, Record<string, unknown>>)) {
      const { description, content, ...schema } = rs;
      const n = Number(status);
      // A response declared per media type (an HTML page, Prometheus text, a PDF) keeps its media types; a bare schema is JSON.
      responses[status] = { description: (description as string | undefined) ?? (n >= 400 ? (ERROR_CODES[n] ?? 'Error') : 'OK'), content: (content as Record<string, unknown> | undefined) ?? { 'application/json': { schema } } };
    }
    const takesBody = r.method === 'post' || r.method === 'put' || r.method === 'patch';
    const secured = Array.isArray(s.security) && s.security.length > 0;
    for (const n of [...EVERY_OPERATION, ...(takesBody ? WITH_BODY : []), ...(secured ? WITH_KEY : [])]) {
      responses[String(n)] ??= { description: ERROR_CODES[n] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
    }
    if (r.pdfBody || r.bodyTypes.length > 0) {
      responses['200'] = { description: r.url === '/v1/sign' ? 'The signed PDF' : r.url === '/v1/certified-copies' ? 'The certified copy (signed PDF)' : 'OK', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
      if (r.url === '/v1/verify') responses['200'] = { description: 'The verification report (JSON, or text with format=text)', content: { 'application/json': { schema: (s.response as Record<string, Record<string, unknown>> | undefined)?.['200'] ?? {} }, 'text/plain': { schema: { type: 'string' } } } };
    }
    const op: Record<string, unknown> = {
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.security ? { security: s.security } : {}),
      parameters: [...params('path', s.params), ...params('query', s.querystring), ...params('header', s.headers)],
      responses,
    };
    const binary = { schema: { type: 'string', format: 'binary' } };
    if (r.pdfBody || r.bodyTypes.length > 0) {
      const content: Record<string, unknown> = {};
      for (const t of r.pdfBody ? ['application/pdf', ...r.bodyTypes] : r.bodyTypes) content[t] = binary;
      if (r.multipart) content['multipart/form-data'] = { schema: formSchema(s.querystring), encoding: { file: { contentType: 'application/pdf' } } };
      op.requestBody = { required: true, content };
    } else if (s.body) op.requestBody = { required: false, content: { 'application/json': { schema: s.body } } };
    (paths[url] ??= {})[r.method] = oas30(op) as Record<string, unknown>;
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'kyso signing service',
      version: '0.1.0',
      description:
        'PAdES signing, verification and codes for Vietnamese e-government. Every refusal, including those of the framework and the HTTP parser (404 unknown path, 405, 408, 413, 415, 431), is { code, message, messageVi } with a stable code, without a stack or the request path. Send the API key only as one Authorization: Bearer header.',
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, basicAuth: { type: 'http', scheme: 'basic', description: 'CSC auth/login and oauth2/token: the API key id and the key' } },
      schemas: { Error: errorSchema },
      responses: Object.fromEntries(Object.entries(ERROR_CODES).map(([status, d]) => [`Error${status}`, { description: d, content: { 'application/json': { schema: errorSchema } } }])),
    },
    paths,
  };
}
