import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { HttpError, schemaError } from '../errors.js';
import { coerceText } from '../query-coercion.js';
import { sha256Hex } from '../sha256.js';
import { readDocumentForm } from '../document-form.js';
import { errorResponses, pdfPasswordOf } from './schemas.js';
import { pdfBody } from './sign.js';

interface VerifyQuery {
  lang: 'vi' | 'en';
  policy?: 'bcy' | 'vn';
  format: 'json' | 'text';
}

const OPTION_NAMES: readonly string[] = ['lang', 'policy', 'format'] satisfies (keyof VerifyQuery)[];

/**
 * The options of a multipart request: the query's and the form's, each
 * given once, checked by the query's schema. Only what the client sent
 * counts as given: fastify has already filled req.query's defaults (lang,
 * format), which must not make a form's `lang` look like a repeat.
 */
function formOptions(req: FastifyRequest, form: Map<string, string>): VerifyQuery {
  const raw = req.url.includes('?') ? new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1)) : new URLSearchParams();
  const query = req.query as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) if (raw.has(name) && query[name] !== undefined) merged[name] = query[name];
  for (const [name, value] of form) {
    if (name in merged) throw new HttpError(400, 'REQUEST_INVALID', `The option "${name}" is given twice (query string, form field).`, `Tùy chọn "${name}" được gửi hai lần (chuỗi truy vấn, trường biểu mẫu).`);
    merged[name] = value;
  }
  coerceText(req.routeOptions.schema?.querystring, merged);
  // The query's own validator: the same enums and the same defaults (useDefaults) as a query string gets.
  const validate = req.getValidationFunction('querystring');
  if (validate && !validate(merged)) {
    const failed = (validate.errors as { instancePath?: string }[] | null | undefined)?.[0]?.instancePath?.replace(/^\//, '') ?? '';
    throw schemaError(validate.errors, form.has(failed) ? 'form' : 'querystring');
  }
  return merged as unknown as VerifyQuery;
}

export function registerVerifyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: VerifyQuery }>(
    '/v1/verify',
    {
      config: { audit: 'verify', operation: 'verify', pdfBody: true, multipart: true, limited: true },
      schema: {
        summary: 'Kiểm tra chữ ký số / verify the signatures of a PDF',
        description:
          'The body is the PDF (Content-Type: application/pdf), or multipart/form-data with the PDF as the one file part `file` and the options (lang, policy, format) as text fields of the same names as the query parameters; an option given both in the query and the form is refused. The answer is the report of `kyso verify --json` (or its text with format=text). Public unless publicVerify is off. ' +
          'Every signature is a row of `signatures`, a broken one too (a file re-saved or cut short after signing: finding BYTERANGE_OUT_OF_FILE; ' +
          'a /ByteRange gap that is not /Contents: CONTENTS_NOT_IN_GAP; an unreadable signature value: SIGNATURE_UNREADABLE), with its signer, time and a message in English and Vietnamese; ' +
          'NOT_SIGNED means no signature field has a value.',
        tags: ['verify'],
        querystring: {
          type: 'object',
          properties: {
            lang: { type: 'string', enum: ['vi', 'en'], default: 'vi' },
            policy: { type: 'string', enum: ['bcy', 'vn'] },
            format: { type: 'string', enum: ['json', 'text'], default: 'json' },
          },
          additionalProperties: false,
        },
        headers: {
          type: 'object',
          properties: {
            'x-pdf-password': { type: 'string', maxLength: 1024, description: "An encrypted PDF's user or owner password (percent-encoded UTF-8); never logged. Without it the empty user password is tried" },
          },
        },
        response: {
          200: {
            description: 'The verification report',
            type: 'object',
            required: ['verdict', 'policy', 'document', 'signatures', 'findings'],
            properties: {
              verdict: { type: 'string', enum: ['valid', 'indeterminate', 'invalid', 'unsigned'] },
              policy: { type: 'string' },
              document: { type: 'object', additionalProperties: true },
              signatures: { type: 'array', items: { type: 'object', additionalProperties: true } },
              findings: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
            additionalProperties: true,
          },
          ...errorResponses(413, 415, 422),
        },
      },
    },
    async (req, reply) => {
      // The same reading as /v1/sign's forms (@fastify/multipart, the file part into the shared pool, the same limits).
      const form = req.isMultipart() ? await readDocumentForm(req, reply, { limit: ctx.config.bodyLimit, buffers: ctx.buffers, fields: OPTION_NAMES }) : undefined;
      let q: VerifyQuery;
      let pdf: Buffer;
      try {
        q = form ? formOptions(req, form.fields) : req.query;
        if (form && !form.pdf) throw new HttpError(400, 'REQUEST_INVALID', 'The form has no file part named "file" (the PDF).', 'Biểu mẫu không có phần tệp "file" (tệp PDF).');
        pdf = pdfBody(form ? form.pdf : req.body);
      } catch (e) {
        // The audit record names the PDF, not the multipart envelope, also when the request fails before a worker hashed it.
        if (form?.pdf && req.kyso.inputSha256 === undefined) req.kyso.inputSha256 = sha256Hex(form.pdf);
        throw e;
      }
      const policy = q.policy ?? ctx.config.trust.policy;
      const { body } = await ctx.limiter.run(() => ctx.pool.verify(pdf, { policy, format: q.format, lang: q.lang, ...pdfPasswordOf(req.headers) }, req.kyso));
      reply.header('content-language', q.lang);
      if (q.format === 'text') return reply.type('text/plain; charset=utf-8').send(body);
      // Serialised as `kyso verify --json` does, whatever the schema lists.
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
