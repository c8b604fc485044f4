/**
 * PdfReader.pageRef reads a page tree node's direct /Kids array only as far
 * as it walks it: page 1 of a flat tree of thousands of kids costs one kid,
 * not the whole array. The answers must be those of a full walk
 * (pageRefs), whatever the array holds (comments, nested arrays, strings
 * that force the careful skip), and the signed file must stay valid.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signPdf, SoftwareSigner } from '../../src/index.js';
import { PdfDict, PdfReader, PdfRef } from '../../src/pdf/index.js';
import { qpdfCheck } from '../helpers/external-tools.js';
import { tempDir, testPki } from '../helpers/fixtures.js';

const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A classic-table file of the given objects (1 is the catalog), offsets computed here. */
function build(objs: Record<number, string>): Buffer {
  const parts: Buffer[] = [bin('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const nums = Object.keys(objs).map(Number).sort((a, b) => a - b);
  const size = nums[nums.length - 1]! + 1;
  const offsets = new Array<number>(size).fill(-1);
  for (const n of nums) {
    offsets[n] = length;
    const b = bin(`${n} 0 obj\n${objs[n]}\nendobj\n`);
    parts.push(b);
    length += b.length;
  }
  let x = `xref\n0 ${size}\n`;
  for (let n = 0; n < size; n++) x += offsets[n]! < 0 ? `0000000000 65535 f\r\n` : `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  x += `trailer\n<< /Size ${size} /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(bin(x));
  return Buffer.concat(parts);
}

const page = (parent: number): string => `<< /Type /Page /Parent ${parent} 0 R /MediaBox [0 0 595 842] >>`;

/** Catalog 1, a flat page tree root 2 with `n` pages numbered from 3. */
function flatTree(n: number, kidsText?: (refs: string[]) => string): Buffer {
  const objs: Record<number, string> = { 1: '<< /Type /Catalog /Pages 2 0 R >>' };
  const refs: string[] = [];
  for (let i = 0; i < n; i++) {
    objs[3 + i] = page(2);
    refs.push(`${3 + i} 0 R`);
  }
  objs[2] = `<< /Type /Pages /Kids [${kidsText ? kidsText(refs) : refs.join(' ')}] /Count ${n} >>`;
  return build(objs);
}

describe('lazy /Kids', () => {
  it('reads one kid of a flat tree of 5,000 for page 1, and agrees with a full walk everywhere', () => {
    const pdf = flatTree(5000);
    const reader = PdfReader.open(pdf);
    expect(reader.pageRef(0)?.key).toBe('3 0');
    // The catalog, the root (its /Kids skipped) and page 1.
    expect(reader.objectsRead).toBeLessThanOrEqual(3);
    const all = PdfReader.open(pdf).pageRefs().map((r) => r.key);
    expect(all).toHaveLength(5000);
    for (const i of [1, 2, 999, 4998, 4999]) expect(reader.pageRef(i)?.key).toBe(all[i]);
    expect(reader.pageRef(5000)).toBeUndefined();
    // The root read lazily is not cached without its /Kids.
    const root = reader.resolve(new PdfRef(2, 0));
    expect(root instanceof PdfDict && Array.isArray(root.get('Kids')) ? (root.get('Kids') as unknown[]).length : 0).toBe(5000);
  });

  it('skips arrays that hold comments, nested arrays, strings and dictionaries carefully', () => {
    const variants: Array<(refs: string[]) => string> = [
      (r) => `${r[0]} % a comment with a ] bracket\n ${r.slice(1).join(' ')}`,
      (r) => `${r[0]} [ /Nested ] ${r.slice(1).join(' ')}`,
      (r) => `${r[0]} (a string with ] inside) ${r.slice(1).join(' ')}`,
      (r) => `${r[0]} << /K [1 2] >> ${r.slice(1).join(' ')}`,
      (r) => `\n${r.join('\r\n')}\n`,
    ];
    for (const v of variants) {
      const pdf = flatTree(4, v);
      const reader = PdfReader.open(pdf);
      const all = PdfReader.open(pdf).pageRefs().map((r) => r.key);
      expect(all).toEqual(['3 0', '4 0', '5 0', '6 0']);
      for (let i = 0; i < 4; i++) expect(reader.pageRef(i)?.key, v(['A', 'B'])).toBe(all[i]);
      expect(reader.pageRef(4)).toBeUndefined();
    }
  });

  it('descends intermediate nodes (with or without /Type) by /Count, and keys after /Kids are read', () => {
    const objs: Record<number, string> = {
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Kids [10 0 R 11 0 R] /Type /Pages /Count 5 >>',
      10: '<< /Kids [3 0 R 4 0 R] /Parent 2 0 R /Count 2 >>',
      11: '<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R 7 0 R] /Count 3 >>',
    };
    for (const [n, parent] of [[3, 10], [4, 10], [5, 11], [6, 11], [7, 11]] as const) objs[n] = page(parent);
    const pdf = build(objs);
    const reader = PdfReader.open(pdf);
    expect([0, 1, 2, 3, 4].map((i) => reader.pageRef(i)?.key)).toEqual(['3 0', '4 0', '5 0', '6 0', '7 0']);
    expect(reader.pageRef(5)).toBeUndefined();
    expect(reader.pageCount()).toBe(5);
  });

  it('stops at a tree whose /Kids lead back to a node already walked', () => {
    const pdf = build({
      1: '<< /Type /Catalog /Pages 2 0 R >>',
      2: '<< /Type /Pages /Kids [4 0 R 3 0 R] /Count 2 >>',
      3: page(2),
      4: '<< /Type /Pages /Kids [2 0 R] /Count 1 >>',
    });
    const reader = PdfReader.open(pdf);
    expect(() => reader.pageRef(0)).not.toThrow();
    expect(reader.pageRef(0)).toBeUndefined();
  });

  it('reads a page tree node that is a stream, has /Kids by reference or twice, as a full walk does', () => {
    for (const root of [
      '<< /Type /Pages /Kids 9 0 R /Count 2 >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Length 0 >>\nstream\n\nendstream',
      '<< /Type /Pages /Kids null /Kids [3 0 R 4 0 R] /Count 2 >>',
    ]) {
      const pdf = build({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: root, 3: page(2), 4: page(2), 9: '[3 0 R 4 0 R]' });
      const reader = PdfReader.open(pdf);
      // As a full walk has it (a stream is no page tree node: no pages at all).
      const all = PdfReader.open(pdf).pageRefs().map((r) => r.key);
      expect(all.length === 0 || all.join() === '3 0,4 0', root).toBe(true);
      expect([reader.pageRef(0)?.key, reader.pageRef(1)?.key, reader.pageRef(2)], root).toEqual([all[0], all[1], undefined]);
    }
  });

  it('signs a flat tree of 5,000 pages: the widget is on page 1 and qpdf accepts the file', async () => {
    const pki = await testPki();
    const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
    const pdf = flatTree(5000);
    const signed = await signPdf(pdf, { signer });
    expect(Buffer.from(signed.subarray(0, pdf.length)).equals(pdf)).toBe(true);
    const reader = PdfReader.open(signed);
    const first = reader.resolve(reader.pageRef(0));
    expect(first instanceof PdfDict && Array.isArray(first.get('Annots'))).toBe(true);
    const file = join(tempDir('kyso-lazy-kids-'), 'signed.pdf');
    writeFileSync(file, signed);
    const q = qpdfCheck(file);
    expect(q.ok, q.text).toBe(true);
  });
});
