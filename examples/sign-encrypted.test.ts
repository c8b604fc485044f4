import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki } from '@kyso/core/testing';
import { pdfsig, qpdfCheck } from '../packages/core/test/helpers/external-tools.js';

describe('examples/sign-encrypted.ts', () => {
  it('signs a password-protected PDF that stays protected: pdfsig valid with the password, qpdf --check clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-enc-'));
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'sign-encrypted.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, KYSO_PDF_PASSWORD: 'mat-khau-TEST' } });
    expect(stdout).toMatch(/encryption: revision 6, AES-256, opened as user/);
    expect(stdout).toMatch(/verdict: valid/);
    expect(stdout).toMatch(/still encrypted: true/);
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    const pki = await loadOrCreateTestPki();
    await createNssDb(nss, pki.root.certPem);
    const [sig] = pdfsig(join(dir, 'signed.pdf'), nss, 'mat-khau-TEST');
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    expect(qpdfCheck(join(dir, 'signed.pdf'), 'mat-khau-TEST').ok).toBe(true);
    // Without the password the example stops with the typed error and says what to do.
    let failed: { status: number; stderr: string } | undefined;
    try {
      execFileSync('node', ['--import', 'tsx', join(__dirname, 'sign-encrypted.ts'), dir, join(dir, 'encrypted.pdf')], { encoding: 'utf8', cwd: join(__dirname, '..'), env: { ...process.env, KYSO_PDF_PASSWORD: '' }, stdio: 'pipe' });
    } catch (e) {
      failed = e as { status: number; stderr: string };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stderr).toMatch(/PDF_PASSWORD_REQUIRED/);
  });
});
