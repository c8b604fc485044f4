import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openServerStore, verifyAuditChain } from '@kyso/server';
import { bearer, samplePdf, startTwoAgencies } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const CLI = resolve(ROOT, 'packages/cli/src/bin.ts');

function kysoAudit(dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['--import', 'tsx', CLI, 'audit', 'verify', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('audit hash chain (SQLite)', () => {
  it('verifies, and `kyso audit verify` finds an edited or deleted record', async () => {
    const t = await startTwoAgencies();
    try {
      for (let i = 0; i < 3; i++) await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh) }, body: samplePdf() });
      await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: samplePdf() });
    } finally {
      await t.server.close();
    }
    const store = await openServerStore({ dataDir: t.dataDir });
    expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: 4 });
    await store.close();

    const ok = kysoAudit(t.dataDir);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('4 records');

    const db = new Database(resolve(t.dataDir, 'server.sqlite'));
    db.prepare("UPDATE kyso_audit SET identity = 'ha-noi' WHERE seq = 2").run();
    db.close();
    const edited = kysoAudit(t.dataDir);
    expect(edited.status).toBe(1);
    expect(edited.stdout).toMatch(/BROKEN at record 2: record content does not match its hash/);

    const db2 = new Database(resolve(t.dataDir, 'server.sqlite'));
    db2.prepare("UPDATE kyso_audit SET identity = 'binh-dinh' WHERE seq = 2").run();
    db2.prepare('DELETE FROM kyso_audit WHERE seq = 3').run();
    db2.close();
    const deleted = kysoAudit(t.dataDir);
    expect(deleted.status).toBe(1);
    expect(deleted.stdout).toMatch(/BROKEN at record 4: expected record 3/);
  });
});
