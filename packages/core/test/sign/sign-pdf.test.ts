import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, signPdf, signPdfFile, type Signer } from '../../src/index.js';
import { PdfReader } from '../../src/pdf/index.js';
import { issueLeaf, type TestPki } from '../../src/testing/index.js';
import { mutoolVerify, opensslCmsVerify, pdfsig, qpdfCheck, scanSignatures } from '../helpers/external-tools.js';
import {
  caFile,
  CORPUS_BCY,
  CORPUS_VERIFY,
  encrypted,
  makeHybridPdf,
  makePdfLibPdf,
  nssDbForTestPki,
  tempDir,
  testPki,
  withObjectStreams,
} from '../helpers/fixtures.js';

let pki: TestPki;
let signer: Signer;
let nss: string;
let ca: string;
const work = tempDir('kyso-sign-');

beforeAll(async () => {
  pki = await testPki();
  signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  nss = await nssDbForTestPki();
  ca = await caFile();
});

function write(name: string, bytes: Uint8Array): string {
  const file = join(work, name);
  writeFileSync(file, bytes);
  return file;
}

/** What every signature we add must satisfy, judged by tools we did not write. */
function expectGoodSignature(input: Uint8Array, output: Uint8Array, file: string): void {
  // Incremental: the original bytes are untouched.
  expect(Buffer.compare(Buffer.from(output.subarray(0, input.length)), Buffer.from(input))).toBe(0);
  const sigs = pdfsig(file, nss);
  const last = sigs[sigs.length - 1]!;
  expect(last.signatureValid, last.signatureText).toBe(true);
  expect(last.certificateTrusted, last.certificateText).toBe(true);
  expect(last.totalDocumentSigned).toBe(true);
  expect(last.subFilter).toBe('ETSI.CAdES.detached');
  const q = qpdfCheck(file);
  expect(q.ok, q.text).toBe(true);
  const m = mutoolVerify(file);
  expect(m.text).toMatch(/The document is unchanged since signing\.\s*$/);
  const raw = scanSignatures(Buffer.from(output));
  const ours = raw[raw.length - 1]!;
  const v = opensslCmsVerify(Buffer.from(output), ours, ca);
  expect(v.ok, v.text).toBe(true);
}

describe('signPdf on PDFs of every cross-reference shape', () => {
  it('a fresh pdf-lib PDF (classic table)', async () => {
    const input = await makePdfLibPdf();
    const out = await signPdf(input, { signer, reason: 'Chứng thực bản sao điện tử', location: 'Bình Định' });
    expectGoodSignature(input, out, write('fresh.pdf', out));
    expect(Buffer.from(out.subarray(input.length)).toString('latin1')).toMatch(/^\s*\d+ 0 obj[\s\S]*\nxref\n/);
  });

  it('a PDF with cross-reference and object streams (qpdf), answered with a stream', async () => {
    const input = withObjectStreams(await makePdfLibPdf(3));
    expect(Buffer.from(input).toString('latin1')).toContain('/ObjStm');
    const out = await signPdf(input, { signer });
    expectGoodSignature(input, out, write('objstm.pdf', out));
    const appended = Buffer.from(out.subarray(input.length)).toString('latin1');
    expect(appended).toMatch(/\/Type\s*\/XRef/);
    expect(appended).not.toMatch(/\nxref\n/);
  });

  it('a hybrid-reference PDF', async () => {
    const input = makeHybridPdf();
    const before = qpdfCheck(write('hybrid-in.pdf', input));
    expect(before.ok, before.text).toBe(true);
    const out = await signPdf(input, { signer });
    expectGoodSignature(input, out, write('hybrid.pdf', out));
  });

  it('a PDF with several earlier incremental updates', async () => {
    let pdf = await makePdfLibPdf();
    // Three earlier updates, each adding a signature by a different TEST signer
    // (pdfsig 22.12 cannot re-validate one certificate twice in a run: it
    // reports "Unknown issue" for the repeats, also on files pdfsig signed itself).
    for (let i = 0; i < 3; i++) {
      const leaf = await issueLeaf(pki, { kind: 'personal', subject: `C=VN, O=UBND tỉnh Bình Định, CN=Cán bộ số ${i + 1}` });
      pdf = await signPdf(pdf, { signer: SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: pki.chainPem }) });
    }
    expect(PdfReader.open(pdf).revisions.length).toBe(4);
    const out = await signPdf(pdf, { signer });
    expectGoodSignature(pdf, out, write('multi.pdf', out));
    const sigs = pdfsig(join(work, 'multi.pdf'), nss);
    expect(sigs).toHaveLength(4);
    expect(sigs.every((s) => s.signatureValid)).toBe(true);
  });

  it('the same file signed three times with three different certificates', async () => {
    const others = await Promise.all([
      issueLeaf(pki, { kind: 'personal', key: 'p256', subject: 'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, OU=Sở Tư pháp, CN=Trần Thị Bình' }),
      issueLeaf(pki, { kind: 'organisation', key: 'rsa3072', subject: 'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=UBND phường Quy Nhơn (TEST), UID=MST:0100000001' }),
    ]);
    const signers: Signer[] = [
      signer,
      ...others.map((e) => SoftwareSigner.fromPem({ key: e.keyPem, cert: e.certPem, chain: pki.chainPem })),
    ];
    let pdf = await makePdfLibPdf();
    for (const s of signers) pdf = await signPdf(pdf, { signer: s });
    const file = write('three.pdf', pdf);
    const sigs = pdfsig(file, nss);
    expect(sigs).toHaveLength(3);
    for (const s of sigs) {
      expect(s.signatureValid, s.signatureText).toBe(true);
      expect(s.certificateTrusted, s.certificateText).toBe(true);
    }
    expect(new Set(sigs.map((s) => s.commonName)).size).toBe(3);
    expect(new Set(sigs.map((s) => s.field)).size).toBe(3);
  });

  it('RSA-PSS and SHA-384/512 digests', async () => {
    const pss = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }, { scheme: 'RSA-PSS' });
    const input = await makePdfLibPdf();
    let pdf = await signPdf(input, { signer: pss });
    pdf = await signPdf(pdf, { signer, digest: 'SHA-384' });
    pdf = await signPdf(pdf, { signer, digest: 'SHA-512' });
    const file = write('algs.pdf', pdf);
    const sigs = pdfsig(file, nss);
    expect(sigs.map((s) => s.signatureValid)).toEqual([true, true, true]);
    for (const raw of scanSignatures(Buffer.from(pdf))) expect(opensslCmsVerify(Buffer.from(pdf), raw, ca).ok).toBe(true);
  });
});

describe('signing third-party signed files keeps their signatures intact', () => {
  const files = [
    ...readdirSync(CORPUS_VERIFY).filter((f) => f.endsWith('.pdf')).map((f) => join(CORPUS_VERIFY, f)),
    ...readdirSync(CORPUS_BCY).filter((f) => f.endsWith('.pdf')).map((f) => join(CORPUS_BCY, f)),
  ];
  it.each(files)('%s', async (path) => {
    const input = readFileSync(path);
    const before = pdfsig(path, nss);
    let out: Uint8Array;
    try {
      out = await signPdf(input, { signer });
    } catch (e) {
      // Only a certification or a field lock (Adobe Sign's /P 1) that forbids every change may refuse a new signature.
      expect(e).toBeInstanceOf(KysoError);
      expect((e as KysoError).code).toBe('SIGN_NOT_PERMITTED');
      expect(path).toMatch(/no-change-permitted|certified-indirect-refs|dss-annotation-and-visible-change/);
      return;
    }
    const file = write(`corpus-${path.split('/').pop()}`, out);
    const after = pdfsig(file, nss);
    expect(after).toHaveLength(before.length + 1);
    // Earlier signatures keep their verdict: valid stays valid, broken stays broken.
    before.forEach((b, i) => expect(after[i]!.signatureValid, `signature #${i + 1}: ${b.signatureText} -> ${after[i]!.signatureText}`).toBe(b.signatureValid));
    const last = after[after.length - 1]!;
    expect(last.signatureValid, last.signatureText).toBe(true);
    expect(last.certificateTrusted).toBe(true);
    expect(last.totalDocumentSigned).toBe(true);
    const raw = scanSignatures(Buffer.from(out));
    expect(opensslCmsVerify(Buffer.from(out), raw[raw.length - 1]!, ca).ok).toBe(true);
  });
});

describe('bad input gets a typed error and no output file', () => {
  const cases: [string, () => Promise<Uint8Array> | Uint8Array, string][] = [
    ['empty file', () => new Uint8Array(0), 'PDF_EMPTY'],
    ['not a PDF', () => Buffer.from('GIF89a this is not a pdf at all'), 'PDF_NOT_PDF'],
    ['truncated PDF', async () => (await makePdfLibPdf()).subarray(0, 900), 'PDF_TRUNCATED'],
    [
      'startxref past the end of the file',
      async () => {
        const b = Buffer.from(await makePdfLibPdf());
        const at = b.lastIndexOf('startxref');
        return Buffer.concat([b.subarray(0, at), Buffer.from('startxref\n99999999\n%%EOF\n')]);
      },
      'PDF_TRUNCATED',
    ],
    [
      'startxref that is not a number',
      async () => {
        const b = Buffer.from(await makePdfLibPdf());
        const at = b.lastIndexOf('startxref');
        return Buffer.concat([b.subarray(0, at), Buffer.from('startxref\nabc\n%%EOF\n')]);
      },
      'PDF_XREF_BROKEN',
    ],
    [
      'xref pointing at garbage',
      async () => {
        const b = Buffer.from(await makePdfLibPdf());
        const at = b.lastIndexOf('xref\n0 ');
        b.write('yref', at, 'latin1');
        return b;
      },
      'PDF_XREF_BROKEN',
    ],
    ['PDF encrypted with a user password, none given', async () => encrypted(await makePdfLibPdf(), 'user-pw'), 'PDF_PASSWORD_REQUIRED'],
  ];
  it.each(cases)('%s', async (_name, make, code) => {
    const input = write(`bad-${code}.pdf`, await make());
    const output = join(work, `bad-${code}-out.pdf`);
    const err = await signPdfFile(input, output, { signer }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe(code);
    expect((err as KysoError).message.length).toBeGreaterThan(10);
    expect((err as KysoError).messageVi.length).toBeGreaterThan(10);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
