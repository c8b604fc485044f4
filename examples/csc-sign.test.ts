import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/csc-sign.ts', () => {
  it('logs in over CSC, authorizes once, signs three PDFs remotely; each valid, one audit record per hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-csc-'));
    try {
      const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'csc-sign.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: '' } });
      expect(out).toMatch(/^credential: test, SCAL 1, multisign 100, chain of 3 certificates$/m);
      expect(out).toMatch(/^signed: 3 documents, 0 signatures left on the authorization$/m);
      for (const i of [1, 2, 3]) expect(out).toMatch(new RegExp(`^verified ${i}: valid, signed by .+$`, 'm'));
      expect(out).toMatch(/^audit: 1 login, 1 authorize, 3 signHash records$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
