import { randomUUID } from 'node:crypto';
import { buildCaseCode } from '@kyso/core';
import type { PendingEntry, PendingNote, SequenceStore } from '@kyso/core/codes';
import type { AuditEntry } from '../audit.js';
import type { ServerStore } from './server-store.js';

/**
 * The audit outbox: a code saved by an instance killed before it answered
 * still gets its audit record.
 *
 * The codes (core's SequenceStore) and the audit log (ServerStore) are two
 * databases, so one transaction cannot hold both. A request that allocates
 * passes a pending note with the allocation (`AllocateOptions.pending`,
 * written in the allocation's own transaction): the audit record it would
 * write if it were cut short. Once its own record is appended, the request
 * clears its notes (by its `requestId`, the note's ref). Notes left behind are
 * those of requests that died between the two: `AuditOutbox.reconcile` (at
 * start and then periodically) appends an `INTERRUPTED` record for each such
 * request, unless the log already has one for it, and clears them. A killed
 * instance thus leaves either both the code and its record, or (killed before
 * allocating) neither.
 */

/** What a pending note holds: the audit record of a request that allocated, as far as it is known before the work. */
export interface PendingAudit {
  /** ISO time the request allocated. */
  time: string;
  keyId: string | null;
  identity: string | null;
  operation: string;
  /** The code, when known before allocating (usually not: the record then names what the ledger holds). */
  code: string | null;
  /** Unique per request (a UUID): the note's ref. */
  requestId: string;
}

/** The result of the record written for a request that never wrote its own. */
export const INTERRUPTED = 'INTERRUPTED';

/** A new request id (notes of one request share it). */
export function newRequestId(): string {
  return randomUUID();
}

/** The pending note for `AllocateOptions.pending` / `IssueOptions.pending` / `auditPending`. */
export function pendingAuditNote(p: PendingAudit): PendingNote {
  return { ref: p.requestId, data: JSON.stringify(p) };
}

/** At most this many values of one allocation are named in a recovered record. */
const MAX_VALUES = 100;

/** The codes of an allocation as the routes name them in audit records. */
async function codesOf(e: PendingEntry, sequences: SequenceStore): Promise<string[]> {
  const values: number[] = [];
  for (let v = e.first; v <= e.last && values.length < MAX_VALUES; v++) values.push(v);
  if (e.kind === 'result') {
    // A result code is its ledger row's note (the rendered code).
    const a = await sequences.get(e, e.first);
    return [a?.note ?? `${e.agency}.KQ.${e.period}`];
  }
  if (e.kind === 'cert') return values.map((v) => `${e.period}-${v}`);
  if (e.kind === 'case' && /^\d{8}$/.test(e.period)) {
    const date = { year: Number(e.period.slice(0, 4)), month: Number(e.period.slice(4, 6)), day: Number(e.period.slice(6, 8)) };
    try {
      return values.map((sequence) => buildCaseCode({ agency: e.agency, date, sequence }));
    } catch {
      /* not in the default format: named by its key below */
    }
  }
  return values.map((v) => `${e.kind}/${e.agency}/${e.period}/${v}`);
}

function parsePending(e: PendingEntry): PendingAudit {
  try {
    const p = JSON.parse(e.data) as Partial<PendingAudit>;
    const text = (x: unknown) => (typeof x === 'string' ? x : null);
    return {
      time: text(p.time) ?? e.createdAt.toISOString(),
      keyId: text(p.keyId),
      identity: text(p.identity),
      operation: text(p.operation) ?? 'unknown',
      code: text(p.code),
      requestId: text(p.requestId) ?? e.ref,
    };
  } catch {
    return { time: e.createdAt.toISOString(), keyId: null, identity: null, operation: 'unknown', code: null, requestId: e.ref };
  }
}

export interface AuditOutboxOptions {
  store: ServerStore;
  sequences: SequenceStore;
  /** Notes younger than this belong to requests that may still be running (here or on another instance) and are left alone. */
  graceMs: number;
  /** A request of this process still running: its notes are left alone whatever their age. */
  live?: (requestId: string) => boolean;
  /** One line per recovered request (no secrets: ids, operation, code). */
  log: (fields: Record<string, unknown>, message: string) => void;
  clock?: () => Date;
}

export class AuditOutbox {
  readonly #o: AuditOutboxOptions;
  #running: Promise<number> | undefined;

  constructor(options: AuditOutboxOptions) {
    this.#o = options;
  }

  /** One pass (a pass already under way is joined): returns how many requests got an INTERRUPTED record. */
  reconcile(): Promise<number> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Resolves when no pass is under way. */
  async idle(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  async #pass(): Promise<number> {
    const { sequences, store, graceMs, log } = this.#o;
    const now = (this.#o.clock ?? (() => new Date()))();
    const entries = await sequences.listPending({ olderThan: new Date(now.getTime() - graceMs), limit: 1000 });
    const byRequest = new Map<string, PendingEntry[]>();
    for (const e of entries) byRequest.set(e.ref, [...(byRequest.get(e.ref) ?? []), e]);
    let recovered = 0;
    for (const [ref, group] of byRequest) {
      if (this.#o.live?.(ref)) continue;
      try {
        const p = parsePending(group[0]!);
        const codes = p.code !== null ? [p.code] : (await Promise.all(group.map((e) => codesOf(e, sequences)))).flat();
        const code = codes.join(',').slice(0, 2000) || null;
        // The request's own record (it was appended but the notes not yet cleared), or one an earlier pass wrote.
        const candidates = await store.findAudit({ since: p.time, operation: p.operation, keyId: p.keyId });
        const found = candidates.some((r) => r.code !== null && (r.code === code || r.code.split(',').some((c) => codes.includes(c))));
        // Unless another instance's pass recorded and cleared it meanwhile (two passes at the same moment may both record it: an extra record, never a missing one).
        if (!found && (await sequences.listPending({ ref, limit: 1 })).length > 0) {
          const entry: AuditEntry = { time: p.time, keyId: p.keyId, identity: p.identity, operation: p.operation, inputSha256: null, outputSha256: null, code, field: null, result: INTERRUPTED, status: 0 };
          const rec = await store.appendAudit(entry);
          recovered++;
          log({ auditId: rec.seq, requestId: p.requestId, operation: p.operation, code, keyId: p.keyId, since: p.time }, 'audit record recovered for a request interrupted after it allocated');
        }
        await sequences.clearPending(group.map((e) => e.id));
      } catch (e) {
        // Left for the next pass.
        log({ requestId: ref, err: { message: (e as Error).message } }, 'audit recovery failed; retried on the next pass');
      }
    }
    return recovered;
  }
}
