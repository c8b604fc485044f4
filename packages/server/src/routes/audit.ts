import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { verifyAuditChain } from '../store/open-server-store.js';
import { bearer, errorResponses } from './schemas.js';

const record = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    time: { type: 'string' },
    keyId: { type: ['string', 'null'] },
    identity: { type: ['string', 'null'] },
    operation: { type: 'string' },
    inputSha256: { type: ['string', 'null'] },
    outputSha256: { type: ['string', 'null'] },
    code: { type: ['string', 'null'] },
    field: { type: ['string', 'null'] },
    result: { type: 'string' },
    status: { type: 'integer' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

export function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { after: number; limit: number } }>(
    '/v1/audit',
    {
      config: { audit: 'audit.read', operation: 'audit' },
      schema: {
        summary: 'Nhật ký kiểm toán / the audit log, oldest first',
        tags: ['audit'],
        security: bearer,
        querystring: {
          type: 'object',
          properties: { after: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', required: ['records', 'next'], properties: { records: { type: 'array', items: record }, next: { type: ['integer', 'null'] } } },
          ...errorResponses(),
        },
      },
    },
    async (req) => {
      const records = await ctx.store.listAudit({ after: req.query.after, limit: req.query.limit });
      return { records, next: records.length === req.query.limit ? records[records.length - 1]!.seq : null };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { audit: 'audit.verify', operation: 'audit' },
      schema: {
        summary: 'Kiểm tra chuỗi băm của nhật ký / check the audit hash chain',
        tags: ['audit'],
        security: bearer,
        response: {
          200: {
            type: 'object',
            required: ['ok', 'records', 'lastHash'],
            properties: { ok: { type: 'boolean' }, records: { type: 'integer' }, brokenAt: { type: 'integer' }, problem: { type: 'string' }, lastHash: { type: 'string' } },
          },
          ...errorResponses(),
        },
      },
    },
    async () => verifyAuditChain(ctx.store),
  );
}
