/**
 * Checks a certificate's signature with a candidate issuer's public key:
 * RSA PKCS#1 v1.5 (SHA-1/224/256/384/512), RSA-PSS, ECDSA and Ed25519/Ed448.
 * MD2/MD5 are recognised and refused.
 */
import { constants, verify as cryptoVerify } from 'node:crypto';
import { childrenOf, isContext, oidOf, parseBer, smallIntOf, child } from './asn1.js';
import { type ParsedCertificate, publicKeyOf } from './certificate.js';

export type SignatureHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5' | 'md2' | 'none';

export interface SignatureCheck {
  /** The signature verified with the issuer's key. */
  readonly ok: boolean;
  /** Readable algorithm name, e.g. sha256WithRSAEncryption. */
  readonly algorithm: string;
  readonly hash: SignatureHash | null;
  /** The algorithm is not implemented (ok is then false). */
  readonly unsupported: boolean;
  readonly error?: string;
}

const HASH_OIDS: Record<string, SignatureHash> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const SIMPLE: Record<string, { name: string; hash: SignatureHash; kind: 'rsa' | 'ecdsa' | 'eddsa' | 'dsa' }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2', kind: 'rsa' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5', kind: 'rsa' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1', kind: 'rsa' },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', hash: 'sha1', kind: 'rsa' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224', kind: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256', kind: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384', kind: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512', kind: 'rsa' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1', kind: 'ecdsa' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224', kind: 'ecdsa' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256', kind: 'ecdsa' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384', kind: 'ecdsa' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512', kind: 'ecdsa' },
  '1.3.101.112': { name: 'Ed25519', hash: 'none', kind: 'eddsa' },
  '1.3.101.113': { name: 'Ed448', hash: 'none', kind: 'eddsa' },
};

const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

interface PssParams {
  hash: SignatureHash;
  mgfHash: SignatureHash;
  saltLength: number;
}

function readPssParams(params: Uint8Array | null): PssParams {
  const out: PssParams = { hash: 'sha1', mgfHash: 'sha1', saltLength: 20 };
  if (!params) return out;
  for (const c of childrenOf(parseBer(params))) {
    if (isContext(c, 0)) {
      const h = HASH_OIDS[oidOf(child(child(c, 0), 0))];
      if (!h) throw new Error('RSA-PSS: unknown hash');
      out.hash = h;
    } else if (isContext(c, 1)) {
      const mgf = child(c, 0);
      if (oidOf(child(mgf, 0)) !== OID_MGF1) throw new Error('RSA-PSS: unknown mask generation function');
      const h = HASH_OIDS[oidOf(child(child(mgf, 1), 0))];
      if (!h) throw new Error('RSA-PSS: unknown MGF1 hash');
      out.mgfHash = h;
    } else if (isContext(c, 2)) {
      out.saltLength = smallIntOf(child(c, 0));
    } else if (isContext(c, 3)) {
      if (smallIntOf(child(c, 0)) !== 1) throw new Error('RSA-PSS: unsupported trailer field');
    }
  }
  return out;
}

/** Verifies `cert`'s signature with `issuer`'s public key. Never throws. */
export function checkCertificateSignature(cert: ParsedCertificate, issuer: ParsedCertificate): SignatureCheck {
  const oid = cert.signatureAlgorithm.oid;
  const data = Buffer.from(cert.tbs);
  const sig = Buffer.from(cert.signatureValue);
  try {
    if (oid === OID_RSASSA_PSS) {
      const p = readPssParams(cert.signatureAlgorithm.parameters);
      const algorithm = `RSASSA-PSS(${p.hash})`;
      if (p.mgfHash !== p.hash) {
        return { ok: false, algorithm, hash: p.hash, unsupported: true, error: 'MGF1 hash differs from the message hash' };
      }
      const ok = cryptoVerify(
        p.hash,
        data,
        { key: publicKeyOf(issuer), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength },
        sig,
      );
      return { ok, algorithm, hash: p.hash, unsupported: false };
    }
    const alg = SIMPLE[oid];
    if (!alg) return { ok: false, algorithm: oid, hash: null, unsupported: true, error: `unknown signature algorithm ${oid}` };
    if (alg.hash === 'md2' || alg.hash === 'md5') {
      return { ok: false, algorithm: alg.name, hash: alg.hash, unsupported: true, error: `${alg.name} is not accepted` };
    }
    const key = publicKeyOf(issuer);
    const ok =
      alg.kind === 'eddsa'
        ? cryptoVerify(null, data, key, sig)
        : alg.kind === 'rsa'
          ? cryptoVerify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, sig)
          : cryptoVerify(alg.hash, data, { key, dsaEncoding: 'der' }, sig);
    return { ok, algorithm: alg.name, hash: alg.hash, unsupported: false };
  } catch (e) {
    // Wrong key type for the algorithm, unreadable key, malformed parameters.
    return {
      ok: false,
      algorithm: SIMPLE[oid]?.name ?? oid,
      hash: SIMPLE[oid]?.hash ?? null,
      unsupported: false,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
