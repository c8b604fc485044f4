/**
 * Signature activation data (SAD) of the CSC API, SCAL1: credentials/
 * authorize issues a random value bound to one API key and one credential,
 * good for `numSignatures` hashes and `ttlMs`; signatures/signHash spends
 * it. Check and spend are one synchronous step, so two concurrent calls
 * cannot spend the same signature twice. Kept as its SHA-256, in memory.
 * With SCAL2 hashes (the client sent them at authorize), only those hashes
 * may be signed with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cscErrors } from './errors.js';

interface Entry {
  keyId: string;
  credential: string;
  remaining: number;
  expiresAt: number;
  /** SCAL2: base64 of the hashes this SAD may sign (each once). */
  hashes?: Set<string>;
}

const digest = (sad: string) => createHash('sha256').update(sad, 'utf8').digest('base64url');

export class SadStore {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(keyId: string, credential: string, numSignatures: number, hashes?: string[]): { sad: string; expiresIn: number } {
    this.#purge();
    const sad = randomBytes(32).toString('base64url');
    this.#entries.set(digest(sad), { keyId, credential, remaining: numSignatures, expiresAt: this.now() + this.ttlMs, ...(hashes ? { hashes: new Set(hashes) } : {}) });
    return { sad, expiresIn: Math.floor(this.ttlMs / 1000) };
  }

  /**
   * Spends `hashes.length` signatures of the SAD, or throws the refusal:
   * CSC_SAD_INVALID (unknown, another key's or credential's, hashes not
   * bound to it), CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED. Returns a function
   * that gives them back (the signing failed before any value left).
   */
  spend(sad: string, keyId: string, credential: string, hashes: string[]): () => void {
    const e = this.#entries.get(digest(sad));
    if (!e || e.keyId !== keyId || e.credential !== credential) throw cscErrors.sadInvalid();
    if (e.expiresAt <= this.now()) throw cscErrors.sadExpired();
    if (e.remaining < hashes.length) throw cscErrors.sadExhausted(e.remaining);
    if (e.hashes && !hashes.every((h) => e.hashes!.has(h))) throw cscErrors.sadHashes();
    e.remaining -= hashes.length;
    if (e.hashes) for (const h of hashes) e.hashes.delete(h);
    return () => {
      e.remaining += hashes.length;
      if (e.hashes) for (const h of hashes) e.hashes.add(h);
    };
  }

  #purge(): void {
    // An expired SAD is remembered one more lifetime, so using it says "expired" rather than "invalid".
    const cutoff = this.now() - this.ttlMs;
    for (const [k, e] of this.#entries) if (e.expiresAt < cutoff) this.#entries.delete(k);
  }
}
