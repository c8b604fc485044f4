import { createHash, type Hash } from 'node:crypto';
import type { DetachedContent } from '../cms/inspect/index.js';

/**
 * Digests of a file's signed byte ranges, hashing each byte once.
 *
 * The signed ranges of a PDF's signatures share their start: each covers
 * the file from byte 0 up to its own /Contents, then the rest of its
 * revision. So one pass from byte 0 to the end, keeping a copy of the hash
 * state where each signature's first range ends (`Hash.copy()`), gives every
 * signature its digest for the cost of its short second range, and the
 * whole file's digest for the report on the way. A range that does not
 * start at byte 0, or a mark nobody announced, falls back to hashing its
 * own bytes: slower, never wrong.
 */
export class RangeDigests {
  readonly #pdf: Uint8Array;
  /** Where first ranges end, ascending: where the pass keeps a state. */
  readonly #marks: number[];
  readonly #passes = new Map<string, Pass>();

  constructor(pdf: Uint8Array, marks: readonly number[]) {
    this.#pdf = pdf;
    this.#marks = [...new Set(marks.filter((m) => Number.isInteger(m) && m > 0 && m <= pdf.length))].sort((a, b) => a - b);
  }

  /** The detached content of a signature over `chunks`, with its digest from the shared pass when its ranges allow. */
  content(chunks: readonly Uint8Array[], byteRange: readonly number[] | null): DetachedContent {
    const br = byteRange;
    if (!br || br.length !== 4 || br[0] !== 0 || chunks.length !== 2) return { chunks };
    const [, b, c, d] = br as [number, number, number, number];
    if (b > this.#pdf.length || c + d > this.#pdf.length) return { chunks };
    return {
      chunks,
      digest: (alg) => {
        const h = this.#stateAt(alg, b);
        h.update(this.#pdf.subarray(c, c + d));
        return new Uint8Array(h.digest());
      },
    };
  }

  /** The digest of the whole file. */
  whole(alg: string): Uint8Array {
    return new Uint8Array(this.#stateAt(alg, this.#pdf.length).digest());
  }

  /** A fresh hash holding bytes [0, offset). */
  #stateAt(alg: string, offset: number): Hash {
    let pass = this.#passes.get(alg);
    if (!pass) {
      pass = { hash: createHash(alg), at: 0, kept: new Map() };
      this.#passes.set(alg, pass);
    }
    const kept = pass.kept.get(offset);
    if (kept) return kept.copy();
    if (offset < pass.at) return createHash(alg).update(this.#pdf.subarray(0, offset)); // an unannounced mark behind the pass
    for (const m of this.#marks) {
      if (m <= pass.at) continue;
      if (m > offset) break;
      pass.hash.update(this.#pdf.subarray(pass.at, m));
      pass.at = m;
      pass.kept.set(m, pass.hash.copy());
    }
    if (pass.at < offset) {
      pass.hash.update(this.#pdf.subarray(pass.at, offset));
      pass.at = offset;
      pass.kept.set(offset, pass.hash.copy());
    }
    return pass.hash.copy();
  }
}

interface Pass {
  /** Bytes [0, at) so far; never finished, only copied. */
  hash: Hash;
  at: number;
  kept: Map<number, Hash>;
}
