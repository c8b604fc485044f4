/**
 * Crafted and mutated CMS input: only KysoErrors escape, ambiguity is
 * refused, and structural variants a verifier must understand still verify.
 */
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KysoError } from '../../src/errors.js';
import { checkCmsSignature, checkTimestampImprint, inspectCms, inspectTimestampToken } from '../../src/cms/inspect/index.js';
import { at, clone, decode, encode, signedDataOf, signerInfoOf, type T } from './der-tree.js';
import { rangesOf, readPdf, scanPdfSignatures } from './pdf-signatures.js';

const CORPUS = '/work/shared/corpus/verify';

function load(file: string, index = 0): { pdf: Buffer; cms: Buffer; ranges: Uint8Array[] } {
  const pdf = readPdf(join(CORPUS, file));
  const s = scanPdfSignatures(pdf)[index]!;
  return { pdf, cms: s.contents, ranges: rangesOf(pdf, s) };
}

/** The outer ContentInfo without the /Contents zero padding (DER inputs only). */
function trimmed(b: Buffer): Buffer {
  return encode(decode(b));
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof KysoError) return e.code;
    throw e;
  }
  return 'none';
}

const original = load('dss-signed-original.pdf');
const der = trimmed(original.cms);

/** `depth` SEQUENCEs around a NULL, definite lengths, built from the inside out in linear time. */
function nestedDefinite(depth: number): Buffer {
  const headers: Buffer[] = [];
  let len = 2;
  for (let i = 0; i < depth; i++) {
    const h = len < 0x80 ? Buffer.from([0x30, len]) : len < 0x100 ? Buffer.from([0x30, 0x81, len]) : len < 0x10000 ? Buffer.from([0x30, 0x82, len >> 8, len & 0xff]) : Buffer.from([0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff]);
    headers.push(h);
    len += h.length;
  }
  return Buffer.concat([...headers.reverse(), Buffer.from([0x05, 0x00])]);
}

describe('garbage, truncation, nesting', () => {
  it('garbage is CMS_MALFORMED', () => {
    for (const g of [Buffer.alloc(0), Buffer.from([0]), Buffer.from([0x30]), Buffer.from([0x30, 0x00]), Buffer.from('hello world'), Buffer.alloc(64, 0xff), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])]) {
      expect(code(() => inspectCms(g))).toBe('CMS_MALFORMED');
    }
    expect(code(() => inspectCms('not bytes' as unknown as Uint8Array))).toBe('CMS_MALFORMED');
  });

  it('every truncation of a real CMS is CMS_MALFORMED', () => {
    for (let n = 1; n < der.length; n += 7) expect(code(() => inspectCms(der.subarray(0, n)))).toBe('CMS_MALFORMED');
  });

  it('deep nesting (indefinite and definite) is refused quickly', () => {
    const deep = Buffer.alloc(200_000);
    for (let i = 0; i < 100_000; i++) deep.writeUInt16BE(0x3080, 2 * i);
    const t0 = Date.now();
    expect(code(() => inspectCms(deep))).toBe('CMS_MALFORMED');
    expect(code(() => inspectCms(nestedDefinite(5000)))).toBe('CMS_MALFORMED');
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('zero padding after the ContentInfo is accepted, anything else is not', () => {
    expect(code(() => inspectCms(Buffer.concat([der, Buffer.alloc(1000)])))).toBe('none');
    expect(code(() => inspectCms(Buffer.concat([der, Buffer.from([0, 0, 1])])))).toBe('CMS_MALFORMED');
  });

  it('a deeply nested TSTInfo inside a token is CMS_MALFORMED', () => {
    const ts = load('dss-doc-firmado-LTA.pdf', 1).cms;
    const ci = decode(ts);
    const encap = at(signedDataOf(ci), 2);
    encap.children![1] = { tag: 0xa0, children: [{ tag: 0x04, content: nestedDefinite(500) }] };
    expect(code(() => inspectTimestampToken(encode(ci)))).toBe('CMS_MALFORMED');
  });
});

describe('structures a verifier must refuse', () => {
  it('non-SignedData is CMS_UNSUPPORTED', () => {
    const ci = decode(der);
    ci.children![0] = { tag: 0x06, content: Buffer.from('2a864886f70d010701', 'hex') }; // id-data
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_UNSUPPORTED');
  });

  it('two SignerInfos are CMS_UNSUPPORTED; none is CMS_MALFORMED', () => {
    const ci = decode(der);
    const sd = signedDataOf(ci);
    const set = sd.children![sd.children!.length - 1]!;
    set.children!.push(clone(set.children![0]!));
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_UNSUPPORTED');
    set.children = [];
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_MALFORMED');
  });

  it('a duplicated message-digest attribute is CMS_MALFORMED', () => {
    const ci = decode(der);
    const attrs = at(signerInfoOf(ci), 3);
    const md = attrs.children!.find((a) => Buffer.from(encode(a.children![0]!)).toString('hex') === '06092a864886f70d010904')!;
    const other = clone(md);
    other.children![1]!.children![0]!.content = Buffer.alloc(32, 7);
    attrs.children!.push(other);
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_MALFORMED');
    // ... and a message-digest with two values as well
    attrs.children!.pop();
    md.children![1]!.children!.push({ tag: 0x04, content: Buffer.alloc(32, 7) });
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_MALFORMED');
  });

  it('two different certificates matching the signer identifier are CMS_MALFORMED', () => {
    const cms = inspectCms(der);
    const ci = decode(der);
    const sd = signedDataOf(ci);
    const certs = sd.children![3]!;
    const idx = certs.children!.findIndex((c) => encode(c).equals(Buffer.from(cms.signerCertificate!)));
    const twin = clone(certs.children![idx]!);
    const sig = twin.children![2]!;
    sig.content = Buffer.from(sig.content!);
    (sig.content as Buffer)[10] = (sig.content as Buffer)[10]! ^ 1; // same issuer and serial, different bytes (a forged twin)
    certs.children!.push(twin);
    expect(code(() => inspectCms(encode(ci)))).toBe('CMS_MALFORMED');
    // The very same certificate twice is harmless.
    certs.children!.pop();
    certs.children!.push(clone(certs.children![idx]!));
    expect(inspectCms(encode(ci)).signerCertificate).not.toBeNull();
  });

  it('content-type attribute different from eContentType is reported', () => {
    const ci = decode(der);
    at(signedDataOf(ci), 2).children![0] = { tag: 0x06, content: Buffer.from('2a864886f70d010702', 'hex') };
    const c = checkCmsSignature(inspectCms(encode(ci)), original.ranges);
    expect(c.problems.map((p) => p.code)).toContain('CONTENT_TYPE_MISMATCH');
    expect(c.ok).toBe(false);
  });

  it('MD5 is rejected even when the arithmetic holds', () => {
    const cms = inspectCms(der);
    const c = checkCmsSignature({ ...cms, digestAlgorithm: { oid: '1.2.840.113549.2.5', name: 'MD5' } }, original.ranges);
    expect(c).toMatchObject({ digestOk: false, signatureOk: false, ok: false });
    expect(c.problems.find((p) => p.code === 'MD5_DIGEST')?.severity).toBe('error');
  });

  it('an unknown signature algorithm is UNSUPPORTED_ALGORITHM, not an exception', () => {
    const cms = inspectCms(der);
    const c = checkCmsSignature({ ...cms, signatureAlgorithm: { oid: '1.2.3.4', name: '1.2.3.4', hash: null } }, original.ranges);
    expect(c.signatureOk).toBe(false);
    expect(c.problems.map((p) => p.code)).toContain('UNSUPPORTED_ALGORITHM');
  });

  it('an RSA algorithm with an EC key is KEY_ALGORITHM_MISMATCH', () => {
    const ec = inspectCms(load('phk-signed-twice-ecdsa-no-sig-type.pdf').cms);
    const c = checkCmsSignature({ ...ec, signatureAlgorithm: { oid: '1.2.840.113549.1.1.12', name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' } }, load('phk-signed-twice-ecdsa-no-sig-type.pdf').ranges);
    expect(c.signatureOk).toBe(false);
    expect(c.problems.map((p) => p.code)).toContain('KEY_ALGORITHM_MISMATCH');
  });
});

describe('structural variants that must still verify', () => {
  it('sid by subjectKeyIdentifier (the sid is not signed, so the signature stands)', () => {
    const cms = inspectCms(der);
    const ext = new x509.X509Certificate(Buffer.from(cms.signerCertificate!)).getExtension(x509.SubjectKeyIdentifierExtension);
    const keyId = Buffer.from(ext!.keyId, 'hex');
    const ci = decode(der);
    const si = signerInfoOf(ci);
    si.children![0] = { tag: 0x02, content: Buffer.from([3]) };
    si.children![1] = { tag: 0x80, content: keyId };
    const v = inspectCms(encode(ci));
    expect(v.signerIdentifier.kind).toBe('subjectKeyIdentifier');
    expect(Buffer.from(v.signerCertificate!).equals(Buffer.from(cms.signerCertificate!))).toBe(true);
    expect(checkCmsSignature(v, original.ranges).ok).toBe(true);
  });

  it('BER: indefinite lengths everywhere but in the signed attributes still verify', () => {
    const ci = decode(der);
    const mark = (t: T, skip: T): void => {
      if (!t.children || t === skip) return;
      t.indefinite = true;
      t.children.forEach((c) => mark(c, skip));
    };
    mark(ci, at(signerInfoOf(ci), 3));
    const ber = encode(ci);
    expect(ber.subarray(0, 2).toString('hex')).toBe('3080');
    const v = inspectCms(Buffer.concat([ber, Buffer.alloc(300)]));
    const c = checkCmsSignature(v, original.ranges);
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);
    expect(v.certificates.map((x) => Buffer.from(x).subarray(0, 2).toString('hex'))).toContain('3080');
  });

  it('signed attributes with an indefinite length: verified over a rebuilt DER header, with a warning', () => {
    const ci = decode(der);
    at(signerInfoOf(ci), 3).indefinite = true;
    const v = inspectCms(encode(ci));
    expect(v.signedAttributes!.reencoded).toBe(true);
    const c = checkCmsSignature(v, original.ranges);
    expect(c.signatureOk).toBe(true);
    expect(c.problems.map((p) => p.code)).toEqual(['SIGNED_ATTRS_NOT_DER']);
  });

  it('SignedData.crls: CRLs and OCSP responses (other revocation info format) reported separately; Adobe archival read', () => {
    const a = load('dss-annotation-and-visible-change.pdf');
    const base = trimmed(a.cms);
    const cms0 = inspectCms(base);
    expect(cms0.revocationInfoArchival!.ocspResponses).toHaveLength(2);
    const ocsp = Buffer.from(cms0.revocationInfoArchival!.ocspResponses[0]!);
    expect(ocsp[0]).toBe(0x30);
    const ci = decode(base);
    const sd = signedDataOf(ci);
    const crl: T = { tag: 0x30, children: [{ tag: 0x30, children: [{ tag: 0x02, content: Buffer.from([1]) }] }] };
    const other: T = { tag: 0xa1, children: [{ tag: 0x06, content: Buffer.from('2b06010505071002', 'hex') }, decode(ocsp)] };
    sd.children!.splice(4, 0, { tag: 0xa1, children: [crl, other] });
    const v = inspectCms(encode(ci));
    expect(v.crls.map((x) => Buffer.from(x).toString('hex'))).toEqual([encode(crl).toString('hex')]);
    expect(v.ocspResponses.map((x) => Buffer.from(x).equals(ocsp))).toEqual([true]);
    expect(checkCmsSignature(v, a.ranges).ok).toBe(true);
  });

  it('constructed (BER) OCTET STRINGs for the signature value and message digest', () => {
    const ci = decode(der);
    const si = signerInfoOf(ci);
    const sv = si.children![5]!;
    const half = Math.floor(sv.content!.length / 2);
    si.children![5] = { tag: 0x24, children: [{ tag: 0x04, content: sv.content!.subarray(0, half) }, { tag: 0x04, content: sv.content!.subarray(half) }] };
    const v = inspectCms(encode(ci));
    expect(Buffer.from(v.signatureValue).equals(Buffer.from(sv.content!))).toBe(true);
    expect(checkCmsSignature(v, original.ranges).ok).toBe(true);
  });
});

describe('fuzz: mutated CMS blobs only ever throw KysoError', () => {
  const seeds = [
    der,
    trimmed(load('phk-signed-twice-ecdsa-no-sig-type.pdf').cms),
    load('dss-doc-firmado-T.pdf').cms.subarray(0, 13312), // BER, with its padding
    trimmed(load('phk-sig-no-signed-attrs.pdf').cms),
  ];
  const ranges = original.ranges;

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('cut' as const), pos: fc.nat(), byte: fc.constant(0) }),
    fc.record({ kind: fc.constant('insert' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('len' as const), pos: fc.nat(), byte: fc.constantFrom(0x80, 0x81, 0x84, 0x7f, 0xff, 0x00) }),
  );

  function mutate(seed: Buffer, ms: { kind: string; pos: number; byte: number }[]): Buffer {
    let b = Buffer.from(seed);
    for (const m of ms) {
      const p = m.pos % Math.max(1, b.length);
      if (m.kind === 'set' || m.kind === 'len') b[p] = m.byte;
      else if (m.kind === 'cut') b = b.subarray(0, p);
      else b = Buffer.concat([b.subarray(0, p), Buffer.from([m.byte]), b.subarray(p)]);
    }
    return b;
  }

  it('inspect + check + timestamp tokens', () => {
    let parsed = 0;
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (si, ms) => {
        const blob = mutate(seeds[si]!, ms);
        try {
          const cms = inspectCms(blob);
          parsed++;
          const c = checkCmsSignature(cms, ranges);
          expect(typeof c.ok).toBe('boolean');
          checkCmsSignature(cms, null);
          for (const tok of cms.unsignedAttributes.signatureTimeStampTokens) {
            const ts = inspectTimestampToken(tok);
            checkTimestampImprint(ts, [cms.signatureValue]);
            checkCmsSignature(ts.cms, null);
          }
        } catch (e) {
          if (!(e instanceof KysoError)) throw e;
        }
      }),
      { numRuns: 400, seed: 20240601 },
    );
    // Most single-byte changes land in certificate or signature bytes: many blobs still parse.
    expect(parsed).toBeGreaterThan(20);
  });

  it('a mutated signed CMS never verifies over the original content (unless the mutation is outside what is signed)', () => {
    fc.assert(
      fc.property(fc.nat(), (pos) => {
        const b = Buffer.from(der);
        const cms0 = inspectCms(b);
        const sa = Buffer.from(cms0.signedAttributes!.der.subarray(1));
        const start = b.indexOf(sa);
        const p = start + (pos % sa.length);
        b[p] = b[p]! ^ 0x01;
        try {
          const cms = inspectCms(b);
          const c = checkCmsSignature(cms, ranges);
          expect(c.ok).toBe(false);
        } catch (e) {
          if (!(e instanceof KysoError)) throw e;
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

it('digest of the signed attributes is over the original bytes (sanity)', () => {
  const cms = inspectCms(der);
  const sa = cms.signedAttributes!.der;
  expect(sa[0]).toBe(0x31);
  expect(der.indexOf(Buffer.from(sa.subarray(1)))).toBeGreaterThan(0);
  expect(createHash('sha256').update(sa).digest().length).toBe(32);
});
