import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsSignerTemplate, createCadesTemplate, encodeAttribute, signDetached } from '../../src/cms/index.js';
import { KysoError } from '../../src/errors.js';
import type { DigestAlgorithm, Signer } from '../../src/contracts/index.js';
import { SoftwareSigner } from '../../src/sign/software-signer.js';
import { makeTestPki, printCms, verifyWithOpenssl, type LeafKind, type TestPki } from './pki-fixture.js';

const NODE_HASH: Record<DigestAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const DIGESTS: DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

let pki: TestPki;
const signers = new Map<string, SoftwareSigner>();

function signerFor(kind: LeafKind, pss = false): SoftwareSigner {
  const id = `${kind}${pss ? '-pss' : ''}`;
  let s = signers.get(id);
  if (!s) {
    const leaf = pki.leaves[kind];
    s = SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: pki.caPem }, pss ? { scheme: 'RSA-PSS' } : {});
    signers.set(id, s);
  }
  return s;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof KysoError ? e.code : `not a KysoError: ${String(e)}`;
  }
  return undefined;
}

beforeAll(() => {
  pki = makeTestPki(['rsa2048', 'rsa3072', 'rsa4096', 'p256', 'p384', 'p521']);
});
afterAll(() => pki?.cleanup());

const CASES: { kind: LeafKind; pss: boolean }[] = [
  { kind: 'rsa2048', pss: false },
  { kind: 'rsa3072', pss: false },
  { kind: 'rsa4096', pss: false },
  { kind: 'rsa2048', pss: true },
  { kind: 'rsa3072', pss: true },
  { kind: 'rsa4096', pss: true },
  { kind: 'p256', pss: false },
  { kind: 'p384', pss: false },
  { kind: 'p521', pss: false },
];

describe('CmsSignerTemplate: detached CAdES B-B checked by openssl cms -verify', () => {
  for (const { kind, pss } of CASES) {
    for (const digest of DIGESTS) {
      it(`${kind}${pss ? ' RSA-PSS' : ''} ${digest}`, async () => {
        const signer = signerFor(kind, pss);
        const template = CmsSignerTemplate.create(signer, digest);
        const data = randomBytes(3000);
        const contentDigest = createHash(NODE_HASH[digest]).update(data).digest();
        const cms = await template.sign(contentDigest);

        const name = `${kind}-${pss}-${digest}`;
        const r = verifyWithOpenssl(pki.dir, name, cms, data, pki.rootFile);
        expect(r.stderr).toContain('Verification successful');
        expect(r.status).toBe(0);

        // The same CMS must not verify over other content.
        const bad = verifyWithOpenssl(pki.dir, `${name}-bad`, cms, Buffer.concat([data, Buffer.from('x')]), pki.rootFile);
        expect(bad.status).not.toBe(0);

        // Size bound: never exceeded, and tight.
        const max = template.maxSize();
        expect(cms.length).toBeLessThanOrEqual(max);
        expect(max - cms.length).toBeLessThanOrEqual(kind.startsWith('rsa') ? 0 : 8);

        const printed = printCms(pki.dir, name, cms);
        expect(printed).toContain('signingCertificateV2 (1.2.840.113549.1.9.16.2.47)');
        expect(printed).toContain('contentType (1.2.840.113549.1.9.3)');
        expect(printed).toContain('messageDigest (1.2.840.113549.1.9.4)');
        expect(printed).not.toMatch(/signingTime/i);
        expect(printed).toContain('eContent: <ABSENT>');
        expect(printed).toContain('d.issuerAndSerialNumber');
        if (pss) {
          expect(printed).toContain('rsassaPss (1.2.840.113549.1.1.10)');
          expect(printed).toMatch(/:mgf1/);
          expect(printed).toMatch(new RegExp(`INTEGER\\s+:${(digestLen(digest)).toString(16).toUpperCase()}\\b`));
        } else if (kind.startsWith('rsa')) {
          expect(printed).toContain(`${NODE_HASH[digest]}WithRSAEncryption`);
        } else {
          expect(printed).toContain(`ecdsa-with-${digest.replace('-', '')}`);
        }
      });
    }
  }
});

function digestLen(d: DigestAlgorithm): number {
  return d === 'SHA-256' ? 32 : d === 'SHA-384' ? 48 : 64;
}

/** Walk the DER with asn1js (independently of the builder) to check the structure. */
function signerInfoOf(cms: Uint8Array) {
  const ci = asn1js.fromBER(cms).result as asn1js.Sequence;
  const sd = ((ci.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  const certs = (sd[3] as asn1js.Constructed).valueBlock.value.map((c) => new Uint8Array(c.valueBeforeDecodeView));
  const si = ((sd[4] as asn1js.Set).valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  return { sd, certs, si };
}

describe('CmsSignerTemplate: structure', () => {
  it('SignedData v1, signer cert then chain, sorted signed attributes, ESS hash of the cert', async () => {
    const signer = signerFor('p256');
    const template = createCadesTemplate(signer);
    expect(template.digest).toBe('SHA-256');
    const contentDigest = randomBytes(32);
    const attrs = template.signedAttributes(contentDigest);
    expect(attrs[0]).toBe(0x31);
    const cms = template.assemble(attrs, await signer.sign(attrs, 'SHA-256'));
    const { sd, certs, si } = signerInfoOf(cms);
    expect((sd[0] as asn1js.Integer).valueBlock.valueDec).toBe(1);
    expect((si[0] as asn1js.Integer).valueBlock.valueDec).toBe(1);
    expect(certs).toEqual([signer.certificate, ...signer.chain]);
    // [0] IMPLICIT signed attributes carry exactly the signed bytes.
    const signedAttrs = new Uint8Array(si[3]!.valueBeforeDecodeView);
    expect(signedAttrs[0]).toBe(0xa0);
    expect(Buffer.from(signedAttrs.subarray(1))).toEqual(Buffer.from(attrs.subarray(1)));
    // DER SET OF order.
    const items = (asn1js.fromBER(attrs).result as asn1js.Set).valueBlock.value.map((v) => Buffer.from(v.valueBeforeDecodeView));
    expect(items.length).toBe(3);
    expect([...items].sort(Buffer.compare)).toEqual(items);
    // ESSCertIDv2: hashAlgorithm omitted (DEFAULT sha256), certHash = SHA-256(cert).
    const ess = items.map((i) => asn1js.fromBER(i).result as asn1js.Sequence).find(
      (a) => (a.valueBlock.value[0] as asn1js.ObjectIdentifier).getValue() === '1.2.840.113549.1.9.16.2.47',
    )!;
    const certId = (
      (((ess.valueBlock.value[1] as asn1js.Set).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence)
        .valueBlock.value[0] as asn1js.Sequence
    ).valueBlock.value;
    expect(certId[0]).toBeInstanceOf(asn1js.OctetString);
    expect(Buffer.from((certId[0] as asn1js.OctetString).valueBlock.valueHexView)).toEqual(
      createHash('sha256').update(signer.certificate).digest(),
    );
    // The message digest is the one given.
    expect(Buffer.from(attrs).includes(contentDigest)).toBe(true);
  });

  it('node Buffers from the shared pool are encoded by their own bytes only', async () => {
    const signer = signerFor('rsa2048');
    const template = CmsSignerTemplate.create(signer);
    const data = randomBytes(64);
    const pooledDigest = Buffer.from(createHash('sha256').update(data).digest('hex'), 'hex');
    expect(pooledDigest.buffer.byteLength).toBeGreaterThan(32);
    const attrs = template.signedAttributes(pooledDigest);
    const sig = await signer.sign(attrs, 'SHA-256');
    const pooledSig = Buffer.from(Buffer.from(sig).toString('base64'), 'base64');
    const cms = template.assemble(Buffer.from(attrs), pooledSig);
    expect(cms.length).toBe(template.maxSize());
    expect(verifyWithOpenssl(pki.dir, 'pooled', cms, data, pki.rootFile).status).toBe(0);
  });

  it('maxSize() needs no signature and bounds every signature value up to maxSignatureSize', () => {
    for (const kind of ['rsa2048', 'p256', 'p521'] as const) {
      const signer = signerFor(kind);
      const template = CmsSignerTemplate.create(signer);
      const max = template.maxSize();
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: template.digestLength, maxLength: template.digestLength }),
          fc.integer({ min: 1, max: signer.maxSignatureSize }),
          (digest, sigLen) => {
            const cms = template.assemble(template.signedAttributes(digest), randomBytes(sigLen));
            return cms.length <= max;
          },
        ),
        { numRuns: 50 },
      );
    }
  });

  it('a Signer without maxSignatureSize gets the bound from its certificate key', () => {
    for (const kind of ['rsa3072', 'p384'] as const) {
      const s = signerFor(kind);
      const bare: Signer = { certificate: s.certificate, chain: s.chain, signatureAlgorithm: s.signatureAlgorithm, sign: (d, g) => s.sign(d, g) };
      const t = CmsSignerTemplate.create(bare);
      expect(t.maxSignatureSize).toBe(s.maxSignatureSize);
      expect(t.maxSize()).toBe(CmsSignerTemplate.create(s, t.digest).maxSize());
    }
  });

  it('unsigned attributes (e.g. a time-stamp token) are added and bounded by maxSize(n)', async () => {
    const signer = signerFor('rsa2048');
    const template = CmsSignerTemplate.create(signer);
    const data = randomBytes(100);
    const attrs = template.signedAttributes(createHash('sha256').update(data).digest());
    const signature = await signer.sign(attrs, 'SHA-256');
    const fakeToken = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: randomBytes(5000) })] }).toBER();
    const tsAttr = encodeAttribute('1.2.840.113549.1.9.16.2.14', [new Uint8Array(fakeToken)]);
    const other = { type: '1.2.3.4.5', values: [new Uint8Array([0x02, 0x01, 0x07])] };
    const cms = template.assemble(attrs, signature, { unsignedAttributes: [tsAttr, other] });
    expect(cms.length).toBeLessThanOrEqual(template.maxSize(tsAttr.length + 7));
    const r = verifyWithOpenssl(pki.dir, 'unsigned', cms, data, pki.rootFile);
    expect(r.status).toBe(0);
    const printed = printCms(pki.dir, 'unsigned', cms);
    expect(printed).toContain('unsignedAttrs');
    expect(printed).toContain('id-smime-aa-timeStampToken');
    // The template is reusable afterwards, without the unsigned attributes.
    const again = template.assemble(attrs, signature);
    expect(again.length).toBe(template.maxSize());
  });

  it('extra signed attributes go into the signed set in DER order; reserved ones are refused', async () => {
    const signer = signerFor('p256');
    const commitment = encodeAttribute('1.2.840.113549.1.9.16.2.16', [
      new Uint8Array(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.9.16.6.1' })] }).toBER()),
    ]);
    const template = CmsSignerTemplate.create(signer, { extraSignedAttributes: [commitment] });
    const data = randomBytes(10);
    const cms = await template.sign(createHash('sha256').update(data).digest());
    expect(verifyWithOpenssl(pki.dir, 'extra', cms, data, pki.rootFile).status).toBe(0);
    expect(printCms(pki.dir, 'extra', cms)).toContain('1.2.840.113549.1.9.16.2.16');
    const items = (asn1js.fromBER(template.signedAttributes(randomBytes(32))).result as asn1js.Set).valueBlock.value.map((v) =>
      Buffer.from(v.valueBeforeDecodeView),
    );
    expect(items.length).toBe(4);
    expect([...items].sort(Buffer.compare)).toEqual(items);
    for (const type of ['1.2.840.113549.1.9.5', '1.2.840.113549.1.9.4']) {
      expect(codeOf(() => CmsSignerTemplate.create(signer, { extraSignedAttributes: [{ type, values: [new Uint8Array([5, 0])] }] }))).toBe(
        'SIGN_OPTIONS_INVALID',
      );
    }
  });

  it('signDetached caches one template per signer and digest', async () => {
    const signer = signerFor('p384');
    const data = randomBytes(64);
    const cms = await signDetached(signer, createHash('sha384').update(data).digest(), 'SHA-384');
    expect(verifyWithOpenssl(pki.dir, 'detached', cms, data, pki.rootFile).status).toBe(0);
    // default digest of a P-384 SoftwareSigner is SHA-384
    const cms2 = await signDetached(signer, createHash('sha384').update(data).digest());
    expect(verifyWithOpenssl(pki.dir, 'detached2', cms2, data, pki.rootFile).status).toBe(0);
  });

  it('bad input gives typed errors', async () => {
    const signer = signerFor('rsa2048');
    const template = CmsSignerTemplate.create(signer);
    const attrs = template.signedAttributes(randomBytes(32));
    expect(codeOf(() => template.signedAttributes(randomBytes(48)))).toBe('SIGN_OPTIONS_INVALID');
    // Not a SET OF (random bytes were: one draw in some thousands is a well-formed SET, another made asn1js throw a RangeError).
    expect(codeOf(() => template.assemble(Buffer.from('04 16 not a set of attributes at all, just text'), randomBytes(256)))).toBe('CMS_MALFORMED');
    expect(codeOf(() => template.assemble(Buffer.from('31ff', 'hex'), randomBytes(256)))).toBe('CMS_MALFORMED');
    expect(codeOf(() => template.assemble(new Uint8Array([0x31, 0x00]), randomBytes(256)))).toBe('CMS_MALFORMED');
    expect(codeOf(() => template.assemble(attrs, randomBytes(257)))).toBe('SIGN_SIGNER_FAILED');
    expect(codeOf(() => template.assemble(attrs, new Uint8Array(0)))).toBe('SIGN_SIGNER_FAILED');
    expect(codeOf(() => template.assemble(attrs, randomBytes(256), { unsignedAttributes: [randomBytes(20)] }))).toBe('CMS_MALFORMED');
    // A copy of the attributes (not the very array returned) is parsed and accepted.
    expect(template.assemble(new Uint8Array(attrs), randomBytes(256)).length).toBe(template.maxSize());
    // Scheme that does not fit the certificate key.
    const ec = signerFor('p256');
    const wrong: Signer = { certificate: ec.certificate, chain: [], signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5' }, sign: (d, g) => ec.sign(d, g) };
    expect(codeOf(() => CmsSignerTemplate.create(wrong))).toBe('CMS_UNSUPPORTED');
    const garbage: Signer = { certificate: randomBytes(300), chain: [], signatureAlgorithm: { scheme: 'ECDSA' }, sign: async () => new Uint8Array(1) };
    expect(codeOf(() => CmsSignerTemplate.create(garbage))).toBe('CERT_INVALID');
    // A failing signer becomes SIGN_SIGNER_FAILED.
    const failing: Signer = { ...wrong, signatureAlgorithm: { scheme: 'ECDSA' }, sign: async () => { throw new Error('token removed'); } };
    await expect(CmsSignerTemplate.create(failing).sign(randomBytes(32))).rejects.toMatchObject({ code: 'SIGN_SIGNER_FAILED' });
  });
});
