/**
 * One TEST PKI for the CLI and the service: `kyso test-pki` writes into the
 * data directory, `kyso serve --dev` signs and trusts under that same root
 * and serves its OCSP / CRL on the port the certificates name, so a file
 * `kyso sign` made with personal.p12 is green on the service (JSON and the
 * page in headless Chromium), and the PKI's one NSS database makes pdfsig
 * trust both the CLI's and the service's signatures. Runs the built CLI.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { SAMPLE, tempDir } from './helpers.js';

const BIN = resolve(__dirname, '../../cli/dist/bin.js');
const PASSWORD = 'kyso-test';
const dataDir = tempDir('kyso-dev-shared-');
const pkiDir = join(dataDir, 'test-pki');
const work = tempDir('kyso-dev-shared-out-');
let child: ChildProcess | undefined;
let stdout = '';
let stderr = '';
let url: string;
let key: string;
let base: string;

function kyso(args: string[]): string {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KYSO_P12_PASSWORD: PASSWORD } });
  expect(r.status, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A port nothing listens on now, for the TEST PKI's URLs (not the default 8790 another test may hold). */
async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function pdfsig(file: string): string {
  return execFileSync('pdfsig', ['-no-ocsp', '-nssdir', `sql:${join(pkiDir, 'nssdb')}`, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

beforeAll(async () => {
  base = `http://127.0.0.1:${await freePort()}`;
  kyso(['test-pki', '-o', pkiDir, '--password', PASSWORD, '--base-url', base]);
  child = spawn('node', [BIN, 'serve', '--dev', '--port', '0', '--data-dir', dataDir, '--quiet'], {
    env: { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${stdout}\n${stderr}`)), 60_000);
    child!.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/\S+)\n[\s\S]*\nAPI key: (\S+)\n/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        url = m[1]!;
        key = m[2]!;
        res();
      }
    });
    child!.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`kyso serve exited ${code}:\n${stdout}\n${stderr}`));
    });
  });
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('one TEST PKI for kyso test-pki, kyso sign and kyso serve --dev', () => {
  it('the service uses the PKI found in its data directory and serves its TSA and OCSP on the port the certificates name', () => {
    expect(stdout).toContain(`TEST PKI in ${pkiDir}`);
    expect(stdout).toContain(`TEST TSA (B-T, B-LT, B-LTA): ${base}/tsa\n`);
    expect(stdout).toContain(`TEST OCSP / CRL (B-LT, B-LTA): ${base}/ocsp ${base}/crl/issuing.crl\n`);
    expect(stderr).not.toContain('warning');
    // Nothing regenerated: the manifest `kyso test-pki` wrote still names the base URL it was given.
    expect(JSON.parse(readFileSync(join(pkiDir, 'pki.json'), 'utf8')).baseUrl).toBe(base);
  });

  it('a file kyso sign made with personal.p12 (B-LT, through the dev TSA) is valid and trusted on /v1/verify', async () => {
    const signed = join(work, 'cli.pdf');
    kyso(['sign', SAMPLE, '-o', signed, '--p12', join(pkiDir, 'personal.p12'), '--password-env', 'KYSO_P12_PASSWORD', '--level', 'B-LT', '--tsa', `${base}/tsa`, '--field', 'CanBo']);
    const res = await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: readFileSync(signed) });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { verdict: string; signatures: { chain: { trusted: boolean }; padesLevel: string; revocation: { status: string }; signer: { subject: string } | null }[] };
    expect(report.verdict).toBe('valid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]!.chain.trusted).toBe(true);
    expect(report.signatures[0]!.padesLevel).toBe('B-LT');
    expect(report.signatures[0]!.revocation.status).toBe('good');
  });

  it('the service countersigns that file at B-LT and the PKI\'s one NSS database trusts both signatures', async () => {
    const res = await fetch(`${url}/v1/sign?level=B-LT`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf' }, body: readFileSync(join(work, 'cli.pdf')) });
    expect(res.status, await res.clone().text()).toBe(200);
    const both = join(work, 'both.pdf');
    writeFileSync(both, Buffer.from(await res.arrayBuffer()));
    const text = pdfsig(both);
    expect(text).toMatch(/Signature #2:/);
    expect(text.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(text.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(2);
  });

  it('the verification page shows the kyso sign file green in headless Chromium', async () => {
    expect(existsSync('/usr/bin/chromium'), 'Debian chromium, as page.test.ts uses').toBe(true);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      await page.goto(`${url}/`);
      await page.setInputFiles('#file', join(work, 'cli.pdf'));
      await page.waitForSelector('#result .verdict', { timeout: 15_000 });
      const verdict = (await page.getAttribute('#result .verdict', 'class')) ?? '';
      expect(verdict.split(/\s+/)).toContain('valid');
      expect(verdict).not.toMatch(/invalid|indeterminate/);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
