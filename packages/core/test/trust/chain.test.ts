import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore } from '@kyso/core';
import { buildChain, type ChainResult } from '@kyso/core/trust';
import { EXT_CA, EXT_CA0, EXT_LEAF, EXT_ROOT, type Issued, TestPki } from './openssl-pki.js';

const AT = new Date('2026-01-01T00:00:00Z');
const codes = (r: ChainResult): string[] => r.problems.filter((p) => p.severity === 'error').map((p) => p.code);

describe('buildChain on a generated TEST hierarchy (openssl)', () => {
  let pki: TestPki;
  let root: Issued;
  let ca: Issued; // pathlen 0
  let leaf: Issued;
  let store: TrustStore;

  beforeAll(() => {
    pki = new TestPki();
    root = pki.issue('root', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Root CA', extensions: EXT_ROOT, key: 'rsa3072' });
    ca = pki.issue('ca', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Issuing CA', issuer: root, extensions: EXT_CA0 });
    leaf = pki.issue('leaf', {
      subject: '/C=VN/L=Hà Nội/O=Bộ TEST/OU=Cục A/CN=Nguyễn Văn An',
      issuer: ca,
      extensions: EXT_LEAF,
    });
    store = TrustStore.fromPem(root.pem, { policies: ['test'] });
  });
  afterAll(() => pki.dispose());

  it('a good leaf chains through the CA given in extraCerts', () => {
    const r = buildChain(leaf.der, { store, extraCerts: [ca.der], at: AT });
    expect(r.trusted).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.anchor).toMatchObject({ name: 'Kyso TEST Root CA', policies: ['test'], bundled: false });
    expect(r.path.map((c) => c.subject.rfc4514)).toEqual([
      'CN=Nguyễn Văn An,OU=Cục A,O=Bộ TEST,L=Hà Nội,C=VN',
      'CN=Kyso TEST Issuing CA,O=Kyso TEST,C=VN',
      'CN=Kyso TEST Root CA,O=Kyso TEST,C=VN',
    ]);
    expect(pki.opensslVerifies(leaf, [root], [ca], AT.getTime() / 1000)).toBe(true);
  });

  it('the CA may come from the store as an intermediate instead', () => {
    const s = TrustStore.fromPem(root.pem).addIntermediates(ca.pem);
    expect(buildChain(leaf.der, { store: s, at: AT }).trusted).toBe(true);
  });

  it('without the CA: NO_CHAIN, partial path', () => {
    const r = buildChain(leaf.der, { store, at: AT });
    expect(r.trusted).toBe(false);
    expect(codes(r)).toEqual(['NO_CHAIN']);
    expect(r.path).toHaveLength(1);
  });

  it('an expired leaf: EXPIRED; a leaf checked before its start: NOT_YET_VALID', () => {
    const old = pki.issue('expired', {
      subject: '/C=VN/CN=Tran Thi Het Han',
      issuer: ca,
      extensions: EXT_LEAF,
      startdate: '20240101000000Z',
      enddate: '20250101000000Z',
    });
    const r = buildChain(old.der, { store, extraCerts: [ca.der], at: AT });
    expect(r.trusted).toBe(false);
    expect(codes(r)).toEqual(['EXPIRED']);
    expect(r.problems[0]!.index).toBe(0);
    expect(pki.opensslVerifies(old, [root], [ca], AT.getTime() / 1000)).toBe(false);
    // At a time inside its validity the same leaf is fine (signature-time validation).
    expect(buildChain(old.der, { store, extraCerts: [ca.der], at: new Date('2024-06-01T00:00:00Z') }).trusted).toBe(true);
    const r2 = buildChain(leaf.der, { store, extraCerts: [ca.der], at: new Date('2023-06-01T00:00:00Z') });
    expect(codes(r2)).toEqual(['NOT_YET_VALID', 'NOT_YET_VALID', 'NOT_YET_VALID']);
  });

  it('a leaf issued by a non-CA certificate: NOT_A_CA (and KEY_USAGE: no keyCertSign)', () => {
    const fake = pki.issue('by-leaf', { subject: '/C=VN/CN=Issued By A Leaf', issuer: leaf, extensions: EXT_LEAF });
    const r = buildChain(fake.der, { store, extraCerts: [ca.der, leaf.der], at: AT });
    expect(r.trusted).toBe(false);
    expect(r.path).toHaveLength(4);
    // The leaf-as-CA also puts one CA too many under the pathlen-0 issuing CA.
    expect(codes(r)).toEqual(['NOT_A_CA', 'KEY_USAGE', 'PATH_LENGTH_EXCEEDED']);
    expect(r.problems[0]!.index).toBe(1);
    expect(pki.opensslVerifies(fake, [root], [ca, leaf], AT.getTime() / 1000)).toBe(false);
  });

  it('one CA too many under pathlen 0: PATH_LENGTH_EXCEEDED at the pathlen-0 CA', () => {
    const sub = pki.issue('sub', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Sub CA', issuer: ca, extensions: EXT_CA });
    const deep = pki.issue('deep', { subject: '/C=VN/CN=Le Van Sau', issuer: sub, extensions: EXT_LEAF });
    const r = buildChain(deep.der, { store, extraCerts: [ca.der, sub.der], at: AT });
    expect(r.trusted).toBe(false);
    expect(r.path).toHaveLength(4);
    expect(codes(r)).toEqual(['PATH_LENGTH_EXCEEDED']);
    expect(r.problems[0]!.index).toBe(2);
    expect(pki.opensslVerifies(deep, [root], [ca, sub], AT.getTime() / 1000)).toBe(false);
  });

  it('a tampered leaf signature: BAD_SIGNATURE', () => {
    const der = new Uint8Array(leaf.der);
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
    const r = buildChain(der, { store, extraCerts: [ca.der], at: AT });
    expect(r.trusted).toBe(false);
    expect(codes(r)).toEqual(['BAD_SIGNATURE']);
    expect(r.problems[0]!.index).toBe(0);
  });

  it('a leaf without digitalSignature/nonRepudiation: KEY_USAGE on the leaf', () => {
    const enc = pki.issue('enc', {
      subject: '/C=VN/CN=Encryption Only',
      issuer: ca,
      extensions: ['basicConstraints = CA:FALSE', 'keyUsage = critical, keyEncipherment'],
    });
    const r = buildChain(enc.der, { store, extraCerts: [ca.der], at: AT });
    expect(codes(r)).toEqual(['KEY_USAGE']);
    expect(r.problems[0]!.index).toBe(0);
  });

  it('a CA without keyCertSign: KEY_USAGE at the CA', () => {
    const badCa = pki.issue('bad-ca', {
      subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST CA Without keyCertSign',
      issuer: root,
      extensions: ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, cRLSign'],
    });
    const l = pki.issue('bad-ca-leaf', { subject: '/C=VN/CN=Under Bad CA', issuer: badCa, extensions: EXT_LEAF });
    const r = buildChain(l.der, { store, extraCerts: [badCa.der], at: AT });
    expect(codes(r)).toEqual(['KEY_USAGE']);
    expect(r.problems[0]!.index).toBe(1);
  });

  it('ECDSA P-256 and RSA-PSS leaves verify', () => {
    const ec = pki.issue('ec', { subject: '/C=VN/CN=EC Leaf', issuer: ca, extensions: EXT_LEAF, key: 'p256' });
    expect(buildChain(ec.der, { store, extraCerts: [ca.der], at: AT }).trusted).toBe(true);
    const ecCa = pki.issue('ec-ca', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST EC CA', issuer: root, extensions: EXT_CA0, key: 'p256' });
    const underEc = pki.issue('under-ec', { subject: '/C=VN/CN=Signed By EC', issuer: ecCa, extensions: EXT_LEAF, md: 'sha384' });
    const r = buildChain(underEc.der, { store, extraCerts: [ecCa.der], at: AT });
    expect(r.trusted).toBe(true);
    const pss = pki.issue('pss', {
      subject: '/C=VN/CN=PSS Leaf',
      issuer: ca,
      extensions: EXT_LEAF,
      sigopts: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'],
    });
    expect(pss.der.length).toBeGreaterThan(0);
    const rp = buildChain(pss.der, { store, extraCerts: [ca.der], at: AT });
    expect(rp.path[0]!.signatureAlgorithm.oid).toBe('1.2.840.113549.1.1.10');
    expect(rp.trusted).toBe(true);
  });

  it('SHA-1 outside the bundled hierarchy is refused unless allowed', () => {
    const s1 = pki.issue('sha1', { subject: '/C=VN/CN=Old SHA1 Leaf', issuer: ca, extensions: EXT_LEAF, md: 'sha1' });
    const r = buildChain(s1.der, { store, extraCerts: [ca.der], at: AT });
    expect(codes(r)).toEqual(['WEAK_ALGORITHM']);
    const ok = buildChain(s1.der, { store, extraCerts: [ca.der], at: AT, sha1: 'accept' });
    expect(ok.trusted).toBe(true);
    expect(ok.problems.map((p) => p.code)).toEqual(['SHA1_SIGNATURE']);
  });

  it('a self-signed root not in the store: UNTRUSTED_ROOT', () => {
    const other = pki.issue('other-root', { subject: '/C=VN/CN=Other TEST Root', extensions: EXT_ROOT });
    const l = pki.issue('other-leaf', { subject: '/C=VN/CN=Under Other', issuer: other, extensions: EXT_LEAF });
    const r = buildChain(l.der, { store, extraCerts: [other.der], at: AT });
    expect(codes(r)).toEqual(['UNTRUSTED_ROOT']);
    expect(r.path).toHaveLength(2);
  });

  it('duplicate subjects: the issuer whose key verifies is chosen', () => {
    // Two CAs with the same subject, different keys; only the second issued the leaf.
    const twinA = pki.issue('twin-a', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Twin CA', issuer: root, extensions: EXT_CA0 });
    const twinB = pki.issue('twin-b', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Twin CA', issuer: root, extensions: EXT_CA0 });
    const l = pki.issue('twin-leaf', { subject: '/C=VN/CN=Twin Leaf', issuer: twinB, extensions: ['basicConstraints = CA:FALSE', 'keyUsage = digitalSignature'] });
    for (const extra of [[twinA.der, twinB.der], [twinB.der, twinA.der]]) {
      const r = buildChain(l.der, { store, extraCerts: extra, at: AT });
      expect(r.trusted).toBe(true);
      expect(r.path[1]!.sha256).toBe(r.path[1]!.sha256);
      expect(Buffer.from(r.path[1]!.der).equals(Buffer.from(twinB.der))).toBe(true);
    }
    // Only the wrong twin available: BAD_SIGNATURE rather than a false success.
    const bad = buildChain(l.der, { store, extraCerts: [twinA.der], at: AT });
    expect(codes(bad)).toEqual(['BAD_SIGNATURE']);
  });

  it('cross-signed CAs forming a cycle terminate (NO_CHAIN / UNTRUSTED_ROOT, no hang)', () => {
    // X and Y sign each other (same keys re-used), neither anchored.
    const x0 = pki.issue('x0', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Cycle X', extensions: EXT_ROOT });
    const y0 = pki.issue('y0', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Cycle Y', extensions: EXT_ROOT });
    const xByY = pki.issue('x-by-y', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Cycle X', issuer: y0, reuseKey: x0.key, extensions: EXT_CA });
    const yByX = pki.issue('y-by-x', { subject: '/C=VN/O=Kyso TEST/CN=Kyso TEST Cycle Y', issuer: x0, reuseKey: y0.key, extensions: EXT_CA });
    const l = pki.issue('cycle-leaf', { subject: '/C=VN/CN=Cycle Leaf', issuer: x0, extensions: EXT_LEAF });
    const started = Date.now();
    const r = buildChain(l.der, { store, extraCerts: [xByY.der, yByX.der], at: AT });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.trusted).toBe(false);
    expect(r.path.length).toBeLessThanOrEqual(8);
    expect(codes(r)).toContain('NO_CHAIN');
    // With the self-signed X too: the path ends at it, untrusted.
    const r2 = buildChain(l.der, { store, extraCerts: [xByY.der, yByX.der, x0.der, y0.der], at: AT });
    expect(r2.trusted).toBe(false);
    expect(codes(r2)).toEqual(['UNTRUSTED_ROOT']);
    // Anchoring Y makes X-by-Y a valid bridge.
    const viaY = buildChain(l.der, { store: TrustStore.fromPem(y0.pem), extraCerts: [yByX.der, xByY.der, x0.der], at: AT });
    expect(viaY.trusted).toBe(true);
    expect(viaY.anchor?.name).toBe('Kyso TEST Cycle Y');
  });

  it('maxDepth bounds the search', () => {
    const r = buildChain(leaf.der, { store, extraCerts: [ca.der], at: AT, maxDepth: 2 });
    expect(r.trusted).toBe(false);
    expect(codes(r)).toEqual(['NO_CHAIN']);
  });

  it('unreadable input gives typed problems, never a throw', () => {
    const r = buildChain(new Uint8Array([1, 2, 3, 4]), { store, at: AT });
    expect(r.trusted).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['UNPARSEABLE_CERTIFICATE']);
    const r2 = buildChain(leaf.der, { store, extraCerts: [new Uint8Array([0x30, 0x80]), ca.der], at: AT });
    expect(r2.trusted).toBe(true);
    expect(r2.problems.map((p) => [p.code, p.severity])).toEqual([['UNPARSEABLE_CERTIFICATE', 'warning']]);
    // Truncated certificate.
    const r3 = buildChain(leaf.der.subarray(0, 200), { store, at: AT });
    expect(r3.problems.map((p) => p.code)).toEqual(['UNPARSEABLE_CERTIFICATE']);
  });

  it('an unknown critical extension is reported', () => {
    const odd = pki.issue('odd', {
      subject: '/C=VN/CN=Odd Critical',
      issuer: ca,
      extensions: [...EXT_LEAF, '1.2.3.4.5 = critical, ASN1:UTF8String:hello'],
    });
    const r = buildChain(odd.der, { store, extraCerts: [ca.der], at: AT });
    expect(codes(r)).toEqual(['UNHANDLED_CRITICAL_EXTENSION']);
  });
});
