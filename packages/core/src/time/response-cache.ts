/**
 * A small bounded cache for revocation answers (OCSP results by responder
 * URL + CertID, CRLs by URL), each kept until its nextUpdate. Least recently
 * used entries go first when full. Pass one to checkOcsp / fetchCrl; nothing
 * is cached unless a cache is given.
 */
export interface ResponseCacheOptions {
  /** Default 1000 entries. */
  maxEntries?: number;
  /** Upper bound on how long any entry is kept, whatever its nextUpdate. Default 24 h. */
  maxTtlMs?: number;
  /** Default `() => new Date()`. */
  clock?: () => Date;
}

export interface ResponseCache {
  get<T>(key: string): T | undefined;
  /** Keeps `value` until `expiresAt` (capped by maxTtlMs); an expiry in the past stores nothing. */
  set(key: string, value: unknown, expiresAt: Date | null): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createResponseCache(options: ResponseCacheOptions = {}): ResponseCache {
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const maxTtlMs = options.maxTtlMs ?? 24 * 3_600_000;
  const clock = options.clock ?? (() => new Date());
  const entries = new Map<string, { value: unknown; expires: number }>();
  return {
    get<T>(key: string): T | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.expires <= clock().getTime()) {
        entries.delete(key);
        return undefined;
      }
      // Refresh recency: Map iteration order is insertion order.
      entries.delete(key);
      entries.set(key, e);
      return e.value as T;
    },
    set(key, value, expiresAt) {
      const now = clock().getTime();
      const expires = Math.min(expiresAt ? expiresAt.getTime() : now + maxTtlMs, now + maxTtlMs);
      entries.delete(key);
      if (expires <= now) return;
      entries.set(key, { value, expires });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
