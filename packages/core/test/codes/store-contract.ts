import { expect, it } from 'vitest';
import type { KysoError } from '../../src/errors.js';
import type { SequenceKey, SequenceStore } from '../../src/codes/index.js';

export async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<KysoError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect((e as KysoError).name).toBe('KysoError');
    expect((e as KysoError).code).toBe(code);
    expect((e as KysoError).messageVi).toBeTruthy();
    return e as KysoError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

let n = 0;
const freshKey = (kind = 'case'): SequenceKey => ({ kind, agency: 'H55.242', period: `2024${String(++n).padStart(4, '0')}` });

/** Behaviour every SequenceStore must have. `store()` returns the open store of the suite. */
export function storeContract(store: () => SequenceStore, reopen: () => Promise<SequenceStore>): void {
  it('starts at 1 and hands out consecutive values, reserved unless confirmed', async () => {
    const key = freshKey();
    const a = await store().allocate(key, { actor: 'alice' });
    expect(a.map((x) => [x.value, x.state, x.actor])).toEqual([[1, 'reserved', 'alice']]);
    const b = await store().allocate(key, { count: 3, confirm: true, actor: 'bob', note: 'n' });
    expect(b.map((x) => [x.value, x.state, x.note])).toEqual([
      [2, 'confirmed', 'n'],
      [3, 'confirmed', 'n'],
      [4, 'confirmed', 'n'],
    ]);
    expect(await store().current(key)).toBe(4);
    expect(await store().current({ ...key, agency: '000.00.00.H56' })).toBe(0);
    const other = await store().allocate({ ...key, kind: 'cert' });
    expect(other[0]!.value).toBe(1);
  });

  it('confirms and voids with a recorded history, and refuses impossible transitions', async () => {
    const key = freshKey();
    await store().allocate(key, { count: 3, actor: 'alice', at: new Date('2024-02-02T01:00:00Z') });
    expect((await store().confirm(key, 1, { actor: 'bob' })).state).toBe('confirmed');
    expect((await store().confirm(key, 1)).state).toBe('confirmed'); // idempotent
    expect((await store().void(key, 2, { actor: 'carol', reason: 'citizen left' })).state).toBe('voided');
    expect((await store().void(key, 2)).state).toBe('voided'); // idempotent
    await expectCode(store().void(key, 1), 'CODE_STATE');
    await expectCode(store().confirm(key, 2), 'CODE_STATE');
    await expectCode(store().confirm(key, 4), 'CODE_NOT_FOUND');
    await expectCode(store().void({ ...key, period: 'nope' }, 1), 'CODE_NOT_FOUND');
    const h = await store().history(key, 2);
    expect(h.map((e) => [e.state, e.actor, e.reason])).toEqual([
      ['reserved', 'alice', null],
      ['voided', 'carol', 'citizen left'],
    ]);
    expect(h[0]!.at.toISOString()).toBe('2024-02-02T01:00:00.000Z');
    const ledger = await store().ledger({ kind: key.kind, agency: key.agency, period: key.period });
    expect(ledger.map((r) => r.state)).toEqual(['confirmed', 'voided', 'reserved']);
    expect(await store().ledger({ ...key, state: 'voided' })).toHaveLength(1);
    expect((await store().get(key, 3))?.state).toBe('reserved');
    expect(await store().get(key, 9)).toBeUndefined();
  });

  it('returns the same values for a repeated idempotency key', async () => {
    const key = freshKey();
    const first = await store().allocate(key, { idempotencyKey: 'req-1', count: 2 });
    const again = await store().allocate(key, { idempotencyKey: 'req-1', count: 2 });
    expect(again.map((a) => a.value)).toEqual(first.map((a) => a.value));
    expect(await store().current(key)).toBe(2);
    // A retry after the period changed (e.g. past midnight) still gets the original values.
    const later = await store().allocate({ ...key, period: key.period + 'x' }, { idempotencyKey: 'req-1', count: 2 });
    expect(later.map((a) => [a.period, a.value])).toEqual(first.map((a) => [a.period, a.value]));
    await expectCode(store().allocate(key, { idempotencyKey: 'req-1', count: 3 }), 'CODE_STATE');
    await expectCode(store().allocate({ ...key, agency: 'G12.18' }, { idempotencyKey: 'req-1', count: 2 }), 'CODE_STATE');
    // Keys are per kind.
    expect((await store().allocate({ ...key, kind: 'other' }, { idempotencyKey: 'req-1' }))[0]!.value).toBe(1);
    expect((await store().allocate(key, { idempotencyKey: 'req-2' }))[0]!.value).toBe(3);
  });

  it('refuses to pass a maximum without handing anything out', async () => {
    const key = freshKey();
    await store().allocate(key, { count: 2, max: 3 });
    await expectCode(store().allocate(key, { count: 2, max: 3 }), 'CODE_STATE');
    expect(await store().current(key)).toBe(2);
    expect((await store().allocate(key, { max: 3 }))[0]!.value).toBe(3);
    await expectCode(store().allocate(key, { max: 3 }), 'CODE_STATE');
    expect(await store().ledger(key)).toHaveLength(3);
  });

  it('rejects bad keys, counts and values', async () => {
    await expectCode(store().allocate({ kind: 'Bad Kind', agency: 'a', period: 'p' }), 'CODE_INVALID');
    await expectCode(store().allocate({ kind: 'case', agency: '', period: 'p' }), 'CODE_INVALID');
    await expectCode(store().allocate(freshKey(), { count: 0 }), 'CODE_INVALID');
    await expectCode(store().allocate(freshKey(), { count: 1.5 }), 'CODE_INVALID');
    await expectCode(store().allocate(freshKey(), { count: 10_001 }), 'CODE_INVALID');
    await expectCode(store().confirm(freshKey(), 0), 'CODE_INVALID');
  });

  it('keeps everything across close and reopen (migration is idempotent)', async () => {
    const key = freshKey();
    await store().allocate(key, { count: 5 });
    const again = await reopen();
    try {
      expect(await again.current(key)).toBe(5);
      expect((await again.allocate(key))[0]!.value).toBe(6);
    } finally {
      await again.close();
    }
  });

  it('writes a pending note in the allocation\'s transaction, none on an idempotent replay, and lists and clears them', async () => {
    const key = freshKey('result');
    const ref = `req-${key.period}`;
    const t0 = new Date();
    const first = await store().allocate(key, { idempotencyKey: `${ref}-idem`, count: 2, actor: 'alice', pending: { ref, data: '{"operation":"sign"}' } });
    // The retry of the same request (a new ref, as a new request id would be) finds the values and writes no second note.
    const replay = await store().allocate(key, { idempotencyKey: `${ref}-idem`, count: 2, pending: { ref: `${ref}-retry`, data: '{}' } });
    expect(replay.map((a) => a.value)).toEqual(first.map((a) => a.value));
    expect(await store().listPending({ ref: `${ref}-retry` })).toEqual([]);
    const [note, ...more] = await store().listPending({ ref });
    expect(more).toEqual([]);
    expect(note).toMatchObject({ kind: key.kind, agency: key.agency, period: key.period, first: 1, last: 2, idempotencyKey: `${ref}-idem`, ref, data: '{"operation":"sign"}' });
    expect(note!.id).toBeTypeOf('number');
    expect(note!.createdAt.getTime()).toBeGreaterThanOrEqual(t0.getTime() - 1000);
    // A second allocation of the same work: one note each, oldest first; without an idempotency key the note has none.
    await store().allocate(key, { pending: { ref, data: 'second' } });
    const both = await store().listPending({ ref });
    expect(both.map((p) => [p.first, p.last, p.idempotencyKey, p.data])).toEqual([
      [1, 2, `${ref}-idem`, '{"operation":"sign"}'],
      [3, 3, null, 'second'],
    ]);
    expect(both[0]!.id).toBeLessThan(both[1]!.id);
    expect((await store().listPending({ limit: 100_000 })).filter((p) => p.ref === ref)).toHaveLength(2);
    expect(await store().listPending({ ref, limit: 1 })).toHaveLength(1);
    // olderThan leaves out notes written since.
    expect(await store().listPending({ ref, olderThan: new Date(t0.getTime() - 60_000) })).toEqual([]);
    expect(await store().listPending({ ref, olderThan: new Date(Date.now() + 60_000) })).toHaveLength(2);
    // Cleared by id, then by ref; clearing again removes nothing.
    expect(await store().clearPending([both[0]!.id])).toBe(1);
    expect((await store().listPending({ ref })).map((p) => p.data)).toEqual(['second']);
    expect(await store().clearPending({ ref })).toBe(1);
    expect(await store().clearPending({ ref })).toBe(0);
    expect(await store().clearPending([both[0]!.id, both[1]!.id])).toBe(0);
    expect(await store().clearPending([])).toBe(0);
    // The values themselves are untouched.
    expect(await store().current(key)).toBe(3);
  });

  it('writes no pending note when the allocation fails, and refuses a bad note before allocating', async () => {
    const key = freshKey();
    const ref = `fail-${key.period}`;
    await store().allocate(key, { max: 1, pending: { ref, data: 'one' } });
    await expectCode(store().allocate(key, { max: 1, pending: { ref, data: 'two' } }), 'CODE_STATE');
    expect((await store().listPending({ ref })).map((p) => p.data)).toEqual(['one']);
    await expectCode(store().allocate(key, { pending: { ref: '', data: 'x' } }), 'CODE_INVALID');
    await expectCode(store().allocate(key, { pending: { ref, data: 'x'.repeat(64 * 1024 + 1) } }), 'CODE_INVALID');
    await expectCode(store().clearPending([0]), 'CODE_INVALID');
    await expectCode(store().listPending({ limit: 0 }), 'CODE_INVALID');
    expect(await store().current(key)).toBe(1);
    await store().clearPending({ ref });
  });

  it('keeps pending notes across close and reopen', async () => {
    const key = freshKey('cert');
    const ref = `reopen-${key.period}`;
    await store().allocate(key, { count: 3, pending: { ref, data: '{"a":"ễ"}' } });
    const again = await reopen();
    try {
      const notes = await again.listPending({ ref });
      expect(notes.map((p) => [p.first, p.last, p.data])).toEqual([[1, 3, '{"a":"ễ"}']]);
      expect(await again.clearPending(notes.map((p) => p.id))).toBe(1);
    } finally {
      await again.close();
    }
    expect(await store().listPending({ ref })).toEqual([]);
  });
}
