/**
 * Test-only extraction of (ByteRange, /Contents) pairs by scanning the file
 * bytes with regular expressions: deliberately independent of kyso's PDF
 * reader. Unlike helpers/external-tools.ts `scanSignatures`, it keeps the
 * /Contents bytes with their zero padding (the inspector must cope with it,
 * and BER indefinite-length CMS cannot be cut by a DER length), accepts
 * ByteRanges of any length, and finds /Contents also when the ByteRange gap
 * does not point at it (the corpus has such files on purpose).
 */
import { readFileSync } from 'node:fs';

export interface ScannedSignature {
  /** Offset of the /ByteRange key in the file. */
  at: number;
  byteRange: number[];
  /** /Contents bytes, zero padding included. */
  contents: Buffer;
  /** Where the /Contents hex string starts. */
  contentsAt: number;
}

export function readPdf(path: string): Buffer {
  return readFileSync(path);
}

export function scanPdfSignatures(pdf: Buffer): ScannedSignature[] {
  const text = pdf.toString('latin1');
  const contents: { at: number; hexAt: number; hex: string }[] = [];
  const cre = /\/Contents\s*<([0-9a-fA-F\s]*)>/g;
  for (let m = cre.exec(text); m; m = cre.exec(text)) {
    contents.push({ at: m.index, hexAt: m.index + m[0].indexOf('<'), hex: m[1]!.replace(/\s+/g, '') });
  }
  const out: ScannedSignature[] = [];
  const bre = /\/ByteRange\s*\[([\d\s]+)\]/g;
  for (let m = bre.exec(text); m; m = bre.exec(text)) {
    const byteRange = m[1]!.trim().split(/\s+/).map(Number);
    let chosen: (typeof contents)[number] | undefined;
    if (byteRange.length === 4) chosen = contents.find((c) => c.hexAt === byteRange[1]);
    // Otherwise: the signature dictionary's own /Contents, nearest before the ByteRange (else after it).
    chosen ??= [...contents].reverse().find((c) => c.at < m!.index) ?? contents.find((c) => c.at > m!.index);
    if (!chosen || chosen.hex.length === 0) continue;
    const sig = { at: m.index, byteRange, contents: Buffer.from(chosen.hex, 'hex'), contentsAt: chosen.hexAt };
    // A signature dictionary re-emitted unchanged in a later update is one signature.
    if (out.some((o) => o.contentsAt === sig.contentsAt && o.byteRange.join() === sig.byteRange.join())) continue;
    out.push(sig);
  }
  // Document order as the corpus manifest counts it: by where the signed bytes end.
  return out.sort((a, b) => signedEnd(a) - signedEnd(b));
}

export function signedEnd(s: ScannedSignature): number {
  let end = 0;
  for (let i = 0; i + 1 < s.byteRange.length; i += 2) end = Math.max(end, s.byteRange[i]! + s.byteRange[i + 1]!);
  return end;
}

/** The signed byte ranges as subarrays of the file (never concatenated). */
export function rangesOf(pdf: Buffer, s: ScannedSignature): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < s.byteRange.length; i += 2) out.push(pdf.subarray(s.byteRange[i]!, s.byteRange[i]! + s.byteRange[i + 1]!));
  return out;
}
