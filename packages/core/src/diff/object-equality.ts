import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../pdf/index.js';

/** Structural equality of two PDF objects; references compare by number and generation. */
export function sameObject(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof PdfName || b instanceof PdfName) return false; // interned: identity checked above
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfString) return b instanceof PdfString && Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes)) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameObject(x, b[i], depth + 1));
  if (a instanceof PdfStream) {
    return b instanceof PdfStream && sameDict(a.dict, b.dict, depth, ['Length']) && Buffer.compare(Buffer.from(a.raw), Buffer.from(b.raw)) === 0;
  }
  if (a instanceof PdfDict) return b instanceof PdfDict && sameDict(a, b, depth, []);
  return false;
}

function sameDict(a: PdfDict, b: PdfDict, depth: number, ignore: string[]): boolean {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    if (!sameObject(a.get(k), b.get(k), depth + 1)) return false;
  }
  return true;
}

/** Keys whose values differ between two dictionaries. */
export function changedKeys(before: PdfDict, after: PdfDict): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => !sameObject(before.get(k), after.get(k)));
}
