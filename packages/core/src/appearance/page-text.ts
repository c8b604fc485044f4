/**
 * Page text through pdfjs-dist, loaded on demand (keyword placement, room
 * for the certification statement). pdfjs-dist@5 (Node >= 20.19) must be
 * installed beside kyso for these features.
 */
import { KysoError } from '../errors.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loaded: Promise<PdfJs> | undefined;

export function loadPdfJs(): Promise<PdfJs> {
  // A computed specifier keeps bundlers from inlining pdfjs (and its worker).
  const spec = ['pdfjs-dist', 'legacy', 'build', 'pdf.mjs'].join('/');
  loaded ??= (import(spec) as Promise<PdfJs>).catch((e: unknown) => {
    loaded = undefined;
    throw new KysoError('TOOL_NOT_FOUND', 'Placing a signature by keyword needs the pdfjs-dist package (npm install pdfjs-dist@5).', {
      vi: 'Đặt chữ ký theo từ khoá cần gói pdfjs-dist (npm install pdfjs-dist@5).',
      cause: e,
    });
  });
  return loaded;
}

/** The lowest and highest points of a page's text, or null when it has none. */
export async function pageTextExtent(pdf: Uint8Array, index: number): Promise<{ bottom: number; top: number } | null> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  try {
    const doc = await task.promise;
    const page = await doc.getPage(index + 1);
    const content = await page.getTextContent();
    let bottom = Infinity;
    let top = -Infinity;
    for (const it of content.items) {
      if (!('str' in it) || it.str.trim() === '') continue;
      const t = it.transform as number[];
      const h = it.height || Math.hypot(t[2]!, t[3]!);
      bottom = Math.min(bottom, t[5]! - 0.25 * h);
      top = Math.max(top, t[5]! + h);
    }
    return Number.isFinite(bottom) ? { bottom, top } : null;
  } catch (e) {
    throw new KysoError('PDF_MALFORMED', `Cannot read the page text: ${(e as Error).message}`, { vi: 'Không đọc được nội dung chữ của trang PDF.', cause: e });
  } finally {
    await task.destroy();
  }
}
