import { ModificationAnalyzer, modificationLevel, type DiffOptions, type Modification, type ModificationLevel } from '../../diff/index.js';
import { KysoError } from '../../errors.js';
import { readDocMdp } from '../../pdf/doc-mdp.js';
import type { PdfRef, PdfReader } from '../../pdf/index.js';

/** The document's certification: the signature /Perms /DocMDP names, and its permission level. */
export interface Certification {
  sigRef: PdfRef;
  p: 1 | 2 | 3;
}

/** The certification the catalog states (the last valid /P of its DocMDP transforms, 2 by default), or null. */
export function certificationOf(reader: PdfReader): Certification | null {
  try {
    const docMdp = readDocMdp(reader);
    if (!docMdp?.signatureRef) return null;
    let p: 1 | 2 | 3 = 2;
    for (const v of docMdp.permissions) if (v === 1 || v === 2 || v === 3) p = v;
    return { sigRef: docMdp.signatureRef, p };
  } catch {
    return null;
  }
}

/** What changed after a revision, from the modification analysis. */
export interface Changes {
  after(revision: number): Modification[];
}

/**
 * The modification analysis, built once every signature's integrity is
 * known. An analysis that fails does not take the signatures' rows with
 * it: the revisions it could not analyse are reported as suspicious.
 */
export function changesAfter(reader: PdfReader, options: DiffOptions): Changes {
  const failed = (revision: number, e: unknown): Modification[] => {
    const why = e instanceof Error ? e.message : String(e);
    const whyVi = e instanceof KysoError ? e.messageVi : why;
    return [bytesModification(revision + 1, 'unreadable', `The changes after revision ${revision} could not be analysed: ${why}`, `Không phân tích được các thay đổi sau phiên bản ${revision}: ${whyVi}`)];
  };
  let analyzer: ModificationAnalyzer;
  try {
    analyzer = new ModificationAnalyzer(reader.bytes, reader, options);
  } catch (e) {
    const cache = new Map<number, Modification[]>();
    return { after: (r) => (r >= reader.revisions.length - 1 ? [] : (cache.get(r) ?? cache.set(r, failed(r, e)).get(r)!)) };
  }
  return {
    after(revision) {
      try {
        return analyzer.after(revision);
      } catch (e) {
        return failed(revision, e);
      }
    },
  };
}

/**
 * Modifications: what changed after the signed revision (bytes the
 * signature leaves out of it, every later revision, bytes after the last
 * one), and how bad the worst of it is.
 */
export function modificationsAfter(
  revision: number | null,
  uncovered: Modification | null,
  ctx: { reader: PdfReader; changes: Changes; tail: Modification | null },
): { modifications: Modification[]; modification: ModificationLevel } {
  const mods: Modification[] = [];
  if (uncovered) mods.push(uncovered);
  if (revision !== null) mods.push(...ctx.changes.after(revision));
  if (ctx.tail) mods.push(ctx.tail);
  return { modifications: mods, modification: modificationLevel(mods, revision !== null && revision < ctx.reader.revisions.length - 1) };
}

/** A change found in bytes rather than objects (uncovered bytes, trailing bytes, an analysis that failed). */
export function bytesModification(revision: number, category: Modification['category'], reason: string, reasonVi: string): Modification {
  return { revision, object: null, change: 'bytes', verdict: 'suspicious', category, rule: null, path: null, reason, reasonVi };
}

/**
 * Bytes after the last revision's %%EOF other than white space belong to no
 * revision: the reader ignores them, but a viewer that repairs the file
 * (MuPDF does when no startxref is near the end) reads the objects in them,
 * so what it shows is not what was signed.
 */
export function trailingBytes(pdf: Uint8Array, reader: PdfReader): Modification | null {
  const last = reader.revisions[reader.revisions.length - 1];
  if (!last) return null;
  let extra = 0;
  for (let i = last.endOffset; i < pdf.length; i++) {
    const c = pdf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c && c !== 0x00) extra++;
  }
  if (extra === 0) return null;
  const n = pdf.length - last.endOffset;
  return bytesModification(
    last.index,
    'trailing-bytes',
    `${n} bytes after the end of the last revision belong to no revision; a viewer that repairs the file may show objects from them.`,
    `${n} byte sau phiên bản cuối cùng không thuộc phiên bản nào; trình xem tự sửa tệp có thể hiển thị các đối tượng trong đó.`,
  );
}
