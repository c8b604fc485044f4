/**
 * Entry of the worker threads (built to dist/worker.js, loaded by piscina).
 * Each task answers with data, never by throwing: a thrown error would reach
 * the main thread stripped of its code and Vietnamese message.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { workerData, type MessagePort } from 'node:worker_threads';
import { PortSigner, type SignerDescription } from './signer-port.js';
import { errorToData, runSign, runVerify, TrustStores, type SignTaskOptions, type TaskDigests, type TaskError, type VerifyTaskOptions } from './tasks.js';

export interface PoolWorkerData {
  extraRoots: (string | Uint8Array)[];
}

export type PoolTask =
  | { kind: 'sign'; pdf: Uint8Array; signerId: number; signer: SignerDescription; port: MessagePort; options: SignTaskOptions }
  | { kind: 'verify'; pdf: Uint8Array; options: VerifyTaskOptions };

export type PoolAnswer<T> = { ok: true; value: T } | { ok: false; error: TaskError; digests: TaskDigests };

const trust = new TrustStores((workerData as PoolWorkerData | undefined)?.extraRoots ?? []);
const currentPort = new AsyncLocalStorage<MessagePort>();
const signers = new Map<number, PortSigner>();

export default async function handle(task: PoolTask): Promise<unknown> {
  const digests: TaskDigests = {};
  if (task.kind === 'sign') {
    let signer = signers.get(task.signerId);
    if (!signer) {
      signer = new PortSigner(task.signer, () => currentPort.getStore());
      signers.set(task.signerId, signer);
    }
    try {
      const value = await currentPort.run(task.port, () => runSign(task.pdf, signer, task.options, digests, true));
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: errorToData(e), digests };
    } finally {
      task.port.close();
    }
  }
  try {
    return { ok: true, value: await runVerify(task.pdf, trust, task.options, digests) };
  } catch (e) {
    return { ok: false, error: errorToData(e), digests };
  }
}
