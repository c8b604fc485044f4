/**
 * kyso sign --level B-LT and a certificate that declares no OCSP responder
 * and no CRL: refused by default, naming the certificate; signed with
 * --revocation if-declared.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueLeaf, startTestServices, type TestEntity, type TestServices } from '@kyso/core/testing';
import { certificateParts } from '../../core/src/time/certificate.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
let services: TestServices;
let silent: TestEntity;
let dir: string;

/** The CLI as a child process, without blocking this process: the TSA answering it lives here. */
function kyso(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // English messages are checked here; the language itself is errors-lang.test.ts's.
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KYSO_LANG: 'en' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  silent = await issueLeaf(services.pki, { kind: 'personal', name: 'silent', aia: false, crlDistributionPoint: false });
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-revocation-'));
  writeFileSync(join(dir, 'silent.key'), silent.keyPem);
  writeFileSync(join(dir, 'silent.pem'), silent.certPem);
  writeFileSync(join(dir, 'chain.pem'), services.pki.chainPem);
});
afterAll(async () => {
  await services?.close();
});

describe('kyso sign --revocation', () => {
  const args = (out: string, ...more: string[]) => ['sign', SAMPLE, '-o', join(dir, out), '--key', join(dir, 'silent.key'), '--cert', join(dir, 'silent.pem'), '--chain', join(dir, 'chain.pem'), '--level', 'B-LT', '--tsa', services.tsaUrl, ...more];

  it('refuses by default with LTV_NO_REVOCATION_SOURCE naming the certificate (subject and serial) and the way on; no file written', async () => {
    const r = await kyso(args('refused.pdf'));
    expect(r.status, r.stderr).toBe(1);
    const serial = certificateParts(silent.certDer).serialHex.toUpperCase();
    expect(r.stderr).toMatch(/^kyso: LTV_NO_REVOCATION_SOURCE: The certificate "[^"]*CN=[^"]+" \(serial [0-9A-F]+\) declares neither an OCSP responder nor a CRL/);
    expect(r.stderr).toContain(serial);
    expect(r.stderr).toContain('--revocation if-declared');
    expect(existsSync(join(dir, 'refused.pdf'))).toBe(false);
  });

  it('signs with --revocation if-declared; a value other than require or if-declared is a usage error', async () => {
    const ok = await kyso(args('if-declared.pdf', '--revocation', 'if-declared'));
    expect(ok.status, ok.stderr).toBe(0);
    expect(existsSync(join(dir, 'if-declared.pdf'))).toBe(true);
    const bad = await kyso(args('bad.pdf', '--revocation', 'sometimes'));
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/CLI_USAGE: --revocation "sometimes": use require or if-declared/);
  });
});
