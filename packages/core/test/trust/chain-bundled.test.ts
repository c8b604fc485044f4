import { describe, expect, it } from 'vitest';
import { TrustStore } from '@kyso/core';
import { buildChain, bundledCertificates } from '@kyso/core/trust';

const byId = (id: string) => bundledCertificates().find((b) => b.id === id)!;
const at = new Date('2025-06-01T00:00:00Z');

describe('chains of the bundled BCY certificates', () => {
  it('the G2 issuing CA chains to the G2 root under bcy', () => {
    const r = buildChain(byId('bcy-ca-nha-nuoc-g2').certificate, { store: TrustStore.forPolicy('bcy'), at, leafKeyUsage: 'any' });
    expect(r.trusted).toBe(true);
    expect(r.anchor).toMatchObject({ id: 'bcy-root-g2', name: 'RootCA chuyên dùng Chính phủ G2', policies: ['bcy', 'vn'] });
    expect(r.path.map((c) => c.sha256)).toEqual([byId('bcy-ca-nha-nuoc-g2').sha256, byId('bcy-root-g2').sha256]);
    expect(r.problems).toEqual([]);
  });

  const g1Cas = bundledCertificates().filter((b) => b.generation === 'G1' && b.role === 'issuing-ca');
  it.each(g1Cas.map((b) => [b.id, b] as const))('%s chains to the G1 root under bcy (SHA-1 reported, accepted)', (_id, b) => {
    const r = buildChain(b.certificate, { store: TrustStore.forPolicy('bcy'), at, leafKeyUsage: 'any' });
    expect(r.trusted).toBe(true);
    expect(r.anchor?.id).toBe('bcy-root-g1');
    expect(r.path).toHaveLength(2);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(r.problems.map((p) => p.code)).toContain('SHA1_SIGNATURE');
  });

  it("G1 issuing CAs fail with sha1: 'reject'", () => {
    const r = buildChain(byId('bcy-g1-chinh-phu').certificate, { store: TrustStore.forPolicy('bcy'), at, sha1: 'reject', leafKeyUsage: 'any' });
    expect(r.trusted).toBe(false);
    expect(r.problems.map((p) => p.code)).toContain('WEAK_ALGORITHM');
  });

  it('a CA certificate checked as a signer fails the leaf keyUsage rule', () => {
    const r = buildChain(byId('bcy-ca-nha-nuoc-g2').certificate, { store: TrustStore.forPolicy('bcy'), at });
    expect(r.trusted).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['KEY_USAGE']);
  });

  it('the G1 CAs are expired after 2030 and the G2 CA is not', () => {
    const later = new Date('2031-01-01T00:00:00Z');
    const r1 = buildChain(byId('bcy-g1-chinh-phu').certificate, { store: TrustStore.forPolicy('bcy'), at: later, leafKeyUsage: 'any' });
    expect(r1.trusted).toBe(false);
    expect(r1.problems.filter((p) => p.code === 'EXPIRED').map((p) => p.index)).toEqual([0, 1]);
    expect(buildChain(byId('bcy-ca-nha-nuoc-g2').certificate, { store: TrustStore.forPolicy('bcy'), at: later, leafKeyUsage: 'any' }).trusted).toBe(true);
  });

  it.each(['vietnam-national-root-ca', 'mic-national-root-ca'])('%s is not an anchor under bcy, is one under vn', (id) => {
    const cert = byId(id).certificate;
    const bcy = buildChain(cert, { store: TrustStore.forPolicy('bcy'), at, leafKeyUsage: 'any' });
    expect(bcy.trusted).toBe(false);
    expect(bcy.anchor).toBeNull();
    expect(bcy.problems.map((p) => p.code)).toContain('UNTRUSTED_ROOT');
    const vn = buildChain(cert, { store: TrustStore.forPolicy('vn'), at, leafKeyUsage: 'any' });
    expect(vn.trusted).toBe(true);
    expect(vn.anchor).toMatchObject({ id, policies: ['vn'], generation: 'national' });
  });

  it('a BCY issuing CA without its root in a custom store does not chain', () => {
    const store = TrustStore.fromPem(byId('vietnam-national-root-ca').pem);
    const r = buildChain(byId('bcy-ca-nha-nuoc-g2').certificate, { store, at, leafKeyUsage: 'any' });
    expect(r.trusted).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['NO_CHAIN']);
  });
});
