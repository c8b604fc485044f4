import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';
import { ConfigError, createServer, generateApiKey, hashApiKey, loadConfigFile, resolveConfig, type KysoServer } from '@kyso/server';
import { bearer, LogCapture, samplePdf, tempDir } from './helpers.js';

describe('configuration', () => {
  it('lists every problem of a bad configuration clearly', () => {
    let err: unknown;
    try {
      resolveConfig({
        port: 99999,
        colour: 'red',
        identities: [
          { name: 'a', agency: '000.00.00.H56', signer: { p12: 'a.p12', password: 'secret' } },
          { name: 'a', agency: '', signer: { pkcs11: { module: '/x.so', key: 'k', pin: '1234' } } },
        ],
        apiKeys: [{ id: 'k', key: 'plain', sha256: 'abc', identities: ['ghost'], operations: ['sign', 'fly'] }],
      } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).message;
    for (const needle of [
      'port must be an integer',
      'unknown setting "colour"',
      'identities[0].signer needs exactly one of passwordEnv, passwordFile',
      'identities[0].signer.password is not accepted',
      'identities[1].name "a" is used twice',
      'identities[1].agency',
      'identities[1].signer.pkcs11 needs exactly one of token, tokenSerial',
      'identities[1].signer.pkcs11.pin is not accepted',
      'apiKeys[0].key is not accepted',
      'apiKeys[0].sha256 must be 64',
      'names "ghost", which is not an identity',
      'apiKeys[0].operations',
    ]) {
      expect(text).toContain(needle);
    }
    expect(text).not.toContain('1234');
    expect(text).not.toContain('secret');
  });

  it('reads JSON files, resolves paths against the file, applies the environment', () => {
    const dir = tempDir();
    const file = join(dir, 'kyso.json');
    writeFileSync(
      file,
      JSON.stringify({
        port: 9000,
        dataDir: 'data',
        identities: [{ name: 'so-tu-phap', agency: '000.00.00.H56', signer: { p12: 'keys/org.p12', passwordEnv: 'ORG_P12_PASSWORD' } }],
      }),
    );
    const c = resolveConfig(loadConfigFile(file, { KYSO_PORT: '9001', DATABASE_URL: 'postgres://u@127.0.0.1/test' }));
    expect(c.port).toBe(9001);
    expect(c.dataDir).toBe(join(dir, 'data'));
    expect((c.identities[0]!.signer as { p12: string }).p12).toBe(join(dir, 'keys/org.p12'));
    expect(c.databaseUrl).toBe('postgres://u@127.0.0.1/test');
    expect(c.host).toBe('127.0.0.1');
    writeFileSync(file, '{ "port": ');
    expect(() => loadConfigFile(file, {})).toThrow(/is not valid JSON/);
  });
});

describe('secrets stay out of logs, errors and the audit log', () => {
  const PASSWORD = 'kyso-p12-pw-7f3a9c-bi-mat';
  let server: KysoServer;
  let url: string;
  let key: string;
  const log = new LogCapture();
  let dataDir: string;

  beforeAll(async () => {
    const pki = await loadOrCreateTestPki();
    dataDir = tempDir();
    await writeTestPki(pki, join(dataDir, 'pki'), { password: PASSWORD });
    const cfgFile = join(dataDir, 'kyso.json');
    key = generateApiKey();
    writeFileSync(
      cfgFile,
      JSON.stringify({
        port: 0,
        dataDir: 'data',
        identities: [{ name: 'so-tu-phap', agency: '000.00.00.H56', signer: { p12: 'pki/organisation.p12', passwordEnv: 'KYSO_TEST_P12_PW' } }],
        apiKeys: [{ id: 'portal', sha256: hashApiKey(key), identities: ['so-tu-phap'], operations: ['sign', 'codes', 'audit'] }],
        trust: { extraRoots: ['pki/root.pem'] },
      }),
    );
    process.env.KYSO_TEST_P12_PW = PASSWORD;
    server = await createServer(loadConfigFile(cfgFile, {}), { logStream: log, logLevel: 'trace' });
    url = await server.listen();
  });
  afterAll(async () => {
    await server?.close();
    delete process.env.KYSO_TEST_P12_PW;
  });

  it('signs with a PKCS#12 whose password comes from the environment, and never echoes the password or the key', async () => {
    const ok = await fetch(`${url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(key) }, body: samplePdf() });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', authorization: `Bearer ${PASSWORD}` }, body: samplePdf() });
    expect(bad.status).toBe(401);
    const badText = JSON.stringify(await bad.json());
    const auditText = JSON.stringify(await (await fetch(`${url}/v1/audit`, { headers: bearer(key) })).json());
    expect(log.text.length).toBeGreaterThan(100);
    for (const text of [log.text, badText, auditText]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(key);
    }
  });

  it('a wrong password or a missing variable fails at start, naming the variable and not the value', async () => {
    const cfg = (env: string) => ({ port: 0, dataDir: join(dataDir, 'x'), identities: [{ name: 'x', agency: '000.00.00.H56', signer: { p12: join(dataDir, 'pki/organisation.p12'), passwordEnv: env } }] });
    await expect(createServer(cfg('KYSO_TEST_UNSET_VAR'))).rejects.toThrow(/KYSO_TEST_UNSET_VAR is not set/);
    process.env.KYSO_TEST_WRONG_PW = 'sai-mat-khau-ABC';
    const e = await createServer(cfg('KYSO_TEST_WRONG_PW')).then(
      () => undefined,
      (x: unknown) => x as Error & { code?: string },
    );
    expect(e?.code).toBe('KEY_BAD_PASSWORD');
    expect(`${e?.message} ${JSON.stringify(e)}`).not.toContain('sai-mat-khau-ABC');
    delete process.env.KYSO_TEST_WRONG_PW;
  });
});
