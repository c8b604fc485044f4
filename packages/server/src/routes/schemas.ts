/** JSON schemas shared by the routes. */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'messageVi'],
  properties: {
    code: { type: 'string', description: 'Stable error code' },
    message: { type: 'string' },
    messageVi: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** The error responses every API route may give. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorSchema> {
  const out: Record<number, typeof errorSchema> = {};
  for (const s of [400, 401, 403, 429, 503, ...statuses]) out[s] = errorSchema;
  return out;
}

export const bearer = [{ bearerAuth: [] }];

/** Header values are ASCII: Vietnamese text in headers is percent-encoded (UTF-8). */
export function headerText(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined) return undefined;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The request header that carries an encrypted PDF's password. Never logged (log-redaction.ts) nor audited. */
export const PDF_PASSWORD_HEADER = 'x-pdf-password';

/**
 * The PDF's password from X-Pdf-Password, percent-encoded UTF-8 like the
 * X-Kyso-* headers (a password may be Vietnamese). A header, not a query
 * parameter or form field: URLs reach proxies' logs, and a header is what
 * the request log never shows.
 */
export function pdfPasswordOf(headers: Record<string, string | string[] | undefined>): { pdfPassword?: string } {
  const v = headerText(headers[PDF_PASSWORD_HEADER]);
  return v !== undefined ? { pdfPassword: v } : {};
}
