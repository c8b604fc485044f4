/**
 * Unit tests of the revision engine: PdfReader (revisions, lookup, object
 * streams, hybrid files, tolerance of common writer mistakes, laziness,
 * encryption) and IncrementalWriter (xref kind, /ID, /Prev, /Size,
 * append-only, checked by qpdf).
 *
 * Files are built by hand here (byte offsets computed independently of
 * kyso's writer), with pdf-lib, or with qpdf.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KysoError, signPdf, SoftwareSigner } from '../../src/index.js';
import { IncrementalWriter, PdfDict, PdfName, PdfParser, PdfReader, PdfRef, PdfStream, PdfString } from '../../src/pdf/index.js';
import { qpdfCheck } from '../helpers/external-tools.js';
import { encrypted, makeHybridPdf, makePdfLibPdf, tempDir, testPki, withObjectStreams } from '../helpers/fixtures.js';

// ---------------------------------------------------------------------------
// Hand-made files

interface Obj {
  num: number;
  gen?: number;
  /** The object's body; absent for a free entry. */
  body?: string | Buffer;
}

interface SectionOptions {
  /** End of line of each 20-byte entry ('\r\n' or ' \n'), or '\n' for 19-byte entries. */
  entryEol?: '\r\n' | ' \n' | '\n';
  /** Bytes between the last object and the "xref" keyword; startxref points at the first of them. */
  beforeXref?: string;
  /** Added to the startxref value (writers that miscount). */
  startxrefDelta?: number;
  /** End the file with an end of line after %%EOF (default true). */
  finalEol?: boolean;
}

const HEADER = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * Appends objects and one classic cross-reference section to `base` (or
 * starts a file when `base` is empty). Returns the new bytes and the offset
 * of the section, computed here, not by kyso.
 */
function appendSection(base: Buffer, objs: Obj[], trailer: string, o: SectionOptions = {}): { bytes: Buffer; xref: number } {
  const parts: Buffer[] = [base.length === 0 ? bin(HEADER) : base];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  for (const obj of objs) {
    if (obj.body === undefined) continue;
    offsets.set(obj.num, length);
    const b = Buffer.concat([bin(`${obj.num} ${obj.gen ?? 0} obj\n`), typeof obj.body === 'string' ? bin(obj.body) : obj.body, bin('\nendobj\n')]);
    parts.push(b);
    length += b.length;
  }
  const xrefAt = length;
  const eol = o.entryEol ?? '\r\n';
  let x = `${o.beforeXref ?? ''}xref\n`;
  const sorted = [...objs].sort((a, b) => a.num - b.num);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.num === sorted[j]!.num + 1) j++;
    x += `${sorted[i]!.num} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = sorted[k]!;
      const off = e.body === undefined ? 0 : offsets.get(e.num)!;
      x += `${String(off).padStart(10, '0')} ${String(e.gen ?? (e.body === undefined ? 65535 : 0)).padStart(5, '0')} ${e.body === undefined ? 'f' : 'n'}${eol}`;
    }
    i = j + 1;
  }
  x += `trailer\n<<${trailer}>>\nstartxref\n${xrefAt + (o.startxrefDelta ?? 0)}\n%%EOF${o.finalEol === false ? '' : '\n'}`;
  parts.push(bin(x));
  return { bytes: Buffer.concat(parts), xref: xrefAt };
}

const CATALOG: Obj = { num: 1, body: '<< /Type /Catalog /Pages 2 0 R >>' };
const PAGES: Obj = { num: 2, body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' };
const PAGE: Obj = { num: 3, body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>' };
const FREE0: Obj = { num: 0 };

/** A one-page classic-table file. */
function simplePdf(o: SectionOptions = {}, extra: Obj[] = []): Buffer {
  const objs = [FREE0, CATALOG, PAGES, PAGE, ...extra];
  const size = Math.max(...objs.map((x) => x.num)) + 1;
  return appendSection(Buffer.alloc(0), objs, ` /Size ${size} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] `, o).bytes;
}

function textOf(reader: PdfReader, num: number, gen = 0): string | undefined {
  const o = reader.getObject(new PdfRef(num, gen));
  if (!(o instanceof PdfDict)) return undefined;
  const t = o.get('T');
  return t instanceof PdfString ? t.toText() : undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([a, b]));
}

function qpdfOk(bytes: Uint8Array, name: string): void {
  const file = join(tempDir('kyso-reader-'), name);
  writeFileSync(file, bytes);
  const q = qpdfCheck(file);
  expect(q.ok, q.text).toBe(true);
}

function expectKysoError(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a KysoError').toBeInstanceOf(KysoError);
  expect((thrown as KysoError).code).toBe(code);
}

afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------

describe('PdfReader: revisions', () => {
  /** The original plus three hand-written updates; returns every stage's bytes. */
  function threeUpdates(): { stages: Buffer[]; xrefs: number[] } {
    const r0 = appendSection(Buffer.alloc(0), [FREE0, CATALOG, PAGES, PAGE, { num: 4, body: '<< /T (v0) >>' }, { num: 5, body: '<< /T (five) >>' }], ' /Size 6 /Root 1 0 R ');
    // Update 1: redefines 4, adds 6.
    const r1 = appendSection(r0.bytes, [{ num: 4, body: '<< /T (v1) >>' }, { num: 6, body: '<< /T (six) >>' }], ` /Size 7 /Root 1 0 R /Prev ${r0.xref} `);
    // Update 2: frees 5 (generation 1 next), redefines 4 again.
    const r2 = appendSection(r1.bytes, [{ num: 4, body: '<< /T (v2) >>' }, { num: 5, gen: 1 }], ` /Size 7 /Root 1 0 R /Prev ${r1.xref} `);
    // Update 3: adds 7 only; 4 keeps its update-2 definition.
    const r3 = appendSection(r2.bytes, [{ num: 7, body: '<< /T (seven) >>' }], ` /Size 8 /Root 1 0 R /Prev ${r2.xref} `);
    return { stages: [r0.bytes, r1.bytes, r2.bytes, r3.bytes], xrefs: [r0.xref, r1.xref, r2.xref, r3.xref] };
  }

  it('lists revisions oldest first, each endOffset the file length after that update', () => {
    const { stages, xrefs } = threeUpdates();
    const reader = PdfReader.open(stages[3]!);
    expect(reader.revisions.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(reader.revisions.map((r) => r.endOffset)).toEqual(stages.map((s) => s.length));
    expect(reader.revisions.map((r) => r.xrefOffset)).toEqual(xrefs);
    expect(reader.revisions.every((r) => r.kind === 'table')).toBe(true);
    expect(reader.startxref).toBe(xrefs[3]);
    expect(reader.size).toBe(8);
    for (let k = 0; k < stages.length; k++) expect(reader.revisionEndingAt(stages[k]!.length)?.index).toBe(k);
    // Each prefix is itself a readable document with k+1 revisions.
    for (let k = 0; k < stages.length; k++) expect(PdfReader.open(stages[k]!).revisions.length).toBe(k + 1);
  });

  it('resolves an object redefined in later revisions to its newest definition', () => {
    const { stages } = threeUpdates();
    expect(textOf(PdfReader.open(stages[0]!), 4)).toBe('v0');
    expect(textOf(PdfReader.open(stages[1]!), 4)).toBe('v1');
    const reader = PdfReader.open(stages[3]!);
    expect(textOf(reader, 4)).toBe('v2');
    expect(textOf(reader, 6)).toBe('six');
    expect(textOf(reader, 7)).toBe('seven');
    expect(reader.entry(4)).toMatchObject({ type: 1 });
  });

  it('resolves free entries, missing objects and wrong generations to null', () => {
    const { stages } = threeUpdates();
    expect(textOf(PdfReader.open(stages[1]!), 5)).toBe('five');
    const reader = PdfReader.open(stages[3]!);
    expect(reader.entry(5)).toEqual({ type: 0, gen: 1 });
    expect(reader.getObject(new PdfRef(5, 0))).toBeNull();
    expect(reader.getObject(new PdfRef(5, 1))).toBeNull();
    expect(reader.getObject(new PdfRef(0, 65535))).toBeNull();
    expect(reader.getObject(new PdfRef(99, 0))).toBeNull();
    expect(reader.resolve(undefined)).toBeNull();
  });

  it('reads the catalog and pages', () => {
    const reader = PdfReader.open(threeUpdates().stages[3]!);
    expect(reader.catalog().getName('Type')).toBe('Catalog');
    expect(reader.catalogRef().key).toBe('1 0');
    expect(reader.pageRefs().map((r) => r.key)).toEqual(['3 0']);
    expect(reader.pageRef(0)?.key).toBe('3 0');
    expect(reader.pageCount()).toBe(1);
  });
});

describe('PdfReader: cross-reference shapes', () => {
  it('reads objects from object streams (qpdf)', async () => {
    const plain = await makePdfLibPdf(3);
    const pdf = withObjectStreams(plain);
    const reader = PdfReader.open(pdf);
    expect(reader.lastXrefKind).toBe('stream');
    expect(reader.revisions[reader.revisions.length - 1]!.kind).toBe('stream');
    const compressed: number[] = [];
    for (let n = 1; n < reader.size; n++) if (reader.entry(n)?.type === 2) compressed.push(n);
    expect(compressed.length).toBeGreaterThan(0);
    for (const n of compressed) expect(reader.getObject(new PdfRef(n, 0))).not.toBeNull();
    expect(reader.catalog().getName('Type')).toBe('Catalog');
    expect(reader.pageRefs()).toHaveLength(3);
    // Same pages, in the same order, as the classic original describes.
    const original = PdfReader.open(plain);
    expect(reader.pageRefs().length).toBe(original.pageRefs().length);
  });

  it('reads, in a hybrid file, the object that only its hidden xref stream lists', () => {
    const reader = PdfReader.open(makeHybridPdf());
    expect(reader.revisions).toHaveLength(1);
    expect(reader.revisions[0]!.kind).toBe('table');
    expect(reader.revisions[0]!.sections.map((s) => s.kind)).toEqual(['table', 'stream']);
    expect(reader.entry(6)).toEqual({ type: 2, stream: 5, index: 0 });
    const font = reader.getObject(new PdfRef(6, 0));
    expect(font).toBeInstanceOf(PdfDict);
    expect((font as PdfDict).getName('BaseFont')).toBe('Helvetica');
    expect(reader.revisions[0]!.endOffset).toBe(makeHybridPdf().length);
  });

  it('opens a file whose startxref is off by a few bytes', () => {
    for (const delta of [-5, -1, 1, 3, 7]) {
      const pdf = simplePdf({ startxrefDelta: delta });
      const reader = PdfReader.open(pdf);
      expect(reader.catalog().getName('Type'), `delta ${delta}`).toBe('Catalog');
      expect(reader.pageRefs()).toHaveLength(1);
      expect(Buffer.from(pdf).toString('latin1', reader.startxref, reader.startxref + 4)).toBe('xref');
    }
  });

  it('opens a file without an end of line after %%EOF', () => {
    const pdf = simplePdf({ finalEol: false });
    expect(pdf[pdf.length - 1]).toBe(0x46); // F
    const reader = PdfReader.open(pdf);
    expect(reader.revisions[0]!.endOffset).toBe(pdf.length);
    expect(reader.pageRefs()).toHaveLength(1);
    // The writer starts its update on a new line.
    const w = new IncrementalWriter(reader);
    w.add(new PdfDict().set('T', PdfString.fromText('new')));
    const { appended } = w.write();
    expect(appended[0]).toBe(0x0a);
    const again = PdfReader.open(concat(pdf, appended));
    expect(again.revisions).toHaveLength(2);
    expect(again.revisions[1]!.endOffset).toBe(pdf.length + appended.length);
    expect(textOf(again, 4)).toBe('new');
  });

  it('opens a file with whitespace before "xref" (startxref pointing at it)', () => {
    for (const ws of ['  ', '\r\n', '\n\n   ', '\t \r\n ']) {
      const pdf = simplePdf({ beforeXref: ws });
      const reader = PdfReader.open(pdf);
      expect(reader.pageRefs(), JSON.stringify(ws)).toHaveLength(1);
      expect(reader.revisions[0]!.endOffset).toBe(pdf.length);
    }
  });

  it('reads xref tables with 19-byte entries', () => {
    const extra = [{ num: 4, body: '<< /T (four) >>' }, { num: 5, body: '<< /T (five) >>' }];
    const pdf = simplePdf({ entryEol: '\n' }, extra);
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\n0000000000 65535 f\n\d{10} 00000 n\n/);
    const reader = PdfReader.open(pdf);
    expect(textOf(reader, 4)).toBe('four');
    expect(textOf(reader, 5)).toBe('five');
    expect(reader.pageRefs().map((r) => r.key)).toEqual(['3 0']);
    // The 20-byte forms read the same.
    for (const eol of [' \n', '\r\n'] as const) expect(textOf(PdfReader.open(simplePdf({ entryEol: eol }, extra)), 5)).toBe('five');
  });

  it('refuses files encrypted with a user password with PDF_PASSWORD_REQUIRED (and opens them for structure only on request)', async () => {
    const pdf = encrypted(await makePdfLibPdf(1), 'user-pw');
    expectKysoError(() => PdfReader.open(pdf), 'PDF_PASSWORD_REQUIRED');
    const reader = PdfReader.open(pdf, { allowEncrypted: true });
    expect(reader.trailer.has('Encrypt')).toBe(true);
    // Structure only: nothing was decrypted, and the reader says why.
    expect(reader.encryption).toBeUndefined();
    expect(reader.encryptionProblem?.code).toBe('PDF_PASSWORD_REQUIRED');
    // With the empty user password (the default), the same document opens decrypted.
    const open = PdfReader.open(encrypted(await makePdfLibPdf(1)));
    expect(open.encryption?.authenticatedAs).toBe('user');
  });

  it('reports empty, non-PDF and truncated input as KysoErrors', () => {
    expectKysoError(() => PdfReader.open(new Uint8Array(0)), 'PDF_EMPTY');
    expectKysoError(() => PdfReader.open(bin('hello world')), 'PDF_NOT_PDF');
    const pdf = simplePdf();
    expectKysoError(() => PdfReader.open(pdf.subarray(0, pdf.length - 30)), 'PDF_TRUNCATED');
  });
});

describe('PdfReader: laziness', () => {
  it('opening a ~50 MB PDF with one big stream does not parse that stream', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const stream = Buffer.concat([bin(`<< /Length ${big.length} >>\nstream\n`), big, bin('\nendstream')]);
    const pdf = simplePdf({}, [{ num: 4, body: stream }]);
    expect(pdf.length).toBeGreaterThan(50 * 1024 * 1024);
    const bigOffset = pdf.indexOf(bin('4 0 obj'));

    const parsedAt: number[] = [];
    const parseIndirect = PdfParser.prototype.parseIndirectObject;
    vi.spyOn(PdfParser.prototype, 'parseIndirectObject').mockImplementation(function (this: PdfParser) {
      parsedAt.push(this.pos);
      return parseIndirect.call(this);
    });
    const reader = PdfReader.open(pdf);
    expect(reader.catalog().getName('Type')).toBe('Catalog');
    expect(reader.pageRefs().map((r) => r.key)).toEqual(['3 0']);
    expect(reader.pageRef(0)?.key).toBe('3 0');
    expect(parsedAt).not.toContain(bigOffset);
    expect(parsedAt.length).toBeLessThanOrEqual(3);
    // The object cache holds only what was asked for.
    const cache = (reader as unknown as { objectCache: Map<number, unknown> }).objectCache;
    expect(cache.has(4)).toBe(false);
    expect(cache.size).toBeLessThanOrEqual(3);

    // Asking for it does parse it, as a view on the file (no copy).
    const s = reader.getObject(new PdfRef(4, 0));
    expect(s).toBeInstanceOf(PdfStream);
    expect((s as PdfStream).raw.length).toBe(big.length);
    expect((s as PdfStream).raw.buffer).toBe(pdf.buffer);
    expect(parsedAt).toContain(bigOffset);
  });
});

// ---------------------------------------------------------------------------

describe('IncrementalWriter', () => {
  function update(pdf: Uint8Array, mutate?: (w: IncrementalWriter, r: PdfReader) => void): { reader: PdfReader; out: Uint8Array; appended: Uint8Array; startxref: number; newRef: PdfRef } {
    const reader = PdfReader.open(pdf);
    const before = Buffer.from(pdf);
    const w = new IncrementalWriter(reader);
    const newRef = w.add(new PdfDict().set('T', PdfString.fromText('added by the writer')));
    mutate?.(w, reader);
    const { appended, startxref } = w.write();
    // The writer never touches the bytes it was given.
    expect(Buffer.compare(Buffer.from(pdf), before)).toBe(0);
    return { reader, out: concat(pdf, appended), appended, startxref, newRef };
  }

  function trailerOf(out: Uint8Array): PdfDict {
    return PdfReader.open(out).trailer;
  }

  const cases: Array<[string, () => Promise<Uint8Array> | Uint8Array, 'table' | 'stream']> = [
    ['classic table (pdf-lib)', () => makePdfLibPdf(2), 'table'],
    ['xref stream (qpdf object streams)', async () => withObjectStreams(await makePdfLibPdf(2)), 'stream'],
    ['hybrid', () => makeHybridPdf(), 'table'],
    ['hand-made classic table', () => simplePdf(), 'table'],
  ];

  for (const [name, make, kind] of cases) {
    it(`${name}: repeats the last xref kind, keeps /ID[0], sets /Prev and /Size, appends only, passes qpdf --check`, async () => {
      const pdf = await make();
      const { reader, out, appended, startxref, newRef } = update(pdf, (w, r) => {
        // Also redefine an existing object (the catalog, unchanged in content).
        w.set(r.catalogRef(), r.catalog().clone());
      });
      expect(reader.lastXrefKind).toBe(kind);
      const text = Buffer.from(appended).toString('latin1');
      if (kind === 'table') {
        expect(text).toMatch(/(^|\n)xref\n/);
        expect(text).not.toMatch(/\/Type\s*\/XRef/);
      } else {
        expect(text).toMatch(/\/Type\s*\/XRef/);
        expect(text).not.toMatch(/(^|\n)xref\n/);
      }
      // Earlier bytes unchanged.
      expect(Buffer.compare(Buffer.from(out.subarray(0, pdf.length)), Buffer.from(pdf))).toBe(0);
      expect(text).toMatch(/startxref\n\d+\n%%EOF\n$/);

      const again = PdfReader.open(out);
      expect(again.revisions).toHaveLength(reader.revisions.length + 1);
      expect(again.revisions[again.revisions.length - 1]!.endOffset).toBe(out.length);
      // Earlier revisions keep their ends (the one just before the update is
      // checked separately when the input lacks a final end of line: see the regressions).
      const endsWithEol = pdf[pdf.length - 1] === 0x0a || pdf[pdf.length - 1] === 0x0d;
      const keep = endsWithEol ? reader.revisions.length : reader.revisions.length - 1;
      expect(again.revisions.slice(0, keep).map((r) => r.endOffset)).toEqual(reader.revisions.slice(0, keep).map((r) => r.endOffset));
      expect(again.lastXrefKind).toBe(kind);
      expect(again.startxref).toBe(startxref);
      const t = again.trailer;
      expect(t.get('Prev')).toBe(reader.startxref);
      // /Size: one past the highest object number of the update, never less than before.
      const highest = Math.max(newRef.num, ...(kind === 'stream' ? [again.size - 1] : []));
      expect(t.getNumber('Size')).toBeGreaterThanOrEqual(Math.max(reader.size, highest + 1));
      expect(t.getNumber('Size')).toBe(again.size);
      if (kind === 'table') expect(t.getNumber('Size')).toBe(newRef.num + 1);
      // /ID: the first element survives, the second is new.
      const oldId = reader.resolve(reader.trailer.get('ID'));
      const newId = t.get('ID') as PdfString[];
      expect(Array.isArray(newId) && newId.length === 2).toBe(true);
      if (Array.isArray(oldId)) {
        expect(Buffer.from(newId[0]!.bytes).equals(Buffer.from((oldId[0] as PdfString).bytes))).toBe(true);
        expect(Buffer.from(newId[1]!.bytes).equals(Buffer.from((oldId[1] as PdfString).bytes))).toBe(false);
      }
      expect(t.get('Root')).toEqual(reader.trailer.get('Root'));
      // The new object resolves; the old ones still do.
      expect(textOf(again, newRef.num)).toBe('added by the writer');
      expect(again.pageRefs().map((r) => r.key)).toEqual(reader.pageRefs().map((r) => r.key));
      qpdfOk(out, `${name.replace(/\W+/g, '-')}.pdf`);
    });
  }

  it('writes a new /ID when the file had none', () => {
    const pdf = appendSection(Buffer.alloc(0), [FREE0, CATALOG, PAGES, PAGE], ' /Size 4 /Root 1 0 R ').bytes;
    const { out } = update(pdf);
    const id = trailerOf(out).get('ID');
    expect(Array.isArray(id) && id.length === 2 && id.every((x) => x instanceof PdfString && x.bytes.length === 16)).toBe(true);
    qpdfOk(out, 'no-id.pdf');
  });

  it('chains updates: endOffset of revision k is the length after update k', () => {
    let pdf: Uint8Array = simplePdf();
    const lengths = [pdf.length];
    for (let k = 0; k < 4; k++) {
      pdf = update(pdf).out;
      lengths.push(pdf.length);
    }
    const reader = PdfReader.open(pdf);
    expect(reader.revisions.map((r) => r.endOffset)).toEqual(lengths);
    // The /Prev chain runs back through every revision.
    for (let k = 1; k < reader.revisions.length; k++) expect(reader.revisions[k]!.trailer.get('Prev')).toBe(reader.revisions[k - 1]!.xrefOffset);
    qpdfOk(pdf, 'chained.pdf');
  });

  it('honours an explicit xrefKind', async () => {
    const pdf = await makePdfLibPdf(1);
    const w = new IncrementalWriter(PdfReader.open(pdf));
    w.add(new PdfDict().set('Type', PdfName.of('Test')));
    const out = concat(pdf, w.write({ xrefKind: 'stream' }).appended);
    const again = PdfReader.open(out);
    expect(again.lastXrefKind).toBe('stream');
    expect(again.revisions.map((r) => r.kind)).toEqual(['table', 'stream']);
    qpdfOk(out, 'explicit-stream.pdf');
  });
});

// ---------------------------------------------------------------------------
// Bugs found by fuzz.test.ts, each reduced to a minimal file.

describe('regressions found by fuzzing', () => {
  it('an object stream with a negative /First is a KysoError, not a RangeError or a hang', () => {
    for (const first of ['-100', '-2147483649', '-1000000000000000', '2.5']) {
      const inner = '<< /T (inside) >>';
      const head = '6 0 ';
      const objStm = `<< /Type /ObjStm /N 1 /First ${first} /Length ${head.length + inner.length} >>\nstream\n${head}${inner}\nendstream`;
      // Object 6 is listed (type 2) by a cross-reference stream; build it by hand.
      const body = [HEADER, `1 0 obj\n${CATALOG.body}\nendobj\n`, `2 0 obj\n${PAGES.body}\nendobj\n`, `3 0 obj\n${PAGE.body}\nendobj\n`];
      const offsets: number[] = [];
      let len = 0;
      const parts: string[] = [];
      for (const b of body) {
        offsets.push(len);
        parts.push(b);
        len += Buffer.byteLength(b, 'latin1');
      }
      const stmAt = len;
      const stmObj = `5 0 obj\n${objStm}\nendobj\n`;
      len += Buffer.byteLength(stmObj, 'latin1');
      const xrefAt = len;
      const row = (t: number, a: number, b: number): Buffer => Buffer.from([t, (a >> 8) & 0xff, a & 0xff, b]);
      const rows = Buffer.concat([row(0, 0, 255), row(1, offsets[1]!, 0), row(1, offsets[2]!, 0), row(1, offsets[3]!, 0), row(0, 0, 0), row(1, stmAt, 0), row(2, 5, 0), row(1, xrefAt, 0)]);
      const pdf = Buffer.concat([
        bin(parts.join('') + stmObj + `7 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R /Length ${rows.length} >>\nstream\n`),
        rows,
        bin(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`),
      ]);
      const reader = PdfReader.open(pdf);
      expect(reader.entry(6)).toEqual({ type: 2, stream: 5, index: 0 });
      let thrown: unknown;
      try {
        reader.getObject(new PdfRef(6, 0));
      } catch (e) {
        thrown = e;
      }
      // Either a KysoError or (leniently) a value; never another error.
      if (thrown !== undefined) expect(thrown, `/First ${first}: ${String(thrown)}`).toBeInstanceOf(KysoError);
    }
  });

  it('a revision ending in "%%EOF" without an end of line keeps its length when an update follows', async () => {
    // pdf-lib ends its files right after %%EOF; the update starts with "\n".
    // A signature over that revision covers exactly pdf.length bytes, and
    // verification looks for the revision ending there.
    for (const pdf of [simplePdf({ finalEol: false }), await makePdfLibPdf(1)]) {
      expect(pdf[pdf.length - 1]).not.toBe(0x0a);
      const { appended } = ((): { appended: Uint8Array } => {
        const w = new IncrementalWriter(PdfReader.open(pdf));
        w.add(new PdfDict());
        return w.write();
      })();
      const again = PdfReader.open(concat(pdf, appended));
      // The line break may belong to either side: the revision ends at %%EOF
      // (eofOffset) or after the break (endOffset); both name revision 0.
      expect(again.revisions[0]!.eofOffset).toBe(pdf.length);
      expect(again.revisions[1]!.endOffset).toBe(pdf.length + appended.length);
      expect(again.revisionEndingAt(pdf.length)?.index).toBe(0);
      expect(again.revisionEndingAt(pdf.length + appended.length)?.index).toBe(1);
    }
  });

  it('new objects never take the number of an existing object when the trailer /Size is missing or too small', () => {
    for (const sizeEntry of ['', ' /Size 2', ' /Size 0', ' /Size -3']) {
      const pdf = appendSection(Buffer.alloc(0), [FREE0, CATALOG, PAGES, PAGE], `${sizeEntry} /Root 1 0 R `).bytes;
      const reader = PdfReader.open(pdf);
      const w = new IncrementalWriter(reader);
      const ref = w.allocate();
      expect(ref.num, `trailer "${sizeEntry}"`).toBeGreaterThanOrEqual(4);
    }
  });

  it('signPdf on a file whose trailer /Size is missing keeps its pages (no object overwritten)', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const pdf = appendSection(Buffer.alloc(0), [FREE0, CATALOG, PAGES, PAGE], ' /Root 1 0 R ').bytes;
    const out = await signPdf(pdf, { signer });
    const again = PdfReader.open(out);
    expect(again.catalog().getName('Type')).toBe('Catalog');
    expect(again.pageRefs().map((r) => r.key)).toEqual(['3 0']);
  });

  it('signPdf on a file whose trailer /Size is absurd gives a KysoError or a readable file, never a RangeError', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    for (const size of ['99999999999999999999', '999999999999999', '2.5']) {
      const pdf = appendSection(Buffer.alloc(0), [FREE0, CATALOG, PAGES, PAGE], ` /Size ${size} /Root 1 0 R `).bytes;
      let out: Uint8Array | undefined;
      try {
        out = await signPdf(pdf, { signer });
      } catch (e) {
        expect(e, `/Size ${size}: ${String(e)}`).toBeInstanceOf(KysoError);
      }
      if (out) {
        const again = PdfReader.open(out);
        expect(again.pageRefs().map((r) => r.key), `/Size ${size}`).toEqual(['3 0']);
      }
    }
  });

  it('signPdf on a file whose /AcroForm points at a missing object with a huge number writes a file kyso can read back', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const catalog: Obj = { num: 1, body: '<< /Type /Catalog /Pages 2 0 R /AcroForm 52509135735 0 R >>' };
    const pdf = appendSection(Buffer.alloc(0), [FREE0, catalog, PAGES, PAGE], ' /Size 4 /Root 1 0 R ').bytes;
    let out: Uint8Array | undefined;
    try {
      out = await signPdf(pdf, { signer });
    } catch (e) {
      expect(e).toBeInstanceOf(KysoError);
    }
    if (out) expect(() => PdfReader.open(out)).not.toThrow();
  });
});
