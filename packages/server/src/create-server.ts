import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { CodeAllocator, openSequenceStore, TrustStore, type SequenceStore } from '@kyso/core';
import { readFileSync } from 'node:fs';
import { resolveConfig, type ServerConfig, type ServerConfigInput } from './config.js';
import { errors, HttpError, statusBody, toErrorResponse } from './errors.js';
import { credentialOf, refuseCredentialInBody, refuseCredentialInQuery, refuseRepeatedHeaders } from './authentication.js';
import { redactPaths, requestSerializer } from './log-redaction.js';
import { clientErrorHandler } from './client-error.js';
import { coerceText } from './query-coercion.js';
import { MethodTable } from './method-table.js';
import { openIdentities } from './identities.js';
import { Limiter } from './limiter.js';
import type { AuditRecord } from './audit.js';
import { hashApiKey } from './api-keys.js';
import { sha256Hex } from './sha256.js';
import { openServerStore } from './store/open-server-store.js';
import { AuditOutbox, newRequestId, pendingAuditNote } from './store/audit-outbox.js';
import type { ApiKeyRecord, ServerStore } from './store/server-store.js';
import { createMetrics } from './metrics.js';
import { multipartLimits } from './document-form.js';
import { registerSignRoutes } from './routes/sign.js';
import { registerVerifyRoutes } from './routes/verify.js';
import { registerCodeRoutes } from './routes/codes.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerCertifiedCopyRoutes } from './routes/certified-copies.js';
import { registerVgcaRoutes } from './routes/vgca.js';
import { registerTwoStepRoutes, type TwoStepOptions } from './routes/two-step.js';
import { registerOpsListenerRoutes, registerOpsRoutes } from './routes/ops.js';
import { registerPage } from './routes/page.js';
import { collectOpenApi } from './routes/openapi.js';
import { registerCscRoutes, type CscRouteOptions } from './csc/routes.js';
import { CpuPool } from './pool/cpu-pool.js';
import { sharedBodyParser } from './shared-body.js';
import { SharedBuffers } from './shared-buffers.js';
import type { RequestContext, ServerContext } from './context.js';

export interface CreateServerOptions {
  /** Where fastify's JSON log lines go (default: no logging). */
  logStream?: NodeJS.WritableStream;
  logLevel?: string;
  /** Two-step signing (/v1/sign/prepare, /v1/sign/complete): session lifetime (default 10 min) and clock. */
  twoStep?: TwoStepOptions;
  /** The CSC API (/csc/v2/): clock (tests). */
  csc?: CscRouteOptions;
  /**
   * The audit outbox's recovery pass (store/audit-outbox.ts): how often it
   * runs (default every minute, or every 2 × requestTimeoutMs when that is
   * shorter) and how old a pending note must be (default 2 × requestTimeoutMs).
   */
  auditRecovery?: { intervalMs?: number; graceMs?: number };
}

export interface KysoServer {
  readonly app: FastifyInstance;
  readonly config: ServerConfig;
  readonly store: ServerStore;
  /** Listens on config.host:config.port (and opsListener's address when configured); returns the base URL. */
  listen(): Promise<string>;
  /** The operations listener's base URL once listening (only with opsListener). */
  readonly opsUrl: string | undefined;
  /** Requests being handled now. */
  readonly inFlight: number;
  /** New requests get 503 while the ones in progress finish (at most `graceMs`, default 30 s), then everything closes. */
  drain(graceMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The signing service: fastify with every route's request and response
 * described by JSON schema, the code allocator over core's SequenceStore, the
 * audit log and API keys in a ServerStore (SQLite, or PostgreSQL with
 * databaseUrl), and the identities' signers opened once.
 */
export async function createServer(input: ServerConfigInput, options: CreateServerOptions = {}): Promise<KysoServer> {
  const config = resolveConfig(input);
  const identities = await openIdentities(config.identities);
  const storeLoc = { dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) };
  let store: ServerStore | undefined;
  let sequences: SequenceStore | undefined;
  try {
    store = await openServerStore(storeLoc);
    sequences = await openSequenceStore({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
    const now = new Date().toISOString();
    for (const k of config.apiKeys) await store.putApiKey({ ...k, createdAt: now });
  } catch (e) {
    await store?.close().catch(() => undefined);
    await sequences?.close().catch(() => undefined);
    await Promise.all([...identities.values()].map((i) => i.close().catch(() => undefined)));
    throw e;
  }
  // The configuration is the only source of keys: one removed from it stops working at the next start, whatever the store still lists.
  const keys = new Map<string, ApiKeyRecord>();
  for (const k of await store.listApiKeys()) if (config.apiKeys.some((c) => c.id === k.id && c.sha256 === k.sha256)) keys.set(k.sha256, k);

  let trustStore: TrustStore | undefined;
  const extraRoots = config.trust.extraRoots.map((r) => (r.includes('-----BEGIN') ? r : new Uint8Array(readFileSync(r))));
  if (extraRoots.length > 0) {
    trustStore = TrustStore.forPolicy(config.trust.policy);
    for (const r of extraRoots) trustStore.addAnchors(r);
  }
  const pool = new CpuPool({ threads: config.workers, extraRoots, signers: [...identities.values()].map((i) => i.signer) });

  const app = Fastify({
    logger: options.logStream
      ? {
          level: options.logLevel ?? 'info',
          stream: options.logStream as Writable,
          // No header and no secret-looking query value is logged (log-redaction.ts); redact catches them in any other object logged.
          serializers: { req: requestSerializer as never },
          redact: { paths: redactPaths(), censor: '[REDACTED]' },
        }
      : false,
    bodyLimit: 1024 * 1024,
    // A slow or stalled upload is cut off instead of holding a connection and a body buffer.
    requestTimeout: config.requestTimeoutMs,
    trustProxy: config.trustProxy,
    // Never coerce: a JSON body's `"3"` is not the integer 3, nor `"true"` a boolean. Query strings and form fields are text and are converted by their schema in query-coercion.ts, before validation.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    // Refusals node's parser makes before fastify sees a request (431, 400 framing, 408) in kyso's shape.
    clientErrorHandler,
    // Node would answer a request without Host with a bare 400 of its own; kyso refuses it in its shape instead (authentication.ts).
    // The deadline must reach node's constructor: fastify's own `requestTimeout` is assigned after it, which node 20 does not enforce
    // (a stalled upload was never cut off). Node checks deadlines every connectionsCheckingInterval (30 s by default): a quarter of the deadline here.
    http: { requireHostHeader: false, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(config.requestTimeoutMs / 4))) },
    // A malformed URL or an oversized path parameter: kyso's shape, and the path is not repeated back.
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorResponse(err);
      return (reply as FastifyReply).code(status).type('application/json; charset=utf-8').send(body);
    },
  });
  const openapi = collectOpenApi(app);
  const limiter = new Limiter(config.maxConcurrent, config.maxQueue);
  const metrics = createMetrics(() => limiter.active + limiter.waiting, () => pool.stats());
  let draining = false;
  let inFlight = 0;
  const buffers = new SharedBuffers(Math.min(256 * 1024 * 1024, config.bodyLimit * 4));

  /** Requests of this process that passed a pending audit note and have not answered yet: the recovery leaves their notes alone. */
  const liveRequests = new Set<string>();
  const ctx: ServerContext = {
    config,
    store,
    sequences,
    codes: new CodeAllocator({ store: sequences, actor: 'kyso-server' }),
    identities,
    trustStore,
    limiter,
    pool,
    buffers,
    metrics,
    identityFor(req, name) {
      const key = req.kyso.key!;
      const usable = key.identities;
      const chosen = name ?? (usable.length === 1 ? usable[0] : undefined);
      if (chosen === undefined) throw errors.identityRequired();
      const id = identities.get(chosen);
      req.kyso.identity = chosen;
      if (!id) throw errors.unknownIdentity(chosen);
      if (!usable.includes(chosen)) throw errors.forbidden(`use identity "${chosen}"`, `dùng danh tính "${chosen}"`);
      return id;
    },
    pendingAudit(req) {
      if (req.kyso.requestId === undefined) {
        req.kyso.requestId = newRequestId();
        liveRequests.add(req.kyso.requestId);
      }
      return pendingAuditNote({
        time: new Date().toISOString(),
        keyId: req.kyso.key?.id ?? null,
        identity: req.kyso.identity ?? null,
        operation: req.routeOptions.config?.audit ?? 'unknown',
        code: null,
        requestId: req.kyso.requestId,
      });
    },
  };

  app.decorateRequest('kyso', null as unknown as RequestContext);
  // Node's deadlines start with a request's first byte: a connection that never sends one would be held until the client
  // lets go (thousands of them exhaust descriptors). Its first request must start within the same deadline as a whole request.
  app.server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), config.requestTimeoutMs);
    timer.unref();
    const done = () => clearTimeout(timer);
    socket.once('data', done);
    socket.once('close', done);
  });
  // No route takes text; without this parser text/plain is refused with 415 instead of reaching a JSON schema as a string.
  app.removeContentTypeParser('text/plain');
  // A route that declares no query parameters refuses any (an ignored ?identity= would look as if it chose something).
  app.addHook('onRoute', (route) => {
    if (route.method === 'POST' && route.schema && !route.schema.querystring) route.schema.querystring = { type: 'object', properties: {}, additionalProperties: false };
  });
  app.addContentTypeParser(['application/pdf', 'application/octet-stream', 'image/jpeg', 'image/png'], { bodyLimit: config.bodyLimit }, sharedBodyParser(config.bodyLimit, buffers));
  await app.register(fastifyMultipart, { limits: multipartLimits(config.bodyLimit) });
  // The body's block is reused once the response is out (the handler, and any worker reading the block, finished before it was sent).
  app.addHook('onResponse', async (req) => {
    const body = Buffer.isBuffer(req.body) && req.body.buffer instanceof SharedArrayBuffer ? req.body : undefined;
    if (body) buffers.release(body);
    const doc = req.kyso?.document;
    // Released once only: a block on the free list twice would be handed to two requests at once.
    if (doc && doc.buffer !== body?.buffer) buffers.release(doc);
  });

  app.addHook('onRequest', async (req) => {
    req.kyso = {};
    if (draining) throw errors.draining();
    inFlight++;
    (req.kyso as { counted?: boolean }).counted = true;
  });
  // One credential, one identity, one retry key per request; no key in the URL (authentication.ts). Before authentication, on every route.
  app.addHook('onRequest', async (req) => {
    refuseRepeatedHeaders(req);
    refuseCredentialInQuery(req);
  });
  // Query strings are text: converted by their schema here (bodies never are).
  const methods = new MethodTable();
  app.addHook('onRoute', (route) => methods.add(route.method, route.url));
  app.addHook('preValidation', async (req) => {
    refuseCredentialInBody(req.body);
    const qs = req.routeOptions.schema?.querystring;
    if (qs && req.query && typeof req.query === 'object') coerceText(qs, req.query as Record<string, unknown>);
  });
  const release = (req: FastifyRequest) => {
    const k = req.kyso as { counted?: boolean } | null;
    if (k?.counted) {
      k.counted = false;
      inFlight--;
    }
  };
  const settled = (req: FastifyRequest) => {
    if (req.kyso?.requestId !== undefined) liveRequests.delete(req.kyso.requestId);
  };
  app.addHook('onResponse', async (req) => {
    release(req);
    settled(req);
  });
  app.addHook('onRequestAbort', async (req) => {
    release(req);
    settled(req);
  });

  // Authentication and permission, for routes that name an operation.
  app.addHook('onRequest', async (req) => {
    const op = req.routeOptions.config.operation;
    if (!op) return;
    const credential = credentialOf(req.headers.authorization);
    if (credential.kind !== 'bearer') {
      if (credential.kind === 'none' && ((op === 'verify' && config.publicVerify) || req.routeOptions.config.anonymous)) return;
      throw errors.unauthorized();
    }
    // Compared through their hash: the key itself is never kept, and a lookup by hash leaks nothing about near misses.
    const key = keys.get(hashApiKey(credential.token));
    if (!key) throw errors.unauthorized();
    req.kyso.key = key;
    if (!key.operations.includes(op) && !(op === 'verify' && config.publicVerify)) throw errors.forbidden(`perform "${op}"`, `thực hiện "${op}"`);
  });
  // Overload is refused before the body is read: a 3× burst must not cost the time and memory of reading every document it carries.
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.limited && limiter.full) throw errors.busy(limiter.retryAfter);
  });
  // Routes that take a document refuse JSON before parsing it, so malformed and well-formed JSON get the same 415.
  app.addHook('onRequest', async (req) => {
    if (!req.routeOptions.config?.pdfBody) return;
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/json' || type.endsWith('+json')) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the PDF itself with Content-Type: application/pdf.', 'Hãy gửi chính tệp PDF với Content-Type: application/pdf.');
    }
  });

  app.setErrorHandler(async (err, req, reply) => {
    const { status, body, headers } = toErrorResponse(err);
    if (status >= 500) req.log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'request failed');
    return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
  });
  // A known path with another method is 405 with Allow; anything else 404. Neither repeats the path.
  app.setNotFoundHandler(async (req, reply) => {
    const allow = methods.allowed(req.url);
    if (allow.length > 0) return reply.code(405).header('allow', allow.join(', ')).type('application/json; charset=utf-8').send(statusBody(405));
    return reply.code(404).type('application/json; charset=utf-8').send(statusBody(404));
  });

  // One audit record per audited request, whatever its outcome, written before the response leaves.
  app.addHook('onSend', async (req, reply, payload) => {
    const op = req.routeOptions.config?.audit;
    if (!op || req.kyso?.auditId !== undefined) return payload;
    const status = reply.statusCode;
    let result = 'ok';
    if (status >= 400 && typeof payload === 'string') {
      try {
        result = (JSON.parse(payload) as { code?: string }).code ?? `HTTP_${status}`;
      } catch {
        result = `HTTP_${status}`;
      }
    } else if (status >= 400) result = `HTTP_${status}`;
    const body = req.body;
    let rec: AuditRecord;
    try {
      rec = await store!.appendAudit({
        time: new Date().toISOString(),
        keyId: req.kyso?.key?.id ?? null,
        identity: req.kyso?.identity ?? null,
        operation: op,
        inputSha256: req.kyso?.inputSha256 ?? (Buffer.isBuffer(body) ? (body.length > 0 ? sha256Hex(body) : null) : body !== undefined && body !== null ? sha256Hex(Buffer.from(JSON.stringify(body))) : null),
        outputSha256: status < 400 ? (req.kyso?.outputSha256 ?? (Buffer.isBuffer(payload) ? sha256Hex(payload) : null)) : null,
        code: req.kyso?.code ?? null,
        field: req.kyso?.field ?? null,
        result,
        status,
      });
    } catch (e) {
      // No response leaves without its audit record: the client gets a typed 503 instead of the document.
      req.log.error({ err: { message: (e as Error).message } }, 'audit log write failed');
      req.kyso.auditId = -1;
      reply.code(503).header('content-type', 'application/json; charset=utf-8').header('retry-after', '5').removeHeader('content-length');
      for (const h of ['x-kyso-field', 'x-kyso-result-code', 'x-kyso-identity', 'content-disposition']) reply.removeHeader(h);
      return JSON.stringify({ code: 'AUDIT_UNAVAILABLE', message: 'The audit log cannot be written; nothing was returned. Retry later.', messageVi: 'Không ghi được nhật ký kiểm toán; chưa trả kết quả. Hãy thử lại sau.' });
    }
    req.kyso.auditId = rec.seq;
    reply.header('x-kyso-audit-id', String(rec.seq));
    // The record is in: the notes its allocations left for the recovery go (a failure here only leaves them to the recovery, which finds this record).
    const requestId = req.kyso.requestId;
    if (requestId !== undefined) {
      try {
        await sequences!.clearPending({ ref: requestId });
      } catch (e) {
        req.log.warn({ err: { message: (e as Error).message } }, 'clearing the pending audit note failed; the recovery pass will');
      }
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    metrics.duration.observe({ route }, reply.elapsedTime / 1000);
  });

  registerOpsRoutes(app, ctx, openapi);
  registerSignRoutes(app, ctx);
  registerTwoStepRoutes(app, ctx, { sessionTtlMs: config.twoStep.sessionTtlSeconds * 1000, ...options.twoStep });
  registerVerifyRoutes(app, ctx);
  registerCodeRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerCertifiedCopyRoutes(app, ctx);
  registerVgcaRoutes(app, ctx);
  try {
    await registerCscRoutes(app, ctx, options.csc);
  } catch (e) {
    // A CSC PIN or TOTP secret that cannot be read stops the start: nothing opened stays open.
    await pool.close().catch(() => undefined);
    await Promise.all([...identities.values()].map((i) => i.close().catch(() => undefined)));
    await sequences.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
  registerPage(app);

  // The operations listener: a separate fastify instance, so nothing of the API (routes, keys, body parsers) is reachable on its address.
  let opsApp: FastifyInstance | undefined;
  let opsUrl: string | undefined;
  if (config.opsListener) {
    opsApp = Fastify({ logger: false, clientErrorHandler, requestTimeout: 10_000, http: { requestTimeout: 10_000, connectionsCheckingInterval: 2_500 }, bodyLimit: 1024 });
    opsApp.setNotFoundHandler(async (_req, reply) => reply.code(404).type('application/json; charset=utf-8').send(statusBody(404)));
    opsApp.setErrorHandler(async (err, _req, reply) => {
      const { status, body } = toErrorResponse(err);
      return reply.code(status).type('application/json; charset=utf-8').send(body);
    });
    registerOpsListenerRoutes(opsApp, ctx);
  }

  // The audit outbox's recovery: at start, then periodically (store/audit-outbox.ts).
  const graceMs = options.auditRecovery?.graceMs ?? 2 * config.requestTimeoutMs;
  const outbox = new AuditOutbox({ store, sequences, graceMs, live: (id) => liveRequests.has(id), log: (fields, message) => app.log.warn(fields, message) });
  const recover = () => {
    outbox.reconcile().catch((e: unknown) => app.log.error({ err: { message: (e as Error).message } }, 'audit recovery pass failed'));
  };
  recover();
  const recovery = setInterval(recover, options.auditRecovery?.intervalMs ?? Math.max(1000, Math.min(60_000, graceMs)));
  recovery.unref();

  let closed = false;
  const closeAll = async () => {
    if (closed) return;
    closed = true;
    clearInterval(recovery);
    await opsApp?.close().catch(() => undefined);
    await app.close();
    await outbox.idle();
    await pool.close().catch(() => undefined);
    await Promise.all([...identities.values()].map((i) => i.close().catch(() => undefined)));
    await sequences!.close().catch(() => undefined);
    await store!.close().catch(() => undefined);
  };

  return {
    app,
    config,
    store,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      if (opsApp && config.opsListener) opsUrl = await opsApp.listen({ host: config.opsListener.host, port: config.opsListener.port });
      return address;
    },
    get opsUrl() {
      return opsUrl;
    },
    get inFlight() {
      return inFlight;
    },
    async drain(graceMs = 30_000) {
      draining = true;
      const until = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      await closeAll();
    },
    close: closeAll,
  };
}

