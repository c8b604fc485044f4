import type { DigestAlgorithm } from './signer.js';

/**
 * Anything that turns a digest into an RFC 3161 timestamp token (the DER
 * ContentInfo): a TSA over HTTP, a test TSA, a remote service.
 */
export interface Timestamper {
  /** Digest algorithm for the message imprint (default SHA-256). */
  readonly digest?: DigestAlgorithm;
  /** Upper bound of a token's size in bytes, to size /Contents (default 12 KiB). */
  readonly maxTokenSize?: number;
  timestamp(digest: Uint8Array, algorithm: DigestAlgorithm): Promise<Uint8Array>;
}

/** The room reserved for a token when a Timestamper does not say (`maxTokenSize`). */
export const DEFAULT_TOKEN_RESERVE = 12 * 1024;
