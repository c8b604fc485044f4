import { Worker } from 'node:worker_threads';
import type { AuditEntry, AuditRecord } from '../audit.js';
import { builtEntry } from '../built-entry.js';
import type { AuditThreadData, AuditThreadReply, AuditThreadRequest } from './sqlite-audit-thread.js';

/** The main thread's side of the SQLite audit writer thread (see sqlite-audit-thread.ts). */
export class SqliteAuditWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: AuditRecord | AuditRecord[]) => void; reject: (e: Error) => void }>();
  #next = 0;
  #failed: Error | undefined;
  #closed: Promise<void> | undefined;

  constructor(file: string) {
    this.#worker = new Worker(builtEntry('audit-writer.js'), { workerData: { file } satisfies AuditThreadData });
    this.#worker.on('message', (m: AuditThreadReply) => {
      if ('closed' in m) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if ('error' in m) p.reject(new Error(`audit log write failed: ${m.error}`));
      else p.resolve('records' in m ? m.records : m.record);
    });
    const fail = (e: Error) => {
      this.#failed = e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    };
    this.#worker.on('error', (e) => fail(new Error(`audit writer thread failed: ${e.message}`)));
    this.#worker.on('exit', () => fail(new Error('audit writer thread stopped')));
    // Idle, it must not keep the process alive; with appends in flight it does.
    this.#worker.unref();
  }

  append(entry: AuditEntry): Promise<AuditRecord> {
    return this.#send({ entry }) as Promise<AuditRecord>;
  }

  /** Several records in one message and one transaction, in order (one per hash of a CSC signHash call). */
  appendMany(entries: AuditEntry[]): Promise<AuditRecord[]> {
    return this.#send({ entries }) as Promise<AuditRecord[]>;
  }

  #send(what: { entry: AuditEntry } | { entries: AuditEntry[] }): Promise<AuditRecord | AuditRecord[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, {
        resolve: (r) => {
          if (this.#pending.size === 0) this.#worker.unref();
          resolve(r);
        },
        reject,
      });
      this.#worker.postMessage({ id, ...what } satisfies AuditThreadRequest);
    });
  }

  /** Writes what is queued, then stops the thread. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#failed) return resolve();
      this.#worker.ref();
      this.#worker.once('exit', () => resolve());
      this.#worker.postMessage({ close: true } satisfies AuditThreadRequest);
    });
    return this.#closed;
  }
}
