import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeAllocator, SqliteSequenceStore, withReservedCodes } from '../../src/codes/index.js';
import { tempDir } from './helpers.js';

describe('withReservedCodes', () => {
  const dataDir = tempDir();
  let store: SqliteSequenceStore;
  let codes: CodeAllocator;
  const AGENCY = '000.00.00.H56';
  const key = { kind: 'cert', agency: AGENCY, period: '2024' };
  beforeAll(async () => {
    store = await SqliteSequenceStore.open({ dataDir });
    codes = new CodeAllocator({ store, clock: () => new Date('2024-02-02T03:00:00Z'), actor: 'test' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const failing = (idempotencyKey: string, options: { onFailure?: 'keep' | 'void' } = {}) =>
    withReservedCodes(codes, { what: 'test', ...options }, async (reserve) => {
      await reserve.certNumber(AGENCY, 1, { idempotencyKey });
      throw new Error('the work failed');
    });

  it('keeps the codes of failed work reserved by default, and the retry with the same key confirms them', async () => {
    await expect(failing('k1')).rejects.toThrow('the work failed');
    expect((await store.get(key, 1))?.state).toBe('reserved');
    const n = await withReservedCodes(codes, {}, async (reserve) => (await reserve.certNumber(AGENCY, 1, { idempotencyKey: 'k1' })).number);
    expect(n).toBe(1);
    expect((await store.history(key, 1)).map((h) => h.state)).toEqual(['reserved', 'confirmed']);
  });

  it("voids them with onFailure: 'void', with the failure as the reason, and refuses the retry", async () => {
    await expect(failing('k2', { onFailure: 'void' })).rejects.toThrow('the work failed');
    expect((await store.history(key, 2)).map((h) => [h.state, h.reason])).toEqual([
      ['reserved', null],
      ['voided', 'test failed: the work failed'],
    ]);
    await expect(withReservedCodes(codes, {}, (reserve) => reserve.certNumber(AGENCY, 1, { idempotencyKey: 'k2' }))).rejects.toMatchObject({ code: 'CODE_STATE' });
  });

  it('resultCodeIfFree answers null, reserving nothing, for a code another request holds; other refusals are thrown', async () => {
    const parts = { owner: '052090000495', type: 'G15.000021', suffix: '02022024' };
    const first = await withReservedCodes(codes, {}, (reserve) => reserve.resultCodeIfFree(parts, { idempotencyKey: 'r1' }));
    expect(first?.code).toBe('052090000495.KQ.G15.000021.02022024');
    const second = await withReservedCodes(codes, {}, (reserve) => reserve.resultCodeIfFree(parts, { idempotencyKey: 'r2' }));
    expect(second).toBeNull();
    // The same key again is its own code, not a taken one.
    expect((await withReservedCodes(codes, {}, (reserve) => reserve.resultCodeIfFree(parts, { idempotencyKey: 'r1' })))?.code).toBe(first?.code);
    // The key of one code asked for another suffix replays its first code (the first request wins), not null.
    expect((await withReservedCodes(codes, {}, (reserve) => reserve.resultCodeIfFree({ ...parts, suffix: '03022024' }, { idempotencyKey: 'r1' })))?.code).toBe(first?.code);
    // An owner's code refused for another reason than "taken" is thrown.
    await expect(withReservedCodes(codes, {}, (reserve) => reserve.resultCodeIfFree({ ...parts, owner: '12ab' }, { idempotencyKey: 'r3' }))).rejects.toMatchObject({ code: 'CODE_INVALID' });
    expect((await store.ledger({ kind: 'result' })).map((r) => [r.note, r.state])).toEqual([['052090000495.KQ.G15.000021.02022024', 'confirmed']]);
  });

  it('passes a pending note through to the store with every code reserved, and none on a replay', async () => {
    const pending = { ref: 'request-p1', data: JSON.stringify({ operation: 'certified-copy' }) };
    const reserve = async () =>
      withReservedCodes(codes, {}, async (r) => {
        const cert = await r.certNumber(AGENCY, 1, { idempotencyKey: 'p1#cert', pending });
        const result = await r.resultCodeIfFree({ owner: '001090000001', type: 'G15.000021', suffix: 'p1' }, { idempotencyKey: 'p1#result', pending });
        return { cert, result: result! };
      });
    const first = await reserve();
    const notes = await store.listPending({ ref: 'request-p1' });
    expect(notes.map((n) => [n.kind, n.first, n.data])).toEqual([
      ['cert', first.cert.number, pending.data],
      ['result', 1, pending.data],
    ]);
    // The retry with the same keys gets the same codes and writes no note.
    const again = await reserve();
    expect(again.result.code).toBe(first.result.code);
    expect(await store.listPending({ ref: 'request-p1' })).toHaveLength(2);
    // The allocator's own methods take it too.
    await codes.caseCodes('H55.242', { count: 2, pending: { ref: 'request-p2', data: 'x' } });
    expect((await store.listPending({ ref: 'request-p2' })).map((n) => [n.kind, n.first, n.last])).toEqual([['case', 1, 2]]);
    expect(await store.clearPending({ ref: 'request-p1' })).toBe(2);
    expect(await store.clearPending({ ref: 'request-p2' })).toBe(1);
  });
});
