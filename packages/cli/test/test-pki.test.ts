import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (pnpm --filter @kyso/core build && pnpm --filter @kyso/cli build).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function kyso(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return kysoEnv(process.env, ...args);
}
function kysoEnv(env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // The messages checked here are the English ones (the default language, Vietnamese, is errors-lang.test.ts's).
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { KYSO_LANG: 'en', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function tool(cmd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

let work: string;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm --filter @kyso/core build && pnpm --filter @kyso/cli build)`);
  work = mkdtempSync(join(tmpdir(), 'kyso-cli-test-pki-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kyso test-pki', () => {
  it('writes a whole TEST hierarchy, p12 files and an NSS db, and says what it wrote', () => {
    const out = join(work, 'pki');
    const r = kyso('test-pki', '-o', out, '--password', 'pw-123', '--base-url', 'http://127.0.0.1:18791', '--expired');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('NOT A REAL CA');
    expect(r.stdout).toContain('CN=Nguyễn Văn Ánh');
    expect(r.stdout).toContain('UID=MST:0102357802');
    expect(r.stdout).toContain('pdfsig -nssdir sql:');
    for (const name of [
      'root.pem',
      'issuing-ca.pem',
      'chain.pem',
      'pki.json',
      'personal.cert.pem',
      'personal.key.pem',
      'personal.p12',
      'personal.legacy.p12',
      'organisation.p12',
      'tsa.cert.pem',
      'ocsp.cert.pem',
      'expired.cert.pem',
      'nssdb/cert9.db',
    ]) {
      expect(existsSync(join(out, name)), name).toBe(true);
      if (!name.startsWith('nssdb')) expect(r.stdout, name).toContain(name);
    }
    for (const leaf of ['personal', 'organisation', 'tsa', 'ocsp']) {
      const v = tool('openssl', 'verify', '-CAfile', join(out, 'root.pem'), '-untrusted', join(out, 'issuing-ca.pem'), join(out, `${leaf}.cert.pem`));
      expect(v.out).toContain(': OK');
    }
    const text = tool('openssl', 'x509', '-in', join(out, 'personal.cert.pem'), '-noout', '-text').out;
    expect(text).toContain('OCSP - URI:http://127.0.0.1:18791/ocsp');
    expect(text).toContain('URI:http://127.0.0.1:18791/crl/issuing.crl');
    expect(tool('openssl', 'pkcs12', '-info', '-noout', '-in', join(out, 'personal.p12'), '-passin', 'pass:pw-123').status).toBe(0);
    expect(tool('openssl', 'pkcs12', '-legacy', '-info', '-noout', '-in', join(out, 'personal.legacy.p12'), '-passin', 'pass:pw-123').status).toBe(0);
    expect(tool('certutil', '-L', '-d', `sql:${join(out, 'nssdb')}`).out).toMatch(/kyso TEST Root CA\s+CT,C,C/);
    const manifest = JSON.parse(readFileSync(join(out, 'pki.json'), 'utf8')) as { baseUrl: string; entities: unknown[] };
    expect(manifest.baseUrl).toBe('http://127.0.0.1:18791');
    expect(manifest.entities).toHaveLength(7);

    // running again over its own output is fine
    expect(kyso('test-pki', '-o', out, '--key', 'p256', '--password', 'pw-123').status).toBe(0);
    expect(tool('openssl', 'x509', '-in', join(out, 'personal.cert.pem'), '-noout', '-text').out).toContain('NIST CURVE: P-256');
  });

  it('its help names every key type the kit makes (the list is written out so listing commands loads no kit)', async () => {
    const { TEST_KEY_TYPES } = await import('@kyso/core/testing');
    const help = kyso('test-pki', '--help');
    expect(help.status).toBe(0);
    const listed = /\(([a-z0-9, ]+)\) \/ loại khóa/.exec(help.stdout.replace(/\s+/g, ' '))?.[1]?.split(', ');
    expect(listed).toEqual([...TEST_KEY_TYPES]);
  });

  it('refuses bad options with usage errors', () => {
    const badKey = kyso('test-pki', '-o', join(work, 'x'), '--key', 'rsa1024');
    expect(badKey.status).toBe(64);
    expect(badKey.stderr).toMatch(/rsa2048/);
    const badUrl = kyso('test-pki', '-o', join(work, 'y'), '--base-url', 'ftp://127.0.0.1/');
    expect(badUrl.status).toBe(64);
    expect(badUrl.stderr).toMatch(/base-url/);
    expect(kyso('test-pki').status).toBe(64);
  });

  it('does not write into a non-empty directory that holds no TEST PKI unless forced', () => {
    const other = join(work, 'other');
    rmSync(other, { recursive: true, force: true });
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = kyso('test-pki', '-o', other, '--no-nssdb');
    expect(r.status).toBe(64);
    expect(existsSync(join(other, 'root.pem'))).toBe(false);
    const forced = kyso('test-pki', '-o', other, '--no-nssdb', '--force');
    expect(forced.status).toBe(0);
    expect(existsSync(join(other, 'root.pem'))).toBe(true);
    expect(existsSync(join(other, 'nssdb'))).toBe(false);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('reports an unwritable directory as IO_ERROR, promptly', () => {
    const r = kyso('test-pki', '-o', '/proc/kyso-test-pki-cannot-exist', '--key', 'p256');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kyso: IO_ERROR: Cannot create directory/);
  });

  it('without certutil it still writes the files and warns', () => {
    const out = join(work, 'no-certutil');
    const r = kysoEnv({ ...process.env, PATH: '/nonexistent' }, 'test-pki', '-o', out, '--key', 'p256');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: NSS database not created: certutil not found/);
    expect(existsSync(join(out, 'personal.p12'))).toBe(true);
  });
});
