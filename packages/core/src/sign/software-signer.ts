import { X509Certificate, constants, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { digestLength, nodeDigestName, publicKeyFacts, type PublicKeyFacts } from '../cms/algorithms.js';
import { KysoError } from '../errors.js';
import { readCertificates, readPkcs12, readPrivateKey } from './key-files.js';
import { checkHashLength, ecdsaSignDigest, rsaPkcs1SignDigest, rsaPssSignDigest } from './digest-signature.js';
import type { DigestAlgorithm, SignatureAlgorithm, Signer } from '../contracts/index.js';

export interface SoftwareSignerOptions {
  /** For RSA keys: PKCS#1 v1.5 (default) or PSS (salt = digest length, MGF1 with the same hash). */
  scheme?: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS';
  /** Overrides the digest preferred by the key (SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512 for P-521). */
  defaultDigest?: DigestAlgorithm;
}

/**
 * A software signer as data that can be posted to a worker thread (node
 * clones KeyObjects between threads of one process): the service signs on
 * its worker threads without a round trip to the main thread per signature.
 * It holds the private key: never serialise it anywhere else.
 */
export interface SoftwareSignerThreadData {
  key: KeyObject;
  certificate: Uint8Array;
  chain: Uint8Array[];
  options: SoftwareSignerOptions;
}

export type PemInput = string | Uint8Array;

export interface SoftwareSignerPem {
  /** PEM private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1) or DER PKCS#8. May also be a bundle holding certificates. */
  key: PemInput;
  /** Signer certificate (PEM or DER); a PEM bundle may also carry the chain. */
  cert: PemInput;
  /** Issuer certificates, in any order: one PEM bundle, or several PEM/DER items. */
  chain?: PemInput | readonly PemInput[];
  passphrase?: string;
}

const MIN_RSA_BITS = 2048;

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

function parseCert(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new KysoError('CERT_INVALID', 'A certificate cannot be parsed', { vi: 'Không phân tích được một chứng thư số', cause });
  }
}

function mismatch(): KysoError {
  return new KysoError('KEY_MISMATCH', 'The private key does not belong to the certificate', {
    vi: 'Khóa bí mật không khớp với chứng thư số',
  });
}

/**
 * Issuer certificates ordered by linkage from `leaf`, nearest issuer first;
 * certificates not on the path follow in their given order. Duplicates and
 * the leaf itself are dropped.
 */
export function orderChain(leaf: Uint8Array, others: readonly Uint8Array[]): Uint8Array[] {
  const leafX = parseCert(leaf);
  const seen = new Set<string>([leafX.fingerprint256]);
  const pool: { der: Uint8Array; x: X509Certificate }[] = [];
  for (const der of others) {
    const x = parseCert(der);
    if (seen.has(x.fingerprint256)) continue;
    seen.add(x.fingerprint256);
    pool.push({ der: new Uint8Array(der), x });
  }
  const out: Uint8Array[] = [];
  let current = leafX;
  for (;;) {
    if (current.checkIssued(current) && current !== leafX) break; // reached a self-issued root
    const i = pool.findIndex((p) => current.checkIssued(p.x));
    if (i < 0) break;
    const [next] = pool.splice(i, 1);
    out.push(next!.der);
    current = next!.x;
  }
  return [...out, ...pool.map((p) => p.der)];
}

/** RSA keys up to this size (and EC keys) sign inline; larger RSA keys on libuv's thread pool. */
const INLINE_RSA_BITS = 3072;

/** A Signer over a private key held in memory (node crypto). */
export class SoftwareSigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly defaultDigest: DigestAlgorithm;
  readonly maxSignatureSize: number;
  private readonly key: KeyObject;
  private readonly facts: PublicKeyFacts;
  private readonly options: SoftwareSignerOptions;

  /**
   * @param key a private KeyObject (RSA ≥ 2048 bits, RSA-PSS, EC P-256/P-384/P-521)
   * @param certificate DER of the signer's certificate; must hold the key's public key
   * @param chain DER issuer certificates, any order (ordered nearest issuer first here)
   */
  constructor(key: KeyObject, certificate: Uint8Array, chain: readonly Uint8Array[] = [], options: SoftwareSignerOptions = {}) {
    if (!key || typeof key !== 'object' || key.type !== 'private') {
      throw new KysoError('KEY_UNSUPPORTED', 'A private key is required', { vi: 'Cần một khóa bí mật' });
    }
    const facts = publicKeyFacts(key);
    if (facts.family === 'RSA' && facts.bits < MIN_RSA_BITS) {
      throw new KysoError('KEY_UNSUPPORTED', `RSA keys shorter than ${MIN_RSA_BITS} bits are not supported (got ${facts.bits})`, {
        vi: `Không hỗ trợ khóa RSA ngắn hơn ${MIN_RSA_BITS} bit (khóa có ${facts.bits} bit)`,
      });
    }
    const cert = parseCert(certificate);
    let certKey: Buffer;
    try {
      certKey = spki(cert.publicKey);
    } catch (cause) {
      throw new KysoError('CERT_INVALID', 'The certificate public key cannot be read', {
        vi: 'Không đọc được khóa công khai của chứng thư số',
        cause,
      });
    }
    if (!spki(createPublicKey(key)).equals(certKey)) throw mismatch();

    const scheme = options.scheme ?? (facts.pssOnly ? 'RSA-PSS' : undefined);
    if (facts.family === 'EC') {
      if (scheme !== undefined) {
        throw new KysoError('SIGN_OPTIONS_INVALID', `Scheme ${scheme} needs an RSA key`, { vi: `Lược đồ ${scheme} cần khóa RSA` });
      }
      this.signatureAlgorithm = { scheme: 'ECDSA' };
    } else if (scheme === 'RSA-PSS') {
      this.signatureAlgorithm = { scheme: 'RSA-PSS' };
    } else if (scheme === undefined || scheme === 'RSASSA-PKCS1-v1_5') {
      if (facts.pssOnly) {
        throw new KysoError('SIGN_OPTIONS_INVALID', 'An RSA-PSS key cannot make PKCS#1 v1.5 signatures', {
          vi: 'Khóa RSA-PSS không thể tạo chữ ký PKCS#1 v1.5',
        });
      }
      this.signatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5' };
    } else {
      throw new KysoError('SIGN_OPTIONS_INVALID', `Unknown signature scheme ${String(scheme)}`, {
        vi: `Lược đồ chữ ký không xác định ${String(scheme)}`,
      });
    }
    if (options.defaultDigest !== undefined) digestLength(options.defaultDigest); // validates
    this.defaultDigest =
      options.defaultDigest ?? (facts.namedCurve === 'secp384r1' ? 'SHA-384' : facts.namedCurve === 'secp521r1' ? 'SHA-512' : 'SHA-256');
    this.key = key;
    this.facts = facts;
    this.options = { ...options };
    this.maxSignatureSize = facts.maxSignatureSize;
    this.certificate = new Uint8Array(certificate);
    this.chain = Object.freeze(orderChain(this.certificate, chain));
  }

  /** See SoftwareSignerThreadData. */
  toThreadData(): SoftwareSignerThreadData {
    return { key: this.key, certificate: new Uint8Array(this.certificate), chain: this.chain.map((c) => new Uint8Array(c)), options: { ...this.options } };
  }

  static fromThreadData(d: SoftwareSignerThreadData): SoftwareSigner {
    return new SoftwareSigner(d.key, d.certificate, d.chain, d.options);
  }

  /** From a PKCS#12 (.p12/.pfx), modern (PBES2/AES, SHA-256 MAC) or legacy (3DES/RC2, SHA-1 MAC). */
  static fromPkcs12(bytes: Uint8Array, password: string, options: SoftwareSignerOptions = {}): SoftwareSigner {
    const { key, certificates } = readPkcs12(bytes, password);
    return SoftwareSigner.fromParts(key, certificates, options);
  }

  /** From PEM (or DER) key and certificates; cert may be a bundle with the chain. */
  static fromPem(input: SoftwareSignerPem, options: SoftwareSignerOptions = {}): SoftwareSigner {
    const key = readPrivateKey(input.key, input.passphrase);
    const certs = readCertificates(input.cert);
    const chain = input.chain === undefined ? [] : Array.isArray(input.chain) ? input.chain : [input.chain as PemInput];
    for (const c of chain) certs.push(...readCertificates(c));
    return SoftwareSigner.fromParts(key, certs, options);
  }

  /** The certificate holding the key's public key signs; the others become the chain. */
  private static fromParts(key: KeyObject, certificates: readonly Uint8Array[], options: SoftwareSignerOptions): SoftwareSigner {
    if (key.type !== 'private') throw new KysoError('KEY_UNSUPPORTED', 'A private key is required', { vi: 'Cần một khóa bí mật' });
    const pub = spki(createPublicKey(key));
    const index = certificates.findIndex((c) => {
      try {
        return spki(parseCert(c).publicKey).equals(pub);
      } catch {
        return false;
      }
    });
    if (certificates.length === 0) {
      throw new KysoError('CERT_INVALID', 'No certificate was found for the key', { vi: 'Không tìm thấy chứng thư số cho khóa' });
    }
    if (index < 0) throw mismatch();
    const leaf = certificates[index]!;
    return new SoftwareSigner(key, leaf, certificates.filter((_, i) => i !== index), options);
  }

  /**
   * Signs a hash computed elsewhere (remote signing: CSC signHash). An RSA
   * key makes PKCS#1 v1.5 or PSS (any salt length that fits) whatever its
   * default scheme, except that an RSA-PSS key makes PSS only.
   */
  signDigest(hash: Uint8Array, digest: DigestAlgorithm, scheme: SignatureAlgorithm = this.signatureAlgorithm): Promise<Uint8Array> {
    try {
      checkHashLength(hash, digest);
      const wanted = scheme?.scheme;
      if (this.facts.family === 'EC') {
        if (wanted !== 'ECDSA') throw new KysoError('SIGN_OPTIONS_INVALID', `An EC key makes ECDSA signatures, not ${String(wanted)}`, { vi: `Khóa EC chỉ tạo chữ ký ECDSA, không tạo ${String(wanted)}` });
        return Promise.resolve(ecdsaSignDigest(this.key, this.facts.namedCurve, hash));
      }
      if (wanted === 'RSA-PSS') {
        const salt = (scheme as { saltLength?: number }).saltLength ?? digestLength(digest);
        return Promise.resolve(rsaPssSignDigest(this.key, this.facts.bits, hash, digest, salt));
      }
      if (wanted === 'RSASSA-PKCS1-v1_5' && !this.facts.pssOnly) return Promise.resolve(rsaPkcs1SignDigest(this.key, hash, digest));
      throw new KysoError('SIGN_OPTIONS_INVALID', `This RSA key cannot make ${String(wanted)} signatures`, { vi: `Khóa RSA này không tạo được chữ ký ${String(wanted)}` });
    } catch (e) {
      if (e instanceof KysoError) return Promise.reject(e);
      return Promise.reject(new KysoError('SIGN_SIGNER_FAILED', 'The software key failed to sign', { vi: 'Khóa phần mềm không ký được', cause: e }));
    }
  }

  sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    let hash: string;
    try {
      hash = nodeDigestName(digest);
    } catch (e) {
      return Promise.reject(e);
    }
    const key =
      this.signatureAlgorithm.scheme === 'RSA-PSS'
        ? { key: this.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digestLength(digest) }
        : this.facts.family === 'EC'
          ? { key: this.key, dsaEncoding: 'der' as const }
          : { key: this.key, padding: constants.RSA_PKCS1_PADDING };
    if (this.facts.family === 'EC' || this.facts.bits <= INLINE_RSA_BITS) {
      // Well under a millisecond: signing here costs less than a round trip
      // through libuv's thread pool, whose two wake-ups are what a loaded
      // machine makes slow. (The server already signs on its worker threads.)
      try {
        const signature = cryptoSign(hash, data, key);
        return Promise.resolve(new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength));
      } catch (err) {
        return Promise.reject(new KysoError('SIGN_SIGNER_FAILED', 'The software key failed to sign', { vi: 'Khóa phần mềm không ký được', cause: err }));
      }
    }
    return new Promise((resolve, reject) => {
      cryptoSign(hash, data, key, (err, signature) => {
        if (err) {
          reject(new KysoError('SIGN_SIGNER_FAILED', 'The software key failed to sign', { vi: 'Khóa phần mềm không ký được', cause: err }));
        } else {
          resolve(new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength));
        }
      });
    });
  }
}
