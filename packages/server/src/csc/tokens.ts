/**
 * Access tokens of the CSC API: auth/login and oauth2/token turn an API key
 * into a random bearer token that lives `ttlMs` (a few minutes), so the
 * long-lived key is sent once, not with every hash. Only the token's
 * SHA-256 is kept, in this process's memory: a restart, or another
 * instance behind the load balancer, does not know it (the client logs in
 * again; see the README's "Remote signing (CSC)").
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord } from '../store/server-store.js';

interface Entry {
  key: ApiKeyRecord;
  expiresAt: number;
}

export type TokenLookup = { state: 'valid'; key: ApiKeyRecord } | { state: 'expired'; key: ApiKeyRecord } | { state: 'unknown' };

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

export class AccessTokens {
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(key: ApiKeyRecord): { token: string; expiresIn: number } {
    this.#purge();
    const token = `kcsc_${randomBytes(32).toString('base64url')}`;
    this.#entries.set(digest(token), { key, expiresAt: this.now() + this.ttlMs });
    return { token, expiresIn: Math.floor(this.ttlMs / 1000) };
  }

  lookup(token: string): TokenLookup {
    const e = this.#entries.get(digest(token));
    if (!e) return { state: 'unknown' };
    return e.expiresAt > this.now() ? { state: 'valid', key: e.key } : { state: 'expired', key: e.key };
  }

  /** auth/revoke. */
  revoke(token: string): boolean {
    return this.#entries.delete(digest(token));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Expired tokens are kept one more lifetime (so their use is reported as expired and audited under their key), then dropped. */
  #purge(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [k, e] of this.#entries) if (e.expiresAt < cutoff) this.#entries.delete(k);
  }
}
