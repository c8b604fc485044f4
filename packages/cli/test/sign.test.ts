import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki, writeTestPki, type TestPki } from '@kyso/core/testing';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const PASSWORD = 'mật-khẩu-TEST-123';
let pki: TestPki;
let dir: string;
let nss: string;

function kyso(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  // The messages checked here are the English ones (the default language, Vietnamese, is errors-lang.test.ts's).
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KYSO_LANG: 'en', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-sign-'));
  await writeTestPki(pki, join(dir, 'pki'), { password: PASSWORD });
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
});

describe('kyso sign', () => {
  it.each([
    ['modern PKCS#12 (AES, PBKDF2)', 'personal.p12'],
    ['legacy PKCS#12 (3DES, RC2)', 'personal.legacy.p12'],
  ])('signs with a %s', (_name, p12) => {
    const out = join(dir, `out-${p12}.pdf`);
    const r = kyso(['sign', SAMPLE, '-o', out, '--p12', join(dir, 'pki', p12), '--password-env', 'P12_PW', '--reason', 'Chứng thực bản sao', '--location', 'Bình Định'], { P12_PW: PASSWORD });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(out);
    const [sig] = pdfsig(out, nss);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    expect(sig?.commonName).toBe('Nguyễn Văn Ánh');
  });

  it('signs with --key/--cert/--chain PEM files and a chosen field name, then again', () => {
    const first = join(dir, 'pem-1.pdf');
    const second = join(dir, 'pem-2.pdf');
    const pemArgs = ['--key', join(dir, 'pki', 'organisation.key.pem'), '--cert', join(dir, 'pki', 'organisation.cert.pem'), '--chain', join(dir, 'pki', 'chain.pem')];
    expect(kyso(['sign', SAMPLE, '-o', first, ...pemArgs, '--field', 'CoQuan']).status).toBe(0);
    const r = kyso(['sign', first, '-o', second, '--p12', join(dir, 'pki', 'personal.p12'), '--password', PASSWORD]);
    expect(r.status, r.stderr).toBe(0);
    const sigs = pdfsig(second, nss);
    expect(sigs.map((s) => s.field)).toEqual(['CoQuan', 'Signature1']);
    expect(sigs.every((s) => s.signatureValid)).toBe(true);
  });

  const failures: [string, () => string[], RegExp, Record<string, string>?][] = [
    ['wrong PKCS#12 password', () => ['--p12', join(dir, 'pki', 'personal.p12'), '--password-env', 'P12_PW'], /KEY_BAD_PASSWORD/, { P12_PW: 'sai-mat-khau-987' }],
    ['key that does not match the certificate', () => ['--key', join(dir, 'pki', 'personal.key.pem'), '--cert', join(dir, 'pki', 'organisation.cert.pem')], /KEY_MISMATCH/],
    ['no key at all', () => [], /signing key is required/],
    ['unset password variable', () => ['--p12', join(dir, 'pki', 'personal.p12'), '--password-env', 'KYSO_NOT_SET_ANYWHERE'], /KYSO_NOT_SET_ANYWHERE is not set/],
  ];
  it.each(failures)('fails cleanly on a %s: one line, no output file, no secret', (_name, args, message, env) => {
    const out = join(dir, `fail-${Math.random().toString(36).slice(2)}.pdf`);
    const r = kyso(['sign', SAMPLE, '-o', out, ...args()], env ?? {});
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    for (const secret of [PASSWORD, 'sai-mat-khau-987']) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it.each([
    ['not a PDF', Buffer.from('%!PS-Adobe-3.0 not a pdf'), /PDF_NOT_PDF/],
    ['an empty file', Buffer.alloc(0), /PDF_EMPTY/],
    ['a truncated PDF', readFileSync(SAMPLE).subarray(0, 5000), /PDF_TRUNCATED/],
  ])('refuses %s with a typed error and writes nothing', (_name, bytes, message) => {
    const input = join(dir, `bad-${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(input, bytes);
    const out = `${input}.signed.pdf`;
    const r = kyso(['sign', input, '-o', out, '--p12', join(dir, 'pki', 'personal.p12'), '--password', PASSWORD]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
