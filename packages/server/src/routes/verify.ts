import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { renderReport, TrustStore, verifyPdf } from '@kyso/core';
import type { ServerContext } from '../create-server.js';
import { errorResponses } from './schemas.js';
import { pdfBody } from './sign.js';

interface VerifyQuery {
  lang: 'vi' | 'en';
  policy?: 'bcy' | 'vn';
  format: 'json' | 'text';
}

export function registerVerifyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const stores = new Map<string, TrustStore>();
  const storeFor = (policy: 'bcy' | 'vn'): TrustStore | undefined => {
    if (ctx.config.trust.extraRoots.length === 0) return undefined;
    let s = stores.get(policy);
    if (!s) {
      s = TrustStore.forPolicy(policy);
      for (const r of ctx.config.trust.extraRoots) s.addAnchors(r.includes('-----BEGIN') ? r : readFileSync(r));
      stores.set(policy, s);
    }
    return s;
  };

  app.post<{ Querystring: VerifyQuery }>(
    '/v1/verify',
    {
      config: { audit: 'verify', operation: 'verify', pdfBody: true },
      schema: {
        summary: 'Kiểm tra chữ ký số / verify the signatures of a PDF',
        description: 'The body is the PDF. The answer is the report of `kyso verify --json` (or its text with format=text). Public unless publicVerify is off.',
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
      const trustStore = storeFor(policy);
      const report = await ctx.limiter.run(() => verifyPdf(pdf, trustStore ? { trustStore } : { policy }));
      reply.header('content-language', req.query.lang);
      if (req.query.format === 'text') return reply.type('text/plain; charset=utf-8').send(renderReport(report, req.query.lang));
      // Serialised as `kyso verify --json` does, whatever the schema lists.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
    },
  );
}
