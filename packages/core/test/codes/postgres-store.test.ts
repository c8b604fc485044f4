import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresSequenceStore, type SequenceKey } from '../../src/codes/index.js';
import { idempotentAcrossProcesses, killMidRun, manyProcesses } from './concurrency.js';
import { dropSchema, testDatabaseUrl, uniqueSchema } from './pg.js';
import { expectCode, storeContract } from './store-contract.js';

// Needs PostgreSQL on 127.0.0.1:5432 (database `test`): these tests fail, not skip, without it.
describe('PostgresSequenceStore', () => {
  let url: string;
  const schema = uniqueSchema('seq');
  let store: PostgresSequenceStore;
  let unreachable: unknown;
  beforeAll(async () => {
    try {
      url = await testDatabaseUrl();
      store = await PostgresSequenceStore.open({ connectionString: url, schema });
    } catch (e) {
      unreachable = e;
    }
  });
  // Every test fails (none is skipped) with the reason when PostgreSQL is not there.
  beforeEach(() => {
    if (unreachable) throw unreachable;
  });
  afterAll(async () => {
    await store?.close();
    if (url) await dropSchema(url, schema);
  });

  storeContract(
    () => store,
    () => PostgresSequenceStore.open({ connectionString: url, schema }),
  );

  it('reports an unreachable server as CODE_STORE_FAILED, without the password', async () => {
    const e = await expectCode(PostgresSequenceStore.open({ connectionString: 'postgres://u:secret@127.0.0.1:1/test' }), 'CODE_STORE_FAILED');
    expect(e.message).not.toContain('secret');
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      await expectCode(PostgresSequenceStore.open({}), 'CODE_STORE_FAILED');
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });

  it('migrates a version-1 schema (no pending table) to version 2, keeping its values', async () => {
    const old = uniqueSchema('seqv1');
    try {
      const v1 = await PostgresSequenceStore.open({ connectionString: url, schema: old });
      const key: SequenceKey = { kind: 'case', agency: 'H55.242', period: '20240202' };
      await v1.allocate(key, { count: 2, idempotencyKey: 'old' });
      await v1.close();
      // What kyso with schema 1 left: the same tables but the pending notes', and version 1.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP TABLE "${old}".kyso_pending; UPDATE "${old}".kyso_meta SET value = '1' WHERE key = 'schema_version'`);
      } finally {
        await client.end();
      }
      // Two processes opening the old schema at once: one migrates, the other waits on the migration lock and finds version 2.
      const [v2, other] = await Promise.all([PostgresSequenceStore.open({ connectionString: url, schema: old }), PostgresSequenceStore.open({ connectionString: url, schema: old })]);
      try {
        expect(await v2.current(key)).toBe(2);
        expect((await v2.allocate(key, { count: 2, idempotencyKey: 'old' })).map((a) => a.value)).toEqual([1, 2]);
        expect(await v2.listPending()).toEqual([]);
        const [a] = await other.allocate(key, { pending: { ref: 'r', data: 'd' } });
        expect((await v2.listPending()).map((p) => [p.first, p.ref])).toEqual([[a!.value, 'r']]);
      } finally {
        await other.close();
        await v2.close();
      }
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        expect((await check.query(`SELECT value FROM "${old}".kyso_meta WHERE key = 'schema_version'`)).rows).toEqual([{ value: '2' }]);
      } finally {
        await check.end();
      }
    } finally {
      await dropSchema(url, old);
    }
  });

  it('two pools hammering one counter from one process get distinct, gap-free values', async () => {
    const second = await PostgresSequenceStore.open({ connectionString: url, schema, maxConnections: 4 });
    try {
      const key: SequenceKey = { kind: 'case', agency: '000.00.00.H56', period: 'pools' };
      const run = (s: PostgresSequenceStore, actor: string) =>
        Promise.all(Array.from({ length: 200 }, (_, i) => s.allocate(key, { actor, count: 1 + (i % 3) })));
      const [a, b] = await Promise.all([run(store, 'pool-a'), run(second, 'pool-b')]);
      const values = [...a.flat(), ...b.flat()].map((x) => x.value).sort((x, y) => x - y);
      expect(values).toEqual(Array.from({ length: values.length }, (_, i) => i + 1));
      expect(values.length).toBe(2 * (67 * 1 + 67 * 2 + 66 * 3));
    } finally {
      await second.close();
    }
  });

  it('two pools sending one idempotency key at once get the same value', async () => {
    const second = await PostgresSequenceStore.open({ connectionString: url, schema });
    try {
      const key: SequenceKey = { kind: 'cert', agency: 'H55.242', period: 'race' };
      for (let i = 0; i < 20; i++) {
        const [a, b] = await Promise.all([
          store.allocate(key, { idempotencyKey: `race-${i}` }),
          second.allocate(key, { idempotencyKey: `race-${i}` }),
        ]);
        expect(a[0]!.value).toBe(b[0]!.value);
      }
      expect(await store.current(key)).toBe(20);
    } finally {
      await second.close();
    }
  });

  it('hands out 8 × 5,000 values from 8 processes (8 pools) with no duplicate and no gap but the recorded voids', async () => {
    await manyProcesses({ backend: 'pg', url, schema }, { kind: 'case', agency: 'H55.242', period: 'many' }, () => store);
  }, 180_000);

  it('loses nothing handed out when a process is killed with SIGKILL mid-run', async () => {
    await killMidRun({ backend: 'pg', url, schema }, { kind: 'cert', agency: 'G12.18', period: 'kill' }, () => store);
  }, 90_000);

  it('gives every process sending the same idempotency key the same values', async () => {
    await idempotentAcrossProcesses({ backend: 'pg', url, schema }, { kind: 'case', agency: 'G12.18', period: 'idem' }, () => store);
  }, 60_000);
});
