import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { KysoError, TrustStore, describeSigner } from '@kyso/core';
import { buildChain, foldVietnamese, parseCertificate } from '@kyso/core/trust';
import { EXT_LEAF, EXT_ROOT, type Issued, TestPki } from './openssl-pki.js';

/** Universal tags of the subject's string values, as openssl sees them. */
function subjectStringTypes(pem: string): string[] {
  const out = execFileSync('openssl', ['asn1parse', '-i'], { input: pem, encoding: 'utf8' });
  return [...out.matchAll(/prim:\s+(UTF8STRING|BMPSTRING|T61STRING|PRINTABLESTRING|IA5STRING)/g)].map((m) => m[1]!);
}

describe('describeSigner', () => {
  let pki: TestPki;
  let root: Issued;
  beforeAll(() => {
    pki = new TestPki();
    root = pki.issue('root', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Root CA', extensions: EXT_ROOT });
  });
  afterAll(() => pki.dispose());

  it('a personal certificate: OUs in order, province from L, email from E, UTF-8 and NFC', () => {
    const leaf = pki.issue('person', {
      subject: '/C=VN/L=Thừa Thiên Huế/O=UBND tỉnh TEST/OU=Sở Nội vụ/OU=Phòng Tổ chức/CN=Trần Thị Bích Ngọc/emailAddress=ngoc@test.gov.vn',
      issuer: root,
      extensions: EXT_LEAF,
    });
    const id = describeSigner(leaf.der);
    expect(id).toMatchObject({
      commonName: 'Trần Thị Bích Ngọc',
      organization: 'UBND tỉnh TEST',
      organizationalUnits: ['Sở Nội vụ', 'Phòng Tổ chức'],
      locality: 'Thừa Thiên Huế',
      province: 'Thừa Thiên Huế',
      email: 'ngoc@test.gov.vn',
      kind: 'personal',
    });
    expect(id.commonName).toBe(id.commonName!.normalize('NFC'));
    expect(id.subject).toBe(
      'E=ngoc@test.gov.vn,CN=Trần Thị Bích Ngọc,OU=Phòng Tổ chức,OU=Sở Nội vụ,O=UBND tỉnh TEST,L=Thừa Thiên Huế,C=VN',
    );
    // Same data as openssl prints (RFC 2253 order, UTF-8 kept).
    const ossl = execFileSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb,utf8'], { input: leaf.pem, encoding: 'utf8' });
    expect(ossl.trim()).toBe(`subject=${id.subject.replace('E=', 'emailAddress=')}`);
  });

  it('decodes BMPString (pkix mask) and TeletexString (nombstr mask, latin1) subjects', () => {
    const bmp = pki.issue('bmp', { subject: '/C=VN/O=Bộ TEST/CN=Nguyễn Văn Bình', issuer: root, extensions: EXT_LEAF, stringMask: 'pkix' });
    expect(subjectStringTypes(bmp.pem)).toContain('BMPSTRING');
    expect(describeSigner(bmp.der)).toMatchObject({ organization: 'Bộ TEST', commonName: 'Nguyễn Văn Bình' });
    const t61 = pki.issue('t61', { subject: '/C=VN/O=Hà_TEST/CN=Lê Hà Thùy', issuer: root, extensions: EXT_LEAF, stringMask: 'nombstr' });
    expect(subjectStringTypes(t61.pem)).toContain('T61STRING');
    expect(describeSigner(t61.der)).toMatchObject({ organization: 'Hà_TEST', commonName: 'Lê Hà Thùy' });
  });

  it('a CN over 64 characters is read and chains (BCY agencies have long names)', async () => {
    // openssl refuses CNs over the X.520 bound, so @peculiar/x509 makes this one.
    const long = 'TRUNG TÂM CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH TEST THUỘC SỞ THÔNG TIN VÀ TRUYỀN THÔNG';
    expect(long.length).toBeGreaterThan(64);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: '01',
        name: [{ C: ['VN'] }, { O: ['Kyso TEST'] }, { CN: [long] }],
        notBefore: new Date('2024-01-01T00:00:00Z'),
        notAfter: new Date('2030-01-01T00:00:00Z'),
        keys,
        signingAlgorithm: alg,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true)],
      },
      webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
    );
    const der = new Uint8Array(cert.rawData);
    expect(describeSigner(der)).toMatchObject({ commonName: long, kind: 'organisation' });
    const r = buildChain(der, { store: TrustStore.fromPem(der), at: new Date('2025-01-01T00:00:00Z') });
    expect(r.trusted).toBe(true);
    expect(r.anchor?.name).toBe(long);
  });

  it('organisation heuristics: UID codes, agency CN, unit code; personal UIDs; caller override', () => {
    const org = pki.issue('org', {
      subject: '/C=VN/L=Hà Nội/O=VĂN PHÒNG TEST/CN=Công ty TEST/UID=MST:0100000000',
      issuer: root,
      extensions: EXT_LEAF,
    });
    expect(describeSigner(org.der)).toMatchObject({ kind: 'organisation', kindReason: 'UID MST', uids: { MST: '0100000000' } });
    const agency = pki.issue('agency', { subject: '/C=VN/O=UBND TEST/CN=SỞ TÀI CHÍNH TỈNH TEST', issuer: root, extensions: EXT_LEAF });
    expect(describeSigner(agency.der)).toMatchObject({ kind: 'organisation', kindReason: 'CN names an agency' });
    const ascii = pki.issue('ascii', { subject: '/C=VN/O=Ban TEST/CN=Uy ban nhan dan tinh TEST', issuer: root, extensions: EXT_LEAF });
    expect(describeSigner(ascii.der).kind).toBe('organisation');
    // Surnames that fold to agency words stay personal: Vũ (≠ Vụ), Trương (≠ Trường).
    const vu = pki.issue('vu', { subject: '/C=VN/O=Bộ TEST/OU=Vụ A/CN=Vũ Văn Trương', issuer: root, extensions: EXT_LEAF });
    expect(describeSigner(vu.der).kind).toBe('personal');
    const cccd = pki.issue('cccd', { subject: '/C=VN/O=Bộ TEST/CN=Nguyễn Văn Cường/UID=CCCD:001000000000', issuer: root, extensions: EXT_LEAF });
    expect(describeSigner(cccd.der)).toMatchObject({ kind: 'personal', kindReason: 'UID CCCD' });
    const forced = describeSigner(vu.der, { classify: (id) => (id.organizationalUnits.includes('Vụ A') ? 'organisation' : undefined) });
    expect(forced).toMatchObject({ kind: 'organisation', kindReason: 'caller classifier' });
  });

  it('serial, dates and fingerprint match openssl', () => {
    const leaf = pki.issue('facts', { subject: '/C=VN/CN=Phạm Minh Đức', issuer: root, extensions: EXT_LEAF });
    const id = describeSigner(parseCertificate(leaf.der));
    const out = execFileSync('openssl', ['x509', '-noout', '-serial', '-fingerprint', '-sha256'], { input: leaf.pem, encoding: 'utf8' });
    expect(out).toContain(`serial=${id.serialNumber.toUpperCase()}`);
    expect(out.toLowerCase().replace(/:/g, '')).toContain(id.sha256);
    expect(id.notBefore.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(id.notAfter.toISOString()).toBe('2044-01-01T00:00:00.000Z');
  });

  it('bad input throws CERT_INVALID', () => {
    expect(() => describeSigner(new Uint8Array([0x30, 0x01, 0x00]))).toThrow(KysoError);
    try {
      describeSigner(new Uint8Array(10));
    } catch (e) {
      expect((e as KysoError).code).toBe('CERT_INVALID');
      expect((e as KysoError).messageVi).toMatch(/Không đọc được/);
    }
  });

  it('foldVietnamese', () => {
    expect(foldVietnamese('CỔNG THÔNG TIN ĐIỆN TỬ')).toBe('cong thong tin dien tu');
  });
});
