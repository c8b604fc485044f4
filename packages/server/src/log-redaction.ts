import type { FastifyRequest } from 'fastify';

/**
 * What the request log may show. Fastify logs every request's URL, so a key
 * sent in a query string (refused, but already sent) would be written in
 * clear; the URL is logged with the values of secret-looking parameters
 * replaced, no header is logged, and pino redacts the same names wherever
 * an object with headers, query or body fields is logged.
 */

export const REDACTED = '[REDACTED]';

/** Parameter and field names whose values never reach a log (case-insensitive, as substrings: over-redacting costs nothing). */
const SECRET = /authorization|api[_-]?key|^key$|[_-]key$|token|pin|password|passwd|secret|cookie|session/i;

export function isSecretName(name: string): boolean {
  return SECRET.test(name);
}

/** The URL with the value of every secret-looking query parameter replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // an undecodable name is judged as it is
      }
      return isSecretName(name) ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

/** Names pino's redaction hides in logged objects (headers, query, body and anything one level down). */
const NAMES = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api_key', 'apikey', 'key', 'token', 'access_token', 'pin', 'password', 'JWTToken', 'SessionId', 'SAD', 'PIN', 'OTP', 'authData', 'refresh_token', 'client_secret', 'x-pdf-password', 'pdfPassword'];

export function redactPaths(): string[] {
  const paths: string[] = [];
  const prop = (n: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n) ? `.${n}` : `["${n}"]`);
  for (const n of NAMES) {
    for (const where of ['req.headers', 'req.query', 'req.body', 'headers', 'query', 'body', 'req', 'res.headers']) paths.push(`${where}${prop(n)}`);
    paths.push(`*${prop(n)}`);
  }
  return paths;
}

/** The request as logged: no headers, the URL redacted, the client's address (req.ip: the proxy's unless trustProxy says otherwise). */
export function requestSerializer(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  };
}
