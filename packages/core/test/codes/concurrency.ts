import { expect } from 'vitest';
import type { SequenceKey, SequenceStore } from '../../src/codes/index.js';
import { BATCH_CYCLE, printedValues, runWorker, startWorker, until } from './helpers.js';

export const WORKERS = 8;
export const PER_WORKER = 5000;
export const VOID_EVERY = 97;

/**
 * 8 processes × 5,000 values on one counter, single allocations interleaved
 * with batches, each process voiding the values it got that are multiples of
 * VOID_EVERY. Then: no duplicate, no gap, voids exactly the intended ones, and
 * the ledger names the process that printed each value.
 */
export async function manyProcesses(backend: Record<string, unknown>, key: SequenceKey, store: () => SequenceStore): Promise<void> {
  const results = await Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      runWorker({ ...backend, mode: 'alloc', key, total: PER_WORKER, batch: BATCH_CYCLE, voidEvery: VOID_EVERY, actor: `w${i}` }),
    ),
  );
  const owner = new Map<number, string>();
  for (const [i, r] of results.entries()) {
    expect(r.lines.at(-1)).toBe('DONE');
    const values = printedValues(r.lines);
    expect(values).toHaveLength(PER_WORKER);
    for (const v of values) {
      expect(owner.has(v), `value ${v} handed out twice`).toBe(false);
      owner.set(v, `w${i}`);
    }
  }
  const total = WORKERS * PER_WORKER;
  expect(owner.size).toBe(total);
  expect(Math.min(...owner.keys())).toBe(1);
  expect(Math.max(...owner.keys())).toBe(total); // distinct, from 1, max = count: no gap
  const ledger = await store().ledger(key);
  expect(ledger).toHaveLength(total);
  expect(await store().current(key)).toBe(total);
  let voided = 0;
  for (const [i, row] of ledger.entries()) {
    expect(row.value).toBe(i + 1);
    expect(row.actor).toBe(owner.get(row.value));
    expect(row.state).toBe(row.value % VOID_EVERY === 0 ? 'voided' : 'reserved');
    if (row.state === 'voided') voided++;
  }
  expect(voided).toBe(Math.floor(total / VOID_EVERY));
}

/**
 * Two processes allocate; one is killed with SIGKILL mid-run. Every value it
 * printed must be in the ledger, and the counter must continue with no
 * duplicate and no gap.
 */
export async function killMidRun(backend: Record<string, unknown>, key: SequenceKey, store: () => SequenceStore): Promise<number[]> {
  const victim = startWorker({ ...backend, mode: 'alloc', key, total: 1_000_000, batch: 1, actor: 'victim' });
  const survivor = runWorker({ ...backend, mode: 'alloc', key, total: 1500, batch: [1, 2], actor: 'survivor' });
  await until(() => victim.lines.length >= 400 + Math.floor(Math.random() * 400));
  victim.child.kill('SIGKILL');
  const killed = await victim.done;
  expect(killed.signal).toBe('SIGKILL');
  const printed = printedValues(killed.lines);
  const other = printedValues((await survivor).lines);
  expect(printed.length).toBeGreaterThanOrEqual(400);
  const ledger = await store().ledger(key);
  const byValue = new Map(ledger.map((r) => [r.value, r]));
  for (const v of printed) expect(byValue.get(v)?.actor, `printed value ${v} missing from the ledger`).toBe('victim');
  for (const v of other) expect(byValue.get(v)?.actor).toBe('survivor');
  // Ledger is exactly 1..current: nothing torn, nothing lost, nothing doubled.
  const current = await store().current(key);
  expect(ledger.map((r) => r.value)).toEqual(Array.from({ length: current }, (_, i) => i + 1));
  // The victim may have committed one value it did not get to print: that one
  // is in the ledger (reserved, to be voided by an operator), never reused.
  expect(current - printed.length - other.length).toBeGreaterThanOrEqual(0);
  expect(current - printed.length - other.length).toBeLessThanOrEqual(1);
  const [next] = await store().allocate(key, { actor: 'after' });
  expect(next!.value).toBe(current + 1);
  return printed;
}

/** Several processes send the same request (one idempotency key) at once: all get the same values. */
export async function idempotentAcrossProcesses(backend: Record<string, unknown>, key: SequenceKey, store: () => SequenceStore): Promise<void> {
  const before = await store().current(key);
  const results = await Promise.all(
    Array.from({ length: 4 }, () => runWorker({ ...backend, mode: 'alloc', key, total: 3, batch: 3, idempotencyKey: `retry-${key.period}` })),
  );
  const seen = results.map((r) => printedValues(r.lines).join(','));
  expect(new Set(seen).size).toBe(1);
  expect(seen[0]).toBe([before + 1, before + 2, before + 3].join(','));
  expect(await store().current(key)).toBe(before + 3);
}
