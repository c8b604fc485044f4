/**
 * Signature algorithms the corpus has no sample of (RSASSA-PSS, ECDSA P-256,
 * ECDSA announced as id-ecPublicKey, rsaEncryption, Ed25519, plain ECDSA
 * without signed attributes). Each case re-signs a real CMS with a fresh key:
 * the signer certificate's SubjectPublicKeyInfo is swapped for the new key
 * (its own signature then no longer holds, which the integrity check does not
 * look at), and the signature value and algorithm are replaced.
 */
import { constants, createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCmsSignature, inspectCms } from '../../src/cms/inspect/index.js';
import { at, decode, encode, signedDataOf, signerInfoOf, type T } from './der-tree.js';
import { rangesOf, readPdf, scanPdfSignatures } from './pdf-signatures.js';

const pdf = readPdf(join('/work/shared/corpus/verify', 'dss-signed-original.pdf'));
const scanned = scanPdfSignatures(pdf)[0]!;
const ranges = rangesOf(pdf, scanned);
const base = encode(decode(scanned.contents));

const oid = (dotted: string): T => {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const b = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return { tag: 0x06, content: Buffer.from(out) };
};
const NULL: T = { tag: 0x05, content: new Uint8Array(0) };
const seq = (...children: T[]): T => ({ tag: 0x30, children });
const ctx = (n: number, child: T): T => ({ tag: 0xa0 | n, children: [child] });
const int = (n: number): T => ({ tag: 0x02, content: Buffer.from([n]) });
const SHA256 = '2.16.840.1.101.3.4.2.1';
const SHA384 = '2.16.840.1.101.3.4.2.2';
const MGF1 = '1.2.840.113549.1.1.8';

/** Re-signs the base CMS: new key in the signer certificate, new algorithm and signature. */
function resign(publicKey: KeyObject, sigAlg: T, signer: (data: Buffer) => Buffer, opts: { dropSignedAttrs?: boolean } = {}): Buffer {
  const cms0 = inspectCms(base);
  const ci = decode(base);
  const sd = signedDataOf(ci);
  const certs = at(sd, 3);
  const cert = certs.children!.find((c) => encode(c).equals(Buffer.from(cms0.signerCertificate!)))!;
  at(cert, 0).children![6] = decode(publicKey.export({ type: 'spki', format: 'der' }));
  const si = signerInfoOf(ci);
  if (opts.dropSignedAttrs) {
    si.children!.splice(3, 1);
    si.children![3] = sigAlg;
    si.children![4] = { tag: 0x04, content: signer(Buffer.concat(ranges)) }; // test only: concatenated to sign
  } else {
    si.children![4] = sigAlg;
    si.children![5] = { tag: 0x04, content: signer(Buffer.from(cms0.signedAttributes!.der)) };
  }
  return encode(ci);
}

function check(der: Buffer) {
  const cms = inspectCms(der);
  return { cms, c: checkCmsSignature(cms, ranges) };
}

describe('algorithms', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('RSASSA-PSS SHA-256 / MGF1-SHA-256 / salt 32', () => {
    const params = seq(ctx(0, seq(oid(SHA256), NULL)), ctx(1, seq(oid(MGF1), seq(oid(SHA256), NULL))), ctx(2, int(32)));
    const der = resign(rsa.publicKey, seq(oid('1.2.840.113549.1.1.10'), params), (d) =>
      sign('sha256', d, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    const { cms, c } = check(der);
    expect(cms.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.10', name: 'RSA-PSS', hash: 'SHA-256', pss: { hash: 'SHA-256', mgfHash: 'SHA-256', saltLength: 32 } });
    expect(c).toMatchObject({ digestOk: true, signatureOk: true, essOk: false }); // ESS names the original certificate
    // The wrong salt length in the parameters: invalid.
    const wrong = resign(rsa.publicKey, seq(oid('1.2.840.113549.1.1.10'), seq(ctx(0, seq(oid(SHA256), NULL)), ctx(1, seq(oid(MGF1), seq(oid(SHA256), NULL))), ctx(2, int(20)))), (d) =>
      sign('sha256', d, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    );
    expect(check(wrong).c.signatureOk).toBe(false);
  });

  it('RSASSA-PSS with MGF1 hash different from the hash: UNSUPPORTED_ALGORITHM', () => {
    const params = seq(ctx(0, seq(oid(SHA384), NULL)), ctx(1, seq(oid(MGF1), seq(oid(SHA256), NULL))), ctx(2, int(48)));
    const der = resign(rsa.publicKey, seq(oid('1.2.840.113549.1.1.10'), params), (d) => sign('sha384', d, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }));
    const { c } = check(der);
    expect(c.signatureOk).toBe(false);
    expect(c.problems.map((p) => p.code)).toContain('UNSUPPORTED_ALGORITHM');
  });

  it('RSASSA-PSS with default parameters (SHA-1, salt 20): valid, flagged', () => {
    const der = resign(rsa.publicKey, seq(oid('1.2.840.113549.1.1.10'), seq()), (d) => sign('sha1', d, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 }));
    const { cms, c } = check(der);
    expect(cms.signatureAlgorithm.pss).toEqual({ hash: 'SHA-1', mgfHash: 'SHA-1', saltLength: 20 });
    expect(c.signatureOk).toBe(true);
    expect(c.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['ALGORITHM_MISMATCH', 'SHA1_DIGEST']));
  });

  it('rsaEncryption as the signature algorithm (hash from the digest algorithm)', () => {
    const der = resign(rsa.publicKey, seq(oid('1.2.840.113549.1.1.1'), NULL), (d) => sign('sha256', d, rsa.privateKey));
    const { cms, c } = check(der);
    expect(cms.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(c.signatureOk && c.digestOk).toBe(true);
  });

  it('ECDSA P-256: ecdsa-with-SHA256 and plain id-ecPublicKey (DER signature)', () => {
    for (const alg of ['1.2.840.10045.4.3.2', '1.2.840.10045.2.1']) {
      const der = resign(p256.publicKey, seq(oid(alg)), (d) => sign('sha256', d, p256.privateKey));
      const { cms, c } = check(der);
      expect(cms.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: 'SHA-256' });
      expect(c.signatureOk && c.digestOk, `${alg} ${JSON.stringify(c.problems)}`).toBe(true);
    }
  });

  it('BSI plain ECDSA P-256 with signed attributes; a DER signature under the plain OID fails', () => {
    const alg = seq(oid('0.4.0.127.0.7.1.1.4.1.3'));
    expect(check(resign(p256.publicKey, alg, (d) => sign('sha256', d, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }))).c.signatureOk).toBe(true);
    expect(check(resign(p256.publicKey, alg, (d) => sign('sha256', d, p256.privateKey))).c.signatureOk).toBe(false);
  });

  it('no signed attributes, plain ECDSA streamed over the two ranges', () => {
    const der = resign(p256.publicKey, seq(oid('0.4.0.127.0.7.1.1.4.1.3')), (d) => sign('sha256', d, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }), { dropSignedAttrs: true });
    const { cms, c } = check(der);
    expect(cms.signedAttributes).toBeNull();
    expect(c).toMatchObject({ digestOk: true, signatureOk: true, essOk: null });
    const h = createHash('sha256');
    for (const r of ranges) h.update(r);
    expect(Buffer.from(c.computedDigest).equals(h.digest())).toBe(true);
  });

  it('Ed25519 over signed attributes', () => {
    const ed = generateKeyPairSync('ed25519');
    const der = resign(ed.publicKey, seq(oid('1.3.101.112')), (d) => sign(null, d, ed.privateKey));
    const { cms, c } = check(der);
    expect(cms.signatureAlgorithm).toMatchObject({ name: 'Ed25519', hash: null });
    expect(c.signatureOk && c.digestOk).toBe(true);
  });

  it('an ECDSA signature algorithm with an RSA key: KEY_ALGORITHM_MISMATCH', () => {
    const der = resign(rsa.publicKey, seq(oid('1.2.840.10045.4.3.2')), (d) => sign('sha256', d, rsa.privateKey));
    const { c } = check(der);
    expect(c.signatureOk).toBe(false);
    expect(c.problems.map((p) => p.code)).toContain('KEY_ALGORITHM_MISMATCH');
  });

  it('a 1024-bit RSA key verifies but is flagged WEAK_KEY', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const der = resign(small.publicKey, seq(oid('1.2.840.113549.1.1.11'), NULL), (d) => sign('sha256', d, small.privateKey));
    const { c } = check(der);
    expect(c.signatureOk).toBe(true);
    expect(c.problems.find((p) => p.code === 'WEAK_KEY')?.severity).toBe('warning');
  });
});
