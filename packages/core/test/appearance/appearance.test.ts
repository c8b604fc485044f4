import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { KysoError } from '../../src/index.js';
import { buildAppearance, formatIsoVietnam, formatVietnamTime, renderAppearance, type AppearanceInput, type AppearanceLayout, type Rect } from '../../src/appearance/index.js';
import { IncrementalWriter, PdfDict, PdfReader, PdfStream } from '../../src/pdf/index.js';
import { makeSamplePdf } from '../../../../examples/make-sample-pdf.js';
import { qpdfCheck } from '../helpers/external-tools.js';
import { makePdfLibPdf, tempDir } from '../helpers/fixtures.js';
import { sealPng, signaturePng } from './images.js';
import { annotate, countAll, countIn, pdftotext, rasterize, writeTemp } from './render.js';

const A4_H = 841.89;
const A4_W = 595.28;
const when = new Date('2024-02-02T07:34:45Z'); // 14:34:45 in Vietnam

const signer: AppearanceInput = {
  commonName: 'Nguyễn Thị Hồng Nhung',
  email: 'nhung@phuocloc.binhdinh.gov.vn',
  organization: 'UBND tỉnh Bình Định',
  organizationalUnits: ['UBND huyện Tuy Phước', 'UBND xã Phước Lộc'],
  signingTime: when,
  images: { signature: signaturePng(), seal: sealPng() },
};

/** Every Vietnamese vowel with a breve, circumflex or horn, đ, and all five tones, both cases. */
const DIACRITICS = [
  'ă â đ ê ô ơ ư Ă Â Đ Ê Ô Ơ Ư',
  'à á ả ã ạ À Á Ả Ã Ạ ằ ắ ẳ ẵ ặ Ằ Ắ Ẳ Ẵ Ặ',
  'ầ ấ ẩ ẫ ậ Ầ Ấ Ẩ Ẫ Ậ ề ế ể ễ ệ Ề Ế Ể Ễ Ệ',
  'ồ ố ổ ỗ ộ Ồ Ố Ổ Ỗ Ộ ờ ớ ở ỡ ợ Ờ Ớ Ở Ỡ Ợ',
  'ừ ứ ử ữ ự Ừ Ứ Ử Ữ Ự ỳ ý ỷ ỹ ỵ Ỳ Ý Ỷ Ỹ Ỵ',
];

const squash = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

describe('appearance layouts', () => {
  it('personal + seal: the blue signature inside its box, the red seal over its left third; text intact; qpdf clean', async () => {
    const dir = tempDir('kyso-appearance-');
    const pdf = await makePdfLibPdf(1);
    const reader = PdfReader.open(pdf);
    const writer = new IncrementalWriter(reader);
    const personal = await buildAppearance(reader, writer, 'personal', signer, { rect: [330, 120, 530, 230] });
    const seal = await buildAppearance(reader, writer, 'seal', signer, { over: personal });
    const out = annotate(reader, writer, [personal, seal]);
    expect(qpdfCheck(writeTemp(out, dir, 'personal.pdf')).ok).toBe(true);

    const img = personal.imageRect!;
    // The image is centred in the upper part of the box, inside it.
    expect(img[0]).toBeGreaterThanOrEqual(330);
    expect(img[2]).toBeLessThanOrEqual(530);
    expect(Math.abs((img[0] + img[2]) / 2 - 430)).toBeLessThan(0.5);
    // Real size: 300 px at 200 dpi = 1.5 in = 108 pt.
    expect(seal.rect[2] - seal.rect[0]).toBeCloseTo(108, 3);
    expect(seal.rect[2]).toBeCloseTo(img[0] + (img[2] - img[0]) / 3, 3);

    const ras = rasterize(out, dir);
    const third = img[0] + (img[2] - img[0]) / 3;
    const blueIn = countIn(ras, [third, img[1], img[2], img[3]], 'blue', A4_H);
    expect(blueIn).toBeGreaterThan(300);
    expect(countAll(ras, 'blue') - countIn(ras, img, 'blue', A4_H)).toBe(0); // no blue outside the image
    const redOverLeftThird = countIn(ras, [img[0], img[1], third, img[3]], 'red', A4_H);
    expect(redOverLeftThird).toBeGreaterThan(100);
    expect(countIn(ras, [third + 1.5, 0, A4_W, A4_H], 'red', A4_H)).toBe(0); // nothing red right of the third
    expect(countAll(ras, 'red') - countIn(ras, seal.rect, 'red', A4_H)).toBe(0);

    const text = squash(pdftotext(out, dir));
    expect(text).toContain('Người ký: Nguyễn Thị Hồng Nhung');
    expect(text).toContain('Email: nhung@phuocloc.binhdinh.gov.vn');
    expect(text).toContain('Thời gian ký: 02.02.2024 14:34:45 +07:00');
    expect(text).toContain('Cơ quan: UBND xã Phước Lộc, UBND huyện Tuy Phước, UBND tỉnh Bình Định');
  });

  it('copy stamp: SAO Y, agency and ISO time at the top right of page 1, black 10 pt', async () => {
    const dir = tempDir('kyso-appearance-');
    const pdf = await makePdfLibPdf(2);
    const reader = PdfReader.open(pdf);
    const writer = new IncrementalWriter(reader);
    const copy = await buildAppearance(reader, writer, 'copy', { copyType: 'SAO Y', agency: 'ỦY BAN NHÂN DÂN XÃ PHƯỚC LỘC', signingTime: when });
    expect(copy.page).toBe(0);
    expect(copy.rect[2]).toBeCloseTo(A4_W - 20, 3);
    expect(copy.rect[3]).toBeCloseTo(A4_H - 20, 3);
    const out = annotate(reader, writer, [copy]);
    expect(qpdfCheck(writeTemp(out, dir, 'copy.pdf')).ok).toBe(true);
    const ras = rasterize(out, dir);
    const topRight: Rect = [A4_W / 2, A4_H - 80, A4_W, A4_H];
    expect(countIn(ras, topRight, 'dark', A4_H)).toBeGreaterThan(200);
    expect(countIn(ras, copy.rect, 'dark', A4_H)).toBe(countIn(ras, topRight, 'dark', A4_H));
    const text = pdftotext(out, dir, 1);
    for (const line of ['SAO Y', 'ỦY BAN NHÂN DÂN XÃ PHƯỚC LỘC', '2024-02-02T14:34:45+07:00']) expect(text).toContain(line);
    // Three lines of 10 pt with 1.2 leading, plus padding.
    expect(copy.rect[3] - copy.rect[1]).toBeCloseTo(3 * 12 + 4, 3);
  });

  it('attachment and text layouts; every Vietnamese diacritic survives pdftotext', async () => {
    const dir = tempDir('kyso-appearance-');
    const pdf = await makePdfLibPdf(1);
    const reader = PdfReader.open(pdf);
    const writer = new IncrementalWriter(reader);
    const att = await buildAppearance(reader, writer, 'attachment', { docNumber: 'Số: 123/QĐ-UBND', signingTime: when });
    const all: AppearanceLayout = { name: 'all', size: 'fit', elements: [{ type: 'text', size: 11, wrap: false, lines: DIACRITICS }] };
    const text = await buildAppearance(reader, writer, all, {}, { at: { x: 60, y: 300 } });
    const custom = await buildAppearance(reader, writer, 'text', { commonName: 'ĐẶNG THỊ ỨNG', organization: 'Sở Tư pháp', signingTime: when }, { rect: [60, 500, 300, 560] });
    const out = annotate(reader, writer, [att, text, custom]);
    expect(qpdfCheck(writeTemp(out, dir, 'text.pdf')).ok).toBe(true);
    const got = squash(pdftotext(out, dir));
    expect(got).toContain('Số: 123/QĐ-UBND');
    expect(got).toContain('2024-02-02T14:34:45+07:00');
    // pdftotext drops the spaces between single letters; the letters themselves must all be there.
    const bare = got.replace(/\s+/g, '');
    for (const line of DIACRITICS) expect(bare).toContain(line.normalize('NFC').replace(/\s+/g, ''));
    expect(got).toContain('Ký bởi: ĐẶNG THỊ ỨNG');
    const ras = rasterize(out, dir);
    expect(countIn(ras, att.rect, 'dark', A4_H)).toBeGreaterThan(50);
  });

  it('writes only new objects plus the annotated page; the Form XObject has a BBox the size of its rect', async () => {
    const pdf = await makePdfLibPdf(1);
    const reader = PdfReader.open(pdf);
    const writer = new IncrementalWriter(reader);
    const built = await buildAppearance(reader, writer, 'personal', signer, { rect: [100, 100, 300, 210] });
    expect(built.appearance.num).toBeGreaterThanOrEqual(reader.size);
    const out = Buffer.concat([pdf, writer.write().appended]);
    const after = PdfReader.open(out);
    const form = after.resolve(built.appearance) as PdfStream;
    expect(form).toBeInstanceOf(PdfStream);
    expect(form.dict.getName('Subtype')).toBe('Form');
    expect(form.dict.get('BBox')).toEqual([0, 0, 200, 110]);
    const fonts = after.resolve((after.resolve(form.dict.get('Resources')) as PdfDict).get('Font')) as PdfDict;
    // pdf-lib names the font once per drawText; all names lead to one subset font.
    expect(new Set([...fonts.keys()].map((k) => String(fonts.get(k)))).size).toBe(1);
    // Everything the update wrote is new: no object number of the original is redefined.
    const rev = after.revisions;
    expect(rev.length).toBe(2);
  });

  it('times are Vietnam time whatever TZ says', () => {
    expect(formatVietnamTime(new Date('2024-12-31T17:00:00Z'))).toBe('01.01.2025 00:00:00 +07:00');
    expect(formatIsoVietnam(new Date('2024-12-31T16:59:59Z'))).toBe('2024-12-31T23:59:59+07:00');
  });

  it('places a box below a keyword of the page text (pdfjs-dist), and says clearly when it is absent', async () => {
    const pdf = await makeSamplePdf();
    const r = await renderAppearance(pdf, 'personal-image', signer, { keyword: { text: 'nguyễn thị hồng nhung', position: 'below', gap: 6 } });
    expect(r.page).toBe(0);
    // The name's baseline is at y = 780 - 1.9 × (13 + 13 + 12 + 16 + 12) = 654.6 (see make-sample-pdf):
    // the box's top is its descent (≈ 0.22 em) and the gap below it.
    expect(r.rect[3]).toBeCloseTo(654.6 - 0.22 * 12 - 6, 0);
    expect(r.rect[0]).toBeGreaterThan(150);
    expect(r.rect[0]).toBeLessThan(200);
    const err = await renderAppearance(pdf, 'personal-image', signer, { keyword: { text: 'Trần Văn Không Có' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('APPEARANCE_KEYWORD_NOT_FOUND');
  });

  it('rejects bad input with KysoErrors', async () => {
    const pdf = await makePdfLibPdf(1);
    const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof KysoError ? e.code : String(e)));
    expect(await codeOf(renderAppearance(pdf, 'personal', { ...signer, images: {} }, { rect: [0, 0, 100, 50] }))).toBe('SIGN_OPTIONS_INVALID');
    expect(await codeOf(renderAppearance(pdf, 'personal', { ...signer, images: { signature: new Uint8Array([1, 2, 3]) } }, { rect: [0, 0, 100, 50] }))).toBe('SIGN_OPTIONS_INVALID');
    expect(await codeOf(renderAppearance(pdf, 'seal', signer))).toBe('SIGN_OPTIONS_INVALID');
    expect(await codeOf(renderAppearance(pdf, 'personal', signer, { page: 5, rect: [0, 0, 100, 50] }))).toBe('SIGN_OPTIONS_INVALID');
    expect(await codeOf(renderAppearance(pdf, 'nope' as 'copy', signer))).toBe('SIGN_OPTIONS_INVALID');
  });

  it('accepts JPEG images', async () => {
    // A JPEG made by pdf-lib-free means: qpdf cannot make one, so borrow the DCT stream pdftoppm can write.
    const dir = tempDir('kyso-appearance-');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([120, 60]).drawText('JPEG', { x: 10, y: 20, size: 30, font });
    const src = writeTemp(await doc.save(), dir, 'src.pdf');
    const { execFileSync } = await import('node:child_process');
    execFileSync('pdftoppm', ['-jpeg', '-r', '72', '-singlefile', src, `${src}-j`]);
    const { readFileSync } = await import('node:fs');
    const jpeg = readFileSync(`${src}-j.jpg`);
    const pdf = await makePdfLibPdf(1);
    const reader = PdfReader.open(pdf);
    const writer = new IncrementalWriter(reader);
    const built = await buildAppearance(reader, writer, 'personal-image', { images: { signature: jpeg } }, { rect: [50, 50, 290, 170] });
    const out = annotate(reader, writer, [built]);
    expect(qpdfCheck(writeTemp(out, dir, 'jpeg.pdf')).ok).toBe(true);
    expect(countIn(rasterize(out, dir), built.rect, 'dark', A4_H)).toBeGreaterThan(100);
  });
});
