import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerStore, verifyAuditChain } from '@kyso/server';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

let url: string;
const schema = uniqueSchema('server');
let t: TwoAgencies;

beforeAll(async () => {
  url = await testDatabaseUrl();
  t = await startTwoAgencies({ databaseUrl: url, databaseSchema: schema });
});
afterAll(async () => {
  await t?.server.close();
  if (url) await dropSchema(url, schema);
});

describe('PostgreSQL store (DATABASE_URL)', () => {
  it('keeps codes, idempotency and the audit chain in PostgreSQL, and detects an edited record', async () => {
    const json = { 'content-type': 'application/json', 'idempotency-key': 'pg-1', ...bearer(t.keys.binh) };
    const [a, b] = await Promise.all([
      fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json, body: '{}' }).then((r) => r.json() as Promise<{ codes: { code: string }[] }>),
      fetch(`${t.url}/v1/codes/case`, { method: 'POST', headers: json, body: '{}' }).then((r) => r.json() as Promise<{ codes: { code: string }[] }>),
    ]);
    expect(a!.codes[0]!.code).toBe(b!.codes[0]!.code);
    const signed = await Promise.all(
      [1, 2, 3, 4].map(() => fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.hanoi) }, body: samplePdf() })),
    );
    expect(signed.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema]);
      expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['kyso_audit', 'kyso_api_keys', 'kyso_ledger']));
      const n = await client.query(`SELECT count(*)::int AS n FROM "${schema}".kyso_audit`);
      expect(n.rows[0].n).toBe(6);

      const store = await openServerStore({ dataDir: '/nonexistent', databaseUrl: url, schema });
      try {
        expect(await verifyAuditChain(store)).toMatchObject({ ok: true, records: 6 });
        await client.query(`UPDATE "${schema}".kyso_audit SET result = 'ok', status = 200 WHERE seq = 5`);
        await client.query(`UPDATE "${schema}".kyso_audit SET output_sha256 = repeat('0', 64) WHERE seq = 4`);
        expect(await verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: 4 });
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
    }
  });
});
