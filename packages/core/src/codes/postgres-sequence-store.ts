import { codeError } from './code-error.js';
import { isKysoError } from '../errors.js';
import { storeFailed } from './sequence-store.js';
import { bindNamed, SqlSequenceStore, type SequenceSql, type SqlEngine, type SqlParams, type SqlSession } from './sql-sequence-store.js';

/**
 * A `SequenceStore` in PostgreSQL, for deployments where several machines hand
 * out numbers from the same counters.
 *
 * Each allocation is one transaction: `INSERT ... ON CONFLICT ... DO UPDATE ...
 * RETURNING` on the counter row (which takes its row lock until commit, so
 * concurrent allocators queue on that row only), then the ledger rows. A
 * retried request with the same idempotency key that races the first one hits
 * the unique index, rolls back (counter included) and reads the first one's
 * values. `pg` is an optional peer dependency, loaded on first open.
 *
 * @example
 * const store = await PostgresSequenceStore.open({ connectionString: process.env.DATABASE_URL });
 * const [n] = await store.allocate({ kind: 'cert', agency: '000.00.00.H56', period: '2024' }, { confirm: true });
 * await store.close();
 */
export interface PostgresSequenceStoreOptions {
  /** Default: `process.env.DATABASE_URL`. */
  connectionString?: string;
  /** Schema for the tables (created if missing). Default `public`. */
  schema?: string;
  /** Prefix for table names (default `kyso_`). */
  tablePrefix?: string;
  /** Pool size (default 10). */
  maxConnections?: number;
}

/** The part of `pg` we use (kept local so @kyso/core's types do not need it). */
interface QueryResult<R> {
  rows: R[];
}
interface Client {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  release(err?: Error | boolean): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
interface Pool {
  connect(): Promise<Client>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'connect', listener: (client: Client) => void): unknown;
}
type PoolCtor = new (config: { connectionString: string; max?: number }) => Pool;

let poolPromise: Promise<PoolCtor> | undefined;

async function loadDriver(): Promise<PoolCtor> {
  poolPromise ??= (async () => {
    try {
      const mod = (await import('pg')) as unknown as { default?: { Pool: PoolCtor }; Pool?: PoolCtor };
      const Pool = mod.Pool ?? mod.default?.Pool;
      if (!Pool) throw new Error('pg has no Pool export');
      return Pool;
    } catch (e) {
      poolPromise = undefined;
      throw codeError('CODE_STORE_FAILED', 'PostgresSequenceStore needs the optional package pg (npm install pg)', 'PostgresSequenceStore cần gói tùy chọn pg (npm install pg)', {
        cause: e,
      });
    }
  })();
  return poolPromise;
}

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;
const PREFIX = /^[a-z_][a-z0-9_]{0,20}$|^$/;

/** Errors worth retrying the whole transaction for. */
const RETRY = new Set(['40001', '40P01']);
const UNIQUE_VIOLATION = '23505';

const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;

/** The statements PostgreSQL writes its own way: BIGINT values and TIMESTAMPTZ times, generate_series, a row lock, the migration lock. */
function postgresSql(schema: string, prefix: string): SequenceSql {
  const q = (name: string) => `"${schema}"."${prefix}${name}"`;
  const t = { meta: q('meta'), counters: q('counters'), ledger: q('ledger'), events: q('events'), pending: q('pending') };
  const range = 'generate_series(:first::bigint, :last::bigint) AS v';
  return {
    tables: t,
    prelude: [
      // One migrator at a time, whatever the number of processes opening the store (schema and prefix are checked identifiers).
      `SELECT pg_advisory_xact_lock(hashtext('kyso-sequences:${schema}:${prefix}'))`,
      `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
    ],
    schemaV1: `
      CREATE TABLE ${t.counters} (
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        value BIGINT NOT NULL CHECK (value >= 0),
        PRIMARY KEY (kind, agency, period)
      );
      CREATE TABLE ${t.ledger} (
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        value BIGINT NOT NULL CHECK (value >= 1),
        state TEXT NOT NULL CHECK (state IN ('reserved', 'confirmed', 'voided')),
        actor TEXT NOT NULL,
        idem_key TEXT, idem_index INTEGER, note TEXT,
        created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (kind, agency, period, value)
      );
      CREATE UNIQUE INDEX "${prefix}ledger_idem" ON ${t.ledger} (kind, idem_key, idem_index) WHERE idem_key IS NOT NULL;
      CREATE TABLE ${t.events} (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL, value BIGINT NOT NULL,
        state TEXT NOT NULL, actor TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, reason TEXT
      );
      CREATE INDEX "${prefix}events_value" ON ${t.events} (kind, agency, period, value);
    `,
    schemaV2: `
      CREATE TABLE ${t.pending} (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
        first_value BIGINT NOT NULL, last_value BIGINT NOT NULL,
        idem_key TEXT, ref TEXT NOT NULL, data TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX "${prefix}pending_ref" ON ${t.pending} (ref);
      CREATE INDEX "${prefix}pending_created" ON ${t.pending} (created_at);
    `,
    insertLedger: `INSERT INTO ${t.ledger} (kind, agency, period, value, state, actor, idem_key, idem_index, note, created_at, updated_at)
      SELECT :kind, :agency, :period, v, :state, :actor, :idem::text, CASE WHEN :idem::text IS NULL THEN NULL ELSE v - :first::bigint END, :note, :at, :at
      FROM ${range}
      RETURNING *`,
    insertEvents: `INSERT INTO ${t.events} (kind, agency, period, value, state, actor, at)
      SELECT :kind, :agency, :period, v, :state, :actor, :at FROM ${range}`,
    lockRow: ' FOR UPDATE',
    time: (d) => d,
  };
}

/** A pool of connections: each transaction on a client of its own, reads on any. */
class PostgresEngine implements SqlEngine {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  #session(c: Pick<Client, 'query'>): SqlSession {
    return {
      rows: async <R>(sql: string, params: SqlParams = {}) => {
        const { text, values } = bindNamed(sql, params, 'dollar');
        return (await c.query<R>(text, values)).rows;
      },
      run: async (sql: string, params: SqlParams = {}) => {
        const { text, values } = bindNamed(sql, params, 'dollar');
        await c.query(text, values);
      },
      script: async (sql: string) => {
        await c.query(sql);
      },
    };
  }

  async transaction<R>(fn: (s: SqlSession) => Promise<R>): Promise<R> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const out = await fn(this.#session(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  read<R>(fn: (s: SqlSession) => Promise<R>): Promise<R> {
    return fn(this.#session(this.#pool));
  }

  retryable(e: unknown): boolean {
    const code = pgCode(e);
    return code !== undefined && RETRY.has(code);
  }

  uniqueViolation(e: unknown): boolean {
    return pgCode(e) === UNIQUE_VIOLATION;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export class PostgresSequenceStore extends SqlSequenceStore {
  readonly schema: string;
  readonly #pool: Pool;
  readonly #t: { meta: string; counters: string; ledger: string; events: string; pending: string };

  private constructor(pool: Pool, schema: string, prefix: string) {
    const sql = postgresSql(schema, prefix);
    super(new PostgresEngine(pool), sql);
    this.#pool = pool;
    this.schema = schema;
    this.#t = sql.tables;
  }

  /** Connects, then creates or migrates the tables. Throws CODE_STORE_FAILED. */
  static async open(options: PostgresSequenceStoreOptions = {}): Promise<PostgresSequenceStore> {
    const schema = options.schema ?? 'public';
    const prefix = options.tablePrefix ?? 'kyso_';
    if (!IDENT.test(schema) || !PREFIX.test(prefix)) {
      throw codeError('CODE_INVALID', `Bad schema "${schema}" or table prefix "${prefix}"`, `Tên lược đồ "${schema}" hoặc tiền tố bảng "${prefix}" không hợp lệ`);
    }
    const connectionString = options.connectionString ?? process.env.DATABASE_URL;
    if (!connectionString) {
      throw codeError(
        'CODE_STORE_FAILED',
        'PostgresSequenceStore needs a connection string (option or DATABASE_URL)',
        'PostgresSequenceStore cần chuỗi kết nối (tham số hoặc biến môi trường DATABASE_URL)',
      );
    }
    const Pool = await loadDriver();
    const pool = new Pool({ connectionString, max: options.maxConnections ?? 10 });
    pool.on('error', () => {
      /* an idle client died; the pool replaces it, queries report their own errors */
    });
    // A client checked out of the pool has no listener of the pool's: a server restart (57P01) or a dropped connection
    // would be an unhandled 'error' event that ends the process. The query in flight rejects with it anyway.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const store = new PostgresSequenceStore(pool, schema, prefix);
    try {
      await store.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (isKysoError(e)) throw e;
      throw storeFailed(`connecting to PostgreSQL (${redact(connectionString)})`, e);
    }
    return store;
  }

  /** Drops this store's tables (and the schema if it is not `public`): for tests and teardown. */
  async drop(): Promise<void> {
    const { meta, counters, ledger, events, pending } = this.#t;
    try {
      if (this.schema === 'public') await this.#pool.query(`DROP TABLE IF EXISTS ${pending}, ${events}, ${ledger}, ${counters}, ${meta}`);
      else await this.#pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } catch (e) {
      throw storeFailed('drop', e);
    }
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
