/**
 * The README's quick start stays true: scripts/quickstart.sh (past the
 * machine setup) signs the sample twice and pdfsig reports both signatures
 * valid and trusted, then serves in development mode; the README's curl
 * line, run as written against that service with the printed key, returns
 * a signed PDF that the service verifies as valid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

function run(cmd: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res) => {
    const c = spawn('bash', ['-c', cmd], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => res({ code, stderr }));
  });
}

it('quickstart.sh signs and checks the sample, then serves; the README curl line signs over HTTP', async () => {
  child = spawn('bash', ['scripts/quickstart.sh', '--no-setup'], { cwd: ROOT, env: { ...process.env, KYSO_PORT: '0', KYSO_CONFIG: '', DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const { url, key } = await new Promise<{ url: string; key: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`quickstart did not start serving:\n${out}\n${err}`)), 120_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)[\s\S]*\nAPI key: (\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ url: m[1]!, key: m[2]! });
      }
    });
    child!.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`quickstart exited ${code}:\n${out}\n${err}`));
    });
  });

  // pdfsig's verdict on the officer + agency file.
  expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  expect(out.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(2);

  // The README's curl line, as written, pointed at this instance's port.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5));
  const curl = quick.split('\n').find((l) => l.startsWith('curl '));
  expect(curl, 'the quick start shows a curl line').toBeDefined();
  expect(curl).toContain('http://127.0.0.1:8080/');
  const work = mkdtempSync(join(tmpdir(), 'kyso-quickstart-'));
  mkdirSync(join(work, 'examples/assets'), { recursive: true });
  copyFileSync(join(ROOT, 'examples/assets/sample.pdf'), join(work, 'examples/assets/sample.pdf'));
  const r = await run(`${curl!.replace('http://127.0.0.1:8080', url)} -f`, work, { KEY: key });
  expect(r.code, r.stderr).toBe(0);
  const signed = readFileSync(join(work, 'signed.pdf'));
  expect(signed.subarray(0, 5).toString()).toBe('%PDF-');
  const report = (await (await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: signed })).json()) as { verdict: string; signatures: unknown[] };
  expect(report.verdict).toBe('valid');
  expect(report.signatures).toHaveLength(1);
}, 180_000);
