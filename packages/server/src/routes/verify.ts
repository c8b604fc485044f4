import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { errorResponses, pdfPasswordOf } from './schemas.js';
import { pdfBody } from './sign.js';

interface VerifyQuery {
  lang: 'vi' | 'en';
  policy?: 'bcy' | 'vn';
  format: 'json' | 'text';
}

export function registerVerifyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: VerifyQuery }>(
    '/v1/verify',
    {
      config: { audit: 'verify', operation: 'verify', pdfBody: true, limited: true },
      schema: {
        summary: 'Kiểm tra chữ ký số / verify the signatures of a PDF',
        description:
          'The body is the PDF. The answer is the report of `kyso verify --json` (or its text with format=text). Public unless publicVerify is off. ' +
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
              verdict: { type: 'string', enum: ['valid', 'indeterminate', 'invalid'] },
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
      const pdf = pdfBody(req.body);
      const policy = req.query.policy ?? ctx.config.trust.policy;
      const { body } = await ctx.limiter.run(() => ctx.pool.verify(pdf, { policy, format: req.query.format, lang: req.query.lang, ...pdfPasswordOf(req.headers) }, req.kyso));
      reply.header('content-language', req.query.lang);
      if (req.query.format === 'text') return reply.type('text/plain; charset=utf-8').send(body);
      // Serialised as `kyso verify --json` does, whatever the schema lists.
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
