import { codeError } from './code-error.js';

/**
 * Durable counters that hand out numbers at most once.
 *
 * A counter is keyed by (kind, agency, period): e.g. ('case', 'H55.242',
 * '20240202') or ('cert', '000.00.00.H56', '2024'). Each value handed out is
 * written to a ledger in the same transaction as the counter increment, with
 * who got it and when, so nothing handed out can be lost and nothing is given
 * twice. Values start at 1 and have no gaps: a number that is not used must be
 * voided, which is recorded, and is never handed out again.
 *
 * Life of a value: `reserved` (handed out, in use) then `confirmed` (used for
 * real) or `voided` (abandoned). Allocating with `confirm: true` skips the
 * reservation.
 *
 * Idempotency: an allocation with an `idempotencyKey` that was seen before
 * (same kind) returns the values of the first call instead of new ones, also
 * across processes and after a restart. Reusing a key for a different agency or
 * count fails with CODE_STATE.
 *
 * Pending notes (the outbox pattern): an allocation may carry a note of the
 * caller's (`AllocateOptions.pending`), written in the same transaction, for
 * what the caller still has to do with the values elsewhere (e.g. an audit
 * record in another database). A caller that dies before it is done leaves
 * the note, found with `listPending`; `clearPending` removes notes once done.
 * Schema version 2 added their table (`<prefix>pending`); a version-1 store
 * is migrated when opened.
 */
export interface SequenceKey {
  /** What is counted: `case`, `cert`, `result`, or your own (1-32 chars, [a-z0-9_-]). */
  kind: string;
  /** Whose counter: usually an agency code. */
  agency: string;
  /** Which period: `YYYYMMDD` for a day, `YYYY` for a year, or any other label. */
  period: string;
}

export type AllocationState = 'reserved' | 'confirmed' | 'voided';

export interface Allocation extends SequenceKey {
  value: number;
  state: AllocationState;
  /** Who asked for the value. */
  actor: string;
  idempotencyKey: string | null;
  /** Free text stored with the value (e.g. the rendered code or a JSON blob). */
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of a value's history: it was reserved, confirmed or voided by someone at some time. */
export interface LedgerEvent extends SequenceKey {
  value: number;
  state: AllocationState;
  actor: string;
  at: Date;
  reason: string | null;
}

export interface AllocateOptions {
  /** Who asks (user name, service name); recorded in the ledger. Default `unknown`. */
  actor?: string;
  /** A retried request with the same key gets the same values. */
  idempotencyKey?: string;
  /** How many consecutive values (default 1, at most 10,000). */
  count?: number;
  /** Refuse (CODE_STATE) rather than go past this value, e.g. 9999 for case codes. */
  max?: number;
  /** Record as confirmed straight away instead of reserved. */
  confirm?: boolean;
  /** Stored with each value. */
  note?: string;
  /** Time recorded in the ledger (default now). */
  at?: Date;
  /**
   * A note written in the allocation's own transaction (the outbox
   * pattern): what the caller must still do with the values, e.g. the audit
   * record of the request that takes them. If the caller dies before it is
   * done, the note is found by `listPending` and acted on; once done, the
   * caller removes it with `clearPending`. An idempotent replay writes none.
   */
  pending?: PendingNote;
}

/** What `AllocateOptions.pending` stores. */
export interface PendingNote {
  /** The piece of work the note belongs to (e.g. a request id), 1-200 chars: `clearPending({ ref })` removes all of its notes. */
  ref: string;
  /** The caller's data (e.g. JSON text), at most 64 KiB. */
  data: string;
}

/** A pending note as stored, with the allocation it was written with. */
export interface PendingEntry extends SequenceKey {
  id: number;
  /** The first and last value of the allocation (equal for a single value). */
  first: number;
  last: number;
  idempotencyKey: string | null;
  ref: string;
  data: string;
  createdAt: Date;
}

export interface PendingFilter {
  /** Only notes written before this time. */
  olderThan?: Date;
  /** Only the notes of this piece of work. */
  ref?: string;
  /** At most this many, oldest first (default 1,000). */
  limit?: number;
}

export interface ChangeStateOptions {
  actor?: string;
  reason?: string;
  at?: Date;
}

export interface LedgerFilter {
  kind?: string;
  agency?: string;
  period?: string;
  state?: AllocationState;
}

export interface SequenceStore {
  /**
   * Hands out the next `count` values of a counter, atomically: all or none,
   * each exactly once, across threads and processes (and machines, for a
   * shared database).
   */
  allocate(key: SequenceKey, options?: AllocateOptions): Promise<Allocation[]>;
  /** Marks a reserved value as used. Idempotent on a confirmed value; CODE_STATE on a voided one; CODE_NOT_FOUND if never handed out. */
  confirm(key: SequenceKey, value: number, options?: ChangeStateOptions): Promise<Allocation>;
  /** Abandons a reserved value (it stays recorded and is never reused). Idempotent on a voided value; CODE_STATE on a confirmed one. */
  void(key: SequenceKey, value: number, options?: ChangeStateOptions): Promise<Allocation>;
  /** One value's ledger entry, or undefined. */
  get(key: SequenceKey, value: number): Promise<Allocation | undefined>;
  /** The last value handed out for a counter (0 if none). */
  current(key: SequenceKey): Promise<number>;
  /** Ledger entries, ordered by kind, agency, period, value. */
  ledger(filter?: LedgerFilter): Promise<Allocation[]>;
  /** A value's history, oldest first. */
  history(key: SequenceKey, value: number): Promise<LedgerEvent[]>;
  /** Pending notes (see `AllocateOptions.pending`), oldest first. */
  listPending(filter?: PendingFilter): Promise<PendingEntry[]>;
  /** Removes pending notes by id, or every note of one piece of work; returns how many were removed. */
  clearPending(target: readonly number[] | { ref: string }): Promise<number>;
  close(): Promise<void>;
}

/** Schema version written by this code. */
export const SEQUENCE_SCHEMA_VERSION = 2;

export const MAX_BATCH = 10_000;

const KIND = /^[a-z0-9_-]{1,32}$/;

/** Checks a key and allocation options. Throws CODE_INVALID. */
export function checkKey(key: SequenceKey): void {
  const ok =
    key !== null &&
    typeof key === 'object' &&
    typeof key.kind === 'string' &&
    KIND.test(key.kind) &&
    typeof key.agency === 'string' &&
    key.agency.length >= 1 &&
    key.agency.length <= 200 &&
    typeof key.period === 'string' &&
    key.period.length >= 1 &&
    key.period.length <= 200;
  if (!ok) {
    throw codeError('CODE_INVALID', `Bad sequence key ${JSON.stringify(key)}`, `Khóa bộ đếm không hợp lệ ${JSON.stringify(key)}`);
  }
}

export function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH) {
    throw codeError('CODE_INVALID', `Allocation count must be 1..${MAX_BATCH}, got ${count}`, `Số lượng cấp phải từ 1 đến ${MAX_BATCH}, nhận được ${count}`);
  }
}

export const MAX_PENDING_DATA = 64 * 1024;

/** Checks a pending note. Throws CODE_INVALID. */
export function checkPending(p: PendingNote): void {
  const ok =
    p !== null &&
    typeof p === 'object' &&
    typeof p.ref === 'string' &&
    p.ref.length >= 1 &&
    p.ref.length <= 200 &&
    typeof p.data === 'string' &&
    p.data.length <= MAX_PENDING_DATA;
  if (!ok) {
    throw codeError(
      'CODE_INVALID',
      `A pending note needs a ref of 1-200 characters and data of at most ${MAX_PENDING_DATA} characters`,
      `Ghi chú chờ xử lý cần ref dài 1-200 ký tự và dữ liệu tối đa ${MAX_PENDING_DATA} ký tự`,
    );
  }
}

export function checkValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw codeError('CODE_INVALID', `Bad sequence value ${value}`, `Giá trị số thứ tự không hợp lệ ${value}`);
  }
}

export function notFound(key: SequenceKey, value: number): Error {
  return codeError('CODE_NOT_FOUND', `Value ${value} of ${key.kind}/${key.agency}/${key.period} was never handed out`, `Số ${value} của ${key.kind}/${key.agency}/${key.period} chưa từng được cấp`, {
    details: { ...key, value },
  });
}

export function badTransition(key: SequenceKey, value: number, from: AllocationState, to: AllocationState): Error {
  const vi: Record<AllocationState, string> = { reserved: 'đang giữ chỗ', confirmed: 'đã xác nhận', voided: 'đã hủy' };
  return codeError(
    'CODE_STATE',
    `Cannot mark value ${value} of ${key.kind}/${key.agency}/${key.period} ${to}: it is ${from}`,
    `Không thể chuyển số ${value} của ${key.kind}/${key.agency}/${key.period} sang trạng thái ${vi[to]}: số này ${vi[from]}`,
    { details: { ...key, value, from, to } },
  );
}

export function exhausted(key: SequenceKey, max: number): Error {
  return codeError('CODE_STATE', `Counter ${key.kind}/${key.agency}/${key.period} would pass its maximum ${max}`, `Bộ đếm ${key.kind}/${key.agency}/${key.period} sẽ vượt quá giới hạn ${max}`, {
    details: { ...key, max },
  });
}

export function idempotencyConflict(kind: string, idempotencyKey: string): Error {
  return codeError(
    'CODE_STATE',
    `Idempotency key "${idempotencyKey}" was already used for a different ${kind} request`,
    `Khóa chống lặp "${idempotencyKey}" đã được dùng cho một yêu cầu ${kind} khác`,
    { details: { kind, idempotencyKey } },
  );
}

export function storeFailed(what: string, cause: unknown): Error {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return codeError('CODE_STORE_FAILED', `Sequence store: ${what} failed: ${msg}`, `Kho bộ đếm: ${what} thất bại: ${msg}`, { cause });
}

/** Next state after a confirm/void request, or an error. Returns null when nothing changes. */
export function transition(key: SequenceKey, value: number, from: AllocationState, to: 'confirmed' | 'voided'): AllocationState | null {
  if (from === to) return null;
  if (from === 'reserved') return to;
  throw badTransition(key, value, from, to);
}

/**
 * For a repeated idempotency key: the stored rows must be for the same agency
 * and count, else CODE_STATE.
 */
export function checkIdempotentReplay(rows: Allocation[], key: SequenceKey, count: number, idempotencyKey: string): Allocation[] {
  if (rows.length !== count || rows.some((r) => r.agency !== key.agency)) throw idempotencyConflict(key.kind, idempotencyKey);
  return rows;
}
