import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { KysoError, stampCertificationStatementDetailed } from '../../src/index.js';
import { PdfDict, PdfReader } from '../../src/pdf/index.js';
import { makeSamplePdf } from '../../../../examples/make-sample-pdf.js';
import { qpdfCheck } from '../helpers/external-tools.js';
import { tempDir } from '../helpers/fixtures.js';
import { countIn, pdftotext, rasterize, writeTemp } from './render.js';

const A4_H = 841.89;
const statement = { number: 99, book: '02', year: 2024, date: new Date('2024-02-01T17:30:00Z'), officerName: 'Lê Thị Ánh Tuyết' };
const squash = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

describe('stampCertificationStatement', () => {
  it('draws the statement under the text of the last page as an appended content stream', async () => {
    const dir = tempDir('kyso-statement-');
    const pdf = await makeSamplePdf();
    const r = await stampCertificationStatementDetailed(pdf, statement);
    expect(r.addedPage).toBe(false);
    expect(Buffer.from(r.pdf.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true); // nothing rewritten
    expect(qpdfCheck(writeTemp(r.pdf, dir, 'stamped.pdf')).ok).toBe(true);
    const text = squash(pdftotext(r.pdf, dir, 1));
    expect(text).toContain('Chứng thực bản sao đúng với bản chính');
    expect(text).toContain('Số chứng thực: 99 Quyển số: 02/2024-SCTĐT/BS');
    expect(text).toContain('Ngày 02 tháng 02 năm 2024'); // 00:30 on 2 Feb in Vietnam
    expect(text).toContain('Người thực hiện chứng thực');
    expect(text).toContain('Lê Thị Ánh Tuyết');
    expect(text).toContain('NGUYỄN THỊ HỒNG NHUNG'); // the old content is still drawn

    // /Contents is [q, old, Q + statement]; the statement is an XObject of the page's resources.
    const reader = PdfReader.open(r.pdf);
    const page = reader.resolve(reader.pageRef(0)!) as PdfDict;
    const contents = reader.resolve(page.get('Contents'));
    expect(Array.isArray(contents) && contents.length).toBe(3);
    const xo = reader.resolve((reader.resolve(page.get('Resources')) as PdfDict).get('XObject')) as PdfDict;
    expect(xo.has('KysoStatement')).toBe(true);

    // Title red, numbers blue.
    const ras = rasterize(r.pdf, dir, 1);
    const [x1, , x2, y2] = r.rect;
    expect(countIn(ras, [x1, y2 - 18, x2, y2], 'red', A4_H)).toBeGreaterThan(100);
    expect(countIn(ras, [x1, y2 - 32, x2, y2 - 18], 'blue', A4_H)).toBeGreaterThan(100);
  });

  it('adds a page when the last one has no room, with a custom template', async () => {
    const dir = tempDir('kyso-statement-');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([595.28, 841.89]);
    for (let y = 800; y > 30; y -= 14) page.drawText('Ban chinh / original text to the bottom of the page', { x: 50, y, size: 12, font });
    const pdf = await doc.save({ useObjectStreams: false });
    const r = await stampCertificationStatementDetailed(pdf, {
      ...statement,
      template: { name: 'mine', size: 'fit', elements: [{ type: 'text', lines: ['Chứng thực bản sao đúng với bản chính', 'Số {number}, quyển {book}/{year}', '{date:long}', 'Người thực hiện: {officerName}'] }] },
    });
    expect(r.addedPage).toBe(true);
    expect(r.page).toBe(1);
    expect(qpdfCheck(writeTemp(r.pdf, dir, 'added.pdf')).ok).toBe(true);
    expect(execFileSync('pdfinfo', [writeTemp(r.pdf, dir, 'added2.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+2/);
    const text = squash(pdftotext(r.pdf, dir, 2));
    expect(text).toContain('Số 99, quyển 02/2024');
    expect(text).toContain('Người thực hiện: Lê Thị Ánh Tuyết');
  });

  it('refuses a document that is already signed', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const sig = doc.context.obj({ Type: 'Sig' });
    const field = doc.context.register(doc.context.obj({ FT: 'Sig', T: doc.context.obj('S1'), V: doc.context.register(sig) }));
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [field], SigFlags: 3 }));
    const err = await stampCertificationStatementDetailed(await doc.save(), statement).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('SIGN_NOT_PERMITTED');
  });
});
