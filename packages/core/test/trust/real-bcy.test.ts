/**
 * Real BCY-signed PDFs (shared corpus). The signer certificates are extracted
 * here, at test time, with tools we did not write: `pdfsig -dump` writes each
 * signature's CMS to a file, `openssl pkcs7 -print_certs` lists its
 * certificates. Nothing extracted is committed.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, describeSigner } from '@kyso/core';
import { buildChain, bundledCertificates, certificatesFromPem } from '@kyso/core/trust';

const CORPUS = '/work/shared/corpus/real-bcy';

interface ManifestEntry {
  file: string;
  signatures: number;
  expect: {
    anchor: string[];
    signerCommonName: string[];
    trustedUnderPolicy: { bcy: boolean; vn: boolean };
  };
}

interface ExtractedSignature {
  file: string;
  index: number;
  /** Certificates in the CMS, DER. */
  certs: Uint8Array[];
  /** pdfsig's signing time (UTC). */
  signingTime: Date;
  signerDn: string;
}

const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as ManifestEntry[];
let work: string;
const extracted = new Map<string, ExtractedSignature[]>();

function extract(file: string): ExtractedSignature[] {
  const dir = join(work, file);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C.UTF-8' };
  execFileSync('pdfsig', ['-dump', join(CORPUS, file)], { cwd: dir, env, stdio: 'pipe' });
  const report = execFileSync('pdfsig', ['-nocert', join(CORPUS, file)], { cwd: dir, env, encoding: 'utf8' });
  const times = [...report.matchAll(/Signing Time: (.+)/g)].map((m) => new Date(`${m[1]!.trim()} UTC`));
  const dns = [...report.matchAll(/Signer full Distinguished Name: (.+)/g)].map((m) => m[1]!.trim());
  const dumps = readdirSync(dir)
    .filter((n) => /\.sig\d+$/.test(n))
    .sort((a, b) => Number(/(\d+)$/.exec(a)![1]) - Number(/(\d+)$/.exec(b)![1]));
  return dumps.map((n, index) => {
    const pem = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, n), '-print_certs'], { encoding: 'utf8' });
    return { file, index, certs: certificatesFromPem(pem), signingTime: times[index]!, signerDn: dns[index]! };
  });
}

/** The signer's certificate: the one whose CN pdfsig reports for the signer. */
function signerCert(sig: ExtractedSignature): Uint8Array {
  const withCn = sig.certs.filter((c) => {
    const d = describeSigner(c);
    return d.commonName !== null && sig.signerDn.includes(`CN=${d.commonName}`);
  });
  expect(withCn.length).toBeGreaterThanOrEqual(1);
  return withCn[0]!;
}

describe('real BCY signatures (offline, bundled trust only)', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'kyso-real-bcy-'));
    for (const m of manifest) extracted.set(m.file, extract(m.file));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('pdfsig finds every signature the manifest lists', () => {
    for (const m of manifest) {
      const sigs = extracted.get(m.file)!;
      expect(sigs, m.file).toHaveLength(m.signatures);
      for (const s of sigs) expect(Number.isNaN(s.signingTime.getTime())).toBe(false);
    }
  });

  for (const m of manifest) {
    it(`${m.file}: every signer chains to ${[...new Set(m.expect.anchor)].join(', ')} and is named as the manifest says`, () => {
      const sigs = extracted.get(m.file)!;
      sigs.forEach((sig, i) => {
        const leaf = signerCert(sig);
        const extra = sig.certs.filter((c) => c !== leaf);
        const who = describeSigner(leaf);
        expect(who.commonName).toBe(m.expect.signerCommonName[i]);
        for (const policy of ['bcy', 'vn'] as const) {
          const r = buildChain(leaf, { store: TrustStore.forPolicy(policy), extraCerts: extra, at: sig.signingTime });
          expect(r.trusted, `${m.file}#${i} ${policy}: ${JSON.stringify(r.problems)}`).toBe(m.expect.trustedUnderPolicy[policy]);
          expect(r.anchor?.name).toBe(m.expect.anchor[i]);
          expect(r.path).toHaveLength(3);
          expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
          // Independent opinion: node's X509Certificate (OpenSSL) agrees on each link.
          for (let k = 0; k + 1 < r.path.length; k++) {
            const child = new X509Certificate(r.path[k]!.der);
            const parent = new X509Certificate(r.path[k + 1]!.der);
            expect(child.checkIssued(parent)).toBe(true);
            expect(child.verify(parent.publicKey)).toBe(true);
          }
        }
      });
    });
  }

  it('the CMS of these files carries only the signer certificate: the bundled issuing CAs complete the chain', () => {
    for (const sigs of extracted.values()) {
      for (const sig of sigs) {
        expect(sig.certs).toHaveLength(1);
        // With only the BCY roots (no bundled intermediates) there is no chain.
        const rootsOnly = TrustStore.fromPem(
          bundledCertificates()
            .filter((b) => b.role === 'root' && b.generation !== 'national')
            .map((b) => b.pem),
        );
        const r = buildChain(sig.certs[0]!, { store: rootsOnly, at: sig.signingTime });
        expect(r.trusted).toBe(false);
        expect(r.problems.map((p) => p.code)).toEqual(['NO_CHAIN']);
      }
    }
  });

  it('the G1 file is issued by "Co quan chung thuc so Chinh phu", the SHA-1 link is reported as a warning', () => {
    const sig = extracted.get('vz-srcA-01-g1.pdf')![0]!;
    const r = buildChain(sig.certs[0]!, { store: TrustStore.forPolicy('bcy'), at: sig.signingTime });
    expect(r.trusted).toBe(true);
    expect(r.anchor?.id).toBe('bcy-root-g1');
    expect(describeSigner(r.path[1]!).commonName).toBe('Co quan chung thuc so Chinh phu');
    expect(r.problems.map((p) => [p.code, p.index])).toEqual([
      ['SHA1_SIGNATURE', 1],
      ['SHA1_SIGNATURE', 2],
    ]);
  });

  it('validity is judged at the time asked: the 2021 C07 certificate is expired by 2027', () => {
    const sig = extracted.get('vz-40-5sigs.pdf')![0]!;
    const r = buildChain(sig.certs[0]!, { store: TrustStore.forPolicy('bcy'), at: new Date('2027-01-01T00:00:00Z') });
    expect(r.trusted).toBe(false);
    expect(r.problems.map((p) => [p.code, p.index])).toEqual([['EXPIRED', 0]]);
  });

  it('describeSigner reads the government portal organisation certificate', () => {
    const sig = extracted.get('sd-1039-ttg.pdf')![0]!;
    const id = describeSigner(sig.certs[0]!);
    expect(id).toMatchObject({
      commonName: 'CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ',
      organization: 'VĂN PHÒNG CHÍNH PHỦ',
      organizationalUnits: [],
      locality: 'Hà Nội',
      province: 'Hà Nội',
      country: 'VN',
      email: 'thongtinchinhphu@chinhphu.vn',
      uids: { MNS: '1032158', MST: '0102357802' },
      uidValues: ['MNS:1032158', 'MST:0102357802'],
      kind: 'organisation',
      kindReason: 'UID MNS',
      issuerCommonName: 'CA phục vụ các cơ quan Nhà nước G2',
      serialNumber: '64f15b53e2d116b1',
      sha256: '065f9a2f2a5c2cfbe31529399f3332bf5564e2d6ddcef8b884d68c74d3f68da4',
    });
    expect(id.subject).toBe(
      'E=thongtinchinhphu@chinhphu.vn,UID=MST:0102357802,UID=MNS:1032158,CN=CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ,O=VĂN PHÒNG CHÍNH PHỦ,L=Hà Nội,C=VN',
    );
    expect(id.subject).toBe(sig.signerDn); // pdfsig prints the same RFC 4514 form
    expect(id.notBefore.toISOString()).toBe('2023-12-13T07:01:48.000Z');
    expect(id.notAfter.toISOString()).toBe('2028-12-11T07:01:48.000Z');
    expect(id.issuer).toBe('CN=CA phục vụ các cơ quan Nhà nước G2,O=Ban Cơ yếu Chính phủ,C=VN');
  });

  it('describeSigner reads the Ministry of Public Security unit certificate and the G1 portal certificate', () => {
    const c07 = describeSigner(extracted.get('vz-40-5sigs.pdf')![0]!.certs[0]!);
    expect(c07).toMatchObject({
      commonName: 'C07',
      organization: 'BỘ CÔNG AN',
      organizationalUnits: ['V01'],
      province: 'Hà Nội',
      email: 'c07@v01.bca', // from subjectAltName
      uids: {},
      kind: 'organisation',
      kindReason: 'CN is a unit code',
    });
    const g1 = describeSigner(extracted.get('vz-srcA-01-g1.pdf')![0]!.certs[0]!);
    expect(g1).toMatchObject({
      commonName: 'Cổng Thông tin điện tử Chính phủ',
      organization: 'Văn phòng Chính phủ',
      locality: 'Hà Nội',
      kind: 'organisation',
      kindReason: 'CN names an agency',
      serialNumber: '3006aa',
    });
    expect(g1.subject).toBe('CN=Cổng Thông tin điện tử Chính phủ,L=Hà Nội,O=Văn phòng Chính phủ,C=VN');
  });
});
