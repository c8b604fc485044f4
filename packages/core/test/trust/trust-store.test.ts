import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KysoError, TrustStore } from '@kyso/core';
import { bundledCertificates, parseCertificate } from '@kyso/core/trust';

const byId = (id: string) => bundledCertificates().find((b) => b.id === id)!;

describe('TrustStore', () => {
  it("'bcy' anchors only the BCY roots G1 and G2; the six issuing CAs are intermediates", () => {
    const s = TrustStore.forPolicy('bcy');
    expect(s.policy).toBe('bcy');
    expect(s.anchors().map((a) => a.id).sort()).toEqual(['bcy-root-g1', 'bcy-root-g2']);
    expect(s.anchors().every((a) => a.bundled && a.policies.includes('bcy'))).toBe(true);
    expect(s.intermediates()).toHaveLength(6);
    expect(s.isAnchor(byId('vietnam-national-root-ca').certificate)).toBe(false);
    expect(s.isAnchor(byId('bcy-ca-nha-nuoc-g2').certificate)).toBe(false);
  });

  it("'vn' adds the two national roots", () => {
    const s = TrustStore.forPolicy('vn');
    expect(s.anchors().map((a) => a.id).sort()).toEqual([
      'bcy-root-g1',
      'bcy-root-g2',
      'mic-national-root-ca',
      'vietnam-national-root-ca',
    ]);
    expect(s.anchorFor(byId('mic-national-root-ca').certificate)?.policies).toEqual(['vn']);
    expect(s.anchorFor(byId('bcy-root-g2').certificate)?.policies).toEqual(['bcy', 'vn']);
  });

  it('rejects an unknown policy with TRUST_INVALID', () => {
    expect(() => TrustStore.forPolicy('nope' as 'bcy')).toThrow(KysoError);
    try {
      TrustStore.forPolicy('nope' as 'bcy');
    } catch (e) {
      expect((e as KysoError).code).toBe('TRUST_INVALID');
    }
  });

  it('fromPem accepts text, bytes and arrays; addIntermediates keeps them untrusted', () => {
    const g2 = byId('bcy-root-g2');
    const g1 = byId('bcy-root-g1');
    const ca = byId('bcy-ca-nha-nuoc-g2');
    expect(TrustStore.fromPem(g2.pem).anchors()).toHaveLength(1);
    expect(TrustStore.fromPem(new TextEncoder().encode(g2.pem + g1.pem)).anchors()).toHaveLength(2);
    const s = TrustStore.fromPem([g2.pem, g1.certificate.der], { policies: ['mine'] }).addIntermediates(ca.pem);
    expect(s.policy).toBe('custom');
    expect(s.anchors().map((a) => a.policies)).toEqual([['mine'], ['mine']]);
    expect(s.anchors()[0]!.id).toBe(`sha256:${g2.sha256}`);
    expect(s.isAnchor(ca.certificate)).toBe(false);
    expect(s.intermediates()).toHaveLength(1);
  });

  it('refuses input without certificates, or with garbage', () => {
    expect(() => TrustStore.fromPem('hello')).toThrow(/no PEM certificate/);
    expect(() => TrustStore.fromPem(new Uint8Array([0x30, 0x03, 1, 2, 3]))).toThrow(KysoError);
    expect(() =>
      TrustStore.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).toThrow(KysoError);
  });

  it('finds certificates by raw subject DN and by subject key identifier', () => {
    const s = TrustStore.forPolicy('bcy');
    const ca = byId('bcy-ca-nha-nuoc-g2').certificate;
    const root = byId('bcy-root-g2').certificate;
    expect(s.findBySubject(ca.issuer.raw)).toEqual([root]);
    expect(s.findBySubjectKeyIdentifier('77:79:BA:F7:F3:BD:FB:86:1E:13:1A:5E:23:52:5C:AA:BA:6E:AE:54')).toEqual([root]);
    expect(s.findBySubjectKeyIdentifier(Buffer.from('50becfa0bdea0f9f4e9128a32aeb7ceef02fc8ba', 'hex'))).toEqual([ca]);
    // Every G1 issuing CA is issued by the G1 root; the lookup by issuer name finds it.
    const g1 = byId('bcy-root-g1').certificate;
    for (const b of bundledCertificates().filter((x) => x.generation === 'G1' && x.role === 'issuing-ca')) {
      expect(s.findBySubject(b.certificate.issuer.raw)).toEqual([g1]);
    }
  });

  describe('loading from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-trust-store-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads a PEM file and a directory of .pem/.crt (DER)/.cer, ignoring other files', async () => {
      writeFileSync(join(dir, 'a.pem'), byId('bcy-root-g2').pem);
      writeFileSync(join(dir, 'b.crt'), byId('bcy-root-g1').certificate.der);
      writeFileSync(join(dir, 'c.cer'), byId('mic-national-root-ca').pem);
      writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
      const one = await TrustStore.fromPath(join(dir, 'a.pem'));
      expect(one.anchors().map((a) => a.name)).toEqual(['RootCA chuyên dùng Chính phủ G2']);
      const all = await TrustStore.fromPath(dir);
      expect(all.anchors()).toHaveLength(3);
      const withInter = await new TrustStore().addIntermediatesFromPath(join(dir, 'b.crt'));
      expect(withInter.intermediates().map((c) => c.sha256)).toEqual([byId('bcy-root-g1').sha256]);
    });

    it('reports a missing path as IO_ERROR', async () => {
      await expect(TrustStore.fromPath(join(dir, 'missing.pem'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    });
  });

  it('parseCertificate reads the bundled certificates', () => {
    const g1 = parseCertificate(byId('bcy-root-g1').certificate.der);
    expect(g1.signatureAlgorithm.oid).toBe('1.2.840.113549.1.1.5');
    expect(g1.basicConstraints).toEqual({ cA: true, pathLenConstraint: null });
    const ca = byId('bcy-ca-nha-nuoc-g2').certificate;
    expect(ca.basicConstraints).toEqual({ cA: true, pathLenConstraint: 0 });
    expect([...(ca.keyUsage ?? [])].sort()).toEqual(['cRLSign', 'keyCertSign']);
  });
});
