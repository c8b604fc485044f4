/**
 * What the CMS inspector reports. Plain data: every byte array is an
 * independent copy of the input's bytes (never a re-encoding), so callers may
 * keep, hash or compare them freely.
 */
import type { DigestName } from './algorithms.js';

export type { DigestName } from './algorithms.js';

export interface CmsSigningCertificate {
  /** 1 = ESS signing-certificate (SHA-1), 2 = signing-certificate-v2. Only the first ESSCertID (the signer's) is reported. */
  version: 1 | 2;
  /** Hash algorithm name ('SHA-256', ...) or its OID when unknown. */
  hashAlgorithm: string;
  certHash: Uint8Array;
  /** issuerSerial compared with the signer certificate; null when absent or no signer certificate was found. */
  issuerSerialMatches: boolean | null;
}

export interface CmsSignedAttributes {
  /**
   * The exact bytes the signature covers: the original encoding of the
   * [0] IMPLICIT signedAttrs with its tag byte replaced by SET (0x31).
   * If the original used an indefinite length (BER, forbidden by RFC 5652
   * 5.3), the header is rebuilt as a minimal definite-length SET header in
   * front of the original content octets (`reencoded` is then true); inner
   * attribute encodings are never changed.
   */
  der: Uint8Array;
  reencoded: boolean;
  contentType: string | null;
  messageDigest: Uint8Array | null;
  signingTime: Date | null;
  signingCertificate: CmsSigningCertificate | null;
  /** All attribute types in order of appearance (duplicates kept), for reporting. */
  oids: string[];
}

export type CmsSignerIdentifier =
  | { kind: 'issuerAndSerialNumber'; issuer: string; serialNumber: string /* lowercase hex */ }
  | { kind: 'subjectKeyIdentifier'; keyIdentifier: Uint8Array };

export interface CmsInspection {
  digestAlgorithm: { oid: string; name: DigestName | null };
  signatureAlgorithm: {
    oid: string;
    /** 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA', 'ECDSA-plain', 'Ed25519', 'Ed448', a known-but-unsupported name, or the OID. */
    name: string;
    /** Hash the signature uses ('SHA-256', ...): from the algorithm identifier, else the digest algorithm; null when unknown. */
    hash: string | null;
    pss?: { hash: string; mgfHash: string; saltLength: number };
  };
  /** DER (original bytes) of every X.509 certificate in SignedData.certificates; other CertificateChoices are skipped. */
  certificates: Uint8Array[];
  /** The certificate the SignerInfo's sid names (issuerAndSerialNumber or subjectKeyIdentifier), or null. */
  signerCertificate: Uint8Array | null;
  signerIdentifier: CmsSignerIdentifier;
  eContentType: string;
  /** Encapsulated content (TSTInfo for timestamps; the SHA-1 digest for adbe.pkcs7.sha1), null when detached. */
  eContent: Uint8Array | null;
  signedAttributes: CmsSignedAttributes | null;
  unsignedAttributes: { signatureTimeStampTokens: Uint8Array[]; oids: string[] };
  /** Adobe revocation-info-archival signed attribute (1.2.840.113583.1.1.8), or null. */
  revocationInfoArchival: { crls: Uint8Array[]; ocspResponses: Uint8Array[] } | null;
  /** SignedData.crls: X.509 CRLs (CertificateList choices). */
  crls: Uint8Array[];
  /** SignedData.crls: OtherRevocationInfoFormat entries of type id-ri-ocsp-response (OCSPResponse DER). */
  ocspResponses: Uint8Array[];
  signatureValue: Uint8Array;
}

export type CmsProblemCode =
  | 'NO_SIGNER_CERTIFICATE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_KEY'
  | 'KEY_ALGORITHM_MISMATCH'
  | 'ALGORITHM_MISMATCH'
  | 'MD5_DIGEST'
  | 'SHA1_DIGEST'
  | 'WEAK_KEY'
  | 'NO_CONTENT'
  | 'ECONTENT_PRESENT'
  | 'MESSAGE_DIGEST_MISSING'
  | 'MESSAGE_DIGEST_MISMATCH'
  | 'CONTENT_TYPE_MISSING'
  | 'CONTENT_TYPE_MISMATCH'
  | 'SIGNED_ATTRS_NOT_DER'
  | 'SIGNATURE_INVALID'
  | 'ESS_CERT_MISMATCH'
  | 'RSA_DIGESTINFO_NO_NULL';

export interface CmsProblem {
  code: CmsProblemCode;
  /** 'error': the signature must not be accepted; 'warning': report, but integrity stands; 'info': worth saying, nothing wrong. */
  severity: 'error' | 'warning' | 'info';
  message: string;
  messageVi: string;
}

export interface CmsCheck {
  /** messageDigest attribute == hash(content); without signed attributes: equals signatureOk. False whenever MD5 is involved. */
  digestOk: boolean;
  /** The signature value verifies with the signer certificate's public key. False whenever MD5 is involved. */
  signatureOk: boolean;
  /** signing-certificate(-v2): hash (and issuerSerial, when present) match the signer certificate; null when the attribute is absent. */
  essOk: boolean | null;
  /** Hash of the content with the CMS digest algorithm (empty when the algorithm is unsupported or there is no content). */
  computedDigest: Uint8Array;
  problems: CmsProblem[];
  /** digestOk && signatureOk && essOk !== false && no problem of severity 'error'. */
  ok: boolean;
}

export interface TimestampInfo {
  genTime: Date;
  policy: string;
  /** Lowercase hex of the serial number's magnitude. */
  serialNumber: string;
  /** algorithm: hash name ('SHA-256', ...) or the OID when unknown. */
  messageImprint: { algorithm: string; hash: Uint8Array };
  /** Lowercase hex, or null. */
  nonce: string | null;
  /** The TSA GeneralName as text (directoryName rendered as a DN), or null. */
  tsaName: string | null;
  accuracyMs: number | null;
  cms: CmsInspection;
}

/**
 * Detached content: the chunks it is made of and, optionally, a faster way
 * to its digest than a new pass over them (a verifier that shares hash
 * states between byte ranges with a common prefix, so each byte of a file
 * is hashed once however many signatures cover it).
 */
export interface DetachedContent {
  readonly chunks: readonly Uint8Array[];
  /** The digest of the chunks under node's hash name ('sha256', ...). */
  digest?(nodeHash: string): Uint8Array;
}
