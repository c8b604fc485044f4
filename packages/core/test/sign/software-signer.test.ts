import fc from 'fast-check';
import { constants, createHash, createPrivateKey, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsSignerTemplate } from '../../src/cms/index.js';
import { KysoError } from '../../src/errors.js';
import { readPkcs12 } from '../../src/sign/key-files.js';
import { SoftwareSigner } from '../../src/sign/software-signer.js';
import { makeTestPki, openssl, verifyWithOpenssl, type LeafKind, type TestPki } from '../cms/pki-fixture.js';

const PASSWORD = 'Mật-khẩu đúng 123';
const ASCII_PASSWORD = 'correct horse 42';

let pki: TestPki;
const der = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);

function p12(kind: LeafKind, legacy: boolean, password: string, certfile = [pki.rootFile, pki.caFile], extra: string[] = []): Uint8Array {
  const leaf = pki.leaves[kind];
  const chainFile = join(pki.dir, `chain-${kind}-${legacy}.pem`);
  writeFileSync(chainFile, certfile.map((f) => readFileSync(f, 'utf8')).join(''));
  const out = join(pki.dir, `${kind}-${legacy ? 'legacy' : 'modern'}-${extra.join('')}.p12`);
  const r = openssl([
    'pkcs12', '-export', ...(legacy ? ['-legacy'] : []), ...extra,
    '-inkey', leaf.keyFile, '-in', leaf.certFile, '-certfile', chainFile, '-out', out, '-passout', 'stdin',
  ], password + '\n');
  if (r.status !== 0) throw new Error(r.stderr);
  return new Uint8Array(readFileSync(out));
}

function info(bytes: Uint8Array, password: string, legacy: boolean): string {
  const f = join(pki.dir, `info-${Math.random()}.p12`);
  writeFileSync(f, bytes);
  return openssl(['pkcs12', '-info', '-noout', ...(legacy ? ['-legacy'] : []), '-in', f, '-passin', 'stdin'], password + '\n').stderr;
}

function caught(f: () => unknown): KysoError {
  try {
    f();
  } catch (e) {
    if (e instanceof KysoError) return e;
    throw new Error(`expected a KysoError, got ${String(e)}`);
  }
  throw new Error('expected an error');
}

function expectNoSecret(e: KysoError, secret: string) {
  const all = JSON.stringify(e.toJSON()) + String(e.stack) + String((e as { cause?: unknown }).cause ?? '');
  expect(all).not.toContain(secret);
  expect(e.message.length).toBeGreaterThan(5);
  expect(e.messageVi.length).toBeGreaterThan(5);
  expect(e.messageVi).not.toBe(e.message);
}

async function verifiesRaw(s: SoftwareSigner, digest: 'SHA-256' | 'SHA-384' | 'SHA-512'): Promise<boolean> {
  const data = randomBytes(200);
  const sig = await s.sign(data, digest);
  expect(sig.length).toBeLessThanOrEqual(s.maxSignatureSize);
  const pub = new X509Certificate(s.certificate).publicKey;
  const hash = digest.replace('-', '').toLowerCase();
  const opts =
    s.signatureAlgorithm.scheme === 'RSA-PSS'
      ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(digest.slice(4)) / 8 }
      : s.signatureAlgorithm.scheme === 'ECDSA'
        ? { key: pub, dsaEncoding: 'der' as const }
        : { key: pub, padding: constants.RSA_PKCS1_PADDING };
  return verify(hash, data, opts, sig);
}

beforeAll(() => {
  pki = makeTestPki(['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']);
});
afterAll(() => pki?.cleanup());

describe('SoftwareSigner from PEM', () => {
  for (const kind of ['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521'] as const) {
    it(`${kind}: signs, and the signature verifies with the certificate key`, async () => {
      const leaf = pki.leaves[kind];
      const s = SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: [pki.rootPem, pki.caPem] });
      expect(s.chain).toEqual([der(pki.caPem), der(pki.rootPem)]);
      expect(s.certificate).toEqual(der(leaf.certPem));
      for (const d of ['SHA-256', 'SHA-384', 'SHA-512'] as const) expect(await verifiesRaw(s, d)).toBe(true);
      if (kind.startsWith('rsa')) {
        const bits = Number(kind.slice(3));
        expect(s.signatureAlgorithm).toEqual({ scheme: 'RSASSA-PKCS1-v1_5' });
        expect(s.maxSignatureSize).toBe(bits / 8);
        const pss = SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem }, { scheme: 'RSA-PSS' });
        expect(pss.signatureAlgorithm.scheme).toBe('RSA-PSS');
        for (const d of ['SHA-256', 'SHA-384', 'SHA-512'] as const) expect(await verifiesRaw(pss, d)).toBe(true);
      } else {
        expect(s.signatureAlgorithm).toEqual({ scheme: 'ECDSA' });
        expect(s.defaultDigest).toBe(kind === 'p256' ? 'SHA-256' : kind === 'p384' ? 'SHA-384' : 'SHA-512');
      }
    });
  }

  it('accepts one PEM bundle with cert and chain in any order, strings or buffers', () => {
    const leaf = pki.leaves.p256;
    const bundle = pki.rootPem + leaf.certPem + pki.caPem;
    const s = SoftwareSigner.fromPem({ key: Buffer.from(leaf.keyPem), cert: Buffer.from(bundle) });
    expect(s.certificate).toEqual(der(leaf.certPem));
    expect(s.chain).toEqual([der(pki.caPem), der(pki.rootPem)]);
    // key and certificates all in one file
    const all = SoftwareSigner.fromPem({ key: leaf.keyPem + bundle, cert: leaf.keyPem + bundle });
    expect(all.chain.length).toBe(2);
  });

  it('constructor from a KeyObject and DER certificates', async () => {
    const leaf = pki.leaves.rsa2048;
    const s = new SoftwareSigner(createPrivateKey(leaf.keyPem), der(leaf.certPem), [der(pki.rootPem), der(pki.caPem)]);
    expect(s.chain).toEqual([der(pki.caPem), der(pki.rootPem)]);
    expect(await verifiesRaw(s, 'SHA-256')).toBe(true);
  });

  it('encrypted PEM key: right passphrase works, wrong one is KEY_BAD_PASSWORD without the passphrase', async () => {
    const leaf = pki.leaves.p256;
    const enc = createPrivateKey(leaf.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD });
    const s = SoftwareSigner.fromPem({ key: enc, cert: leaf.certPem, passphrase: PASSWORD });
    expect(await verifiesRaw(s, 'SHA-256')).toBe(true);
    const wrong = 'sai-mat-khau-XYZ';
    const e = caught(() => SoftwareSigner.fromPem({ key: enc, cert: leaf.certPem, passphrase: wrong }));
    expect(e.code).toBe('KEY_BAD_PASSWORD');
    expectNoSecret(e, wrong);
    expect(caught(() => SoftwareSigner.fromPem({ key: enc, cert: leaf.certPem })).code).toBe('KEY_BAD_PASSWORD');
  });

  it('key not matching the certificate → KEY_MISMATCH', () => {
    const e = caught(() => SoftwareSigner.fromPem({ key: pki.leaves.rsa2048.keyPem, cert: pki.leaves.rsa3072.certPem }));
    expect(e.code).toBe('KEY_MISMATCH');
    expect(caught(() => new SoftwareSigner(createPrivateKey(pki.leaves.p256.keyPem), der(pki.leaves.p384.certPem))).code).toBe('KEY_MISMATCH');
    expect(caught(() => SoftwareSigner.fromPem({ key: pki.leaves.p256.keyPem, cert: pki.leaves.p384.certPem })).code).toBe('KEY_MISMATCH');
  });

  it('RSA below 2048 bits and other key types → KEY_UNSUPPORTED; bad inputs → typed errors', () => {
    const small = join(pki.dir, 'small');
    expect(openssl(['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', `${small}.key`, '-out', `${small}.pem`, '-subj', '/CN=TEST small', '-days', '2']).status).toBe(0);
    expect(caught(() => SoftwareSigner.fromPem({ key: readFileSync(`${small}.key`), cert: readFileSync(`${small}.pem`) })).code).toBe('KEY_UNSUPPORTED');
    const ed = join(pki.dir, 'ed');
    expect(openssl(['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', `${ed}.key`, '-out', `${ed}.pem`, '-subj', '/CN=TEST ed', '-days', '2']).status).toBe(0);
    expect(caught(() => SoftwareSigner.fromPem({ key: readFileSync(`${ed}.key`), cert: readFileSync(`${ed}.pem`) })).code).toBe('KEY_UNSUPPORTED');
    expect(caught(() => SoftwareSigner.fromPem({ key: 'nothing here', cert: pki.leaves.p256.certPem })).code).toBe('KEY_NOT_FOUND');
    expect(caught(() => SoftwareSigner.fromPem({ key: pki.leaves.p256.keyPem, cert: 'no cert' })).code).toBe('CERT_INVALID');
    expect(caught(() => SoftwareSigner.fromPem({ key: pki.leaves.p256.keyPem, cert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })).code).toBe('CERT_INVALID');
    expect(caught(() => new SoftwareSigner(createPublicKey(pki.leaves.p256.keyPem), der(pki.leaves.p256.certPem))).code).toBe('KEY_UNSUPPORTED');
    expect(caught(() => SoftwareSigner.fromPem({ key: pki.leaves.p256.keyPem, cert: pki.leaves.p256.certPem }, { scheme: 'RSA-PSS' })).code).toBe('SIGN_OPTIONS_INVALID');
  });
});

describe('SoftwareSigner from PKCS#12', () => {
  for (const legacy of [false, true]) {
    for (const kind of ['rsa2048', 'p256', 'p384'] as const) {
      it(`${legacy ? 'legacy (3DES/RC2, SHA-1 MAC)' : 'modern (PBES2/AES-256, SHA-256 MAC)'} ${kind}: loads, orders the chain, signs a verifiable CMS`, async () => {
        const bytes = p12(kind, legacy, PASSWORD);
        const desc = info(bytes, PASSWORD, legacy);
        if (legacy) {
          expect(desc).toMatch(/MAC: sha1/);
          expect(desc).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
          expect(desc).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
        } else {
          expect(desc).toMatch(/MAC: sha256/);
          expect(desc).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
        }
        const s = SoftwareSigner.fromPkcs12(bytes, PASSWORD);
        expect(s.certificate).toEqual(der(pki.leaves[kind].certPem));
        expect(s.chain).toEqual([der(pki.caPem), der(pki.rootPem)]);
        const data = randomBytes(500);
        const t = CmsSignerTemplate.create(s);
        const cms = await t.sign(createHash(t.digest.replace('-', '').toLowerCase()).update(data).digest());
        const r = verifyWithOpenssl(pki.dir, `p12-${kind}-${legacy}`, cms, data, pki.rootFile);
        expect(r.stderr).toContain('Verification successful');
      });
    }
  }

  it('modern PKCS#12 with SHA-512 MAC, legacy with 3DES certificates, and no chain', async () => {
    const a = p12('rsa3072', false, ASCII_PASSWORD, [pki.caFile], ['-macalg', 'sha512']);
    expect(SoftwareSigner.fromPkcs12(a, ASCII_PASSWORD).chain).toEqual([der(pki.caPem)]);
    const b = p12('p256', false, ASCII_PASSWORD, [pki.caFile], ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
    expect(await verifiesRaw(SoftwareSigner.fromPkcs12(b, ASCII_PASSWORD), 'SHA-256')).toBe(true);
  });

  it('wrong password → KEY_BAD_PASSWORD in en and vi, never echoing the password', () => {
    for (const legacy of [false, true]) {
      const bytes = p12('p256', legacy, PASSWORD);
      for (const wrong of ['', 'wrong-Password-!', PASSWORD.slice(0, -1)]) {
        const e = caught(() => SoftwareSigner.fromPkcs12(bytes, wrong));
        expect(e.code).toBe('KEY_BAD_PASSWORD');
        expect(e.message).toMatch(/password/i);
        expect(e.messageVi).toMatch(/mật khẩu/i);
        if (wrong) expectNoSecret(e, wrong);
        expectNoSecret(e, PASSWORD);
      }
    }
  });

  it('garbage, truncated and corrupted files → typed errors (never a crash or a hang)', () => {
    const bytes = p12('p256', false, ASCII_PASSWORD, [pki.caFile]);
    for (const junk of [new Uint8Array(0), randomBytes(1), randomBytes(2000), Buffer.from('-----BEGIN CERTIFICATE-----'), bytes.subarray(0, bytes.length / 2)]) {
      const e = caught(() => SoftwareSigner.fromPkcs12(junk, ASCII_PASSWORD));
      expect(['KEY_UNSUPPORTED', 'KEY_BAD_PASSWORD']).toContain(e.code);
      expectNoSecret(e, ASCII_PASSWORD);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const copy = new Uint8Array(bytes);
        copy[at]! ^= xor;
        try {
          readPkcs12(copy, ASCII_PASSWORD);
          return true; // e.g. a flip inside a bag attribute that the MAC does not cover
        } catch (e) {
          return e instanceof KysoError && !JSON.stringify(e.toJSON()).includes(ASCII_PASSWORD);
        }
      }),
      { numRuns: 150 },
    );
  });
});
