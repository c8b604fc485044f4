/**
 * `kyso sign --pdf-password-env` and `kyso verify --pdf-password-env`: the
 * password of an encrypted PDF from an environment variable, never echoed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki, writeTestPki, type TestPki } from '@kyso/core/testing';
import { OWNER_PASSWORD, USER_PASSWORD, VARIANTS, qpdfEncrypt } from '../../core/test/helpers/encryption.js';
import { pdfsig, qpdfCheck } from '../../core/test/helpers/external-tools.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const P12_PASSWORD = 'p12-TEST-pw';
let pki: TestPki;
let dir: string;
let nss: string;
let root: string;
let input: string;
let restricted: string;

function kyso(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-enc-'));
  await writeTestPki(pki, join(dir, 'pki'), { password: P12_PASSWORD });
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
  root = join(dir, 'root.pem');
  writeFileSync(root, pki.root.certPem);
  input = join(dir, 'in.pdf');
  writeFileSync(input, qpdfEncrypt(readFileSync(SAMPLE), VARIANTS.find((v) => v.revision === 6)!, { user: USER_PASSWORD }));
  restricted = join(dir, 'restricted.pdf');
  writeFileSync(restricted, qpdfEncrypt(readFileSync(SAMPLE), VARIANTS.find((v) => v.revision === 4)!, { restrictions: ['--modify=none'] }));
});

const signArgs = (from: string, to: string): string[] => ['sign', from, '-o', to, '--p12', join(dir, 'pki', 'personal.p12'), '--password-env', 'P12_PW', '--reason', 'Chứng thực bản sao'];

describe('--pdf-password-env', () => {
  it('kyso sign and kyso verify open a file encrypted with a user password; the password is never printed', () => {
    const out = join(dir, 'signed.pdf');
    const env = { P12_PW: P12_PASSWORD, PDF_PW: USER_PASSWORD };
    const s = kyso([...signArgs(input, out), '--pdf-password-env', 'PDF_PW'], env);
    expect(s.status, s.stderr).toBe(0);
    expect(pdfsig(out, nss, USER_PASSWORD)[0]?.signatureValid).toBe(true);
    expect(qpdfCheck(out, USER_PASSWORD).ok).toBe(true);

    const v = kyso(['verify', out, '--trust', root, '--json', '--pdf-password-env', 'PDF_PW'], env);
    expect(v.status, v.stderr).toBe(0);
    const report = JSON.parse(v.stdout) as { verdict: string; signatures: { reason: string }[] };
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]!.reason).toBe('Chứng thực bản sao');
    for (const r of [s, v]) expect(r.stdout + r.stderr).not.toContain(USER_PASSWORD);
  });

  it('without it: PDF_PASSWORD_REQUIRED (sign fails, verify exits 3); a wrong one: PDF_PASSWORD_WRONG; an unset variable is named, not guessed', () => {
    const out = join(dir, 'never.pdf');
    const s = kyso(signArgs(input, out), { P12_PW: P12_PASSWORD });
    expect(s.status).not.toBe(0);
    expect(s.stderr).toMatch(/PDF_PASSWORD_REQUIRED|--pdf-password-env/);
    const v = kyso(['verify', input, '--trust', root]);
    expect(v.status).toBe(3);
    expect(v.stderr).toContain('PDF_PASSWORD_REQUIRED');
    const wrong = kyso(['verify', input, '--trust', root, '--lang', 'en', '--pdf-password-env', 'PDF_PW'], { PDF_PW: 'sai-mat-khau-987' });
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('PDF_PASSWORD_WRONG');
    expect(wrong.stderr).not.toContain('sai-mat-khau-987');
    const unset = kyso([...signArgs(input, out), '--pdf-password-env', 'KYSO_NO_SUCH_VARIABLE'], { P12_PW: P12_PASSWORD });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toContain('KYSO_NO_SUCH_VARIABLE');
  });

  it("a file whose permissions forbid signing: refused without the owner password, signed with it (the author's restrictions kept)", () => {
    const out = join(dir, 'restricted-signed.pdf');
    const denied = kyso(signArgs(restricted, out), { P12_PW: P12_PASSWORD });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toContain('PDF_PERMISSION_DENIED');
    const ok = kyso([...signArgs(restricted, out), '--pdf-password-env', 'PDF_OWNER'], { P12_PW: P12_PASSWORD, PDF_OWNER: OWNER_PASSWORD });
    expect(ok.status, ok.stderr).toBe(0);
    expect(pdfsig(out, nss)[0]?.signatureValid).toBe(true);
    expect(ok.stdout + ok.stderr).not.toContain(OWNER_PASSWORD);
  });
});
