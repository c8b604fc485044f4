/**
 * A PKCS#12 (RFC 7292) writer for TEST key stores, in the two shapes met in
 * the field:
 *
 * - `modern`: what OpenSSL 3 writes by default. Certificates in an
 *   EncryptedData and the key in a pkcs8ShroudedKeyBag, both PBES2 (PBKDF2
 *   with HMAC-SHA256, AES-256-CBC, 2048 iterations, password as UTF-8 bytes);
 *   the MAC is HMAC-SHA256 with a key from the PKCS#12 KDF (2048 iterations).
 * - `legacy`: what Windows and OpenSSL 1.x export. Certificates under
 *   pbeWithSHAAnd40BitRC2-CBC, the key under pbeWithSHAAnd3-KeyTripleDES-CBC,
 *   HMAC-SHA1 MAC (password as BMPString, PKCS#12 KDF).
 *
 * Encoding is asn1js; 3DES, AES and the hashes are node crypto; RC2 (not in
 * OpenSSL 3's default provider, hence not in node) comes from node-forge.
 */
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import forge from 'node-forge';

export type Pkcs12Profile = 'modern' | 'legacy';

export interface Pkcs12Input {
  /** The private key; exported as PKCS#8. */
  privateKey: KeyObject;
  /** DER of the certificate of that key. */
  certificate: Uint8Array;
  /** DER of the rest of the chain (issuing CA, root). */
  chain?: readonly Uint8Array[];
  password: string;
  /** friendlyName of the key and its certificate. */
  friendlyName?: string;
  /** Default 'modern'. */
  profile?: Pkcs12Profile;
  /** KDF and MAC iterations. Default 2048 (OpenSSL's default). */
  iterations?: number;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.2', // pkcs8ShroudedKeyBag
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbeSha1Rc2_40: '1.2.840.113549.1.12.1.6',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

const der = (b: asn1js.BaseBlock): Uint8Array => new Uint8Array(b.toBER(false));
const oid = (value: string): asn1js.ObjectIdentifier => new asn1js.ObjectIdentifier({ value });
const octets = (b: Uint8Array): asn1js.OctetString => new asn1js.OctetString({ valueHex: b });
const int = (value: number): asn1js.Integer => new asn1js.Integer({ value });
const seq = (...value: asn1js.BaseBlock[]): asn1js.Sequence => new asn1js.Sequence({ value });
const explicit0 = (inner: asn1js.BaseBlock): asn1js.Constructed =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [inner] });
const algId = (id: string, params?: asn1js.BaseBlock): asn1js.Sequence => seq(oid(id), params ?? new asn1js.Null());

/** Password as BMPString bytes with a two-byte NUL terminator (RFC 7292 B.1). */
function bmpPassword(password: string): Buffer {
  const b = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) b.writeUInt16BE(password.charCodeAt(i), i * 2);
  return b;
}

/** The PKCS#12 key derivation of RFC 7292 appendix B.2 (id 1 key, 2 IV, 3 MAC). */
export function pkcs12Kdf(hash: 'sha1' | 'sha256', password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, n: number): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const fill = (src: Uint8Array): Buffer => {
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const P = bmpPassword(password);
  const I = Buffer.concat([salt.length ? fill(salt) : Buffer.alloc(0), fill(P)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < n; produced += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    blocks.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const s = I[j + k]! + B[k]! + carry;
        I[j + k] = s & 0xff;
        carry = s >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, n);
}

interface Encrypted {
  algorithm: asn1js.Sequence;
  ciphertext: Uint8Array;
}

function encryptModern(plain: Uint8Array, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const c = createCipheriv('aes-256-cbc', key, iv);
  const ciphertext = Buffer.concat([c.update(plain), c.final()]);
  const kdf = algId(OID.pbkdf2, seq(octets(salt), int(iterations), algId(OID.hmacWithSHA256)));
  const algorithm = algId(OID.pbes2, seq(kdf, algId(OID.aes256Cbc, octets(iv))));
  return { algorithm, ciphertext };
}

function encryptTripleDes(plain: Uint8Array, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const key = pkcs12Kdf('sha1', password, salt, 1, iterations, 24);
  const iv = pkcs12Kdf('sha1', password, salt, 2, iterations, 8);
  const c = createCipheriv('des-ede3-cbc', key, iv);
  const ciphertext = Buffer.concat([c.update(plain), c.final()]);
  return { algorithm: algId(OID.pbeSha1TripleDes, seq(octets(salt), int(iterations))), ciphertext };
}

function encryptRc2_40(plain: Uint8Array, password: string, iterations: number): Encrypted {
  const salt = randomBytes(8);
  const key = pkcs12Kdf('sha1', password, salt, 1, iterations, 5);
  const iv = pkcs12Kdf('sha1', password, salt, 2, iterations, 8);
  const cipher = forge.rc2.createEncryptionCipher(forge.util.createBuffer(key.toString('binary')), 40);
  cipher.start(forge.util.createBuffer(iv.toString('binary')));
  cipher.update(forge.util.createBuffer(Buffer.from(plain).toString('binary')));
  if (!cipher.finish()) throw new Error('RC2 encryption failed');
  const ciphertext = Buffer.from(cipher.output.getBytes(), 'binary');
  return { algorithm: algId(OID.pbeSha1Rc2_40, seq(octets(salt), int(iterations))), ciphertext };
}

function attributes(friendlyName: string | undefined, localKeyId: Uint8Array | undefined): asn1js.Set | undefined {
  const attrs: asn1js.BaseBlock[] = [];
  if (friendlyName !== undefined) {
    attrs.push(seq(oid(OID.friendlyName), new asn1js.Set({ value: [new asn1js.BmpString({ value: friendlyName })] })));
  }
  if (localKeyId) attrs.push(seq(oid(OID.localKeyId), new asn1js.Set({ value: [octets(localKeyId)] })));
  return attrs.length ? new asn1js.Set({ value: attrs }) : undefined;
}

function safeBag(bagId: string, value: asn1js.BaseBlock, attrs: asn1js.Set | undefined): asn1js.Sequence {
  return attrs ? seq(oid(bagId), explicit0(value), attrs) : seq(oid(bagId), explicit0(value));
}

/** Builds a password-protected PKCS#12 file (DER). */
export function createPkcs12(input: Pkcs12Input): Uint8Array {
  const profile = input.profile ?? 'modern';
  const iterations = input.iterations ?? 2048;
  const { password } = input;
  const localKeyId = createHash('sha1').update(input.certificate).digest();

  // Certificates: the key's own first (with localKeyId), then the chain.
  const certBags = [input.certificate, ...(input.chain ?? [])].map((cert, i) =>
    safeBag(
      OID.certBag,
      seq(oid(OID.x509Certificate), explicit0(octets(cert))),
      i === 0 ? attributes(input.friendlyName, localKeyId) : undefined,
    ),
  );
  const certSafe = der(seq(...certBags));
  const certEnc = profile === 'modern' ? encryptModern(certSafe, password, iterations) : encryptRc2_40(certSafe, password, iterations);
  const encryptedData = seq(
    int(0),
    seq(
      oid(OID.data),
      certEnc.algorithm,
      // [0] IMPLICIT OCTET STRING
      new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: certEnc.ciphertext }),
    ),
  );
  const certsContentInfo = seq(oid(OID.encryptedData), explicit0(encryptedData));

  // Key: EncryptedPrivateKeyInfo in a pkcs8ShroudedKeyBag, in a plain data ContentInfo.
  const pkcs8 = new Uint8Array(input.privateKey.export({ type: 'pkcs8', format: 'der' }));
  const keyEnc = profile === 'modern' ? encryptModern(pkcs8, password, iterations) : encryptTripleDes(pkcs8, password, iterations);
  const epki = seq(keyEnc.algorithm, octets(keyEnc.ciphertext));
  const keySafe = der(seq(safeBag(OID.keyBag, epki, attributes(input.friendlyName, localKeyId))));
  const keyContentInfo = seq(oid(OID.data), explicit0(octets(keySafe)));

  const authSafe = der(seq(certsContentInfo, keyContentInfo));

  const macHash = profile === 'modern' ? 'sha256' : 'sha1';
  const macSalt = randomBytes(8);
  const macKey = pkcs12Kdf(macHash, password, macSalt, 3, iterations, macHash === 'sha256' ? 32 : 20);
  const mac = createHmac(macHash, macKey).update(authSafe).digest();
  const macData = seq(seq(algId(macHash === 'sha256' ? OID.sha256 : OID.sha1), octets(mac)), octets(macSalt), int(iterations));

  return der(seq(int(3), seq(oid(OID.data), explicit0(octets(authSafe))), macData));
}
