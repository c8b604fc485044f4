/**
 * The reader's limits are options with safe defaults (PDF_TOO_LARGE names
 * the limit in its details), and the fast lookups that keep many-subsection
 * files linear decide overlaps exactly as the plain scan does.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KysoError } from '../../src/index.js';
import { PdfReader, PdfRef, PdfString } from '../../src/pdf/index.js';
import { classicPdf, objectStream, xrefStreamPdf, type Entry } from './bomb-files.js';

const enc = (s: string): Buffer => Buffer.from(s, 'latin1');
const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

function codeOf(fn: () => unknown): { code: string; details: Record<string, unknown> | undefined } | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof KysoError)) throw e;
    return { code: e.code, details: e.details };
  }
}

/** Objects 1..20 (5 is "(old)"), a second definition of 5 ("(new)") after them, and a table of one subsection per object. */
function manySubsections(order: 'ascending' | 'descending', redefine: boolean): Buffer {
  let out = '%PDF-1.7\n';
  const at: number[] = [];
  const bodies = [CATALOG, PAGES, PAGE, '(four)', '(old)', ...Array.from({ length: 15 }, (_, i) => `(${i + 6})`)];
  bodies.forEach((b, i) => {
    at[i + 1] = out.length;
    out += `${i + 1} 0 obj\n${b}\nendobj\n`;
  });
  const dup = out.length;
  out += '5 0 obj\n(new)\nendobj\n';
  const row = (o: number): string => `${String(o).padStart(10, '0')} 00000 n\r\n`;
  const nums = Array.from({ length: 20 }, (_, i) => i + 1);
  if (order === 'descending') nums.reverse();
  const xref = out.length;
  out += 'xref\n0 1\n0000000000 65535 f\r\n';
  for (const n of nums) out += `${n} 1\n${row(at[n]!)}`;
  if (redefine) out += `5 1\n${row(dup)}`;
  out += `trailer\n<< /Size 21 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(out);
}

const text = (r: PdfReader, n: number): string => {
  const o = r.getObject(new PdfRef(n, 0));
  return o instanceof PdfString ? o.toText() : String(o);
};

describe('cross-reference lookups with many subsections', () => {
  it('the newest of two overlapping table subsections wins, as with few subsections', () => {
    const r = PdfReader.open(manySubsections('ascending', true));
    expect(text(r, 5)).toBe('new');
    expect(text(r, 4)).toBe('four');
    expect(text(r, 20)).toBe('20');
    expect(r.getObject(new PdfRef(21, 0))).toBeNull();
  });

  it('subsections out of order are all found', () => {
    const r = PdfReader.open(manySubsections('descending', false));
    for (let n = 6; n <= 20; n++) expect(text(r, n)).toBe(String(n));
    expect(text(r, 5)).toBe('old');
    expect(r.pageRefs().map((p) => p.key)).toEqual(['3 0']);
  });

  it('in a cross-reference stream, the first of two overlapping /Index pairs wins', () => {
    const bodies = [CATALOG, PAGES, PAGE, '(four)', '(old)', ...Array.from({ length: 15 }, (_, i) => `(${i + 6})`), '(new)'];
    const f = xrefStreamPdf(bodies);
    // Rewrite the stream's /Index as one pair per object plus a late pair giving 5 the offset of object 21.
    const s = f.toString('latin1');
    const offsets = [...s.matchAll(/(\d+) 0 obj/g)].map((m) => [Number(m[1]), m.index!] as const);
    const off = new Map(offsets);
    const rows: Buffer[] = [];
    const index: number[] = [];
    const row = (o: number): Buffer => {
      const b = Buffer.alloc(7);
      b[0] = 1;
      b.writeUInt32BE(o, 1);
      return b;
    };
    for (let n = 1; n <= 22; n++) {
      index.push(n, 1);
      rows.push(row(off.get(n)!));
    }
    index.push(5, 1);
    rows.push(row(off.get(21)!));
    const data = Buffer.concat(rows);
    const xrefAt = off.get(22)!;
    const head = s.slice(0, xrefAt);
    const out = Buffer.concat([
      enc(head),
      enc(`22 0 obj\n<< /Type /XRef /Size 23 /W [1 4 2] /Index [${index.join(' ')}] /Length ${data.length} /Root 1 0 R >>\nstream\n`),
      data,
      enc(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`),
    ]);
    const r = PdfReader.open(out);
    expect(text(r, 5)).toBe('old');
    expect(text(r, 21)).toBe('new');
    expect(text(r, 20)).toBe('20');
  });
});

describe('limits are options with safe defaults', () => {
  /** A page kept in an object stream padded to `pad` decoded bytes. */
  function paddedObjStm(pad: number, streams = 1): Buffer {
    const bodies: (string | Buffer | undefined)[] = [CATALOG, `<< /Type /Pages /Kids [${Array.from({ length: streams }, (_, i) => `${10 + i} 0 R`).join(' ')}] /Count ${streams} >>`];
    const extra: Record<number, Entry> = {};
    for (let i = 0; i < streams; i++) {
      const num = 10 + i;
      const inner = `${num} 0 ${PAGE}\n`;
      bodies.push(objectStream([[num, PAGE]], { data: deflateSync(Buffer.concat([enc(inner), Buffer.alloc(pad, 0x20)])) }));
      extra[num] = { type: 2, a: 3 + i, b: 0 };
    }
    while (bodies.length < 9 + streams) bodies.push(undefined);
    return xrefStreamPdf(bodies, extra);
  }

  it('maxInflatedBytes: one stream inflating beyond it is PDF_TOO_LARGE; the default reads it', () => {
    const f = paddedObjStm(2 * 2 ** 20);
    expect(PdfReader.open(f).pageRefs()).toHaveLength(1);
    const e = codeOf(() => PdfReader.open(f, { maxInflatedBytes: 2 ** 20 }).pageRefs());
    expect(e).toEqual({ code: 'PDF_TOO_LARGE', details: { maxInflatedBytes: 2 ** 20 } });
  });

  it('maxInflatedTotal: streams each under the per-stream limit cannot add up beyond it', () => {
    const f = paddedObjStm(2 ** 20, 3);
    expect(PdfReader.open(f).pageRefs()).toHaveLength(3);
    const e = codeOf(() => PdfReader.open(f, { maxInflatedTotal: 2.5 * 2 ** 20 }).pageRefs());
    expect(e).toEqual({ code: 'PDF_TOO_LARGE', details: { maxInflatedTotal: 2.5 * 2 ** 20 } });
  });

  it('maxInflatedTotal is shared with the readers of earlier revisions', () => {
    const f = paddedObjStm(2 ** 20, 2);
    const r = PdfReader.open(f, { maxInflatedTotal: 3 * 2 ** 20 });
    expect(r.pageRefs()).toHaveLength(2);
    // The prefix reader decodes the same streams again: the second time goes over what is left.
    const e = codeOf(() => r.prefix(f.length).pageRefs());
    expect(e?.code).toBe('PDF_TOO_LARGE');
  });

  it('maxObjects: cross-reference data listing more objects is PDF_TOO_LARGE; a claimed /Size above it is ignored', () => {
    const f = classicPdf([CATALOG, PAGES, PAGE, ...Array.from({ length: 997 }, (_, i) => String(i))]);
    expect(PdfReader.open(f).size).toBe(1001);
    expect(codeOf(() => PdfReader.open(f, { maxObjects: 500 }))).toEqual({ code: 'PDF_TOO_LARGE', details: { entries: 1001, maxObjects: 500 } });
    const claimed = classicPdf([CATALOG, PAGES, PAGE], '/Root 1 0 R', { size: '4000000' });
    expect(PdfReader.open(claimed).size).toBe(4_000_000);
    expect(PdfReader.open(claimed, { maxObjects: 1000 }).size).toBe(4);
  });
});
