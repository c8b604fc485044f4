/**
 * A QR code (vector: one filled rectangle per run of dark modules, with its
 * quiet zone) drawn on a page as an incremental update, with the encoded text
 * printed in small Helvetica under it. Like the certification statement it
 * must be drawn before the first signature.
 */
import { deflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type QRCodeTypes from 'qrcode';
import { KysoError } from '../errors.js';
import { IncrementalWriter, PdfDict, PdfName, PdfReader, PdfStream, type PdfObject, type PdfRef } from '../pdf/index.js';

export interface QrStampOptions {
  /** What the QR code holds. */
  text: string;
  page: number;
  /** Lower-left corner of the code (quiet zone included), in points. */
  x: number;
  y: number;
  /** Width and height of the code, quiet zone included (default 96 pt, about 34 mm). */
  size?: number;
  /** Printed under the code (ASCII; default none). */
  caption?: string;
  /** Error correction (default M). */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
}

/** Height taken under the code by its caption. */
export const QR_CAPTION_HEIGHT = 9;

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();

/** The Form XObject's content: white quiet zone, black modules, in module units scaled to `size`. */
export function qrContent(text: string, size: number, errorCorrection: 'L' | 'M' | 'Q' | 'H' = 'M'): string {
  let qr: ReturnType<typeof QRCodeTypes.create>;
  try {
    qr = qrcode().create(text, { errorCorrectionLevel: errorCorrection });
  } catch (e) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Cannot make a QR code: ${e instanceof Error ? e.message : String(e)}`, { vi: 'Không tạo được mã QR (nội dung quá dài?).', cause: e });
  }
  const n = qr.modules.size;
  const total = n + 8; // 4-module quiet zone on each side
  const ops: string[] = [`q ${num(size / total)} 0 0 ${num(size / total)} 0 0 cm`, `1 1 1 rg 0 0 ${total} ${total} re f`, '0 0 0 rg'];
  for (let r = 0; r < n; r++) {
    const y = total - 4 - r - 1;
    for (let c = 0; c < n; ) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < n && qr.modules.get(r, end)) end++;
      ops.push(`${c + 4} ${y} ${end - c} 1 re`);
      c = end;
    }
  }
  ops.push('f', 'Q');
  return ops.join('\n');
}

/** Draws the QR code as one incremental update (or into `writer`, when given, for the caller to write). */
export function stampQrCode(pdf: Uint8Array, options: QrStampOptions): Uint8Array {
  const reader = PdfReader.open(pdf);
  const writer = new IncrementalWriter(reader);
  addQrCode(reader, writer, options);
  return Buffer.concat([pdf, writer.write().appended]);
}

/** Stages the QR code's objects and the page change in `writer`. */
export function addQrCode(reader: PdfReader, writer: IncrementalWriter, options: QrStampOptions): void {
  const size = options.size ?? 96;
  if (!(size >= 24 && size <= 1000)) throw new KysoError('SIGN_OPTIONS_INVALID', 'The QR code size must be 24..1000 points.', { vi: 'Kích thước mã QR phải từ 24 đến 1000 điểm.' });
  const captionH = options.caption ? QR_CAPTION_HEIGHT : 0;
  let content = qrContent(options.text, size, options.errorCorrection);
  const resources = new PdfDict();
  if (options.caption) {
    const caption = options.caption.replace(/[^\x20-\x7e]/g, '?');
    // Helvetica averages about 0.55 em a character: fit the caption to the code's width, at most 6 pt.
    const fontSize = Math.min(6, size / (caption.length * 0.56));
    const width = caption.length * fontSize * 0.56;
    content += `\nBT /F1 ${num(fontSize)} Tf 0 0 0 rg ${num(Math.max(0, (size - width) / 2))} ${num(-captionH + 2)} Td (${caption.replace(/[()\\]/g, '\\$&')}) Tj ET`;
    resources.set('Font', new PdfDict().set('F1', new PdfDict().set('Type', PdfName.of('Font')).set('Subtype', PdfName.of('Type1')).set('BaseFont', PdfName.of('Helvetica')).set('Encoding', PdfName.of('WinAnsiEncoding'))));
  }
  const formDict = new PdfDict()
    .set('Type', PdfName.of('XObject'))
    .set('Subtype', PdfName.of('Form'))
    .set('BBox', [0, -captionH, size, size])
    .set('Resources', resources)
    .set('Filter', PdfName.of('FlateDecode'));
  const form = writer.add(new PdfStream(formDict, deflateSync(Buffer.from(content, 'latin1'))));

  const pageRef = reader.pageRef(options.page);
  if (!pageRef) throw new KysoError('SIGN_OPTIONS_INVALID', `The PDF has no page ${options.page + 1}.`, { vi: `Tệp PDF không có trang ${options.page + 1}.` });
  const staged = writer.staged(pageRef);
  const page = (staged instanceof PdfDict ? staged : (reader.resolve(pageRef) as PdfDict)).clone();
  const oldRes = reader.resolve(staged instanceof PdfDict ? page.get('Resources') : reader.inherited(page, 'Resources'));
  const res = oldRes instanceof PdfDict ? oldRes.clone() : new PdfDict();
  const xo = reader.resolve(res.get('XObject'));
  const xobjects = xo instanceof PdfDict ? xo.clone() : new PdfDict();
  let name = 'KysoQr';
  for (let i = 2; xobjects.has(name); i++) name = `KysoQr${i}`;
  xobjects.set(name, form);
  res.set('XObject', xobjects);
  const paint = `q 1 0 0 1 ${num(options.x)} ${num(options.y + captionH)} cm /${name} Do Q\n`;
  const old = page.get('Contents');
  const resolved = reader.resolve(old);
  const list: PdfObject[] = Array.isArray(resolved) ? resolved : old === undefined || resolved === null ? [] : [old];
  const flate = (s: string): PdfRef => writer.add(new PdfStream(new PdfDict().set('Filter', PdfName.of('FlateDecode')), deflateSync(Buffer.from(s, 'latin1'))));
  // The page's own content may leave its graphics state changed: wrap it in q ... Q.
  const contents: PdfObject[] = list.length > 0 ? [flate('q\n'), ...list, flate(`Q\n${paint}`)] : [flate(paint)];
  writer.set(pageRef, page.set('Resources', res).set('Contents', contents));
}

let qrModule: typeof QRCodeTypes | undefined;

/** qrcode (and pngjs under it), loaded when a code is first drawn, not when core is imported. */
function qrcode(): typeof QRCodeTypes {
  qrModule ??= createRequire(import.meta.url)('qrcode') as typeof QRCodeTypes;
  return qrModule;
}
