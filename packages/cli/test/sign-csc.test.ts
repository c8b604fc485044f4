/**
 * `kyso sign --csc URL --credential ID --csc-token-env VAR` against kyso's
 * own CSC service on loopback: one PDF, then a folder of PDFs under one
 * authorization. The service runs in this process, the CLI (built dist) in
 * a child, so the child is awaited without blocking the service.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner } from '@kyso/core';
import { createNssDb, loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const key = generateApiKey();
const reader = generateApiKey();
let pki: TestPki;
let dir: string;
let nss: string;
let server: KysoServer;
let url: string;
let token: string;

function kyso(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    // The messages checked here are the English ones (the default language, Vietnamese, is errors-lang.test.ts's).
    const child = spawn('node', [BIN, ...args], { env: { ...process.env, KYSO_LANG: 'en', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function audit(): Promise<{ operation: string; result: string }[]> {
  const r = await fetch(`${url}/v1/audit?limit=1000`, { headers: { authorization: `Bearer ${reader}` } });
  return ((await r.json()) as { records: { operation: string; result: string }[] }).records;
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-csc-'));
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
  server = await createServer({
    port: 0,
    dataDir: join(dir, 'data'),
    workers: 0,
    identities: [{ name: 'binh-dinh', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) }],
    apiKeys: [
      { id: 'portal', sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['csc'] },
      { id: 'reader', sha256: hashApiKey(reader), identities: [], operations: ['audit'] },
    ],
    trust: { extraRoots: [pki.root.certPem] },
  });
  url = await server.listen();
  const login = await fetch(`${url}/csc/v2/auth/login`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
  token = ((await login.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await server?.close();
});

describe('kyso sign --csc', () => {
  it('signs one PDF with a remote credential, the token from an environment variable', async () => {
    const out = join(dir, 'one.pdf');
    const r = await kyso(['sign', SAMPLE, '-o', out, '--csc', `${url}/csc/v2`, '--credential', 'binh-dinh', '--csc-token-env', 'KYSO_CSC_TOKEN', '--reason', 'Ký từ xa'], { KYSO_CSC_TOKEN: token });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('field Signature1');
    const [sig] = pdfsig(out, nss);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
  });

  it('signs every PDF of a folder with one authorize', async () => {
    const input = join(dir, 'in');
    const output = join(dir, 'out');
    mkdirSync(input);
    for (let i = 1; i <= 8; i++) copyFileSync(SAMPLE, join(input, `van-ban-${i}.pdf`));
    writeFileSync(join(input, 'ghi-chu.txt'), 'not a PDF');
    const before = await audit();
    const r = await kyso(['sign', input, '-o', output, '--csc', `${url}/csc/v2`, '--credential', 'subject:ubnd', '--csc-token-env', 'KYSO_CSC_TOKEN'], { KYSO_CSC_TOKEN: token });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Đã ký / signed 8 of 8 PDF, một lần ủy quyền / one authorization');
    expect(readdirSync(output).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `van-ban-${i + 1}.pdf`).sort());
    for (const f of readdirSync(output)) {
      const [sig] = pdfsig(join(output, f), nss);
      expect(sig?.signatureValid, f).toBe(true);
    }
    const added = (await audit()).slice(before.length);
    expect(added.filter((a) => a.operation === 'csc.authorize')).toHaveLength(1);
    expect(added.filter((a) => a.operation === 'csc.signHash' && a.result === 'ok')).toHaveLength(8);
  });

  it('typed errors: an unknown credential, a missing token variable, a wrong token (never printed)', async () => {
    const out = join(dir, 'never.pdf');
    const base = ['sign', SAMPLE, '-o', out, '--csc', `${url}/csc/v2`, '--csc-token-env', 'KYSO_CSC_TOKEN'];
    const unknown = await kyso([...base, '--credential', 'ha-noi'], { KYSO_CSC_TOKEN: token });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/CSC_CREDENTIAL_UNKNOWN/);
    const noVar = await kyso([...base, '--credential', 'binh-dinh']);
    expect(noVar.status).not.toBe(0);
    expect(noVar.stderr).toMatch(/KYSO_CSC_TOKEN is not set/);
    const wrong = await kyso([...base, '--credential', 'binh-dinh'], { KYSO_CSC_TOKEN: 'kcsc_wrong-token-value' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/CSC_AUTH_FAILED/);
    expect(wrong.stderr).not.toContain('kcsc_wrong-token-value');
    expect(unknown.stderr + unknown.stdout).not.toContain(token);
    expect(existsSync(out)).toBe(false);
  });
});
