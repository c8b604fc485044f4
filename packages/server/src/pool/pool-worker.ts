/**
 * Entry of the worker threads (built to dist/worker.js, loaded by piscina).
 * Each task answers with data, never by throwing: a thrown error would reach
 * the main thread stripped of its code and Vietnamese message.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { workerData, type MessagePort } from 'node:worker_threads';
import { SoftwareSigner, type DigestAlgorithm, type SignatureAlgorithm, type Signer } from '@kyso/core';
import { type SoftwareSignerThreadData } from '@kyso/core/sign';
import { PortSigner, type SignerDescription } from './signer-port.js';
import { errorToData, runCheck, runSign, runVerify, TrustStores, type SignTaskOptions, type TaskDigests, type TaskError, type VerifyTaskOptions } from './tasks.js';

export interface PoolWorkerData {
  extraRoots: (string | Uint8Array)[];
  /** Software keys by signer id, cloned into each thread once. */
  software: Record<number, SoftwareSignerThreadData>;
}

export type PoolTask =
  | { kind: 'sign'; pdf: Uint8Array; signerId: number; options: SignTaskOptions; signer: { remote: SignerDescription; port: MessagePort } | { inThread: true } }
  | { kind: 'verify'; pdf: Uint8Array; options: VerifyTaskOptions }
  /** Opens the document as signing will (before a result code is reserved for it). */
  | { kind: 'check'; pdf: Uint8Array; pdfPassword?: string }
  /** Hashes signed with a software key of this thread (CSC signatures/signHash): one private-key operation each. */
  | { kind: 'signDigests'; signerId: number; hashes: Uint8Array[]; digest: DigestAlgorithm; scheme: SignatureAlgorithm };

export type PoolAnswer<T> = { ok: true; value: T } | { ok: false; error: TaskError; digests: TaskDigests };

const data = workerData as PoolWorkerData | undefined;
const trust = new TrustStores(data?.extraRoots ?? []);
const currentPort = new AsyncLocalStorage<MessagePort>();
const signers = new Map<number, Signer>();

export default async function handle(task: PoolTask): Promise<unknown> {
  const digests: TaskDigests = {};
  if (task.kind === 'signDigests') {
    try {
      let signer = signers.get(task.signerId);
      if (!signer) {
        const d = data?.software[task.signerId];
        if (!d) throw new Error(`signer ${task.signerId} is not in this thread`);
        signer = SoftwareSigner.fromThreadData(d);
        signers.set(task.signerId, signer);
      }
      const values: Uint8Array[] = [];
      for (const h of task.hashes) values.push(await signer.signDigest!(h, task.digest, task.scheme));
      return { ok: true, value: values };
    } catch (e) {
      return { ok: false, error: errorToData(e), digests };
    }
  }
  if (task.kind === 'check') {
    try {
      runCheck(task.pdf, task.pdfPassword);
      return { ok: true, value: null };
    } catch (e) {
      return { ok: false, error: errorToData(e), digests };
    }
  }
  if (task.kind === 'sign') {
    const how = task.signer;
    let signer = signers.get(task.signerId);
    if (!signer) {
      if ('remote' in how) signer = new PortSigner(how.remote, () => currentPort.getStore());
      else {
        const d = data?.software[task.signerId];
        if (!d) return { ok: false, error: errorToData(new Error(`signer ${task.signerId} is not in this thread`)), digests };
        signer = SoftwareSigner.fromThreadData(d);
      }
      signers.set(task.signerId, signer);
    }
    try {
      const value = await ('port' in how ? currentPort.run(how.port, () => runSign(task.pdf, signer, task.options, digests, trust, true)) : runSign(task.pdf, signer, task.options, digests, trust, true));
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: errorToData(e), digests };
    } finally {
      if ('port' in how) how.port.close();
    }
  }
  try {
    return { ok: true, value: await runVerify(task.pdf, trust, task.options, digests) };
  } catch (e) {
    return { ok: false, error: errorToData(e), digests };
  }
}
