import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki } from '@kyso/core/testing';
import { createSoftHsmToken } from '../packages/pkcs11/test/softhsm.js';
import { pdfsig } from '../packages/core/test/helpers/external-tools.js';

describe('examples/pkcs11-sign.ts', () => {
  it('runs against a fresh SoftHSM2 token and produces PDFs pdfsig trusts, without printing the PIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-pkcs11-'));
    const pin = 'vi-du-PIN-97531';
    // The stand-in for plugging in a token: a SoftHSM2 token with a TEST key and certificate.
    const pki = await loadOrCreateTestPki();
    const token = await createSoftHsmToken({ pki, label: 'Token Can Bo', pin, keys: [{ label: 'chu-ky-so', id: '01', keyType: 'rsa:2048', kind: 'personal' }] });
    const env: NodeJS.ProcessEnv = { ...process.env, TOKEN_PIN: pin, SOFTHSM2_CONF: token.conf, PKCS11_MODULE: token.module };
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'pkcs11-sign.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..'), env });
    expect(stdout).toMatch(/token: "Token Can Bo" serial/);
    expect(stdout).toMatch(/mechanism: CKM_SHA256_RSA_PKCS/);
    expect(stdout).not.toContain(pin);
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, pki.root.certPem);
    for (const f of ['signed-1.pdf', 'signed-2.pdf']) {
      const [sig] = pdfsig(join(dir, f), nss);
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
      expect(sig?.commonName).toBe('Nguyễn Văn Ánh');
    }
  });
});
