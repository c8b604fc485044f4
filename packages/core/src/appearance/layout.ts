/**
 * Appearance layouts are data (JSON-able), not code: an agency can define
 * its own. A layout is a box with images and text templates placed in it
 * by fractions of the box; built-in ones follow Decree 30/2020/NĐ-CP,
 * Appendix I.
 */
import type { FontStyle } from './fonts.js';

/** RGB, each 0..1. */
export type Rgb = [number, number, number];

/** A region of the appearance box in fractions of its size, origin bottom-left. */
export interface FractionBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageElement {
  type: 'image';
  /** Key of the image in the data's `images` (`signature`, `seal`, or any other). */
  image: string;
  /** Where in the box (default all of it). */
  box?: FractionBox;
  /**
   * `contain` (default): scaled to fit its region, centred, aspect kept.
   * `real-size`: its physical size (the image's `widthMm`, else PNG pHYs /
   * JPEG density, else `assumedDpi`); only with `size: 'fit'` layouts.
   */
  fit?: 'contain' | 'real-size';
  /** Resolution assumed for real-size images that state none (default 300 dpi). */
  assumedDpi?: number;
  /** Leave the element out silently when the image is not given (default: an error). */
  optional?: boolean;
}

/** A line of text: a template, or a template with its own style. */
export type TextLine = string | { text: string; font?: FontStyle; size?: number; color?: Rgb };

export interface TextElement {
  type: 'text';
  /** Templates, one per line: `Người ký: {commonName}`. A line whose fields are all missing is left out. */
  lines: TextLine[];
  box?: FractionBox;
  font?: FontStyle;
  /** Points (default 10). In a fixed box the text shrinks down to `minSize` to fit. */
  size?: number;
  minSize?: number;
  color?: Rgb;
  align?: 'left' | 'center' | 'right';
  valign?: 'top' | 'middle' | 'bottom';
  /** Line advance as a multiple of the size (default 1.2). */
  lineHeight?: number;
  /** Wrap long lines at spaces in a fixed box (default true). */
  wrap?: boolean;
}

export type LayoutElement = ImageElement | TextElement;

/** Where a box goes when the call gives no rectangle. */
export type LayoutPosition =
  /** A corner of the page's crop box, `margin` points in. */
  | { corner: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left'; margin?: number; page?: number }
  /**
   * Over another appearance's image (the signer's signature): the box's
   * right part covers `overlap` (a fraction, default 1/3) of the image's
   * width on its left, centred vertically on it.
   */
  | { over: 'signature'; overlap?: number };

export interface AppearanceLayout {
  name: string;
  /** Box size in points when the call gives no rectangle, or `fit`: sized to the content. */
  size: { width: number; height: number } | 'fit';
  /** Points inside the box edge (default 2). */
  padding?: number;
  elements: LayoutElement[];
  position?: LayoutPosition;
}

const BLACK: Rgb = [0, 0, 0];

/** The signer's handwritten signature (blue transparent PNG) with the usual text block under it. */
export const PERSONAL_LAYOUT: AppearanceLayout = {
  name: 'personal',
  size: { width: 200, height: 110 },
  elements: [
    { type: 'image', image: 'signature', box: { x: 0, y: 0.44, width: 1, height: 0.56 } },
    {
      type: 'text',
      box: { x: 0, y: 0, width: 1, height: 0.44 },
      lines: ['Người ký: {commonName}', 'Email: {email}', 'Cơ quan: {agencyPath}', 'Thời gian ký: {signingTime:vn}'],
      size: 8,
      minSize: 4,
      color: BLACK,
      align: 'left',
      valign: 'top',
    },
  ],
};

/** The signer's handwritten signature alone, centred in its box. */
export const PERSONAL_IMAGE_LAYOUT: AppearanceLayout = {
  name: 'personal-image',
  size: { width: 160, height: 70 },
  elements: [{ type: 'image', image: 'signature' }],
};

/** The agency's seal (red transparent PNG) at its real size, over the left third of the signature image. */
export const SEAL_LAYOUT: AppearanceLayout = {
  name: 'seal',
  size: 'fit',
  padding: 0,
  elements: [{ type: 'image', image: 'seal', fit: 'real-size' }],
  position: { over: 'signature', overlap: 1 / 3 },
};

const STAMP_TEXT = { type: 'text', font: 'regular', size: 10, color: BLACK, align: 'left', valign: 'top', wrap: false } as const;

/** Electronic copy (SAO Y / SAO LỤC / TRÍCH SAO): copy type, copying agency, ISO time, top right of page 1. */
export const COPY_LAYOUT: AppearanceLayout = {
  name: 'copy',
  size: 'fit',
  elements: [{ ...STAMP_TEXT, lines: ['{copyType}', '{agency}', '{signingTime:iso}'] }],
  position: { corner: 'top-right', margin: 20, page: 0 },
};

/** Attachment in a separate file: document number/symbol and ISO time, top right of page 1. */
export const ATTACHMENT_LAYOUT: AppearanceLayout = {
  name: 'attachment',
  size: 'fit',
  elements: [{ ...STAMP_TEXT, lines: ['{docNumber}', '{signingTime:iso}'] }],
  position: { corner: 'top-right', margin: 20, page: 0 },
};

/** A text-only block; replace `lines` with your own templates. */
export const TEXT_LAYOUT: AppearanceLayout = {
  name: 'text',
  size: { width: 200, height: 60 },
  elements: [{ ...STAMP_TEXT, wrap: true, minSize: 5, lines: ['Ký bởi: {commonName}', 'Cơ quan: {agencyPath}', 'Thời gian ký: {signingTime:vn}'] }],
};

export const LAYOUTS = {
  personal: PERSONAL_LAYOUT,
  'personal-image': PERSONAL_IMAGE_LAYOUT,
  seal: SEAL_LAYOUT,
  copy: COPY_LAYOUT,
  attachment: ATTACHMENT_LAYOUT,
  text: TEXT_LAYOUT,
} as const satisfies Record<string, AppearanceLayout>;

export type LayoutName = keyof typeof LAYOUTS;
