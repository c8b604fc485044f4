/**
 * Makes the sample document used by the quick start and the examples: a
 * one-page Vietnamese text in Liberation Serif (metric-compatible with Times
 * New Roman), as an officer's scan-to-PDF tool would produce.
 *
 *   node --import tsx examples/make-sample-pdf.ts examples/assets/sample.pdf
 */
import { readFileSync, writeFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';

const FONT = '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf';

export async function makeSamplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(FONT), { subset: true });
  doc.setTitle('Giấy khai sinh (bản mẫu)');
  doc.setProducer('kyso examples');
  doc.setCreationDate(new Date('2024-02-02T07:00:00Z'));
  doc.setModificationDate(new Date('2024-02-02T07:00:00Z'));
  const page = doc.addPage([595.28, 841.89]);
  const lines = [
    ['CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 13],
    ['Độc lập - Tự do - Hạnh phúc', 13],
    ['', 12],
    ['GIẤY KHAI SINH (BẢN MẪU - TEST)', 16],
    ['', 12],
    ['Họ, chữ đệm, tên: NGUYỄN THỊ HỒNG NHUNG', 12],
    ['Ngày, tháng, năm sinh: 02/02/2024', 12],
    ['Nơi sinh: Bệnh viện Đa khoa tỉnh Bình Định', 12],
    ['Quê quán: xã Phước Lộc, huyện Tuy Phước, tỉnh Bình Định', 12],
    ['Dân tộc: Kinh        Quốc tịch: Việt Nam', 12],
  ] as const;
  let y = 780;
  for (const [text, size] of lines) {
    const width = font.widthOfTextAtSize(text, size);
    const x = size >= 13 ? (595.28 - width) / 2 : 72;
    page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
    y -= size * 1.9;
  }
  return doc.save({ useObjectStreams: false });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'sample.pdf';
  writeFileSync(out, await makeSamplePdf());
  console.log(`wrote ${out}`);
}
