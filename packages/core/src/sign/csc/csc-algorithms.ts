/**
 * The algorithm identifiers a CSC v2 client sends to signatures/signHash,
 * chosen from what the credential lists in credentials/info (`key.algo`):
 * the combined OIDs (sha256WithRSAEncryption, ecdsa-with-SHA256, …) when
 * the credential offers them, else the key's own OID (rsaEncryption,
 * ecPublicKey) with hashAlgorithmOID; RSASSA-PSS always with
 * hashAlgorithmOID and signAlgoParams (the DER RSASSA-PSS-params).
 */
import type { DigestAlgorithm, SignatureAlgorithm } from '../../contracts/index.js';
import { signatureAlgorithmId } from '../../cms/algorithms.js';
import { OID } from '../../cms/oids.js';

export const HASH_OIDS: Record<DigestAlgorithm, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

const RSA_WITH: Record<DigestAlgorithm, string> = {
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};

const ECDSA_WITH: Record<DigestAlgorithm, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

export interface SignHashAlgorithm {
  signAlgo: string;
  hashAlgorithmOID?: string;
  /** base64 DER, for RSASSA-PSS. */
  signAlgoParams?: string;
}

/** The signHash algorithm fields for a scheme and digest, or undefined when the credential lists none that fits. */
export function signHashAlgorithm(offered: readonly string[], scheme: SignatureAlgorithm, digest: DigestAlgorithm): SignHashAlgorithm | undefined {
  const has = (oid: string) => offered.includes(oid);
  switch (scheme.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      if (has(RSA_WITH[digest])) return { signAlgo: RSA_WITH[digest] };
      if (has(OID.rsaEncryption)) return { signAlgo: OID.rsaEncryption, hashAlgorithmOID: HASH_OIDS[digest] };
      return undefined;
    case 'ECDSA':
      if (has(ECDSA_WITH[digest])) return { signAlgo: ECDSA_WITH[digest] };
      if (has(OID.ecPublicKey)) return { signAlgo: OID.ecPublicKey, hashAlgorithmOID: HASH_OIDS[digest] };
      return undefined;
    case 'RSA-PSS': {
      if (!has(OID.rsassaPss)) return undefined;
      // The AlgorithmIdentifier CMS writes for this scheme; its second element is the RSASSA-PSS-params.
      const params = signatureAlgorithmId(scheme, digest).valueBlock.value[1]!;
      return { signAlgo: OID.rsassaPss, hashAlgorithmOID: HASH_OIDS[digest], signAlgoParams: Buffer.from(params.toBER(false)).toString('base64') };
    }
    default:
      return undefined;
  }
}

/** Whether a credential's list allows the scheme at all (some digest). */
export function offersScheme(offered: readonly string[], scheme: SignatureAlgorithm['scheme']): boolean {
  const digests = Object.keys(HASH_OIDS) as DigestAlgorithm[];
  return digests.some((d) => signHashAlgorithm(offered, { scheme } as SignatureAlgorithm, d) !== undefined);
}
