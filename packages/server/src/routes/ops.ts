import { X509Certificate } from 'node:crypto';
import { connect } from 'node:net';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerContext } from '../context.js';
import { buildDocsPage } from '../page/docs-page.js';
import { bearer, errorSchema } from './schemas.js';

const TSA_CONNECT_TIMEOUT_MS = 2000;

const CAPABILITIES = ['signing', 'timestamping', 'verification'] as const;
type Capability = (typeof CAPABILITIES)[number];
type CapabilityState = 'ready' | 'not-ready' | 'not-configured';

const readySchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    store: { type: 'string' },
    signers: { type: 'object', additionalProperties: { type: 'string' } },
    tsa: { type: 'string', enum: ['ok', 'unreachable'], description: 'Only when a TSA is configured' },
    capabilities: {
      type: 'object',
      description: 'Each capability on its own: signing (B-B), timestamping (B-T and up, and /csc/v2/signatures/timestamp), verification',
      properties: Object.fromEntries(CAPABILITIES.map((c) => [c, { type: 'string', enum: ['ready', 'not-ready', 'not-configured'] }])),
    },
  },
} as const;

/**
 * Whether a TCP connection to the URL's host and port opens in time. Only the
 * connection is tried: a timestamp request would cost the TSA (often a paid,
 * rate-limited service) on every probe.
 */
function tcpReachable(url: string, timeoutMs: number): Promise<boolean> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  // URL keeps the brackets of an IPv6 literal; net.connect wants the bare address.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    // A timer rather than socket.setTimeout: it also bounds the DNS lookup.
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

interface Readiness {
  capabilities: Record<Capability, CapabilityState>;
  detail: { status: 'ready' | 'not-ready'; store: string; signers: Record<string, string>; tsa?: 'ok' | 'unreachable'; capabilities: Record<Capability, CapabilityState> };
}

/**
 * Each capability's readiness. Signing (B-B): the store answers and every
 * identity's certificate is readable and unexpired. Timestamping (B-T and
 * up): signing, and a TCP connection to the TSA opens. Verification needs
 * neither. The service as a whole (`/readyz` without `capability`) is ready
 * when signing and verification are: a TSA that is down takes the B-T
 * traffic out (`?capability=timestamping`), not the B-B traffic.
 */
async function readiness(ctx: ServerContext): Promise<Readiness> {
  const tsaUrl = ctx.config.tsa?.url;
  // Started first so the probe costs the slowest check, not the sum of them.
  const tsaCheck = tsaUrl ? tcpReachable(tsaUrl, TSA_CONNECT_TIMEOUT_MS) : undefined;
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
  const tsa = tsaCheck ? ((await tsaCheck) ? 'ok' : 'unreachable') : undefined;
  const signing: CapabilityState = store === 'ok' && Object.values(signers).every((s) => s === 'ok') ? 'ready' : 'not-ready';
  const capabilities: Record<Capability, CapabilityState> = {
    signing,
    timestamping: tsa === undefined ? 'not-configured' : signing === 'ready' && tsa === 'ok' ? 'ready' : 'not-ready',
    verification: 'ready',
  };
  const status = overall(capabilities, undefined);
  return { capabilities, detail: { status, store, signers, ...(tsa ? { tsa } : {}), capabilities } };
}

/** The status for one capability, or for the service as a whole (signing and verification). */
function overall(capabilities: Record<Capability, CapabilityState>, capability: Capability | undefined): 'ready' | 'not-ready' {
  if (capability) return capabilities[capability] === 'ready' ? 'ready' : 'not-ready';
  return capabilities.signing === 'ready' && capabilities.verification === 'ready' ? 'ready' : 'not-ready';
}

/** /readyz's answer: the status asked for (the whole service, or `?capability=`), with the parts for an ops caller. */
function readyAnswer(r: Readiness, capability: Capability | undefined, detailed: boolean): { code: number; body: Record<string, unknown> } {
  const status = overall(r.capabilities, capability);
  return { code: status === 'ready' ? 200 : 503, body: detailed ? { ...r.detail, status } : { status } };
}

const opsErrors = { 401: { description: 'AUTH_REQUIRED: a key was sent and is not valid', ...errorSchema }, 403: { description: 'FORBIDDEN: the key has no ops scope', ...errorSchema } };

/**
 * Liveness (/healthz) is public. Readiness details (/readyz: the store, each
 * identity by name, the TSA) and /metrics (identity names in labels) are for
 * a key with the `ops` operation; an anonymous /readyz gets the bare status
 * only. With `opsListener` configured, the same three answer without a key
 * on that address too (registerOpsListenerRoutes).
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext, openapi: () => Record<string, unknown>): void {
  app.get('/healthz', { schema: { summary: 'The process is up (public)', tags: ['ops'], response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get<{ Querystring: { capability?: Capability } }>(
    '/readyz',
    {
      config: { operation: 'ops', anonymous: true },
      schema: {
        summary: 'The stores, signers and TSA are reachable',
        description:
          "Readiness per capability. signing (B-B): the store answers and every identity's certificate is readable and unexpired; timestamping (B-T and up): signing, and a TCP connection to the configured TSA opens within 2 s; verification: always. Without `capability`, the service is ready when signing and verification are (a TSA that is down does not take B-B traffic out of a load balancer); with `capability=timestamping` (or signing, verification), the answer is that capability's. Without a key: only `{ status }`. With a key that has the `ops` operation: which part failed, each identity by name, and every capability.",
        tags: ['ops'],
        security: [{}, ...bearer],
        querystring: { type: 'object', properties: { capability: { type: 'string', enum: [...CAPABILITIES] } }, additionalProperties: false },
        response: {
          200: { description: 'Ready (details only for an ops key)', ...readySchema },
          503: { description: 'Not ready: the failing part is named (for an ops key)', ...readySchema },
          ...opsErrors,
        },
      },
    },
    async (req, reply) => {
      const a = readyAnswer(await readiness(ctx), req.query.capability, Boolean(req.kyso.key));
      return reply.code(a.code).send(a.body);
    },
  );

  app.get(
    '/metrics',
    {
      config: { operation: 'ops' },
      schema: { summary: 'Prometheus metrics (ops key)', tags: ['ops'], security: bearer, response: { 200: { description: 'The metrics, in the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } }, 401: { description: 'AUTH_REQUIRED', ...errorSchema }, 403: opsErrors[403] } },
    },
    async (_req, reply) => {
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );

  app.get('/openapi.json', { schema: { summary: 'This document', tags: ['ops'], response: { 200: { description: 'This OpenAPI 3.0.3 document', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } } } } }, async () => openapi());

  const docs = (reply: FastifyReply, root: string) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
      .header('x-content-type-options', 'nosniff')
      .send(buildDocsPage(openapi(), { root }));
  app.get('/docs', { schema: { summary: 'Tài liệu API / this API documentation (HTML)', tags: ['ops'], response: { 200: { description: 'The documentation page (UTF-8 HTML)', content: { 'text/html': { schema: { type: 'string' } } } } } } }, async (_req, reply) => docs(reply, './'));
  // No schema: the same page under a second address is not a second operation. Its links climb one level more.
  app.get('/docs/', async (_req, reply) => docs(reply, '../'));
}

/**
 * The operations listener (`opsListener` in the configuration): /healthz,
 * the detailed /readyz and /metrics with no key, for a scraper on a private
 * address that the API's clients cannot reach.
 */
export function registerOpsListenerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get<{ Querystring: { capability?: string } }>('/readyz', async (req, reply) => {
    const asked = req.query.capability;
    const capability = CAPABILITIES.find((c) => c === asked);
    if (asked !== undefined && !capability) return reply.code(400).send({ code: 'REQUEST_INVALID', message: `capability must be one of ${CAPABILITIES.join(', ')}.`, messageVi: `capability phải là một trong ${CAPABILITIES.join(', ')}.` });
    const a = readyAnswer(await readiness(ctx), capability, true);
    return reply.code(a.code).send(a.body);
  });
  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
