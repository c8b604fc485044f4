import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { SoftwareSigner, type Signer, type SoftwareSignerThreadData } from '@kyso/core';
import { builtEntry } from '../built-entry.js';
import type { PoolStats } from '../metrics.js';
import type { PoolAnswer, PoolTask, PoolWorkerData } from './pool-worker.js';
import { serveSigner, signerDescription } from './signer-port.js';
import { errorFromData, runSign, runVerify, TrustStores, type SignTaskOptions, type SignTaskResult, type TaskDigests, type VerifyTaskOptions, type VerifyTaskResult } from './tasks.js';

export interface CpuPoolOptions {
  /** Worker threads; 0 runs the work on the calling thread. */
  threads: number;
  /** The extra trusted roots, PEM text or DER (each thread builds its own trust stores). */
  extraRoots: (string | Uint8Array)[];
  /** The signers known at start: software keys among them are handed to the threads once, here. */
  signers?: Signer[];
}

/**
 * Signing and verification off the event loop: piscina threads do the
 * parsing, hashing and CMS work while the main thread keeps answering HTTP.
 * Document bodies arrive in shared memory (shared-body.ts), so the threads
 * read them without a copy, and only the bytes a signature appended come
 * back: the response is the body the main thread still holds followed by
 * those bytes. A software key is cloned to the threads; any other key
 * (PKCS#11, remote) stays on the main thread and is asked for each
 * signature value (signer-port.ts). Admission (how many at once, 429
 * beyond) is the Limiter's job, so piscina's own queue never grows past it.
 */
export class CpuPool {
  readonly threads: number;
  readonly #piscina: Piscina | undefined;
  readonly #trust: TrustStores;
  readonly #signerIds = new WeakMap<Signer, number>();
  readonly #inThreads = new Set<number>();
  #nextSignerId = 1;

  constructor(options: CpuPoolOptions) {
    this.threads = options.threads;
    this.#trust = new TrustStores(options.extraRoots);
    // Software keys go to the threads once, with the thread data: sent with every task, the KeyObject clones made V8 collect far more often (measured).
    const software: Record<number, SoftwareSignerThreadData> = {};
    for (const s of options.signers ?? []) {
      if (Object.getPrototypeOf(s) !== SoftwareSigner.prototype) continue;
      const id = this.#signerId(s);
      software[id] = (s as SoftwareSigner).toThreadData();
      this.#inThreads.add(id);
    }
    if (options.threads > 0) {
      this.#piscina = new Piscina({
        filename: builtEntry('worker.js'),
        minThreads: options.threads,
        maxThreads: options.threads,
        // A task waiting for its signature value (main thread, HSM or TSA) leaves its thread free for a second one.
        concurrentTasksPerWorker: 2,
        idleTimeout: Number.POSITIVE_INFINITY,
        // Tasks wait on messages (signature values) while running: a thread must keep its event loop, not block in Atomics.wait.
        atomics: 'disabled',
        workerData: { extraRoots: options.extraRoots, software } satisfies PoolWorkerData,
      });
    }
  }

  /** For /metrics. */
  stats(): PoolStats {
    const p = this.#piscina;
    return { threads: this.threads, queued: p?.queueSize ?? 0, completed: p?.completed ?? 0, utilization: p?.utilization ?? 0 };
  }

  /** Signs `pdf`. `digests` is filled for the audit record, also on failure. */
  async sign(pdf: Uint8Array, signer: Signer, options: SignTaskOptions, digests: TaskDigests): Promise<SignTaskResult> {
    if (!this.#piscina) return runSign(pdf, signer, options, digests, this.#trust);
    const signerId = this.#signerId(signer);
    // A software key known at start is already in the threads: no round trip per signature.
    if (this.#inThreads.has(signerId)) {
      const task: PoolTask = { kind: 'sign', pdf, signerId, options, signer: { inThread: true } };
      return unwrap((await this.#piscina.run(task)) as PoolAnswer<SignTaskResult>, digests);
    }
    const { port1, port2 } = new MessageChannel();
    serveSigner(port1, signer);
    try {
      const task: PoolTask = { kind: 'sign', pdf, signerId, options, signer: { remote: signerDescription(signer), port: port2 } };
      const answer = (await this.#piscina.run(task, { transferList: [port2] })) as PoolAnswer<SignTaskResult>;
      return unwrap(answer, digests);
    } finally {
      port1.close();
    }
  }

  /** Threads keep one stand-in per key (and with it core's CMS template): the id names the key across tasks. */
  #signerId(signer: Signer): number {
    let id = this.#signerIds.get(signer);
    if (id === undefined) {
      id = this.#nextSignerId++;
      this.#signerIds.set(signer, id);
    }
    return id;
  }

  async verify(pdf: Uint8Array, options: VerifyTaskOptions, digests: TaskDigests): Promise<VerifyTaskResult> {
    if (!this.#piscina) return runVerify(pdf, this.#trust, options, digests);
    const task: PoolTask = { kind: 'verify', pdf, options };
    const answer = (await this.#piscina.run(task)) as PoolAnswer<VerifyTaskResult>;
    return unwrap(answer, digests);
  }

  async close(): Promise<void> {
    await this.#piscina?.destroy();
  }
}

function unwrap<T extends { inputSha256: string; outputSha256?: string }>(answer: PoolAnswer<T>, digests: TaskDigests): T {
  if (!answer.ok) {
    Object.assign(digests, answer.digests);
    throw errorFromData(answer.error);
  }
  digests.inputSha256 = answer.value.inputSha256;
  if (answer.value.outputSha256 !== undefined) digests.outputSha256 = answer.value.outputSha256;
  return answer.value;
}
