import { PostgresSequenceStore } from './postgres-sequence-store.js';
import type { SequenceStore } from './sequence-store.js';
import { SqliteSequenceStore } from './sqlite-sequence-store.js';

/**
 * Opens the configured store: PostgreSQL when a database URL is given,
 * otherwise the SQLite file in `dataDir` (the default).
 *
 * @example
 * const store = await openSequenceStore({ databaseUrl: process.env.DATABASE_URL, dataDir: './kyso-data' });
 */
export interface OpenSequenceStoreOptions {
  /** `postgres://...`; when set, PostgreSQL is used. */
  databaseUrl?: string;
  /** SQLite data directory (default `./kyso-data`). */
  dataDir?: string;
  /** PostgreSQL schema (default `public`). */
  schema?: string;
}

export async function openSequenceStore(options: OpenSequenceStoreOptions = {}): Promise<SequenceStore> {
  if (options.databaseUrl) {
    return PostgresSequenceStore.open({ connectionString: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) });
  }
  return SqliteSequenceStore.open({ dataDir: options.dataDir ?? './kyso-data' });
}
