import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { KysoError, SoftwareSigner, type DigestAlgorithm, type SignatureAlgorithm, type Signer } from '@kyso/core';
import { type SoftwareSignerThreadData } from '@kyso/core/sign';
import { builtEntry } from '../built-entry.js';
import type { PoolStats } from '../metrics.js';
import type { PoolAnswer, PoolTask, PoolWorkerData } from './pool-worker.js';
import { serveSigner, signerDescription } from './signer-port.js';
import { errorFromData, runCheck, runSign, runVerify, TrustStores, type SignTaskOptions, type SignTaskResult, type TaskDigests, type VerifyTaskOptions, type VerifyTaskResult } from './tasks.js';

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

  /**
   * Signs precomputed hashes (CSC signatures/signHash), one private-key
   * operation each. A software key signs in the threads, a large batch
   * split across them so one call does not wait on one core; any other key
   * (PKCS#11) is asked on the main thread, one hash after another, as its
   * sessions allow.
   */
  async signDigests(signer: Signer, hashes: Uint8Array[], digest: DigestAlgorithm, scheme: SignatureAlgorithm): Promise<Uint8Array[]> {
    if (!signer.signDigest) throw new KysoError('SIGN_OPTIONS_INVALID', 'This key cannot sign a precomputed hash', { vi: 'Khóa này không ký được giá trị băm tính sẵn' });
    const signerId = this.#signerId(signer);
    const piscina = this.#piscina;
    if (!piscina || !this.#inThreads.has(signerId)) {
      const out: Uint8Array[] = [];
      for (const h of hashes) out.push(await signer.signDigest(h, digest, scheme));
      return out;
    }
    // Pieces of at least 32 hashes: smaller ones cost more in hops than they gain, and concurrent calls keep the other threads busy anyway (measured with bench:server).
    const pieces = Math.max(1, Math.min(this.threads, Math.floor(hashes.length / 32)));
    const size = Math.ceil(hashes.length / pieces);
    const runs: Promise<Uint8Array[]>[] = [];
    for (let i = 0; i < hashes.length; i += size) {
      const task: PoolTask = { kind: 'signDigests', signerId, hashes: hashes.slice(i, i + size), digest, scheme };
      runs.push(piscina.run(task).then((a) => unwrap(a as PoolAnswer<Uint8Array[]>)));
    }
    return (await Promise.all(runs)).flat();
  }

  /** Opens the document as signing will, on a thread: throws the typed error signing would. */
  async check(pdf: Uint8Array, pdfPassword?: string): Promise<void> {
    if (!this.#piscina) return runCheck(pdf, pdfPassword);
    const task: PoolTask = { kind: 'check', pdf, ...(pdfPassword !== undefined ? { pdfPassword } : {}) };
    unwrap((await this.#piscina.run(task)) as PoolAnswer<null>);
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

function unwrap<T>(answer: PoolAnswer<T>, digests?: TaskDigests): T {
  if (!answer.ok) {
    if (digests) Object.assign(digests, answer.digests);
    throw errorFromData(answer.error);
  }
  const v = answer.value as { inputSha256?: string; outputSha256?: string };
  if (digests && v.inputSha256 !== undefined) digests.inputSha256 = v.inputSha256;
  if (digests && v.outputSha256 !== undefined) digests.outputSha256 = v.outputSha256;
  return answer.value;
}
