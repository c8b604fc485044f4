import { PostgresServerStore } from './postgres-server-store.js';
import type { ServerStore } from './server-store.js';
import { SqliteServerStore } from './sqlite-server-store.js';
import { AuditChainVerifier, type ChainCheck } from '../audit.js';
import { AUDIT_PAGE } from './server-store.js';

export interface StoreLocation {
  /** PostgreSQL when set. */
  databaseUrl?: string;
  /** PostgreSQL schema (default public). */
  schema?: string;
  /** SQLite directory otherwise. */
  dataDir: string;
}

export async function openServerStore(loc: StoreLocation): Promise<ServerStore> {
  if (loc.databaseUrl) return PostgresServerStore.open(loc.databaseUrl, loc.schema ?? 'public');
  return SqliteServerStore.open(loc.dataDir);
}

/** Reads the whole audit log page by page and checks its hash chain. */
export async function verifyAuditChain(store: ServerStore): Promise<ChainCheck> {
  const v = new AuditChainVerifier();
  let after = 0;
  for (;;) {
    const page = await store.listAudit({ after, limit: AUDIT_PAGE });
    for (const r of page) if (!v.add(r)) return v.result();
    if (page.length < AUDIT_PAGE) return v.result();
    after = page[page.length - 1]!.seq;
  }
}
