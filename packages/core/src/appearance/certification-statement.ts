/**
 * The certification statement (lời chứng) of a certified electronic copy,
 * stamped on the last page (or on a new page when there is no room) as an
 * incremental update, BEFORE the first signature: anything drawn on a page
 * after a signature shows that signature as modified in Acrobat.
 *
 * The page keeps its content; /Contents becomes [q, old..., Q + statement]
 * and the statement, a Form XObject whose resources hold its (subset)
 * Liberation Serif, is added to the page's /Resources /XObject.
 */
import { deflateSync } from 'node:zlib';
import { KysoError } from '../errors.js';
import { IncrementalWriter, PdfDict, PdfName, PdfReader, PdfRef, PdfStream, type PdfObject } from '../pdf/index.js';
import { pageBox } from './build-appearance.js';
import { drawLayout, type Rect } from './draw.js';
import type { FontSet } from './fonts.js';
import type { AppearanceLayout, Rgb } from './layout.js';
import { pageTextExtent } from './page-text.js';
import { pageToFormXObject } from './transplant.js';

const RED: Rgb = [0.85, 0, 0];
const BLUE: Rgb = [0, 0, 0.8];

/**
 * The default wording (domain.md §4; the exact 2025 template was not
 * retrieved). Fields: {number}, {book}, {year}, {bookType}, {date:long},
 * {officerName}, and any of `fields`.
 */
export const CERTIFICATION_STATEMENT_LAYOUT: AppearanceLayout = {
  name: 'certification-statement',
  size: 'fit',
  padding: 4,
  elements: [
    {
      type: 'text',
      align: 'center',
      wrap: false,
      size: 12,
      color: [0, 0, 0],
      lines: [
        { text: 'Chứng thực bản sao đúng với bản chính', font: 'bold', color: RED },
        { text: 'Số chứng thực: {number}  Quyển số: {book}/{year}-{bookType}', color: BLUE },
        '{date:long}',
        { text: 'Người thực hiện chứng thực', font: 'bold' },
        '',
        '',
        '',
        { text: '{officerName}', font: 'bold' },
      ],
    },
  ],
};

export interface CertificationStatementOptions {
  /** Running number in the book (số chứng thực). */
  number: number | string;
  /** Book number (quyển số), e.g. `02`. */
  book: string;
  year: number;
  /** Book type after the year (default `SCTĐT/BS`, the electronic copies' book). */
  bookType?: string;
  /** Certification date, written `Ngày dd tháng MM năm yyyy` in Vietnam time. */
  date: Date;
  officerName: string;
  /** Another wording or style (a layout whose templates use the fields above). */
  template?: AppearanceLayout;
  /** Extra named fields for a custom template. */
  fields?: Record<string, string | number>;
  /**
   * `auto` (default): under the text of the last page when it has room
   * (measured with pdfjs-dist when it is installed; a page with images, a
   * scan, never has), else on a new page. `new-page`, or an explicit lower-left corner.
   */
  placement?: 'auto' | 'new-page' | { page: number; x: number; y: number };
  /** Page margin in points (default 36). */
  margin?: number;
  fonts?: FontSet;
}

export interface StampedStatement {
  pdf: Uint8Array;
  page: number;
  rect: Rect;
  /** True when a page was added for it. */
  addedPage: boolean;
}

export async function stampCertificationStatement(pdf: Uint8Array, options: CertificationStatementOptions): Promise<Uint8Array> {
  return (await stampCertificationStatementDetailed(pdf, options)).pdf;
}

export async function stampCertificationStatementDetailed(pdf: Uint8Array, options: CertificationStatementOptions): Promise<StampedStatement> {
  const reader = PdfReader.open(pdf);
  refuseIfSigned(reader);
  const drawn = await drawLayout(options.template ?? CERTIFICATION_STATEMENT_LAYOUT, {
    signingTime: options.date,
    fonts: options.fonts,
    fields: { number: String(options.number), book: options.book, year: options.year, bookType: options.bookType ?? 'SCTĐT/BS', date: options.date, officerName: options.officerName, ...options.fields },
  });
  const margin = options.margin ?? 36;
  const last = reader.pageCount() - 1;
  if (last < 0) throw new KysoError('PDF_MALFORMED', 'The PDF has no pages.', { vi: 'Tệp PDF không có trang nào.' });

  let page: number;
  let x: number;
  let y: number;
  let addPage = false;
  const where = options.placement ?? 'auto';
  if (typeof where === 'object') {
    ({ page, x, y } = where);
    pageBox(reader, page);
  } else {
    page = last;
    const box = pageBox(reader, last);
    x = box[2] - margin - drawn.width;
    y = box[1] + margin;
    if (where === 'new-page') addPage = true;
    else {
      const lowest = await lowestContent(reader, pdf, last);
      if (lowest === undefined) addPage = true;
      else {
        const top = Math.min(lowest - 12, box[3] - margin);
        if (top - drawn.height < box[1] + margin) addPage = true;
        else y = top - drawn.height;
      }
    }
    if (addPage) {
      x = box[2] - margin - drawn.width;
      y = box[3] - margin - drawn.height;
    }
  }

  const writer = new IncrementalWriter(reader);
  const form = pageToFormXObject(PdfReader.open(drawn.pdf), writer, 0);
  const name = 'KysoStatement';
  const paint = Buffer.from(`q 1 0 0 1 ${num(x)} ${num(y)} cm /${name} Do Q\n`, 'latin1');
  if (addPage) {
    page = last + 1;
    appendPage(reader, writer, last, form.ref, name, paint);
  } else appendToPage(reader, writer, page, form.ref, name, paint);
  const { appended } = writer.write();
  return { pdf: Buffer.concat([pdf, appended]), page, rect: [x, y, x + drawn.width, y + drawn.height], addedPage: addPage };
}

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();

function flate(content: Uint8Array): PdfStream {
  return new PdfStream(new PdfDict().set('Filter', PdfName.of('FlateDecode')), deflateSync(content));
}

/** The page's resources as a new direct dictionary with `name` → `form` in /XObject (a free name). */
function resourcesWith(reader: PdfReader, page: PdfDict, form: PdfRef, wanted: string): { resources: PdfDict; name: string } {
  const old = reader.resolve(reader.inherited(page, 'Resources'));
  const resources = old instanceof PdfDict ? old.clone() : new PdfDict();
  const xo = reader.resolve(resources.get('XObject'));
  const xobjects = xo instanceof PdfDict ? xo.clone() : new PdfDict();
  let name = wanted;
  for (let i = 2; xobjects.has(name); i++) name = `${wanted}${i}`;
  xobjects.set(name, form);
  resources.set('XObject', xobjects);
  return { resources, name };
}

function appendToPage(reader: PdfReader, writer: IncrementalWriter, index: number, form: PdfRef, wanted: string, paint: Buffer): void {
  const pageRef = reader.pageRef(index)!;
  const page = reader.resolve(pageRef) as PdfDict;
  const { resources, name } = resourcesWith(reader, page, form, wanted);
  const old = page.get('Contents');
  const resolved = reader.resolve(old);
  const oldList: PdfObject[] = Array.isArray(resolved) ? resolved : old === undefined || resolved === null ? [] : [old];
  const body = Buffer.concat([Buffer.from('Q\n', 'latin1'), Buffer.from(paint.toString('latin1').replace(`/${wanted} `, `/${name} `), 'latin1')]);
  // The old content may leave its graphics state changed: wrap it in q ... Q.
  const contents: PdfObject[] = oldList.length > 0 ? [writer.add(flate(Buffer.from('q\n', 'latin1'))), ...oldList, writer.add(flate(body))] : [writer.add(flate(body.subarray(2)))];
  writer.set(pageRef, page.clone().set('Resources', resources).set('Contents', contents));
}

function appendPage(reader: PdfReader, writer: IncrementalWriter, lastIndex: number, form: PdfRef, name: string, paint: Buffer): void {
  const lastRef = reader.pageRef(lastIndex)!;
  const last = reader.resolve(lastRef) as PdfDict;
  const parentRef = last.get('Parent');
  const parent = reader.resolve(parentRef);
  if (!(parentRef instanceof PdfRef) || !(parent instanceof PdfDict)) throw new KysoError('PDF_MALFORMED', 'The last page has no parent page tree node.', { vi: 'Trang cuối không thuộc cây trang hợp lệ.' });
  const box = pageBox(reader, lastIndex);
  const newPage = new PdfDict()
    .set('Type', PdfName.of('Page'))
    .set('Parent', parentRef)
    .set('MediaBox', box)
    .set('Resources', new PdfDict().set('XObject', new PdfDict().set(name, form)))
    .set('Contents', writer.add(flate(paint)));
  const newRef = writer.add(newPage);
  // Insert after the last page in its parent, then bump /Count up to the root.
  const kids = reader.resolve(parent.get('Kids'));
  const list = Array.isArray(kids) ? [...kids] : [];
  const at = list.findIndex((k) => k instanceof PdfRef && k.equals(lastRef));
  list.splice(at < 0 ? list.length : at + 1, 0, newRef);
  const kidsEntry = parent.get('Kids');
  let node: PdfDict = parent.clone();
  if (kidsEntry instanceof PdfRef) writer.set(kidsEntry, list);
  else node.set('Kids', list);
  let nodeRef: PdfRef = parentRef;
  for (let depth = 0; depth < 64; depth++) {
    node.set('Count', (node.getNumber('Count') ?? 0) + 1);
    writer.set(nodeRef, node);
    const up = node.get('Parent');
    const upNode = reader.resolve(up);
    if (!(up instanceof PdfRef) || !(upNode instanceof PdfDict)) break;
    nodeRef = up;
    node = upNode.clone();
  }
}

/** A signed document must not get page content any more (Acrobat shows the signature modified). */
function refuseIfSigned(reader: PdfReader): void {
  const af = reader.resolve(reader.catalog().get('AcroForm'));
  if (!(af instanceof PdfDict)) return;
  const fields = reader.resolve(af.get('Fields'));
  if (!Array.isArray(fields)) return;
  for (const f of fields.slice(0, 10_000)) {
    const d = reader.resolve(f);
    if (d instanceof PdfDict && d.getName('FT') === 'Sig' && d.get('V') !== undefined) {
      throw new KysoError('SIGN_NOT_PERMITTED', 'The document is already signed: the certification statement must be stamped before the first signature.', {
        vi: 'Tài liệu đã được ký: lời chứng phải được đóng trước chữ ký đầu tiên.',
      });
    }
  }
}

/**
 * The lowest point of the page's text (pdfjs-dist), or undefined when the
 * page paints images (a scan fills its page) or its text cannot be read.
 */
async function lowestContent(reader: PdfReader, pdf: Uint8Array, index: number): Promise<number | undefined> {
  const page = reader.resolve(reader.pageRef(index)!) as PdfDict;
  const res = reader.resolve(reader.inherited(page, 'Resources'));
  const xo = res instanceof PdfDict ? reader.resolve(res.get('XObject')) : null;
  if (xo instanceof PdfDict) {
    for (const k of xo.keys()) {
      const s = reader.resolve(xo.get(k));
      if (s instanceof PdfStream && s.dict.getName('Subtype') === 'Image') return undefined;
    }
  }
  let extent: Awaited<ReturnType<typeof pageTextExtent>>;
  try {
    extent = await pageTextExtent(pdf, index);
  } catch (e) {
    // Without pdfjs-dist (an optional peer) the page's text cannot be
    // measured: 'auto' then takes a new page, as for a scan, rather than
    // failing a statement that never asked for text placement.
    if (e instanceof KysoError && e.code === 'TOOL_NOT_FOUND') return undefined;
    throw e;
  }
  const box = pageBox(reader, index);
  return extent === null ? box[3] : extent.bottom;
}
