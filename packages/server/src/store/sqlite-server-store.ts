import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry, AuditRecord } from '../audit.js';
import { SqliteAuditWriter } from './sqlite-audit-writer.js';
import type { ApiKeyRecord, AuditQuery, ServerStore, SignSessionRecord, SignSessionState } from './server-store.js';
import { rowToSession, sessionToRow, SIGN_SESSION_COLUMNS, type SignSessionRow } from '../two-step/session-row.js';

interface AuditRow {
  seq: number;
  time: string;
  key_id: string | null;
  identity: string | null;
  operation: string;
  input_sha256: string | null;
  output_sha256: string | null;
  code: string | null;
  field: string | null;
  result: string;
  status: number;
  prev_hash: string;
  hash: string;
}

export function rowToRecord(r: AuditRow): AuditRecord {
  return {
    seq: Number(r.seq),
    time: r.time,
    keyId: r.key_id,
    identity: r.identity,
    operation: r.operation,
    inputSha256: r.input_sha256,
    outputSha256: r.output_sha256,
    code: r.code,
    field: r.field,
    result: r.result,
    status: Number(r.status),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The server store in `<dataDir>/server.sqlite` (WAL, synchronous FULL). */
export class SqliteServerStore implements ServerStore {
  readonly backend = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #file: string;
  #writer: SqliteAuditWriter | undefined;

  private constructor(db: Database.Database, file: string) {
    this.#db = db;
    this.#file = file;
  }

  static fileIn(dataDir: string): string {
    return resolve(dataDir, 'server.sqlite');
  }

  static open(dataDir: string): SqliteServerStore {
    const file = SqliteServerStore.fileIn(dataDir);
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file, { timeout: 15_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`
      CREATE TABLE IF NOT EXISTS kyso_audit (
        seq INTEGER PRIMARY KEY, time TEXT NOT NULL, key_id TEXT, identity TEXT, operation TEXT NOT NULL,
        input_sha256 TEXT, output_sha256 TEXT, code TEXT, field TEXT, result TEXT NOT NULL, status INTEGER NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS kyso_audit_time ON kyso_audit (time);
      CREATE TABLE IF NOT EXISTS kyso_api_keys (
        id TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, identities TEXT NOT NULL, operations TEXT NOT NULL, created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kyso_sign_sessions (
        id TEXT PRIMARY KEY, key_id TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, expires_at INTEGER NOT NULL,
        digest TEXT NOT NULL, scheme TEXT NOT NULL, certificates TEXT NOT NULL, field_name TEXT NOT NULL, byte_range TEXT NOT NULL,
        contents_offset INTEGER NOT NULL, contents_capacity INTEGER NOT NULL, document_digest BLOB NOT NULL, to_be_signed BLOB NOT NULL,
        original BLOB, update_bytes BLOB
      );
      CREATE INDEX IF NOT EXISTS kyso_sign_sessions_expires ON kyso_sign_sessions (expires_at);
    `);
    return new SqliteServerStore(db, file);
  }

  /** Appends go through a writer thread (group commit off the event loop); see sqlite-audit-thread.ts. */
  appendAudit(e: AuditEntry): Promise<AuditRecord> {
    this.#writer ??= new SqliteAuditWriter(this.#file);
    return this.#writer.append(e);
  }

  appendAuditMany(entries: AuditEntry[]): Promise<AuditRecord[]> {
    this.#writer ??= new SqliteAuditWriter(this.#file);
    return this.#writer.appendMany(entries);
  }

  async listAudit(o: { after?: number; limit: number }): Promise<AuditRecord[]> {
    const rows = this.#db.prepare('SELECT * FROM kyso_audit WHERE seq > ? ORDER BY seq LIMIT ?').all(o.after ?? 0, o.limit) as AuditRow[];
    return rows.map(rowToRecord);
  }

  async findAudit(q: AuditQuery): Promise<AuditRecord[]> {
    const rows = this.#db
      .prepare('SELECT * FROM kyso_audit WHERE time >= ? AND operation = ? AND key_id IS ? ORDER BY seq LIMIT ?')
      .all(q.since, q.operation, q.keyId, q.limit ?? 1000) as AuditRow[];
    return rows.map(rowToRecord);
  }

  async putApiKey(k: ApiKeyRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO kyso_api_keys VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, identities = excluded.identities, operations = excluded.operations`,
      )
      .run(k.id, k.sha256, JSON.stringify(k.identities), JSON.stringify(k.operations), k.createdAt);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = this.#db.prepare('SELECT * FROM kyso_api_keys ORDER BY id').all() as { id: string; sha256: string; identities: string; operations: string; created_at: string }[];
    return rows.map((r) => ({ id: r.id, sha256: r.sha256, identities: JSON.parse(r.identities) as string[], operations: JSON.parse(r.operations) as string[], createdAt: r.created_at }));
  }

  async putSignSession(session: SignSessionRecord): Promise<void> {
    this.#db.prepare(`INSERT INTO kyso_sign_sessions (${SIGN_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...sessionToRow(session));
  }

  async getSignSession(id: string): Promise<SignSessionRecord | undefined> {
    const row = this.#db.prepare(`SELECT ${SIGN_SESSION_COLUMNS} FROM kyso_sign_sessions WHERE id = ?`).get(id) as SignSessionRow | undefined;
    return row ? rowToSession(row) : undefined;
  }

  async finishSignSession(id: string, state: Exclude<SignSessionState, 'prepared'>): Promise<boolean> {
    const r = this.#db.prepare(`UPDATE kyso_sign_sessions SET state = ?, original = NULL, update_bytes = NULL WHERE id = ? AND state = 'prepared'`).run(state, id);
    return r.changes === 1;
  }

  async purgeSignSessions(beforeMs: number): Promise<number> {
    return this.#db.prepare('DELETE FROM kyso_sign_sessions WHERE expires_at < ?').run(beforeMs).changes;
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.#writer?.close();
    if (this.#db.open) this.#db.close();
  }
}
