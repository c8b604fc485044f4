import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route'>;
  signatures: Counter<'identity' | 'level' | 'result'>;
  /** Failures of the key itself (token, HSM, software key), by identity and error code. */
  signerErrors: Counter<'identity' | 'code'>;
  queue: Gauge;
}

/** Codes that mean the key (token, HSM) failed, not the document or the request. */
const SIGNER_CODES = /^(PKCS11_|SIGN_SIGNER_FAILED$)/;

/** Counts one signature attempt; `error` is what it failed with, if it did. */
export function countSignature(m: Metrics, identity: string, level: string, error?: unknown): void {
  m.signatures.inc({ identity, level, result: error === undefined ? 'ok' : 'error' });
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && SIGNER_CODES.test(code)) m.signerErrors.inc({ identity, code });
}

/** What the worker pool reports to /metrics. */
export interface PoolStats {
  threads: number;
  queued: number;
  completed: number;
  utilization: number;
}

/** One registry per server (not prom-client's global one), so several servers in a process do not clash. */
export function createMetrics(inProgress: () => number, pool?: () => PoolStats): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kyso_' });
  const requests = new Counter({ name: 'kyso_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'kyso_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const signatures = new Counter({ name: 'kyso_signatures_total', help: 'Signatures by identity, PAdES level and result', labelNames: ['identity', 'level', 'result'] as const, registers: [registry] });
  const signerErrors = new Counter({ name: 'kyso_signer_errors_total', help: 'Failures of the key itself (PKCS#11 token or HSM, software key) by identity and error code', labelNames: ['identity', 'code'] as const, registers: [registry] });
  const queue: Gauge = new Gauge({
    name: 'kyso_work_in_progress',
    help: 'Signatures and verifications running or waiting',
    registers: [registry],
    collect() {
      queue.set(inProgress());
    },
  });
  if (pool) {
    const gauge = (name: string, help: string, read: (p: PoolStats) => number) => {
      const g: Gauge = new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          g.set(read(pool()));
        },
      });
    };
    gauge('kyso_worker_threads', 'Worker threads signing and verifying (0: on the main thread)', (p) => p.threads);
    gauge('kyso_worker_queue', 'Tasks waiting for a worker thread', (p) => p.queued);
    gauge('kyso_worker_tasks_completed', 'Tasks the worker threads have finished since start', (p) => p.completed);
    gauge('kyso_worker_utilization', 'Share of the worker threads\' time spent working since start (0..1)', (p) => p.utilization);
  }
  return { registry, requests, duration, signatures, signerErrors, queue };
}
