import { DEFAULT_TOKEN_RESERVE, type DigestAlgorithm, type Timestamper } from '../contracts/index.js';
import type { Fetcher } from './fetcher.js';
import { requestTimestamp } from './timestamp-client.js';


export interface TsaTimestamperOptions {
  url: string;
  fetcher?: Fetcher;
  /** Default 10 s: a TSA that does not answer in time fails the signing, which writes nothing. */
  timeoutMs?: number;
  /** Require this TSA policy (e.g. BCY's 2.16.704.1.1.1.2). */
  policy?: string;
  digest?: DigestAlgorithm;
}

/** A Timestamper over an RFC 3161 TSA reached by HTTP; every token is validated before use. */
export function tsaTimestamper(options: TsaTimestamperOptions): Timestamper {
  return {
    digest: options.digest ?? 'SHA-256',
    maxTokenSize: DEFAULT_TOKEN_RESERVE,
    async timestamp(digest, algorithm) {
      const r = await requestTimestamp(digest, {
        url: options.url,
        hashAlgorithm: algorithm,
        ...(options.fetcher ? { fetcher: options.fetcher } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.policy ? { policy: options.policy } : {}),
      });
      return r.token;
    },
  };
}
