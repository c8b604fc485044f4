/*
 * pdfjs-dist is an optional peer: without it, the certification statement's
 * default placement ('auto') cannot measure the page's text and takes a new
 * page, instead of failing with "placing a signature by keyword needs
 * pdfjs-dist" for a document that asked for no keyword (issue 18, 1).
 */
import { describe, expect, it, vi } from 'vitest';
import { KysoError } from '../../src/errors.js';

vi.mock('../../src/appearance/page-text.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/appearance/page-text.js')>();
  const missing = () => Promise.reject(new KysoError('TOOL_NOT_FOUND', 'pdfjs-dist is not installed (simulated)', { vi: 'chưa cài pdfjs-dist (giả lập)' }));
  return { ...real, loadPdfJs: missing, pageTextExtent: missing };
});

const { stampCertificationStatementDetailed } = await import('../../src/appearance/index.js');
const { makeSamplePdf } = await import('../../../../examples/make-sample-pdf.js');
const { PdfReader } = await import('../../src/pdf/index.js');

describe('the certification statement without pdfjs-dist', () => {
  it("'auto' placement stamps on a new page, nothing rewritten", async () => {
    const pdf = await makeSamplePdf();
    const pages = PdfReader.open(pdf).pageRefs().length;
    const r = await stampCertificationStatementDetailed(pdf, { number: 7, book: '01', year: 2026, date: new Date('2026-12-07T03:00:00Z'), officerName: 'Trần Văn An' });
    expect(r.addedPage).toBe(true);
    expect(PdfReader.open(r.pdf).pageRefs().length).toBe(pages + 1);
    expect(Buffer.from(r.pdf.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
  });
});
