import { codeError } from './code-error.js';
import { isKysoError } from '../errors.js';
import { parseAgencyCode } from './agency-code.js';
import { buildCaseCode, maxCaseSequence, parseCaseCode, DEFAULT_CASE_CODE_FORMAT, type CaseCodeFormat } from './case-code.js';
import { defaultCatalog, type CodeCatalog } from './catalog.js';
import { formatCertBook, formatCertNumberLine, DEFAULT_CERT_NUMBER_FORMAT, type CertNumberFormat } from './cert-number.js';
import { buildResultCode, parseResultCode, type ResultCodeFormat, type ResultCodeParts } from './result-code.js';
import type { Allocation, AllocationState, PendingNote, SequenceKey, SequenceStore } from './sequence-store.js';
import { renderTemplate } from './template.js';
import { formatYYYYMMDD, vietnamDate, type VietnamDate } from './vietnam-time.js';

/**
 * Hands out case codes, certification numbers and result codes through a
 * `SequenceStore`, so that none is ever given twice.
 *
 * - Case codes: counter ('case', agency, Vietnam date `YYYYMMDD`), restarting
 *   each Vietnam day, at most 9999 a day with the default format.
 * - Certification numbers: counter ('cert', agency, Vietnam year `YYYY`),
 *   running across books within the year; the book is stored with each number.
 * - Result codes: not counted (the parts come from the caller) but registered
 *   as ('result', owner, `Gxx.nnnnnn[.suffix]`) with a maximum of 1, so the same
 *   code cannot be issued twice.
 *
 * Values are `reserved` unless `confirm: true`; confirm or void them later. The
 * clock is injectable; the time zone of the process never matters.
 *
 * @example
 * const codes = new CodeAllocator({ store: await SqliteSequenceStore.open() });
 * const [c] = await codes.caseCodes('H55.242', { actor: 'officer1', confirm: true });
 * c.code // 'H55.242-240202-0001'
 */
export interface CodeAllocatorOptions {
  store: SequenceStore;
  /** Default `() => new Date()`. */
  clock?: () => Date;
  catalog?: CodeCatalog;
  caseCodeFormat?: Partial<CaseCodeFormat>;
  certNumberFormat?: Partial<CertNumberFormat>;
  resultCodeFormat?: Partial<ResultCodeFormat>;
  /** Actor recorded when a call does not name one. */
  actor?: string;
}

export interface IssueOptions {
  actor?: string;
  /** The same key returns the same values (including after a restart or on another machine sharing the store). */
  idempotencyKey?: string;
  /** Record as confirmed at once (default: reserved). */
  confirm?: boolean;
  /** A note written with the values, in the same transaction (see `AllocateOptions.pending`); none on an idempotent replay. */
  pending?: PendingNote;
}

export interface IssuedCaseCode {
  code: string;
  agency: string;
  date: VietnamDate;
  sequence: number;
  state: AllocationState;
  key: SequenceKey;
}

export interface IssuedCertNumber {
  number: number;
  book: number;
  year: number;
  bookLabel: string;
  /** `Số chứng thực: <n>  Quyển số: <book label>`. */
  line: string;
  state: AllocationState;
  key: SequenceKey;
}

export interface IssuedResultCode {
  code: string;
  state: AllocationState;
  key: SequenceKey;
}

export const CODE_KINDS = Object.freeze({ case: 'case', cert: 'cert', result: 'result' });

function periodToDate(period: string): VietnamDate {
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(4, 6)), day: Number(period.slice(6, 8)) };
}

export class CodeAllocator {
  readonly store: SequenceStore;
  readonly #clock: () => Date;
  readonly #catalog: CodeCatalog;
  readonly #caseFormat: CaseCodeFormat;
  readonly #certFormat: CertNumberFormat;
  readonly #resultFormat: Partial<ResultCodeFormat> | undefined;
  readonly #actor: string;

  constructor(options: CodeAllocatorOptions) {
    this.store = options.store;
    this.#clock = options.clock ?? (() => new Date());
    this.#catalog = options.catalog ?? defaultCatalog;
    this.#caseFormat = { ...DEFAULT_CASE_CODE_FORMAT, ...options.caseCodeFormat };
    this.#certFormat = { ...DEFAULT_CERT_NUMBER_FORMAT, ...options.certNumberFormat };
    this.#resultFormat = options.resultCodeFormat;
    this.#actor = options.actor ?? 'unknown';
  }

  #opts(o: IssueOptions, count = 1) {
    return {
      actor: o.actor ?? this.#actor,
      count,
      at: this.#clock(),
      ...(o.idempotencyKey !== undefined ? { idempotencyKey: o.idempotencyKey } : {}),
      ...(o.confirm ? { confirm: true } : {}),
      ...(o.pending !== undefined ? { pending: o.pending } : {}),
    };
  }

  // ---- case codes -------------------------------------------------------

  /** Case codes for today (Vietnam date) at `agency`. Throws CODE_INVALID, CODE_STATE (day full), CODE_STORE_FAILED. */
  async caseCodes(agency: string, options: IssueOptions & { count?: number } = {}): Promise<IssuedCaseCode[]> {
    parseAgencyCode(agency, this.#caseFormat.agencyFormats);
    const opts = this.#opts(options, options.count ?? 1);
    const key = { kind: CODE_KINDS.case, agency, period: formatYYYYMMDD(vietnamDate(opts.at)) };
    const rows = await this.store.allocate(key, { ...opts, max: maxCaseSequence(this.#caseFormat) });
    return rows.map((a) => this.#caseOf(a));
  }

  #caseOf(a: Allocation): IssuedCaseCode {
    const date = periodToDate(a.period);
    const code = buildCaseCode({ agency: a.agency, date, sequence: a.value }, { format: this.#caseFormat });
    return { code, agency: a.agency, date, sequence: a.value, state: a.state, key: keyOf(a) };
  }

  #caseKey(code: string): { key: SequenceKey; value: number } {
    const p = parseCaseCode(code, { format: this.#caseFormat });
    return { key: { kind: CODE_KINDS.case, agency: p.agency, period: formatYYYYMMDD(p.date) }, value: p.sequence };
  }

  async confirmCaseCode(code: string, options: { actor?: string } = {}): Promise<IssuedCaseCode> {
    const { key, value } = this.#caseKey(code);
    return this.#caseOf(await this.store.confirm(key, value, { actor: options.actor ?? this.#actor, at: this.#clock() }));
  }

  async voidCaseCode(code: string, options: { actor?: string; reason?: string } = {}): Promise<IssuedCaseCode> {
    const { key, value } = this.#caseKey(code);
    return this.#caseOf(await this.store.void(key, value, { actor: options.actor ?? this.#actor, at: this.#clock(), ...optReason(options.reason) }));
  }

  // ---- certification numbers --------------------------------------------

  /**
   * Certification numbers for this Vietnam year at `agency`, in book `book`.
   * Numbers run on across books within the year.
   */
  async certNumbers(agency: string, book: number, options: IssueOptions & { count?: number } = {}): Promise<IssuedCertNumber[]> {
    parseAgencyCode(agency, this.#caseFormat.agencyFormats);
    const opts = this.#opts(options, options.count ?? 1);
    const year = vietnamDate(opts.at).year;
    formatCertBook({ book, year }, this.#certFormat); // validates the book number
    const key = { kind: CODE_KINDS.cert, agency, period: String(year) };
    const rows = await this.store.allocate(key, { ...opts, note: JSON.stringify({ book }) });
    return rows.map((a) => this.#certOf(a));
  }

  #certOf(a: Allocation): IssuedCertNumber {
    const year = Number(a.period);
    const book = Number((JSON.parse(a.note ?? '{}') as { book?: unknown }).book);
    const bookLabel = formatCertBook({ book, year }, this.#certFormat);
    const line = formatCertNumberLine({ number: a.value, book, year }, this.#certFormat);
    return { number: a.value, book, year, bookLabel, line, state: a.state, key: keyOf(a) };
  }

  async confirmCertNumber(agency: string, year: number, number: number, options: { actor?: string } = {}): Promise<IssuedCertNumber> {
    const key = { kind: CODE_KINDS.cert, agency, period: String(year) };
    return this.#certOf(await this.store.confirm(key, number, { actor: options.actor ?? this.#actor, at: this.#clock() }));
  }

  async voidCertNumber(agency: string, year: number, number: number, options: { actor?: string; reason?: string } = {}): Promise<IssuedCertNumber> {
    const key = { kind: CODE_KINDS.cert, agency, period: String(year) };
    return this.#certOf(await this.store.void(key, number, { actor: options.actor ?? this.#actor, at: this.#clock(), ...optReason(options.reason) }));
  }

  // ---- result codes -----------------------------------------------------

  /**
   * Issues a result code once. Without `suffix`, the catalogue's
   * `suffixTemplate` for the type (if any) is filled with today's Vietnam date;
   * `suffix: ''` means no suffix. A code issued before (and not a retry with
   * the same idempotency key) fails with CODE_STATE: give a distinguishing
   * suffix.
   */
  async resultCode(parts: ResultCodeParts, options: IssueOptions = {}): Promise<IssuedResultCode> {
    const opts = this.#opts(options);
    let suffix = parts.suffix;
    const type = parts.type ?? `${parts.ministry ?? ''}.${typeof parts.serial === 'number' ? String(parts.serial).padStart(6, '0') : (parts.serial ?? '')}`;
    if (suffix === undefined) {
      const template = this.#catalog.resultType(type)?.suffixTemplate;
      if (template) {
        const d = vietnamDate(opts.at);
        suffix = renderTemplate(template, { dd: String(d.day).padStart(2, '0'), mm: String(d.month).padStart(2, '0'), yyyy: d.year });
      }
    }
    const code = buildResultCode({ owner: parts.owner, type, ...(suffix ? { suffix } : {}) }, this.#resultOptions());
    const key = this.#resultKey(code);
    try {
      const [a] = await this.store.allocate(key, { ...opts, max: 1, note: code });
      return { code: a!.note ?? code, state: a!.state, key: keyOf(a!) };
    } catch (e) {
      if (isKysoError(e) && e.code === 'CODE_STATE' && e.details?.max === 1) {
        // `taken` tells this refusal from the other CODE_STATE ones: the caller may pick another suffix and try again.
        throw codeError('CODE_STATE', `Result code ${code} was already issued; give a distinguishing suffix`, `Mã kết quả ${code} đã được cấp; hãy dùng số ký hiệu khác`, {
          details: { code, taken: true },
        });
      }
      throw e;
    }
  }

  #resultOptions() {
    return { catalog: this.#catalog, ...(this.#resultFormat ? { format: this.#resultFormat } : {}) };
  }

  #resultKey(code: string): SequenceKey {
    const p = parseResultCode(code, this.#resultOptions());
    return { kind: CODE_KINDS.result, agency: p.owner, period: p.type + (p.suffix ? '.' + p.suffix : '') };
  }

  async confirmResultCode(code: string, options: { actor?: string } = {}): Promise<IssuedResultCode> {
    const a = await this.store.confirm(this.#resultKey(code), 1, { actor: options.actor ?? this.#actor, at: this.#clock() });
    return { code: a.note ?? code, state: a.state, key: keyOf(a) };
  }

  async voidResultCode(code: string, options: { actor?: string; reason?: string } = {}): Promise<IssuedResultCode> {
    const a = await this.store.void(this.#resultKey(code), 1, { actor: options.actor ?? this.#actor, at: this.#clock(), ...optReason(options.reason) });
    return { code: a.note ?? code, state: a.state, key: keyOf(a) };
  }
}

function keyOf(a: SequenceKey): SequenceKey {
  return { kind: a.kind, agency: a.agency, period: a.period };
}

function optReason(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}
