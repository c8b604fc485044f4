import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from '@peculiar/x509';
import type { TestCertificate } from '../../src/testing/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError } from '../../src/errors.js';
import {
  DEFAULT_SUBJECTS,
  OID_MS_DOCUMENT_SIGNING,
  TEST_POLICY_OID,
  createNssDb,
  createTestPki,
  issueLeaf,
  loadOrCreateTestPki,
  loadTestPki,
  pemBlocks,
  toPem,
  writeTestPki,
  type TestPki,
} from '../../src/testing/index.js';

/** The test kit's certificates are @peculiar/x509 certificates at run time; its public type keeps DOM types out. */
const x509 = (c: TestCertificate): X509Certificate => c as unknown as X509Certificate;

const BASE = 'http://127.0.0.1:18790';
const PASSWORD = 'mật-khẩu thử 123';

/** Runs a tool; returns stdout + stderr and the exit status (never throws on status). */
function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
function openssl(...args: string[]): string {
  const r = run('openssl', args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.out}`);
  return r.out;
}

async function expectKysoError(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isKysoError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    return;
  }
  throw new Error(`expected a KysoError ${code}`);
}

let pki: TestPki;
let dir: string;
const f = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-pki-test-'));
  pki = await createTestPki({ baseUrl: BASE, expiredLeaf: true });
  await issueLeaf(pki, {
    kind: 'personal',
    name: 'ec-signer',
    key: 'p256',
    subject: 'C=VN, L=Hà Nội, O=Bộ Tư pháp, CN=Trần Thị Bích Ngọc, E=ngoc.ttb@moj.gov.vn',
    documentSigning: 'both',
  });
  await issueLeaf(pki, { kind: 'organisation', name: 'org-p384', key: 'p384' });
  await issueLeaf(pki, {
    kind: 'personal',
    name: 'future',
    notBefore: new Date(Date.now() + 30 * 86_400_000),
    notAfter: new Date(Date.now() + 400 * 86_400_000),
  });
  await writeTestPki(pki, dir, { password: PASSWORD });
  await createNssDb(join(dir, 'nssdb'), pki.root.certPem);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('TEST PKI hierarchy', () => {
  it('writes the expected files', () => {
    for (const name of ['root.pem', 'root.key.pem', 'issuing-ca.pem', 'issuing-ca.key.pem', 'chain.pem', 'pki.json']) {
      expect(existsSync(f(name)), name).toBe(true);
    }
    for (const leaf of Object.keys(pki.leaves)) {
      for (const ext of ['.cert.pem', '.key.pem', '.p12', '.legacy.p12']) expect(existsSync(f(leaf + ext)), leaf + ext).toBe(true);
    }
    expect(pemBlocks(readFileSync(f('chain.pem'), 'utf8'))).toHaveLength(2);
  });

  it('every currently valid leaf verifies against root + issuing CA with openssl', () => {
    for (const name of ['personal', 'organisation', 'tsa', 'ocsp', 'ec-signer', 'org-p384']) {
      const out = openssl('verify', '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f(`${name}.cert.pem`));
      expect(out).toContain(': OK');
    }
    // purposes: S/MIME signing for signers, timestamping for the TSA
    expect(openssl('verify', '-purpose', 'smimesign', '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f('personal.cert.pem'))).toContain('OK');
    expect(openssl('verify', '-purpose', 'timestampsign', '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f('tsa.cert.pem'))).toContain('OK');
  });

  it('the expired leaf is expired and the future one not yet valid, yet both chain correctly', () => {
    const now = Date.now();
    const expired = pki.leaves.expired!;
    expect(expired.notAfter.getTime()).toBeLessThan(now);
    const future = pki.leaves.future!;
    expect(future.notBefore.getTime()).toBeGreaterThan(now);
    const bad = run('openssl', ['verify', '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f('expired.cert.pem')]);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toMatch(/expired/);
    const notYet = run('openssl', ['verify', '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f('future.cert.pem')]);
    expect(notYet.status).not.toBe(0);
    expect(notYet.out).toMatch(/not yet valid/);
    const at = Math.floor((future.notBefore.getTime() + 86_400_000) / 1000);
    expect(openssl('verify', '-attime', String(at), '-CAfile', f('root.pem'), '-untrusted', f('issuing-ca.pem'), f('future.cert.pem'))).toContain('OK');
    const checkend = run('openssl', ['x509', '-in', f('expired.cert.pem'), '-noout', '-checkend', '0']);
    expect(checkend.status).toBe(1);
    expect(checkend.out.trim()).toBe('Certificate will expire');
  });

  it('the issuing CA is a CA with pathlen 0, the root a self-signed CA', () => {
    const issuing = openssl('x509', '-in', f('issuing-ca.pem'), '-noout', '-text');
    expect(issuing).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(issuing).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    const root = openssl('x509', '-in', f('root.pem'), '-noout', '-text', '-nameopt', 'utf8');
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(openssl('verify', '-CAfile', f('root.pem'), f('root.pem'))).toContain('OK');
  });

  it('every CA CN contains TEST (and a CA subject without it is refused)', async () => {
    for (const e of [pki.root, pki.issuing]) {
      const cns = e.certificate.subjectName.getField('CN');
      expect(cns.length).toBeGreaterThan(0);
      for (const cn of cns) expect(cn).toMatch(/\bTEST\b/);
    }
    await expectKysoError(createTestPki({ subjects: { issuing: 'C=VN, CN=CA phục vụ các cơ quan Nhà nước' } }), 'CERT_INVALID');
  });

  it('reads the Vietnamese personal subject back intact (openssl and @peculiar/x509)', () => {
    const subject = openssl('x509', '-in', f('personal.cert.pem'), '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus').trim();
    expect(subject.normalize('NFC')).toBe(
      'subject=C=VN,L=Bình Định,O=UBND tỉnh Bình Định,OU=Sở Tư pháp,OU=Phòng Hành chính tư pháp,CN=Nguyễn Văn Ánh,emailAddress=anh.nv@binhdinh.gov.vn'.normalize(
        'NFC',
      ),
    );
    const cert = new X509Certificate(readFileSync(f('personal.cert.pem'), 'utf8'));
    const name = cert.subjectName;
    expect(name.getField('CN')).toEqual(['Nguyễn Văn Ánh'.normalize('NFC')]);
    expect(name.getField('L')).toEqual(['Bình Định'.normalize('NFC')]);
    expect(name.getField('OU')).toEqual(['Sở Tư pháp', 'Phòng Hành chính tư pháp'].map((s) => s.normalize('NFC')));
    // UTF8String (tag 0x0c) for the Vietnamese values
    const asn1 = openssl('asn1parse', '-in', f('personal.cert.pem'));
    expect(asn1).toMatch(/UTF8STRING\s+:Nguyễn Văn Ánh/);
    const ec = openssl('x509', '-in', f('ec-signer.cert.pem'), '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus');
    expect(ec).toContain('CN=Trần Thị Bích Ngọc');
  });

  it('the organisation subject carries the UID attributes and the email', () => {
    const subject = openssl('x509', '-in', f('organisation.cert.pem'), '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus');
    expect(subject).toContain('CN=UBND xã Phước Lộc (TEST)');
    expect(subject).toContain('UID=MST:0102357802,UID=MNS:1032158');
    expect(subject).toContain('emailAddress=vanthu.phuocloc@binhdinh.gov.vn');
    expect(pki.organisation.certificate.subjectName.getField('0.9.2342.19200300.100.1.1')).toEqual(['MST:0102357802', 'MNS:1032158']);
  });

  it('leaves and the issuing CA carry AIA, OCSP and CRL URLs under baseUrl, policy, SKI/AKI', () => {
    const leaf = openssl('x509', '-in', f('personal.cert.pem'), '-noout', '-text');
    expect(leaf).toContain(`CA Issuers - URI:${BASE}/crt/issuing.crt`);
    expect(leaf).toContain(`OCSP - URI:${BASE}/ocsp`);
    expect(leaf).toContain(`URI:${BASE}/crl/issuing.crl`);
    expect(leaf).toContain(`Policy: ${TEST_POLICY_OID}`);
    expect(leaf).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(leaf).toMatch(new RegExp(`Extended Key Usage: \\n\\s+E-mail Protection, ${OID_MS_DOCUMENT_SIGNING.replace(/\./g, '\\.')}`));
    expect(leaf).toContain('email:anh.nv@binhdinh.gov.vn');
    const ec = openssl('x509', '-in', f('ec-signer.cert.pem'), '-noout', '-text');
    expect(ec).toContain('1.3.6.1.4.1.311.10.3.12, 1.3.6.1.5.5.7.3.36');
    expect(ec).toContain('id-ecPublicKey');
    const issuing = openssl('x509', '-in', f('issuing-ca.pem'), '-noout', '-text');
    expect(issuing).toContain(`CA Issuers - URI:${BASE}/crt/root.crt`);
    expect(issuing).toContain(`OCSP - URI:${BASE}/ocsp`);
    expect(issuing).toContain(`URI:${BASE}/crl/root.crl`);
    expect(pki.urls.issuingCrl).toBe(`${BASE}/crl/issuing.crl`);
    // SKI / AKI everywhere, AKI = issuer's SKI
    expect(pki.root.certificate.getExtension('2.5.29.35')).toBeTruthy();
    for (const e of Object.values(pki.leaves)) {
      expect(e.keyId).toMatch(/^[0-9a-f]{40}$/);
      const aki = openssl('x509', '-in', f(`${e.name}.cert.pem`), '-noout', '-ext', 'authorityKeyIdentifier');
      expect(aki.replace(/[^0-9A-F]/gi, '').toLowerCase()).toContain(pki.issuing.keyId);
    }
  });

  it('TSA and OCSP responder certificates have their EKUs (timeStamping critical, OCSP no-check)', () => {
    const tsa = openssl('x509', '-in', f('tsa.cert.pem'), '-noout', '-text');
    expect(tsa).toMatch(/Extended Key Usage: critical\s+Time Stamping\n/);
    const ocsp = openssl('x509', '-in', f('ocsp.cert.pem'), '-noout', '-text');
    expect(ocsp).toMatch(/Extended Key Usage: \s+OCSP Signing/);
    expect(ocsp).toContain('OCSP No Check');
    expect(ocsp).not.toContain('CRL Distribution Points');
  });

  it('serials are random, positive and distinct', () => {
    const serials = [pki.root, pki.issuing, ...Object.values(pki.leaves)].map((e) => e.serialNumber);
    expect(new Set(serials).size).toBe(serials.length);
    for (const s of serials) expect(Number.parseInt(s.slice(0, 2), 16)).toBeLessThan(0x80);
  });

  it('key types: RSA-2048 by default, P-256 and P-384 on request', () => {
    expect(openssl('x509', '-in', f('personal.cert.pem'), '-noout', '-text')).toContain('Public-Key: (2048 bit)');
    expect(openssl('x509', '-in', f('ec-signer.cert.pem'), '-noout', '-text')).toContain('NIST CURVE: P-256');
    expect(openssl('x509', '-in', f('org-p384.cert.pem'), '-noout', '-text')).toContain('NIST CURVE: P-384');
    expect(pki.leaves['org-p384']!.privateKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    // the key file matches the certificate
    const fromKey = openssl('pkey', '-in', f('ec-signer.key.pem'), '-pubout');
    const fromCert = openssl('x509', '-in', f('ec-signer.cert.pem'), '-noout', '-pubkey');
    expect(fromKey).toBe(fromCert);
  });
});

describe('PKCS#12 files', () => {
  it('the modern p12 opens with openssl 3 defaults and uses AES-256-CBC / PBKDF2-SHA256 / SHA-256 MAC', () => {
    const out = openssl('pkcs12', '-info', '-noout', '-in', f('personal.p12'), '-passin', `pass:${PASSWORD}`);
    expect(out).toContain('MAC: sha256');
    expect(out).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    expect(out).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    expect(out.match(/Certificate bag/g)).toHaveLength(3);
  });

  it('the legacy p12 needs -legacy and uses 3DES for the key, RC2-40 for certificates, SHA-1 MAC', () => {
    const out = openssl('pkcs12', '-legacy', '-info', '-noout', '-in', f('personal.legacy.p12'), '-passin', `pass:${PASSWORD}`);
    expect(out).toContain('MAC: sha1');
    expect(out).toContain('PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC');
    expect(out).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC');
    expect(out.match(/Certificate bag/g)).toHaveLength(3);
    expect(run('openssl', ['pkcs12', '-info', '-noout', '-in', f('personal.legacy.p12'), '-passin', `pass:${PASSWORD}`]).status).not.toBe(0);
  });

  it('both forms hold the leaf key, its certificate and the chain; a wrong password fails', () => {
    const leafPub = openssl('x509', '-in', f('organisation.cert.pem'), '-noout', '-pubkey');
    for (const [file, extra] of [
      ['organisation.p12', []],
      ['organisation.legacy.p12', ['-legacy']],
      ['org-p384.p12', []],
    ] as const) {
      const pem = openssl('pkcs12', ...extra, '-in', f(file), '-passin', `pass:${PASSWORD}`, '-nodes');
      const certs = pemBlocks(pem).map((d) => new X509Certificate(d));
      expect(certs.map((c) => c.subject)).toContain(pki.root.certificate.subject);
      expect(certs.map((c) => c.subject)).toContain(pki.issuing.certificate.subject);
      expect(certs).toHaveLength(3);
      expect(pem).toContain('friendlyName');
      expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
      if (file.startsWith('organisation')) {
        const keyPem = pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY-----'));
        const r = spawnSync('openssl', ['pkey', '-pubout'], { input: keyPem, encoding: 'utf8' });
        expect(r.stdout).toBe(leafPub);
      }
    }
    const wrong = run('openssl', ['pkcs12', '-info', '-noout', '-in', f('personal.p12'), '-passin', 'pass:wrong']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.out).toMatch(/mac verify/i);
  });
});

describe('NSS database', () => {
  it('certutil lists the TEST root as a trusted CA', () => {
    const out = execFileSync('certutil', ['-L', '-d', `sql:${f('nssdb')}`], { encoding: 'utf8' });
    expect(out).toMatch(/kyso TEST Root CA\s+CT,C,C/);
    // adding it again is harmless
    return createNssDb(f('nssdb'), pki.root.certDer);
  });

  it('a missing certutil is a TOOL_NOT_FOUND KysoError', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kyso-nss-missing-'));
    try {
      await expectKysoError(createNssDb(tmp, pki.root.certPem, { certutil: '/nonexistent/certutil' }), 'TOOL_NOT_FOUND');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('options and errors', () => {
  it('toPem wraps DER as openssl expects', () => {
    const pem = toPem(pki.personal.certDer);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    expect(pem).toBe(pki.personal.certPem);
    const r = spawnSync('openssl', ['x509', '-noout', '-serial'], { input: pem, encoding: 'utf8' });
    expect(r.stdout.trim().toLowerCase()).toBe(`serial=${pki.personal.serialNumber}`);
  });

  it('rejects bad key types, base URLs, validity and leaf names with KysoErrors', async () => {
    await expectKysoError(createTestPki({ key: 'rsa1024' as never }), 'KEY_UNSUPPORTED');
    await expectKysoError(createTestPki({ baseUrl: 'ftp://x' }), 'CERT_INVALID');
    await expectKysoError(createTestPki({ baseUrl: 'not a url' }), 'CERT_INVALID');
    await expectKysoError(
      issueLeaf(pki, { kind: 'personal', name: 'backwards', notBefore: new Date(), notAfter: new Date(Date.now() - 1000) }),
      'CERT_INVALID',
    );
    await expectKysoError(issueLeaf(pki, { kind: 'personal', name: 'root' }), 'CERT_INVALID');
    await expectKysoError(issueLeaf(pki, { kind: 'personal', name: 'personal' }), 'CERT_INVALID');
    await expectKysoError(issueLeaf(pki, { kind: 'personal', name: 'x', subject: 'C=VN, XYZ=1' }), 'CERT_INVALID');
    expect(pki.leaves.backwards).toBeUndefined();
  });

  it('an unwritable output directory is an IO_ERROR, not a hang', async () => {
    await expectKysoError(writeTestPki(pki, '/proc/kyso-test-pki/cannot-exist'), 'IO_ERROR');
  });

  it('a whole P-256 hierarchy with custom validity', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const ec = await createTestPki({ key: 'p256', validity: { root: { notBefore, notAfter: new Date('2045-01-01T00:00:00Z') } } });
    expect(ec.root.notBefore.toISOString()).toBe(notBefore.toISOString());
    expect(ec.issuing.notAfter.getTime() - ec.issuing.notBefore.getTime()).toBeGreaterThan(9.9 * 365 * 86_400_000);
    expect(ec.personal.notAfter.getTime() - ec.personal.notBefore.getTime()).toBeLessThan(2.01 * 366 * 86_400_000);
    expect(ec.issuing.keyType).toBe('p256');
    expect(ec.personal.certificate.subject).toContain(String(DEFAULT_SUBJECTS.personal).split(', ')[5]!.slice(3));
    expect(await x509(ec.personal.certificate).verify({ publicKey: x509(ec.issuing.certificate).publicKey, signatureOnly: true })).toBe(true);
  });
});

describe('cache', () => {
  it('loadOrCreateTestPki reuses one hierarchy, also under concurrent callers', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kyso-pki-cache-'));
    try {
      const [a, b, c] = await Promise.all([loadOrCreateTestPki(cache), loadOrCreateTestPki(cache), loadOrCreateTestPki(cache)]);
      const d = await loadOrCreateTestPki(cache);
      // one caller generated, the others waited and read its files
      expect(new Set([a, b, c, d].map((p) => p.root.serialNumber)).size).toBe(1);
      expect(readdirSync(cache)).toHaveLength(1);
      const t = Date.now();
      const e = await loadOrCreateTestPki(cache);
      expect(Date.now() - t).toBeLessThan(2000);
      expect(e.root.serialNumber).toBe(d.root.serialNumber);
      expect(e.personal.keyPem).toBe(d.personal.keyPem);
      expect(Object.keys(e.leaves).sort()).toEqual(['ocsp', 'organisation', 'personal', 'tsa']);
      // options are part of the key
      const ec = await loadOrCreateTestPki(cache, { key: 'p256' });
      expect(ec.root.keyType).toBe('p256');
      expect(ec.root.serialNumber).not.toBe(d.root.serialNumber);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('loadTestPki reads back what writeTestPki wrote, keys included', async () => {
    const back = await loadTestPki(dir);
    expect(back.baseUrl).toBe(BASE);
    expect(Object.keys(back.leaves).sort()).toEqual(Object.keys(pki.leaves).sort());
    expect(back.leaves['ec-signer']!.keyType).toBe('p256');
    expect(back.personal.certPem).toBe(pki.personal.certPem);
    // a leaf issued from the reloaded CA still chains
    const extra = await issueLeaf(back, { kind: 'tsa', name: 'tsa-reloaded' });
    expect(await x509(extra.certificate).verify({ publicKey: x509(pki.issuing.certificate).publicKey, signatureOnly: true })).toBe(true);
  });
});
