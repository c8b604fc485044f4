/**
 * `kyso token list|keys` and `kyso sign --pkcs11-module` as child processes
 * (the built CLI) against a SoftHSM2 token initialised here. Every output
 * is searched for the PIN.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../../pkcs11/test/softhsm.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const PIN = 'mã-PIN-8642';
const WRONG = 'sai-PIN-1357';
let pki: TestPki;
let token: SoftHsmToken;
let nss: string;
const outputs: string[] = [];

function kyso(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  // The messages checked here are the English ones (the default language, Vietnamese, is errors-lang.test.ts's).
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KYSO_LANG: 'en', SOFTHSM2_CONF: token.conf, ...env } });
  outputs.push(r.stdout, r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  token = await createSoftHsmToken({
    pki,
    label: 'Kyso CLI Token',
    pin: PIN,
    keys: [
      { label: 'can-bo', id: 'a1', keyType: 'rsa:2048', kind: 'personal' },
      { label: 'con-dau', id: 'b2', keyType: 'EC:prime256v1', kind: 'organisation' },
    ],
  });
  nss = join(token.dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
});

describe('kyso token', () => {
  it('lists tokens', () => {
    const r = kyso(['token', 'list', '--module', SOFTHSM_MODULE]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`token "Kyso CLI Token" serial ${token.serial}`);
    const json = kyso(['token', 'list', '--module', SOFTHSM_MODULE, '--json']);
    const parsed = JSON.parse(json.stdout) as { tokens: { label: string; serialNumber: string }[] };
    expect(parsed.tokens.find((t) => t.label === 'Kyso CLI Token')?.serialNumber).toBe(token.serial);
  });

  it('lists keys with the PIN from an environment variable, public objects without it', () => {
    const r = kyso(['token', 'keys', '--module', SOFTHSM_MODULE, '--token', 'Kyso CLI Token', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: PIN });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/private key RSA 2048 label="can-bo" id=a1/);
    expect(r.stdout).toMatch(/private key EC prime256v1 label="con-dau" id=b2/);
    expect(r.stdout).toContain('CN=Nguyễn Văn Ánh');
    const pub = kyso(['token', 'keys', '--module', SOFTHSM_MODULE, '--token-serial', token.serial, '--json']);
    expect(pub.status, pub.stderr).toBe(0);
    const parsed = JSON.parse(pub.stdout) as { loggedIn: boolean; keys: { kind: string }[] };
    expect(parsed.loggedIn).toBe(false);
    expect(parsed.keys.filter((k) => k.kind === 'public')).toHaveLength(2);
  });
});

describe('kyso sign --pkcs11-module', () => {
  it.each([
    ['RSA key by label', ['--key', 'can-bo'], 'Nguyễn Văn Ánh'],
    ['RSA key by label, PSS', ['--key', 'can-bo', '--pss'], 'Nguyễn Văn Ánh'],
    ['EC key by hex id', ['--key', 'b2'], 'UBND xã Phước Lộc (TEST)'],
    ['EC key by id: prefix, SHA-384', ['--key', 'id:b2', '--digest', 'sha384'], 'UBND xã Phước Lộc (TEST)'],
  ])('signs with the %s: pdfsig says valid and trusted', (name, keyArgs, cn) => {
    const out = join(token.dir, `${name.replace(/\W+/g, '-')}.pdf`);
    const r = kyso(['sign', SAMPLE, '-o', out, '--pkcs11-module', SOFTHSM_MODULE, '--token', 'Kyso CLI Token', ...keyArgs, '--pin-env', 'TOKEN_PIN', '--reason', 'Ký bằng USB token'], {
      TOKEN_PIN: PIN,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [sig] = pdfsig(out, nss);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    expect(sig?.commonName).toBe(cn);
  });

  it('reads the PIN from a file', () => {
    const pinFile = join(token.dir, 'pin');
    writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
    const out = join(token.dir, 'pin-file.pdf');
    const r = kyso(['sign', SAMPLE, '-o', out, '--pkcs11-module', SOFTHSM_MODULE, '--token-serial', token.serial, '--key', 'can-bo', '--pin-file', pinFile]);
    expect(r.status, r.stderr).toBe(0);
    expect(pdfsig(out, nss)[0]?.signatureValid).toBe(true);
  });

  const failures: [string, string[], Record<string, string>, RegExp][] = [
    ['wrong PIN', ['--token', 'Kyso CLI Token', '--key', 'can-bo', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: WRONG }, /^kyso: PKCS11_PIN_INCORRECT: The PIN is incorrect\./],
    ['missing key label', ['--token', 'Kyso CLI Token', '--key', 'khong-co', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: PIN }, /^kyso: KEY_NOT_FOUND: No private key labelled "khong-co".*"can-bo" \(id a1\)/],
    ['token label that does not exist', ['--token', 'Khong Co Token', '--key', 'can-bo', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: PIN }, /^kyso: PKCS11_TOKEN_NOT_FOUND: No token with label "Khong Co Token"/],
    ['unset PIN variable', ['--token', 'Kyso CLI Token', '--key', 'can-bo', '--pin-env', 'KYSO_NO_SUCH_PIN_VAR'], {}, /KYSO_NO_SUCH_PIN_VAR \(the token PIN\) is not set/],
    ['no token given', ['--key', 'can-bo', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: PIN }, /choose the token/],
  ];
  it.each(failures)('fails cleanly on a %s: one line, exit 1, no output file, no PIN', (_name, args, env, message) => {
    const out = join(token.dir, `fail-${Math.random().toString(36).slice(2)}.pdf`);
    const r = kyso(['sign', SAMPLE, '-o', out, '--pkcs11-module', SOFTHSM_MODULE, ...args], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('fails cleanly on a module path that does not exist', () => {
    const r = kyso(['token', 'list', '--module', '/opt/khong-co/libpkcs11.so']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kyso: PKCS11_MODULE_NOT_FOUND: PKCS#11 module \/opt\/khong-co\/libpkcs11.so does not exist/);
    const s = kyso(['sign', SAMPLE, '-o', join(token.dir, 'x.pdf'), '--pkcs11-module', '/opt/khong-co/libpkcs11.so', '--token', 'T', '--key', 'k', '--pin-env', 'TOKEN_PIN'], { TOKEN_PIN: PIN });
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/PKCS11_MODULE_NOT_FOUND/);
  });

  it('never printed the PIN, right or wrong, in any output above', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) {
      expect(text).not.toContain(PIN);
      expect(text).not.toContain(WRONG);
    }
  });
});
