import { X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../create-server.js';

export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext, openapi: () => Record<string, unknown>): void {
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['ops'], response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The stores and signers are reachable',
        tags: ['ops'],
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string' }, store: { type: 'string' }, signers: { type: 'object', additionalProperties: { type: 'string' } } } },
          503: { type: 'object', required: ['status'], properties: { status: { type: 'string' }, store: { type: 'string' }, signers: { type: 'object', additionalProperties: { type: 'string' } } } },
        },
      },
    },
    async (_req, reply) => {
      let store = 'ok';
      try {
        await ctx.store.ping();
        await ctx.sequences.current({ kind: 'case', agency: 'readyz', period: '0' });
      } catch {
        store = 'unreachable';
      }
      const signers: Record<string, string> = {};
      for (const [name, id] of ctx.identities) {
        let state = 'ok';
        try {
          if (new Date(new X509Certificate(Buffer.from(id.signer.certificate)).validTo).getTime() < Date.now()) state = 'certificate-expired';
        } catch {
          state = 'certificate-unreadable';
        }
        signers[name] = state;
      }
      const ok = store === 'ok' && Object.values(signers).every((s) => s === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', store, signers });
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['ops'] } }, async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  app.get('/openapi.json', { schema: { summary: 'This document', tags: ['ops'] } }, async () => openapi());
}
