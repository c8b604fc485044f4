import { decodeStream, PdfDict, PdfName, PdfParser, PdfRef, PdfStream, PdfString, type PdfObject, type PdfReader } from '../pdf/index.js';

/**
 * What drawing an appearance or a page puts on paper, approximately but
 * on the safe side: enough to tell a seal whose image is transparent
 * outside its ink from an opaque box laid over signed text.
 */
export interface AppearanceInk {
  /** Paints anything at all. */
  draws: boolean;
  /** Paints an area that hides what is under it: a filled path, an image without a mask, a shading. */
  opaque: boolean;
}

export type Box = [number, number, number, number];

const MAX_DEPTH = 8;
const MAX_OPS = 200_000;
const MAX_CONTENT = 16 << 20;

/** Normalised /Rect of an annotation, or null when it has none. */
export function annotationRect(dict: PdfDict): Box | null {
  const r = dict.get('Rect');
  if (!Array.isArray(r) || r.length !== 4 || !r.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const [a, b, c, d] = r as number[];
  return [Math.min(a!, c!), Math.min(b!, d!), Math.max(a!, c!), Math.max(b!, d!)];
}

/** An annotation that a viewer does not show: hidden or no-view flags, or no area. */
export function isInvisible(dict: PdfDict): boolean {
  const f = dict.getNumber('F') ?? 0;
  if ((f & 2) !== 0 || (f & 32) !== 0) return true;
  const rect = annotationRect(dict);
  return rect === null || rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0;
}

/** The ink of an annotation's appearances (/AP: every state of /N, /R, /D). */
export function annotationInk(view: PdfReader, dict: PdfDict): AppearanceInk {
  const out: AppearanceInk = { draws: false, opaque: false };
  if (isInvisible(dict)) return out;
  const ap = view.resolve(dict.get('AP'));
  if (!(ap instanceof PdfDict)) return out;
  for (const key of ['N', 'R', 'D']) {
    const entry = view.resolve(ap.get(key));
    const streams: PdfObject[] = entry instanceof PdfStream ? [entry] : entry instanceof PdfDict ? [...entry.map.values()].map((v) => view.resolve(v)) : [];
    for (const s of streams) if (s instanceof PdfStream) merge(out, streamInk(view, s, 0));
  }
  return out;
}

function merge(into: AppearanceInk, from: AppearanceInk): void {
  into.draws ||= from.draws;
  into.opaque ||= from.opaque;
}

function contentOf(view: PdfReader, s: PdfStream): Uint8Array | null {
  try {
    return decodeStream(s, MAX_CONTENT);
  } catch {
    return null;
  }
}

/** Ink of one form XObject (an appearance stream), following the XObjects it draws. */
export function streamInk(view: PdfReader, s: PdfStream, depth: number): AppearanceInk {
  const out: AppearanceInk = { draws: false, opaque: false };
  const data = contentOf(view, s);
  // What cannot be read is assumed to cover what is under it.
  if (data === null) return { draws: true, opaque: true };
  const resources = view.resolve(s.dict.get('Resources'));
  forEachOperator(data, (op, operands) => {
    switch (op) {
      case 'f': case 'F': case 'f*': case 'B': case 'B*': case 'b': case 'b*': case 'sh':
        out.draws = true;
        out.opaque = true;
        break;
      case 'S': case 's': case 'Tj': case 'TJ': case "'": case '"':
        out.draws = true;
        break;
      case 'BI':
        out.draws = true;
        if (!operands.imageMask) out.opaque = true;
        break;
      case 'Do': {
        const name = operands.args[0];
        if (!(name instanceof PdfName) || depth >= MAX_DEPTH) {
          out.draws = true;
          out.opaque = true;
          break;
        }
        const xo = xobject(view, resources, name.value);
        if (!(xo instanceof PdfStream)) break;
        if (xo.dict.getName('Subtype') === 'Image') {
          out.draws = true;
          const masked = xo.dict.has('SMask') || xo.dict.has('Mask') || xo.dict.get('ImageMask') === true;
          if (!masked) out.opaque = true;
        } else merge(out, streamInk(view, xo, depth + 1));
        break;
      }
      default:
        break;
    }
  });
  return out;
}

function xobject(view: PdfReader, resources: PdfObject, name: string): PdfObject {
  if (!(resources instanceof PdfDict)) return null;
  const xos = view.resolve(resources.get('XObject'));
  return xos instanceof PdfDict ? view.resolve(xos.get(name)) : null;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function mul(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

function boxUnder(m: Matrix, x1: number, y1: number, x2: number, y2: number): Box {
  const pts = [[x1, y1], [x2, y1], [x1, y2], [x2, y2]].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]]);
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/**
 * Boxes (in default user space) where a page's content draws text, images,
 * strokes or non-white fills: what an opaque overlay would hide. Glyph
 * widths are estimated from the font size; it errs towards larger boxes.
 */
export function pageInk(view: PdfReader, page: PdfDict): Box[] {
  const boxes: Box[] = [];
  const contents = view.resolve(view.inherited(page, 'Contents'));
  const streams = (contents instanceof PdfStream ? [contents] : Array.isArray(contents) ? contents.map((c) => view.resolve(c)) : []).filter((s): s is PdfStream => s instanceof PdfStream);
  const parts: Uint8Array[] = [];
  for (const s of streams) {
    const d = contentOf(view, s);
    // An unreadable content stream could draw anywhere.
    if (d === null) return [[-Infinity, -Infinity, Infinity, Infinity]];
    parts.push(d, Buffer.from('\n'));
  }
  inkOf(view, Buffer.concat(parts), view.resolve(view.inherited(page, 'Resources')), IDENTITY, boxes, 0);
  return boxes;
}

function inkOf(view: PdfReader, data: Uint8Array, resources: PdfObject, base: Matrix, boxes: Box[], depth: number): void {
  let ctm: Matrix = base;
  const stack: Matrix[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let fontSize = 12;
  let leading = 0;
  let twoByte = false;
  let fillWhite = false;
  let path: number[] = [];
  const fonts = resources instanceof PdfDict ? view.resolve(resources.get('Font')) : null;
  const show = (glyphs: number): void => {
    const w = glyphs * fontSize * 0.6;
    boxes.push(boxUnder(mul(tm, ctm), 0, -0.3 * fontSize, Math.max(w, fontSize * 0.6), fontSize));
    tm = mul([1, 0, 0, 1, w, 0], tm);
  };
  const glyphCount = (s: PdfObject): number => (s instanceof PdfString ? (twoByte ? s.bytes.length >> 1 : s.bytes.length) : 0);
  forEachOperator(data, (op, { args }) => {
    const n = (i: number): number => (typeof args[i] === 'number' ? (args[i] as number) : 0);
    switch (op) {
      case 'q': stack.push(ctm); break;
      case 'Q': ctm = stack.pop() ?? base; break;
      case 'cm': ctm = mul([n(0), n(1), n(2), n(3), n(4), n(5)], ctm); break;
      case 'BT': tm = IDENTITY; tlm = IDENTITY; break;
      case 'Tf': {
        fontSize = Math.abs(n(1)) || fontSize;
        const f = args[0] instanceof PdfName && fonts instanceof PdfDict ? view.resolve(fonts.get((args[0] as PdfName).value)) : null;
        twoByte = f instanceof PdfDict && f.getName('Subtype') === 'Type0';
        break;
      }
      case 'TL': leading = n(0); break;
      case 'Tm': tm = tlm = [n(0), n(1), n(2), n(3), n(4), n(5)]; break;
      case 'Td': tm = tlm = mul([1, 0, 0, 1, n(0), n(1)], tlm); break;
      case 'TD': leading = -n(1); tm = tlm = mul([1, 0, 0, 1, n(0), n(1)], tlm); break;
      case 'T*': tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm); break;
      case 'Tj': show(glyphCount(args[0] ?? null)); break;
      case "'": tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm); show(glyphCount(args[0] ?? null)); break;
      case '"': tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm); show(glyphCount(args[2] ?? null)); break;
      case 'TJ': {
        const arr = Array.isArray(args[0]) ? args[0] : [];
        show(arr.reduce<number>((sum, x) => sum + glyphCount(x), 0));
        break;
      }
      case 'rg': fillWhite = n(0) >= 0.99 && n(1) >= 0.99 && n(2) >= 0.99; break;
      case 'g': fillWhite = n(0) >= 0.99; break;
      case 'k': fillWhite = n(0) <= 0.01 && n(1) <= 0.01 && n(2) <= 0.01 && n(3) <= 0.01; break;
      case 'sc': case 'scn': case 'cs': fillWhite = false; break;
      case 'm': case 'l': path.push(n(0), n(1)); break;
      case 'c': path.push(n(0), n(1), n(2), n(3), n(4), n(5)); break;
      case 'v': case 'y': path.push(n(0), n(1), n(2), n(3)); break;
      case 're': path.push(n(0), n(1), n(0) + n(2), n(1) + n(3)); break;
      case 'f': case 'F': case 'f*': case 'B': case 'B*': case 'b': case 'b*': case 'S': case 's':
        if (path.length >= 2 && !(fillWhite && op !== 'S' && op !== 's')) {
          const xs = path.filter((_, i) => i % 2 === 0);
          const ys = path.filter((_, i) => i % 2 === 1);
          boxes.push(boxUnder(ctm, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)));
        }
        path = [];
        break;
      case 'n': path = []; break;
      case 'sh': boxes.push([-Infinity, -Infinity, Infinity, Infinity]); break;
      case 'BI': boxes.push(boxUnder(ctm, 0, 0, 1, 1)); break;
      case 'Do': {
        const name = args[0];
        if (!(name instanceof PdfName)) break;
        const xo = xobject(view, resources, name.value);
        if (!(xo instanceof PdfStream)) break;
        if (xo.dict.getName('Subtype') === 'Image') boxes.push(boxUnder(ctm, 0, 0, 1, 1));
        else if (depth < MAX_DEPTH) {
          const m = xo.dict.get('Matrix');
          const fm: Matrix = Array.isArray(m) && m.length === 6 && m.every((x) => typeof x === 'number') ? (m as Matrix) : IDENTITY;
          const d = contentOf(view, xo);
          if (d === null) boxes.push([-Infinity, -Infinity, Infinity, Infinity]);
          else inkOf(view, d, view.resolve(xo.dict.get('Resources')) ?? resources, mul(fm, ctm), boxes, depth + 1);
        }
        break;
      }
      default:
        break;
    }
  });
}

export function intersects(a: Box, b: Box): boolean {
  return Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5;
}

interface Operands {
  args: PdfObject[];
  /** For BI: the inline image is a stencil mask. */
  imageMask: boolean;
}

/** Tokenises a content stream and calls `f` for each operator with its operands. */
export function forEachOperator(data: Uint8Array, f: (op: string, operands: Operands) => void): void {
  const p = new PdfParser(data, 0);
  let args: PdfObject[] = [];
  let ops = 0;
  while (ops++ < MAX_OPS) {
    p.skipWhitespace();
    if (p.pos >= data.length) return;
    const c = data[p.pos]!;
    const startsObject = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x2f || c === 0x28 || c === 0x3c || c === 0x5b;
    try {
      if (startsObject) {
        args.push(p.parseObject());
        if (args.length > 64) args = args.slice(-64);
        continue;
      }
    } catch {
      return;
    }
    const word = p.readWord();
    if (word.length === 0) {
      p.pos++;
      args = [];
      continue;
    }
    if (word === 'BI') {
      let imageMask = false;
      // Inline image dictionary up to ID, then binary data up to EI.
      for (let k = 0; k < 64; k++) {
        p.skipWhitespace();
        if (p.peekWord() === 'ID') break;
        try {
          const key = p.parseObject();
          const value = p.parseObject();
          if (key instanceof PdfName && (key.value === 'IM' || key.value === 'ImageMask') && value === true) imageMask = true;
        } catch {
          return;
        }
      }
      p.readWord();
      const ei = findEI(data, p.pos + 1);
      if (ei < 0) return;
      p.pos = ei + 2;
      f('BI', { args: [], imageMask });
      args = [];
      continue;
    }
    if (word === 'true' || word === 'false' || word === 'null') {
      args.push(word === 'true' ? true : word === 'false' ? false : null);
      continue;
    }
    f(word, { args, imageMask: false });
    args = [];
  }
}

function findEI(data: Uint8Array, from: number): number {
  for (let i = from; i + 1 < data.length; i++) {
    if (data[i] === 0x45 && data[i + 1] === 0x49 && (i === 0 || data[i - 1] === 0x20 || data[i - 1] === 0x0a || data[i - 1] === 0x0d) && (i + 2 >= data.length || data[i + 2] === 0x20 || data[i + 2] === 0x0a || data[i + 2] === 0x0d)) return i;
  }
  return -1;
}

/** The page index (0-based) of a page object, from its /Parent chain; null if it is not in the tree. */
export function pageIndex(view: PdfReader, pageRef: PdfRef): number | null {
  let index = 0;
  let child: PdfRef = pageRef;
  let node = view.resolve(pageRef);
  for (let depth = 0; depth < 64; depth++) {
    if (!(node instanceof PdfDict)) return null;
    const parentRef = node.get('Parent');
    if (!(parentRef instanceof PdfRef)) return depth === 0 ? null : index;
    const parent = view.resolve(parentRef);
    if (!(parent instanceof PdfDict)) return null;
    const kids = view.resolve(parent.get('Kids'));
    if (!Array.isArray(kids)) return null;
    let found = false;
    for (const k of kids) {
      if (k instanceof PdfRef && k.num === child.num) {
        found = true;
        break;
      }
      const kd = view.resolve(k);
      index += kd instanceof PdfDict && kd.getName('Type') === 'Pages' ? (kd.getNumber('Count') ?? 0) : 1;
    }
    if (!found) return null;
    child = parentRef;
    node = parent;
  }
  return null;
}

/** The path from the trailer to a page: /Root/Pages/Kids[i]/Kids[j]... */
export function pagePath(view: PdfReader, pageRef: PdfRef): string | null {
  const segments: string[] = [];
  let child: PdfRef = pageRef;
  const root = safeCatalog(view)?.get('Pages');
  for (let depth = 0; depth < 64; depth++) {
    // The root is known from the catalog: no need to read a 30,000-kid node to learn it has no /Parent.
    if (root instanceof PdfRef && root.num === child.num) return `/Root/Pages${segments.reverse().join('')}`;
    const node = view.resolve(child);
    if (!(node instanceof PdfDict)) return null;
    const parentRef = node.get('Parent');
    if (!(parentRef instanceof PdfRef)) {
      const pages = safeCatalog(view)?.get('Pages');
      return pages instanceof PdfRef && pages.num === child.num ? `/Root/Pages${segments.reverse().join('')}` : null;
    }
    const i = kidIndex(view, parentRef.num, child.num);
    if (i < 0) return null;
    segments.push(`/Kids[${i}]`);
    child = parentRef;
  }
  return null;
}

/**
 * Where `child` sits in the /Kids of page-tree node `parent`. A flat node of
 * 30,000 pages is read as bytes, counting references up to the child,
 * rather than parsed into 30,000 objects.
 */
function kidIndex(view: PdfReader, parent: number, child: number): number {
  const at = view.definitionOffset(parent);
  if (at !== undefined) {
    const b = view.bytes;
    const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const end = buf.indexOf('endobj', at, 'latin1');
    const inner = end > at ? buf.subarray(at, end).indexOf('/Kids', 0, 'latin1') : -1;
    const kids = inner >= 0 ? at + inner : -1;
    const open = kids >= 0 ? buf.indexOf('[', kids, 'latin1') : -1;
    const second = kids >= 0 && end > kids ? buf.subarray(kids + 5, end).indexOf('/Kids', 0, 'latin1') : -1;
    if (end > 0 && kids > 0 && kids < end && open > 0 && open < end && second < 0) {
      const close = buf.indexOf(']', open, 'latin1');
      if (close > 0 && close < end) {
        // The array must hold only "n g R" tokens (anything else and the parser decides); count them up to the child's.
        let index = 0;
        let num = -1;
        let field = 0;
        let plain = true;
        for (let i = open + 1; i < close; i++) {
          const c = b[i]!;
          if (c >= 0x30 && c <= 0x39) {
            if (field === 0) num = num < 0 ? c - 0x30 : num * 10 + (c - 0x30);
          } else if (c === 0x52) {
            if (num === child) return index;
            index++;
            num = -1;
            field = 0;
          } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c) {
            if (num >= 0 && (b[i + 1]! >= 0x30 && b[i + 1]! <= 0x39)) field = 1;
          } else {
            plain = false;
            break;
          }
        }
        if (plain) return -1;
      }
    }
  }
  const node = view.resolve(new PdfRef(parent, view.generationOf(parent)));
  const list = node instanceof PdfDict ? view.resolve(node.get('Kids')) : null;
  return Array.isArray(list) ? list.findIndex((k) => k instanceof PdfRef && k.num === child) : -1;
}

function safeCatalog(view: PdfReader): PdfDict | undefined {
  try {
    return view.catalog();
  } catch {
    return undefined;
  }
}
