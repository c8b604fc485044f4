import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/server-sign.ts', () => {
  it('starts the service, signs, verifies, takes a case code twice with one idempotency key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-server-'));
    try {
      const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'server-sign.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: '' } });
      expect(out).toMatch(/^signed: field Signature1, audit record 1$/m);
      expect(out).toMatch(/^verified: valid, signed by .+$/m);
      const m = /^case code: (\S+) \(retry: (\S+)\)$/m.exec(out);
      expect(m?.[1]).toMatch(/^000\.00\.00\.H56-\d{6}-0001$/);
      expect(m?.[2]).toBe(m?.[1]);
      expect(out).toMatch(/^audit chain: intact, 4 records$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
