/**
 * Every secret kyso is handed, through every error path we can provoke, and
 * then a search for it in everything kyso wrote: the service's stdout and
 * stderr (its request log), its answers, the audit log, every file of its
 * data directory (SQLite databases and their WAL files, byte for byte), and
 * the command line's output. The secrets: a PKCS#12 password, a token PIN,
 * an API key (the right one and a wrong one), a PDF's password, a CSC bearer
 * token and credential PIN.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTestPki, writeTestPki, type TestPki } from '@kyso/core/testing';
import { generateApiKey, hashApiKey } from '@kyso/server';
import { encrypted } from '../../core/test/helpers/fixtures.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../../pkcs11/test/softhsm.js';
import { samplePdf, tempDir } from './helpers.js';

const ROOT = resolve(__dirname, '../../..');
const KYSO = [join(ROOT, 'packages/cli/dist/bin.js')];
const P12_PASSWORD = 'p12-Mat-Khau-8e1f0b';
const PIN = 'pin-7391-bi-mat';
const WRONG_PIN = 'pin-1119-sai';
const WRONG_PASSWORD = 'sai-Mat-Khau-c0ffee';
const PDF_PASSWORD = 'pdf-Mat-Khau-5a5a';
const CSC_PIN = 'csc-8642-bi-mat';
const apiKey = generateApiKey();
const wrongKey = generateApiKey();

let pki: TestPki;
let token: SoftHsmToken;
let dir: string;
const children: ChildProcess[] = [];
/** Everything kyso printed or answered, for the search at the end. */
const seen: { where: string; text: string }[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, KYSO_CONFIG: '', DATABASE_URL: '', KYSO_DATA_DIR: '', KYSO_PORT: '', KYSO_LANG: 'en', SOFTHSM2_CONF: token.conf, ...extra };
}

/** `kyso serve --config` as a process; resolves with its URL, or with its output if it exits first. */
function serve(config: string, extra: Record<string, string>): Promise<{ url?: string; child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [...KYSO, 'serve', '--config', config], { cwd: dir, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${out}`)), 30_000);
    const poll = setInterval(() => {
      const m = /kyso: listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        res({ url: m[1]!, child, output: () => out, exited });
      }
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      res({ child, output: () => out, exited });
    });
  });
}

function cli(args: string[], extra: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [...KYSO, ...args], { cwd: dir, env: env(extra), encoding: 'utf8', timeout: 60_000 });
  const out = `${r.stdout}${r.stderr}`;
  seen.push({ where: `kyso ${args[0]}`, text: out });
  return { status: r.status, out };
}

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? filesUnder(join(d, f)) : [join(d, f)]));
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  token = await createSoftHsmToken({ pki, label: 'HSM Bi Mat', pin: PIN, keys: [{ label: 'con-dau', id: '01', keyType: 'rsa:2048', kind: 'organisation' }] });
  dir = tempDir('kyso-secrets-');
  await writeTestPki(pki, join(dir, 'pki'), { password: P12_PASSWORD });
  writeFileSync(join(dir, 'locked.pdf'), encrypted(samplePdf(), PDF_PASSWORD));
  const config = (pinEnv: string) => ({
    port: 0,
    dataDir: 'data',
    identities: [
      { name: 'p12', agency: '000.00.00.H56', signer: { p12: 'pki/organisation.p12', passwordEnv: 'SECRET_P12_PW' }, csc: { pinEnv: 'SECRET_CSC_PIN' } },
      { name: 'hsm', agency: '000.00.00.H56', signer: { pkcs11: { module: SOFTHSM_MODULE, token: 'HSM Bi Mat', key: 'con-dau', pinEnv } } },
    ],
    apiKeys: [{ id: 'portal', sha256: hashApiKey(apiKey), identities: ['p12', 'hsm'], operations: ['sign', 'verify', 'codes', 'audit', 'csc'] }],
    trust: { extraRoots: ['pki/root.pem'] },
  });
  writeFileSync(join(dir, 'kyso.json'), JSON.stringify(config('SECRET_HSM_PIN')));
  writeFileSync(join(dir, 'wrong-pin.json'), JSON.stringify({ ...config('SECRET_WRONG_PIN'), dataDir: 'data-wrong' }));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('secrets never leave kyso', () => {
  it('the service, through bad keys, misplaced keys, a wrong PDF password, a wrong CSC PIN and token, and a wrong token PIN at start', async () => {
    const s = await serve(join(dir, 'kyso.json'), { SECRET_P12_PW: P12_PASSWORD, SECRET_HSM_PIN: PIN, SECRET_CSC_PIN: CSC_PIN });
    expect(s.url, s.output()).toBeDefined();
    const url = s.url!;
    const call = async (what: string, path: string, init: RequestInit): Promise<Response> => {
      const r = await fetch(`${url}${path}`, init);
      seen.push({ where: `${what} (${r.status})`, text: `${JSON.stringify([...r.headers])} ${await r.clone().text()}` });
      return r;
    };
    const pdf = { 'content-type': 'application/pdf' };
    expect((await call('good key', '/v1/sign?identity=hsm', { method: 'POST', headers: { ...pdf, authorization: `Bearer ${apiKey}` }, body: samplePdf() })).status).toBe(200);
    expect((await call('wrong key', '/v1/sign?identity=hsm', { method: 'POST', headers: { ...pdf, authorization: `Bearer ${wrongKey}` }, body: samplePdf() })).status).toBe(401);
    expect((await call('key in the query', `/v1/sign?api_key=${apiKey}`, { method: 'POST', headers: pdf, body: samplePdf() })).status).toBe(400);
    // A header the service does not read keys from: the public verification answers, and the key must not be logged either.
    expect((await call('key as X-Api-Key', '/v1/verify', { method: 'POST', headers: { ...pdf, 'x-api-key': apiKey }, body: samplePdf() })).status).toBe(200);
    expect((await call('password as the key', '/v1/sign', { method: 'POST', headers: { ...pdf, authorization: `Bearer ${P12_PASSWORD}` }, body: samplePdf() })).status).toBe(401);
    const locked = readFileSync(join(dir, 'locked.pdf'));
    expect((await call('wrong PDF password', '/v1/sign?identity=p12', { method: 'POST', headers: { ...pdf, authorization: `Bearer ${apiKey}`, 'x-pdf-password': WRONG_PASSWORD }, body: locked })).status).toBe(422);
    expect((await call('right PDF password', '/v1/sign?identity=p12', { method: 'POST', headers: { ...pdf, authorization: `Bearer ${apiKey}`, 'x-pdf-password': PDF_PASSWORD }, body: locked })).status).toBe(200);
    // CSC: a bearer token from auth/login, a wrong credential PIN, a made-up token.
    const json = { 'content-type': 'application/json' };
    const login = await call('csc login', '/csc/v2/auth/login', { method: 'POST', headers: { ...json, authorization: `Basic ${Buffer.from(`portal:${apiKey}`).toString('base64')}` }, body: '{}' });
    expect(login.status).toBe(200);
    const cscToken = ((await login.json()) as { access_token: string }).access_token;
    expect(cscToken.length).toBeGreaterThan(16);
    const authorize = (pin: string, bearerToken: string) =>
      call('csc authorize', '/csc/v2/credentials/authorize', { method: 'POST', headers: { ...json, authorization: `Bearer ${bearerToken}` }, body: JSON.stringify({ credentialID: 'p12', numSignatures: 1, authData: [{ id: 'PIN', value: pin }] }) });
    expect((await authorize(WRONG_PIN, cscToken)).status).toBeGreaterThanOrEqual(400);
    expect((await authorize(CSC_PIN, cscToken)).status).toBe(200);
    expect((await authorize(CSC_PIN, `${cscToken}x`)).status).toBe(401);
    const audit = await call('audit', '/v1/audit', { headers: { authorization: `Bearer ${apiKey}` } });
    expect(audit.status).toBe(200);
    s.child.kill('SIGTERM');
    await s.exited;
    seen.push({ where: 'kyso serve output', text: s.output() });
    expect(s.output()).toMatch(/\/v1\/sign/); // the request log was on
    for (const f of filesUnder(join(dir, 'data'))) seen.push({ where: f, text: readFileSync(f).toString('latin1') });
    expect(filesUnder(join(dir, 'data')).some((f) => f.endsWith('server.sqlite'))).toBe(true);

    // A wrong token PIN: the service does not start, names the variable, not the PIN.
    const wrong = await serve(join(dir, 'wrong-pin.json'), { SECRET_P12_PW: P12_PASSWORD, SECRET_WRONG_PIN: WRONG_PIN, SECRET_CSC_PIN: CSC_PIN });
    expect(wrong.url).toBeUndefined();
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.output()).toMatch(/PKCS11_PIN_INCORRECT|PIN/);
    seen.push({ where: 'kyso serve, wrong PIN', text: wrong.output() });
  }, 120_000);

  it('the command line, through a wrong PKCS#12 password, a wrong token PIN and a wrong PDF password', () => {
    const p12 = ['--p12', 'pki/personal.p12', '--password-env', 'SECRET_PW'];
    expect(cli(['sign', join(ROOT, 'examples/assets/sample.pdf'), '-o', 'x.pdf', ...p12], { SECRET_PW: WRONG_PASSWORD }).out).toMatch(/KEY_BAD_PASSWORD/);
    expect(cli(['sign', join(ROOT, 'examples/assets/sample.pdf'), '-o', 'ok.pdf', ...p12], { SECRET_PW: P12_PASSWORD }).status).toBe(0);
    const hsm = ['--pkcs11-module', SOFTHSM_MODULE, '--token', 'HSM Bi Mat', '--key', 'con-dau', '--pin-env', 'SECRET_PIN'];
    const badPin = cli(['sign', join(ROOT, 'examples/assets/sample.pdf'), '-o', 'y.pdf', ...hsm], { SECRET_PIN: WRONG_PIN });
    expect(badPin.status, badPin.out).not.toBe(0);
    expect(badPin.out).toMatch(/PKCS11_PIN_INCORRECT/);
    expect(cli(['sign', 'locked.pdf', '-o', 'z.pdf', ...p12, '--pdf-password-env', 'SECRET_PDF_PW'], { SECRET_PW: P12_PASSWORD, SECRET_PDF_PW: WRONG_PASSWORD }).out).toMatch(/PDF_PASSWORD_WRONG/);
    expect(cli(['verify', 'locked.pdf', '--pdf-password-env', 'SECRET_PDF_PW', '--json'], { SECRET_PDF_PW: WRONG_PASSWORD }).out).toMatch(/PDF_PASSWORD_WRONG/);
  }, 120_000);

  it('none of the secrets, in any form a log might carry them, is in anything kyso wrote', () => {
    expect(seen.length).toBeGreaterThan(15);
    const secrets = [P12_PASSWORD, PIN, WRONG_PIN, WRONG_PASSWORD, PDF_PASSWORD, CSC_PIN, apiKey, wrongKey];
    const forms = (s: string) => [s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), encodeURIComponent(s)];
    const found: string[] = [];
    for (const { where, text } of seen) for (const secret of secrets) for (const form of forms(secret)) if (text.includes(form)) found.push(`${where}: ${secret.slice(0, 4)}… as ${form === secret ? 'itself' : 'an encoding'}`);
    expect(found).toEqual([]);
  });
});
