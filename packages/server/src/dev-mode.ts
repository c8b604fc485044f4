import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SoftwareSigner } from '@kyso/core';
import { createTestPki, loadTestPki, writeTestPki, type TestPki } from '@kyso/core/testing';
import { generateApiKey, hashApiKey } from './api-keys.js';
import type { ServerConfigInput } from './config.js';

export const DEV_IDENTITY = 'test';
export const DEV_AGENCY = '000.00.00.H56';

export interface DevSetup {
  config: ServerConfigInput;
  /** The new key on first start only (print it once); undefined on later starts. */
  newApiKey?: string;
  /**
   * Keeps the new key (its hash in `dev-key.json`) for later starts. Call it
   * once the service is listening: a start that fails (the port is taken)
   * keeps nothing, so the next start shows a key again instead of keeping
   * one nobody saw. Absent when the key was kept before.
   */
  keep?: () => void;
  pki: TestPki;
}

/**
 * Development mode: a TEST PKI and an API key kept in the data directory
 * (`test-pki/`, `dev-key.json` with the key's hash only), so restarts reuse
 * them. The identity signs with the TEST organisation certificate, and the
 * TEST root is trusted by /v1/verify. Never for production.
 */
export async function prepareDevMode(dataDir: string): Promise<DevSetup> {
  const dir = resolve(dataDir);
  const pkiDir = join(dir, 'test-pki');
  let pki: TestPki;
  if (existsSync(join(pkiDir, 'pki.json'))) pki = await loadTestPki(pkiDir);
  else {
    pki = await createTestPki();
    await writeTestPki(pki, pkiDir, { pkcs12: false });
  }
  const keyFile = join(dir, 'dev-key.json');
  let newApiKey: string | undefined;
  let keep: (() => void) | undefined;
  let sha256: string;
  if (existsSync(keyFile)) sha256 = (JSON.parse(readFileSync(keyFile, 'utf8')) as { sha256: string }).sha256;
  else {
    newApiKey = generateApiKey();
    const hash = hashApiKey(newApiKey);
    sha256 = hash;
    keep = () => writeFileSync(keyFile, `${JSON.stringify({ id: 'dev', sha256: hash, note: 'TEST key hash; delete this file to get a new key' }, null, 2)}\n`, { mode: 0o600 });
  }
  const signer = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  return {
    pki,
    ...(newApiKey ? { newApiKey } : {}),
    ...(keep ? { keep } : {}),
    config: {
      dataDir: dir,
      identities: [{ name: DEV_IDENTITY, agency: DEV_AGENCY, signer }],
      apiKeys: [{ id: 'dev', sha256, identities: [DEV_IDENTITY], operations: ['sign', 'verify', 'codes', 'audit', 'ops', 'csc'] }],
      trust: { extraRoots: [pki.root.certPem] },
    },
  };
}
