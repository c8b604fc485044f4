/**
 * Verifies an X.509-style signature (tbs bytes, AlgorithmIdentifier,
 * signature value) as found on OCSP responses and CRLs. MD5 is refused.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import { algorithmIdentifier, digestByName, isDigestName, pssParams, signatureByOid } from '../cms/inspect/algorithms.js';
import type { Node } from '../cms/inspect/der.js';

export function verifyTbsSignature(tbs: Uint8Array, algNode: Node | undefined, signature: Uint8Array, key: KeyObject): boolean {
  try {
    const alg = algorithmIdentifier(algNode, 'signatureAlgorithm');
    const info = signatureByOid(alg.oid);
    if (!info) return false;
    const nodeHash = (label: string | null): string | null => (label && isDigestName(label) && label !== 'MD5' ? digestByName(label).node : null);
    switch (info.kind) {
      case 'RSASSA-PKCS1-v1_5': {
        const h = nodeHash(info.hash);
        if (!h || key.asymmetricKeyType !== 'rsa') return false;
        return verify(h, tbs, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      }
      case 'RSA-PSS': {
        const p = pssParams(alg.params);
        const h = nodeHash(p.hash);
        if (!h || p.mgfHash !== p.hash) return false;
        return verify(h, tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength }, signature);
      }
      case 'ECDSA':
      case 'ECDSA-plain': {
        const h = nodeHash(info.hash);
        if (!h || key.asymmetricKeyType !== 'ec') return false;
        return verify(h, tbs, { key, dsaEncoding: info.kind === 'ECDSA' ? 'der' : 'ieee-p1363' }, signature);
      }
      case 'Ed25519':
      case 'Ed448':
        return key.asymmetricKeyType === info.kind.toLowerCase() && verify(null, tbs, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
