import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { SoftwareSigner } from '@kyso/core';
import { loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { sealPng, signaturePng } from '../../core/test/appearance/images.js';

export const samplePdf = (): Uint8Array => new Uint8Array(readFileSync(resolve(__dirname, '../../../examples/assets/sample.pdf')));

export interface Service {
  server: KysoServer;
  url: string;
  pki: TestPki;
  /** `clerk` signs, verifies and takes codes as the agency and its officer; `reader` reads the audit log; `ops` reads /readyz's details. */
  keys: { clerk: string; reader: string; ops: string };
  close(): Promise<void>;
}

const silent = () => new Writable({ write: (_c, _e, cb) => cb() });

/** A real @kyso/server on a free loopback port with the TEST PKI's officer and agency of one commune. */
export async function startService(): Promise<Service> {
  const pki = await loadOrCreateTestPki();
  const dataDir = mkdtempSync(join(tmpdir(), 'kyso-client-'));
  const keys = { clerk: generateApiKey(), reader: generateApiKey(), ops: generateApiKey() };
  const server = await createServer(
    {
      port: 0,
      dataDir,
      workers: 0,
      identities: [
        { name: 'ubnd-xa', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }), image: sealPng() },
        { name: 'can-bo', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }), image: signaturePng() },
      ],
      apiKeys: [
        { id: 'clerk', sha256: hashApiKey(keys.clerk), identities: ['ubnd-xa', 'can-bo'], operations: ['sign', 'verify', 'codes'] },
        { id: 'reader', sha256: hashApiKey(keys.reader), identities: [], operations: ['audit'] },
        { id: 'ops', sha256: hashApiKey(keys.ops), identities: [], operations: ['ops'] },
      ],
      trust: { extraRoots: [pki.root.certPem] },
    },
    { logStream: silent() },
  );
  const url = await server.listen();
  return {
    server,
    url,
    pki,
    keys,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
