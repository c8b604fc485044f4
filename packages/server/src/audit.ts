import { createHash } from 'node:crypto';

/**
 * The audit log: one append-only record per operation, each carrying the
 * SHA-256 of the record before it (a hash chain), so an edited, inserted or
 * deleted record breaks the chain from that point on.
 */
export interface AuditEntry {
  /** ISO time. */
  time: string;
  /** The API key's id, or null when the request carried no valid key. */
  keyId: string | null;
  identity: string | null;
  /** `sign`, `verify`, `codes.case`, `codes.cert-number`, `codes.result`, `codes.void`, `audit.read`. */
  operation: string;
  inputSha256: string | null;
  outputSha256: string | null;
  code: string | null;
  field: string | null;
  /** `ok`, or the error code. */
  result: string;
  status: number;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a record: SHA-256 over a fixed-order JSON array of its fields and the previous hash. */
export function auditHash(seq: number, e: AuditEntry, prevHash: string): string {
  const fields = [seq, e.time, e.keyId, e.identity, e.operation, e.inputSha256, e.outputSha256, e.code, e.field, e.result, e.status, prevHash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainCheck {
  ok: boolean;
  records: number;
  /** First record that does not verify. */
  brokenAt?: number;
  problem?: string;
  lastHash: string;
}

/** Checks records given in `seq` order (possibly in pages: pass the state along). */
export class AuditChainVerifier {
  #prev = GENESIS_HASH;
  #expectSeq = 1;
  #count = 0;
  #broken: { seq: number; problem: string } | undefined;

  add(r: AuditRecord): boolean {
    if (this.#broken) return false;
    this.#count++;
    if (r.seq !== this.#expectSeq) this.#broken = { seq: r.seq, problem: `expected record ${this.#expectSeq}, found ${r.seq} (a record is missing)` };
    else if (r.prevHash !== this.#prev) this.#broken = { seq: r.seq, problem: 'previous-hash link does not match' };
    else if (auditHash(r.seq, r, r.prevHash) !== r.hash) this.#broken = { seq: r.seq, problem: 'record content does not match its hash (edited)' };
    this.#prev = r.hash;
    this.#expectSeq = r.seq + 1;
    return !this.#broken;
  }

  result(): ChainCheck {
    return {
      ok: !this.#broken,
      records: this.#count,
      ...(this.#broken ? { brokenAt: this.#broken.seq, problem: this.#broken.problem } : {}),
      lastHash: this.#prev,
    };
  }
}
