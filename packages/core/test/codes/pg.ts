import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The test PostgreSQL: 127.0.0.1:5432, database `test`, trust auth. The user
 * comes from DATABASE_URL, PGUSER, or the first of postgres/root that works.
 * Throws (the tests fail, they do not skip) when none can connect.
 */
export async function testDatabaseUrl(): Promise<string> {
  const candidates = process.env.DATABASE_URL
    ? [process.env.DATABASE_URL]
    : [...new Set([process.env.PGUSER, 'postgres', 'root'].filter((u): u is string => !!u))].map((u) => `postgres://${u}@127.0.0.1:5432/test`);
  const errors: string[] = [];
  for (const url of candidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return url;
    } catch (e) {
      errors.push(`${url}: ${(e as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `PostgreSQL is not reachable for the codes tests (127.0.0.1:5432, database "test"). Tried:\n  ${errors.join('\n  ')}\n` +
      `Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
  );
}

/** A schema name unique to this run, dropped by the test after use. */
export function uniqueSchema(tag: string): string {
  return `kyso_test_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
