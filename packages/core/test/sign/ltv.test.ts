import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, signPdf, signPdfFile, extendPdf, tsaTimestamper, TrustStore, verifyPdf, type Signer } from '../../src/index.js';
import { inspectCms } from '../../src/cms/index.js';
import { createNssDb, createTestPki, issueLeaf, startTestServices, type TestServices } from '../../src/testing/index.js';
import { pdfsig, scanSignatures } from '../helpers/external-tools.js';
import { makePdfLibPdf, tempDir } from '../helpers/fixtures.js';

let services: TestServices;
let signer: Signer;
let trust: TrustStore;
let nss: string;
let caFile: string;
let tsaFile: string;
const dir = tempDir('kyso-ltv-');

beforeAll(async () => {
  // The certificates' OCSP/CRL URLs point at these services.
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  const pki = services.pki;
  signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  trust = TrustStore.fromPem(pki.root.certPem);
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.root.certPem + pki.issuing.certPem);
  tsaFile = join(dir, 'tsa.pem');
  writeFileSync(tsaFile, pki.tsa.certPem);
});
afterAll(async () => {
  await services?.setMode('normal');
  await services?.close();
});

const tsa = (timeoutMs = 5000) => tsaTimestamper({ url: services.tsaUrl, timeoutMs });

function opensslTsVerify(token: Uint8Array, args: string[]): { ok: boolean; text: string } {
  const file = join(dir, `tok-${Math.random().toString(36).slice(2)}.der`);
  writeFileSync(file, token);
  const r = spawnSync('openssl', ['ts', '-verify', '-in', file, '-token_in', ...args, '-CAfile', caFile, '-untrusted', tsaFile], { encoding: 'utf8' });
  return { ok: r.status === 0 && /Verification: OK/.test(r.stdout), text: `openssl ts -verify: ${r.stdout}${r.stderr}` };
}

describe('PAdES levels', () => {
  it('B-T: the signature timestamp verifies with openssl ts and proves the signing time', async () => {
    const pdf = await signPdf(await makePdfLibPdf(), { signer, timestamper: tsa(), level: 'B-T' });
    const file = join(dir, 'bt.pdf');
    writeFileSync(file, pdf);
    const [sig] = pdfsig(file, nss);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    const cms = inspectCms(scanSignatures(Buffer.from(pdf))[0]!.contents);
    const token = cms.unsignedAttributes.signatureTimeStampTokens[0]!;
    const digest = createHash('sha256').update(cms.signatureValue).digest('hex');
    const v = opensslTsVerify(token, ['-digest', digest]);
    expect(v.ok, v.text).toBe(true);
    const report = await verifyPdf(pdf, { trustStore: trust });
    const s = report.signatures[0]!;
    expect(s.padesLevel).toBe('B-T');
    expect(s.indication).toBe('TOTAL_PASSED');
    expect(s.timestamp?.integrity).toBe('ok');
    expect(s.timestamp?.chain?.trusted).toBe(true);
  });

  it('B-LTA: DSS with revocation data and a document timestamp; valid offline with every service down', async () => {
    const pdf = await signPdf(await makePdfLibPdf(), { signer, timestamper: tsa(), level: 'B-LTA' });
    const file = join(dir, 'blta.pdf');
    writeFileSync(file, pdf);
    const sigs = pdfsig(file, nss);
    // pdfsig 22.12 lists the document timestamp but names its type "unknown".
    expect(sigs.map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached', 'unknown']);
    expect(sigs[0]!.signatureValid).toBe(true);
    // The document timestamp's token covers its byte ranges: openssl checks it over the same bytes.
    const raw = scanSignatures(Buffer.from(pdf));
    const ts = raw[raw.length - 1]!;
    const content = join(dir, 'lta-content.bin');
    const [a, b, c, d] = ts.byteRange;
    writeFileSync(content, Buffer.concat([Buffer.from(pdf).subarray(a, a + b), Buffer.from(pdf).subarray(c, c + d)]));
    const v = opensslTsVerify(ts.contents, ['-data', content]);
    expect(v.ok, v.text).toBe(true);

    await services.setMode('down');
    try {
      const report = await verifyPdf(pdf, { trustStore: trust });
      expect(report.verdict).toBe('valid');
      const s = report.signatures[0]!;
      expect(s.padesLevel).toBe('B-LTA');
      expect(s.indication).toBe('TOTAL_PASSED');
      expect(s.revocation).toMatchObject({ status: 'good', source: 'embedded' });
      expect(report.signatures[1]!.kind).toBe('timestamp');
      expect(report.modification).toBe('allowed');
    } finally {
      await services.setMode('normal');
    }
  });

  it('renews a B-LTA file with a new document timestamp', async () => {
    const once = await signPdf(await makePdfLibPdf(), { signer, timestamper: tsa(), level: 'B-LTA' });
    const twice = await extendPdf(once, { level: 'B-LTA', timestamper: tsa() });
    const report = await verifyPdf(twice, { trustStore: trust });
    expect(report.signatures.map((s) => s.kind)).toEqual(['signature', 'timestamp', 'timestamp']);
    expect(report.verdict).toBe('valid');
  });

  it('extends a PDF signed by another tool (poppler pdfsig) to B-LTA', async () => {
    const pki = services.pki;
    const p12 = join(dir, 'other.p12');
    const { createPkcs12 } = await import('../../src/testing/index.js');
    // poppler 22.12 signs with RSA keys only.
    const other = await issueLeaf(pki, { kind: 'organisation', key: 'rsa2048', name: 'poppler-signer', subject: 'C=VN, O=UBND tỉnh Bình Định, CN=Văn phòng (TEST)' });
    writeFileSync(p12, createPkcs12({ privateKey: other.privateKey, certificate: other.certDer, chain: [pki.issuing.certDer], password: 'x', profile: 'legacy', friendlyName: 'poppler-signer' }));
    const r1 = spawnSync('pk12util', ['-i', p12, '-d', `sql:${nss}`, '-W', 'x'], { encoding: 'utf8' });
    expect(r1.status, r1.stderr).toBe(0);
    const input = join(dir, 'plain.pdf');
    writeFileSync(input, await makePdfLibPdf());
    const signedByPoppler = join(dir, 'poppler.pdf');
    const nick = 'poppler-signer';
    const r2 = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, '-add-signature', '-nick', nick, input, signedByPoppler], { encoding: 'utf8' });
    expect(r2.status, r2.stderr).toBe(0);
    const extended = await extendPdf(readFileSync(signedByPoppler), { level: 'B-LTA', timestamper: tsa() });
    const report = await verifyPdf(extended, { trustStore: trust });
    expect(report.signatures[0]!.integrity).toBe('ok');
    expect(report.signatures[0]!.revocation.status, JSON.stringify([report.signatures[0]!.revocation, report.signatures[0]!.chain, report.signatures[0]!.findings])).toBe('good');
    expect(report.signatures[1]!.kind).toBe('timestamp');
    expect(report.modification, JSON.stringify(report.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('allowed');
  });
});

describe('revocation', () => {
  async function freshSigner(): Promise<{ signer: Signer; serial: string }> {
    const leaf = await issueLeaf(services.pki, { kind: 'personal', key: 'p256', subject: `C=VN, O=UBND tỉnh Bình Định, CN=Cán bộ ${Math.random().toString(36).slice(2, 7)}` });
    return { signer: SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: services.pki.chainPem }), serial: leaf.serialNumber };
  }

  it('revoked before the signature timestamp: TOTAL_FAILED / REVOKED', async () => {
    const { signer: s, serial } = await freshSigner();
    const bt = await signPdf(await makePdfLibPdf(), { signer: s, timestamper: tsa(), level: 'B-T' });
    services.revoke(serial, { at: new Date(Date.now() - 30 * 60_000), reason: 'keyCompromise' });
    const lt = await extendPdf(bt, { level: 'B-LT' });
    const r = (await verifyPdf(lt, { trustStore: trust })).signatures[0]!;
    expect(r.revocation.status).toBe('revoked');
    expect([r.indication, r.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
  });

  it('revoked after the signature timestamp: still valid', async () => {
    const { signer: s, serial } = await freshSigner();
    const bt = await signPdf(await makePdfLibPdf(), { signer: s, timestamper: tsa(), level: 'B-T' });
    await new Promise((ok) => setTimeout(ok, 1100));
    services.revoke(serial, { at: new Date(), reason: 'superseded' });
    const lt = await extendPdf(bt, { level: 'B-LT' });
    const r = (await verifyPdf(lt, { trustStore: trust })).signatures[0]!;
    expect(r.revocation.status).toBe('revoked');
    expect(r.indication).toBe('TOTAL_PASSED');
  });

  it('signer certificate expired since, but timestamped while valid with LT data: valid', async () => {
    const leaf = await issueLeaf(services.pki, { kind: 'personal', key: 'p256', subject: 'C=VN, CN=Cán bộ hết hạn', notBefore: new Date(Date.now() - 3_600_000), notAfter: new Date(Date.now() + 24 * 3_600_000) });
    const s = SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: services.pki.chainPem });
    const lt = await signPdf(await makePdfLibPdf(), { signer: s, timestamper: tsa(), level: 'B-LT' });
    const later = new Date(Date.now() + 3 * 24 * 3_600_000); // "today", after notAfter
    const r = await verifyPdf(lt, { trustStore: trust, at: later });
    expect(r.signatures[0]!.indication).toBe('TOTAL_PASSED');
    // Without the timestamp's proof the same certificate is out of bounds.
    const bb = await signPdf(await makePdfLibPdf(), { signer: s });
    expect((await verifyPdf(bb, { trustStore: trust, at: later })).signatures[0]!.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });
});

describe('failing services fail signing cleanly', () => {
  it.each(['down', 'slow', 'garbage'] as const)('TSA %s: typed error within the timeout, no output file', async (mode) => {
    await services.setMode(mode, { delayMs: 5_000 });
    try {
      const input = join(dir, `in-${mode}.pdf`);
      writeFileSync(input, await makePdfLibPdf());
      const output = join(dir, `out-${mode}.pdf`);
      const t0 = Date.now();
      const err = await signPdfFile(input, output, { signer, timestamper: tsa(1_500), level: 'B-T' }).catch((e: unknown) => e);
      expect(Date.now() - t0).toBeLessThan(4_000);
      expect(err).toBeInstanceOf(KysoError);
      expect(['TSA_UNAVAILABLE', 'TSA_FAILED', 'NETWORK_TIMEOUT']).toContain((err as KysoError).code);
      expect(existsSync(output)).toBe(false);
    } finally {
      await services.setMode('normal');
    }
  });

  it('OCSP and CRL down: B-LT fails with a typed error', async () => {
    const bt = await signPdf(await makePdfLibPdf(), { signer, timestamper: tsa(), level: 'B-T' });
    await services.setMode('down', { services: ['ocsp', 'crl'] } as never);
    try {
      const err = await extendPdf(bt, { level: 'B-LT', validation: { timeoutMs: 1_500 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KysoError);
    } finally {
      await services.setMode('normal');
    }
  });
});
