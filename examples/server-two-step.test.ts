import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/server-two-step.ts', () => {
  it('prepares on the server, signs on the client, completes on the server: valid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-two-step-'));
    try {
      const out = execFileSync('node', ['--import', 'tsx', join(__dirname, 'server-two-step.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: '' } });
      expect(out).toMatch(/^prepared: session \S{8}…, SHA-256$/m);
      expect(out).toMatch(/^verified: valid, signed by Nguyễn Văn Ánh$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
