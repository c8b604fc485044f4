import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/server-ops.ts', () => {
  it('reads /metrics and /readyz with an ops key or on the operations listener, and refuses two Authorization headers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-ops-'));
    try {
      const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'server-ops.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: '' } });
      expect(out).toMatch(/^anonymous \/readyz: \{"status":"ready"\}$/m);
      expect(out).toMatch(/^ops key \/readyz: signers test=ok$/m);
      expect(out).toMatch(/^\/metrics without a key: 401$/m);
      expect(out).toMatch(/^\/metrics with the ops key: 200$/m);
      expect(out).toMatch(/^\/metrics on the operations listener: 200$/m);
      expect(out).toMatch(/^two Authorization headers: 400 AUTH_AMBIGUOUS$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
