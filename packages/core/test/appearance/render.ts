/**
 * Test plumbing: put appearances on a page as annotations (until signPdf
 * takes an appearance), then judge the file with poppler and qpdf.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncrementalWriter, PdfDict, PdfName, type PdfReader, type PdfRef } from '../../src/pdf/index.js';
import type { BuiltAppearance, Rect } from '../../src/appearance/index.js';
import { decodePng } from './images.js';

/** Adds each built appearance as a printable widget-less /Stamp annotation on its page, in the same update. */
export function annotate(reader: PdfReader, writer: IncrementalWriter, built: BuiltAppearance[]): Uint8Array {
  const byPage = new Map<number, PdfRef[]>();
  for (const b of built) {
    const pageRef = reader.pageRef(b.page)!;
    const annot = new PdfDict()
      .set('Type', PdfName.of('Annot'))
      .set('Subtype', PdfName.of('Stamp'))
      .set('Rect', b.rect)
      .set('F', 4)
      .set('P', pageRef)
      .set('AP', new PdfDict().set('N', b.appearance));
    byPage.set(b.page, [...(byPage.get(b.page) ?? []), writer.add(annot)]);
  }
  for (const [page, refs] of byPage) {
    const pageRef = reader.pageRef(page)!;
    const dict = reader.resolve(pageRef) as PdfDict;
    const old = reader.resolve(dict.get('Annots'));
    writer.set(pageRef, dict.clone().set('Annots', [...(Array.isArray(old) ? old : []), ...refs]));
  }
  return Buffer.concat([reader.bytes, writer.write().appended]);
}

export interface Raster {
  width: number;
  height: number;
  rgb: Uint8Array;
  png: Buffer;
}

/** pdftoppm -png -r 72: one pixel per point. */
export function rasterize(pdf: Uint8Array, dir: string, page = 1): Raster {
  const file = join(dir, `r-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '72', '-f', String(page), '-l', String(page), '-singlefile', file, `${file}-p`]);
  const png = readFileSync(`${file}-p.png`);
  return { ...decodePng(png), png };
}

export type Kind = 'blue' | 'red' | 'dark';

export function isKind(r: number, g: number, b: number, kind: Kind): boolean {
  if (kind === 'blue') return b > 140 && r < 90 && g < 130;
  if (kind === 'red') return r > 160 && g < 90 && b < 90;
  return r < 100 && g < 100 && b < 100;
}

/** Pixels of a kind inside a rectangle given in PDF points (y up), on a 72 dpi raster of a page `pageHeight` tall. */
export function countIn(ras: Raster, rect: Rect, kind: Kind, pageHeight: number): number {
  const [x1, y1, x2, y2] = rect;
  let n = 0;
  for (let py = Math.max(0, Math.floor(pageHeight - y2)); py < Math.min(ras.height, Math.ceil(pageHeight - y1)); py++) {
    for (let px = Math.max(0, Math.floor(x1)); px < Math.min(ras.width, Math.ceil(x2)); px++) {
      const i = (py * ras.width + px) * 3;
      if (isKind(ras.rgb[i]!, ras.rgb[i + 1]!, ras.rgb[i + 2]!, kind)) n++;
    }
  }
  return n;
}

export function countAll(ras: Raster, kind: Kind): number {
  let n = 0;
  for (let i = 0; i < ras.rgb.length; i += 3) if (isKind(ras.rgb[i]!, ras.rgb[i + 1]!, ras.rgb[i + 2]!, kind)) n++;
  return n;
}

export function pdftotext(pdf: Uint8Array, dir: string, page?: number): string {
  const file = join(dir, `t-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const args = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...args, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
}

export function writeTemp(pdf: Uint8Array, dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, pdf);
  return file;
}
