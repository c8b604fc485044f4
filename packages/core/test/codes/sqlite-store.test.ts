import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteSequenceStore } from '../../src/codes/index.js';
import { idempotentAcrossProcesses, killMidRun, manyProcesses } from './concurrency.js';
import { tempDir } from './helpers.js';
import { expectCode, storeContract } from './store-contract.js';

describe('SqliteSequenceStore', () => {
  const dataDir = tempDir();
  let store: SqliteSequenceStore;
  beforeAll(async () => {
    store = await SqliteSequenceStore.open({ dataDir });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  storeContract(
    () => store,
    () => SqliteSequenceStore.open({ dataDir }),
  );

  it('uses WAL, a busy timeout and synchronous=FULL, in <dataDir>/sequences.sqlite', () => {
    expect(store.file).toBe(SqliteSequenceStore.fileIn(dataDir));
    const db = new Database(store.file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare(`SELECT value FROM kyso_meta WHERE key = 'schema_version'`).get()).toEqual({ value: '2' });
    } finally {
      db.close();
    }
    expect(store.integrityCheck()).toEqual(['ok']);
  });

  it('refuses a database written by a newer kyso', async () => {
    const dir = tempDir();
    try {
      (await SqliteSequenceStore.open({ dataDir: dir })).close();
      const db = new Database(SqliteSequenceStore.fileIn(dir));
      db.prepare(`UPDATE kyso_meta SET value = '99' WHERE key = 'schema_version'`).run();
      db.close();
      await expectCode(SqliteSequenceStore.open({ dataDir: dir }), 'CODE_STORE_FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrates a version-1 database (no pending table) to version 2, keeping its values', async () => {
    const dir = tempDir();
    try {
      const v1 = await SqliteSequenceStore.open({ dataDir: dir });
      const key = { kind: 'case', agency: 'H55.242', period: '20240202' };
      await v1.allocate(key, { count: 2, idempotencyKey: 'old' });
      await v1.close();
      // What kyso with schema 1 left: the same tables but the pending notes', and version 1.
      const db = new Database(SqliteSequenceStore.fileIn(dir));
      db.exec(`DROP TABLE kyso_pending; UPDATE kyso_meta SET value = '1' WHERE key = 'schema_version'`);
      db.close();
      const v2 = await SqliteSequenceStore.open({ dataDir: dir });
      try {
        expect(await v2.current(key)).toBe(2);
        expect((await v2.allocate(key, { count: 2, idempotencyKey: 'old' })).map((a) => a.value)).toEqual([1, 2]);
        expect(await v2.listPending()).toEqual([]);
        const [a] = await v2.allocate(key, { pending: { ref: 'r', data: 'd' } });
        expect((await v2.listPending()).map((p) => [p.first, p.ref])).toEqual([[a!.value, 'r']]);
        expect(v2.integrityCheck()).toEqual(['ok']);
      } finally {
        await v2.close();
      }
      const check = new Database(SqliteSequenceStore.fileIn(dir), { readonly: true });
      try {
        expect(check.prepare(`SELECT value FROM kyso_meta WHERE key = 'schema_version'`).get()).toEqual({ value: '2' });
      } finally {
        check.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unusable location as CODE_STORE_FAILED', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'a-file'), 'not a directory');
      await expectCode(SqliteSequenceStore.open({ dataDir: join(dir, 'a-file', 'data') }), 'CODE_STORE_FAILED');
      // A file that is not a database.
      writeFileSync(join(dir, 'sequences.sqlite'), 'garbage'.repeat(1000));
      await expectCode(SqliteSequenceStore.open({ dataDir: dir }), 'CODE_STORE_FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands out 8 × 5,000 values from 8 processes with no duplicate and no gap but the recorded voids', async () => {
    await manyProcesses({ backend: 'sqlite', dataDir }, { kind: 'case', agency: 'H55.242', period: 'many' }, () => store);
    expect(store.integrityCheck()).toEqual(['ok']);
  }, 120_000);

  it('loses nothing handed out when a process is killed with SIGKILL mid-run, and stays consistent', async () => {
    const key = { kind: 'cert', agency: '000.00.00.H56', period: 'kill' };
    await killMidRun({ backend: 'sqlite', dataDir }, key, () => store);
    const reopened = await SqliteSequenceStore.open({ dataDir });
    try {
      expect(reopened.integrityCheck()).toEqual(['ok']);
      expect((await reopened.allocate(key))[0]!.value).toBe((await store.current(key)));
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it('gives every process sending the same idempotency key the same values', async () => {
    await idempotentAcrossProcesses({ backend: 'sqlite', dataDir }, { kind: 'case', agency: 'G12.18', period: 'idem' }, () => store);
  }, 60_000);
});
