import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { codeError } from './code-error.js';
import { isKysoError } from '../errors.js';
import {
  checkCount,
  checkIdempotentReplay,
  checkKey,
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
  type SequenceKey,
  type SequenceStore,
} from './sequence-store.js';

/**
 * The default `SequenceStore`: one SQLite file in a data directory, shared by
 * every thread and process on the machine that opens it.
 *
 * Each allocation is one `BEGIN IMMEDIATE` transaction (the database write
 * lock serialises allocators; others wait up to `busyTimeoutMs`), in WAL mode
 * with `synchronous=FULL` by default, so a value is on disk before it is
 * returned and a crash (even SIGKILL or power loss) cannot lose it or leave a
 * half-written counter. `better-sqlite3` is an optional peer dependency,
 * loaded on first open.
 *
 * Note: better-sqlite3 is synchronous; while another process holds the write
 * lock, the calling thread waits (at most `busyTimeoutMs`).
 *
 * @example
 * const store = await SqliteSequenceStore.open({ dataDir: './kyso-data' });
 * const [a] = await store.allocate({ kind: 'case', agency: 'H55.242', period: '20240202' }, { actor: 'officer1' });
 * await store.confirm(a, a.value);
 * await store.close();
 */
export interface SqliteSequenceStoreOptions {
  /** Directory for the database file (created if missing). Default `./kyso-data`. */
  dataDir?: string;
  /** File name inside `dataDir` (default `sequences.sqlite`), or an absolute path. */
  file?: string;
  /** How long to wait for another writer, in ms (default 15,000). */
  busyTimeoutMs?: number;
  /** `FULL` (default) survives power loss; `NORMAL` survives process crashes only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Prefix for table names (default `kyso_`). */
  tablePrefix?: string;
}

/** The part of better-sqlite3 we use (kept local so @kyso/core's types do not need it). */
interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
  readonly open: boolean;
}
type DatabaseCtor = new (file: string, options?: { timeout?: number }) => Database;

let ctorPromise: Promise<DatabaseCtor> | undefined;

async function loadDriver(): Promise<DatabaseCtor> {
  ctorPromise ??= (async () => {
    try {
      const mod = (await import('better-sqlite3')) as unknown as { default?: DatabaseCtor } & DatabaseCtor;
      return mod.default ?? mod;
    } catch (e) {
      ctorPromise = undefined;
      throw codeError(
        'CODE_STORE_FAILED',
        'SqliteSequenceStore needs the optional package better-sqlite3 (npm install better-sqlite3)',
        'SqliteSequenceStore cần gói tùy chọn better-sqlite3 (npm install better-sqlite3)',
        { cause: e },
      );
    }
  })();
  return ctorPromise;
}

interface LedgerRow {
  kind: string;
  agency: string;
  period: string;
  value: number;
  state: AllocationState;
  actor: string;
  idem_key: string | null;
  note: string | null;
  created_at: number;
  updated_at: number;
}

const toAllocation = (r: LedgerRow): Allocation => ({
  kind: r.kind,
  agency: r.agency,
  period: r.period,
  value: r.value,
  state: r.state,
  actor: r.actor,
  idempotencyKey: r.idem_key,
  note: r.note,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const PREFIX = /^[a-z_][a-z0-9_]{0,30}$/;

export class SqliteSequenceStore implements SequenceStore {
  readonly file: string;
  readonly #db: Database;
  readonly #t: { meta: string; counters: string; ledger: string; events: string };

  private constructor(db: Database, file: string, prefix: string) {
    this.#db = db;
    this.file = file;
    this.#t = { meta: `${prefix}meta`, counters: `${prefix}counters`, ledger: `${prefix}ledger`, events: `${prefix}events` };
  }

  /** Opens (creating or migrating) the store. Throws CODE_STORE_FAILED. */
  static async open(options: SqliteSequenceStoreOptions = {}): Promise<SqliteSequenceStore> {
    const prefix = options.tablePrefix ?? 'kyso_';
    if (!PREFIX.test(prefix)) {
      throw codeError('CODE_INVALID', `Bad table prefix "${prefix}"`, `Tiền tố bảng không hợp lệ "${prefix}"`);
    }
    const Ctor = await loadDriver();
    const dataDir = resolve(options.dataDir ?? './kyso-data');
    const file = resolve(dataDir, options.file ?? 'sequences.sqlite');
    let db: Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      db = new Ctor(file, { timeout: options.busyTimeoutMs ?? 15_000 });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      db.pragma('foreign_keys = ON');
      const store = new SqliteSequenceStore(db, file, prefix);
      store.#migrate();
      return store;
    } catch (e) {
      try {
        db?.close();
      } catch {
        /* already failing */
      }
      if (isKysoError(e)) throw e;
      throw storeFailed(`opening ${file}`, e);
    }
  }

  /** The default file location for a data directory. */
  static fileIn(dataDir: string): string {
    return join(resolve(dataDir), 'sequences.sqlite');
  }

  #migrate(): void {
    const { meta, counters, ledger, events } = this.#t;
    this.#db
      .transaction(() => {
        this.#db.exec(`CREATE TABLE IF NOT EXISTS ${meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
        const row = this.#db.prepare(`SELECT value FROM ${meta} WHERE key = 'schema_version'`).get() as { value: string } | undefined;
        const version = row ? Number(row.value) : 0;
        if (version > SEQUENCE_SCHEMA_VERSION) {
          throw codeError(
            'CODE_STORE_FAILED',
            `Sequence store schema ${version} is newer than this kyso (${SEQUENCE_SCHEMA_VERSION}); upgrade kyso`,
            `Lược đồ kho bộ đếm (${version}) mới hơn phiên bản kyso này (${SEQUENCE_SCHEMA_VERSION}); hãy nâng cấp kyso`,
          );
        }
        if (version < 1) {
          this.#db.exec(`
            CREATE TABLE ${counters} (
              kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
              value INTEGER NOT NULL CHECK (value >= 0),
              PRIMARY KEY (kind, agency, period)
            ) WITHOUT ROWID;
            CREATE TABLE ${ledger} (
              kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
              value INTEGER NOT NULL CHECK (value >= 1),
              state TEXT NOT NULL CHECK (state IN ('reserved', 'confirmed', 'voided')),
              actor TEXT NOT NULL,
              idem_key TEXT, idem_index INTEGER, note TEXT,
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
              PRIMARY KEY (kind, agency, period, value)
            );
            CREATE UNIQUE INDEX ${ledger}_idem ON ${ledger} (kind, idem_key, idem_index) WHERE idem_key IS NOT NULL;
            CREATE TABLE ${events} (
              id INTEGER PRIMARY KEY,
              kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL, value INTEGER NOT NULL,
              state TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT
            );
            CREATE INDEX ${events}_value ON ${events} (kind, agency, period, value);
          `);
        }
        // Future migrations: if (version < 2) { ... }
        this.#db
          .prepare(`INSERT INTO ${meta} (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
          .run(String(SEQUENCE_SCHEMA_VERSION));
      })
      .immediate();
  }

  #run<R>(what: string, fn: () => R): R {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (e) {
      if (isKysoError(e)) throw e;
      throw storeFailed(what, e);
    }
  }

  async allocate(key: SequenceKey, options: AllocateOptions = {}): Promise<Allocation[]> {
    checkKey(key);
    const count = options.count ?? 1;
    checkCount(count);
    const { counters, ledger, events } = this.#t;
    const at = (options.at ?? new Date()).getTime();
    const actor = options.actor ?? 'unknown';
    const idem = options.idempotencyKey ?? null;
    const state: AllocationState = options.confirm ? 'confirmed' : 'reserved';
    return this.#run('allocate', () => {
      if (idem !== null) {
        const rows = this.#db
          .prepare(`SELECT * FROM ${ledger} WHERE kind = ? AND idem_key = ? ORDER BY idem_index`)
          .all(key.kind, idem) as LedgerRow[];
        if (rows.length > 0) return checkIdempotentReplay(rows.map(toAllocation), key, count, idem);
      }
      const cur = this.#db.prepare(`SELECT value FROM ${counters} WHERE kind = ? AND agency = ? AND period = ?`).get(key.kind, key.agency, key.period) as
        | { value: number }
        | undefined;
      const first = (cur?.value ?? 0) + 1;
      const last = first + count - 1;
      if (options.max !== undefined && last > options.max) throw exhausted(key, options.max);
      this.#db
        .prepare(`INSERT INTO ${counters} (kind, agency, period, value) VALUES (?, ?, ?, ?) ON CONFLICT (kind, agency, period) DO UPDATE SET value = excluded.value`)
        .run(key.kind, key.agency, key.period, last);
      const insLedger = this.#db.prepare(
        `INSERT INTO ${ledger} (kind, agency, period, value, state, actor, idem_key, idem_index, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insEvent = this.#db.prepare(`INSERT INTO ${events} (kind, agency, period, value, state, actor, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`);
      const out: Allocation[] = [];
      for (let v = first; v <= last; v++) {
        insLedger.run(key.kind, key.agency, key.period, v, state, actor, idem, idem === null ? null : v - first, options.note ?? null, at, at);
        insEvent.run(key.kind, key.agency, key.period, v, state, actor, at);
        out.push({
          kind: key.kind,
          agency: key.agency,
          period: key.period,
          value: v,
          state,
          actor,
          idempotencyKey: idem,
          note: options.note ?? null,
          createdAt: new Date(at),
          updatedAt: new Date(at),
        });
      }
      return out;
    });
  }

  #change(key: SequenceKey, value: number, to: 'confirmed' | 'voided', options: ChangeStateOptions): Allocation {
    checkKey(key);
    checkValue(value);
    const { ledger, events } = this.#t;
    const at = (options.at ?? new Date()).getTime();
    const actor = options.actor ?? 'unknown';
    return this.#run(to === 'confirmed' ? 'confirm' : 'void', () => {
      const where = `kind = ? AND agency = ? AND period = ? AND value = ?`;
      const row = this.#db.prepare(`SELECT * FROM ${ledger} WHERE ${where}`).get(key.kind, key.agency, key.period, value) as LedgerRow | undefined;
      if (!row) throw notFound(key, value);
      const next = transition(key, value, row.state, to);
      if (next === null) return toAllocation(row);
      this.#db.prepare(`UPDATE ${ledger} SET state = ?, updated_at = ? WHERE ${where}`).run(next, at, key.kind, key.agency, key.period, value);
      this.#db
        .prepare(`INSERT INTO ${events} (kind, agency, period, value, state, actor, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(key.kind, key.agency, key.period, value, next, actor, at, options.reason ?? null);
      return toAllocation({ ...row, state: next, updated_at: at });
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
    const row = this.#db
      .prepare(`SELECT * FROM ${this.#t.ledger} WHERE kind = ? AND agency = ? AND period = ? AND value = ?`)
      .get(key.kind, key.agency, key.period, value) as LedgerRow | undefined;
    return row ? toAllocation(row) : undefined;
  }

  async current(key: SequenceKey): Promise<number> {
    checkKey(key);
    const row = this.#db
      .prepare(`SELECT value FROM ${this.#t.counters} WHERE kind = ? AND agency = ? AND period = ?`)
      .get(key.kind, key.agency, key.period) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  async ledger(filter: LedgerFilter = {}): Promise<Allocation[]> {
    const conds: string[] = [];
    const params: unknown[] = [];
    for (const k of ['kind', 'agency', 'period', 'state'] as const) {
      if (filter[k] !== undefined) {
        conds.push(`${k} = ?`);
        params.push(filter[k]);
      }
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const rows = this.#db.prepare(`SELECT * FROM ${this.#t.ledger} ${where} ORDER BY kind, agency, period, value`).all(...params) as LedgerRow[];
    return rows.map(toAllocation);
  }

  async history(key: SequenceKey, value: number): Promise<LedgerEvent[]> {
    checkKey(key);
    const rows = this.#db
      .prepare(`SELECT * FROM ${this.#t.events} WHERE kind = ? AND agency = ? AND period = ? AND value = ? ORDER BY id`)
      .all(key.kind, key.agency, key.period, value) as Array<Omit<LedgerEvent, 'at'> & { at: number }>;
    return rows.map((r) => ({
      kind: r.kind,
      agency: r.agency,
      period: r.period,
      value: r.value,
      state: r.state,
      actor: r.actor,
      at: new Date(r.at),
      reason: r.reason,
    }));
  }

  /** SQLite's own consistency check plus ours (ledger matches counters); `['ok']` when healthy. */
  integrityCheck(): string[] {
    const out = (this.#db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const { counters, ledger } = this.#t;
    const bad = this.#db
      .prepare(
        `SELECT c.kind, c.agency, c.period, c.value, COUNT(l.value) AS n, MIN(l.value) AS lo, MAX(l.value) AS hi
         FROM ${counters} c LEFT JOIN ${ledger} l ON l.kind = c.kind AND l.agency = c.agency AND l.period = c.period
         GROUP BY c.kind, c.agency, c.period HAVING n <> c.value OR (n > 0 AND (lo <> 1 OR hi <> c.value))`,
      )
      .all() as Array<Record<string, unknown>>;
    for (const b of bad) out.push(`ledger/counter mismatch: ${JSON.stringify(b)}`);
    return out.length === 1 && out[0] === 'ok' ? out : out.filter((s) => s !== 'ok');
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
