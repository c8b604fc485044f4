/**
 * inspectCms / checkCmsSignature / timestamp tokens against the third-party
 * corpus: every signature whose manifest integrity is "ok" must verify over
 * its ByteRange, every "broken" one must not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCmsSignature, checkTimestampImprint, inspectCms, inspectTimestampToken } from '../../src/cms/inspect/index.js';
import type { CmsInspection } from '../../src/cms/inspect/index.js';
import { hasTool, opensslCmsVerify } from '../helpers/external-tools.js';
import { rangesOf, readPdf, scanPdfSignatures, type ScannedSignature } from './pdf-signatures.js';

const CORPUS = '/work/shared/corpus';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const ID_DATA = '1.2.840.113549.1.7.1';

interface Entry {
  file: string;
  signatures: number;
  expect: { integrity: ('ok' | 'broken')[]; kinds?: ('signature' | 'timestamp')[] };
}

function manifest(dir: string): (Entry & { dir: string })[] {
  return (JSON.parse(readFileSync(join(CORPUS, dir, 'manifest.json'), 'utf8')) as Entry[]).map((e) => ({ ...e, dir }));
}

const entries = [...manifest('verify'), ...manifest('real-bcy')];

function signaturesOf(file: string, pdf: Buffer): ScannedSignature[] {
  const sigs = scanPdfSignatures(pdf);
  // dss-siwa.pdf (signature wrapping) also carries, inside the moved signed bytes, a stale
  // copy of the original /ByteRange naming the same /Contents: only the live dictionary counts.
  if (file === 'dss-siwa.pdf') return sigs.filter((s) => s.byteRange.join(' ') === '0 1633 23028 2437');
  return sigs;
}

interface Outcome {
  kind: 'signature' | 'timestamp';
  integrityOk: boolean;
  cms: CmsInspection;
  detail: string;
}

/** What the manifest calls integrity, computed with the API under test. */
function integrity(pdf: Buffer, s: ScannedSignature): Outcome {
  const ranges = rangesOf(pdf, s);
  const cms = inspectCms(s.contents);
  if (cms.eContentType === TST_INFO) {
    const ts = inspectTimestampToken(s.contents);
    const imprint = checkTimestampImprint(ts, ranges);
    const c = checkCmsSignature(ts.cms, null);
    return { kind: 'timestamp', integrityOk: imprint && c.digestOk && c.signatureOk, cms, detail: `imprint=${imprint} ${JSON.stringify(c.problems.map((p) => p.code))}` };
  }
  if (cms.eContent !== null && cms.eContentType === ID_DATA) {
    // adbe.pkcs7.sha1: the signed content is the SHA-1 of the ranges.
    const sha1 = createHash('sha1');
    for (const r of ranges) sha1.update(r);
    const same = Buffer.from(cms.eContent).equals(sha1.digest());
    const c = checkCmsSignature(cms, null);
    return { kind: 'signature', integrityOk: same && c.digestOk && c.signatureOk, cms, detail: `eContent=sha1:${same}` };
  }
  const c = checkCmsSignature(cms, ranges);
  return { kind: 'signature', integrityOk: c.digestOk && c.signatureOk, cms, detail: JSON.stringify(c.problems.map((p) => p.code)) };
}

describe('corpus: integrity as the manifests state it', () => {
  for (const e of entries) {
    it(`${e.dir}/${e.file}`, () => {
      const pdf = readPdf(join(CORPUS, e.dir, e.file));
      const sigs = signaturesOf(e.file, pdf);
      expect(sigs.length).toBe(e.signatures);
      sigs.forEach((s, i) => {
        const want = e.expect.integrity[i];
        const o = integrity(pdf, s);
        expect(o.integrityOk, `${e.file} #${i}: ${o.detail}`).toBe(want === 'ok');
        if (e.expect.kinds) expect(o.kind).toBe(e.expect.kinds[i]);
        // Embedded signature timestamps must parse, verify and cover the signature value.
        for (const tok of o.cms.unsignedAttributes.signatureTimeStampTokens) {
          const ts = inspectTimestampToken(tok);
          expect(checkTimestampImprint(ts, [o.cms.signatureValue])).toBe(true);
          const c = checkCmsSignature(ts.cms, null);
          expect(c.digestOk && c.signatureOk, JSON.stringify(c.problems)).toBe(true);
        }
      });
    });
  }
});

function only(file: string, dir = 'verify'): { pdf: Buffer; sigs: ScannedSignature[] } {
  const pdf = readPdf(join(CORPUS, dir, file));
  return { pdf, sigs: signaturesOf(file, pdf) };
}

describe('corpus: specific shapes', () => {
  it('dss-doc-firmado-T.pdf: BER CMS, B-T with a signature timestamp over the signature value', () => {
    const { pdf, sigs } = only('dss-doc-firmado-T.pdf');
    const s = sigs[0]!;
    expect(s.contents.subarray(0, 2).toString('hex')).toBe('3080'); // indefinite length outer element
    const cms = inspectCms(s.contents);
    expect(cms.digestAlgorithm).toEqual({ oid: '2.16.840.1.101.3.4.2.1', name: 'SHA-256' });
    expect(cms.signatureAlgorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(cms.signedAttributes!.der[0]).toBe(0x31);
    expect(cms.signedAttributes!.oids).toEqual(expect.arrayContaining(['1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4', '1.2.840.113549.1.9.16.2.47']));
    expect(cms.signedAttributes!.signingCertificate).toMatchObject({ version: 2, hashAlgorithm: 'SHA-256' });
    const c = checkCmsSignature(cms, rangesOf(pdf, s));
    expect(c).toMatchObject({ digestOk: true, signatureOk: true, essOk: true, ok: true });
    expect(Buffer.from(c.computedDigest).equals(Buffer.from(cms.signedAttributes!.messageDigest!))).toBe(true);
    expect(cms.unsignedAttributes.signatureTimeStampTokens).toHaveLength(1);
    const ts = inspectTimestampToken(cms.unsignedAttributes.signatureTimeStampTokens[0]!);
    expect(ts.messageImprint.algorithm).toBe('SHA-256');
    expect(Buffer.from(ts.messageImprint.hash).equals(createHash('sha256').update(cms.signatureValue).digest())).toBe(true);
    expect(ts.genTime.getTime()).toBeGreaterThan(Date.UTC(2010, 0, 1));
    const tc = checkCmsSignature(ts.cms, null);
    expect(tc.ok, JSON.stringify(tc.problems)).toBe(true);
    // The signer certificate is the one the sid names; node's X509 agrees it is a certificate.
    expect(new X509Certificate(Buffer.from(cms.signerCertificate!)).subject).toMatch(/CN=/);
  });

  it('dss-pkcs7-sha1.pdf: adbe.pkcs7.sha1 encapsulates the SHA-1 of the ranges; no signed attributes', () => {
    const { pdf, sigs } = only('dss-pkcs7-sha1.pdf');
    const s = sigs[0]!;
    const cms = inspectCms(s.contents);
    expect(cms.eContentType).toBe(ID_DATA);
    expect(cms.signedAttributes).toBeNull();
    const sha1 = createHash('sha1');
    for (const r of rangesOf(pdf, s)) sha1.update(r);
    expect(Buffer.from(cms.eContent!).equals(sha1.digest())).toBe(true);
    const c = checkCmsSignature(cms, null);
    expect(c.digestOk && c.signatureOk).toBe(true);
    expect(c.problems.map((p) => p.code)).toContain('SHA1_DIGEST');
    expect(c.problems.find((p) => p.code === 'SHA1_DIGEST')!.severity).toBe('warning');
  });

  it('dss-plain-ecdsa-baseline-b.pdf: BSI plain ECDSA (r||s)', () => {
    const { pdf, sigs } = only('dss-plain-ecdsa-baseline-b.pdf');
    const cms = inspectCms(sigs[0]!.contents);
    expect(cms.signatureAlgorithm.oid).toMatch(/^0\.4\.0\.127\.0\.7\.1\.1\.4\.1\./);
    expect(cms.signatureAlgorithm.name).toBe('ECDSA-plain');
    // r||s, each as long as the curve order (not a DER SEQUENCE of two INTEGERs)
    const curve = new X509Certificate(Buffer.from(cms.signerCertificate!)).publicKey.asymmetricKeyDetails?.namedCurve;
    expect(cms.signatureValue.length).toBe({ prime256v1: 64, brainpoolP256r1: 64, secp384r1: 96, brainpoolP384r1: 96, secp521r1: 132, brainpoolP512r1: 128 }[curve as string] ?? -1);
    const c = checkCmsSignature(cms, rangesOf(pdf, sigs[0]!));
    expect(c.ok, JSON.stringify(c.problems)).toBe(true);
  });

  it('phk-signed-twice-ecdsa-no-sig-type.pdf: ECDSA P-384 (DER signature), both signatures', () => {
    const { pdf, sigs } = only('phk-signed-twice-ecdsa-no-sig-type.pdf');
    expect(sigs).toHaveLength(2);
    for (const s of sigs) {
      const cms = inspectCms(s.contents);
      expect(cms.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: 'SHA-384' });
      const key = new X509Certificate(Buffer.from(cms.signerCertificate!)).publicKey;
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
      const c = checkCmsSignature(cms, rangesOf(pdf, s));
      expect(c.ok, JSON.stringify(c.problems)).toBe(true);
    }
  });

  it('phk-sig-no-signed-attrs.pdf: signature over the content itself', () => {
    const { pdf, sigs } = only('phk-sig-no-signed-attrs.pdf');
    const cms = inspectCms(sigs[0]!.contents);
    expect(cms.signedAttributes).toBeNull();
    expect(cms.eContent).toBeNull();
    const ranges = rangesOf(pdf, sigs[0]!);
    const c = checkCmsSignature(cms, ranges);
    expect(c).toMatchObject({ digestOk: true, signatureOk: true, essOk: null });
    const h = createHash('sha256');
    for (const r of ranges) h.update(r);
    expect(Buffer.from(c.computedDigest).equals(h.digest())).toBe(true);
    // Tampered content: both fail (the signature is the only digest check here).
    const bad = Buffer.from(ranges[1]!);
    bad[10] = bad[10]! ^ 1;
    expect(checkCmsSignature(cms, [ranges[0]!, bad])).toMatchObject({ digestOk: false, signatureOk: false });
  });

  it('dss-doc-firmado-LTA.pdf / dss-certipost-extended-LTA.pdf: document timestamps', () => {
    for (const [file, n] of [['dss-doc-firmado-LTA.pdf', 1], ['dss-certipost-extended-LTA.pdf', 2]] as const) {
      const { pdf, sigs } = only(file);
      const stamps = sigs.filter((s) => inspectCms(s.contents).eContentType === TST_INFO);
      expect(stamps).toHaveLength(n);
      for (const s of stamps) {
        const ts = inspectTimestampToken(s.contents);
        expect(checkTimestampImprint(ts, rangesOf(pdf, s))).toBe(true);
        expect(checkCmsSignature(ts.cms, null).ok).toBe(true);
        expect(ts.policy).toMatch(/^\d+(\.\d+)+$/);
        expect(ts.serialNumber).toMatch(/^[0-9a-f]+$/);
        // One byte off in the stamped data: the imprint no longer matches.
        const r = rangesOf(pdf, s);
        const bad = Buffer.from(r[0]!);
        bad[100] = bad[100]! ^ 0x20;
        expect(checkTimestampImprint(ts, [bad, ...r.slice(1)])).toBe(false);
      }
    }
  });

  it('real BCY files: signer certificate found, SHA-256 RSA, BCY timestamp policy', () => {
    const policies = new Set<string>();
    for (const file of ['sd-1039-ttg.pdf', 'vnlaw-47-cp.pdf', 'vz-srcA-01-g1.pdf', 'vz-40-5sigs.pdf']) {
      const { pdf, sigs } = only(file, 'real-bcy');
      for (const s of sigs) {
        const cms = inspectCms(s.contents);
        expect(cms.signerCertificate).not.toBeNull();
        expect(cms.digestAlgorithm.name).toBe('SHA-256');
        expect(checkCmsSignature(cms, rangesOf(pdf, s)).ok).toBe(true);
        for (const tok of cms.unsignedAttributes.signatureTimeStampTokens) policies.add(inspectTimestampToken(tok).policy);
      }
    }
    expect([...policies]).toContain('2.16.704.1.1.1.2');
  });
});

describe('tampering', () => {
  const { pdf, sigs } = only('dss-signed-original.pdf');
  const s = sigs[0]!;
  const cms = inspectCms(s.contents);
  const ranges = rangesOf(pdf, s);

  it('a byte flipped in the content -> digestOk false, signature still valid', () => {
    const bad = Buffer.from(ranges[0]!);
    bad[500] = bad[500]! ^ 1;
    const c = checkCmsSignature(cms, [bad, ranges[1]!]);
    expect(c).toMatchObject({ digestOk: false, signatureOk: true, ok: false });
    expect(c.problems.map((p) => p.code)).toContain('MESSAGE_DIGEST_MISMATCH');
    expect(c.problems[0]!.messageVi.length).toBeGreaterThan(0);
  });

  it('a byte flipped in the signature value -> signatureOk false', () => {
    const sv = new Uint8Array(cms.signatureValue);
    sv[sv.length - 5] = sv[sv.length - 5]! ^ 1;
    const c = checkCmsSignature({ ...cms, signatureValue: sv }, ranges);
    expect(c).toMatchObject({ digestOk: true, signatureOk: false, ok: false });
    expect(c.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
  });

  it('a byte flipped in the signed attributes (in the CMS bytes) -> signatureOk false', () => {
    const der = Buffer.from(s.contents);
    const at = der.indexOf(Buffer.from(cms.signedAttributes!.der.subarray(1)));
    expect(at).toBeGreaterThan(0);
    // Flip a byte of the ESS certHash (not structural): still parses, signature and ESS break.
    const h = der.indexOf(Buffer.from(cms.signedAttributes!.signingCertificate!.certHash), at);
    expect(h).toBeGreaterThan(at);
    der[h + 3] = der[h + 3]! ^ 0x01;
    const tampered = inspectCms(der);
    const c = checkCmsSignature(tampered, ranges);
    expect(c).toMatchObject({ digestOk: true, signatureOk: false, essOk: false });
  });

  it('a signer certificate swapped for another one in the CMS -> signature and ESS fail', () => {
    const other = cms.certificates.find((c) => !Buffer.from(c).equals(Buffer.from(cms.signerCertificate!)))!;
    const c = checkCmsSignature({ ...cms, signerCertificate: other }, ranges);
    expect(c.signatureOk).toBe(false);
    expect(c.essOk).toBe(false);
  });

  it('a missing signer certificate is a problem, not an exception', () => {
    const c = checkCmsSignature({ ...cms, signerCertificate: null }, ranges);
    expect(c).toMatchObject({ signatureOk: false, digestOk: true, essOk: false, ok: false });
    expect(c.problems.map((p) => p.code)).toContain('NO_SIGNER_CERTIFICATE');
  });

  it('detached CMS checked without content -> NO_CONTENT', () => {
    const c = checkCmsSignature(cms, null);
    expect(c.digestOk).toBe(false);
    expect(c.problems.map((p) => p.code)).toContain('NO_CONTENT');
  });
});

describe.runIf(hasTool('openssl'))('cross-check with openssl cms -verify -noverify', () => {
  for (const [file, dir] of [
    ['dss-plain-ecdsa-baseline-b.pdf', 'verify'],
    ['phk-signed-twice-ecdsa-no-sig-type.pdf', 'verify'],
    ['dss-signed-original.pdf', 'verify'],
    ['vz-srcA-01-g1.pdf', 'real-bcy'],
  ] as const) {
    it(file, () => {
      const { pdf, sigs } = only(file, dir);
      for (const s of sigs) {
        const o = integrity(pdf, s);
        if (s.byteRange.length !== 4) continue;
        const ssl = opensslCmsVerify(pdf, { byteRange: s.byteRange as [number, number, number, number], contents: s.contents });
        // openssl does not know BSI plain ECDSA: there only our verdict is available.
        if (o.cms.signatureAlgorithm.name === 'ECDSA-plain') expect(ssl.ok).toBe(false);
        else expect(ssl.ok, ssl.text).toBe(o.integrityOk);
      }
    });
  }
});
