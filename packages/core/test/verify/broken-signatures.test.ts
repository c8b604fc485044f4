/**
 * Broken signatures are reported, never hidden. Each case starts from a file
 * we sign ourselves (the personal TEST identity, timestamped by the loopback
 * TEST TSA), breaks it the way a publishing tool, a cut download or a
 * careless editor does, and checks that verifyPdf still lists exactly one
 * signature row: who signed (from the CMS), when, and a specific finding
 * that says what happened and what to do. "Not signed" is only for a file
 * no signature field of which has a value (domain.md §7, "Re-saved after
 * signing").
 *
 * What we found before this file existed (verify-pdf at cc3ac15):
 * - re-saved whole by qpdf: already one row, but under BYTE_RANGE_OUTSIDE +
 *   BYTE_RANGE_GAP with no advice;
 * - cut short anywhere after the /Contents string: the signing update's
 *   cross-reference section and trailer are gone, so the reader opened the
 *   unsigned original revision (or threw PDF_XREF_BROKEN when the last
 *   startxref was cut inside its number) and the report said NOT_SIGNED with
 *   zero signatures; the bytes of the cut update were not even reported as
 *   trailing bytes;
 * - a /Contents with a non-hex character: the signature dictionary did not
 *   parse, so verifyPdf threw PDF_MALFORMED and reported nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, signPdf, SoftwareSigner, TrustStore, tsaTimestamper, verifyPdf, type SignatureReport, type VerificationReport } from '../../src/index.js';
import { IncrementalWriter, PdfDict, PdfReader, PdfRef, PdfString, type PdfObject } from '../../src/pdf/index.js';
import { startTestServices, type TestPki, type TestServices } from '../../src/testing/index.js';
import { makePdfLibPdf, tempDir, testPki } from '../helpers/fixtures.js';

let pki: TestPki;
let services: TestServices;
let store: TrustStore;
/** Signed once, B-T, with a visible-less field "Signature1". */
let signed: Buffer;
/** The report of `signed` before anything is broken. */
let good: SignatureReport;
let byteRange: [number, number, number, number];
const dir = tempDir('kyso-broken-');

const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store });
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const codes = (s: SignatureReport): string[] => s.findings.map((f) => f.code);

beforeAll(async () => {
  pki = await testPki();
  services = await startTestServices(pki);
  store = TrustStore.fromPem(pki.root.certPem);
  const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  signed = Buffer.from(await signPdf(await makePdfLibPdf(2), { signer, level: 'B-T', timestamper: tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 }), reason: 'Chứng thực bản sao' }));
  const r = await verify(signed);
  expect(r.verdict).toBe('valid');
  good = r.signatures[0]!;
  expect(good.timestamp?.integrity).toBe('ok');
  expect(good.signer?.commonName).toBeTruthy();
  byteRange = good.byteRange as [number, number, number, number];
});
afterAll(() => services?.close());

/** What every broken-signature case must show. */
function expectBrokenRow(r: VerificationReport, code: string, opts: { signer: boolean; field?: string; claimedTime?: boolean }): SignatureReport {
  expect(r.verdict).not.toBe('valid');
  expect(r.verdict).toBe('invalid');
  expect(r.findings.map((f) => f.code)).not.toContain('NOT_SIGNED');
  expect(r.signatures).toHaveLength(1);
  const s = r.signatures[0]!;
  expect(s.index).toBe(1);
  expect(s.integrity).toBe('broken');
  expect(s.format).toBe('malformed');
  expect(s.indication).toBe('TOTAL_FAILED');
  expect(codes(s)).toContain(code);
  if (opts.field !== undefined) expect(s.field).toBe(opts.field);
  const f = s.findings.find((x) => x.code === code)!;
  expect(f.severity).toBe('error');
  expect(f.message.length).toBeGreaterThan(20);
  expect(f.messageVi.length).toBeGreaterThan(20);
  if (opts.signer) {
    // Read from the CMS, which the break left intact.
    expect(s.signer?.commonName).toBe(good.signer!.commonName);
    expect(s.signer?.sha256).toBe(good.signer!.sha256);
    // kyso's CAdES carries no signing-time attribute: the claimed time is /M, written after /Contents.
    if (opts.claimedTime !== false) expect(s.claimedSigningTime).toBe(good.claimedSigningTime);
    expect(s.subFilter).toBe('ETSI.CAdES.detached');
  }
  return s;
}

/** The timestamp over the signature value needs no document bytes: it is still read and checked. */
function expectTimestampRead(s: SignatureReport): void {
  expect(s.timestamp).not.toBeNull();
  expect(s.timestamp!.time).toBe(good.timestamp!.time);
  expect(s.timestamp!.tsa).toBe(good.timestamp!.tsa);
  expect(s.timestamp!.integrity).toBe('ok');
  expect(s.signingTime).toBe(good.timestamp!.time);
}

function expectResavedAdvice(s: SignatureReport, code: string): void {
  const f = s.findings.find((x) => x.code === code)!;
  expect(f.message).toMatch(/changed or re-saved after signing/);
  expect(f.message).toMatch(/signed version is not in this file/);
  expect(f.message).toMatch(/Ask the sender for the original/);
  expect(f.messageVi).toMatch(/được lưu lại sau khi ký/);
  expect(f.messageVi).toMatch(/phiên bản đã ký không có trong tệp này/);
  expect(f.messageVi).toMatch(/Hãy đề nghị người gửi cung cấp tệp gốc đã ký/);
}

describe('(a) re-saved whole after signing (qpdf in.pdf out.pdf)', () => {
  let resaved: Buffer;
  let file: string;
  beforeAll(() => {
    const input = join(dir, 'signed.pdf');
    file = join(dir, 'resaved.pdf');
    writeFileSync(input, signed);
    execFileSync('qpdf', [input, file]);
    resaved = readFileSync(file);
  });

  it('qpdf made the file of §7: one %%EOF, clean to qpdf, the signature dictionary kept, /ByteRange past the end', () => {
    const text = latin1(resaved);
    expect(text.match(/%%EOF/g)).toHaveLength(1);
    expect(spawnSync('qpdf', ['--check', file]).status).toBe(0);
    expect(text).toContain('/ByteRange [');
    expect(byteRange[2] + byteRange[3]).toBeGreaterThan(resaved.length);
  });

  it('one broken row naming the signer, the claimed time and the timestamp, with the re-saved advice (BYTERANGE_OUT_OF_FILE)', async () => {
    const r = await verify(resaved);
    const s = expectBrokenRow(r, 'BYTERANGE_OUT_OF_FILE', { signer: true, field: 'Signature1' });
    expectTimestampRead(s);
    expectResavedAdvice(s, 'BYTERANGE_OUT_OF_FILE');
    // The ranges describe the signed file, not this one: no gap comparison on top.
    expect(codes(s)).not.toContain('CONTENTS_NOT_IN_GAP');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(s.byteRange).toEqual(byteRange);
    expect(s.revision).toBeNull();
    expect(s.chain.trusted).toBe(true);
    expect(s.reason).toBe('Chứng thực bản sao');
  });

  it('the text report shows the row: field, signer, time and the message, in both languages', async () => {
    const r = await verify(resaved);
    const en = renderReport(r, 'en');
    expect(en).toContain('Signature #1 «Signature1»: Invalid');
    expect(en).toContain(`Signer: ${good.signer!.commonName}`);
    expect(en).toMatch(/Signing time: .*\(timestamped\)/);
    expect(en).toMatch(/Timestamp: .*TSA/);
    expect(en).toMatch(/re-saved after signing/);
    const vi = renderReport(r, 'vi');
    expect(vi).toContain('Chữ ký #1 «Signature1»: Không hợp lệ');
    expect(vi).toContain(`Người ký: ${good.signer!.commonName}`);
    expect(vi).toMatch(/được lưu lại sau khi ký/);
    expect(vi).not.toMatch(/chưa được ký/);
  });

  it('poppler agrees that the file is signed', () => {
    // pdfsig -no-ocsp (poppler 22.12) on this file, exit 0:
    //   Signature #1:
    //     - Signature Field Name: Signature1
    //     - Signer Certificate Common Name: (null)
    //     - Signing Time: <the /M time>
    //     - Signing Hash Algorithm: unknown
    //     - Signature Type: ETSI.CAdES.detached
    //     - Signed Ranges: [0 - b], [c - c+d]
    //     - Not total document signed
    //     - Signature Validation: Signature has not yet been verified.
    //   Syntax Error (0): Illegal values in ByteRange array   (stderr)
    // It lists the signature, its field and /M, but names no signer and says
    // nothing of the re-save: it does not read a CMS whose ranges lie outside
    // the file. kyso names the signer and the timestamp, and says what to do.
    const r = spawnSync('pdfsig', ['-no-ocsp', file], { encoding: 'utf8' });
    const text = `${r.stdout}\n${r.stderr}`;
    expect(text).toMatch(/Signature #1:/);
    expect(text).toMatch(/Signature Field Name: Signature1/);
    expect(text).toMatch(/Illegal values in ByteRange array/);
    expect(text).not.toMatch(/Signature is Valid/);
  });
});

describe('(b) cut short after signing', () => {
  it('inside the second byte range, before the update\'s xref: one row with the field, BYTERANGE_OUT_OF_FILE, cut update reported', async () => {
    const xref = latin1(signed).lastIndexOf('\nxref');
    expect(xref).toBeGreaterThan(byteRange[2]);
    const cut = signed.subarray(0, xref);
    const r = await verify(cut);
    const s = expectBrokenRow(r, 'BYTERANGE_OUT_OF_FILE', { signer: true, field: 'Signature1' });
    expectTimestampRead(s);
    expectResavedAdvice(s, 'BYTERANGE_OUT_OF_FILE');
    expect(codes(s)).toContain('SIGNATURE_OUTSIDE_REVISIONS');
    // The reader sees only the unsigned original; the cut update belongs to no revision.
    expect(r.document.revisions).toBe(1);
    expect(r.modifications.map((m) => m.category)).toContain('trailing-bytes');
  });

  it('inside the last startxref number (the whole file no longer opens): the last whole revision is read, one row', async () => {
    const cut = signed.subarray(0, signed.length - 10);
    expect(() => PdfReader.open(cut)).toThrow();
    const r = await verify(cut);
    const s = expectBrokenRow(r, 'BYTERANGE_OUT_OF_FILE', { signer: true, field: 'Signature1' });
    expectTimestampRead(s);
    expect(r.document.revisions).toBe(1);
  });

  it('right after /Contents, the whole second range gone: one row, no field name left, the signer still named', async () => {
    const cut = signed.subarray(0, byteRange[2]);
    const r = await verify(cut);
    const s = expectBrokenRow(r, 'BYTERANGE_OUT_OF_FILE', { signer: true, claimedTime: false });
    expectTimestampRead(s);
    expect(s.claimedSigningTime).toBeNull(); // /M was in the lost range
    expect(codes(s)).toContain('SIGNATURE_OUTSIDE_REVISIONS');
    expect(s.field).toBe(''); // the widget that named it was in the lost range
    expect(renderReport(r, 'en')).toContain('Signature #1 «?»: Invalid');
  });

  it('inside /Contents: one row, the signature unreadable', async () => {
    const cut = signed.subarray(0, byteRange[1] + 200);
    const r = await verify(cut);
    const s = expectBrokenRow(r, 'BYTERANGE_OUT_OF_FILE', { signer: false });
    expect(codes(s)).toContain('SIGNATURE_UNREADABLE');
  });
});

describe('(c) /Contents damaged in place', () => {
  const contentsSpan = (): [number, number] => [byteRange[1] + 1, byteRange[2] - 1]; // inside < >

  it('non-hex characters: one row, SIGNATURE_UNREADABLE (the dictionary does not parse), no gap finding', async () => {
    const [from] = contentsSpan();
    const bad = Buffer.from(signed);
    bad.write('zzzz', from + 100, 'latin1');
    const r = await verify(bad);
    const s = expectBrokenRow(r, 'SIGNATURE_UNREADABLE', { signer: false, field: 'Signature1' });
    expect(s.findings.find((f) => f.code === 'SIGNATURE_UNREADABLE')?.cause).toBe('PDF_MALFORMED');
    expect(s.findings.find((f) => f.code === 'SIGNATURE_UNREADABLE')?.messageVi).toMatch(/Không đọc được giá trị chữ ký/);
    // The entries before and after /Contents were still read.
    expect(s.byteRange).toEqual(byteRange);
    expect(s.subFilter).toBe('ETSI.CAdES.detached');
    expect(codes(s)).not.toContain('CONTENTS_NOT_IN_GAP');
    expect(codes(s)).not.toContain('BYTERANGE_OUT_OF_FILE');
  });

  it('a garbage CMS of the same length (valid hex): one row, SIGNATURE_UNREADABLE (CMS_MALFORMED)', async () => {
    const [from, to] = contentsSpan();
    const bad = Buffer.from(signed);
    let x = 0x1234;
    for (let i = from; i < to; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      bad[i] = '0123456789abcdef'.charCodeAt(x % 16);
    }
    const r = await verify(bad);
    const s = expectBrokenRow(r, 'SIGNATURE_UNREADABLE', { signer: false, field: 'Signature1' });
    expect(s.findings.find((f) => f.code === 'SIGNATURE_UNREADABLE')?.cause).toBe('CMS_MALFORMED');
    expect(s.signer).toBeNull();
  });
});

describe('(d) the /ByteRange gap no longer matches /Contents', () => {
  it('three bytes inserted before the signature dictionary (an in-place edit): one row, CONTENTS_NOT_IN_GAP, the signer named', async () => {
    const at = latin1(signed).indexOf('\n') + 1; // after the %PDF- header line
    const edited = Buffer.concat([signed.subarray(0, at), Buffer.from('%x\n', 'latin1'), signed.subarray(at)]);
    const r = await verify(edited);
    const s = expectBrokenRow(r, 'CONTENTS_NOT_IN_GAP', { signer: true, field: 'Signature1' });
    expectTimestampRead(s);
    expectResavedAdvice(s, 'CONTENTS_NOT_IN_GAP');
    expect(codes(s)).not.toContain('BYTERANGE_OUT_OF_FILE');
  });
});

describe('(e) what is and is not "not signed"', () => {
  it('an unsigned document: verdict unsigned (not invalid), NOT_SIGNED, zero rows', async () => {
    const r = await verify(await makePdfLibPdf(1));
    expect(r.verdict).toBe('unsigned');
    expect(r.signatures).toHaveLength(0);
    expect(r.findings.map((f) => f.code)).toEqual(['NOT_SIGNED']);
  });

  it('a signature field whose /V names an object that is not a dictionary: still a row (malformed), not NOT_SIGNED', async () => {
    const reader = PdfReader.open(signed);
    const acroForm = reader.resolve(reader.catalog().get('AcroForm')) as PdfDict;
    const fieldRef = (reader.resolve(acroForm.get('Fields')) as PdfObject[])[0] as PdfRef;
    const field = reader.resolve(fieldRef) as PdfDict;
    const w = new IncrementalWriter(reader);
    const junk = w.add(PdfString.fromText('not a signature'));
    w.set(new PdfRef(fieldRef.num, reader.generationOf(fieldRef.num)), field.clone().set('V', junk));
    const pdf = Buffer.concat([signed, w.write().appended]);
    const r = await verify(pdf);
    expect(r.findings.map((f) => f.code)).not.toContain('NOT_SIGNED');
    // Two rows: the field's value now (malformed), and the signature it held before, which the update took away.
    expect(r.signatures).toHaveLength(2);
    const now = r.signatures.find((x) => codes(x).includes('SIGNATURE_UNREADABLE'))!;
    expect(now.format).toBe('malformed');
    expect(now.indication).toBe('TOTAL_FAILED');
    const before = r.signatures.find((x) => x !== now)!;
    expect(codes(before)).toContain('SIGNATURE_FIELD_REMOVED');
    expect(before.integrity).toBe('ok');
    expect(before.indication).toBe('TOTAL_FAILED');
    expect(r.modification).toBe('suspicious');
    expect(r.verdict).toBe('invalid');
  });
});

describe('(f) found, never trusted', () => {
  it('a copy of the signature dictionary appended after %%EOF is not a second row; the file is invalid', async () => {
    const text = latin1(signed);
    const start = text.lastIndexOf('\n', text.lastIndexOf(' obj', byteRange[1])) + 1;
    const end = text.indexOf('endobj', byteRange[2]) + 'endobj'.length;
    const pdf = Buffer.concat([signed, Buffer.from('\n', 'latin1'), signed.subarray(start, end), Buffer.from('\n', 'latin1')]);
    const r = await verify(pdf);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]!.integrity).toBe('ok');
    expect(r.verdict).toBe('invalid');
    expect(r.modifications.map((m) => m.category)).toContain('trailing-bytes');
  });

  it('a signature dictionary under a new number appended to an unsigned file: a malformed, failed row', async () => {
    const text = latin1(signed);
    const start = text.lastIndexOf('\n', text.lastIndexOf(' obj', byteRange[1])) + 1;
    const end = text.indexOf('endobj', byteRange[2]) + 'endobj'.length;
    const dict = latin1(signed.subarray(start, end)).replace(/^\d+ 0 obj/, '999 0 obj');
    const unsigned = await makePdfLibPdf(1);
    const r = await verify(Buffer.concat([unsigned, Buffer.from(dict, 'latin1')]));
    expect(r.verdict).toBe('invalid');
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0]!;
    expect(s.format).toBe('malformed');
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(codes(s)).toContain('SIGNATURE_OUTSIDE_REVISIONS');
  });
});
