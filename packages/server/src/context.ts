import type { FastifyRequest } from 'fastify';
import type { CodeAllocator, SequenceStore, TrustStore } from '@kyso/core';
import type { PendingNote } from '@kyso/core/codes';
import type { Operation, ServerConfig } from './config.js';
import type { Identity } from './identities.js';
import type { Limiter } from './limiter.js';
import type { ApiKeyRecord, ServerStore } from './store/server-store.js';
import type { Metrics } from './metrics.js';
import type { CpuPool } from './pool/cpu-pool.js';
import type { SharedBuffers } from './shared-buffers.js';
import type { TaskDigests } from './pool/tasks.js';

/**
 * What the routes are given: the server's parts (ServerContext) and what a
 * request accumulates (RequestContext), with fastify's types extended by the
 * fields kyso's routes declare. create-server.ts builds them; the routes
 * import them from here, so no route imports the module that registers it.
 */

/** What a request accumulates for its audit record (the digests come from the worker that read the PDF). */
export interface RequestContext extends TaskDigests {
  key?: ApiKeyRecord;
  identity?: string;
  code?: string;
  field?: string;
  auditId?: number;
  /** Set once the request passed a pending audit note with an allocation (`ServerContext.pendingAudit`): its notes are cleared once its own record is appended. */
  requestId?: string;
  /** A document read into shared memory by a handler rather than by the body parser (a multipart file part): its block is released like the body's. */
  document?: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    kyso: RequestContext;
  }
  /** OpenAPI fields, read by /openapi.json. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: readonly string[];
    security?: readonly Record<string, readonly string[]>[];
  }
  interface FastifyContextConfig {
    /** The operation recorded in the audit log; routes without one are not audited. */
    audit?: string;
    /** The permission an API key needs; `verify` is public when publicVerify is on. */
    operation?: Operation;
    /** A PDF body: not described by a JSON schema. */
    pdfBody?: boolean;
    /** Runs under the Limiter: refused with 429 before its body is read when the queue is full. */
    limited?: boolean;
    /** With `operation`: a request with no Authorization header is let through as anonymous (the handler then answers less, as /readyz does). */
    anonymous?: boolean;
  }
}

export interface ServerContext {
  config: ServerConfig;
  store: ServerStore;
  sequences: SequenceStore;
  codes: CodeAllocator;
  identities: Map<string, Identity>;
  trustStore: TrustStore | undefined;
  limiter: Limiter;
  /** Worker threads for signing and verification. */
  pool: CpuPool;
  /** The shared memory document bodies are read into (shared-buffers.ts). */
  buffers: SharedBuffers;
  metrics: Metrics;
  /** Finds the identity a request may use, or throws 400/403. */
  identityFor(req: FastifyRequest, name: string | undefined): Identity;
  /**
   * The pending note to pass with every allocation a request makes (the audit
   * outbox, store/audit-outbox.ts): the audit record the request would leave
   * if the process died before writing its own. Call after identityFor.
   */
  pendingAudit(req: FastifyRequest): PendingNote;
}
