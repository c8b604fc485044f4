import pg from 'pg';
import { auditHash, GENESIS_HASH, type AuditEntry, type AuditRecord } from '../audit.js';
import { rowToRecord } from './sqlite-server-store.js';
import type { ApiKeyRecord, AuditQuery, ServerStore, SignSessionRecord, SignSessionState } from './server-store.js';
import { rowToSession, sessionToRow, SIGN_SESSION_COLUMNS, type SignSessionRow } from '../two-step/session-row.js';

const SCHEMA = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;

/** The server store in PostgreSQL (`DATABASE_URL`), tables in `schema` (default public). */
export class PostgresServerStore implements ServerStore {
  readonly backend = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #s: string;
  readonly #queue: { e: AuditEntry; resolve: (r: AuditRecord) => void; reject: (e: unknown) => void }[] = [];
  #writing = false;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#s = `"${schema}"`;
  }

  static async open(connectionString: string, schema = 'public'): Promise<PostgresServerStore> {
    if (!SCHEMA.test(schema)) throw new Error(`bad PostgreSQL schema name "${schema}"`);
    const pool = new pg.Pool({ connectionString, max: 10 });
    pool.on('error', () => {
      /* an idle client died; the pool replaces it */
    });
    // A checked-out client has no listener of the pool's: a server restart (57P01) or a dropped connection would be an
    // unhandled 'error' event that ends the process. The query in flight rejects with it anyway.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const store = new PostgresServerStore(pool, schema);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kyso-server:${schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${store.#s}`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${store.#s}.kyso_audit (
          seq BIGINT PRIMARY KEY, time TEXT NOT NULL, key_id TEXT, identity TEXT, operation TEXT NOT NULL,
          input_sha256 TEXT, output_sha256 TEXT, code TEXT, field TEXT, result TEXT NOT NULL, status INTEGER NOT NULL,
          prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS kyso_audit_time ON ${store.#s}.kyso_audit (time);
        CREATE TABLE IF NOT EXISTS ${store.#s}.kyso_api_keys (
          id TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, identities TEXT NOT NULL, operations TEXT NOT NULL, created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${store.#s}.kyso_sign_sessions (
          id TEXT PRIMARY KEY, key_id TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, expires_at BIGINT NOT NULL,
          digest TEXT NOT NULL, scheme TEXT NOT NULL, certificates TEXT NOT NULL, field_name TEXT NOT NULL, byte_range TEXT NOT NULL,
          contents_offset BIGINT NOT NULL, contents_capacity BIGINT NOT NULL, document_digest BYTEA NOT NULL, to_be_signed BYTEA NOT NULL,
          original BYTEA, update_bytes BYTEA
        );
        CREATE INDEX IF NOT EXISTS kyso_sign_sessions_expires ON ${store.#s}.kyso_sign_sessions (expires_at);`);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
      await pool.end().catch(() => undefined);
      throw e;
    }
    c.release();
    return store;
  }

  /**
   * Group commit: appends that arrive while a batch is being written go into
   * the next batch, one transaction under the cross-process advisory lock
   * each. Every caller's promise settles after its batch committed, so a
   * response never leaves before its record is durable; under load the lock
   * is taken once per batch instead of once per request.
   */
  appendAudit(e: AuditEntry): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ e, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, 500);
        try {
          const records = await this.#appendMany(batch.map((b) => b.e));
          batch.forEach((b, i) => b.resolve(records[i]!));
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  async #appendMany(entries: AuditEntry[]): Promise<AuditRecord[]> {
    const c = await this.#pool.connect();
    try {
      await c.query('BEGIN');
      // One appender at a time across every process sharing the database.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`kyso-audit:${this.#s}`]);
      const last = await c.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.#s}.kyso_audit ORDER BY seq DESC LIMIT 1`);
      let seq = Number(last.rows[0]?.seq ?? 0);
      let prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
      const records: AuditRecord[] = [];
      const values: unknown[] = [];
      const rows: string[] = [];
      for (const e of entries) {
        seq += 1;
        const hash = auditHash(seq, e, prevHash);
        const row = [seq, e.time, e.keyId, e.identity, e.operation, e.inputSha256, e.outputSha256, e.code, e.field, e.result, e.status, prevHash, hash];
        rows.push(`(${row.map((_, i) => `$${values.length + i + 1}`).join(', ')})`);
        values.push(...row);
        records.push({ ...e, seq, prevHash, hash });
        prevHash = hash;
      }
      await c.query(`INSERT INTO ${this.#s}.kyso_audit VALUES ${rows.join(', ')}`, values);
      await c.query('COMMIT');
      return records;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async listAudit(o: { after?: number; limit: number }): Promise<AuditRecord[]> {
    const r = await this.#pool.query(`SELECT * FROM ${this.#s}.kyso_audit WHERE seq > $1 ORDER BY seq LIMIT $2`, [o.after ?? 0, o.limit]);
    return r.rows.map(rowToRecord);
  }

  async findAudit(q: AuditQuery): Promise<AuditRecord[]> {
    const r = await this.#pool.query(
      `SELECT * FROM ${this.#s}.kyso_audit WHERE time >= $1 AND operation = $2 AND key_id IS NOT DISTINCT FROM $3::text ORDER BY seq LIMIT $4`,
      [q.since, q.operation, q.keyId, q.limit ?? 1000],
    );
    return r.rows.map(rowToRecord);
  }

  async putApiKey(k: ApiKeyRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.kyso_api_keys VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET sha256 = EXCLUDED.sha256, identities = EXCLUDED.identities, operations = EXCLUDED.operations`,
      [k.id, k.sha256, JSON.stringify(k.identities), JSON.stringify(k.operations), k.createdAt],
    );
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const r = await this.#pool.query<{ id: string; sha256: string; identities: string; operations: string; created_at: string }>(`SELECT * FROM ${this.#s}.kyso_api_keys ORDER BY id`);
    return r.rows.map((x) => ({ id: x.id, sha256: x.sha256, identities: JSON.parse(x.identities) as string[], operations: JSON.parse(x.operations) as string[], createdAt: x.created_at }));
  }

  async putSignSession(session: SignSessionRecord): Promise<void> {
    await this.#pool.query(`INSERT INTO ${this.#s}.kyso_sign_sessions (${SIGN_SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, sessionToRow(session));
  }

  async getSignSession(id: string): Promise<SignSessionRecord | undefined> {
    const r = await this.#pool.query<SignSessionRow>(`SELECT ${SIGN_SESSION_COLUMNS} FROM ${this.#s}.kyso_sign_sessions WHERE id = $1`, [id]);
    return r.rows[0] ? rowToSession(r.rows[0]) : undefined;
  }

  async finishSignSession(id: string, state: Exclude<SignSessionState, 'prepared'>): Promise<boolean> {
    const r = await this.#pool.query(`UPDATE ${this.#s}.kyso_sign_sessions SET state = $1, original = NULL, update_bytes = NULL WHERE id = $2 AND state = 'prepared'`, [state, id]);
    return r.rowCount === 1;
  }

  async purgeSignSessions(beforeMs: number): Promise<number> {
    const r = await this.#pool.query(`DELETE FROM ${this.#s}.kyso_sign_sessions WHERE expires_at < $1`, [beforeMs]);
    return r.rowCount ?? 0;
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    // Appends already accepted are written (or fail) before the connections go.
    while (this.#writing || this.#queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.#pool.end();
  }
}
