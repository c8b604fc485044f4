/**
 * Byte-range arithmetic shared by signing and verification (the one piece
 * they share on purpose: it has no policy in it).
 */
export type ByteRange = readonly [number, number, number, number];

/** Width of each number in a placeholder /ByteRange; 10 digits reach 9.3 GiB. */
export const BYTE_RANGE_DIGITS = 10;

/** "[0 0000000000 0000000000 0000000000]": fixed width, patched in place later. */
export function byteRangePlaceholder(): string {
  const z = '0'.repeat(BYTE_RANGE_DIGITS);
  return `[0 ${z} ${z} ${z}]`;
}

/** The placeholder's text for real values, padded with spaces to the same width. */
export function formatByteRange(range: ByteRange): string {
  const width = byteRangePlaceholder().length;
  const text = `[${range.join(' ')}]`;
  if (text.length > width) throw new RangeError('byte range does not fit its placeholder');
  return text.slice(0, -1) + ' '.repeat(width - text.length) + ']';
}

/** The range that leaves out exactly [holeStart, holeEnd) of a file of `length` bytes. */
export function rangeAround(holeStart: number, holeEnd: number, length: number): ByteRange {
  return [0, holeStart, holeEnd, length - holeEnd];
}
