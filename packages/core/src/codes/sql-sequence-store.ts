import { isKysoError } from '../errors.js';
import { codeError } from './code-error.js';
import {
  checkCount,
  checkIdempotentReplay,
  checkKey,
  checkPending,
  checkValue,
  exhausted,
  notFound,
  SEQUENCE_SCHEMA_VERSION,
  storeFailed,
  transition,
  type AllocateOptions,
  type Allocation,
  type AllocationState,
  type ChangeStateOptions,
  type LedgerEvent,
  type LedgerFilter,
  type PendingEntry,
  type PendingFilter,
  type SequenceKey,
  type SequenceStore,
} from './sequence-store.js';

/**
 * The one implementation of a `SequenceStore` over SQL, shared by the SQLite
 * and PostgreSQL stores: each of them gives a `SqlEngine` (how a statement
 * runs, what a transaction is) and a `SequenceSql` (the statements in which
 * the two databases differ); the rules (a counter row bumped and its ledger
 * and event rows, and the caller's pending note, written in one transaction,
 * idempotent replays (which write no note), the
 * reserved → confirmed / voided lifecycle, the migration) are written here
 * once.
 *
 * Statements name their parameters `:name`; `bindNamed` turns them into the
 * driver's placeholders.
 */

export type SqlParams = Readonly<Record<string, unknown>>;

/** Statements run in one transaction, or outside any (`SqlEngine.read`). */
export interface SqlSession {
  /** The rows a statement returns (a SELECT, or a write with RETURNING). */
  rows<R>(sql: string, params?: SqlParams): Promise<R[]>;
  /** A statement whose rows are not needed. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Several statements without parameters (the schema). */
  script(sql: string): Promise<void>;
}

export interface SqlEngine {
  /** One attempt: `fn` runs in a write transaction, committed when it resolves and rolled back when it throws. */
  transaction<R>(fn: (s: SqlSession) => Promise<R>): Promise<R>;
  /** Statements outside a transaction: reads, or a single write that commits on its own. */
  read<R>(fn: (s: SqlSession) => Promise<R>): Promise<R>;
  /** The whole transaction is worth running again (a serialization failure, a deadlock). */
  retryable(e: unknown): boolean;
  /** A unique index refused a row: two requests with one idempotency key raced. */
  uniqueViolation(e: unknown): boolean;
  close(): Promise<void>;
}

/** What the two databases write differently. */
export interface SequenceSql {
  /** Table names, quoted as the database needs them. */
  tables: { meta: string; counters: string; ledger: string; events: string; pending: string };
  /** Run first in the migration's transaction (PostgreSQL: one migrator at a time, the schema). */
  prelude: readonly string[];
  /** The tables and indexes of schema version 1, one script. */
  schemaV1: string;
  /** Version 2: the pending notes' table (`AllocateOptions.pending`) and its indexes, one script. */
  schemaV2: string;
  /**
   * Ledger rows for the values `:first` to `:last`, RETURNING *. Parameters:
   * kind, agency, period, state, actor, idem, note, at, first, last.
   */
  insertLedger: string;
  /** Event rows for the values `:first` to `:last`. Parameters: kind, agency, period, state, actor, at, first, last. */
  insertEvents: string;
  /** Appended to the SELECT of a ledger row about to change: the row lock where the database needs one. */
  lockRow: string;
  /** A time as the tables store it. */
  time(d: Date): unknown;
}

/**
 * `:name` placeholders to the driver's: `?` for each occurrence (SQLite), or
 * `$n`, one per name (PostgreSQL). `::type` casts are left alone.
 */
export function bindNamed(sql: string, params: SqlParams, style: 'question' | 'dollar'): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const text = sql.replace(/(?<![:\w]):([a-z][a-z0-9_]*)/gi, (_, name: string) => {
    if (!Object.hasOwn(params, name)) throw new Error(`SQL parameter :${name} is not given`);
    if (style === 'question') {
      values.push(params[name]);
      return '?';
    }
    let i = index.get(name);
    if (i === undefined) {
      values.push(params[name]);
      i = values.length;
      index.set(name, i);
    }
    return `$${i}`;
  });
  return { text, values };
}

/** A ledger row as either database returns it: numbers may come as text (BIGINT), times as numbers or Dates. */
interface LedgerRow {
  kind: string;
  agency: string;
  period: string;
  value: string | number;
  state: AllocationState;
  actor: string;
  idem_key: string | null;
  note: string | null;
  created_at: number | Date;
  updated_at: number | Date;
}

interface PendingRow {
  id: string | number;
  kind: string;
  agency: string;
  period: string;
  first_value: string | number;
  last_value: string | number;
  idem_key: string | null;
  ref: string;
  data: string;
  created_at: number | Date;
}

const toPending = (r: PendingRow): PendingEntry => ({
  id: Number(r.id),
  kind: r.kind,
  agency: r.agency,
  period: r.period,
  first: Number(r.first_value),
  last: Number(r.last_value),
  idempotencyKey: r.idem_key,
  ref: r.ref,
  data: r.data,
  createdAt: new Date(r.created_at),
});

/** Ids deleted per statement: well under either database's limit on parameters. */
const CLEAR_CHUNK = 500;

interface EventRow {
  kind: string;
  agency: string;
  period: string;
  value: string | number;
  state: AllocationState;
  actor: string;
  at: number | Date;
  reason: string | null;
}

const toAllocation = (r: LedgerRow): Allocation => ({
  kind: r.kind,
  agency: r.agency,
  period: r.period,
  value: Number(r.value),
  state: r.state,
  actor: r.actor,
  idempotencyKey: r.idem_key,
  note: r.note,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const KEY = 'kind = :kind AND agency = :agency AND period = :period';
const ROW = `${KEY} AND value = :value`;
const keyParams = (key: SequenceKey) => ({ kind: key.kind, agency: key.agency, period: key.period });

export abstract class SqlSequenceStore implements SequenceStore {
  readonly #engine: SqlEngine;
  readonly #sql: SequenceSql;

  protected constructor(engine: SqlEngine, sql: SequenceSql) {
    this.#engine = engine;
    this.#sql = sql;
  }

  /** Runs `fn` in a transaction, again (up to five times) when the engine or `retryOn` says so. Errors are the driver's. */
  async #attempts<R>(fn: (s: SqlSession) => Promise<R>, retryOn: (e: unknown) => boolean = () => false): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#engine.transaction(fn);
      } catch (e) {
        if (attempt < 5 && (this.#engine.retryable(e) || retryOn(e))) continue;
        throw e;
      }
    }
  }

  /** Store operations: a driver's error becomes CODE_STORE_FAILED naming `what`. */
  async #run<R>(what: string, fn: (s: SqlSession) => Promise<R>, retryOn?: (e: unknown) => boolean): Promise<R> {
    try {
      return await this.#attempts(fn, retryOn);
    } catch (e) {
      if (isKysoError(e)) throw e;
      throw storeFailed(what, e);
    }
  }

  async #read<R>(what: string, fn: (s: SqlSession) => Promise<R>): Promise<R> {
    try {
      return await this.#engine.read(fn);
    } catch (e) {
      if (isKysoError(e)) throw e;
      throw storeFailed(what, e);
    }
  }

  /** Creates or migrates the tables; refuses a schema newer than this code. Errors are the driver's (the caller names the place). */
  protected async migrate(): Promise<void> {
    const { meta } = this.#sql.tables;
    await this.#attempts(async (s) => {
      for (const p of this.#sql.prelude) await s.run(p);
      await s.run(`CREATE TABLE IF NOT EXISTS ${meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const r = await s.rows<{ value: string }>(`SELECT value FROM ${meta} WHERE key = 'schema_version'`);
      const version = r[0] ? Number(r[0].value) : 0;
      if (version > SEQUENCE_SCHEMA_VERSION) {
        throw codeError(
          'CODE_STORE_FAILED',
          `Sequence store schema ${version} is newer than this kyso (${SEQUENCE_SCHEMA_VERSION}); upgrade kyso`,
          `Lược đồ kho bộ đếm (${version}) mới hơn phiên bản kyso này (${SEQUENCE_SCHEMA_VERSION}); hãy nâng cấp kyso`,
        );
      }
      if (version < 1) await s.script(this.#sql.schemaV1);
      if (version < 2) await s.script(this.#sql.schemaV2);
      // Future migrations: if (version < 3) { ... }
      await s.run(`INSERT INTO ${meta} (key, value) VALUES ('schema_version', :version) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, {
        version: String(SEQUENCE_SCHEMA_VERSION),
      });
    });
  }

  async allocate(key: SequenceKey, options: AllocateOptions = {}): Promise<Allocation[]> {
    checkKey(key);
    const count = options.count ?? 1;
    checkCount(count);
    const { counters, ledger } = this.#sql.tables;
    const at = this.#sql.time(options.at ?? new Date());
    const actor = options.actor ?? 'unknown';
    const idem = options.idempotencyKey ?? null;
    const state: AllocationState = options.confirm ? 'confirmed' : 'reserved';
    const pending = options.pending;
    if (pending !== undefined) checkPending(pending);
    return this.#run(
      'allocate',
      async (s) => {
        if (idem !== null) {
          const rows = await s.rows<LedgerRow>(`SELECT * FROM ${ledger} WHERE kind = :kind AND idem_key = :idem ORDER BY idem_index`, { kind: key.kind, idem });
          if (rows.length > 0) return checkIdempotentReplay(rows.map(toAllocation), key, count, idem);
        }
        // The counter row, bumped in place (PostgreSQL holds its row lock until commit; SQLite's write lock is already held).
        const up = await s.rows<{ value: string | number }>(
          `INSERT INTO ${counters} (kind, agency, period, value) VALUES (:kind, :agency, :period, :count)
           ON CONFLICT (kind, agency, period) DO UPDATE SET value = ${counters}.value + excluded.value
           RETURNING value`,
          { ...keyParams(key), count },
        );
        const last = Number(up[0]!.value);
        const first = last - count + 1;
        if (options.max !== undefined && last > options.max) throw exhausted(key, options.max);
        const range = { ...keyParams(key), state, actor, at, first, last };
        const rows = await s.rows<LedgerRow>(this.#sql.insertLedger, { ...range, idem, note: options.note ?? null });
        await s.run(this.#sql.insertEvents, range);
        // The outbox: the caller's note commits (or not) with the values it is about.
        if (pending !== undefined) {
          await s.run(
            `INSERT INTO ${this.#sql.tables.pending} (kind, agency, period, first_value, last_value, idem_key, ref, data, created_at)
             VALUES (:kind, :agency, :period, :first, :last, :idem, :ref, :data, :at)`,
            { ...keyParams(key), first, last, idem, ref: pending.ref, data: pending.data, at },
          );
        }
        return rows.map(toAllocation).sort((a, b) => a.value - b.value);
      },
      // Two requests with one idempotency key raced: the loser retries and reads the winner's values.
      (e) => idem !== null && this.#engine.uniqueViolation(e),
    );
  }

  async #change(key: SequenceKey, value: number, to: 'confirmed' | 'voided', options: ChangeStateOptions): Promise<Allocation> {
    checkKey(key);
    checkValue(value);
    const { ledger, events } = this.#sql.tables;
    const at = this.#sql.time(options.at ?? new Date());
    const actor = options.actor ?? 'unknown';
    return this.#run(to === 'confirmed' ? 'confirm' : 'void', async (s) => {
      const params = { ...keyParams(key), value };
      const row = (await s.rows<LedgerRow>(`SELECT * FROM ${ledger} WHERE ${ROW}${this.#sql.lockRow}`, params))[0];
      if (!row) throw notFound(key, value);
      const next = transition(key, value, row.state, to);
      if (next === null) return toAllocation(row);
      const u = await s.rows<LedgerRow>(`UPDATE ${ledger} SET state = :next, updated_at = :at WHERE ${ROW} RETURNING *`, { ...params, next, at });
      await s.run(`INSERT INTO ${events} (kind, agency, period, value, state, actor, at, reason) VALUES (:kind, :agency, :period, :value, :next, :actor, :at, :reason)`, {
        ...params,
        next,
        actor,
        at,
        reason: options.reason ?? null,
      });
      return toAllocation(u[0]!);
    });
  }

  async confirm(key: SequenceKey, value: number, options: ChangeStateOptions = {}): Promise<Allocation> {
    return this.#change(key, value, 'confirmed', options);
  }

  async void(key: SequenceKey, value: number, options: ChangeStateOptions = {}): Promise<Allocation> {
    return this.#change(key, value, 'voided', options);
  }

  async get(key: SequenceKey, value: number): Promise<Allocation | undefined> {
    checkKey(key);
    const rows = await this.#read('get', (s) => s.rows<LedgerRow>(`SELECT * FROM ${this.#sql.tables.ledger} WHERE ${ROW}`, { ...keyParams(key), value }));
    return rows[0] ? toAllocation(rows[0]) : undefined;
  }

  async current(key: SequenceKey): Promise<number> {
    checkKey(key);
    const rows = await this.#read('current', (s) => s.rows<{ value: string | number }>(`SELECT value FROM ${this.#sql.tables.counters} WHERE ${KEY}`, keyParams(key)));
    return rows[0] ? Number(rows[0].value) : 0;
  }

  async ledger(filter: LedgerFilter = {}): Promise<Allocation[]> {
    const conds: string[] = [];
    const params: Record<string, unknown> = {};
    for (const k of ['kind', 'agency', 'period', 'state'] as const) {
      if (filter[k] !== undefined) {
        conds.push(`${k} = :${k}`);
        params[k] = filter[k];
      }
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const rows = await this.#read('ledger', (s) => s.rows<LedgerRow>(`SELECT * FROM ${this.#sql.tables.ledger} ${where} ORDER BY kind, agency, period, value`, params));
    return rows.map(toAllocation);
  }

  async history(key: SequenceKey, value: number): Promise<LedgerEvent[]> {
    checkKey(key);
    const rows = await this.#read('history', (s) =>
      s.rows<EventRow>(`SELECT kind, agency, period, value, state, actor, at, reason FROM ${this.#sql.tables.events} WHERE ${ROW} ORDER BY id`, { ...keyParams(key), value }),
    );
    return rows.map((r) => ({
      kind: r.kind,
      agency: r.agency,
      period: r.period,
      value: Number(r.value),
      state: r.state,
      actor: r.actor,
      at: new Date(r.at),
      reason: r.reason,
    }));
  }

  async listPending(filter: PendingFilter = {}): Promise<PendingEntry[]> {
    const limit = filter.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1) throw codeError('CODE_INVALID', `Bad limit ${limit}`, `Giới hạn không hợp lệ ${limit}`);
    const conds: string[] = [];
    const params: Record<string, unknown> = { limit };
    if (filter.olderThan !== undefined) {
      conds.push('created_at < :before');
      params.before = this.#sql.time(filter.olderThan);
    }
    if (filter.ref !== undefined) {
      conds.push('ref = :ref');
      params.ref = filter.ref;
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const rows = await this.#read('listPending', (s) => s.rows<PendingRow>(`SELECT * FROM ${this.#sql.tables.pending} ${where} ORDER BY id LIMIT :limit`, params));
    return rows.map(toPending);
  }

  async clearPending(target: readonly number[] | { ref: string }): Promise<number> {
    const { pending } = this.#sql.tables;
    if (!Array.isArray(target)) {
      const ref = (target as { ref: string }).ref;
      if (typeof ref !== 'string' || ref.length === 0) throw codeError('CODE_INVALID', 'clearPending needs a ref', 'clearPending cần ref');
      // One statement, committed on its own: no BEGIN and COMMIT around it (this runs once per request that allocated).
      return this.#read('clearPending', async (s) => (await s.rows(`DELETE FROM ${pending} WHERE ref = :ref RETURNING id`, { ref })).length);
    }
    const ids = target as readonly number[];
    for (const id of ids) checkValue(id);
    if (ids.length === 0) return 0;
    return this.#run('clearPending', async (s) => {
      let n = 0;
      for (let at = 0; at < ids.length; at += CLEAR_CHUNK) {
        const chunk = ids.slice(at, at + CLEAR_CHUNK);
        const params = Object.fromEntries(chunk.map((id, i) => [`id${i}`, id]));
        n += (await s.rows(`DELETE FROM ${pending} WHERE id IN (${chunk.map((_, i) => `:id${i}`).join(', ')}) RETURNING id`, params)).length;
      }
      return n;
    });
  }

  async close(): Promise<void> {
    await this.#engine.close();
  }
}
