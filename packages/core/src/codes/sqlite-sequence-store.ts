import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { codeError } from './code-error.js';
import { isKysoError } from '../errors.js';
import { storeFailed } from './sequence-store.js';
import { bindNamed, SqlSequenceStore, type SequenceSql, type SqlEngine, type SqlParams, type SqlSession } from './sql-sequence-store.js';

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
  readonly reader: boolean;
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
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

const PREFIX = /^[a-z_][a-z0-9_]{0,30}$/;

/** The statements SQLite writes its own way: INTEGER values and millisecond times, a recursive CTE for a range of values. */
function sqliteSql(prefix: string): SequenceSql {
  const t = { meta: `${prefix}meta`, counters: `${prefix}counters`, ledger: `${prefix}ledger`, events: `${prefix}events`, pending: `${prefix}pending` };
  const range = 'WITH RECURSIVE s(v) AS (SELECT :first UNION ALL SELECT v + 1 FROM s WHERE v < :last)';
  return {
    tables: t,
    prelude: [],
    schemaV1: `
      CREATE TABLE ${t.counters} (
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0),
        PRIMARY KEY (kind, agency, period)
      ) WITHOUT ROWID;
      CREATE TABLE ${t.ledger} (
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 1),
        state TEXT NOT NULL CHECK (state IN ('reserved', 'confirmed', 'voided')),
        actor TEXT NOT NULL,
        idem_key TEXT, idem_index INTEGER, note TEXT,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (kind, agency, period, value)
      );
      CREATE UNIQUE INDEX ${t.ledger}_idem ON ${t.ledger} (kind, idem_key, idem_index) WHERE idem_key IS NOT NULL;
      CREATE TABLE ${t.events} (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL, value INTEGER NOT NULL,
        state TEXT NOT NULL, actor TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT
      );
      CREATE INDEX ${t.events}_value ON ${t.events} (kind, agency, period, value);
    `,
    schemaV2: `
      CREATE TABLE ${t.pending} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        first_value INTEGER NOT NULL, last_value INTEGER NOT NULL,
        idem_key TEXT, ref TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL
      );
      CREATE INDEX ${t.pending}_ref ON ${t.pending} (ref);
      CREATE INDEX ${t.pending}_created ON ${t.pending} (created_at);
    `,
    insertLedger: `${range}
      INSERT INTO ${t.ledger} (kind, agency, period, value, state, actor, idem_key, idem_index, note, created_at, updated_at)
      SELECT :kind, :agency, :period, v, :state, :actor, :idem, CASE WHEN :idem IS NULL THEN NULL ELSE v - :first END, :note, :at, :at FROM s
      RETURNING *`,
    insertEvents: `${range}
      INSERT INTO ${t.events} (kind, agency, period, value, state, actor, at, reason)
      SELECT :kind, :agency, :period, v, :state, :actor, :at, NULL FROM s`,
    // BEGIN IMMEDIATE already holds the database's write lock.
    lockRow: '',
    time: (d) => d.getTime(),
  };
}

/**
 * One connection, used by one operation at a time: better-sqlite3 is
 * synchronous, so an operation never waits on I/O, but a transaction spans
 * the core's awaits and must not interleave with another on the connection.
 */
class SqliteEngine implements SqlEngine {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly #session: SqlSession;

  constructor(db: Database) {
    this.#db = db;
    this.#session = {
      rows: async <R>(sql: string, params: SqlParams = {}) => {
        const { text, values } = bindNamed(sql, params, 'question');
        return this.#statement(text).all(...values) as R[];
      },
      run: async (sql: string, params: SqlParams = {}) => {
        const { text, values } = bindNamed(sql, params, 'question');
        const st = this.#statement(text);
        if (st.reader) st.all(...values);
        else st.run(...values);
      },
      script: async (sql: string) => {
        this.#db.exec(sql);
      },
    };
  }

  #statement(text: string): Statement {
    let st = this.#statements.get(text);
    if (!st) {
      st = this.#db.prepare(text);
      this.#statements.set(text, st);
    }
    return st;
  }

  #serial<R>(fn: () => Promise<R>): Promise<R> {
    this.#pending++;
    const run = this.#queue.then(fn, fn).finally(() => this.#pending--);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  transaction<R>(fn: (s: SqlSession) => Promise<R>): Promise<R> {
    return this.#serial(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.#session);
        this.#db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  read<R>(fn: (s: SqlSession) => Promise<R>): Promise<R> {
    return this.#serial(() => fn(this.#session));
  }

  retryable(): boolean {
    return false;
  }

  uniqueViolation(): boolean {
    return false;
  }

  /** At once when the connection is idle, else after the operations under way. */
  close(): Promise<void> {
    const close = async () => {
      if (this.#db.open) this.#db.close();
    };
    if (this.#pending === 0) return close();
    return this.#serial(close);
  }
}

export class SqliteSequenceStore extends SqlSequenceStore {
  readonly file: string;
  readonly #db: Database;
  readonly #t: { counters: string; ledger: string };

  private constructor(db: Database, file: string, prefix: string) {
    const sql = sqliteSql(prefix);
    super(new SqliteEngine(db), sql);
    this.#db = db;
    this.file = file;
    this.#t = sql.tables;
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
      await store.migrate();
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
}
