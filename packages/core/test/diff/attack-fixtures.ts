/**
 * Signed PDFs followed by crafted updates: the published attack classes
 * against PDF signature validation (PDF-Insecurity: shadow attacks "hide",
 * "replace" and "hide-and-replace", incremental saving attacks, signature
 * wrapping; the Evil Annotation and Sneaky Signature attacks on certified
 * documents), each next to the legitimate change that looks most like it.
 *
 * Everything is built here, from nothing: pdf-lib draws the base documents;
 * kyso signs them (signPdf, or `signFilling` below when an attack needs
 * more in the signature's own revision); the attacks are appended with
 * kyso's IncrementalWriter or, when they must break the rules a writer
 * keeps (xref-only updates, re-pointed entries, duplicate definitions,
 * generation changes, a /Prev that skips a section), as hand-written bytes
 * (`appendRaw`). No file is fetched.
 *
 * Every builder returns an `AttackFixture`: the file, what the analysis
 * must report (`expect`), and a note saying what the attack does. The
 * assertion helpers at the end are shared by the tests in this folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFRef as LibRef, PDFString as LibString, StandardFonts, rgb, type PDFContext } from 'pdf-lib';
import { expect } from 'vitest';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf, type Modification, type SignPdfOptions, type VerificationReport } from '../../src/index.js';
import { signDetached } from '../../src/cms/index.js';
import { byteRangePlaceholder, ByteWriter, formatByteRange, formFields, IncrementalWriter, PdfDict, PdfName, PdfRaw, PdfReader, PdfRef, PdfStream, PdfString, rangeAround, type PdfObject } from '../../src/pdf/index.js';
import { pdfDate } from '../../src/sign/index.js';
import type { TestPki } from '../../src/testing/index.js';
import { pdfsig, qpdfCheck } from '../helpers/external-tools.js';
import { tempDir, testPki } from '../helpers/fixtures.js';

// ---------------------------------------------------------------------------
// What a fixture promises

export interface AttackExpect {
  /**
   * Where the finding is, as the contract writes paths from the trailer. An
   * array lists equally short routes to an object reachable several ways
   * (any one of them matches). Left out: the contract does not pin it.
   */
  path?: string | string[] | null;
  object?: number | null;
  change?: Modification['change'] | Modification['change'][];
  category?: string;
  /** For a legitimate twin: the id of the rule that clears the change. */
  rule?: string;
  /**
   * For a legitimate twin: the path its cleared finding must carry. The
   * contract leaves `path` null only for unreferenced objects and byte-level
   * findings; checked on its own (`expectClearedPath`), apart from the verdict.
   */
  clearedPath?: string | string[] | null;
  /** For new appearances: what the finding's `covers` must say. */
  covers?: { page: number | null; rect: [number, number, number, number]; opaque: boolean };
}

export interface AttackFixture {
  name: string;
  pdf: Uint8Array;
  /** 'suspicious' for an attack, 'allowed' for its legitimate twin. */
  verdict: 'suspicious' | 'allowed';
  expect: AttackExpect;
  note: string;
  /** How many signatures the file holds (all of them intact to a digest-only validator). */
  signatures: number;
  /** The file is meant to pass `qpdf --check` (false: see `note`). */
  wellFormed: boolean;
  /** pdfsig -no-ocsp is meant to call every signature valid (the digest-only view). */
  pdfsigValid: boolean;
  /** The DocMDP level the first signature certifies, if it is a certification. */
  certification?: 1 | 2 | 3;
}

// ---------------------------------------------------------------------------
// Identities

interface Kit {
  pki: TestPki;
  store: TrustStore;
  personal: SoftwareSigner;
  organisation: SoftwareSigner;
}

let kitPromise: Promise<Kit> | undefined;
export function kit(): Promise<Kit> {
  kitPromise ??= (async () => {
    const pki = await testPki();
    return {
      pki,
      store: TrustStore.fromPem(pki.root.certPem),
      personal: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }),
      organisation: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }),
    };
  })();
  return kitPromise;
}

export async function verify(pdf: Uint8Array): Promise<VerificationReport> {
  return verifyPdf(pdf, { trustStore: (await kit()).store });
}

// ---------------------------------------------------------------------------
// Low-level helpers

export const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** `base` plus one incremental update made with kyso's IncrementalWriter. */
export function appendUpdate<T = void>(
  base: Uint8Array,
  edit: (w: IncrementalWriter, r: PdfReader, ref: (num: number) => PdfRef) => T,
): { pdf: Uint8Array; result: T } {
  const reader = PdfReader.open(base);
  const w = new IncrementalWriter(reader);
  const result = edit(w, reader, (num) => new PdfRef(num, reader.generationOf(num)));
  const { appended } = w.write();
  return { pdf: Buffer.concat([base, appended]), result };
}

export interface RawObject {
  num: number;
  gen?: number;
  /** The object's source between "n g obj" and "endobj" (see `rawStream`). */
  body: string | Uint8Array;
  /** Listed in this update's cross-reference section (default true). */
  listed?: boolean;
}

export interface RawUpdate {
  /** Written to the body in this order. */
  objects?: RawObject[];
  /** More entries: re-point `num` to an absolute byte offset, or free it. */
  entries?: Array<{ num: number; gen?: number; offset: number } | { num: number; gen?: number; free: true }>;
  /**
   * Trailer entries as PDF source ('12 0 R', '<< ... >>', '1234'). Size,
   * Root, Info, ID and Prev default to the base's (Prev: its startxref);
   * null leaves one out.
   */
  trailer?: Record<string, string | null>;
}

/** `base` plus an update written byte by byte: a classic xref table and trailer with whatever they are told to say. */
export function appendRaw(base: Uint8Array, spec: RawUpdate): { pdf: Uint8Array; offsets: number[]; startxref: number } {
  const reader = PdfReader.open(base, { allowEncrypted: true });
  const parts: Buffer[] = [];
  let at = base.length;
  const push = (b: Buffer): void => {
    parts.push(b);
    at += b.length;
  };
  const last = base[base.length - 1];
  if (last !== 0x0a && last !== 0x0d) push(bytes('\n'));
  const entries = new Map<number, { type: 'n' | 'f'; offset: number; gen: number }>();
  const offsets: number[] = [];
  let maxNum = 0;
  for (const o of spec.objects ?? []) {
    const gen = o.gen ?? 0;
    offsets.push(at);
    if (o.listed !== false) entries.set(o.num, { type: 'n', offset: at, gen });
    push(Buffer.concat([bytes(`${o.num} ${gen} obj\n`), typeof o.body === 'string' ? bytes(o.body) : Buffer.from(o.body), bytes('\nendobj\n')]));
    maxNum = Math.max(maxNum, o.num);
  }
  for (const e of spec.entries ?? []) {
    entries.set(e.num, 'free' in e ? { type: 'f', offset: 0, gen: e.gen ?? 0 } : { type: 'n', offset: e.offset, gen: e.gen ?? 0 });
    maxNum = Math.max(maxNum, e.num);
  }
  const startxref = at;
  let xref = 'xref\n';
  const nums = [...entries.keys()].sort((a, b) => a - b);
  if (nums.length === 0) xref += '0 0\n';
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    xref += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = entries.get(nums[k]!)!;
      xref += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} ${e.type}\r\n`;
    }
    i = j + 1;
  }
  const old = reader.trailer;
  const src = (o: PdfObject | undefined): string | null => (o === undefined ? null : latin1(new ByteWriter(256).object(o).toBytes()));
  const trailer: Record<string, string | null> = {
    Size: String(Math.max(reader.size, maxNum + 1)),
    Root: src(old.get('Root')),
    Info: src(old.get('Info')),
    ID: src(old.get('ID')),
    Prev: String(reader.startxref),
    ...spec.trailer,
  };
  const dict = Object.entries(trailer)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `/${k} ${v}`)
    .join(' ');
  push(bytes(`${xref}trailer\n<< ${dict} >>\nstartxref\n${startxref}\n%%EOF\n`));
  return { pdf: Buffer.concat([base, ...parts]), offsets, startxref };
}

/** Source of a stream object's body, with its /Length. */
export function rawStream(dictEntries: string, data: string): string {
  return `<< ${dictEntries} /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
}

/** The exact source of object `num` as the newest cross-reference section points to it (for byte-identical rewrites). */
function rawSourceOf(pdf: Uint8Array, num: number): string {
  const r = PdfReader.open(pdf);
  const e = r.entry(num);
  if (e?.type !== 1) throw new Error(`object ${num} is not a plain object`);
  const text = latin1(pdf);
  const head = `${num} ${e.gen} obj`;
  const start = text.indexOf(head, e.offset) + head.length;
  const end = text.indexOf('endobj', start);
  return text.slice(start, end).trim();
}

const formXObject = (bbox: [number, number, number, number], content: string, resources?: PdfDict): PdfStream => {
  const d = new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', bbox);
  if (resources) d.set('Resources', resources);
  return new PdfStream(d, bytes(content));
};
const fontResources = (name: string, font: PdfObject): PdfDict => new PdfDict().set('Font', new PdfDict().set(name, font));
const helvetica = (): PdfDict =>
  new PdfDict().set('Type', PdfName.of('Font')).set('Subtype', PdfName.of('Type1')).set('BaseFont', PdfName.of('Helvetica')).set('Encoding', PdfName.of('WinAnsiEncoding'));

/**
 * Signs into the existing empty signature field `field`, writing `edit`'s
 * objects in the signature's own revision: the Sneaky Signature pattern
 * needs an appearance overwritten by the very update that signs.
 */
export async function signFilling(
  base: Uint8Array,
  signer: SoftwareSigner,
  field: string,
  edit?: (w: IncrementalWriter, r: PdfReader, ref: (num: number) => PdfRef) => void,
): Promise<Uint8Array> {
  const reader = PdfReader.open(base);
  const w = new IncrementalWriter(reader);
  const ref = (num: number): PdfRef => new PdfRef(num, reader.generationOf(num));
  const hexLength = 16_384;
  const sigRef = w.allocate();
  const hole = Buffer.alloc(hexLength + 2, 0x30);
  hole[0] = 0x3c;
  hole[hexLength + 1] = 0x3e;
  w.set(
    sigRef,
    new PdfDict()
      .set('Type', PdfName.of('Sig'))
      .set('Filter', PdfName.of('Adobe.PPKLite'))
      .set('SubFilter', PdfName.of('ETSI.CAdES.detached'))
      .set('ByteRange', new PdfRaw(bytes(byteRangePlaceholder()), 'byteRange'))
      .set('Contents', new PdfRaw(hole, 'contents'))
      .set('M', PdfString.fromText(pdfDate(new Date()))),
  );
  const target = formFields(reader).find((f) => f.name === field);
  if (!target?.ref || target.type !== 'Sig' || target.dict.has('V')) throw new Error(`no empty signature field "${field}"`);
  w.set(target.ref, target.dict.clone().set('V', sigRef));
  edit?.(w, reader, ref);
  const written = w.write();
  const update = Buffer.from(written.appended);
  const total = base.length + update.length;
  const contents = written.markers.get('contents')!;
  const br = rangeAround(contents, contents + hexLength + 2, total);
  update.write(formatByteRange(br), written.markers.get('byteRange')! - base.length, 'latin1');
  const file = Buffer.concat([base, update]);
  const digest = createHash('sha256').update(file.subarray(0, br[1])).update(file.subarray(br[2])).digest();
  const cms = await signDetached(signer, digest, 'SHA-256');
  file.write(Buffer.from(cms).toString('hex'), contents + 1, 'latin1');
  return file;
}

// ---------------------------------------------------------------------------
// Base documents (pdf-lib)

export const AMOUNT = 'So tien: 1.000.000 dong';
export const FORGED = 'So tien: 9.000.000 dong';
/** Where the amount is drawn: 14 pt Helvetica at (72, 760). */
export const AMOUNT_RECT: [number, number, number, number] = [70, 750, 370, 780];
/** A part of the page where nothing is drawn. */
export const BLANK_RECT: [number, number, number, number] = [350, 60, 550, 120];

const amountText = (text: string): string => `BT /F1 14 Tf 72 760 Td (${text}) Tj ET\n`;
const IMAGE_DRAW = 'q 64 0 0 64 72 600 cm /Im1 Do Q\n';

function addImage(ctx: PDFContext, fill = 0x80): LibRef {
  return ctx.register(
    ctx.stream(new Uint8Array(8 * 8 * 3).fill(fill), { Type: 'XObject', Subtype: 'Image', Width: 8, Height: 8, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 }),
  );
}

/** Saves without object streams and inserts `dead` object definitions before the xref table: in the body, in no xref. */
async function saveWithDeadObjects(doc: PDFDocument, dead: Array<{ num: number; body: string }> = []): Promise<{ pdf: Uint8Array; deadOffsets: number[] }> {
  const out = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  if (dead.length === 0) return { pdf: out, deadOffsets: [] };
  const text = latin1(out);
  const xrefAt = text.lastIndexOf('\nxref\n') + 1;
  const sx = text.lastIndexOf('startxref');
  let insert = '';
  const deadOffsets: number[] = [];
  for (const d of dead) {
    deadOffsets.push(xrefAt + insert.length);
    insert += `${d.num} 0 obj\n${d.body}\nendobj\n`;
  }
  const tail = text.slice(xrefAt, sx) + `startxref\n${xrefAt + insert.length}\n%%EOF\n`;
  return { pdf: bytes(text.slice(0, xrefAt) + insert + tail), deadOffsets };
}

export interface PlainBase {
  pdf: Uint8Array;
  catalog: number;
  pages: number;
  page: number;
  content: number;
  font: number;
  image: number;
  /** With `oc`: the optional content group around the amount, /OCProperties and its /D. */
  ocg?: number;
  ocProperties?: number;
  ocDefault?: number;
}

/** The dangling reference's object number (`plainBase({ dangling: true })`). */
export const DANGLING = 99;

/**
 * One page: the amount in Helvetica, an 8×8 grey image, an uncompressed
 * content stream. `dangling`: the page's resources also name
 * /X9 99 0 R, an object that does not exist, and the content draws it.
 * `oc`: the amount is inside an optional content group that is ON.
 */
export async function plainBase(opts: { dangling?: boolean; oc?: boolean } = {}): Promise<PlainBase> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso attack fixture');
  doc.setProducer('pdf-lib');
  const ctx = doc.context;
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = addImage(ctx);
  const page = doc.addPage([595, 842]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.setXObject(PDFName.of('Im1'), image);
  let text = amountText(AMOUNT) + IMAGE_DRAW;
  const out: Partial<PlainBase> = {};
  if (opts.dangling) {
    page.node.setXObject(PDFName.of('X9'), LibRef.of(DANGLING));
    text += 'q /X9 Do Q\n';
  }
  if (opts.oc) {
    const ocg = ctx.register(ctx.obj({ Type: 'OCG', Name: LibString.of('So tien') }));
    const d = ctx.register(ctx.obj({ Name: LibString.of('Default'), Order: [ocg], OFF: [] }));
    const props = ctx.register(ctx.obj({ OCGs: [ocg], D: d }));
    doc.catalog.set(PDFName.of('OCProperties'), props);
    page.node.Resources()!.set(PDFName.of('Properties'), ctx.obj({ oc1: ocg }));
    text = `/OC /oc1 BDC\n${amountText(AMOUNT)}EMC\n${IMAGE_DRAW}`;
    Object.assign(out, { ocg: ocg.objectNumber, ocProperties: props.objectNumber, ocDefault: d.objectNumber });
  }
  const content = ctx.register(ctx.stream(`% kyso attack fixture\n${text}`));
  page.node.set(PDFName.of('Contents'), content);
  const { pdf } = await saveWithDeadObjects(doc);
  const r = PdfReader.open(pdf);
  return {
    ...out,
    pdf,
    catalog: r.catalogRef().num,
    pages: (r.catalog().get('Pages') as PdfRef).num,
    page: page.ref.objectNumber,
    content: content.objectNumber,
    font: font.ref.objectNumber,
    image: image.objectNumber,
  };
}

export interface ShadowBase {
  pdf: Uint8Array;
  catalog: number;
  page: number;
  content: number;
  /** The overlay form XObject /Ov: a white box and the amount, drawn over the forged amount. */
  overlay: number;
  /** The second catalog and page tree, in the signed bytes, referenced by nothing. */
  hiddenCatalog: number;
  hiddenPages: number;
  acroForm: number;
  /** Offsets of the dead duplicate definitions of the content stream and the overlay. */
  deadContentAt: number;
  deadOverlayAt: number;
}

/**
 * What a shadow attacker sends to be signed. The page draws the forged
 * amount, then the overlay /Ov (a white box with the real amount) over it.
 * Inside the same bytes: a second catalog, page tree and page showing the
 * forged amount, referenced by nothing, sharing the AcroForm (so the
 * signature is found from either catalog); and dead definitions of the
 * content stream (without the overlay) and of the overlay (empty) that no
 * xref lists. The signature field is prepared empty (Signature1).
 */
export async function shadowBase(): Promise<ShadowBase> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso shadow fixture');
  const ctx = doc.context;
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = addImage(ctx);
  const overlay = ctx.register(
    ctx.stream(`1 1 1 rg 70 750 300 30 re f\n0 g\n${amountText(AMOUNT)}`, {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 595, 842],
      Resources: { Font: { F1: font.ref } },
    }),
  );
  const page = doc.addPage([595, 842]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.setXObject(PDFName.of('Im1'), image);
  page.node.setXObject(PDFName.of('Ov'), overlay);
  const visible = `${amountText(FORGED)}q /Ov Do Q\n${IMAGE_DRAW}`;
  const content = ctx.register(ctx.stream(visible));
  page.node.set(PDFName.of('Contents'), content);

  const emptyAp = ctx.register(ctx.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 0, 0] }));
  const sigField = ctx.register(
    ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: LibString.of('Signature1'), Rect: [0, 0, 0, 0], F: 132, P: page.ref, AP: { N: emptyAp } }),
  );
  page.node.set(PDFName.of('Annots'), ctx.obj([sigField]));
  const acroForm = ctx.register(ctx.obj({ Fields: [sigField], SigFlags: 3 }));
  doc.catalog.set(PDFName.of('AcroForm'), acroForm);

  // The hidden document.
  const hiddenPages = ctx.nextRef();
  const hiddenContent = ctx.register(ctx.stream(amountText(FORGED) + IMAGE_DRAW));
  const hiddenPage = ctx.register(
    ctx.obj({ Type: 'Page', Parent: hiddenPages, MediaBox: [0, 0, 595, 842], Resources: { Font: { F1: font.ref }, XObject: { Im1: image } }, Contents: hiddenContent }),
  );
  ctx.assign(hiddenPages, ctx.obj({ Type: 'Pages', Kids: [hiddenPage], Count: 1 }));
  const hiddenCatalog = ctx.register(ctx.obj({ Type: 'Catalog', Pages: hiddenPages, AcroForm: acroForm }));

  const deadContent = `% dead duplicate\n${amountText(FORGED)}${IMAGE_DRAW}`;
  const { pdf, deadOffsets } = await saveWithDeadObjects(doc, [
    { num: content.objectNumber, body: rawStream('', deadContent) },
    { num: overlay.objectNumber, body: rawStream('/Type /XObject /Subtype /Form /BBox [0 0 595 842]', '') },
  ]);
  const r = PdfReader.open(pdf);
  return {
    pdf,
    catalog: r.catalogRef().num,
    page: page.ref.objectNumber,
    content: content.objectNumber,
    overlay: overlay.objectNumber,
    hiddenCatalog: hiddenCatalog.objectNumber,
    hiddenPages: hiddenPages.objectNumber,
    acroForm: acroForm.objectNumber,
    deadContentAt: deadOffsets[0]!,
    deadOverlayAt: deadOffsets[1]!,
  };
}

export interface FormBase {
  pdf: Uint8Array;
  page: number;
  font: number;
  acroForm: number;
  /** Text fields a and b (merged field/widget dictionaries) and their appearance streams. */
  a: number;
  b: number;
  apA: number;
  apB: number;
  /** The prepared empty signature field "Approval" and its appearance stream. */
  approval: number;
  approvalAp: number;
}

export const FIELD_A_RECT: [number, number, number, number] = [72, 500, 272, 520];
export const FIELD_B_RECT: [number, number, number, number] = [72, 460, 272, 480];
export const APPROVAL_RECT: [number, number, number, number] = [350, 40, 550, 100];

const textAppearance = (value: string): string => `/Tx BMC q BT /Helv 10 Tf 0 g 2 6 Td (${value}) Tj ET Q EMC\n`;

/**
 * A form: the amount and the image, text fields `a` and `b` filled in with
 * appearances, and an empty signature field "Approval" with a framed
 * appearance. `sharedAppearance`: the page's resources also name that
 * appearance stream (/Sh) and the page draws it around the amount, so
 * whoever overwrites the field's appearance redraws the page.
 */
export async function formBase(opts: { sharedAppearance?: boolean } = {}): Promise<FormBase> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso form fixture');
  const ctx = doc.context;
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const image = addImage(ctx);
  const page = doc.addPage([595, 842]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  page.node.setXObject(PDFName.of('Im1'), image);
  const field = (name: string, rect: number[], value: string): { field: LibRef; ap: LibRef } => {
    const ap = ctx.register(
      ctx.stream(textAppearance(value), { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, rect[2]! - rect[0]!, rect[3]! - rect[1]!], Resources: { Font: { Helv: font.ref } } }),
    );
    const f = ctx.register(
      ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Tx', T: LibString.of(name), V: LibString.of(value), DA: LibString.of('/Helv 10 Tf 0 g'), Rect: rect, F: 4, P: page.ref, AP: { N: ap } }),
    );
    return { field: f, ap };
  };
  const a = field('a', FIELD_A_RECT, 'Nguyen Van A');
  const b = field('b', FIELD_B_RECT, 'Phuoc Loc');
  const approvalAp = ctx.register(ctx.stream('0 0 1 RG 1 w 0.5 0.5 199 59 re S\n', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 200, 60] }));
  const approval = ctx.register(
    ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: LibString.of('Approval'), Rect: APPROVAL_RECT, F: 4, P: page.ref, AP: { N: approvalAp } }),
  );
  let text = amountText(AMOUNT) + IMAGE_DRAW;
  if (opts.sharedAppearance) {
    page.node.setXObject(PDFName.of('Sh'), approvalAp);
    text += 'q 1 0 0 1 70 745 cm /Sh Do Q\n';
  }
  page.node.set(PDFName.of('Contents'), ctx.register(ctx.stream(text)));
  page.node.set(PDFName.of('Annots'), ctx.obj([a.field, b.field, approval]));
  const acroForm = ctx.register(ctx.obj({ Fields: [a.field, b.field, approval], DR: { Font: { Helv: font.ref } }, DA: LibString.of('/Helv 0 Tf 0 g') }));
  doc.catalog.set(PDFName.of('AcroForm'), acroForm);
  const { pdf } = await saveWithDeadObjects(doc);
  return {
    pdf,
    page: page.ref.objectNumber,
    font: font.ref.objectNumber,
    acroForm: acroForm.objectNumber,
    a: a.field.objectNumber,
    b: b.field.objectNumber,
    apA: a.ap.objectNumber,
    apB: b.ap.objectNumber,
    approval: approval.objectNumber,
    approvalAp: approvalAp.objectNumber,
  };
}

/** A one-page scratch PDF for a visible signature: an opaque white box (if `opaque`) with a line of text. */
async function scratchAppearance(width: number, height: number, text: string, opaque: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([width, height]);
  if (opaque) page.drawRectangle({ x: 0, y: 0, width, height, color: rgb(1, 1, 1) });
  page.drawText(text, { x: 2, y: 10, size: 14, font, color: rgb(0, 0, 0) });
  return doc.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------------------
// Signed bases (memoised: every fixture of a test file starts from the same bytes)

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, f: () => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = f();
    memo.set(key, p);
  }
  return p;
}

type Signed<B> = B & { signed: Uint8Array };

/** Signed once by the personal identity; `certify` makes it a certification signature (DocMDP P). */
async function signedBy<B extends { pdf: Uint8Array }>(base: B, options: Partial<SignPdfOptions> = {}): Promise<Signed<B>> {
  const { personal } = await kit();
  return { ...base, signed: await signPdf(base.pdf, { signer: personal, reason: 'Phe duyet', ...options }) };
}

export const signedPlain = (): Promise<Signed<PlainBase>> => once('plain', async () => signedBy(await plainBase()));
const signedPlainReserved = (): Promise<Signed<PlainBase>> => once('plain-reserved', async () => signedBy(await plainBase(), { reserveBytes: 4096 }));
const signedDangling = (): Promise<Signed<PlainBase>> => once('dangling', async () => signedBy(await plainBase({ dangling: true })));
const signedOc = (): Promise<Signed<PlainBase>> => once('oc', async () => signedBy(await plainBase({ oc: true })));
const certifiedPlain = (p: 1 | 2 | 3): Promise<Signed<PlainBase>> => once(`plain-p${p}`, async () => signedBy(await plainBase(), { certify: { permissions: p } }));
const signedShadow = (): Promise<Signed<ShadowBase>> => once('shadow', async () => signedBy(await shadowBase(), { fieldName: 'Signature1' }));
const signedForm = (shared: boolean): Promise<Signed<FormBase>> => once(`form-${shared}`, async () => signedBy(await formBase({ sharedAppearance: shared })));
const certifiedForm = (p: 1 | 2 | 3): Promise<Signed<FormBase>> => once(`form-p${p}`, async () => signedBy(await formBase(), { certify: { permissions: p } }));
const lockedForm = (lock: NonNullable<SignPdfOptions['lock']>): Promise<Signed<FormBase>> =>
  once(`form-lock-${JSON.stringify(lock)}`, async () => signedBy(await formBase(), { lock }));

const fx = (f: Omit<AttackFixture, 'signatures' | 'wellFormed' | 'pdfsigValid'> & Partial<AttackFixture>): AttackFixture => ({
  signatures: 1,
  wellFormed: true,
  pdfsigValid: true,
  ...f,
});

const CONTENTS = '/Root/Pages/Kids[0]/Contents';
const PAGE = '/Root/Pages/Kids[0]';

// ---------------------------------------------------------------------------
// Trailer and cross-reference attacks

/** (A) Hide-and-replace, xref only: no object written; the trailer's /Root names the hidden catalog. */
export async function rootToHiddenCatalog(): Promise<AttackFixture> {
  const s = await signedShadow();
  const { pdf } = appendRaw(s.signed, { trailer: { Root: `${s.hiddenCatalog} 0 R` } });
  return fx({
    name: 'xref-only update re-pointing /Root to the hidden catalog',
    pdf,
    verdict: 'suspicious',
    expect: { path: '/Root', change: 'trailer' },
    note: 'Shadow hide-and-replace (Mainka et al.): the signed bytes already hold a second catalog and page tree showing 9.000.000; the update writes no object, only an xref section and a trailer whose /Root names that catalog.',
  });
}

/** Hide-and-replace with a new catalog object (a new number) naming the hidden page tree, and /Root pointing at it. */
export async function rootToNewCatalog(): Promise<AttackFixture> {
  const s = await signedShadow();
  const num = PdfReader.open(s.signed).size;
  const { pdf } = appendRaw(s.signed, {
    objects: [{ num, body: `<< /Type /Catalog /Pages ${s.hiddenPages} 0 R /AcroForm ${s.acroForm} 0 R >>` }],
    trailer: { Root: `${num} 0 R` },
  });
  return fx({
    name: 'new catalog object over the hidden page tree, /Root re-pointed',
    pdf,
    verdict: 'suspicious',
    expect: { path: '/Root', change: 'trailer' },
    note: 'Hide-and-replace: a new catalog (new object number) names the page tree hidden in the signed bytes; the trailer /Root is moved to it.',
  });
}

/** The page's content stream re-pointed, by the xref alone, to a dead second definition already in the signed bytes. */
export async function xrefRepointContent(): Promise<AttackFixture> {
  const s = await signedShadow();
  const { pdf } = appendRaw(s.signed, { entries: [{ num: s.content, offset: s.deadContentAt }] });
  return fx({
    name: 'xref entry of the content stream re-pointed to a dead duplicate in the signed bytes',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.content, path: CONTENTS },
    note: 'The update writes nothing: its xref section gives the content stream number the offset of a second "n 0 obj" the signed body already carried (no overlay call, so 9.000.000 shows).',
  });
}

/** Shadow hide by re-pointing: the overlay's number re-pointed to its dead empty duplicate. */
export async function xrefRepointOverlay(): Promise<AttackFixture> {
  const s = await signedShadow();
  const { pdf } = appendRaw(s.signed, { entries: [{ num: s.overlay, offset: s.deadOverlayAt }] });
  return fx({
    name: 'shadow hide: overlay XObject re-pointed to its dead empty duplicate',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.overlay, path: `${PAGE}/Resources/XObject/Ov` },
    note: 'Shadow hide (xref variant): the overlay that covered 9.000.000 with the real amount now resolves to an empty form defined, unlisted, in the signed body.',
  });
}

/** The image redefined under generation 1: every "n 0 R" to it now resolves to nothing. */
export async function generationChange(): Promise<AttackFixture> {
  const s = await signedPlain();
  const white = 'f'.repeat(8 * 8 * 3 * 2);
  const { pdf } = appendRaw(s.signed, {
    objects: [{ num: s.image, gen: 1, body: rawStream('/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /ASCIIHexDecode', `${white}>`) }],
  });
  return fx({
    name: 'generation change of the image',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.image, path: `${PAGE}/Resources/XObject/Im1` },
    note: 'The image is written again as "n 1 obj" and listed with generation 1; references "n 0 R" from the signed page no longer resolve to the signed image (readers differ on what they show).',
  });
}

/** The content stream defined twice in one update: the xref points at a byte-identical copy, a reader that rebuilds the file takes the forged one after it. */
export async function duplicateInUpdate(): Promise<AttackFixture> {
  const s = await signedPlain();
  const same = rawSourceOf(s.signed, s.content);
  const { pdf } = appendRaw(s.signed, {
    objects: [
      { num: s.content, body: same },
      { num: s.content, body: rawStream('', amountText(FORGED) + IMAGE_DRAW), listed: false },
    ],
  });
  return fx({
    name: 'the same object defined twice in one update (xref points to the identical copy)',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.content, path: CONTENTS },
    note: 'Two "n 0 obj" of the content stream in one body: the listed one equals the signed stream (an identical rewrite on its own), the unlisted one after it shows 9.000.000 to any reader that repairs the file.',
  });
}

/** Legitimate twin of the duplicate: the content stream written once again, byte-identical. */
export async function identicalRewrite(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendRaw(s.signed, { objects: [{ num: s.content, body: rawSourceOf(s.signed, s.content) }] });
  return fx({
    name: 'the content stream written again unchanged',
    pdf,
    verdict: 'allowed',
    expect: { object: s.content, rule: 'structure.identical-rewrite', clearedPath: CONTENTS },
    note: 'Twin of the duplicate definition: one definition, equal to the signed one.',
  });
}

/**
 * Signature wrapping: the unsigned padding of /Contents is rewritten to end
 * the hex string early and hold an object; a later xref points the content
 * stream into that gap.
 */
async function contentsGapObject(holeShaped: boolean, fresh = false): Promise<AttackFixture> {
  const s = await signedPlainReserved();
  const file = Buffer.from(s.signed);
  const text = latin1(file);
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(text.lastIndexOf('/ByteRange')))!;
  const [b1, b2] = [Number(m[2]), Number(m[3])];
  const hex = text.slice(b1 + 1, b2 - 1);
  const der = Buffer.from(hex.slice(0, 12), 'hex');
  const n = der[1]! & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  const derHex = hex.slice(0, 2 * (2 + n + len));
  const dead = PdfReader.open(s.signed).size + 50;
  // fresh: a new object number, which nothing refers to, instead of the content stream's.
  const num = fresh ? dead + 1 : s.content;
  const head = `<${derHex}>>>\nendobj\n`;
  const obj = `${num} 0 obj\n${rawStream('', amountText(FORGED) + IMAGE_DRAW)}\nendobj\n`;
  // holeShaped: the gap still starts with '<' and ends with '>' (a hex string value of the dead object), as a hole does.
  const tail = holeShaped ? `${dead} 0 obj\n<< /Pad <00>` : `${dead} 0 obj\n<<`;
  const gap = b2 - b1;
  if (head.length + obj.length + tail.length > gap) throw new Error('the /Contents gap is too small');
  file.write(head + obj + ' '.repeat(gap - head.length - obj.length - tail.length) + tail, b1, 'latin1');
  const { pdf } = appendRaw(file, { entries: [{ num, offset: b1 + head.length }] });
  return fx({
    name: `xref entry pointing inside the signature /Contents gap (${fresh ? 'a new, unreferenced object; ' : ''}${holeShaped ? "gap still '<…>'" : "gap ending in '<<'"})`,
    pdf,
    verdict: 'suspicious',
    expect: fresh ? { object: num, path: null } : { object: s.content, path: CONTENTS },
    note: 'Signature wrapping (Mladenov et al. 2019): the zero padding of /Contents is not signed; it now closes the hex string and the dictionary early, holds a content stream showing 9.000.000, and opens a dead object that swallows the rest of the signature dictionary. The update re-points the content stream into the gap. kyso also calls signature 1 malformed (its gap is no longer its /Contents); pdfsig checks only the digest.',
  });
}
export const objectInContentsGap = (): Promise<AttackFixture> => contentsGapObject(true);
/** The same, with the gap no longer shaped like a hex string (it ends with '<<'). */
export const objectInContentsGapOpen = (): Promise<AttackFixture> => contentsGapObject(false);
/** A new object (nothing refers to it) defined in the gap, the gap ending in '<<': objects in a gap are suspicious whatever they are. */
export const newObjectInContentsGapOpen = (): Promise<AttackFixture> => contentsGapObject(false, true);

/** An update whose /Prev skips the section before it: what it hides is seen only by readers that rebuild the file. */
export async function prevSkipsSection(): Promise<AttackFixture> {
  const s = await signedPlain();
  const signedXref = PdfReader.open(s.signed).startxref;
  const { pdf: hidden } = appendUpdate(s.signed, (w, r, ref) => {
    const old = r.getObject(ref(s.content)) as PdfStream;
    w.set(ref(s.content), new PdfStream(old.dict.clone(), bytes(amountText(FORGED) + IMAGE_DRAW)));
  });
  const info = PdfReader.open(s.signed).trailer.get('Info') as PdfRef;
  const { pdf } = appendRaw(hidden, {
    objects: [{ num: info.num, body: "<< /Producer (kyso fixture) /ModDate (D:20260101000000+07'00') >>" }],
    trailer: { Prev: String(signedXref) },
  });
  return fx({
    name: '/Prev that skips the previous section',
    pdf,
    verdict: 'suspicious',
    expect: { object: null },
    note: 'Two updates after the signature: the first redefines the content stream (9.000.000); the second refreshes /Info and its /Prev points past the first, straight to the signed section, so an xref-chain reader sees only the /Info change while a reader that rebuilds the file sees the forged page.',
  });
}

/** /Encrypt added by an update: standard security handler, RC4-free Identity crypt filters, empty user password. */
export async function encryptAdded(): Promise<AttackFixture> {
  const s = await signedPlain();
  const r = PdfReader.open(s.signed);
  const id = (r.resolve(r.trailer.get('ID')) as PdfString[])[0]!.bytes;
  const { o, u } = standardSecurityR4(Buffer.from(id), -4);
  const num = r.size;
  const { pdf } = appendRaw(s.signed, {
    objects: [
      {
        num,
        body: `<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /CFM /V2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /Identity /StrF /Identity /O <${o.toString('hex')}> /U <${u.toString('hex')}> /P -4 >>`,
      },
    ],
    trailer: { Encrypt: `${num} 0 R` },
  });
  return fx({
    name: '/Encrypt added to the trailer',
    pdf,
    verdict: 'suspicious',
    expect: { path: '/Encrypt' },
    note: 'The update adds a security handler (empty user password, Identity filters, so readers open it) to a document signed in the clear: everything signed is now to be read through a decryption step the signer never saw.',
  });
}

/** Legitimate twin of (A): an xref-only update that changes only the second /ID element. */
export async function xrefOnlyIdRefresh(): Promise<AttackFixture> {
  const s = await signedPlain();
  const r = PdfReader.open(s.signed);
  const first = (r.resolve(r.trailer.get('ID')) as PdfString[])[0]!;
  const { pdf } = appendRaw(s.signed, { trailer: { ID: `[<${Buffer.from(first.bytes).toString('hex')}> <${randomBytes(16).toString('hex')}>]` } });
  return fx({
    name: 'xref-only update changing the second /ID element',
    pdf,
    verdict: 'allowed',
    expect: { rule: 'structure.trailer-id' },
    note: 'Twin of (A): an update with no object, the same /Root, only a new second /ID (what a save does).',
  });
}

/** Near miss of the /ID refresh the other way: the FIRST /ID element (the document's identity) replaced. */
export async function firstIdReplaced(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendRaw(s.signed, { trailer: { ID: `[<${randomBytes(16).toString('hex')}> <${randomBytes(16).toString('hex')}>]` } });
  return fx({
    name: 'xref-only update replacing the first /ID element',
    pdf,
    verdict: 'suspicious',
    expect: { path: '/ID', change: 'trailer', object: null },
    note: 'The first /ID element identifies the document and must survive every update (ISO 32000-1 §14.4); an update with no object that replaces it claims the file is another document. structure.trailer-id clears only the second element.',
  });
}

/** Legitimate twin: /Info refreshed (producer, modification date). */
export async function infoRefresh(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf, result } = appendUpdate(s.signed, (w, r) => {
    const ref = r.trailer.get('Info') as PdfRef;
    w.set(ref, (r.getObject(ref) as PdfDict).clone().set('Producer', PdfString.fromText('Other tool 2.0')).set('ModDate', PdfString.fromText("D:20260101000000+07'00'")));
    return ref.num;
  });
  return fx({
    name: '/Info refreshed',
    pdf,
    verdict: 'allowed',
    expect: { object: result, rule: 'metadata.info', clearedPath: '/Info' },
    note: 'Twin of the /Prev skip: the same /Info update, chained properly and hiding nothing.',
  });
}

// ---------------------------------------------------------------------------
// Catalog attacks

/** Rewrites the catalog (same object number) with `edit` applied. */
function catalogUpdate(base: Uint8Array, edit: (catalog: PdfDict, w: IncrementalWriter, r: PdfReader) => void): Uint8Array {
  return appendUpdate(base, (w, r) => {
    const c = r.catalog().clone();
    edit(c, w, r);
    w.set(r.catalogRef(), c);
  }).pdf;
}
const js = (code: string): PdfDict => new PdfDict().set('S', PdfName.of('JavaScript')).set('JS', PdfString.fromText(code));

/** (B) The catalog rewritten with /OpenAction << /S /JavaScript /JS (...) >>. */
export async function openActionJs(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog gains /OpenAction JavaScript',
    pdf: catalogUpdate(s.signed, (c) => c.set('OpenAction', js("this.getField('x'); app.alert('9.000.000');"))),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/OpenAction' },
    note: 'The catalog (same number) is written again with an /OpenAction that runs JavaScript when the file opens: it can rewrite fields or the view after signing.',
  });
}

export async function catalogAA(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog gains /AA (document actions)',
    pdf: catalogUpdate(s.signed, (c) => c.set('AA', new PdfDict().set('WC', js('app.alert(1)')).set('WP', js('app.alert(2)')))),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/AA' },
    note: 'Document-level additional actions (will-close, will-print) added after signing.',
  });
}

export async function namesJavaScript(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog gains /Names /JavaScript',
    pdf: catalogUpdate(s.signed, (c, w) => {
      const action = w.add(js("app.alert('9.000.000')"));
      c.set('Names', new PdfDict().set('JavaScript', new PdfDict().set('Names', [PdfString.fromText('init'), action])));
    }),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/Names' },
    note: 'Document-level JavaScript in the name tree: runs when the document opens.',
  });
}

export async function namesEmbeddedFiles(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog gains /Names /EmbeddedFiles',
    pdf: catalogUpdate(s.signed, (c, w) => {
      const file = w.add(new PdfStream(new PdfDict().set('Type', PdfName.of('EmbeddedFile')), bytes('So tien: 9.000.000 dong\n')));
      const spec = w.add(new PdfDict().set('Type', PdfName.of('Filespec')).set('F', PdfString.fromText('hop-dong.txt')).set('EF', new PdfDict().set('F', file)));
      c.set('Names', new PdfDict().set('EmbeddedFiles', new PdfDict().set('Names', [PdfString.fromText('hop-dong.txt'), spec])));
    }),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/Names' },
    note: 'A file attached after signing, shown by viewers next to the signed document.',
  });
}

export async function acroFormXfa(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf, result } = appendUpdate(s.signed, (w, r) => {
    const ref = r.catalog().get('AcroForm') as PdfRef;
    const xfa = w.add(new PdfStream(new PdfDict(), bytes('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><draw><value><text>So tien: 9.000.000 dong</text></value></draw></subform></template></xdp:xdp>')));
    w.set(ref, (r.getObject(ref) as PdfDict).clone().set('XFA', xfa));
    return ref.num;
  });
  return fx({
    name: '/AcroForm gains /XFA',
    pdf,
    verdict: 'suspicious',
    expect: { object: result, path: '/Root/AcroForm/XFA' },
    note: 'An XFA form added to the AcroForm: XFA viewers render the XFA template instead of the signed pages.',
  });
}

export async function ocPropertiesAdded(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog gains /OCProperties',
    pdf: catalogUpdate(s.signed, (c, w) => {
      const ocg = w.add(new PdfDict().set('Type', PdfName.of('OCG')).set('Name', PdfString.fromText('x')));
      c.set('OCProperties', new PdfDict().set('OCGs', [ocg]).set('D', new PdfDict().set('OFF', [ocg])));
    }),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/OCProperties' },
    note: 'Optional content configuration added after signing (decides what layers are shown).',
  });
}

export async function ocToggledOff(): Promise<AttackFixture> {
  const s = await signedOc();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    w.set(ref(s.ocDefault!), (r.getObject(ref(s.ocDefault!)) as PdfDict).clone().set('OFF', [ref(s.ocg!)]));
  });
  return fx({
    name: 'optional content group of the amount switched OFF',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.ocDefault!, path: '/Root/OCProperties/D/OFF' },
    note: 'The signed page draws the amount inside an optional content group that is ON; the update adds the group to /OCProperties /D /OFF, so viewers no longer show the amount.',
  });
}

/** Hide-and-replace, catalog variant: the catalog (same number) now names the hidden page tree. */
export async function catalogPagesToHidden(): Promise<AttackFixture> {
  const s = await signedShadow();
  return fx({
    name: 'catalog /Pages re-pointed to the hidden page tree',
    pdf: catalogUpdate(s.signed, (c) => c.set('Pages', new PdfRef(s.hiddenPages, 0))),
    verdict: 'suspicious',
    expect: { object: s.catalog, path: '/Root/Pages' },
    note: 'Shadow hide-and-replace with a new catalog version: /Pages now names the page tree that was hidden, unreferenced, in the signed bytes.',
  });
}

/** Legitimate twin of (B): the catalog rewritten only to raise /Version (as iText does when it signs). */
export async function catalogVersionRaised(): Promise<AttackFixture> {
  const s = await signedPlain();
  return fx({
    name: 'catalog /Version raised to 2.0',
    pdf: catalogUpdate(s.signed, (c) => c.set('Version', PdfName.of('2.0'))),
    verdict: 'allowed',
    expect: { object: s.catalog, rule: 'catalog.version' },
    note: 'Twin of (B): the same catalog rewrite, adding only /Version /2.0.',
  });
}

// ---------------------------------------------------------------------------
// Page content attacks

/** Shadow hide: the overlay XObject redefined as an empty form. */
export async function overlayEmptied(): Promise<AttackFixture> {
  const s = await signedShadow();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    w.set(ref(s.overlay), formXObject([0, 0, 595, 842], ''));
  });
  return fx({
    name: 'shadow hide: overlay XObject redefined empty',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.overlay, path: `${PAGE}/Resources/XObject/Ov` },
    note: 'Shadow hide (Mainka et al.): the signed page drew 9.000.000 and covered it with an overlay (white box, real amount); the update empties the overlay.',
  });
}

/** Shadow replace: the font redefined. */
export async function fontRedefined(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    w.set(ref(s.font), (r.getObject(ref(s.font)) as PdfDict).clone().set('BaseFont', PdfName.of('ZapfDingbats')));
  });
  return fx({
    name: 'shadow replace: font redefined',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.font, path: `${PAGE}/Resources/Font/F1/BaseFont` },
    note: 'Shadow replace (font variant): the signed text is drawn with another font program after signing; glyphs change, bytes do not.',
  });
}

export async function contentsAppended(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    const extra = w.add(new PdfStream(new PdfDict(), bytes(`1 1 1 rg 70 750 300 30 re f 0 g\n${amountText(FORGED)}`)));
    w.set(ref(s.page), (r.getObject(ref(s.page)) as PdfDict).clone().set('Contents', [ref(s.content), extra]));
  });
  return fx({
    name: 'incremental saving: a content stream appended to the page',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.page, path: CONTENTS },
    note: 'Incremental saving attack: /Contents becomes [signed stream, new stream] and the new one paints over the amount.',
  });
}

export async function pageAdded(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    const pages = r.getObject(ref(s.pages)) as PdfDict;
    const content = w.add(new PdfStream(new PdfDict(), bytes(amountText('Phu luc: so tien sua thanh 9.000.000 dong'))));
    const page = w.add(
      new PdfDict().set('Type', PdfName.of('Page')).set('Parent', ref(s.pages)).set('MediaBox', [0, 0, 595, 842]).set('Resources', fontResources('F1', ref(s.font))).set('Contents', content),
    );
    w.set(ref(s.pages), pages.clone().set('Kids', [...(r.resolve(pages.get('Kids')) as PdfObject[]), page]).set('Count', 2));
  });
  return fx({
    name: 'incremental saving: a page added',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.pages, path: '/Root/Pages/Kids' },
    note: 'A second page appended to the page tree after signing.',
  });
}

export async function resourcesChanged(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    const page = r.getObject(ref(s.page)) as PdfDict;
    const courier = w.add(helvetica().set('BaseFont', PdfName.of('Courier')));
    const res = (r.resolve(page.get('Resources')) as PdfDict).clone().set('Font', new PdfDict().set('F1', courier));
    w.set(ref(s.page), page.clone().set('Resources', res));
  });
  return fx({
    name: 'page /Resources changed',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.page, path: `${PAGE}/Resources` },
    note: 'The page keeps its content stream but /F1 now names another font object.',
  });
}

export async function mediaBoxChanged(): Promise<AttackFixture> {
  const s = await signedPlain();
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    w.set(ref(s.page), (r.getObject(ref(s.page)) as PdfDict).clone().set('MediaBox', [0, 0, 595, 700]));
  });
  return fx({
    name: 'page /MediaBox changed',
    pdf,
    verdict: 'suspicious',
    expect: { object: s.page, path: `${PAGE}/MediaBox` },
    note: 'The page is cropped to 595×700 after signing: the amount (y = 760) is outside it.',
  });
}

export async function danglingFilled(): Promise<AttackFixture> {
  const s = await signedDangling();
  const { pdf } = appendUpdate(s.signed, (w) => {
    // Numbers up to 99 are taken through the writer so that the trailer's /Size covers 99.
    while (w.allocate().num < DANGLING);
    w.set(new PdfRef(DANGLING, 0), formXObject([0, 0, 595, 842], `1 1 1 rg 70 750 300 30 re f 0 g\n${amountText(FORGED)}`, fontResources('F1', new PdfRef(s.font, 0))));
  });
  return fx({
    name: 'dangling reference filled in',
    pdf,
    verdict: 'suspicious',
    expect: { object: DANGLING, path: `${PAGE}/Resources/XObject/X9`, change: 'added' },
    note: 'The signed page names /X9 99 0 R and draws it, but object 99 did not exist; the update adds it (a box with the forged amount).',
  });
}

/** Legitimate twin of the dangling reference: a new object nothing refers to. */
export async function unreferencedAdded(): Promise<AttackFixture> {
  const s = await signedDangling();
  const { pdf } = appendUpdate(s.signed, (w) => {
    while (w.allocate().num < DANGLING + 1);
    w.set(new PdfRef(DANGLING + 1, 0), formXObject([0, 0, 595, 842], `1 1 1 rg 70 750 300 30 re f`));
  });
  return fx({
    name: 'a new object nothing refers to',
    pdf,
    verdict: 'allowed',
    expect: { object: DANGLING + 1, rule: 'structure.unreferenced', clearedPath: null },
    note: 'Twin of the dangling reference: the same box, as object 100, which nothing names.',
  });
}

// ---------------------------------------------------------------------------
// Annotations: Evil Annotation Attack, Sneaky Signature Attack, shared appearances

/** Adds annotation `annot` (with an appearance drawing `content` in `rect`) to page 0's /Annots. Returns its number. */
function addAnnotation(base: Uint8Array, annot: PdfDict, content: string): { pdf: Uint8Array; num: number; apNum: number; index: number } {
  const { pdf, result } = appendUpdate(base, (w, r) => {
    const pageRef = r.pageRef(0)!;
    const page = r.getObject(pageRef) as PdfDict;
    const rect = annot.get('Rect') as number[];
    const font = w.add(helvetica());
    const ap = w.add(formXObject([0, 0, rect[2]! - rect[0]!, rect[3]! - rect[1]!], content, fontResources('Helv', font)));
    const ref = w.add(annot.set('P', pageRef).set('AP', new PdfDict().set('N', ap)));
    const annots = (r.resolve(page.get('Annots')) as PdfObject[] | null) ?? [];
    const entry = page.get('Annots');
    if (entry instanceof PdfRef) w.set(entry, [...annots, ref]);
    else w.set(pageRef, page.clone().set('Annots', [...annots, ref]));
    return { num: ref.num, apNum: ap.num, index: annots.length };
  });
  return { pdf, ...result };
}
const OPAQUE_FORGED = `1 1 1 rg 0 0 300 30 re f\nBT /Helv 14 Tf 0 g 2 10 Td (${FORGED}) Tj ET\n`;
const freeText = (): PdfDict =>
  new PdfDict()
    .set('Type', PdfName.of('Annot'))
    .set('Subtype', PdfName.of('FreeText'))
    .set('Rect', [...AMOUNT_RECT])
    .set('Contents', PdfString.fromText(FORGED))
    .set('DA', PdfString.fromText('/Helv 14 Tf 0 g'))
    .set('F', 4);
const stamp = (): PdfDict =>
  new PdfDict().set('Type', PdfName.of('Annot')).set('Subtype', PdfName.of('Stamp')).set('Name', PdfName.of('Approved')).set('Rect', [...AMOUNT_RECT]).set('F', 4);

async function evilAnnotation(p: 2 | 3 | null, kind: 'FreeText' | 'Stamp'): Promise<AttackFixture> {
  const s = p === null ? await signedPlain() : await certifiedPlain(p);
  const { pdf, num, index } = addAnnotation(s.signed, kind === 'FreeText' ? freeText() : stamp(), OPAQUE_FORGED);
  const where = p === null ? 'an ordinary signature' : `a certification at P=${p}`;
  const base = {
    pdf,
    ...(p !== null ? { certification: p } : {}),
  };
  if (p === 3) {
    return fx({
      ...base,
      name: `${kind} annotation over the amount after ${where}`,
      verdict: 'allowed',
      expect: { object: num, rule: 'annotation.add', clearedPath: `${PAGE}/Annots[${index}]`, covers: { page: 0, rect: [...AMOUNT_RECT], opaque: true } },
      note: 'P=3 permits annotations: the Evil Annotation pattern is allowed here, and the report says what the annotation covers (an opaque box over the amount).',
    });
  }
  return fx({
    ...base,
    name: `Evil Annotation: ${kind} over the amount after ${where}`,
    verdict: 'suspicious',
    expect: { object: num, path: `${PAGE}/Annots[${index}]` },
    note: `Evil Annotation Attack (Mladenov et al., S&P 2021): a ${kind} annotation whose opaque appearance shows 9.000.000 over the amount, added after ${where}; annotations are not permitted below P=3.`,
  });
}
export const evilFreeTextP2 = (): Promise<AttackFixture> => evilAnnotation(2, 'FreeText');
export const evilStampP2 = (): Promise<AttackFixture> => evilAnnotation(2, 'Stamp');
export const freeTextP3 = (): Promise<AttackFixture> => evilAnnotation(3, 'FreeText');
export const evilFreeTextUncertified = (): Promise<AttackFixture> => evilAnnotation(null, 'FreeText');

/** A new unsigned signature field (registered in /Fields and /Annots) whose appearance draws `content`. */
async function unsignedSignatureField(draws: boolean): Promise<AttackFixture> {
  const s = await signedPlain();
  const rect = draws ? AMOUNT_RECT : BLANK_RECT;
  const { pdf, result } = appendUpdate(s.signed, (w, r) => {
    const pageRef = r.pageRef(0)!;
    const page = r.getObject(pageRef) as PdfDict;
    const font = w.add(helvetica());
    const ap = w.add(draws ? formXObject([0, 0, 300, 30], OPAQUE_FORGED, fontResources('Helv', font)) : formXObject([0, 0, 0, 0], ''));
    const widget = w.add(
      new PdfDict()
        .set('Type', PdfName.of('Annot'))
        .set('Subtype', PdfName.of('Widget'))
        .set('FT', PdfName.of('Sig'))
        .set('T', PdfString.fromText('Signature2'))
        .set('Rect', [...rect])
        .set('F', 4)
        .set('P', pageRef)
        .set('AP', new PdfDict().set('N', ap)),
    );
    const afRef = r.catalog().get('AcroForm') as PdfRef;
    const af = r.getObject(afRef) as PdfDict;
    const fields = r.resolve(af.get('Fields')) as PdfObject[];
    w.set(afRef, af.clone().set('Fields', [...fields, widget]));
    w.set(pageRef, page.clone().set('Annots', [...((r.resolve(page.get('Annots')) as PdfObject[]) ?? []), widget]));
    return { widget: widget.num, index: fields.length };
  });
  if (!draws) {
    return fx({
      name: 'a new unsigned signature field that draws nothing',
      pdf,
      verdict: 'allowed',
      expect: { object: result.widget, rule: 'signature.new-empty-field' },
      note: 'Twin of the Sneaky Signature Attack: an empty signature field prepared for a later signer, its appearance empty.',
    });
  }
  return fx({
    name: 'Sneaky Signature: unsigned signature field drawing over the amount',
    pdf,
    verdict: 'suspicious',
    // Shortest route: trailer → catalog → AcroForm → Fields[1] (4 steps) beats the page's /Annots (6).
    expect: { object: result.widget, path: `/Root/AcroForm/Fields[${result.index}]` },
    note: 'Sneaky Signature Attack (Mladenov et al., S&P 2021): a new signature field, never signed, whose appearance is a white box with 9.000.000 over the amount.',
  });
}
export const sneakyUnsignedField = (): Promise<AttackFixture> => unsignedSignatureField(true);
export const emptyUnsignedField = (): Promise<AttackFixture> => unsignedSignatureField(false);

/** A second signature (organisation) in a new visible field whose appearance is an opaque box with text. */
async function secondVisibleSignature(overAmount: boolean): Promise<AttackFixture> {
  const s = await signedPlain();
  const { organisation } = await kit();
  const rect = overAmount ? AMOUNT_RECT : BLANK_RECT;
  const w = rect[2] - rect[0];
  const h = rect[3] - rect[1];
  const pdf = await signPdf(s.signed, {
    signer: organisation,
    reason: 'Dong dau',
    appearance: { pdf: await scratchAppearance(w, h, overAmount ? FORGED : 'Da ky: UBND xa Phuoc Loc', true), page: 0, rect: [...rect], images: {} },
  });
  const r = PdfReader.open(pdf);
  const fields = r.resolve((r.resolve(r.catalog().get('AcroForm')) as PdfDict).get('Fields')) as PdfRef[];
  const widget = fields[fields.length - 1]!.num;
  if (!overAmount) {
    return fx({
      name: 'a second visible signature in a blank area',
      pdf,
      signatures: 2,
      verdict: 'allowed',
      expect: { object: widget, rule: 'signature.new-field' },
      note: 'Twin of the signed Sneaky Signature: the same opaque box, over nothing signed.',
    });
  }
  return fx({
    name: 'Sneaky Signature: signed field whose opaque appearance covers the amount',
    pdf,
    signatures: 2,
    verdict: 'suspicious',
    expect: { object: widget, path: `/Root/AcroForm/Fields[${fields.length - 1}]` },
    note: 'Sneaky Signature Attack with a valid signature: the new signature field is signed by a trusted identity, but its appearance is an opaque box showing 9.000.000 over the amount.',
  });
}
export const sneakySignedOpaque = (): Promise<AttackFixture> => secondVisibleSignature(true);
export const visibleSignatureBlank = (): Promise<AttackFixture> => secondVisibleSignature(false);

/**
 * A second signature fills the prepared "Approval" field and overwrites that
 * field's appearance stream in place. `shared`: the stream is also drawn by
 * the page (around the amount), so the overwrite redraws signed content.
 */
async function approvalOverwrite(shared: boolean): Promise<AttackFixture> {
  const s = await signedForm(shared);
  const { organisation } = await kit();
  const pdf = await signFilling(s.signed, organisation, 'Approval', (w, r, ref) => {
    const helv = fontResources('Helv', ref(s.font));
    w.set(ref(s.approvalAp), formXObject([0, 0, 200, 60], `1 1 1 rg 0 0 200 60 re f\nBT /Helv 14 Tf 0 g 2 15 Td (${FORGED}) Tj ET\n`, helv));
  });
  if (!shared) {
    return fx({
      name: 'a signature overwrites its own field appearance (used by nothing else)',
      pdf,
      signatures: 2,
      verdict: 'allowed',
      expect: { object: s.approvalAp, rule: 'signature.appearance-overwrite' },
      note: 'Twin of the shared-appearance attack: the prepared field\'s stream is drawn only by its widget.',
    });
  }
  return fx({
    name: 'Sneaky Signature (shared appearance): a signature overwrites a stream the page also draws',
    pdf,
    signatures: 2,
    verdict: 'suspicious',
    // Two routes are equally short in indirect hops (catalog, AcroForm or Pages, field or page, stream); /Annots[2]/AP/N is longer.
    expect: { object: s.approvalAp, path: ['/Root/AcroForm/Fields[2]/AP/N', `${PAGE}/Resources/XObject/Sh`] },
    note: 'pyHanko\'s "sneaky" pattern, built here: the empty field\'s appearance stream is also an XObject of the page, drawn around the amount; the signature that fills the field rewrites the stream as a white box with 9.000.000, so the page changes.',
  });
}
export const sharedAppearanceOverwrite = (): Promise<AttackFixture> => approvalOverwrite(true);
export const ownAppearanceOverwrite = (): Promise<AttackFixture> => approvalOverwrite(false);

// ---------------------------------------------------------------------------
// Form filling and field locks

/**
 * Fills text field `name`: new /V and a new appearance stream. `outside`:
 * the widget is also grown upwards over the amount (/Rect 70 500 370 780)
 * and the appearance, sized for it, paints a white box with the forged
 * amount there. (An appearance whose /BBox merely exceeds an unchanged
 * /Rect is not "outside": Algorithm 8.1 of ISO 32000-1 fits it into the
 * widget, so it cannot reach signed content.)
 */
function fillField(base: FormBase & { signed: Uint8Array }, name: 'a' | 'b', value: string, outside = false): Uint8Array {
  return appendUpdate(base.signed, (w, r, ref) => {
    const num = name === 'a' ? base.a : base.b;
    const rect = name === 'a' ? FIELD_A_RECT : FIELD_B_RECT;
    const width = rect[2] - rect[0];
    const height = rect[3] - rect[1];
    const helv = fontResources('Helv', ref(base.font));
    const ap = outside
      ? formXObject([0, 0, 300, 280], `${textAppearance(value)}1 1 1 rg 0 250 300 30 re f\nBT /Helv 14 Tf 0 g 2 260 Td (${FORGED}) Tj ET\n`, helv)
      : formXObject([0, 0, width, height], textAppearance(value), helv);
    const apRef = w.add(ap);
    const filled = (r.getObject(ref(num)) as PdfDict).clone().set('V', PdfString.fromText(value)).set('AP', new PdfDict().set('N', apRef));
    if (outside) filled.set('Rect', [rect[0] - 2, rect[1], rect[0] + 298, rect[1] + 280]);
    w.set(ref(num), filled);
  }).pdf;
}
const fieldPath = (name: 'a' | 'b'): string => `/Root/AcroForm/Fields[${name === 'a' ? 0 : 1}]`;
/** A cleared fill may be reported on the field or on each key it changed. */
const fillPaths = (name: 'a' | 'b'): string[] => [fieldPath(name), `${fieldPath(name)}/V`, `${fieldPath(name)}/AP`];

export async function fillInsideP2(): Promise<AttackFixture> {
  const s = await certifiedForm(2);
  return fx({
    name: 'form field filled inside its widget at P=2',
    pdf: fillField(s, 'a', 'Tran Thi B'),
    certification: 2,
    verdict: 'allowed',
    expect: { object: s.a, rule: 'form.fill', clearedPath: fillPaths('a') },
    note: 'What P=2 permits: field a gets a new value and an appearance the size of its widget.',
  });
}

export async function fillOutsideP2(): Promise<AttackFixture> {
  const s = await certifiedForm(2);
  return fx({
    name: 'form field filled with an appearance drawing outside its widget at P=2',
    pdf: fillField(s, 'a', 'Tran Thi B', true),
    certification: 2,
    verdict: 'suspicious',
    expect: { object: s.a, path: `${fieldPath('a')}/Rect` },
    note: 'Form filling used as an overlay: field a (200×20 at y=500) is filled, and in the same change its widget grows to 300×280, up over the amount, with an appearance that paints a white box with 9.000.000 there.',
  });
}

export async function fillAtP1(): Promise<AttackFixture> {
  const s = await certifiedForm(1);
  return fx({
    name: 'form field filled after a P=1 certification',
    pdf: fillField(s, 'a', 'Tran Thi B'),
    certification: 1,
    verdict: 'suspicious',
    expect: { object: s.a, path: [`${fieldPath('a')}/AP`, `${fieldPath('a')}/V`] },
    note: 'The near miss of the P=2 fill: the same fill after a certification that permits no change.',
  });
}

export async function fillUncertified(): Promise<AttackFixture> {
  const s = await signedForm(false);
  return fx({
    name: 'form field filled after an ordinary signature',
    pdf: fillField(s, 'b', 'Phuoc Hai'),
    verdict: 'allowed',
    expect: { object: s.b, rule: 'form.fill', clearedPath: fillPaths('b') },
    note: 'Without certification the engine applies P=2: filling a field is allowed.',
  });
}

export async function appearanceReplaced(): Promise<AttackFixture> {
  const s = await signedForm(false);
  const { pdf } = appendUpdate(s.signed, (w, r, ref) => {
    w.set(ref(s.apA), formXObject([0, 0, 200, 20], textAppearance('Tran Thi B'), fontResources('Helv', ref(s.font))));
  });
  return fx({
    name: "shadow replace: a text field's /AP /N overwritten without /V change",
    pdf,
    verdict: 'suspicious',
    expect: { object: s.apA, path: `${fieldPath('a')}/AP/N` },
    note: 'Shadow replace (form variant): /V still says "Nguyen Van A", but the appearance stream, written again under the same number, shows "Tran Thi B".',
  });
}

type Lock = NonNullable<SignPdfOptions['lock']>;
async function lockedFill(lock: Lock, name: 'a' | 'b', locked: boolean): Promise<AttackFixture> {
  const s = await lockedForm(lock);
  const desc = lock.action === 'All' ? 'All' : `${lock.action} [${lock.fields!.join(', ')}]`;
  if (!locked) {
    return fx({
      name: `lock ${desc}: field ${name} (not locked) filled`,
      pdf: fillField(s, name, 'Gia tri moi'),
      verdict: 'allowed',
      expect: { object: name === 'a' ? s.a : s.b, rule: 'form.fill', clearedPath: fillPaths(name) },
      note: `The signature locks ${desc}; field ${name} is outside the lock, so filling it is form filling.`,
    });
  }
  return fx({
    name: `lock ${desc}: field ${name} (locked) filled`,
    pdf: fillField(s, name, 'Gia tri moi'),
    verdict: 'suspicious',
    expect: { object: name === 'a' ? s.a : s.b, path: [`${fieldPath(name)}/V`, `${fieldPath(name)}/AP`] },
    note: `FieldMDP: the approval signature locks ${desc}; field ${name} is changed afterwards.`,
  });
}
export const lockAllChanged = (): Promise<AttackFixture> => lockedFill({ action: 'All' }, 'a', true);
export const lockIncludeLocked = (): Promise<AttackFixture> => lockedFill({ action: 'Include', fields: ['a'] }, 'a', true);
export const lockIncludeFree = (): Promise<AttackFixture> => lockedFill({ action: 'Include', fields: ['a'] }, 'b', false);
export const lockExcludeFree = (): Promise<AttackFixture> => lockedFill({ action: 'Exclude', fields: ['a'] }, 'a', false);
export const lockExcludeLocked = (): Promise<AttackFixture> => lockedFill({ action: 'Exclude', fields: ['a'] }, 'b', true);

// ---------------------------------------------------------------------------
// /Encrypt: the standard security handler's /O and /U (ISO 32000-1 §7.6.3.4, algorithms 2, 3 and 5; R 4, 128-bit)

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}
const md5 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};
const rc4Rounds = (key: Buffer, data: Buffer): Buffer => {
  let out = rc4(key, data);
  for (let i = 1; i <= 19; i++) out = rc4(Buffer.from(key.map((b) => b ^ i)), out);
  return out;
};
/** /O and /U for empty owner and user passwords. */
function standardSecurityR4(id0: Buffer, p: number): { o: Buffer; u: Buffer } {
  let ok = md5(PAD);
  for (let i = 0; i < 50; i++) ok = md5(ok);
  const o = rc4Rounds(ok, PAD);
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  let key = md5(PAD, o, pBytes, id0);
  for (let i = 0; i < 50; i++) key = md5(key.subarray(0, 16));
  const u = Buffer.concat([rc4Rounds(key.subarray(0, 16), md5(PAD, id0)), Buffer.alloc(16)]);
  return { o, u };
}

// ---------------------------------------------------------------------------
// Assertions shared by the tests

const matchesPath = (m: Modification, p: AttackExpect['path']): boolean =>
  p === undefined || (Array.isArray(p) ? p.includes(m.path ?? '') : m.path === p);
const matchesChange = (m: Modification, c: AttackExpect['change']): boolean => c === undefined || (Array.isArray(c) ? c.includes(m.change) : m.change === c);

/** Findings that match the fixture's expectation (path, object, change, category). */
export function matching(mods: readonly Modification[], e: AttackExpect): Modification[] {
  return mods.filter(
    (m) => matchesPath(m, e.path) && (e.object === undefined || m.object === e.object) && matchesChange(m, e.change) && (e.category === undefined || m.category === e.category),
  );
}

export const summary = (r: VerificationReport): string =>
  [
    `verdict=${r.verdict} modification=${r.modification}`,
    ...r.signatures.map((s) => `sig#${s.index} ${s.field} ${s.indication}/${s.subIndication ?? '-'} format=${s.format} integrity=${s.integrity} mod=${s.modification} cert=${JSON.stringify(s.certification)}`),
    ...r.modifications.map(
      (m) => `  r${m.revision} obj=${m.object} ${m.change} ${m.verdict} [${m.category}] rule=${m.rule} refusedBy=${(m as { refusedBy?: string }).refusedBy ?? '-'} path=${m.path}${m.covers ? ` covers=${JSON.stringify(m.covers)}` : ''} :: ${m.reason}`,
    ),
  ].join('\n');

/** The attack is seen: not valid, suspicious, and a suspicious finding where the contract puts it, cleared by no rule. */
export async function expectDetected(f: AttackFixture): Promise<VerificationReport> {
  const r = await verify(f.pdf);
  const text = `${f.name}\n${summary(r)}`;
  expect(r.verdict, text).not.toBe('valid');
  expect(r.modification, text).toBe('suspicious');
  const hits = matching(r.modifications, f.expect).filter((m) => m.verdict === 'suspicious');
  const elsewhere = matching(r.modifications, { ...f.expect, path: undefined }).filter((m) => m.verdict === 'suspicious');
  const why = hits.length === 0 && elsewhere.length > 0 ? `detected, but at ${elsewhere.map((m) => m.path).join(', ')} instead of ${JSON.stringify(f.expect.path)}` : `no suspicious finding matching ${JSON.stringify(f.expect)}`;
  expect(hits.length, `${why}\n${text}`).toBeGreaterThan(0);
  for (const h of hits) expect(h.rule, text).toBeNull();
  // The first signature's own view says the same.
  const first = [...r.signatures].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))[0]!;
  expect(first.modification, text).toBe('suspicious');
  return r;
}

/** The legitimate twin passes: valid, allowed, and cleared by the rule the contract names. */
export async function expectAllowed(f: AttackFixture): Promise<VerificationReport> {
  const r = await verify(f.pdf);
  const text = `${f.name}\n${summary(r)}`;
  expect(r.verdict, text).toBe('valid');
  expect(r.modification, text).toBe('allowed');
  expect(r.modifications.filter((m) => m.verdict !== 'allowed'), text).toEqual([]);
  const hits = matching(r.modifications, f.expect).filter((m) => m.rule === f.expect.rule);
  expect(hits.length, `no finding cleared by ${f.expect.rule} matching ${JSON.stringify(f.expect)}\n${text}`).toBeGreaterThan(0);
  if (f.expect.covers) expect(hits.map((h) => h.covers), text).toContainEqual(f.expect.covers);
  return r;
}

/** The twin's cleared finding carries the path the contract asks for. */
export async function expectClearedPath(f: AttackFixture): Promise<void> {
  if (f.expect.clearedPath === undefined) return;
  const r = await verify(f.pdf);
  const hits = matching(r.modifications, { ...f.expect, path: f.expect.clearedPath }).filter((m) => m.rule === f.expect.rule);
  expect(hits.length, `no finding cleared by ${f.expect.rule} at ${JSON.stringify(f.expect.clearedPath)}\n${f.name}\n${summary(r)}`).toBeGreaterThan(0);
}

/**
 * What tools we did not write say: qpdf finds the file well formed, and
 * pdfsig (digest only) still calls every signature valid.
 */
export function expectExternalView(f: AttackFixture): void {
  const file = join(tempDir('kyso-attack-'), 'fixture.pdf');
  writeFileSync(file, f.pdf);
  if (f.wellFormed) {
    const q = qpdfCheck(file);
    expect(q.ok, `${f.name}: qpdf --check\n${q.text}`).toBe(true);
  }
  // pdfsig also lists empty signature fields, with no validation line.
  const sigs = pdfsig(file).filter((s) => s.signatureText !== '');
  if (f.pdfsigValid) {
    expect(sigs.length, `${f.name}: pdfsig found ${sigs.length} signatures`).toBe(f.signatures);
    for (const s of sigs) expect(s.signatureText, `${f.name}: pdfsig ${s.field}`).toBe('Signature is Valid.');
  }
}

/** The certification the fixture relies on is really in the file. */
export async function expectCertification(f: AttackFixture): Promise<void> {
  if (f.certification === undefined) return;
  const r = await verify(f.pdf);
  const first = [...r.signatures].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))[0]!;
  expect(first.certification, `${f.name}: the first signature must certify at P=${f.certification}`).toEqual({ docMdp: f.certification });
}
