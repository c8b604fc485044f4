import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatYYMMDD, vietnamDate } from '@kyso/core/codes';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';

// Runs the built CLI (pnpm --filter @kyso/core build && pnpm --filter @kyso/cli build).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function kyso(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function kysoAsync(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const lines = (r: Run) => r.stdout.split('\n').filter(Boolean);
// Today's Vietnam date, read before and after a call (a call may straddle midnight).
const today = () => formatYYMMDD(vietnamDate(new Date()));

let work: string;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm --filter @kyso/core build && pnpm --filter @kyso/cli build)`);
  work = mkdtempSync(join(tmpdir(), 'kyso-cli-code-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kyso code (SQLite)', () => {
  it('allocates case codes, one per line, continuing across runs', () => {
    const dir = join(work, 'case');
    const before = today();
    const a = kyso(['code', 'case', '--agency', 'H55.242', '--count', '3', '--data-dir', dir]);
    const b = kyso(['code', 'case', '--agency', 'H55.242', '--data-dir', dir]);
    expect([a.status, b.status], a.stderr + b.stderr).toEqual([0, 0]);
    const day = [before, today()];
    const got = [...lines(a), ...lines(b)];
    expect(got).toHaveLength(4);
    got.forEach((code, i) => {
      const m = /^H55\.242-(\d{6})-(\d{4})$/.exec(code);
      expect(m, code).not.toBeNull();
      expect(day).toContain(m![1]);
      if (before === today()) expect(Number(m![2])).toBe(i + 1);
    });
    expect(existsSync(join(dir, 'sequences.sqlite'))).toBe(true);
    const legacy = kyso(['code', 'case', '--agency', '000.00.00.H56', '--data-dir', dir]);
    expect(lines(legacy)[0]).toMatch(/^000\.00\.00\.H56-\d{6}-0001$/);
  });

  it('hands out distinct, gap-free case codes to concurrent CLI processes', async () => {
    const dir = join(work, 'concurrent');
    const runs = await Promise.all(Array.from({ length: 4 }, () => kysoAsync(['code', 'case', '--agency', 'G12.18', '--count', '25', '--data-dir', dir])));
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const seqs = runs.flatMap(lines).map((c) => Number(c.slice(-4)));
    if (new Set(runs.flatMap(lines).map((c) => c.slice(7, 13))).size === 1) {
      expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
  });

  it('allocates certification numbers per year across books', () => {
    const dir = join(work, 'cert');
    const year = vietnamDate(new Date()).year;
    const a = kyso(['code', 'cert-number', '--agency', '000.00.00.H56', '--book', '2', '--count', '2', '--data-dir', dir]);
    const b = kyso(['code', 'cert-number', '--agency', '000.00.00.H56', '--book', '3', '--data-dir', dir]);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect([...lines(a), ...lines(b)]).toEqual([
      `Số chứng thực: 1  Quyển số: 02/${year}-SCTĐT/BS`,
      `Số chứng thực: 2  Quyển số: 02/${year}-SCTĐT/BS`,
      `Số chứng thực: 3  Quyển số: 03/${year}-SCTĐT/BS`,
    ]);
  });

  it('issues a result code once; a retry with the same idempotency key gets the same code', () => {
    const dir = join(work, 'result');
    const args = ['code', 'result', '--owner', '052098000814', '--type', 'G02.000144', '--suffix', 'CS10387', '--data-dir', dir];
    const first = kyso([...args, '--idempotency-key', 'req-1', '--display']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('052098000814.KQ.G02.000144.CS10387.Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu\n');
    expect(kyso([...args, '--idempotency-key', 'req-1']).stdout).toBe('052098000814.KQ.G02.000144.CS10387\n');
    const dup = kyso(args);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain('CODE_STATE');
    const own = kyso(['code', 'result', '--owner', '00000000000', '--type', 'G01.000023', '--data-dir', dir]);
    expect(own.stdout).toBe('00000000000.KQ.G01.000023\n');
    const dated = kyso(['code', 'result', '--owner', '052090000495', '--type', 'G15.000021', '--data-dir', dir]);
    const d = vietnamDate(new Date());
    expect(dated.stdout.trim()).toMatch(/^052090000495\.KQ\.G15\.000021\.\d{8}$/);
    expect(dated.stdout.slice(-5, -1)).toBe(String(d.year));
  });

  it('parses every example code of the domain notes', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['052090000495.KQ.G15.000021.02022024', { kind: 'result', type: 'G15.000021', suffix: '02022024', name: 'Bản sao được chứng thực từ bản chính' }],
      ['052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính', { kind: 'result', code: '052090000495.KQ.G15.000021.02022024' }],
      ['00000000000.KQ.G01.000023', { kind: 'result', owner: '00000000000', name: 'Thẻ căn cước công dân' }],
      ['052098000814.KQ.G02.000144.CS10387', { kind: 'result', ministryName: 'Bộ Công Thương' }],
      ['205404812.KQ.G01.000005.CS10387', { kind: 'result', type: 'G01.000005', suffix: 'CS10387' }],
      ['000.00.00.H56-240202-0012', { kind: 'case', agency: '000.00.00.H56', sequence: 12, agencyFormat: 'legacy' }],
      ['H55.242-240202-0001', { kind: 'case', agency: 'H55.242', date: { year: 2024, month: 2, day: 2 } }],
      ['Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS', { kind: 'cert-number', number: 99, book: 2, year: 2024 }],
      ['02/2024-SCTĐT/BS', { kind: 'cert-book', book: 2, year: 2024 }],
      ['052090000495', { kind: 'owner', ownerKind: 'cccd', cccd: expect.objectContaining({ province: 'Bình Định', birthYear: 1990, sex: 'male' }) }],
      ['G12.18', { kind: 'agency', format: 'qd20' }],
    ];
    for (const [code, expected] of cases) {
      const r = kyso(['code', 'parse', code, '--json']);
      expect(r.status, `${code}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject(expected);
    }
    const human = kyso(['code', 'parse', '052090000495.KQ.G15.000021.02022024']);
    expect(human.stdout).toContain('ownerInfo.cccd.province: Bình Định');
  });

  it('reports bad input with exit codes: 1 for invalid codes, 64 for usage', () => {
    const bad = kyso(['code', 'parse', '052090000495.KQ.G15']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^kyso: /);
    const agency = kyso(['code', 'case', '--agency', 'H55-242', '--data-dir', join(work, 'bad')]);
    expect(agency.status).toBe(1);
    expect(agency.stderr).toContain('CODE_INVALID');
    expect(kyso(['code', 'case', '--agency', 'H55.242', '--count', 'x']).status).toBe(64);
    expect(kyso(['code', 'cert-number', '--agency', 'H55.242', '--book', '0']).status).toBe(64);
    expect(kyso(['code', 'case']).status).toBe(64);
    const owner = kyso(['code', 'result', '--owner', '12345', '--type', 'G15.000021', '--data-dir', join(work, 'bad')]);
    expect(owner.status).toBe(1);
    expect(owner.stderr).toContain('CODE_INVALID');
  });
});

describe('kyso code (PostgreSQL)', () => {
  let url: string;
  const schema = uniqueSchema('cli');
  let unreachable: unknown;
  beforeAll(async () => {
    url = await testDatabaseUrl().catch((e: unknown) => {
      unreachable = e;
      return '';
    });
  });
  beforeEach(() => {
    if (unreachable) throw unreachable; // fail, never skip, without PostgreSQL
  });
  afterAll(async () => {
    if (url) await dropSchema(url, schema);
  });

  it('allocates from PostgreSQL with --database-url or DATABASE_URL', () => {
    const a = kyso(['code', 'case', '--agency', 'H55.242', '--count', '2', '--database-url', url, '--db-schema', schema, '--data-dir', join(work, 'unused')]);
    expect(a.status, a.stderr).toBe(0);
    const b = kyso(['code', 'case', '--agency', 'H55.242', '--db-schema', schema, '--data-dir', join(work, 'unused')], { DATABASE_URL: url });
    expect(b.status, b.stderr).toBe(0);
    const seqs = [...lines(a), ...lines(b)].map((c) => Number(c.slice(-4)));
    if (new Set([...lines(a), ...lines(b)].map((c) => c.slice(8, 14))).size === 1) expect(seqs).toEqual([1, 2, 3]);
    expect(existsSync(join(work, 'unused'))).toBe(false);
  });

  it('fails clearly when the database is unreachable', () => {
    const r = kyso(['code', 'case', '--agency', 'H55.242', '--database-url', 'postgres://nobody@127.0.0.1:1/none']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('CODE_STORE_FAILED');
  });
});
