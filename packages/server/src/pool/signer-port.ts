import type { MessagePort } from 'node:worker_threads';
import type { DigestAlgorithm, SignatureAlgorithm, Signer } from '@kyso/core';
import { errorFromData, errorToData, type TaskError } from './tasks.js';

/**
 * The key never leaves the main thread (a PKCS#11 session cannot, and a
 * software key need not): a worker gets this description plus a
 * MessagePort, and asks the main thread for each signature value.
 */
export interface SignerDescription {
  certificate: Uint8Array;
  chain: Uint8Array[];
  signatureAlgorithm: SignatureAlgorithm;
  defaultDigest?: DigestAlgorithm;
  maxSignatureSize?: number;
}

interface SignRequest {
  id: number;
  data: Uint8Array;
  digest: DigestAlgorithm;
}

type SignReply = { id: number; value: Uint8Array } | { id: number; error: TaskError };

/**
 * A typed array that owns its whole buffer. Posting a view clones the entire
 * buffer under it (a 256-byte signature can drag a megabyte along), and
 * megabyte clones landing on the main thread make V8 run full collections.
 */
export function compact(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}

export function signerDescription(s: Signer): SignerDescription {
  return {
    certificate: compact(s.certificate),
    chain: s.chain.map(compact),
    signatureAlgorithm: s.signatureAlgorithm,
    ...(s.defaultDigest ? { defaultDigest: s.defaultDigest } : {}),
    ...(s.maxSignatureSize !== undefined ? { maxSignatureSize: s.maxSignatureSize } : {}),
  };
}

/** Main thread: answers a worker's sign requests with the real signer. */
export function serveSigner(port: MessagePort, signer: Signer): void {
  port.on('message', (m: SignRequest) => {
    signer.sign(m.data, m.digest).then(
      (value) => port.postMessage({ id: m.id, value: compact(value) } satisfies SignReply),
      (e: unknown) => port.postMessage({ id: m.id, error: errorToData(e) } satisfies SignReply),
    );
  });
}

/**
 * Worker thread: a Signer that forwards to the main thread. One per key and
 * thread, kept for the thread's life, because core caches the CMS template
 * per Signer object; the port of the task being served is found through
 * `taskPort` (a thread runs two tasks at once).
 */
export class PortSigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly defaultDigest?: DigestAlgorithm;
  readonly maxSignatureSize?: number;
  readonly #portOf: () => MessagePort | undefined;
  #next = 0;

  constructor(d: SignerDescription, portOf: () => MessagePort | undefined) {
    this.certificate = d.certificate;
    this.chain = d.chain;
    this.signatureAlgorithm = d.signatureAlgorithm;
    if (d.defaultDigest) this.defaultDigest = d.defaultDigest;
    if (d.maxSignatureSize !== undefined) this.maxSignatureSize = d.maxSignatureSize;
    this.#portOf = portOf;
  }

  sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    const port = this.#portOf();
    if (!port) return Promise.reject(new Error('kyso: a worker signer was used outside its task'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const onReply = (r: SignReply) => {
        if (r.id !== id) return;
        port.off('message', onReply);
        if ('error' in r) reject(errorFromData(r.error));
        else resolve(r.value);
      };
      port.on('message', onReply);
      port.postMessage({ id, data: compact(data), digest } satisfies SignRequest);
    });
  }
}
