/**
 * Fixtures that reproduce what real signing tools write after a document was
 * signed (domain.md §7), built with pdf-lib (the originals) and kyso's own
 * signer, plus a hand-laid update writer for what kyso's IncrementalWriter
 * cannot write: object streams, several edits in one signed revision (/Info,
 * XMP, structure tree, catalog /Version), signatures after a DocMDP P=1
 * certification, and deliberate near misses.
 *
 * Nothing here is fetched: every file is made on the fly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString as LibString, StandardFonts, type PDFRef as LibRef } from 'pdf-lib';
import { expect } from 'vitest';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf, type DigestAlgorithm, type Modification, type SignPdfOptions, type Signer, type VerificationReport } from '../../src/index.js';
import { cachedTemplate } from '../../src/cms/index.js';
import { ByteWriter, byteRangePlaceholder, formatByteRange, PdfDict, PdfName, PdfRaw, PdfReader, PdfRef, PdfStream, PdfString, rangeAround, type PdfObject } from '../../src/pdf/index.js';
import { pdfDate } from '../../src/sign/index.js';
import { issueLeaf, type TestEntity, type TestPki } from '../../src/testing/index.js';
import { pdfsig, qpdfCheck } from '../helpers/external-tools.js';
import { tempDir } from '../helpers/fixtures.js';

export type Rect = [number, number, number, number];

// ---------------------------------------------------------------------------
// The page every fixture starts from
// ---------------------------------------------------------------------------

export const AMOUNT_TEXT = 'So tien: 1.000.000 dong';
/** Where the amount is printed (Helvetica 14 at 72 760): roughly this box. */
export const AMOUNT_BOX: Rect = [72, 756, 236, 774];
export const TITLE_TEXT = 'CHU TICH';
export const NAME_TEXT = 'Nguyen Van Anh';
/** The printed name of the signer (Helvetica 12 at 360 200). */
export const NAME_BOX: Rect = [360, 197, 446, 210];

/** A 130 × 130 pt seal over the left part of the printed name (Decree 30/2020: the seal covers part of the signature). */
export const SEAL_RECT: Rect = [300, 140, 430, 270];
/** A small text stamp at the top right. */
export const STAMP_RECT: Rect = [400, 790, 580, 830];
/** An opaque box over the amount. */
export const OVERLAY_RECT: Rect = [66, 750, 300, 780];

export interface BaseOptions {
  /** /Info with Title, Producer, dates (default true). */
  info?: boolean;
  /** An XMP packet in catalog /Metadata (default false). */
  xmp?: boolean;
  /** A tagged PDF: /StructTreeRoot, /MarkInfo, marked content (default false). */
  tagged?: boolean;
  /** An appearance stream that nothing refers to (default false). */
  orphanAppearance?: boolean;
  /** The header's version (default 1.7). */
  header?: '1.4' | '1.7';
  /** Extra catalog entries, set with pdf-lib. */
  catalog?: (doc: PDFDocument) => void;
}

export interface StructNums {
  root: number;
  document: number;
  amount: number;
  title: number;
  name: number;
  figure: number;
  parentTree: number;
}

export interface BaseDoc {
  pdf: Uint8Array;
  pageNum: number;
  contentNum: number;
  fontNum: number;
  imageNum: number;
  orphanNum: number | null;
  metadataNum: number | null;
  struct: StructNums | null;
}

/** An XMP packet as Word / iText write them (pdf, xmp, dc namespaces). */
export function xmpPacket(o: { producer: string; modifyDate: Date; createDate?: Date; title?: string }): string {
  const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const create = o.createDate ?? new Date('2024-02-02T07:00:00Z');
  return (
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 5.1.0-jc003">\n` +
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n` +
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n` +
    `<pdf:Producer>${o.producer}</pdf:Producer>\n` +
    `<xmp:CreateDate>${iso(create)}</xmp:CreateDate>\n` +
    `<xmp:ModifyDate>${iso(o.modifyDate)}</xmp:ModifyDate>\n` +
    `<xmp:MetadataDate>${iso(o.modifyDate)}</xmp:MetadataDate>\n` +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${o.title ?? 'Quyet dinh'}</rdf:li></rdf:Alt></dc:title>\n` +
    `</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n` +
    `${' '.repeat(200)}\n<?xpacket end="w"?>`
  );
}

/**
 * The original document, made with pdf-lib: one A4 page with an amount, a
 * title and a printed name (Helvetica), an 8×8 image, an uncompressed
 * content stream; optionally tagged, with XMP, without /Info.
 */
export async function makeBase(o: BaseOptions = {}): Promise<BaseDoc> {
  const info = o.info ?? true;
  const doc = await PDFDocument.create({ updateMetadata: info });
  if (info) {
    doc.setTitle('Quyet dinh ve viec cap ban sao');
    doc.setProducer('Microsoft® Word 2016');
    doc.setCreator('Microsoft® Word 2016');
    doc.setCreationDate(new Date('2024-02-02T07:00:00Z'));
    doc.setModificationDate(new Date('2024-02-02T07:00:00Z'));
  }
  const ctx = doc.context;
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = ctx.register(
    ctx.stream(new Uint8Array(8 * 8 * 3).fill(0x80), { Type: 'XObject', Subtype: 'Image', Width: 8, Height: 8, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }),
  );
  const page = doc.addPage([595, 842]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.setXObject(PDFName.of('Im1'), image);
  const tagged = o.tagged ?? false;
  const mc = (tag: string, mcid: number, body: string): string => (tagged ? `/${tag} <</MCID ${mcid}>> BDC\n${body}\nEMC\n` : `${body}\n`);
  const content =
    '% kyso real-tool fixture\n' +
    mc('P', 0, `BT /F1 14 Tf 72 760 Td (${AMOUNT_TEXT}) Tj ET`) +
    mc('P', 1, `BT /F1 12 Tf 360 300 Td (${TITLE_TEXT}) Tj ET`) +
    mc('P', 2, `BT /F1 12 Tf 360 200 Td (${NAME_TEXT}) Tj ET`) +
    mc('Figure', 3, 'q 64 0 0 64 72 600 cm /Im1 Do Q');
  const contentRef = ctx.register(ctx.stream(content));
  page.node.set(PDFName.of('Contents'), contentRef);

  let orphanNum: number | null = null;
  if (o.orphanAppearance) {
    // A form XObject left behind by an earlier editing tool: nothing refers to it.
    const orphan = ctx.register(ctx.stream('0 0 1 rg 0 0 120 40 re f\n', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 120, 40] }));
    orphanNum = orphan.objectNumber;
  }
  let metadataNum: number | null = null;
  if (o.xmp) {
    const xmp = ctx.register(ctx.stream(new Uint8Array(Buffer.from(xmpPacket({ producer: 'Microsoft® Word 2016', modifyDate: new Date('2024-02-02T07:00:00Z') }), 'utf8')), { Type: 'Metadata', Subtype: 'XML' }));
    doc.catalog.set(PDFName.of('Metadata'), xmp);
    metadataNum = xmp.objectNumber;
  }
  let struct: StructNums | null = null;
  if (tagged) {
    const ref = (): LibRef => ctx.nextRef();
    const [root, docEl, amount, title, name, figure, parentTree] = [ref(), ref(), ref(), ref(), ref(), ref(), ref()];
    const el = (s: string, mcid: number, extra: Record<string, unknown> = {}) =>
      ctx.obj({ Type: 'StructElem', S: s, P: docEl, Pg: page.ref, K: mcid, ...extra } as never);
    ctx.assign(amount, el('P', 0, { ActualText: LibString.of(AMOUNT_TEXT) }));
    ctx.assign(title, el('P', 1));
    ctx.assign(name, el('P', 2));
    ctx.assign(figure, el('Figure', 3, { Alt: LibString.of('Quoc huy') }));
    ctx.assign(docEl, ctx.obj({ Type: 'StructElem', S: 'Document', P: root, K: [amount, title, name, figure] }));
    ctx.assign(parentTree, ctx.obj({ Nums: [0, [amount, title, name, figure]] }));
    ctx.assign(root, ctx.obj({ Type: 'StructTreeRoot', K: docEl, ParentTree: parentTree, ParentTreeNextKey: 1 }));
    doc.catalog.set(PDFName.of('StructTreeRoot'), root);
    doc.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
    doc.catalog.set(PDFName.of('Lang'), LibString.of('vi-VN'));
    page.node.set(PDFName.of('StructParents'), ctx.obj(0));
    page.node.set(PDFName.of('Tabs'), PDFName.of('S'));
    struct = {
      root: root.objectNumber,
      document: docEl.objectNumber,
      amount: amount.objectNumber,
      title: title.objectNumber,
      name: name.objectNumber,
      figure: figure.objectNumber,
      parentTree: parentTree.objectNumber,
    };
  }
  o.catalog?.(doc);
  let pdf = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  if (o.header === '1.4') {
    const b = Buffer.from(pdf);
    expect(b.toString('latin1', 0, 8)).toBe('%PDF-1.7');
    b.write('%PDF-1.4', 0, 'latin1');
    pdf = b;
  }
  return {
    pdf,
    pageNum: page.ref.objectNumber,
    contentNum: contentRef.objectNumber,
    fontNum: font.ref.objectNumber,
    imageNum: image.objectNumber,
    orphanNum,
    metadataNum,
    struct,
  };
}

// ---------------------------------------------------------------------------
// A hand-laid incremental update
// ---------------------------------------------------------------------------

export interface LaidUpdate {
  appended: Buffer;
  /** Absolute offsets of PdfRaw markers. */
  markers: Map<string, number>;
}

export interface WriteLayout {
  /** Classic xref table (default) or a cross-reference stream. */
  xref?: 'table' | 'stream';
  /** With a stream: put every dictionary and array object (not streams, not the signature dictionary) in one new object stream. */
  objectStream?: boolean;
}

type Entry = { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };

/**
 * An incremental update written byte by byte: objects set here are written
 * after the last byte of the file, with a table or a cross-reference
 * stream, optionally packing objects into an object stream (as Acrobat
 * does). Objects are serialised with kyso's ByteWriter.
 */
export class RawUpdate {
  private readonly objects = new Map<number, { ref: PdfRef; obj: PdfObject }>();
  private next: number;
  /** Trailer entries to override (Root, Info). */
  readonly trailer = new Map<string, PdfObject>();

  constructor(readonly reader: PdfReader) {
    this.next = Math.max(1, reader.size);
  }

  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** The reference of an existing object number, with its generation. */
  ref(num: number): PdfRef {
    return new PdfRef(num, this.reader.generationOf(num));
  }

  set(ref: PdfRef, obj: PdfObject): void {
    this.objects.set(ref.num, { ref, obj });
  }

  add(obj: PdfObject): PdfRef {
    const ref = this.allocate();
    this.set(ref, obj);
    return ref;
  }

  /** The object as this update has it (staged), else as the file has it. */
  current(o: PdfObject | undefined): PdfObject {
    if (o instanceof PdfRef) {
      const staged = this.objects.get(o.num);
      if (staged) return staged.obj;
    }
    return this.reader.resolve(o);
  }

  /** Edits a copy of dictionary `ref` (staged or from the file) and stages it. */
  editDict(ref: PdfRef, edit: (d: PdfDict) => void): PdfDict {
    const cur = this.current(ref);
    if (!(cur instanceof PdfDict)) throw new Error(`object ${ref.num} is not a dictionary`);
    const d = cur.clone();
    edit(d);
    this.set(ref, d);
    return d;
  }

  catalogRef(): PdfRef {
    const root = this.trailer.get('Root');
    return root instanceof PdfRef ? root : this.reader.catalogRef();
  }

  catalog(): PdfDict {
    return this.current(this.catalogRef()) as PdfDict;
  }

  editCatalog(edit: (d: PdfDict) => void): PdfDict {
    return this.editDict(this.catalogRef(), edit);
  }

  pageRef(index = 0): PdfRef {
    const ref = this.reader.pageRef(index);
    if (!ref) throw new Error(`no page ${index}`);
    return ref;
  }

  write(layout: WriteLayout = {}): LaidUpdate {
    const src = this.reader.bytes;
    const base = src.length;
    const w = new ByteWriter(16 * 1024);
    const last = src[base - 1];
    if (last !== 0x0a && last !== 0x0d) w.ascii('\n');
    const kind = layout.xref ?? 'table';
    if (layout.objectStream && kind !== 'stream') throw new Error('an object stream needs a cross-reference stream');

    const entries = new Map<number, Entry>();
    const packed: { ref: PdfRef; obj: PdfObject }[] = [];
    for (const e of [...this.objects.values()].sort((a, b) => a.ref.num - b.ref.num)) {
      if (layout.objectStream && packable(e.obj) && e.ref.gen === 0) {
        packed.push(e);
        continue;
      }
      entries.set(e.ref.num, { type: 1, offset: base + w.length, gen: e.ref.gen });
      w.ascii(`${e.ref.num} ${e.ref.gen} obj\n`).object(e.obj).ascii('\nendobj\n');
    }
    if (packed.length > 0) {
      const stm = this.allocate();
      const body = new ByteWriter(4096);
      const header: string[] = [];
      packed.forEach((e, index) => {
        header.push(`${e.ref.num} ${body.length}`);
        body.object(e.obj).ascii('\n');
        entries.set(e.ref.num, { type: 2, stream: stm.num, index });
      });
      const head = `${header.join(' ')}\n`;
      const data = Buffer.concat([Buffer.from(head, 'latin1'), body.toBytes()]);
      const dict = new PdfDict()
        .set('Type', PdfName.of('ObjStm'))
        .set('N', packed.length)
        .set('First', head.length)
        .set('Filter', PdfName.of('FlateDecode'));
      entries.set(stm.num, { type: 1, offset: base + w.length, gen: 0 });
      w.ascii(`${stm.num} 0 obj\n`).object(new PdfStream(dict, deflateSync(data))).ascii('\nendobj\n');
    }

    const old = this.reader.trailer;
    const trailer = new PdfDict();
    for (const key of ['Root', 'Info']) {
      const v = this.trailer.get(key) ?? old.get(key);
      if (v !== undefined) trailer.set(key, v);
    }
    const id = this.reader.resolve(old.get('ID'));
    const first = Array.isArray(id) && id[0] instanceof PdfString ? id[0] : new PdfString(randomBytes(16), true);
    trailer.set('ID', [first, new PdfString(randomBytes(16), true)]);
    trailer.set('Prev', this.reader.startxref);

    const startxref = base + w.length;
    if (kind === 'table') {
      trailer.set('Size', this.next);
      w.ascii('xref\n');
      for (const [start, run] of runs([...entries.keys()])) {
        w.ascii(`${start} ${run.length}\n`);
        for (const n of run) {
          const e = entries.get(n) as Extract<Entry, { type: 1 }>;
          w.ascii(`${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`);
        }
      }
      w.ascii('trailer\n').object(reorder(trailer)).ascii(`\nstartxref\n${startxref}\n%%EOF\n`);
    } else {
      const xref = this.allocate();
      entries.set(xref.num, { type: 1, offset: startxref, gen: 0 });
      trailer.set('Size', this.next);
      const index: number[] = [];
      const rows: Buffer[] = [];
      for (const [start, run] of runs([...entries.keys()])) {
        index.push(start, run.length);
        for (const n of run) {
          const e = entries.get(n)!;
          const row = Buffer.alloc(7);
          row[0] = e.type;
          row.writeUInt32BE(e.type === 1 ? e.offset : e.stream, 1);
          row.writeUInt16BE(e.type === 1 ? e.gen : e.index, 5);
          rows.push(row);
        }
      }
      const data = deflateSync(Buffer.concat(rows));
      const dict = reorder(trailer)
        .set('Type', PdfName.of('XRef'))
        .set('W', [1, 4, 2])
        .set('Index', index)
        .set('Filter', PdfName.of('FlateDecode'));
      w.ascii(`${xref.num} 0 obj\n`).object(new PdfStream(dict, data)).ascii(`\nendobj\nstartxref\n${startxref}\n%%EOF\n`);
    }
    const markers = new Map<string, number>();
    for (const [k, rel] of w.markers) markers.set(k, base + rel);
    return { appended: Buffer.from(w.toBytes()), markers };
  }
}

function packable(o: PdfObject): boolean {
  if (o instanceof PdfStream || o instanceof PdfRaw) return false;
  if (Array.isArray(o)) return o.every(packable);
  if (o instanceof PdfDict) return [...o.map.values()].every(packable);
  return true;
}

function reorder(t: PdfDict): PdfDict {
  const out = new PdfDict();
  for (const k of ['Size', 'Root', 'Info', 'ID', 'Prev']) if (t.has(k)) out.set(k, t.get(k));
  return out;
}

function* runs(nums: number[]): Generator<[number, number[]]> {
  const sorted = [...nums].sort((a, b) => a - b);
  let run: number[] = [];
  for (const n of sorted) {
    if (run.length > 0 && n !== run[run.length - 1]! + 1) {
      yield [run[0]!, run];
      run = [];
    }
    run.push(n);
  }
  if (run.length > 0) yield [run[0]!, run];
}

/** `base` plus one unsigned hand-laid update. */
export function plainUpdate(base: Uint8Array, edit: (u: RawUpdate) => void, layout: WriteLayout = {}): Uint8Array {
  const u = new RawUpdate(PdfReader.open(base));
  edit(u);
  return Buffer.concat([base, u.write(layout).appended]);
}

export interface SignedUpdateOptions extends WriteLayout {
  signer: Signer;
  digest?: DigestAlgorithm;
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
  reason?: string;
  signingTime?: Date;
  /** Builds the rest of the revision: the field holding `sigRef` and whatever the tool also writes. */
  edit: (u: RawUpdate, sigRef: PdfRef) => void;
}

/**
 * Signs a hand-laid update: the signature dictionary is a plain object with
 * a fixed-width /ByteRange and a zero-filled /Contents hole (as
 * sign-pdf.ts preparePdf lays them out); the byte ranges are hashed and the
 * CMS (kyso's CAdES template) written into the hole.
 */
export async function signedUpdate(base: Uint8Array, o: SignedUpdateOptions): Promise<Uint8Array> {
  const reader = PdfReader.open(base);
  const u = new RawUpdate(reader);
  const template = cachedTemplate(o.signer, o.digest);
  const capacity = template.maxSize(0) + 64;
  const hexLength = capacity * 2;
  const hole = Buffer.alloc(hexLength + 2, 0x30);
  hole[0] = 0x3c;
  hole[hexLength + 1] = 0x3e;
  const sigRef = u.allocate();
  const sig = new PdfDict()
    .set('Type', PdfName.of('Sig'))
    .set('Filter', PdfName.of('Adobe.PPKLite'))
    .set('SubFilter', PdfName.of(o.subFilter ?? 'ETSI.CAdES.detached'))
    .set('ByteRange', new PdfRaw(Buffer.from(byteRangePlaceholder(), 'latin1'), 'byteRange'))
    .set('Contents', new PdfRaw(hole, 'contents'))
    .set('M', PdfString.fromText(pdfDate(o.signingTime ?? new Date())));
  if (o.reason) sig.set('Reason', PdfString.fromText(o.reason));
  u.set(sigRef, sig);
  o.edit(u, sigRef);
  const laid = u.write(o);
  const update = laid.appended;
  const total = base.length + update.length;
  const contentsAt = laid.markers.get('contents')!;
  const byteRange = rangeAround(contentsAt, contentsAt + hexLength + 2, total);
  update.write(formatByteRange(byteRange), laid.markers.get('byteRange')! - base.length, 'latin1');
  const h = createHash(template.digest.replace('-', '').toLowerCase());
  h.update(base);
  h.update(update.subarray(0, byteRange[1] - base.length));
  h.update(update.subarray(byteRange[2] - base.length));
  const cms = await template.sign(h.digest());
  expect(cms.length).toBeLessThanOrEqual(capacity);
  update.write(Buffer.from(cms).toString('hex'), contentsAt + 1 - base.length, 'latin1');
  return Buffer.concat([base, update]);
}

// ---------------------------------------------------------------------------
// What a signing tool writes into its revision
// ---------------------------------------------------------------------------

export interface FieldOptions {
  name: string;
  /** /V; without it the field is left unsigned. */
  sigRef?: PdfRef;
  page?: number;
  /** Default [0 0 0 0] (invisible). */
  rect?: Rect;
  /** /AP /N (or a builder run inside the update); default an empty form XObject. */
  appearance?: PdfRef | ((u: RawUpdate) => PdfRef);
  /** Register in /AcroForm /Fields (default true). */
  inFields?: boolean;
  /** Register in the page's /Annots (default true). */
  inAnnots?: boolean;
  /** Use this existing object number for the field instead of a new one. */
  num?: number;
}

/** A merged signature field + widget, registered in /AcroForm /Fields and the page's /Annots. */
export function addField(u: RawUpdate, o: FieldOptions): PdfRef {
  const pageRef = u.pageRef(o.page ?? 0);
  const ap = typeof o.appearance === 'function' ? o.appearance(u) : o.appearance ?? u.add(new PdfStream(new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, 0, 0]), new Uint8Array(0)));
  const widget = new PdfDict()
    .set('Type', PdfName.of('Annot'))
    .set('Subtype', PdfName.of('Widget'))
    .set('FT', PdfName.of('Sig'))
    .set('T', PdfString.fromText(o.name))
    .set('F', 132)
    .set('Rect', o.rect ?? [0, 0, 0, 0])
    .set('P', pageRef)
    .set('AP', new PdfDict().set('N', ap));
  if (o.sigRef) widget.set('V', o.sigRef);
  const ref = o.num !== undefined ? u.ref(o.num) : u.allocate();
  u.set(ref, widget);

  if (o.inFields !== false) {
    const af = u.catalog().get('AcroForm');
    const register = (d: PdfDict): void => {
      const f = d.get('Fields');
      if (f instanceof PdfRef) u.set(f, [...(u.current(f) as PdfObject[]), ref]);
      else d.set('Fields', [...((f as PdfObject[] | undefined) ?? []), ref]);
      d.set('SigFlags', 3);
    };
    if (af instanceof PdfRef) u.editDict(af, register);
    else if (af instanceof PdfDict) {
      const d = af.clone();
      register(d);
      u.editCatalog((c) => c.set('AcroForm', d));
    }
    else {
      const d = new PdfDict();
      register(d);
      const afRef = u.add(d);
      u.editCatalog((c) => c.set('AcroForm', afRef));
    }
  }
  if (o.inAnnots !== false) {
    const page = u.current(pageRef) as PdfDict;
    const annots = page.get('Annots');
    if (annots instanceof PdfRef) u.set(annots, [...(u.current(annots) as PdfObject[]), ref]);
    else u.editDict(pageRef, (p) => p.set('Annots', [...((annots as PdfObject[] | undefined) ?? []), ref]));
  }
  return ref;
}

/** A distinct, increasing time for each revision (2024-02-02 14:00 +07:00 plus one minute per revision). */
export const revisionTime = (u: RawUpdate): Date => new Date(Date.UTC(2024, 1, 2, 7, 0, 0) + u.reader.revisions.length * 60_000);

/** /Info refreshed as iText and Acrobat do it at every signature: ModDate and Producer (added when there is none). */
export function refreshInfo(u: RawUpdate, o: { producer?: string; modDate?: Date } = {}): PdfRef {
  const producer = PdfString.fromText(o.producer ?? 'iTextSharp™ 5.5.13.3 ©2000-2022 iText Group NV (AGPL-version)');
  const modDate = PdfString.fromText(pdfDate(o.modDate ?? revisionTime(u)));
  const entry = u.reader.trailer.get('Info');
  if (entry instanceof PdfRef) {
    u.editDict(entry, (d) => d.set('Producer', producer).set('ModDate', modDate));
    return entry;
  }
  const ref = u.add(new PdfDict().set('Producer', producer).set('ModDate', modDate));
  u.trailer.set('Info', ref);
  return ref;
}

/** The XMP packet rewritten in place (same object number), or added with a new catalog /Metadata. */
export function refreshXmp(u: RawUpdate, o: { producer?: string; modDate?: Date } = {}): PdfRef {
  const stream = new PdfStream(
    new PdfDict().set('Type', PdfName.of('Metadata')).set('Subtype', PdfName.of('XML')),
    Buffer.from(xmpPacket({ producer: o.producer ?? 'iTextSharp™ 5.5.13.3', modifyDate: o.modDate ?? revisionTime(u) }), 'utf8'),
  );
  const entry = u.catalog().get('Metadata');
  if (entry instanceof PdfRef) {
    u.set(entry, stream);
    return entry;
  }
  const ref = u.add(stream);
  u.editCatalog((c) => c.set('Metadata', ref));
  return ref;
}

const formDict = (w: number, h: number, resources?: PdfDict): PdfDict => {
  const d = new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, w, h]);
  if (resources) d.set('Resources', resources);
  return d;
};

/**
 * A round red seal, 130 × 130 pt: an RGB image with a soft mask (/SMask)
 * that is transparent outside the ink, as pdf-lib and iText embed a PNG
 * with an alpha channel.
 */
export function sealAppearance(u: RawUpdate, size = 130): PdfRef {
  const px = 130;
  const rgb = Buffer.alloc(px * px * 3);
  const alpha = Buffer.alloc(px * px);
  const c = px / 2;
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      const r = Math.hypot(x - c, y - c);
      const ring = (r > 58 && r < 63) || (r > 44 && r < 46.5);
      const star = r < 20 && Math.abs(Math.sin(5 * Math.atan2(y - c, x - c))) * r < 6;
      const i = y * px + x;
      rgb[i * 3] = 220;
      if (ring || star) alpha[i] = 255;
    }
  }
  const image = (cs: string): PdfDict =>
    new PdfDict()
      .set('Type', PdfName.of('XObject'))
      .set('Subtype', PdfName.of('Image'))
      .set('Width', px)
      .set('Height', px)
      .set('ColorSpace', PdfName.of(cs))
      .set('BitsPerComponent', 8)
      .set('Filter', PdfName.of('FlateDecode'));
  const smask = u.add(new PdfStream(image('DeviceGray'), deflateSync(alpha)));
  const img = u.add(new PdfStream(image('DeviceRGB').set('SMask', smask), deflateSync(rgb)));
  const resources = new PdfDict().set('XObject', new PdfDict().set('Im0', img));
  return u.add(new PdfStream(formDict(size, size, resources), Buffer.from(`q ${size} 0 0 ${size} 0 0 cm /Im0 Do Q\n`, 'latin1')));
}

function helvetica(u: RawUpdate): PdfRef {
  return u.add(
    new PdfDict()
      .set('Type', PdfName.of('Font'))
      .set('Subtype', PdfName.of('Type1'))
      .set('BaseFont', PdfName.of('Helvetica'))
      .set('Encoding', PdfName.of('WinAnsiEncoding')),
  );
}

/** A text stamp (signer, time), text only: draws nothing opaque. */
export function textStampAppearance(u: RawUpdate, lines: string[], w = 180, h = 40): PdfRef {
  const font = helvetica(u);
  let content = 'BT /F1 8 Tf 0 g\n';
  lines.forEach((line, i) => (content += `1 0 0 1 4 ${h - 12 - i * 10} Tm (${line}) Tj\n`));
  content += 'ET\n';
  const resources = new PdfDict().set('Font', new PdfDict().set('F1', font));
  return u.add(new PdfStream(formDict(w, h, resources), Buffer.from(content, 'latin1')));
}

/** An opaque white box with other text on it: what an overlay over the amount looks like. */
export function opaqueBoxAppearance(u: RawUpdate, w: number, h: number, text = 'So tien: 9.000.000 dong'): PdfRef {
  const font = helvetica(u);
  const resources = new PdfDict().set('Font', new PdfDict().set('F1', font));
  const content = `1 1 1 rg 0 0 ${w} ${h} re f\nBT 0 g /F1 14 Tf 6 10 Td (${text}) Tj ET\n`;
  return u.add(new PdfStream(formDict(w, h, resources), Buffer.from(content, 'latin1')));
}

export interface FormElementOptions {
  /** The new widget: gets /StructParent. */
  widget: PdfRef;
  /** What the /OBJR points at (default the widget). */
  objrTarget?: PdfRef;
  /** Kids after the /OBJR. */
  extraKids?: PdfObject[];
  /** How far /ParentTreeNextKey goes up (default 1). */
  nextKeyStep?: number;
  /** The element whose /K gets the new element (default the root's /K element). */
  parent?: PdfRef;
  page?: number;
}

/**
 * The structure-tree edit of the Government Office's signing tool: a new
 * /Form element with an /OBJR to the widget, appended to an existing
 * element's /K; the widget gets /StructParent k; /ParentTree gets k → the
 * element; /ParentTreeNextKey goes to k + 1.
 */
export function addFormStructElement(u: RawUpdate, o: FormElementOptions): { form: PdfRef; key: number } {
  const rootRef = u.catalog().get('StructTreeRoot') as PdfRef;
  const root = u.current(rootRef) as PdfDict;
  const key = root.getNumber('ParentTreeNextKey')!;
  const parent = o.parent ?? (root.get('K') as PdfRef);
  const pageRef = u.pageRef(o.page ?? 0);
  const objr = new PdfDict().set('Type', PdfName.of('OBJR')).set('Obj', o.objrTarget ?? o.widget).set('Pg', pageRef);
  const form = u.add(
    new PdfDict()
      .set('Type', PdfName.of('StructElem'))
      .set('S', PdfName.of('Form'))
      .set('P', parent)
      .set('Pg', pageRef)
      .set('K', o.extraKids ? [objr, ...o.extraKids] : objr),
  );
  u.editDict(o.widget, (w) => w.set('StructParent', key));
  u.editDict(parent, (d) => {
    const k = d.get('K');
    d.set('K', [...(Array.isArray(k) ? k : k === undefined ? [] : [k]), form]);
  });
  const tree = root.get('ParentTree') as PdfRef;
  u.editDict(tree, (d) => d.set('Nums', [...(u.current(d.get('Nums')) as PdfObject[]), key, form]));
  u.editDict(rootRef, (d) => d.set('ParentTreeNextKey', key + (o.nextKeyStep ?? 1)));
  return { form, key };
}

// ---------------------------------------------------------------------------
// Identities, signing with kyso, verification, checks with other tools
// ---------------------------------------------------------------------------

export interface Identities {
  pki: TestPki;
  personal: Signer;
  organisation: Signer;
  /** A third leaf (pdfsig cannot validate one certificate twice in a run). */
  province: Signer;
  store: TrustStore;
}

const identityCache = new WeakMap<TestPki, Promise<Identities>>();

export const signerOf = (pki: TestPki, e: TestEntity): Signer => SoftwareSigner.fromPem({ key: e.keyPem, cert: e.certPem, chain: pki.chainPem });

export function identities(pki: TestPki): Promise<Identities> {
  let p = identityCache.get(pki);
  if (!p) {
    p = (async () => {
      const province =
        pki.leaves['ubnd-tinh'] ??
        (await issueLeaf(pki, { kind: 'organisation', name: 'ubnd-tinh', key: 'rsa2048', subject: 'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=UBND tỉnh Bình Định (TEST)' }));
      return {
        pki,
        personal: signerOf(pki, pki.personal),
        organisation: signerOf(pki, pki.organisation),
        province: signerOf(pki, province),
        store: TrustStore.fromPem(pki.root.certPem),
      };
    })();
    identityCache.set(pki, p);
  }
  return p;
}

/** kyso's certification signature (DocMDP P), invisible. */
export async function certify(pdf: Uint8Array, signer: Signer, permissions: 1 | 2 | 3, subFilter: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' = 'adbe.pkcs7.detached'): Promise<Uint8Array> {
  const out = await signPdf(pdf, { signer, subFilter, reason: 'Chứng nhận', certify: { permissions } } as SignPdfOptions);
  const reader = PdfReader.open(out);
  const perms = reader.resolve(reader.catalog().get('Perms'));
  if (!(perms instanceof PdfDict) || !(perms.get('DocMDP') instanceof PdfRef)) throw new Error('signPdf did not certify (certify option missing?)');
  return out;
}

/** A signed field added by a hand-laid signature update (`more` adds what the tool also writes). */
export function signField(
  base: Uint8Array,
  signer: Signer,
  field: Omit<FieldOptions, 'sigRef'>,
  more: (u: RawUpdate, widget: PdfRef, sigRef: PdfRef) => void = () => undefined,
  layout: WriteLayout & { subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' } = {},
): Promise<Uint8Array> {
  return signedUpdate(base, {
    signer,
    ...layout,
    edit: (u, sigRef) => {
      const widget = addField(u, { ...field, sigRef });
      more(u, widget, sigRef);
    },
  });
}

export const verify = (pdf: Uint8Array, store: TrustStore): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store });

export const describe_ = (m: Modification): string =>
  `${m.revision}:${m.object}:${m.change}:${m.verdict}:${m.category}:${m.rule}:${m.path}${m.covers ? `:covers=${JSON.stringify(m.covers)}` : ''}`;

export const describeMods = (r: VerificationReport): string => r.modifications.map(describe_).join('\n');

export const rulesOf = (r: VerificationReport): string[] => [...new Set(r.modifications.map((m) => m.rule).filter((x): x is string => x !== null))].sort();

/** Valid, every later change allowed by a named rule, and `rules` among them. */
export function expectAllowed(r: VerificationReport, rules: string[]): void {
  const text = describeMods(r);
  expect(r.modification, text).toBe('allowed');
  expect(r.modifications.length, text).toBeGreaterThan(0);
  for (const m of r.modifications) {
    expect(m.verdict, text).toBe('allowed');
    expect(m.rule, text).not.toBeNull();
  }
  const got = rulesOf(r);
  for (const rule of rules) expect(got, text).toContain(rule);
  expect(r.verdict, `${text}\n${JSON.stringify(r.signatures.map((s) => [s.field, s.indication, s.subIndication, s.findings.map((f) => f.code)]))}`).toBe('valid');
}

/** Suspicious, and for each path a finding no rule cleared (rule null) at that path. */
export function expectSuspicious(r: VerificationReport, paths: string[]): void {
  const text = describeMods(r);
  expect(r.modification, text).toBe('suspicious');
  expect(r.verdict, text).toBe('invalid');
  for (const m of r.modifications) if (m.verdict === 'suspicious') expect(m.rule, text).toBeNull();
  const found = r.modifications.filter((m) => m.verdict === 'suspicious').map((m) => m.path);
  for (const p of paths) expect(found, text).toContain(p);
}

const outDir = tempDir('kyso-diff-fixtures-');

/**
 * qpdf --check is clean, and pdfsig says each signature is valid where
 * `valid[i]` is true (null: not judged, e.g. a document timestamp).
 */
export function expectOtherToolsAgree(pdf: Uint8Array, name: string, nssDir: string, valid: (boolean | null)[]): void {
  const file = join(outDir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const q = qpdfCheck(file);
  expect(q.ok, q.text).toBe(true);
  const sigs = pdfsig(file, nssDir);
  expect(sigs.length, JSON.stringify(sigs)).toBe(valid.length);
  valid.forEach((v, i) => {
    if (v === null) return;
    expect(sigs[i]!.signatureValid, `${name} signature ${i + 1}: ${sigs[i]!.signatureText}`).toBe(v);
  });
}
