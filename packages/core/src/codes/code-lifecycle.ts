import { isKysoError } from '../errors.js';
import { codeError } from './code-error.js';
import type { CodeAllocator, IssuedCertNumber, IssuedResultCode } from './code-allocator.js';
import type { AllocationState, PendingNote } from './sequence-store.js';
import type { ResultCodeParts } from './result-code.js';

/**
 * The life of the codes one piece of work uses (a signature that carries a
 * result code, a certified copy that takes a certification number and a
 * result code): reserved before the work, confirmed once it succeeded, so a
 * code is never lost and never issued twice.
 *
 * - Every reservation takes an idempotency key: a retried request finds the
 *   codes of the first one.
 * - When the work fails, its codes stay `reserved` for that key by default
 *   (`onFailure: 'keep'`): no document carries them, so the retry of the same
 *   request takes them up and the book keeps no gap that a passing failure (a
 *   token unplugged, a timestamp authority down) caused. A request given up
 *   for good is voided by an operator, with the reason in the ledger.
 *   `onFailure: 'void'` voids them at once instead, with the failure as the
 *   reason (a failure to void goes to `onVoidFailed`; the work's own error is
 *   still the one thrown).
 * - A code found `voided` is refused: a voided code is never handed out
 *   again, the request needs a new key.
 * - Only codes still `reserved` are ever voided: a `confirmed` one belongs to
 *   an earlier success with the same key, whose document carries it.
 *
 * @example
 * const pdf = await withReservedCodes(codes, { actor: 'officer1' }, async (reserve) => {
 *   const code = await reserve.resultCode({ owner, type: 'G15.000021' }, { idempotencyKey: requestKey });
 *   return signWithCode(code.code);
 * });
 */
export interface CodeLifecycleOptions {
  /** Recorded in the ledger for every reservation, confirmation and void. */
  actor?: string;
  /** What the work is, for the void's reason (`<what> failed: <error code>`). Default `work`. */
  what?: string;
  /** The error for a code a retried request finds voided. Default: CODE_STATE naming the code. */
  voided?: (code: string) => Error;
  /** How an error is named in the void's reason. Default: a KysoError's code, else the message. */
  describe?: (e: unknown) => string;
  /** Told when voiding a code failed (the work's error is still the one thrown). */
  onVoidFailed?: (e: unknown) => void;
  /** What a failure of the work does to its codes still reserved: `keep` them for the retry (default) or `void` them. */
  onFailure?: 'keep' | 'void';
}

interface Held {
  state: AllocationState;
  confirm(): Promise<{ state: AllocationState }>;
  void(reason: string): Promise<unknown>;
}

const describeError = (e: unknown): string => (isKysoError(e) ? e.code : e instanceof Error ? e.message : String(e));

/** How one code is reserved: its idempotency key, and optionally a pending note written with it (see `AllocateOptions.pending`). */
export interface ReserveOptions {
  idempotencyKey: string;
  pending?: PendingNote;
}

const issueOptions = (o: ReserveOptions) => ({ idempotencyKey: o.idempotencyKey, ...(o.pending !== undefined ? { pending: o.pending } : {}) });

/** The codes reserved for one piece of work. Usually through `withReservedCodes`. */
export class CodeReservations {
  readonly #codes: CodeAllocator;
  readonly #options: CodeLifecycleOptions;
  readonly #held: Held[] = [];

  constructor(codes: CodeAllocator, options: CodeLifecycleOptions = {}) {
    this.#codes = codes;
    this.#options = options;
  }

  get #actor(): { actor?: string } {
    return this.#options.actor !== undefined ? { actor: this.#options.actor } : {};
  }

  #refuseVoided(state: AllocationState, code: string): void {
    if (state !== 'voided') return;
    throw (
      this.#options.voided?.(code) ??
      codeError('CODE_STATE', `The request failed before and its code ${code} was voided: use a new idempotency key.`, `Yêu cầu đã thất bại trước đó và mã ${code} đã bị hủy: hãy dùng khóa chống lặp mới.`, {
        details: { code },
      })
    );
  }

  /** Reserves a certification number in `book` for this Vietnam year at `agency` (see CodeAllocator.certNumbers). */
  async certNumber(agency: string, book: number, options: ReserveOptions): Promise<IssuedCertNumber> {
    const [cert] = await this.#codes.certNumbers(agency, book, { ...this.#actor, ...issueOptions(options) });
    const c = cert!;
    this.#held.push({
      state: c.state,
      confirm: () => this.#codes.confirmCertNumber(agency, c.year, c.number, this.#actor),
      void: (reason) => this.#codes.voidCertNumber(agency, c.year, c.number, { ...this.#actor, reason }),
    });
    this.#refuseVoided(c.state, c.line);
    return c;
  }

  /** Reserves a result code (see CodeAllocator.resultCode). */
  async resultCode(parts: ResultCodeParts, options: ReserveOptions): Promise<IssuedResultCode> {
    const r = await this.#codes.resultCode(parts, { ...this.#actor, ...issueOptions(options) });
    this.#held.push({
      state: r.state,
      confirm: () => this.#codes.confirmResultCode(r.code, this.#actor),
      void: (reason) => this.#codes.voidResultCode(r.code, { ...this.#actor, reason }),
    });
    this.#refuseVoided(r.state, r.code);
    return r;
  }

  /**
   * Reserves a result code unless another request holds it already: then
   * null (nothing is reserved), so the caller can try another suffix.
   */
  async resultCodeIfFree(parts: ResultCodeParts, options: ReserveOptions): Promise<IssuedResultCode | null> {
    try {
      return await this.resultCode(parts, options);
    } catch (e) {
      if (isKysoError(e) && e.code === 'CODE_STATE' && e.details?.taken === true) return null;
      throw e;
    }
  }

  /** Confirms every code, in the order reserved (confirming a confirmed code changes nothing). */
  async confirm(): Promise<void> {
    for (const h of this.#held) h.state = (await h.confirm()).state;
  }

  /** Voids every code still reserved, with the failure as the reason. Never throws. */
  async void(cause: unknown): Promise<void> {
    const reason = `${this.#options.what ?? 'work'} failed: ${(this.#options.describe ?? describeError)(cause)}`.slice(0, 500);
    for (const h of this.#held) {
      if (h.state !== 'reserved') continue;
      try {
        await h.void(reason);
        h.state = 'voided';
      } catch (e) {
        this.#options.onVoidFailed?.(e);
      }
    }
  }
}

/**
 * Runs `work` with a fresh set of reservations: the codes it reserves are
 * confirmed when it resolves; when it or the confirmation throws, they stay
 * reserved for the retry (or are voided, with `onFailure: 'void'`) and the
 * error is thrown on.
 */
export async function withReservedCodes<T>(codes: CodeAllocator, options: CodeLifecycleOptions, work: (reserve: CodeReservations) => Promise<T>): Promise<T> {
  const reservations = new CodeReservations(codes, options);
  try {
    const out = await work(reservations);
    await reservations.confirm();
    return out;
  } catch (e) {
    if (options.onFailure === 'void') await reservations.void(e);
    throw e;
  }
}
