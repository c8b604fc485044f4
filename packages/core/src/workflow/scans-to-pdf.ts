/**
 * Scanned pages (JPEG, PNG, or the pages of existing PDFs) assembled into
 * one PDF, each image at 100% of its physical size (its pixel count over its
 * resolution), so a scan made at 200 dpi prints at the size of the paper
 * original. A JPEG is embedded as it is (DCTDecode, its bytes unchanged,
 * never re-encoded); a PNG's pixels are kept losslessly (Flate).
 */
import { imageInfo } from '../appearance/image-info.js';
import { KysoError } from '../errors.js';
import { PdfReader } from '../pdf/index.js';

/** A4 in points. */
export const A4: readonly [number, number] = [595.28, 841.89];

export type ScanKind = 'pdf' | 'jpeg' | 'png';

export interface ScansToPdfOptions {
  /**
   * `a4` (default): each image on an A4 page (landscape when the image is
   * wider than high), at 100% and centred, scaled down to fit only when it
   * is larger than the page less its margin. `image`: the page has the
   * image's own physical size.
   */
  pageSize?: 'a4' | 'image';
  /** Resolution assumed for an image that states none (default 200 dpi, the minimum for certified copies). */
  assumedDpi?: number;
  /** Margin kept around a scaled-down image on an A4 page, in points (default 0). */
  margin?: number;
  /** /Title of the new document. */
  title?: string;
}

function bad(message: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', message, { vi });
}

/**
 * Certified copies are made of unencrypted originals only, even one that
 * opens without a password: the copy is a public document that every
 * recipient and verifier must read, that kyso stamps and seals page by
 * page, and an original's password or permissions would either be carried
 * into the copy or silently dropped. The officer decrypts the original
 * first (it is theirs to open), and certifies that.
 */
export function refuseEncryptedOriginal(pdf: Uint8Array, which?: number): void {
  let encrypted = false;
  try {
    encrypted = PdfReader.open(pdf, { allowEncrypted: true }).encrypted;
  } catch {
    return; // not readable at all: the caller's own reading reports it
  }
  if (!encrypted) return;
  const en = which !== undefined ? `Scan ${which} is an encrypted PDF` : 'The PDF is encrypted';
  const vi = which !== undefined ? `Bản quét thứ ${which} là tệp PDF được mã hoá` : 'Tệp PDF được mã hoá';
  throw new KysoError('PDF_ENCRYPTED', `${en}: a certified copy is made of an unencrypted original, which every recipient can read. Remove the protection first (for example qpdf --decrypt --password=... in.pdf out.pdf) and certify the decrypted file.`, {
    vi: `${vi}: bản sao chứng thực phải được làm từ bản gốc không mã hoá để mọi người nhận đều đọc được. Hãy gỡ lớp bảo vệ trước (ví dụ qpdf --decrypt --password=... in.pdf out.pdf) rồi chứng thực tệp đã giải mã.`,
  });
}

/** What a file is, from its first bytes. */
export function scanKind(bytes: Uint8Array): ScanKind {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, Math.min(b.length, 1024)).includes('%PDF-')) return 'pdf';
  throw new KysoError('PDF_NOT_PDF', 'A scan must be a JPEG, PNG or PDF file.', { vi: 'Bản quét phải là tệp JPEG, PNG hoặc PDF.' });
}

/** The physical size of an image in points (1/72 inch). */
export function imageSizePoints(bytes: Uint8Array, assumedDpi = 200): { width: number; height: number; dpiX: number; dpiY: number } {
  const info = imageInfo(bytes);
  const sane = (d: number | undefined): number => (d !== undefined && d >= 10 && d <= 10_000 ? d : assumedDpi);
  const dpiX = sane(info.dpiX);
  const dpiY = sane(info.dpiY);
  return { width: (info.width * 72) / dpiX, height: (info.height * 72) / dpiY, dpiX, dpiY };
}

/** Assembles the scans, in order, into one PDF. */
export async function scansToPdf(scans: readonly Uint8Array[], options: ScansToPdfOptions = {}): Promise<Uint8Array> {
  if (scans.length === 0) throw bad('No scan was given.', 'Chưa có bản quét nào.');
  const assumedDpi = options.assumedDpi ?? 200;
  if (!(assumedDpi > 0)) throw bad('assumedDpi must be positive.', 'Độ phân giải giả định phải là số dương.');
  const margin = options.margin ?? 0;
  // pdf-lib only when scans are made into a PDF: a verifier or a signer never loads it.
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('kyso');
  if (options.title) doc.setTitle(options.title);
  for (const [i, bytes] of scans.entries()) {
    const kind = scanKind(bytes);
    if (kind === 'pdf') refuseEncryptedOriginal(bytes, i + 1);
    try {
      if (kind === 'pdf') {
        const src = await PDFDocument.load(bytes, { updateMetadata: false });
        const pages = await doc.copyPages(src, src.getPageIndices());
        for (const p of pages) doc.addPage(p);
        continue;
      }
      const size = imageSizePoints(bytes, assumedDpi);
      const image = kind === 'jpeg' ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
      let pageW = size.width;
      let pageH = size.height;
      let w = size.width;
      let h = size.height;
      if ((options.pageSize ?? 'a4') === 'a4') {
        [pageW, pageH] = size.width > size.height ? [A4[1], A4[0]] : [A4[0], A4[1]];
        const room = Math.min(1, w > pageW - 2 * margin ? (pageW - 2 * margin) / w : 1, h > pageH - 2 * margin ? (pageH - 2 * margin) / h : 1);
        w *= room;
        h *= room;
      }
      const page = doc.addPage([pageW, pageH]);
      page.drawImage(image, { x: (pageW - w) / 2, y: (pageH - h) / 2, width: w, height: h });
    } catch (e) {
      throw new KysoError('PDF_MALFORMED', `Scan ${i + 1} (${kind}) cannot be read: ${e instanceof Error ? e.message : String(e)}`, { vi: `Không đọc được bản quét thứ ${i + 1} (${kind}).`, cause: e });
    }
  }
  return doc.save({ useObjectStreams: false });
}
