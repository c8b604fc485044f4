import type { Modification } from '../../diff/index.js';
import type { PdfReader } from '../../pdf/index.js';
import { bytesModification } from './modifications.js';

/** What of the file a signature covers. */
export interface SignatureCoverage {
  /** The revision (0 = original file) the signature signs, or null when it signs none of this file's. */
  revision: number | null;
  /** Bytes at the end of the signed revision the byte ranges leave out, as a suspicious change. */
  uncovered: Modification | null;
  /** Well formed and covering every byte of the file. */
  coversWholeDocument: boolean;
}

/**
 * Coverage: the revision the signed bytes end with (or end inside: the
 * rest of that revision is not signed), and whether they are the whole file.
 */
export function checkCoverage(signedLength: number | null, formatOk: boolean, pdf: Uint8Array, reader: PdfReader): SignatureCoverage {
  let revision: number | null = null;
  let uncovered: Modification | null = null;
  if (signedLength !== null && signedLength <= pdf.length) {
    const exact = reader.revisionEndingAt(signedLength);
    const containing = reader.revisions.find((r) => r.endOffset >= signedLength);
    if (exact) revision = exact.index;
    else if (containing) {
      revision = containing.index;
      const n = containing.endOffset - signedLength;
      uncovered = bytesModification(containing.index, 'unsigned-bytes', `${n} bytes at the end of the signed revision are not covered by the signature.`, `${n} byte ở cuối phiên bản được ký không nằm trong phạm vi chữ ký.`);
    }
  }
  return { revision, uncovered, coversWholeDocument: formatOk && signedLength === pdf.length };
}
