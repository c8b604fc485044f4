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
   * Upper bound in bytes of a signature value from this key; lets signPdf
   * size the /Contents hole without a dry-run signature.
   */
  readonly maxSignatureSize?: number;
}
