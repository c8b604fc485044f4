/**
 * Reading what is left of a damaged signed file, so that a broken signature
 * is reported as a broken signature instead of disappearing:
 *
 * - a file cut short after signing ends inside its signing update, whose
 *   cross-reference section and trailer are gone: the reader then opens the
 *   last revision that is still whole (or none at all, when the last
 *   startxref was cut in the middle of its number), and the signature
 *   dictionary lies in bytes that belong to no revision;
 * - a signature dictionary whose /Contents is not a hex string does not
 *   parse as an object at all.
 *
 * Nothing here trusts what it reads: it only finds the entries a report can
 * name (who signed, /ByteRange, /Contents). Everything found this way is
 * reported as malformed by the verifier.
 */
import { KysoError } from '../errors.js';
import { PdfDict, PdfName, PdfParser, PdfReader, PdfRef, PdfString, type LocatedValue, type PdfObject } from '../pdf/index.js';

/** Reader errors after which an earlier, still whole revision may be readable. */
const DAMAGE_CODES = new Set(['PDF_TRUNCATED', 'PDF_XREF_BROKEN', 'PDF_MALFORMED']);
/** Earlier %%EOF markers tried before giving up. */
const MAX_EOF_TRIES = 32;
/** Object headers looked at in bytes after the last revision. */
const MAX_HEADERS = 100_000;

/**
 * The reader verification works on. When the file as a whole cannot be
 * opened because its end is damaged (cut short, a broken last
 * cross-reference section), the longest prefix ending at a %%EOF that opens
 * is read instead; the bytes after it belong to no revision, which the
 * verifier reports (trailing bytes, and any signature found in them).
 */
export function openForVerification(pdf: Uint8Array, password?: string): PdfReader {
  return assertDecryptable(openWhatIsWhole(pdf, password !== undefined ? { allowEncrypted: true, password } : { allowEncrypted: true }));
}

/**
 * An encrypted file is verified over its decrypted values. When the newest
 * /Encrypt does not open but an earlier revision's does (or an earlier
 * revision was not encrypted), the file was re-encrypted after signing:
 * that is reported by the modification analysis, not refused here. When no
 * revision opens, there is nothing to analyse: the reader's own error
 * (password required or wrong, handler unsupported, /Encrypt damaged).
 */
function assertDecryptable(reader: PdfReader): PdfReader {
  const problem = reader.encryptionProblem;
  if (!problem) return reader;
  for (let r = reader.revisions.length - 2; r >= 0; r--) {
    try {
      const earlier = reader.prefix(reader.revisions[r]!.endOffset);
      if (!earlier.encryptionProblem) return reader;
    } catch (e) {
      if (!(e instanceof KysoError)) throw e;
    }
  }
  throw problem;
}

function openWhatIsWhole(pdf: Uint8Array, options: { allowEncrypted: true; password?: string }): PdfReader {
  try {
    return PdfReader.open(pdf, options);
  } catch (e) {
    if (!(e instanceof KysoError) || !DAMAGE_CODES.has(e.code)) throw e;
    const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    let from = pdf.length;
    for (let tries = 0; tries < MAX_EOF_TRIES && from > 0; tries++) {
      const eof = text.lastIndexOf('%%EOF', from - 1, 'latin1');
      if (eof < 0) break;
      let end = eof + 5;
      if (pdf[end] === 0x0d) end++;
      if (pdf[end] === 0x0a) end++;
      if (end < pdf.length) {
        try {
          return PdfReader.open(pdf.subarray(0, end), options);
        } catch (inner) {
          if (!(inner instanceof KysoError)) throw inner;
        }
      }
      from = eof;
    }
    throw e;
  }
}

/** A dictionary object read entry by entry, as far as it goes. */
export interface SalvagedDict {
  num: number;
  gen: number;
  /** Offset of "num gen obj". */
  offset: number;
  /** The entries that parsed. */
  dict: PdfDict;
  /** Where each entry's value lies in the file (also for values that did not parse). */
  located: Map<string, LocatedValue>;
  /** Entries whose value does not parse, with the reader's reason. */
  unreadable: Map<string, { code: string; message: string; messageVi: string }>;
  /** The closing ">>" was reached. */
  complete: boolean;
}

/**
 * Reads the dictionary of the indirect object at `offset` entry by entry.
 * A hex string that does not parse (a bad character, or the file ends in
 * it) is recorded as unreadable and skipped; any other error ends the read.
 */
export function salvageDict(bytes: Uint8Array, offset: number): SalvagedDict | undefined {
  const p = new PdfParser(bytes, offset);
  const num = p.tryReadUInt();
  const gen = p.tryReadUInt();
  if (num === undefined || gen === undefined || p.readWord() !== 'obj') return undefined;
  p.skipWhitespace();
  if (bytes[p.pos] !== 0x3c || bytes[p.pos + 1] !== 0x3c) return undefined;
  p.pos += 2;
  const out: SalvagedDict = { num, gen, offset, dict: new PdfDict(), located: new Map(), unreadable: new Map(), complete: false };
  const note = (key: string, at: LocatedValue): void => {
    if (out.located.has(key)) out.located.set(`${key}#duplicate`, out.located.get(key)!);
    out.located.set(key, at);
  };
  for (let i = 0; i < 4096; i++) {
    p.skipWhitespace();
    if (p.pos >= bytes.length) return out;
    if (bytes[p.pos] === 0x3e && bytes[p.pos + 1] === 0x3e) {
      out.complete = true;
      return out;
    }
    let key: PdfObject;
    try {
      key = p.parseObject();
    } catch {
      return out;
    }
    if (!(key instanceof PdfName)) return out;
    p.skipWhitespace();
    const start = p.pos;
    try {
      const value = p.parseObject();
      out.dict.set(key.value, value);
      note(key.value, { start, end: p.pos, value });
    } catch (e) {
      const code = e instanceof KysoError ? e.code : 'PDF_MALFORMED';
      const message = e instanceof KysoError ? e.message : String(e);
      const messageVi = e instanceof KysoError ? e.messageVi : 'không đọc được giá trị';
      out.unreadable.set(key.value, { code, message, messageVi });
      if (bytes[start] !== 0x3c || bytes[start + 1] === 0x3c) return out;
      // A hex string: skip to its end and read on.
      const close = bytes.indexOf(0x3e, start + 1);
      note(key.value, { start, end: close < 0 ? bytes.length : close + 1, value: null });
      if (close < 0) return out;
      p.pos = close + 1;
    }
  }
  return out;
}

/** A signature dictionary found in bytes that belong to no revision. */
export interface UnreachableSignature {
  dict: SalvagedDict;
  /** /T of a signature field found beside it whose /V refers to it, or null. */
  fieldName: string | null;
}

/**
 * Signature dictionaries (and the fields naming them) defined in
 * `bytes[from, end)`: the part of a file after its last readable revision.
 * The last definition of an object number wins, as in an update. In an
 * encrypted file their strings (all but a signature's /Contents) are
 * decrypted with `decrypt`, the key of the revisions before them.
 */
export function unreachableSignatures(bytes: Uint8Array, from: number, decrypt: (o: PdfObject, num: number, gen: number) => PdfObject = (o) => o): UnreachableSignature[] {
  if (from >= bytes.length) return [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.length - from).toString('latin1');
  const header = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+obj(?![A-Za-z0-9])/g;
  const sigs = new Map<number, SalvagedDict>();
  const names = new Map<number, string>();
  let count = 0;
  for (let m = header.exec(text); m && count < MAX_HEADERS; m = header.exec(text), count++) {
    const found = salvageDict(bytes, from + m.index);
    if (!found) continue;
    const d = { ...found, dict: decrypt(found.dict, found.num, found.gen) as PdfDict };
    if (looksLikeSignature(d)) sigs.set(d.num, d);
    const v = d.dict.get('V');
    const t = d.dict.get('T');
    if (d.dict.getName('FT') === 'Sig' && v instanceof PdfRef && t instanceof PdfString) names.set(v.num, t.toText());
  }
  return [...sigs.values()].map((dict) => ({ dict, fieldName: names.get(dict.num) ?? null }));
}

function looksLikeSignature(d: SalvagedDict): boolean {
  const type = d.dict.getName('Type');
  if (type === 'Sig' || type === 'DocTimeStamp') return true;
  return d.dict.has('ByteRange') && (d.dict.has('Contents') || d.unreadable.has('Contents'));
}
