/**
 * A visible signature's appearance: drawn by pdf-lib in a scratch page
 * (draw.ts), placed on a page of the document (by rectangle, point,
 * corner, keyword, or over another signature), and lifted into the
 * document's incremental update as a Form XObject (transplant.ts). Only new
 * objects are written; nothing of the document is rewritten.
 *
 * Two halves, so a synchronous signing step can embed what an async step
 * rendered: `renderAppearance` (async, pure data out) and
 * `embedAppearance` (sync, writes into an IncrementalWriter).
 */
import { KysoError } from '../errors.js';
import { PdfDict, PdfReader, type IncrementalWriter, type PdfRef } from '../pdf/index.js';
import { drawLayout, type AppearanceInput, type Rect } from './draw.js';
import { findKeyword } from './keyword.js';
import { LAYOUTS, type AppearanceLayout, type LayoutName } from './layout.js';
import { pageToFormXObject } from './transplant.js';

/** Next to a word of the page text. */
export interface KeywordPlacement {
  text: string;
  /** 1-based; negative counts from the last match (default 1). */
  occurrence?: number;
  /** Where the box goes relative to the word (default `below`, left-aligned with it). */
  position?: 'below' | 'above' | 'right' | 'left' | 'center';
  /** Points between the word and the box (default 4). */
  gap?: number;
}

export interface AppearancePlacement {
  /** Zero-based page (default: the layout's, the `over` appearance's, or 0). */
  page?: number;
  /** Explicit rectangle [x1 y1 x2 y2] in page space: the box is drawn at this size. */
  rect?: Rect;
  /** Lower-left corner; the size comes from the layout. */
  at?: { x: number; y: number };
  /** Next to a keyword in the page text (needs pdfjs-dist). */
  keyword?: KeywordPlacement;
  /** For `over: 'signature'` layouts (the seal): the signer's appearance, or its image rectangle. */
  over?: { page: number; rect: Rect; imageRect?: Rect };
}

/** What renderAppearance produced: plain data, safe to keep and embed later. */
export interface RenderedAppearance {
  /** The scratch one-page PDF holding the drawing. */
  pdf: Uint8Array;
  page: number;
  rect: Rect;
  /** Where each image landed, in page space. */
  images: Record<string, Rect>;
  /** The first image's rectangle (the signature image of a personal layout). */
  imageRect?: Rect;
}

/** What signPdf takes as `placement`: { page, rect, appearance }. */
export interface BuiltAppearance extends RenderedAppearance {
  appearance: PdfRef;
}

export function resolveLayout(layout: AppearanceLayout | LayoutName): AppearanceLayout {
  if (typeof layout !== 'string') return layout;
  const l = (LAYOUTS as Record<string, AppearanceLayout>)[layout];
  if (!l) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Unknown appearance layout "${layout}" (known: ${Object.keys(LAYOUTS).join(', ')}).`, {
      vi: `Không có bố cục hình hiển thị chữ ký "${layout}".`,
    });
  }
  return l;
}

/** A page's visible area (CropBox, else MediaBox), normalised. */
export function pageBox(reader: PdfReader, index: number): Rect {
  const ref = reader.pageRef(index);
  const page = ref ? reader.resolve(ref) : null;
  if (!(page instanceof PdfDict)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `The PDF has ${reader.pageCount()} page(s); page ${index + 1} does not exist.`, {
      vi: `Tệp PDF có ${reader.pageCount()} trang; không có trang ${index + 1}.`,
    });
  }
  for (const key of ['CropBox', 'MediaBox']) {
    const b = reader.resolve(reader.inherited(page, key));
    if (Array.isArray(b) && b.length === 4) {
      const n = b.map((v) => reader.resolve(v));
      if (n.every((v) => typeof v === 'number')) {
        const [a, c, d, e] = n as number[];
        return [Math.min(a!, d!), Math.min(c!, e!), Math.max(a!, d!), Math.max(c!, e!)];
      }
    }
  }
  return [0, 0, 595.28, 841.89];
}

const shift = (r: Rect, dx: number, dy: number): Rect => [r[0] + dx, r[1] + dy, r[2] + dx, r[3] + dy];

/**
 * Draws `layout` with `input` and works out where it goes. `pdf` is the
 * document to be signed (its pages' sizes and text are read, never changed).
 */
export async function renderAppearance(
  pdf: Uint8Array | PdfReader,
  layoutOrName: AppearanceLayout | LayoutName,
  input: AppearanceInput,
  placement: AppearancePlacement = {},
): Promise<RenderedAppearance> {
  const layout = resolveLayout(layoutOrName);
  const reader = pdf instanceof PdfReader ? pdf : PdfReader.open(pdf);
  const position = layout.position;

  let page = placement.page ?? placement.over?.page ?? (position && 'corner' in position ? position.page : undefined) ?? 0;
  if (placement.rect) {
    const [x1, y1, x2, y2] = placement.rect;
    const rect: Rect = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
    pageBox(reader, page); // the page must exist
    const drawn = await drawLayout(layout, input, { width: rect[2] - rect[0], height: rect[3] - rect[1] });
    return finish(drawn, page, rect);
  }

  const drawn = await drawLayout(layout, input);
  const { width: w, height: h } = drawn;
  let rect: Rect;
  if (placement.at) {
    pageBox(reader, page);
    rect = [placement.at.x, placement.at.y, placement.at.x + w, placement.at.y + h];
  } else if (placement.keyword) {
    const k = placement.keyword;
    const bytes = reader.bytes;
    const found = await findKeyword(bytes, k.text, { ...(placement.page !== undefined ? { page: placement.page } : {}), ...(k.occurrence !== undefined ? { occurrence: k.occurrence } : {}) });
    page = found.page;
    const [kx1, ky1, kx2, ky2] = found.rect;
    const gap = k.gap ?? 4;
    switch (k.position ?? 'below') {
      case 'below':
        rect = [kx1, ky1 - gap - h, kx1 + w, ky1 - gap];
        break;
      case 'above':
        rect = [kx1, ky2 + gap, kx1 + w, ky2 + gap + h];
        break;
      case 'right':
        rect = [kx2 + gap, (ky1 + ky2 - h) / 2, kx2 + gap + w, (ky1 + ky2 + h) / 2];
        break;
      case 'left':
        rect = [kx1 - gap - w, (ky1 + ky2 - h) / 2, kx1 - gap, (ky1 + ky2 + h) / 2];
        break;
      case 'center':
        rect = [(kx1 + kx2 - w) / 2, (ky1 + ky2 - h) / 2, (kx1 + kx2 + w) / 2, (ky1 + ky2 + h) / 2];
        break;
    }
  } else if (position && 'over' in position) {
    const over = placement.over;
    if (!over) {
      throw new KysoError('SIGN_OPTIONS_INVALID', `The "${layout.name}" layout goes over a signature: pass placement.over (the signer's appearance).`, {
        vi: `Bố cục "${layout.name}" đặt đè lên chữ ký: cần truyền placement.over (hình chữ ký của người ký).`,
      });
    }
    const img = over.imageRect ?? over.rect;
    const overlap = position.overlap ?? 1 / 3;
    const right = img[0] + overlap * (img[2] - img[0]);
    const cy = (img[1] + img[3]) / 2;
    rect = [right - w, cy - h / 2, right, cy + h / 2];
  } else if (position && 'corner' in position) {
    const box = pageBox(reader, page);
    const m = position.margin ?? 20;
    const right = position.corner.endsWith('right');
    const top = position.corner.startsWith('top');
    const x1 = right ? box[2] - m - w : box[0] + m;
    const y1 = top ? box[3] - m - h : box[1] + m;
    rect = [x1, y1, x1 + w, y1 + h];
  } else {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Where should the "${layout.name}" appearance go? Give placement.rect, .at or .keyword.`, {
      vi: `Chưa chỉ định vị trí cho hình hiển thị chữ ký "${layout.name}": cần placement.rect, .at hoặc .keyword.`,
    });
  }
  return finish(drawn, page, rect!);

  function finish(d: { pdf: Uint8Array; images: Record<string, Rect> }, pg: number, r: Rect): RenderedAppearance {
    const images: Record<string, Rect> = {};
    for (const [k, v] of Object.entries(d.images)) images[k] = shift(v, r[0], r[1]);
    const first = Object.values(images)[0];
    return { pdf: d.pdf, page: pg, rect: r, images, ...(first ? { imageRect: first } : {}) };
  }
}

/** Lifts a rendered appearance into `writer` as a Form XObject: `{ page, rect, appearance }` for signPdf's placement. */
export function embedAppearance(writer: IncrementalWriter, rendered: RenderedAppearance): BuiltAppearance {
  const scratch = PdfReader.open(rendered.pdf);
  const { ref } = pageToFormXObject(scratch, writer, 0);
  return { ...rendered, appearance: ref };
}

/**
 * Draws and embeds in one call: the Form XObject is added through `writer`;
 * pass the result as signPdf's `placement`.
 */
export async function buildAppearance(
  reader: PdfReader,
  writer: IncrementalWriter,
  layout: AppearanceLayout | LayoutName,
  input: AppearanceInput,
  placement: AppearancePlacement = {},
): Promise<BuiltAppearance> {
  return embedAppearance(writer, await renderAppearance(reader, layout, input, placement));
}
