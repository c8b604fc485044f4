/**
 * Loading private keys and certificates from PEM and PKCS#12 files.
 *
 * PKCS#12 is walked with asn1js; the MAC, PBES2 (PBKDF2 + AES / 3DES) and the
 * PKCS#12 PBE with 3DES use node crypto; only RC2 (legacy certificate bags)
 * uses node-forge, since OpenSSL 3 keeps RC2 in its legacy provider.
 * No message ever contains the password.
 */
import * as asn1js from 'asn1js';
import { createRequire } from 'node:module';
import type forgeTypes from 'node-forge';
import {
  X509Certificate,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  pbkdf2Sync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { KysoError } from '../errors.js';
import { pemToDer } from '../trust/certificate-input.js';

export interface KeyMaterial {
  key: KeyObject;
  /** DER certificates in the order found. */
  certificates: Uint8Array[];
}

const P12 = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

const HASHES: Record<string, { name: string; u: number; v: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', u: 20, v: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', u: 28, v: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', u: 32, v: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', u: 48, v: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', u: 64, v: 128 },
};

const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** PKCS#12 PBE (RFC 7292 appendix C), all with SHA-1 key derivation. */
const P12_PBE: Record<string, { cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2'; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5, rc2Bits: 40 },
};

class BadPassword extends Error {}

function unsupported(why: string, cause?: unknown): KysoError {
  return new KysoError('KEY_UNSUPPORTED', `Not a readable PKCS#12 (.p12/.pfx) file: ${why}`, {
    vi: `Không phải tệp PKCS#12 (.p12/.pfx) đọc được: ${why}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

function badPassword(what: 'PKCS#12' | 'key'): KysoError {
  return what === 'PKCS#12'
    ? new KysoError('KEY_BAD_PASSWORD', 'Wrong password for the PKCS#12 (.p12/.pfx) file', {
        vi: 'Sai mật khẩu của tệp PKCS#12 (.p12/.pfx)',
      })
    : new KysoError('KEY_BAD_PASSWORD', 'Wrong passphrase for the private key (or the key is encrypted and no passphrase was given)', {
        vi: 'Sai mật khẩu của khóa bí mật (hoặc khóa được mã hóa mà không có mật khẩu)',
      });
}

// ---------------------------------------------------------------- asn1js reading

class Malformed extends Error {}

function children(b: asn1js.BaseBlock | undefined, what: string): asn1js.BaseBlock[] {
  if (!b || !(b instanceof asn1js.Constructed || b instanceof asn1js.Sequence || b instanceof asn1js.Set)) throw new Malformed(what);
  return (b as asn1js.Constructed).valueBlock.value;
}

function oidOf(b: asn1js.BaseBlock | undefined, what: string): string {
  if (!(b instanceof asn1js.ObjectIdentifier)) throw new Malformed(what);
  return b.getValue();
}

function intOf(b: asn1js.BaseBlock | undefined, what: string): number {
  if (!(b instanceof asn1js.Integer)) throw new Malformed(what);
  const n = b.valueBlock.valueDec;
  if (!Number.isSafeInteger(n) || n < 0) throw new Malformed(what);
  return n;
}

/** Contents of an OCTET STRING, or of an IMPLICIT-tagged one, primitive or (BER) constructed. */
function octetsOf(b: asn1js.BaseBlock | undefined, what: string): Uint8Array {
  if (!b) throw new Malformed(what);
  const vb = b.valueBlock as unknown as { value?: asn1js.BaseBlock[]; valueHexView?: Uint8Array };
  if (b.idBlock.isConstructed) {
    if (!Array.isArray(vb.value)) throw new Malformed(what);
    return Buffer.concat(vb.value.map((c) => octetsOf(c, what)));
  }
  if (!(vb.valueHexView instanceof Uint8Array)) throw new Malformed(what);
  return vb.valueHexView;
}

function parse(bytes: Uint8Array, what: string): asn1js.BaseBlock {
  const r = asn1js.fromBER(bytes);
  if (r.offset === -1) throw new Malformed(what);
  return r.result;
}

/** The single child of an [n] EXPLICIT wrapper. */
function explicit(b: asn1js.BaseBlock | undefined, tag: number, what: string): asn1js.BaseBlock {
  if (!b || b.idBlock.tagClass !== 3 || b.idBlock.tagNumber !== tag) throw new Malformed(what);
  const c = children(b, what);
  if (c.length !== 1) throw new Malformed(what);
  return c[0]!;
}

// ---------------------------------------------------------------- crypto

/** RFC 7292 appendix B.2 key derivation. `password` is already BMPString-encoded. */
function pkcs12Kdf(hashOid: string, password: Uint8Array, salt: Uint8Array, id: number, iterations: number, n: number): Uint8Array {
  const h = HASHES[hashOid];
  if (!h) throw unsupported(`unknown MAC digest ${hashOid}`);
  const { name, u, v } = h;
  const fill = (src: Uint8Array): Uint8Array => {
    if (src.length === 0) return new Uint8Array(0);
    const out = new Uint8Array(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out = new Uint8Array(n);
  for (let done = 0; done < n; ) {
    let A: Uint8Array = createHash(name).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(name).update(A).digest();
    out.set(A.subarray(0, Math.min(u, n - done)), done);
    done += u;
    if (done >= n) break;
    const B = new Uint8Array(v);
    for (let i = 0; i < v; i++) B[i] = A[i % u]!;
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const x = I[j + k]! + B[k]! + carry;
        I[j + k] = x & 0xff;
        carry = x >> 8;
      }
    }
  }
  return out;
}

function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

// Real files use 1 to a few hundred thousand; the cap bounds the time a hostile file can cost.
const MAX_ITERATIONS = 2_000_000;

function checkIterations(n: number): number {
  if (n < 1 || n > MAX_ITERATIONS) throw new Malformed('iteration count out of range');
  return n;
}

interface Secret {
  /** BMPString form, for the PKCS#12 KDF. */
  bmp: Uint8Array;
  /** UTF-8 form, for PBKDF2 (what OpenSSL does). */
  utf8: Uint8Array;
}

function decipher(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const d = createDecipheriv(name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new BadPassword();
  }
}

/** Decrypt `data` as described by AlgorithmIdentifier `alg`. Throws BadPassword on padding failure. */
function decrypt(alg: asn1js.BaseBlock | undefined, secret: Secret, data: Uint8Array): Uint8Array {
  const [oidB, params] = children(alg, 'encryption algorithm');
  const oid = oidOf(oidB, 'encryption algorithm');
  if (oid === P12.pbes2) {
    const [kdf, enc] = children(params, 'PBES2 parameters');
    const [kdfOid, kdfParams] = children(kdf, 'PBES2 key derivation');
    if (oidOf(kdfOid, 'PBES2 key derivation') !== P12.pbkdf2) throw unsupported('PBES2 key derivation other than PBKDF2');
    const kp = children(kdfParams, 'PBKDF2 parameters');
    const salt = octetsOf(kp[0], 'PBKDF2 salt');
    const iterations = checkIterations(intOf(kp[1], 'PBKDF2 iterations'));
    let keyLength: number | undefined;
    let prf = 'sha1';
    for (const extra of kp.slice(2)) {
      if (extra instanceof asn1js.Integer) keyLength = intOf(extra, 'PBKDF2 key length');
      else {
        const p = PRFS[oidOf(children(extra, 'PBKDF2 PRF')[0], 'PBKDF2 PRF')];
        if (!p) throw unsupported('unknown PBKDF2 PRF');
        prf = p;
      }
    }
    const [encOid, iv] = children(enc, 'PBES2 encryption scheme');
    const cipher = PBES2_CIPHERS[oidOf(encOid, 'PBES2 encryption scheme')];
    if (!cipher) throw unsupported('unknown PBES2 cipher');
    if (keyLength !== undefined && keyLength !== cipher.keyLength) throw new Malformed('PBKDF2 key length');
    const key = pbkdf2Sync(secret.utf8, salt, iterations, cipher.keyLength, prf);
    return decipher(cipher.name, key, octetsOf(iv, 'PBES2 IV'), data);
  }
  const pbe = P12_PBE[oid];
  if (!pbe) throw unsupported(`unknown encryption algorithm ${oid}`);
  const [saltB, iterB] = children(params, 'PBE parameters');
  const salt = octetsOf(saltB, 'PBE salt');
  const iterations = checkIterations(intOf(iterB, 'PBE iterations'));
  const sha1 = '1.3.14.3.2.26';
  const key = pkcs12Kdf(sha1, secret.bmp, salt, 1, iterations, pbe.keyLength);
  const iv = pkcs12Kdf(sha1, secret.bmp, salt, 2, iterations, 8);
  if (pbe.cipher !== 'rc2') return decipher(pbe.cipher, key, iv, data);
  // RC2 lives in OpenSSL 3's legacy provider, which node does not load.
  const forge = legacyCiphers();
  const rc2 = forge.rc2.createDecryptionCipher(forge.util.binary.raw.encode(key), pbe.rc2Bits);
  rc2.start(forge.util.binary.raw.encode(iv));
  rc2.update(forge.util.createBuffer(forge.util.binary.raw.encode(data)));
  if (!rc2.finish()) throw new BadPassword();
  return forge.util.binary.raw.decode(rc2.output.getBytes());
}

// ---------------------------------------------------------------- PKCS#12

function verifyMac(macData: asn1js.BaseBlock, content: Uint8Array, secret: Secret): boolean {
  const [digestInfo, saltB, iterB] = children(macData, 'MacData');
  const [algB, macB] = children(digestInfo, 'MAC DigestInfo');
  const hashOid = oidOf(children(algB, 'MAC algorithm')[0], 'MAC algorithm');
  if (hashOid === P12.pbmac1) throw unsupported('PBMAC1 integrity is not supported');
  const h = HASHES[hashOid];
  if (!h) throw unsupported(`unknown MAC digest ${hashOid}`);
  const iterations = iterB === undefined ? 1 : checkIterations(intOf(iterB, 'MAC iterations'));
  const key = pkcs12Kdf(hashOid, secret.bmp, octetsOf(saltB, 'MAC salt'), 3, iterations, h.u);
  const expected = octetsOf(macB, 'MAC value');
  const actual = createHmac(h.name, key).update(content).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

interface Bags {
  keys: Uint8Array[]; // PrivateKeyInfo DER
  certificates: Uint8Array[];
}

function readSafeContents(der: Uint8Array, secret: Secret, bags: Bags, depth = 0): void {
  if (depth > 4) throw new Malformed('nesting too deep');
  for (const bag of children(parse(der, 'SafeContents'), 'SafeContents')) {
    const [idB, valueB] = children(bag, 'SafeBag');
    const id = oidOf(idB, 'SafeBag type');
    const value = explicit(valueB, 0, 'SafeBag value');
    if (id === P12.keyBag) {
      bags.keys.push(value.valueBeforeDecodeView);
    } else if (id === P12.shroudedKeyBag) {
      const [alg, enc] = children(value, 'EncryptedPrivateKeyInfo');
      bags.keys.push(decrypt(alg, secret, octetsOf(enc, 'encrypted key')));
    } else if (id === P12.certBag) {
      const [certId, certValue] = children(value, 'CertBag');
      if (oidOf(certId, 'CertBag type') === P12.x509Certificate) {
        bags.certificates.push(octetsOf(explicit(certValue, 0, 'CertBag value'), 'certificate'));
      }
    } else if (id === P12.safeContentsBag) {
      readSafeContents(value.valueBeforeDecodeView, secret, bags, depth + 1);
    }
    // CRL and secret bags are of no use here.
  }
}

function readPfx(bytes: Uint8Array, secret: Secret, checkMac: boolean): Bags | 'bad-mac' {
  const pfx = children(parse(bytes, 'PFX'), 'PFX');
  if (intOf(pfx[0], 'PFX version') !== 3) throw new Malformed('PFX version');
  const [ctB, contentB] = children(pfx[1], 'authSafe');
  const ct = oidOf(ctB, 'authSafe type');
  if (ct === P12.signedData) throw unsupported('public-key integrity mode is not supported');
  if (ct !== P12.data) throw new Malformed('authSafe type');
  const authSafe = octetsOf(explicit(contentB, 0, 'authSafe content'), 'authSafe content');
  if (checkMac && pfx[2] && !verifyMac(pfx[2], authSafe, secret)) return 'bad-mac';
  const bags: Bags = { keys: [], certificates: [] };
  for (const ci of children(parse(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const [typeB, wrapped] = children(ci, 'ContentInfo');
    const type = oidOf(typeB, 'ContentInfo type');
    if (type === P12.data) {
      readSafeContents(octetsOf(explicit(wrapped, 0, 'data'), 'data'), secret, bags);
    } else if (type === P12.encryptedData) {
      const [, eci] = children(explicit(wrapped, 0, 'EncryptedData'), 'EncryptedData');
      const [, alg, content] = children(eci, 'EncryptedContentInfo');
      if (!content) continue; // nothing encrypted
      readSafeContents(decrypt(alg, secret, octetsOf(content, 'encrypted content')), secret, bags);
    } else {
      throw unsupported('public-key privacy mode (enveloped data) is not supported');
    }
  }
  return bags;
}

/**
 * Read a PKCS#12 file: the first private key and every certificate.
 * Wrong password → KEY_BAD_PASSWORD; anything unreadable → KEY_UNSUPPORTED.
 */
export function readPkcs12(bytes: Uint8Array, password: string): KeyMaterial {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw unsupported('empty input');
  if (typeof password !== 'string') {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'The PKCS#12 password must be a string', { vi: 'Mật khẩu PKCS#12 phải là một chuỗi' });
  }
  const utf8 = new TextEncoder().encode(password);
  // An empty password is BMPString "\0\0" to some writers and no bytes at all to others.
  const secrets: Secret[] = [{ bmp: bmpPassword(password), utf8 }];
  if (password === '') secrets.push({ bmp: new Uint8Array(0), utf8 });
  let bags: Bags | 'bad-mac' = 'bad-mac';
  try {
    for (const secret of secrets) {
      bags = readPfx(bytes, secret, true);
      if (bags !== 'bad-mac') break;
    }
  } catch (e) {
    if (e instanceof KysoError) throw e;
    if (e instanceof BadPassword) throw badPassword('PKCS#12');
    if (e instanceof Malformed) throw unsupported(`bad ${e.message}`);
    throw unsupported('cannot be decoded', e);
  }
  if (bags === 'bad-mac') throw badPassword('PKCS#12');
  const keyDer = bags.keys[0];
  if (!keyDer) {
    throw new KysoError('KEY_NOT_FOUND', 'The PKCS#12 file holds no private key', { vi: 'Tệp PKCS#12 không chứa khóa bí mật' });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new KysoError('KEY_UNSUPPORTED', 'The private key in the PKCS#12 file cannot be read', {
      vi: 'Không đọc được khóa bí mật trong tệp PKCS#12',
      cause,
    });
  }
  return { key, certificates: bags.certificates.map((c) => new Uint8Array(c)) };
}

// ---------------------------------------------------------------- PEM

function text(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

function looksDer(input: string | Uint8Array): input is Uint8Array {
  return input instanceof Uint8Array && input.length > 0 && input[0] === 0x30;
}

/**
 * Every certificate in a PEM text (a bundle may hold several, and keys too:
 * they are skipped), or a single DER certificate. Throws CERT_INVALID when
 * none is found or one does not parse.
 */
export function readCertificates(input: string | Uint8Array): Uint8Array[] {
  // One PEM reader for certificates: the trust store's.
  const out: Uint8Array[] = looksDer(input) ? [new Uint8Array(input)] : pemToDer(text(input));
  if (out.length === 0) {
    throw new KysoError('CERT_INVALID', 'No certificate found (expected PEM "CERTIFICATE" blocks or DER)', {
      vi: 'Không tìm thấy chứng thư số (cần khối PEM "CERTIFICATE" hoặc DER)',
    });
  }
  for (const c of out) {
    try {
      new X509Certificate(c);
    } catch (cause) {
      throw new KysoError('CERT_INVALID', 'A certificate cannot be parsed', { vi: 'Không phân tích được một chứng thư số', cause });
    }
  }
  return out;
}

/** Whether a PEM text or DER holds a private key block. */
export function hasPrivateKey(input: string | Uint8Array): boolean {
  return /-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.test(text(input));
}

/**
 * A private key from PEM (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC; the
 * first key block of a bundle) or DER PKCS#8.
 */
export function readPrivateKey(input: string | Uint8Array, passphrase?: string): KeyObject {
  try {
    if (looksDer(input)) {
      return createPrivateKey({ key: Buffer.from(input), format: 'der', type: 'pkcs8', ...(passphrase === undefined ? {} : { passphrase }) });
    }
    const pem = text(input).match(/-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/);
    if (!pem) {
      throw new KysoError('KEY_NOT_FOUND', 'No private key found (expected a PEM "PRIVATE KEY" block)', {
        vi: 'Không tìm thấy khóa bí mật (cần khối PEM "PRIVATE KEY")',
      });
    }
    return createPrivateKey({ key: pem[0], format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) });
  } catch (e) {
    if (e instanceof KysoError) throw e;
    const code = (e as { code?: string }).code ?? '';
    const msg = (e as Error).message ?? '';
    if (/BAD_DECRYPT|PASSPHRASE|bad decrypt|passphrase|interrupted or cancelled/i.test(code + ' ' + msg)) throw badPassword('key');
    throw new KysoError('KEY_UNSUPPORTED', 'The private key cannot be read', { vi: 'Không đọc được khóa bí mật' });
  }
}

let forgeModule: typeof forgeTypes | undefined;

/**
 * node-forge, for RC2 only (PKCS#12 files from older tools), loaded the first
 * time such a file is read: its forty modules are most of what signing with
 * a modern key or verifying would otherwise load at start-up.
 */
function legacyCiphers(): typeof forgeTypes {
  forgeModule ??= createRequire(import.meta.url)('node-forge') as typeof forgeTypes;
  return forgeModule;
}
