import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { pdfsig } from '../packages/core/test/helpers/external-tools.js';

describe('examples/pkcs11-sign.ts', () => {
  it('runs against a fresh SoftHSM2 token and produces PDFs pdfsig trusts, without printing the PIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-pkcs11-'));
    const pin = 'vi-du-PIN-97531';
    const env: NodeJS.ProcessEnv = { ...process.env, TOKEN_PIN: pin };
    delete env['SOFTHSM2_CONF'];
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'pkcs11-sign.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env });
    expect(stdout).toMatch(/token: "Token Can Bo" serial/);
    expect(stdout).toMatch(/mechanism: CKM_SHA256_RSA_PKCS/);
    expect(stdout).not.toContain(pin);
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, readFileSync(join(dir, 'root.pem'), 'utf8'));
    for (const f of ['signed-1.pdf', 'signed-2.pdf']) {
      const [sig] = pdfsig(join(dir, f), nss);
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
      expect(sig?.commonName).toBe('Nguyễn Văn Ánh');
    }
  });
});
