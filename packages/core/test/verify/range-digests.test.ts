import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RangeDigests } from '../../src/verify/range-digests.js';

const direct = (alg: string, parts: Uint8Array[]): string => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('RangeDigests: one pass, the same digests as hashing each range', () => {
  const pdf = new Uint8Array(randomBytes(200_000));
  const ranges: [number, number, number, number][] = [
    [0, 50_000, 51_000, 9_000],
    [0, 120_000, 121_000, 4_000],
    [0, 180_000, 181_000, 19_000],
  ];

  for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
    it(`signatures asked for in order ${order.join(', ')}: every digest, both algorithms, and the whole file`, () => {
      const d = new RangeDigests(pdf, ranges.map((r) => r[1]));
      for (const i of order) {
        const [a, b, c, len] = ranges[i]!;
        const chunks = [pdf.subarray(a, a + b), pdf.subarray(c, c + len)];
        const content = d.content(chunks, ranges[i]!);
        for (const alg of ['sha256', 'sha384']) expect(hex(content.digest!(alg))).toBe(direct(alg, chunks));
      }
      expect(hex(d.whole('sha256'))).toBe(direct('sha256', [pdf]));
    });
  }

  it('a mark nobody announced, behind the pass, is hashed on its own and still right', () => {
    const d = new RangeDigests(pdf, [180_000]);
    d.whole('sha256');
    const chunks = [pdf.subarray(0, 50_000), pdf.subarray(51_000, 60_000)];
    expect(hex(d.content(chunks, [0, 50_000, 51_000, 9_000]).digest!('sha256'))).toBe(direct('sha256', chunks));
  });

  it('ranges that do not start at byte 0, or are not two, get no shortcut', () => {
    const d = new RangeDigests(pdf, []);
    expect(d.content([pdf.subarray(10, 20)], [10, 10, 30, 5]).digest).toBeUndefined();
    expect(d.content([pdf.subarray(0, 10)], [0, 10]).digest).toBeUndefined();
    expect(d.content([pdf.subarray(0, 10), pdf.subarray(20, 30)], [0, 10, 20, 10]).digest).toBeTypeOf('function');
  });
});
