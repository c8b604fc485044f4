import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledCertificates, certificatesFromPem } from '@kyso/core/trust';

const pkgDir = fileURLToPath(new URL('../../', import.meta.url));
const assets = (p: string): string => `${pkgDir}assets/trust/${p}`;

/** Pins copied by hand from the project's trust table; a swapped file must fail here. */
const PINS: Record<string, string> = {
  'bcy/bcy-root-g2.pem': 'f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8',
  'bcy/bcy-ca-nha-nuoc-g2.pem': 'd8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b',
  'bcy/bcy-root-g1.pem': 'f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90',
  'bcy/bcy-g1-chinh-phu.pem': '75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe',
  'bcy/bcy-g1-bo-cong-an.pem': 'ecbf8428266c549eb1bfdc2715270d5b9dff3bbbe2d3f0c33e0fd91f70b2d943',
  'bcy/bcy-g1-bo-tai-chinh.pem': 'a262cfa489dbbe666f8b89fab832547809874d5a06fa9f7a38fc227ebdf40514',
  'bcy/bcy-g1-dang-cong-san.pem': '6e218b3ebc2f31b0d03205c64fd7e8920fb47187d37afcdb4cb2bb4178bf4635',
  'bcy/bcy-g1-bo-ngoai-giao.pem': '3c4281296f92d292cc952295fe41ad7d0b37438ff1d143b56c4642cc1b14bd93',
  'national/vietnam-national-root-ca.pem': 'bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7',
  'national/mic-national-root-ca.pem': 'ca918d635bb130bec97639e6aabf7edbc4eb1310f8058b9419f467ae0230ad8c',
};

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('bundled trust certificates', () => {
  it('ships exactly the ten pinned certificates', () => {
    const bundled = bundledCertificates();
    expect(bundled.map((b) => b.file).sort()).toEqual(Object.keys(PINS).sort());
  });

  it.each(Object.entries(PINS))('asset %s matches its pinned SHA-256 (computed from the DER)', (file, pin) => {
    const ders = certificatesFromPem(readFileSync(assets(file), 'utf8'));
    expect(ders).toHaveLength(1);
    expect(sha256(ders[0] as Uint8Array)).toBe(pin);
  });

  it.each(Object.entries(PINS))('embedded copy of %s matches its pin', (file, pin) => {
    const b = bundledCertificates().find((x) => x.file === file);
    expect(b).toBeDefined();
    expect(sha256(b!.certificate.der)).toBe(pin);
    expect(b!.sha256).toBe(pin);
  });

  it('openssl agrees on every fingerprint', () => {
    for (const [file, pin] of Object.entries(PINS)) {
      const out = execFileSync('openssl', ['x509', '-in', assets(file), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
      expect(out.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(pin);
    }
  });

  it('the README table shipped in assets lists the same pins', () => {
    const readme = readFileSync(assets('README.md'), 'utf8');
    for (const [file, pin] of Object.entries(PINS)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${file} |`));
      expect(row, file).toBeDefined();
      expect(row).toContain(pin);
    }
  });

  it('roles and generations', () => {
    const byId = new Map(bundledCertificates().map((b) => [b.id, b]));
    expect(byId.get('bcy-root-g2')).toMatchObject({ role: 'root', generation: 'G2', name: 'RootCA chuyên dùng Chính phủ G2' });
    expect(byId.get('bcy-ca-nha-nuoc-g2')).toMatchObject({ role: 'issuing-ca', generation: 'G2' });
    expect(byId.get('bcy-root-g1')).toMatchObject({ role: 'root', generation: 'G1', name: 'Co quan chung thuc so chuyen dung Chinh phu (RootCA)' });
    expect(byId.get('bcy-g1-bo-ngoai-giao')).toMatchObject({ role: 'issuing-ca', generation: 'G1', name: 'Cơ quan chứng thực số Bộ Ngoại giao' });
    expect(byId.get('vietnam-national-root-ca')).toMatchObject({ role: 'root', generation: 'national' });
    expect(byId.get('mic-national-root-ca')).toMatchObject({ role: 'root', generation: 'national' });
    expect([...byId.values()].filter((b) => b.role === 'issuing-ca')).toHaveLength(6);
  });

  it('src/trust/bundled-certs.ts is what scripts/embed-trust.mjs generates from the assets', () => {
    // --check exits non-zero when the committed file differs from a fresh rendering.
    expect(() =>
      execFileSync('node', [`${pkgDir}scripts/embed-trust.mjs`, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
