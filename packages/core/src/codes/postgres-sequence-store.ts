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
}
interface Pool {
  connect(): Promise<Client>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
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

interface LedgerRow {
  kind: string;
  agency: string;
  period: string;
  value: string | number;
  state: AllocationState;
  actor: string;
  idem_key: string | null;
  note: string | null;
  created_at: Date;
  updated_at: Date;
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

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;
const PREFIX = /^[a-z_][a-z0-9_]{0,20}$|^$/;

/** Errors worth retrying the whole transaction for. */
const RETRY = new Set(['40001', '40P01']);
const UNIQUE_VIOLATION = '23505';

const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined;

export class PostgresSequenceStore implements SequenceStore {
  readonly schema: string;
  readonly #pool: Pool;
  readonly #t: { meta: string; counters: string; ledger: string; events: string };

  private constructor(pool: Pool, schema: string, prefix: string) {
    this.#pool = pool;
    this.schema = schema;
    const q = (name: string) => `"${schema}"."${prefix}${name}"`;
    this.#t = { meta: q('meta'), counters: q('counters'), ledger: q('ledger'), events: q('events') };
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
    const store = new PostgresSequenceStore(pool, schema, prefix);
    try {
      await store.#migrate(prefix);
    } catch (e) {
      await pool.end().catch(() => undefined);
      if (isKysoError(e)) throw e;
      throw storeFailed(`connecting to PostgreSQL (${redact(connectionString)})`, e);
    }
    return store;
  }

  async #migrate(prefix: string): Promise<void> {
    const { meta, counters, ledger, events } = this.#t;
    await this.#tx(async (c) => {
      // One migrator at a time, whatever the number of processes opening the store.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kyso-sequences:${this.schema}:${prefix}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const r = await c.query<{ value: string }>(`SELECT value FROM ${meta} WHERE key = 'schema_version'`);
      const version = r.rows[0] ? Number(r.rows[0].value) : 0;
      if (version > SEQUENCE_SCHEMA_VERSION) {
        throw codeError(
          'CODE_STORE_FAILED',
          `Sequence store schema ${version} is newer than this kyso (${SEQUENCE_SCHEMA_VERSION}); upgrade kyso`,
          `Lược đồ kho bộ đếm (${version}) mới hơn phiên bản kyso này (${SEQUENCE_SCHEMA_VERSION}); hãy nâng cấp kyso`,
        );
      }
      if (version < 1) {
        await c.query(`
          CREATE TABLE ${counters} (
            kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
            value BIGINT NOT NULL CHECK (value >= 0),
            PRIMARY KEY (kind, agency, period)
          );
          CREATE TABLE ${ledger} (
            kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL,
            value BIGINT NOT NULL CHECK (value >= 1),
            state TEXT NOT NULL CHECK (state IN ('reserved', 'confirmed', 'voided')),
            actor TEXT NOT NULL,
            idem_key TEXT, idem_index INTEGER, note TEXT,
            created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (kind, agency, period, value)
          );
          CREATE UNIQUE INDEX "${prefix}ledger_idem" ON ${ledger} (kind, idem_key, idem_index) WHERE idem_key IS NOT NULL;
          CREATE TABLE ${events} (
            id BIGSERIAL PRIMARY KEY,
            kind TEXT NOT NULL, agency TEXT NOT NULL, period TEXT NOT NULL, value BIGINT NOT NULL,
            state TEXT NOT NULL, actor TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, reason TEXT
          );
          CREATE INDEX "${prefix}events_value" ON ${events} (kind, agency, period, value);
        `);
      }
      await c.query(`INSERT INTO ${meta} (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [
        String(SEQUENCE_SCHEMA_VERSION),
      ]);
    });
  }

  /** Runs `fn` in a transaction, retrying on serialization failures and deadlocks. */
  async #tx<R>(fn: (c: Client) => Promise<R>, retryOn: (e: unknown) => boolean = () => false): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = pgCode(e);
        if (attempt < 5 && ((code !== undefined && RETRY.has(code)) || retryOn(e))) continue;
        throw e;
      } finally {
        client.release(broken);
      }
    }
  }

  async #run<R>(what: string, fn: (c: Client) => Promise<R>, retryOn?: (e: unknown) => boolean): Promise<R> {
    try {
      return await this.#tx(fn, retryOn);
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
    const at = options.at ?? new Date();
    const actor = options.actor ?? 'unknown';
    const idem = options.idempotencyKey ?? null;
    const state: AllocationState = options.confirm ? 'confirmed' : 'reserved';
    return this.#run(
      'allocate',
      async (c) => {
        if (idem !== null) {
          const r = await c.query<LedgerRow>(`SELECT * FROM ${ledger} WHERE kind = $1 AND idem_key = $2 ORDER BY idem_index`, [key.kind, idem]);
          if (r.rows.length > 0) return checkIdempotentReplay(r.rows.map(toAllocation), key, count, idem);
        }
        const up = await c.query<{ value: string }>(
          `INSERT INTO ${counters} (kind, agency, period, value) VALUES ($1, $2, $3, $4)
           ON CONFLICT (kind, agency, period) DO UPDATE SET value = ${counters}.value + EXCLUDED.value
           RETURNING value`,
          [key.kind, key.agency, key.period, count],
        );
        const last = Number(up.rows[0]!.value);
        const first = last - count + 1;
        if (options.max !== undefined && last > options.max) throw exhausted(key, options.max);
        const rows = await c.query<LedgerRow>(
          `INSERT INTO ${ledger} (kind, agency, period, value, state, actor, idem_key, idem_index, note, created_at, updated_at)
           SELECT $1, $2, $3, v, $4, $5, $6::text, CASE WHEN $6::text IS NULL THEN NULL ELSE v - $7::bigint END, $8, $9, $9
           FROM generate_series($7::bigint, $10::bigint) AS v
           RETURNING *`,
          [key.kind, key.agency, key.period, state, actor, idem, first, options.note ?? null, at, last],
        );
        await c.query(
          `INSERT INTO ${events} (kind, agency, period, value, state, actor, at)
           SELECT $1, $2, $3, v, $4, $5, $6 FROM generate_series($7::bigint, $8::bigint) AS v`,
          [key.kind, key.agency, key.period, state, actor, at, first, last],
        );
        return rows.rows.map(toAllocation).sort((a, b) => a.value - b.value);
      },
      // Two requests with one idempotency key raced: the loser retries and reads the winner's values.
      (e) => idem !== null && pgCode(e) === UNIQUE_VIOLATION,
    );
  }

  async #change(key: SequenceKey, value: number, to: 'confirmed' | 'voided', options: ChangeStateOptions): Promise<Allocation> {
    checkKey(key);
    checkValue(value);
    const { ledger, events } = this.#t;
    const at = options.at ?? new Date();
    const actor = options.actor ?? 'unknown';
    return this.#run(to === 'confirmed' ? 'confirm' : 'void', async (c) => {
      const where = `kind = $1 AND agency = $2 AND period = $3 AND value = $4`;
      const params = [key.kind, key.agency, key.period, value];
      const r = await c.query<LedgerRow>(`SELECT * FROM ${ledger} WHERE ${where} FOR UPDATE`, params);
      const row = r.rows[0];
      if (!row) throw notFound(key, value);
      const next = transition(key, value, row.state, to);
      if (next === null) return toAllocation(row);
      const u = await c.query<LedgerRow>(`UPDATE ${ledger} SET state = $5, updated_at = $6 WHERE ${where} RETURNING *`, [...params, next, at]);
      await c.query(`INSERT INTO ${events} (kind, agency, period, value, state, actor, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        ...params,
        next,
        actor,
        at,
        options.reason ?? null,
      ]);
      return toAllocation(u.rows[0]!);
    });
  }

  async confirm(key: SequenceKey, value: number, options: ChangeStateOptions = {}): Promise<Allocation> {
    return this.#change(key, value, 'confirmed', options);
  }

  async void(key: SequenceKey, value: number, options: ChangeStateOptions = {}): Promise<Allocation> {
    return this.#change(key, value, 'voided', options);
  }

  async #query<R>(what: string, sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, params)).rows;
    } catch (e) {
      throw storeFailed(what, e);
    }
  }

  async get(key: SequenceKey, value: number): Promise<Allocation | undefined> {
    checkKey(key);
    const rows = await this.#query<LedgerRow>('get', `SELECT * FROM ${this.#t.ledger} WHERE kind = $1 AND agency = $2 AND period = $3 AND value = $4`, [
      key.kind,
      key.agency,
      key.period,
      value,
    ]);
    return rows[0] ? toAllocation(rows[0]) : undefined;
  }

  async current(key: SequenceKey): Promise<number> {
    checkKey(key);
    const rows = await this.#query<{ value: string }>('current', `SELECT value FROM ${this.#t.counters} WHERE kind = $1 AND agency = $2 AND period = $3`, [
      key.kind,
      key.agency,
      key.period,
    ]);
    return rows[0] ? Number(rows[0].value) : 0;
  }

  async ledger(filter: LedgerFilter = {}): Promise<Allocation[]> {
    const conds: string[] = [];
    const params: unknown[] = [];
    for (const k of ['kind', 'agency', 'period', 'state'] as const) {
      if (filter[k] !== undefined) {
        params.push(filter[k]);
        conds.push(`${k} = $${params.length}`);
      }
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const rows = await this.#query<LedgerRow>('ledger', `SELECT * FROM ${this.#t.ledger} ${where} ORDER BY kind, agency, period, value`, params);
    return rows.map(toAllocation);
  }

  async history(key: SequenceKey, value: number): Promise<LedgerEvent[]> {
    checkKey(key);
    const rows = await this.#query<Omit<LedgerEvent, 'value'> & { value: string }>(
      'history',
      `SELECT kind, agency, period, value, state, actor, at, reason FROM ${this.#t.events}
       WHERE kind = $1 AND agency = $2 AND period = $3 AND value = $4 ORDER BY id`,
      [key.kind, key.agency, key.period, value],
    );
    return rows.map((r) => ({ ...r, value: Number(r.value), at: new Date(r.at) }));
  }

  /** Drops this store's tables (and the schema if it is not `public`): for tests and teardown. */
  async drop(): Promise<void> {
    const { meta, counters, ledger, events } = this.#t;
    if (this.schema === 'public') {
      await this.#query('drop', `DROP TABLE IF EXISTS ${events}, ${ledger}, ${counters}, ${meta}`, []);
    } else {
      await this.#query('drop', `DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`, []);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
