import type { AuditEntry, AuditRecord } from '../audit.js';
import type { SignSessionRecord, SignSessionState } from '../two-step/sign-session.js';

export type { SignSessionRecord, SignSessionState } from '../two-step/sign-session.js';

/** An API key as stored: never the key itself, only its SHA-256. */
export interface ApiKeyRecord {
  id: string;
  /** Hex SHA-256 of the key. */
  sha256: string;
  /** Identity names this key may use. */
  identities: string[];
  /** Operations this key may perform (see `OPERATIONS`). */
  operations: string[];
  createdAt: string;
}

/**
 * The service's own storage (the code counters live in core's SequenceStore):
 * the audit log and the API keys. SQLite and PostgreSQL implement it; both
 * create their tables on open.
 */
export interface ServerStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Appends one record, chained to the last one, atomically. */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /** Several records appended in order, in one commit where the store can (else one appendAudit each). */
  appendAuditMany?(entries: AuditEntry[]): Promise<AuditRecord[]>;
  /** Records with seq > `after`, ascending, at most `limit`. */
  listAudit(options: { after?: number; limit: number }): Promise<AuditRecord[]>;
  /** Records of `operation` by `keyId` (null: none) with time >= `since` (ISO), ascending, at most `limit` (default 1,000). */
  findAudit(options: AuditQuery): Promise<AuditRecord[]>;
  putApiKey(key: ApiKeyRecord): Promise<void>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Two-step signing sessions (table kyso_sign_sessions). */
  putSignSession(session: SignSessionRecord): Promise<void>;
  getSignSession(id: string): Promise<SignSessionRecord | undefined>;
  /**
   * Moves a session out of `prepared` (to `completed` or `expired`) and drops
   * its PDF bytes, atomically; false if it was no longer `prepared`.
   */
  finishSignSession(id: string, state: Exclude<SignSessionState, 'prepared'>): Promise<boolean>;
  /** Deletes sessions that expired before `beforeMs`; returns how many. */
  purgeSignSessions(beforeMs: number): Promise<number>;
  /** Throws if the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditQuery {
  since: string;
  operation: string;
  keyId: string | null;
  limit?: number;
}

export const AUDIT_PAGE = 1000;
