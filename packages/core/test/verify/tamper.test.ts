/**
 * Tampering with a signed PDF: each case starts from a document we make with
 * pdf-lib and sign with the TEST identity, changes it the way an attacker (or
 * a careless tool) would, and checks exact fields of the verification report
 * under a custom trust store holding the TEST root.
 *
 * The fixture is built so that single-byte edits keep the file parseable: its
 * page content stream is uncompressed and carries a PDF comment, and the image
 * XObject is a plain DeviceRGB stream.
 *
 * DocMDP (certification) cases live in test/diff/certification.test.ts.
 */
import { webcrypto } from 'node:crypto';
import { X509CertificateGenerator, type X509Certificate } from '@peculiar/x509';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf, type VerificationReport } from '../../src/index.js';
import { IncrementalWriter, PdfDict, PdfName, PdfReader, PdfRef, PdfStream, PdfString, type PdfObject } from '../../src/pdf/index.js';
import type { TestPki } from '../../src/testing/index.js';
import { testPki } from '../helpers/fixtures.js';

interface Fixture {
  /** The unsigned document (revision 0). */
  original: Uint8Array;
  /** `original` signed once with the personal TEST identity (revision 1). */
  signed: Uint8Array;
  byteRange: [number, number, number, number];
  fontNum: number;
  imageNum: number;
  contentNum: number;
  pageNum: number;
  sigNum: number;
}

const CONTENT_TEXT = 'So tien: 1.000.000 dong';
const CONTENT_COMMENT = '% kyso tamper fixture: content stream';

let pki: TestPki;
let store: TrustStore;
let fx: Fixture;

async function makeDocument(): Promise<Omit<Fixture, 'signed' | 'byteRange' | 'sigNum'>> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso tamper fixture');
  doc.setProducer('pdf-lib');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const ctx = doc.context;
  const pixels = new Uint8Array(8 * 8 * 3).fill(0x80);
  const image = ctx.register(
    ctx.stream(pixels, { Type: 'XObject', Subtype: 'Image', Width: 8, Height: 8, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }),
  );
  const page = doc.addPage([595, 842]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.setXObject(PDFName.of('Im1'), image);
  // Uncompressed on purpose, so single bytes of it can be changed in place.
  const content = ctx.register(
    ctx.stream(`${CONTENT_COMMENT}\nBT /F1 14 Tf 72 760 Td (${CONTENT_TEXT}) Tj ET\nq 64 0 0 64 72 600 cm /Im1 Do Q\n`),
  );
  page.node.set(PDFName.of('Contents'), content);
  return {
    original: await doc.save({ useObjectStreams: false }),
    fontNum: font.ref.objectNumber,
    imageNum: image.objectNumber,
    contentNum: content.objectNumber,
    pageNum: page.ref.objectNumber,
  };
}

const personalSigner = () => SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const organisationSigner = () =>
  SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });

const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store });
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** A copy of `pdf` with one byte replaced. */
function withByte(pdf: Uint8Array, offset: number, value: number): Uint8Array {
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(offset).toBeLessThan(pdf.length);
  expect(pdf[offset]).not.toBe(value);
  const out = new Uint8Array(pdf);
  out[offset] = value;
  return out;
}

/** A different character of the same class (digit → digit, hex → hex, other → other), so the file still parses. */
function sameClass(c: number): number {
  const ch = String.fromCharCode(c);
  if (/[0-8]/.test(ch)) return c + 1;
  if (ch === '9') return 0x30;
  if (/[a-e]/.test(ch)) return c + 1;
  if (ch === 'f') return 0x61;
  if (/[A-Y]/.test(ch)) return c + 1;
  return c ^ 0x01;
}

/** `base` plus one incremental update made with IncrementalWriter. */
function update(base: Uint8Array, edit: (w: IncrementalWriter, r: PdfReader, ref: (num: number) => PdfRef) => void): Uint8Array {
  const reader = PdfReader.open(base);
  const w = new IncrementalWriter(reader);
  edit(w, reader, (num) => new PdfRef(num, reader.generationOf(num)));
  const { appended } = w.write();
  const out = new Uint8Array(base.length + appended.length);
  out.set(base);
  out.set(appended, base.length);
  return out;
}

/** Rewrites the /ByteRange digits in place, padded to the same width. */
function patchByteRange(pdf: Uint8Array, values: number[]): Uint8Array {
  const text = latin1(pdf);
  const open = text.indexOf('/ByteRange [');
  expect(open).toBeGreaterThan(0);
  const start = open + '/ByteRange ['.length;
  const end = text.indexOf(']', start);
  const replacement = values.join(' ').padEnd(end - start, ' ');
  expect(replacement.length).toBe(end - start);
  const out = new Uint8Array(pdf);
  out.set(Buffer.from(replacement, 'latin1'), start);
  return out;
}

function expectHashFailure(report: VerificationReport): void {
  expect(report.verdict).toBe('invalid');
  expect(report.signatures).toHaveLength(1);
  const s = report.signatures[0]!;
  expect(s.format).toBe('ok');
  expect(s.integrity).toBe('broken');
  expect(s.indication).toBe('TOTAL_FAILED');
  expect(s.subIndication).toBe('HASH_FAILURE');
  expect(s.byteRange).toEqual(fx.byteRange);
  expect(s.findings.map((f) => f.code)).toContain('MESSAGE_DIGEST_MISMATCH');
}

/** A suspicious change after signing, with the signature's own bytes still intact. */
function expectSuspicious(report: VerificationReport): void {
  expect(report.verdict).toBe('invalid');
  expect(report.modification).toBe('suspicious');
  expect(report.document.revisions).toBe(3);
  const s = report.signatures[0]!;
  expect(s.format).toBe('ok');
  expect(s.integrity).toBe('ok');
  expect(s.revision).toBe(1);
  expect(s.coversWholeDocument).toBe(false);
  expect(s.modification).toBe('suspicious');
  // The bytes still verify, but what a viewer shows is not what was signed.
  expect(s.indication).toBe('TOTAL_FAILED');
  expect(s.subIndication).toBe('FORMAT_FAILURE');
}

function modsOf(report: VerificationReport): string[] {
  // Every update refreshes the second /ID element (structure.trailer-id): bookkeeping, left out here.
  return report.modifications.filter((m) => m.rule !== 'structure.trailer-id').map((m) => `${m.revision}:${m.object}:${m.change}:${m.verdict}:${m.category}`);
}

beforeAll(async () => {
  pki = await testPki();
  store = TrustStore.fromPem(pki.root.certPem);
  const doc = await makeDocument();
  const signed = await signPdf(doc.original, { signer: personalSigner(), reason: 'Chứng thực bản sao' });
  const report = await verify(signed);
  const br = report.signatures[0]?.byteRange;
  expect(br).toHaveLength(4);
  const reader = PdfReader.open(signed);
  const acroForm = reader.resolve(reader.catalog().get('AcroForm')) as PdfDict;
  const field = reader.resolve((reader.resolve(acroForm.get('Fields')) as PdfObject[])[0]) as PdfDict;
  const v = field.get('V');
  expect(v).toBeInstanceOf(PdfRef);
  fx = { ...doc, signed, byteRange: br as Fixture['byteRange'], sigNum: (v as PdfRef).num };
});

describe('baseline', () => {
  it('our signature verifies under the TEST root: TOTAL_PASSED, valid, no modification', async () => {
    const r = await verify(fx.signed);
    expect(r.verdict).toBe('valid');
    expect(r.policy).toBe('custom');
    expect(r.modification).toBe('none');
    expect(r.modifications).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.document).toMatchObject({ size: fx.signed.length, revisions: 2 });
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0]!;
    expect(s).toMatchObject({
      index: 1,
      field: 'Signature1',
      kind: 'signature',
      subFilter: 'ETSI.CAdES.detached',
      format: 'ok',
      integrity: 'ok',
      coversWholeDocument: true,
      signedLength: fx.signed.length,
      revision: 1,
      reason: 'Chứng thực bản sao',
      digestAlgorithm: 'SHA-256',
      padesLevel: 'B-B',
      modification: 'none',
      certification: null,
      indication: 'TOTAL_PASSED',
      subIndication: null,
    });
    expect(s.byteRange![0]).toBe(0);
    expect(s.byteRange![2]! + s.byteRange![3]!).toBe(fx.signed.length);
    expect(s.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(s.signer?.kind).toBe('personal');
    expect(s.chain.trusted).toBe(true);
    expect(s.chain.anchor).toContain('TEST Root CA');
    expect(s.findings).toEqual([]);
  });

  it('the same file under the default bcy policy: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await verifyPdf(fx.signed);
    expect(r.policy).toBe('bcy');
    expect(r.verdict).toBe('indeterminate');
    expect(r.modification).toBe('none');
    const s = r.signatures[0]!;
    expect(s.integrity).toBe('ok');
    expect(s.format).toBe('ok');
    expect(s.chain.trusted).toBe(false);
    expect(s.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(s.signer?.commonName).toBe('Nguyễn Văn Ánh');
  });
});

describe('a byte changed inside the signed byte ranges', () => {
  it('first range: a letter of the text in the page content stream', async () => {
    const at = latin1(fx.signed).indexOf(CONTENT_TEXT) + 3;
    expect(at).toBeLessThan(fx.byteRange[1]);
    const pdf = withByte(fx.signed, at, 'X'.charCodeAt(0));
    expect(() => PdfReader.open(pdf).catalog()).not.toThrow();
    expectHashFailure(await verify(pdf));
  });

  it('first range: a character of the comment inside the content stream', async () => {
    const at = latin1(fx.signed).indexOf(CONTENT_COMMENT) + 5;
    expectHashFailure(await verify(withByte(fx.signed, at, fx.signed[at]! ^ 0x01)));
  });

  it('first range: a byte of the binary comment after the %PDF header', async () => {
    const text = latin1(fx.signed);
    const at = text.indexOf('\n%', 0) + 2; // the second line: "%" + four bytes ≥ 128
    expect(fx.signed[at]).toBeGreaterThanOrEqual(0x80);
    expectHashFailure(await verify(withByte(fx.signed, at, fx.signed[at]! ^ 0x01)));
  });

  it('first range, xref region: the end-of-line of an xref entry of revision 0 ("n \\n" → "n\\r\\n")', async () => {
    const text = latin1(fx.signed);
    const xref = text.indexOf('\nxref\n') + 1;
    expect(xref).toBeGreaterThan(0);
    expect(xref).toBeLessThan(fx.byteRange[1]);
    const at = text.indexOf(' n \n', xref) + 2;
    expect(at).toBeLessThan(fx.byteRange[1]);
    const pdf = withByte(fx.signed, at, 0x0d);
    expect(() => PdfReader.open(pdf).catalog()).not.toThrow();
    expectHashFailure(await verify(pdf));
  });

  it('first range, trailer region: white space in the trailer of revision 0', async () => {
    const text = latin1(fx.signed);
    const at = text.indexOf('trailer\n') + 'trailer'.length;
    expect(at).toBeLessThan(fx.byteRange[1]);
    expectHashFailure(await verify(withByte(fx.signed, at, 0x20)));
  });

  it('second range: a digit of the /M date in the signature dictionary', async () => {
    const text = latin1(fx.signed);
    const at = text.indexOf('/M(D:', fx.byteRange[2]) + 6;
    expect(at).toBeGreaterThan(fx.byteRange[2]);
    expectHashFailure(await verify(withByte(fx.signed, at, sameClass(fx.signed[at]!))));
  });

  it("second range, trailer region: a hex digit of the update's trailer /ID", async () => {
    const text = latin1(fx.signed);
    const at = text.lastIndexOf('/ID[<') + 8;
    expect(at).toBeGreaterThan(fx.byteRange[2]);
    const pdf = withByte(fx.signed, at, sameClass(fx.signed[at]!));
    expect(() => PdfReader.open(pdf).catalog()).not.toThrow();
    expectHashFailure(await verify(pdf));
  });
});

describe('a byte changed inside /Contents (the CMS)', () => {
  /** Offset in the file of the hex digit for DER byte `i` of the CMS. */
  const hexAt = (i: number): number => fx.byteRange[1] + 1 + 2 * i;
  function derLength(): number {
    const head = Buffer.from(latin1(fx.signed).slice(hexAt(0), hexAt(6)), 'hex');
    expect(head[0]).toBe(0x30);
    const n = head[1]! & 0x7f;
    expect(head[1]! & 0x80).toBe(0x80);
    let len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + head[2 + k]!;
    return 2 + n + len;
  }

  it('in the RSA signature value (the last 256 bytes of the DER): TOTAL_FAILED / SIG_CRYPTO_FAILURE', async () => {
    const len = derLength();
    const at = hexAt(len - 128); // the middle of the 2048-bit signature value
    const r = await verify(withByte(fx.signed, at, sameClass(fx.signed[at]!)));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.format).toBe('ok');
    expect(s.integrity).toBe('broken');
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('SIG_CRYPTO_FAILURE');
    expect(s.findings.map((f) => f.code)).toEqual(['SIGNATURE_INVALID']);
    expect(s.signer?.commonName).toBe('Nguyễn Văn Ánh');
  });

  it('in the outer DER length: TOTAL_FAILED / FORMAT_FAILURE (SIGNATURE_UNREADABLE, cause CMS_MALFORMED)', async () => {
    const at = hexAt(1) + 1; // low nibble of the length-of-length byte 0x82
    const r = await verify(withByte(fx.signed, at, sameClass(fx.signed[at]!)));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.format).toBe('malformed');
    expect(s.integrity).toBe('broken');
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(s.findings.map((f) => f.code)).toContain('SIGNATURE_UNREADABLE');
    expect(s.findings.find((f) => f.code === 'SIGNATURE_UNREADABLE')?.cause).toBe('CMS_MALFORMED');
  });

  it('the signer certificate swapped for another one with the same key, issuer and serial (ESS mismatch): TOTAL_FAILED / SIG_CONSTRAINTS_FAILURE', async () => {
    // A second certificate for the same key, same issuer and serial, naming
    // someone else: the signature over the signed attributes still verifies
    // and the chain is trusted; only the signing-certificate-v2 attribute
    // (ESS) shows that the signer signed with the other certificate.
    const p = pki.personal.certificate as unknown as X509Certificate; // an @peculiar/x509 certificate at run time
    const twin = await X509CertificateGenerator.create(
      {
        serialNumber: p.serialNumber,
        issuer: p.issuer,
        subject: p.subject.replace('Nguyễn Văn Ánh', 'Nguyễn Văn Binh'), // same UTF-8 length
        notBefore: p.notBefore,
        notAfter: p.notAfter,
        publicKey: pki.personal.cryptoKeys.publicKey,
        signingKey: pki.issuing.cryptoKeys.privateKey,
        extensions: [...p.extensions],
        signingAlgorithm: p.signatureAlgorithm,
      },
      webcrypto as unknown as Parameters<typeof X509CertificateGenerator.create>[1],
    );
    const originalHex = Buffer.from(pki.personal.certDer).toString('hex');
    const twinHex = Buffer.from(twin.rawData).toString('hex');
    expect(twinHex.length).toBe(originalHex.length);
    const at = latin1(fx.signed).indexOf(originalHex);
    expect(at).toBeGreaterThan(fx.byteRange[1]);
    expect(at).toBeLessThan(fx.byteRange[2]);
    const pdf = new Uint8Array(fx.signed);
    pdf.set(Buffer.from(twinHex, 'latin1'), at);

    const r = await verify(pdf);
    const s = r.signatures[0]!;
    expect(s.signer?.commonName).toBe('Nguyễn Văn Binh');
    expect(s.chain.trusted).toBe(true);
    expect(s.findings.map((f) => f.code)).toEqual(['ESS_CERT_MISMATCH']);
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect(r.verdict).toBe('invalid');
  });
});

describe('incremental updates after signing', () => {
  it("redefining the page's content stream: suspicious, page-content", async () => {
    const pdf = update(fx.signed, (w, r, ref) => {
      const old = r.getObject(ref(fx.contentNum)) as PdfStream;
      w.set(ref(fx.contentNum), new PdfStream(old.dict.clone(), Buffer.from('BT /F1 14 Tf 72 760 Td (So tien: 9.000.000 dong) Tj ET\n', 'latin1')));
    });
    const r = await verify(pdf);
    expectSuspicious(r);
    expect(modsOf(r)).toEqual([`2:${fx.contentNum}:changed:suspicious:page-content`]);
    expect(r.signatures[0]!.modifications.filter((m) => m.rule !== 'structure.trailer-id').map((m) => m.object)).toEqual([fx.contentNum]);
  });

  it("an opaque /Square annotation over the text added to the page's /Annots: suspicious, annotation", async () => {
    let annotNum = 0;
    let apNum = 0;
    const pdf = update(fx.signed, (w, r, ref) => {
      const page = r.getObject(ref(fx.pageNum)) as PdfDict;
      const ap = w.add(
        new PdfStream(
          new PdfDict([
            ['Type', PdfName.of('XObject')],
            ['Subtype', PdfName.of('Form')],
            ['BBox', [0, 0, 300, 30]],
          ]),
          Buffer.from('1 1 1 rg 0 0 300 30 re f\n', 'latin1'),
        ),
      );
      const annot = w.add(
        new PdfDict([
          ['Type', PdfName.of('Annot')],
          ['Subtype', PdfName.of('Square')],
          ['Rect', [70, 750, 370, 780]],
          ['F', 4],
          ['C', [1, 1, 1]],
          ['IC', [1, 1, 1]],
          ['AP', new PdfDict([['N', ap]])],
          ['P', ref(fx.pageNum)],
        ]),
      );
      apNum = ap.num;
      annotNum = annot.num;
      const annots = r.resolve(page.get('Annots')) as PdfObject[];
      w.set(ref(fx.pageNum), page.clone().set('Annots', [...annots, annot]));
    });
    const r = await verify(pdf);
    expectSuspicious(r);
    expect(modsOf(r)).toEqual([
      `2:${fx.pageNum}:changed:suspicious:annotation`,
      // Its appearance stream is refused with it: annotations are not permitted here.
      `2:${apNum}:added:suspicious:resource`,
      `2:${annotNum}:added:suspicious:annotation`,
    ]);
  });

  it('redefining the font object: suspicious, resource', async () => {
    const pdf = update(fx.signed, (w, r, ref) => {
      const font = r.getObject(ref(fx.fontNum)) as PdfDict;
      w.set(ref(fx.fontNum), font.clone().set('BaseFont', PdfName.of('Courier')));
    });
    const r = await verify(pdf);
    expectSuspicious(r);
    expect(modsOf(r)).toEqual([`2:${fx.fontNum}:changed:suspicious:resource`]);
  });

  it('redefining the image XObject: suspicious, resource', async () => {
    const pdf = update(fx.signed, (w, r, ref) => {
      const image = r.getObject(ref(fx.imageNum)) as PdfStream;
      w.set(ref(fx.imageNum), new PdfStream(image.dict.clone(), new Uint8Array(8 * 8 * 3).fill(0xff)));
    });
    const r = await verify(pdf);
    expectSuspicious(r);
    expect(modsOf(r)).toEqual([`2:${fx.imageNum}:changed:suspicious:resource`]);
  });

  it('a second signature (organisation identity) only: allowed, both TOTAL_PASSED, valid', async () => {
    const pdf = await signPdf(fx.signed, { signer: organisationSigner(), reason: 'Đóng dấu' });
    const r = await verify(pdf);
    expect(r.verdict).toBe('valid');
    expect(r.modification).toBe('allowed');
    expect(r.document.revisions).toBe(3);
    expect(r.modifications.every((m) => m.verdict === 'allowed')).toBe(true);
    expect(r.modifications.map((m) => m.category).sort()).toEqual(['form', 'form', 'signature', 'signature-appearance', 'signature-field', 'structure']);
    expect(r.modifications.map((m) => m.rule).sort()).toEqual(['signature.appearance', 'signature.dictionary', 'signature.new-field', 'signature.register-field', 'signature.register-field', 'structure.trailer-id']);
    expect(r.signatures).toHaveLength(2);
    const [first, second] = r.signatures as [VerificationReport['signatures'][0], VerificationReport['signatures'][0]];
    expect(first).toMatchObject({
      index: 1,
      field: 'Signature1',
      indication: 'TOTAL_PASSED',
      integrity: 'ok',
      coversWholeDocument: false,
      revision: 1, // revision 0 is the unsigned original
      modification: 'allowed',
      byteRange: fx.byteRange,
    });
    expect(first.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(second).toMatchObject({
      index: 2,
      field: 'Signature2',
      indication: 'TOTAL_PASSED',
      integrity: 'ok',
      coversWholeDocument: true,
      revision: 2,
      modification: 'none',
      reason: 'Đóng dấu',
    });
    expect(second.signer?.commonName).toBe('UBND xã Phước Lộc (TEST)');
    expect(second.signer?.kind).toBe('organisation');
    expect(second.chain.trusted).toBe(true);
  });

  it('changing only /Info (producer, modification date): allowed, metadata', async () => {
    let infoNum = 0;
    const pdf = update(fx.signed, (w, r) => {
      const infoRef = r.trailer.get('Info') as PdfRef;
      infoNum = infoRef.num;
      const info = r.getObject(infoRef) as PdfDict;
      w.set(
        infoRef,
        info.clone().set('Producer', PdfString.fromText('Some other tool 2.0')).set('ModDate', PdfString.fromText("D:20261124120000+07'00'")),
      );
    });
    const r = await verify(pdf);
    expect(r.verdict).toBe('valid');
    expect(r.modification).toBe('allowed');
    expect(modsOf(r)).toEqual([`2:${infoNum}:changed:allowed:metadata`]);
    const s = r.signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL_PASSED', integrity: 'ok', coversWholeDocument: false, revision: 1, modification: 'allowed' });
  });

  it('the signature dictionary rewritten with another /Reason: malformed (gap ≠ /Contents) and suspicious (signature-dictionary)', async () => {
    const pdf = update(fx.signed, (w, r, ref) => {
      const sig = r.getObject(ref(fx.sigNum)) as PdfDict;
      w.set(ref(fx.sigNum), sig.clone().set('Reason', PdfString.fromText('Đã sửa lý do')));
    });
    const r = await verify(pdf);
    expect(r.verdict).toBe('invalid');
    expect(r.modification).toBe('suspicious');
    expect(modsOf(r)).toEqual([`2:${fx.sigNum}:changed:suspicious:signature`]);
    const s = r.signatures[0]!;
    // The report reads the dictionary of the latest revision, so it shows the
    // rewritten reason; the /ByteRange gap no longer is that dictionary's
    // /Contents, which makes the signature malformed.
    expect(s.reason).toBe('Đã sửa lý do');
    expect(s.format).toBe('malformed');
    expect(s.findings.map((f) => f.code)).toEqual(['CONTENTS_NOT_IN_GAP']);
    expect(s.integrity).toBe('ok'); // the CMS still matches the bytes it names
    expect(s.modification).toBe('suspicious');
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });
});

describe('bytes appended after the last %%EOF without a cross-reference section', () => {
  it('a redefined content stream with no xref or startxref after it: suspicious trailing-bytes, invalid', async () => {
    // kyso's reader (like poppler) ignores these bytes, but MuPDF, finding no
    // startxref near the end, repairs the file and shows the new object 7.
    const body = 'BT /F1 14 Tf 72 760 Td (So tien: 9.000.000 dong) Tj ET\n';
    const tail = `${fx.contentNum} 0 obj\n<</Length ${body.length}>>\nstream\n${body}\nendstream\nendobj\n%${'x'.repeat(4000)}\n`;
    const pdf = new Uint8Array(Buffer.concat([fx.signed, Buffer.from(tail, 'latin1')]));
    const r = await verify(pdf);
    expect(r.document.revisions).toBe(2);
    expect(r.verdict).toBe('invalid');
    expect(r.modification).toBe('suspicious');
    expect(modsOf(r)).toEqual(['1:null:bytes:suspicious:trailing-bytes']);
    const s = r.signatures[0]!;
    expect(s).toMatchObject({ format: 'ok', integrity: 'ok', revision: 1, coversWholeDocument: false, modification: 'suspicious' });
    expect(s.indication).toBe('TOTAL_FAILED');
  });

  it('only white space after %%EOF: still valid', async () => {
    const pdf = new Uint8Array(Buffer.concat([fx.signed, Buffer.from('\r\n  \n\0\0', 'latin1')]));
    const r = await verify(pdf);
    expect(r.verdict).toBe('valid');
    expect(r.modification).toBe('none');
    expect(r.signatures[0]!.indication).toBe('TOTAL_PASSED');
  });
});

describe('/ByteRange edited in place after signing (same width)', () => {
  it('first range shortened: malformed (CONTENTS_NOT_IN_GAP), FORMAT_FAILURE', async () => {
    const [a, b, c, d] = fx.byteRange;
    const r = await verify(patchByteRange(fx.signed, [a, b - 100, c, d]));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.byteRange).toEqual([a, b - 100, c, d]);
    expect(s.format).toBe('malformed');
    expect(s.integrity).toBe('broken');
    expect(s.findings.map((f) => f.code)).toEqual(['CONTENTS_NOT_IN_GAP', 'MESSAGE_DIGEST_MISMATCH']);
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });

  it('second range shortened (tail left unsigned): format ok, HASH_FAILURE, unsigned-bytes suspicious', async () => {
    // Observed: a /ByteRange that is well formed but stops short of the end of
    // its revision is not "malformed"; the digest fails and the uncovered
    // tail is reported as a suspicious 'unsigned-bytes' modification.
    const [a, b, c, d] = fx.byteRange;
    const r = await verify(patchByteRange(fx.signed, [a, b, c, d - 100]));
    expect(r.verdict).toBe('invalid');
    expect(r.modification).toBe('suspicious');
    const s = r.signatures[0]!;
    expect(s.format).toBe('ok');
    expect(s.integrity).toBe('broken');
    expect(s.coversWholeDocument).toBe(false);
    expect(s.signedLength).toBe(fx.signed.length - 100);
    expect(s.modifications.map((m) => `${m.object}:${m.change}:${m.verdict}:${m.category}`)).toEqual(['null:bytes:suspicious:unsigned-bytes']);
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('HASH_FAILURE');
  });

  it('second range running past the end of the file: malformed (BYTERANGE_OUT_OF_FILE)', async () => {
    const [a, b, c, d] = fx.byteRange;
    const r = await verify(patchByteRange(fx.signed, [a, b, c, d + 100]));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.format).toBe('malformed');
    expect(s.integrity).toBe('broken');
    expect(s.revision).toBeNull();
    expect(s.findings.map((f) => f.code)).toEqual(['BYTERANGE_OUT_OF_FILE']);
    expect(s.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });

  it('second range starting outside the file: malformed (BYTERANGE_OUT_OF_FILE only: the ranges describe another file)', async () => {
    const [a, b, c, d] = fx.byteRange;
    const r = await verify(patchByteRange(fx.signed, [a, b, c + 100_000, d]));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.format).toBe('malformed');
    expect(s.integrity).toBe('broken');
    expect(s.findings.map((f) => f.code)).toEqual(['BYTERANGE_OUT_OF_FILE']);
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });

  it('first range not starting at 0: malformed (BYTE_RANGE_START)', async () => {
    const [, b, c, d] = fx.byteRange;
    const r = await verify(patchByteRange(fx.signed, [5, b, c, d]));
    expect(r.verdict).toBe('invalid');
    const s = r.signatures[0]!;
    expect(s.format).toBe('malformed');
    expect(s.integrity).toBe('broken');
    expect(s.findings.map((f) => f.code)).toEqual(['BYTE_RANGE_START', 'MESSAGE_DIGEST_MISMATCH']);
    expect(s.subIndication).toBe('FORMAT_FAILURE');
  });
});
