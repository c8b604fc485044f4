/**
 * Entry of the SQLite audit writer thread (built to dist/audit-writer.js).
 * Appends arrive as messages; everything that arrived while the previous
 * commit was syncing to disk goes into the next transaction (group commit),
 * and each append is answered only after its commit. The fsync thus never
 * blocks the server's event loop, and a response still never leaves before
 * its record is durable.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH, type AuditEntry, type AuditRecord } from '../audit.js';

export interface AuditThreadData {
  file: string;
}
export type AuditThreadRequest = { id: number; entry: AuditEntry } | { id: number; entries: AuditEntry[] } | { close: true };
export type AuditThreadReply = { id: number; record: AuditRecord } | { id: number; records: AuditRecord[] } | { id: number; error: string } | { closed: true };

const port = parentPort!;
const db = new Database((workerData as AuditThreadData).file, { timeout: 15_000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const lastAudit = db.prepare('SELECT seq, hash FROM kyso_audit ORDER BY seq DESC LIMIT 1');
const insertAudit = db.prepare('INSERT INTO kyso_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');

const append = db.transaction((entries: AuditEntry[]): AuditRecord[] => {
  const last = lastAudit.get() as { seq: number; hash: string } | undefined;
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const out: AuditRecord[] = [];
  for (const e of entries) {
    seq += 1;
    const hash = auditHash(seq, e, prevHash);
    insertAudit.run(seq, e.time, e.keyId, e.identity, e.operation, e.inputSha256, e.outputSha256, e.code, e.field, e.result, e.status, prevHash, hash);
    out.push({ ...e, seq, prevHash, hash });
    prevHash = hash;
  }
  return out;
});

let queue: ({ id: number; entry: AuditEntry } | { id: number; entries: AuditEntry[] })[] = [];
let closing = false;

function flush(): void {
  const batch = queue;
  queue = [];
  if (batch.length > 0) {
    try {
      // IMMEDIATE: another process on the same file waits instead of forking the chain.
      const records = append.immediate(batch.flatMap((b) => ('entry' in b ? [b.entry] : b.entries)));
      let at = 0;
      for (const b of batch) {
        if ('entry' in b) port.postMessage({ id: b.id, record: records[at++]! } satisfies AuditThreadReply);
        else {
          port.postMessage({ id: b.id, records: records.slice(at, at + b.entries.length) } satisfies AuditThreadReply);
          at += b.entries.length;
        }
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      for (const b of batch) port.postMessage({ id: b.id, error: message } satisfies AuditThreadReply);
    }
  }
  if (closing) {
    db.close();
    port.postMessage({ closed: true } satisfies AuditThreadReply);
    port.close();
  }
}

port.on('message', (m: AuditThreadRequest) => {
  if ('close' in m) closing = true;
  else queue.push(m);
  if (queue.length === 1 || closing) setImmediate(flush);
});
