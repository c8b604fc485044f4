import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/codes.ts', () => {
  it('runs, prints the three codes, and a rerun (same requests) gets the same ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-codes-'));
    try {
      const run = () =>
        execFileSync('node', ['--import', 'tsx', join(__dirname, 'codes.ts'), dir], {
          encoding: 'utf8',
          cwd: join(__dirname, '..'),
          env: { ...process.env, DATABASE_URL: '', TZ: 'America/Los_Angeles' },
        });
      const out = run();
      expect(out).toContain('case code: 000.00.00.H56-240202-0001\n');
      expect(out).toContain('  agency 000.00.00.H56, received 2/2/2024, no. 1\n');
      expect(out).toContain('statement: Số chứng thực: 1  Quyển số: 02/2024-SCTĐT/BS\n');
      expect(out).toContain('result code: 052090000495.KQ.G15.000021.02022024\n');
      expect(out).toContain('display: 052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính\n');
      expect(out).toContain('owner: registered in Bình Định, male, born 1990\n');
      expect(out).toMatch(/second issue refused: CODE_STATE: Mã kết quả 052090000495\.KQ\.G15\.000021\.02022024 đã được cấp/);
      expect(out).toContain('ledger: case 000.00.00.H56 20240202 #1 confirmed by nguyen.van.a\n');
      expect(out).toContain('ledger: cert 000.00.00.H56 2024 #1 confirmed by nguyen.van.a\n');
      expect(out).toContain('ledger: result 052090000495 G15.000021.02022024 #1 confirmed by nguyen.van.a\n');
      // Same idempotency keys: the retried "requests" get the same codes, nothing new is handed out.
      const again = run();
      expect(again).toContain('case code: 000.00.00.H56-240202-0001\n');
      expect(again).toContain('statement: Số chứng thực: 1  Quyển số: 02/2024-SCTĐT/BS\n');
      expect(again.match(/^ledger:/gm)).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
