import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeAllocator, CodeCatalog, SqliteSequenceStore } from '../../src/codes/index.js';
import { runWorker, tempDir } from './helpers.js';
import { expectCode } from './store-contract.js';

describe('CodeAllocator', () => {
  const dataDir = tempDir();
  let store: SqliteSequenceStore;
  let now = new Date('2024-02-02T03:00:00Z');
  let codes: CodeAllocator;
  beforeAll(async () => {
    store = await SqliteSequenceStore.open({ dataDir });
    codes = new CodeAllocator({ store, clock: () => now, actor: 'officer' });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rolls case codes over at midnight Vietnam time, in a process under any TZ', async () => {
    const instants = ['2024-02-01T16:59:58Z', '2024-02-01T16:59:59Z', '2024-02-01T17:00:00Z', '2024-02-01T17:00:01Z', '2024-02-02T16:59:59.999Z', '2024-02-02T17:00:00Z'];
    const expected = ['H55.242-240201-0001', 'H55.242-240201-0002', 'H55.242-240202-0001', 'H55.242-240202-0002', 'H55.242-240202-0003', 'H55.242-240203-0001'];
    for (const TZ of ['America/Los_Angeles', 'Asia/Ho_Chi_Minh']) {
      const dir = tempDir();
      try {
        const r = await runWorker({ mode: 'case', backend: 'sqlite', dataDir: dir, agency: 'H55.242', instants }, { TZ });
        expect(r.lines.filter((l) => l.startsWith('C ')).map((l) => l.slice(2)), TZ).toEqual(expected);
        // The child really ran under that zone: its local clock read the first instant differently.
        expect(r.lines.find((l) => l.startsWith('L '))).toContain(TZ === 'Asia/Ho_Chi_Minh' ? 'Feb 01 2024 23:59:58' : 'Feb 01 2024 08:59:58');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 60_000);

  it('numbers case codes per agency per day and confirms or voids them by code', async () => {
    now = new Date('2024-03-10T02:00:00Z');
    const a = await codes.caseCodes('000.00.00.H56', { count: 3 });
    expect(a.map((c) => c.code)).toEqual(['000.00.00.H56-240310-0001', '000.00.00.H56-240310-0002', '000.00.00.H56-240310-0003']);
    expect((await codes.caseCodes('G12.18'))[0]!.code).toBe('G12.18-240310-0001');
    expect((await codes.confirmCaseCode(a[0]!.code)).state).toBe('confirmed');
    expect((await codes.voidCaseCode(a[1]!.code, { reason: 'duplicate submission' })).state).toBe('voided');
    await expectCode(codes.confirmCaseCode('000.00.00.H56-240310-0009'), 'CODE_NOT_FOUND');
    await expectCode(codes.caseCodes('not an agency'), 'CODE_INVALID');
    // Retried request (same key) after midnight: same code, not a new one.
    now = new Date('2024-03-10T16:59:00Z');
    const first = await codes.caseCodes('H55.242', { idempotencyKey: 'web-req-42' });
    now = new Date('2024-03-10T17:01:00Z');
    const retry = await codes.caseCodes('H55.242', { idempotencyKey: 'web-req-42' });
    expect(retry[0]!.code).toBe(first[0]!.code);
    expect(retry[0]!.code).toBe('H55.242-240310-0001');
  });

  it('stops at 9999 case codes a day instead of writing a five-digit number', async () => {
    now = new Date('2024-04-01T02:00:00Z');
    await codes.caseCodes('H99.1', { count: 9998 });
    expect((await codes.caseCodes('H99.1'))[0]!.code).toBe('H99.1-240401-9999');
    await expectCode(codes.caseCodes('H99.1'), 'CODE_STATE');
    now = new Date('2024-04-01T17:00:00Z');
    expect((await codes.caseCodes('H99.1'))[0]!.code).toBe('H99.1-240402-0001');
  });

  it('numbers certifications per agency per Vietnam year, across books', async () => {
    now = new Date('2024-12-31T16:00:00Z'); // 23:00 on 31 Dec in Vietnam
    const a = await codes.certNumbers('000.00.00.H56', 1, { count: 2 });
    const b = await codes.certNumbers('000.00.00.H56', 2, { confirm: true });
    expect([...a, ...b].map((c) => c.line)).toEqual([
      'Số chứng thực: 1  Quyển số: 01/2024-SCTĐT/BS',
      'Số chứng thực: 2  Quyển số: 01/2024-SCTĐT/BS',
      'Số chứng thực: 3  Quyển số: 02/2024-SCTĐT/BS',
    ]);
    now = new Date('2024-12-31T17:00:00Z'); // new year in Vietnam, still 2024 in UTC
    const c = await codes.certNumbers('000.00.00.H56', 1);
    expect(c[0]!.line).toBe('Số chứng thực: 1  Quyển số: 01/2025-SCTĐT/BS');
    expect((await codes.voidCertNumber('000.00.00.H56', 2024, 2, { reason: 'spoilt' })).state).toBe('voided');
    expect((await codes.confirmCertNumber('000.00.00.H56', 2024, 1)).book).toBe(1);
    await expectCode(codes.certNumbers('000.00.00.H56', 0), 'CODE_INVALID');
  });

  it('follows a configured certification format', async () => {
    const custom = new CodeAllocator({ store, clock: () => now, certNumberFormat: { bookType: 'SCT/BS' } });
    const [n] = await custom.certNumbers('H55.242', 3);
    expect(n!.line).toBe('Số chứng thực: 1  Quyển số: 03/2025-SCT/BS');
  });

  it('issues each result code once', async () => {
    now = new Date('2024-02-01T20:00:00Z'); // 2 Feb 2024, 03:00 in Vietnam
    const r = await codes.resultCode({ owner: '052090000495', type: 'G15.000021' }, { idempotencyKey: 'copy-1' });
    expect(r.code).toBe('052090000495.KQ.G15.000021.02022024'); // suffix = Vietnam issue date
    expect((await codes.resultCode({ owner: '052090000495', type: 'G15.000021' }, { idempotencyKey: 'copy-1' })).code).toBe(r.code);
    await expectCode(codes.resultCode({ owner: '052090000495', type: 'G15.000021' }), 'CODE_STATE');
    expect((await codes.resultCode({ owner: '052090000495', type: 'G15.000021', suffix: '02022024-2' })).code).toBe('052090000495.KQ.G15.000021.02022024-2');
    expect((await codes.resultCode({ owner: '00000000000', type: 'G01.000023' })).code).toBe('00000000000.KQ.G01.000023');
    expect((await codes.confirmResultCode(r.code)).state).toBe('confirmed');
    await expectCode(codes.voidResultCode(r.code), 'CODE_STATE');
    await expectCode(codes.resultCode({ owner: 'abc', type: 'G15.000021' }), 'CODE_INVALID');
    const catalog = new CodeCatalog().addResultType({ code: 'G15.000099', name: 'Thử', suffixTemplate: '{yyyy}{mm}' });
    const custom = new CodeAllocator({ store, clock: () => now, catalog });
    expect((await custom.resultCode({ owner: '0101234567-001', type: 'G15.000099' })).code).toBe('0101234567-001.KQ.G15.000099.202402');
  });
});
