export { KysoError, isKysoError } from './errors.js';
export type { KysoErrorCode, KysoErrorOptions } from './errors.js';
export type { Signer, DigestAlgorithm, SignatureAlgorithm } from './sign/signer.js';
