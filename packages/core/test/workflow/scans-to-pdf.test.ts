import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scansToPdf } from '../../src/index.js';
import { A4, scanKind } from '../../src/workflow/index.js';
import { isKysoError } from '../../src/errors.js';
import { encodePng } from '../appearance/images.js';
import { makePdfLibPdf, tempDir } from '../helpers/fixtures.js';
import { makeJpeg } from './jpeg.js';

/** Page sizes as poppler's pdfinfo reports them. */
function pageSizes(pdf: Uint8Array): [number, number][] {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.pdf'), pdf);
  const text = execFileSync('pdfinfo', ['-f', '1', '-l', '99', join(dir, 'x.pdf')], { encoding: 'utf8' });
  return [...text.matchAll(/Page +\d+ size: +([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** pdfimages -list rows: page num type width height color comp bpc enc interp object ID x-ppi y-ppi ... */
function imageList(pdf: Uint8Array): string[][] {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.pdf'), pdf);
  const images = execFileSync('pdfimages', ['-list', join(dir, 'x.pdf')], { encoding: 'utf8' });
  return images.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
}

function solidPng(w: number, h: number, dpi?: number): Buffer {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([(i * 7) % 256, 90, 200, 255], i * 4);
  return encodePng(w, h, rgba, dpi);
}

describe('scansToPdf', () => {
  it('embeds a JPEG byte for byte (no re-encoding) at 100% of its physical size on A4', async () => {
    const jpeg = await makeJpeg(100);
    const pdf = await scansToPdf([jpeg]);
    expect(Buffer.from(pdf).indexOf(jpeg)).toBeGreaterThan(0);
    expect(pageSizes(pdf)).toEqual([[595.28, 841.89]]);
    // Drawn at its physical size: poppler sees it at the scan's 100 dpi, as DCT.
    expect(imageList(pdf).map((r) => [r[0], r[2], r[8], r[12], r[13]])).toEqual([['1', 'image', 'jpeg', '100', '100']]);
  });

  it('page size "image" follows the DPI; A4 scales down only an image larger than the page; PNG and PDF pages mix', async () => {
    const small = solidPng(300, 200, 150); // 144 x 96 pt
    const big = solidPng(2000, 3000, 100); // 1440 x 2160 pt: larger than A4
    const pdfPages = await makePdfLibPdf(2);
    const own = await scansToPdf([small, big], { pageSize: 'image' });
    const ownSizes = pageSizes(own).flat();
    [144, 96, 1440, 2160].forEach((v, i) => expect(ownSizes[i]).toBeCloseTo(v, 0));
    const a4 = await scansToPdf([small, pdfPages, big]);
    const sizes = pageSizes(a4);
    expect(sizes).toEqual([[841.89, 595.28], [595.28, 841.89], [595.28, 841.89], [595.28, 841.89]]);
    // The large PNG fits the page exactly in height (its aspect ratio kept), the small one is not enlarged.
    const rows = imageList(a4);
    expect(rows.map((r) => [r[0], r[3], r[4], r[12]])).toEqual([
      ['1', '300', '200', '150'],
      ['4', '2000', '3000', String(Math.round(3000 / (841.89 / 72)))],
    ]);
  });

  it('refuses what is neither JPEG, PNG nor PDF, and an empty list', async () => {
    expect(() => scanKind(Buffer.from('GIF89a....'))).toThrow(expect.objectContaining({ code: 'PDF_NOT_PDF' }) as Error);
    await expect(scansToPdf([])).rejects.toSatisfy(isKysoError);
    await expect(scansToPdf([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])])).rejects.toSatisfy(isKysoError);
    expect(A4).toEqual([595.28, 841.89]);
  });
});
