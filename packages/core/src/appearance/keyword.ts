/**
 * Finds a keyword in a page's text (e.g. the signer's printed name) with
 * pdfjs-dist, so a signature can be placed next to it. pdfjs-dist is loaded
 * only when a keyword placement is asked for: install it beside kyso
 * (`pdfjs-dist@5`, Node ≥ 20.19) to use this.
 */
import { KysoError } from '../errors.js';
import type { Rect } from './draw.js';
import { loadPdfJs } from './page-text.js';

export interface KeywordMatch {
  /** Zero-based page index. */
  page: number;
  /** The keyword's bounding box in page space (user units). */
  rect: Rect;
}

const fold = (s: string): string => s.normalize('NFC').toLocaleLowerCase('vi');

/**
 * The `occurrence`-th (1-based, default 1; negative counts from the end)
 * match of `keyword` on `page` (or on every page in order), compared
 * case-insensitively after NFC normalisation.
 */
export async function findKeyword(pdf: Uint8Array, keyword: string, options: { page?: number; occurrence?: number } = {}): Promise<KeywordMatch> {
  const wanted = fold(keyword.trim());
  if (wanted === '') throw new KysoError('SIGN_OPTIONS_INVALID', 'The keyword is empty.', { vi: 'Từ khoá để đặt chữ ký bị rỗng.' });
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  const matches: KeywordMatch[] = [];
  const occurrence = options.occurrence ?? 1;
  try {
    const doc = await task.promise;
    const pages = options.page !== undefined ? [options.page] : [...Array(doc.numPages).keys()];
    for (const index of pages) {
      if (index < 0 || index >= doc.numPages) continue;
      const page = await doc.getPage(index + 1);
      const content = await page.getTextContent();
      // One string per page, remembering which item each character came from.
      let text = '';
      const owner: { item: number; offset: number }[] = [];
      const items: { str: string; x: number; y: number; w: number; h: number }[] = [];
      for (const it of content.items) {
        if (!('str' in it)) continue;
        const str = fold(it.str);
        const t = it.transform as number[];
        const h = it.height || Math.hypot(t[2]!, t[3]!) || Math.hypot(t[0]!, t[1]!);
        items.push({ str, x: t[4]!, y: t[5]!, w: it.width, h });
        for (let i = 0; i < str.length; i++) owner.push({ item: items.length - 1, offset: i });
        text += str;
        if (it.hasEOL) {
          text += ' ';
          owner.push({ item: -1, offset: 0 });
        }
      }
      for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) {
        let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
        for (let i = at; i < at + wanted.length; i++) {
          const o = owner[i]!;
          if (o.item < 0) continue;
          const it = items[o.item]!;
          const cw = it.str.length > 0 ? it.w / it.str.length : 0;
          x1 = Math.min(x1, it.x + cw * o.offset);
          x2 = Math.max(x2, it.x + cw * (o.offset + 1));
          // The baseline minus the descent to the baseline plus the ascent.
          y1 = Math.min(y1, it.y - 0.22 * it.h);
          y2 = Math.max(y2, it.y + 0.78 * it.h);
        }
        if (Number.isFinite(x1)) matches.push({ page: index, rect: [x1, y1, x2, y2] });
      }
      page.cleanup();
      if (occurrence > 0 && matches.length >= occurrence) break;
    }
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('PDF_MALFORMED', `Cannot read the page text: ${(e as Error).message}`, { vi: 'Không đọc được nội dung chữ của trang PDF.', cause: e });
  } finally {
    await task.destroy();
  }
  const m = occurrence > 0 ? matches[occurrence - 1] : matches[matches.length + occurrence];
  if (!m) {
    const where = options.page !== undefined ? `page ${options.page + 1}` : 'the document';
    throw new KysoError('APPEARANCE_KEYWORD_NOT_FOUND', `The keyword "${keyword}" was not found in ${where} (occurrence ${occurrence}, ${matches.length} found).`, {
      vi: `Không tìm thấy từ khoá "${keyword}" trong ${options.page !== undefined ? `trang ${options.page + 1}` : 'tài liệu'}.`,
      details: { keyword, page: options.page, occurrence, found: matches.length },
    });
  }
  return m;
}
