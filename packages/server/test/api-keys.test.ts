/**
 * The configuration is the only source of API keys: a key removed from it
 * stops working at the next start although the store still records it.
 */
import { expect, it } from 'vitest';
import { SoftwareSigner } from '@kyso/core';
import { loadOrCreateTestPki } from '@kyso/core/testing';
import { ConfigError, createServer, generateApiKey, hashApiKey, resolveConfig } from '@kyso/server';
import { bearer, tempDir } from './helpers.js';

it('revokes a key removed from the configuration at the next start', async () => {
  const pki = await loadOrCreateTestPki();
  const dataDir = tempDir();
  const keep = generateApiKey();
  const drop = generateApiKey();
  const identities = [{ name: 'binh-dinh', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) }];
  const key = (id: string, k: string) => ({ id, sha256: hashApiKey(k), identities: ['binh-dinh'], operations: ['codes' as const] });
  const allocate = (url: string, k: string) =>
    fetch(`${url}/v1/codes/case`, { method: 'POST', headers: { ...bearer(k), 'content-type': 'application/json', 'idempotency-key': generateApiKey() }, body: '{}' }).then((r) => r.status);

  const first = await createServer({ port: 0, dataDir, workers: 0, identities, apiKeys: [key('keep', keep), key('drop', drop)] });
  const url1 = await first.listen();
  expect(await allocate(url1, keep)).toBe(200);
  expect(await allocate(url1, drop)).toBe(200);
  await first.close();

  const second = await createServer({ port: 0, dataDir, workers: 0, identities, apiKeys: [key('keep', keep)] });
  try {
    const url2 = await second.listen();
    expect((await second.store.listApiKeys()).map((k) => k.id).sort()).toEqual(['drop', 'keep']); // still recorded, for the audit log's key ids
    expect(await allocate(url2, keep)).toBe(200);
    expect(await allocate(url2, drop)).toBe(401);
  } finally {
    await second.close();
  }
});

it('refuses unknown settings inside nested sections, and a bad trustProxy', () => {
  const problems = (input: unknown) => {
    try {
      resolveConfig(input as never);
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).problems;
    }
  };
  expect(problems({ twoStep: { sessionTtl: 60 } })).toContain('unknown setting "twoStep.sessionTtl"');
  expect(problems({ tsa: { url: 'http://127.0.0.1:1/', timeout: 5 } })).toContain('unknown setting "tsa.timeout"');
  expect(problems({ trust: { policy: 'bcy', roots: [] } })).toContain('unknown setting "trust.roots"');
  expect(problems({ twoStep: [] })).toContain('twoStep must be an object');
  expect(problems({ trustProxy: 'yes' })).toContain('trustProxy must be true, false or a list of proxy addresses');
  expect(resolveConfig({ trustProxy: ['127.0.0.1'] }).trustProxy).toEqual(['127.0.0.1']);
  expect(resolveConfig({}).trustProxy).toBe(false);
});

it('takes the LTV revocation policy: require by default, if-declared on request, anything else refused', () => {
  expect(resolveConfig({}).ltv).toEqual({ revocation: 'require' });
  expect(resolveConfig({ ltv: { revocation: 'if-declared' } }).ltv).toEqual({ revocation: 'if-declared' });
  expect(() => resolveConfig({ ltv: { revocation: 'sometimes' } } as never)).toThrow(/ltv.revocation must be require or if-declared/);
  expect(() => resolveConfig({ ltv: { revocations: 'require' } } as never)).toThrow(/unknown setting "ltv.revocations"/);
});
