import type { DigestAlgorithm } from '@kyso/core';

export type SignSessionState = 'prepared' | 'completed' | 'expired';
export type ExternalScheme = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

/**
 * One two-step signature kept server-side between /v1/sign/prepare and
 * /v1/sign/complete: the laid-out PDF (original + update with the empty
 * /Contents hole) and what is needed to assemble the CMS around the
 * signature value a client's token returns.
 */
export interface SignSessionRecord {
  /** Random 128-bit id, base64url. */
  id: string;
  /** The API key that prepared it; only that key may complete it. */
  keyId: string;
  state: SignSessionState;
  /** ISO time of prepare. */
  createdAt: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  digest: DigestAlgorithm;
  scheme: ExternalScheme;
  /** DER certificates, signer first. */
  certificates: Uint8Array[];
  fieldName: string;
  byteRange: readonly [number, number, number, number];
  contentsOffset: number;
  contentsCapacity: number;
  documentDigest: Uint8Array;
  /** DER of the signed attributes: what the client signs. */
  toBeSigned: Uint8Array;
  /** Null once the session is completed or expired (the bytes are dropped). */
  original: Uint8Array | null;
  update: Uint8Array | null;
}
