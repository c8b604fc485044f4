import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const BIN = resolve(__dirname, '../src/bin.ts');
const SAMPLE = resolve(ROOT, 'examples/assets/sample.pdf');
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs `kyso serve` from the sources and waits for its "listening on" line. */
function serve(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn('node', ['--import', 'tsx', BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${out}\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\n[\s\S]*verification page[^\n]*\n(API key: \S+\n|kyso: development key kept[^\n]*\n)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1]!, stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`kyso serve exited ${code}:\n${out}\n${err}`));
    });
  });
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('kyso serve', () => {
  it('development mode: prints the API key once, signs with it, keeps it across restarts, stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kyso-serve-'));
    const first = await serve(['--port', '0', '--data-dir', dataDir]);
    const keyLines = first.stdout().split('\n').filter((l) => l.startsWith('API key: '));
    expect(keyLines).toHaveLength(1);
    const key = keyLines[0]!.slice('API key: '.length);
    expect(first.stdout()).toContain('DEVELOPMENT MODE');
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const { readFileSync } = await import('node:fs');
    const signed = await fetch(`${first.url}/v1/sign?reason=${encodeURIComponent('Chứng thực bản sao')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf' },
      body: readFileSync(SAMPLE),
    });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('x-kyso-field')).toBe('Signature1');
    const report = (await (await fetch(`${first.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: Buffer.from(await signed.arrayBuffer()) })).json()) as { verdict: string };
    expect(report.verdict).toBe('valid');
    const page = await (await fetch(`${first.url}/`)).text();
    expect(page).toContain('Kiểm tra chữ ký số PDF');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).not.toContain(key);

    const second = await serve(['--port', '0', '--data-dir', dataDir]);
    expect(second.stdout()).not.toContain('API key:');
    expect(second.stdout()).toContain('development key kept from the first start');
    const again = await fetch(`${second.url}/v1/codes/case`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const audit = spawnSync('node', ['--import', 'tsx', BIN, 'audit', 'verify', '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toContain('3 records');
  });

  it('refuses a bad configuration file with a clear message and exit code 78', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-serve-bad-'));
    const file = join(dir, 'kyso.json');
    writeFileSync(file, JSON.stringify({ port: 'eighty', identities: [{ name: 'x', agency: '000.00.00.H56', signer: { p12: 'x.p12' } }] }));
    const r = spawnSync('node', ['--import', 'tsx', BIN, 'serve', '--config', file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '' } });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toContain('port must be an integer');
    expect(r.stderr).toContain('identities[0].signer needs exactly one of passwordEnv, passwordFile');
  });

  it('a first start that cannot listen (port taken) keeps no key: the next start shows one that works', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'kyso-serve-taken-'));
      const failed = spawnSync('node', ['--import', 'tsx', BIN, 'serve', '--port', String(port), '--data-dir', dataDir], { cwd: ROOT, env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '' }, encoding: 'utf8', timeout: 60_000 });
      expect(failed.status).not.toBe(0);
      expect(failed.stdout).not.toContain('API key:');
      const { existsSync } = await import('node:fs');
      expect(existsSync(join(dataDir, 'dev-key.json'))).toBe(false);

      const next = await serve(['--port', '0', '--data-dir', dataDir]);
      const line = next.stdout().split('\n').find((l) => l.startsWith('API key: '));
      expect(line, 'the second start shows a new key').toBeDefined();
      const key = line!.slice('API key: '.length);
      expect(existsSync(join(dataDir, 'dev-key.json'))).toBe(true);
      const r = await fetch(`${next.url}/v1/codes/case`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(200);
      next.child.kill('SIGTERM');
      expect(await next.exited).toBe(0);
    } finally {
      blocker.close();
    }
  });
});
