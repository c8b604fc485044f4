/**
 * Draws a layout with pdf-lib into a scratch one-page PDF the size of the
 * box (Liberation Serif subset-embedded, PNG/JPEG images). The page is
 * later lifted into the signed document as a Form XObject (transplant.ts).
 */
import type { PDFDocument, PDFFont, PDFImage, PDFPage } from 'pdf-lib';
import { KysoError } from '../errors.js';
import { fontBytes, type FontSet, type FontStyle } from './fonts.js';
import { imageInfo } from './image-info.js';
import type { AppearanceLayout, FractionBox, ImageElement, Rgb, TextElement, TextLine } from './layout.js';
import { fillTemplate, type AppearanceData } from './template.js';

/** An image with, optionally, its physical size (for real-size seals). */
export interface AppearanceImage {
  bytes: Uint8Array;
  /** Physical width in millimetres; the height follows the aspect ratio unless given. */
  widthMm?: number;
  heightMm?: number;
}

/** Everything a layout's templates and images can use. */
export interface AppearanceInput extends AppearanceData {
  /** Images by key (`signature`, `seal`, ...): PNG or JPEG bytes. */
  images?: Readonly<Record<string, Uint8Array | AppearanceImage>>;
  /** Other TrueType fonts than the bundled Liberation Serif. */
  fonts?: FontSet;
}

export type Rect = [number, number, number, number];

export interface DrawnBox {
  /** The scratch PDF: one page of exactly width × height points. */
  pdf: Uint8Array;
  width: number;
  height: number;
  /** Where each image was drawn, in box coordinates. */
  images: Record<string, Rect>;
}

const MM = 72 / 25.4;

/** Fonts embedded on demand, one per style. */
class Fonts {
  private readonly embedded = new Map<FontStyle, Promise<PDFFont>>();
  constructor(
    private readonly doc: PDFDocument,
    private readonly set: FontSet | undefined,
  ) {}
  get(style: FontStyle): Promise<PDFFont> {
    let f = this.embedded.get(style);
    if (!f) {
      f = this.doc.embedFont(fontBytes(style, this.set), { subset: true });
      this.embedded.set(style, f);
    }
    return f;
  }
}

interface ResolvedLine {
  text: string;
  font: FontStyle;
  size: number;
  color: Rgb;
}

function imageOf(input: AppearanceInput, el: ImageElement): AppearanceImage | undefined {
  const v = input.images?.[el.image];
  if (!v) {
    if (el.optional) return undefined;
    throw new KysoError('SIGN_OPTIONS_INVALID', `The appearance needs the image "${el.image}".`, { vi: `Hình hiển thị chữ ký cần ảnh "${el.image}".` });
  }
  return v instanceof Uint8Array ? { bytes: v } : v;
}

/** The physical size of an image in points. */
export function realSize(img: AppearanceImage, assumedDpi = 300): { width: number; height: number } {
  const info = imageInfo(img.bytes);
  const aspect = info.height / info.width;
  if (img.widthMm && img.heightMm) return { width: img.widthMm * MM, height: img.heightMm * MM };
  if (img.widthMm) return { width: img.widthMm * MM, height: img.widthMm * MM * aspect };
  if (img.heightMm) return { width: (img.heightMm * MM) / aspect, height: img.heightMm * MM };
  const dx = info.dpiX && info.dpiX > 1 ? info.dpiX : assumedDpi;
  const dy = info.dpiY && info.dpiY > 1 ? info.dpiY : dx;
  return { width: (info.width / dx) * 72, height: (info.height / dy) * 72 };
}

function resolveLines(el: TextElement, data: AppearanceData): ResolvedLine[] {
  const out: ResolvedLine[] = [];
  for (const line of el.lines as TextLine[]) {
    const spec = typeof line === 'string' ? { text: line } : line;
    const text = fillTemplate(spec.text, data);
    if (text === undefined) continue;
    out.push({ text, font: spec.font ?? el.font ?? 'regular', size: spec.size ?? el.size ?? 10, color: spec.color ?? el.color ?? [0, 0, 0] });
  }
  return out;
}

function regionOf(box: FractionBox | undefined, inner: { x: number; y: number; width: number; height: number }) {
  const b = box ?? { x: 0, y: 0, width: 1, height: 1 };
  return { x: inner.x + b.x * inner.width, y: inner.y + b.y * inner.height, width: b.width * inner.width, height: b.height * inner.height };
}

/** Splits a line into lines no wider than `width` at spaces (a single long word stays whole). */
function wrapLine(text: string, font: PDFFont, size: number, width: number): string[] {
  if (font.widthOfTextAtSize(text, size) <= width) return [text];
  const words = text.split(' ');
  const out: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur === '' ? w : `${cur} ${w}`;
    if (cur !== '' && font.widthOfTextAtSize(next, size) > width) {
      out.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur !== '') out.push(cur);
  return out;
}

interface LaidLine extends ResolvedLine {
  pdfFont: PDFFont;
}

/** Lays lines out at a scale factor (1 = their own sizes), wrapping to `width` if asked. */
function layLines(lines: ResolvedLine[], fonts: Map<FontStyle, PDFFont>, scale: number, width: number | undefined): LaidLine[] {
  const out: LaidLine[] = [];
  for (const l of lines) {
    const pdfFont = fonts.get(l.font)!;
    const size = l.size * scale;
    const parts = width === undefined ? [l.text] : wrapLine(l.text, pdfFont, size, width);
    for (const p of parts) out.push({ ...l, text: p, size, pdfFont });
  }
  return out;
}

const blockHeight = (lines: LaidLine[], lh: number): number => lines.reduce((h, l) => h + l.size * lh, 0);
const blockWidth = (lines: LaidLine[]): number => Math.max(0, ...lines.map((l) => l.pdfFont.widthOfTextAtSize(l.text, l.size)));

/**
 * Draws `layout` filled with `input` into a scratch PDF. `size` overrides
 * the layout's (a caller-given rectangle).
 */
export async function drawLayout(layout: AppearanceLayout, input: AppearanceInput, size?: { width: number; height: number }): Promise<DrawnBox> {
  const { PDFDocument, fontkit } = await drawingLibraries();
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fontLoader = new Fonts(doc, input.fonts);
  const pad = layout.padding ?? 2;

  // Resolve every element first: 'fit' layouts are sized from their content.
  type Prepared =
    | { el: ImageElement; img: AppearanceImage; natural: { width: number; height: number } }
    | { el: TextElement; lines: ResolvedLine[]; fonts: Map<FontStyle, PDFFont> };
  const prepared: Prepared[] = [];
  for (const el of layout.elements) {
    if (el.type === 'image') {
      const img = imageOf(input, el);
      if (!img) continue;
      const info = imageInfo(img.bytes);
      const natural = el.fit === 'real-size' ? realSize(img, el.assumedDpi) : { width: info.width, height: info.height };
      prepared.push({ el, img, natural });
    } else if (el.type === 'text') {
      const lines = resolveLines(el, input);
      if (lines.length === 0) continue;
      const fonts = new Map<FontStyle, PDFFont>();
      for (const l of lines) if (!fonts.has(l.font)) fonts.set(l.font, await fontLoader.get(l.font));
      prepared.push({ el, lines, fonts });
    } else {
      throw new KysoError('SIGN_OPTIONS_INVALID', `Unknown layout element type "${(el as { type: unknown }).type}".`, { vi: 'Bố cục hình hiển thị chữ ký có phần tử không hợp lệ.' });
    }
  }

  let width: number;
  let height: number;
  if (size) ({ width, height } = size);
  else if (layout.size !== 'fit') ({ width, height } = layout.size);
  else {
    width = 0;
    height = 0;
    for (const p of prepared) {
      const b = p.el.box ?? { x: 0, y: 0, width: 1, height: 1 };
      let nat: { width: number; height: number };
      if ('img' in p) nat = p.natural;
      else {
        const laid = layLines(p.lines, p.fonts, 1, undefined);
        nat = { width: blockWidth(laid), height: blockHeight(laid, p.el.lineHeight ?? 1.2) };
      }
      width = Math.max(width, nat.width / b.width);
      height = Math.max(height, nat.height / b.height);
    }
    width += 2 * pad;
    height += 2 * pad;
  }
  if (!(width > 0 && height > 0 && width < 14400 && height < 14400)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'The appearance box is empty or too large.', { vi: 'Khung hình hiển thị chữ ký rỗng hoặc quá lớn.' });
  }

  const page = doc.addPage([width, height]);
  const inner = { x: pad, y: pad, width: Math.max(0, width - 2 * pad), height: Math.max(0, height - 2 * pad) };
  const images: Record<string, Rect> = {};
  for (const p of prepared) {
    const region = regionOf(p.el.box, inner);
    if ('img' in p) {
      const embedded = await embedImage(doc, p.img.bytes);
      let w: number;
      let h: number;
      if (p.el.fit === 'real-size') ({ width: w, height: h } = p.natural);
      else {
        const s = Math.min(region.width / p.natural.width, region.height / p.natural.height);
        w = p.natural.width * s;
        h = p.natural.height * s;
      }
      const x = region.x + (region.width - w) / 2;
      const y = region.y + (region.height - h) / 2;
      page.drawImage(embedded, { x, y, width: w, height: h });
      images[p.el.image] = [x, y, x + w, y + h];
    } else drawText(page, p.el, p.lines, p.fonts, region);
  }
  const pdf = await doc.save({ useObjectStreams: false, addDefaultPage: false });
  return { pdf, width, height, images };
}

function embedImage(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
  const format = imageInfo(bytes).format;
  // A fresh copy: pdf-lib reads the JPEG header through a DataView that ignores byteOffset.
  const copy = new Uint8Array(bytes);
  return format === 'png' ? doc.embedPng(copy) : doc.embedJpg(copy);
}

function drawText(page: PDFPage, el: TextElement, lines: ResolvedLine[], fonts: Map<FontStyle, PDFFont>, region: { x: number; y: number; width: number; height: number }): void {
  const lh = el.lineHeight ?? 1.2;
  const wrap = el.wrap ?? true;
  const maxSize = Math.max(...lines.map((l) => l.size));
  const minScale = Math.min(1, (el.minSize ?? maxSize) / maxSize);
  // Shrink until the block fits the region (never below minSize).
  let scale = 1;
  let laid = layLines(lines, fonts, scale, wrap ? region.width : undefined);
  while (scale > minScale && (blockHeight(laid, lh) > region.height + 0.01 || blockWidth(laid) > region.width + 0.01)) {
    scale = Math.max(minScale, scale - 0.05);
    laid = layLines(lines, fonts, scale, wrap ? region.width : undefined);
  }
  const total = blockHeight(laid, lh);
  const valign = el.valign ?? 'top';
  let top = valign === 'top' ? region.y + region.height : valign === 'middle' ? region.y + (region.height + total) / 2 : region.y + total;
  for (const l of laid) {
    const lineH = l.size * lh;
    // Baseline: the glyphs' descent (about 0.22 em for Times-like faces) plus half the leading above the bottom of the line.
    const baseline = top - lineH + (lineH - l.size) / 2 + 0.22 * l.size;
    const w = l.pdfFont.widthOfTextAtSize(l.text, l.size);
    const align = el.align ?? 'left';
    const x = align === 'left' ? region.x : align === 'center' ? region.x + (region.width - w) / 2 : region.x + region.width - w;
    page.drawText(l.text, { x, y: baseline, size: l.size, font: l.pdfFont, color: loaded!.rgb(l.color[0], l.color[1], l.color[2]) });
    top -= lineH;
  }
}

interface DrawingLibraries {
  PDFDocument: typeof import('pdf-lib').PDFDocument;
  rgb: typeof import('pdf-lib').rgb;
  fontkit: Parameters<PDFDocument['registerFontkit']>[0];
}

/** Set once drawLayout has loaded them; the drawing helpers run only after. */
let loaded: DrawingLibraries | undefined;

/**
 * pdf-lib and fontkit, loaded on the first drawing: they cost most of
 * core's import time (fontkit alone a fifth of it), and verifying or an
 * invisible signature never draws.
 */
async function drawingLibraries(): Promise<DrawingLibraries> {
  if (!loaded) {
    const [pdfLib, fk] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
    const fontkit = ((fk as { default?: unknown }).default ?? fk) as DrawingLibraries['fontkit'];
    loaded = { PDFDocument: pdfLib.PDFDocument, rgb: pdfLib.rgb, fontkit };
  }
  return loaded;
}
