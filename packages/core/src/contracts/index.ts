/**
 * The contracts every producer meets: Signer, Timestamper, the digest and signature algorithms.
 *
 * @module @kyso/core/contracts
 */
/**
 * The contracts every producer meets: what a Signer and a Timestamper are, and
 * the digest and signature algorithm names they speak. Nothing here knows a
 * PDF, a CMS structure or a network; cms/, time/, sign/ and @kyso/pkcs11 all
 * build on these, so they sit below all of them.
 */
export type { Signer, DigestAlgorithm, SignatureAlgorithm } from './signer.js';
export type { Timestamper } from './timestamper.js';
export { DEFAULT_TOKEN_RESERVE } from './timestamper.js';
