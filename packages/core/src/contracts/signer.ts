/**
 * A Signer turns bytes into a signature value. It never sees a PDF: signPdf
 * hands it the DER of the CMS signed attributes. Software keys, PKCS#11
 * tokens, remote services and a desk token in a browser all fit behind it.
 */
export type DigestAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignatureAlgorithm =
  | { scheme: 'RSASSA-PKCS1-v1_5' }
  /** saltLength defaults to the digest length (what PAdES validators expect). */
  | { scheme: 'RSA-PSS'; saltLength?: number }
  | { scheme: 'ECDSA' };

export interface Signer {
  /** DER of the signer's certificate. */
  readonly certificate: Uint8Array;
  /** DER of the issuing certificates, nearest first (may be empty). */
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** The digest the signer prefers when the caller does not choose. */
  readonly defaultDigest?: DigestAlgorithm;
  /**
   * Sign `data` (hashing it with `digest` as part of the signature scheme).
   * RSA returns the raw signature value; ECDSA returns a DER
   * Ecdsa-Sig-Value (SEQUENCE { r, s }).
   */
  sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array>;
  /**
   * Optional: sign a hash computed elsewhere, as a remote-signing service
   * must (CSC signatures/signHash) and a hash-only client asks. `hash` is
   * the `digest` hash of the data (exactly its length); the value returned
   * is what `sign` returns for data with that hash. `scheme` picks another
   * scheme the same key can make (an RSA key: PKCS#1 v1.5, or PSS with a
   * salt length); default `signatureAlgorithm`. A scheme the key or token
   * cannot make is refused with SIGN_OPTIONS_INVALID (or
   * PKCS11_MECHANISM_UNSUPPORTED). Signers that cannot sign a precomputed
   * hash (a token with hash-and-sign mechanisms only, a browser token)
   * leave it out: callers check that it exists.
   */
  signDigest?(hash: Uint8Array, digest: DigestAlgorithm, scheme?: SignatureAlgorithm): Promise<Uint8Array>;
  /**
   * Upper bound in bytes of a signature value from this key; lets signPdf
   * size the /Contents hole without a dry-run signature.
   */
  readonly maxSignatureSize?: number;
}
