import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { SoftwareSigner } from '@kyso/core';
import { loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer, type ServerConfigInput } from '@kyso/server';

export const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
export const samplePdf = (): Buffer => readFileSync(SAMPLE);

export function tempDir(prefix = 'kyso-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Collects a server's log lines. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export interface TwoAgencies {
  server: KysoServer;
  url: string;
  pki: TestPki;
  /** Keys: `binh` may sign as the Bình Định identity, `hanoi` as the Hà Nội one, `reader` only reads the audit log, `ops` only reads /metrics and /readyz. */
  keys: { binh: string; hanoi: string; reader: string; ops: string };
  log: LogCapture;
  dataDir: string;
}

/** A server on a free loopback port with two identities of two agencies, each with its own key. */
export async function startTwoAgencies(extra: ServerConfigInput = {}): Promise<TwoAgencies> {
  const pki = await loadOrCreateTestPki();
  const dataDir = tempDir();
  const keys = { binh: generateApiKey(), hanoi: generateApiKey(), reader: generateApiKey(), ops: generateApiKey() };
  const log = new LogCapture();
  const server = await createServer(
    {
      port: 0,
      dataDir,
      identities: [
        { name: 'binh-dinh', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }) },
      ],
      apiKeys: [
        { id: 'binh', sha256: hashApiKey(keys.binh), identities: ['binh-dinh'], operations: ['sign', 'verify', 'codes'] },
        { id: 'hanoi', sha256: hashApiKey(keys.hanoi), identities: ['ha-noi'], operations: ['sign', 'verify', 'codes'] },
        { id: 'reader', sha256: hashApiKey(keys.reader), identities: [], operations: ['audit'] },
        { id: 'ops', sha256: hashApiKey(keys.ops), identities: [], operations: ['ops'] },
      ],
      trust: { extraRoots: [pki.root.certPem] },
      ...extra,
    },
    { logStream: log },
  );
  const url = await server.listen();
  return { server, url, pki, keys, log, dataDir };
}

/** The Bình Định identity's key, signing `delayMs` slower (to hold requests in progress). */
export function slowIdentities(pki: TestPki, delayMs: number): ServerConfigInput['identities'] {
  const inner = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  const slow = Object.create(inner) as SoftwareSigner;
  Object.defineProperty(slow, 'sign', {
    value: async (data: Uint8Array, digest: Parameters<SoftwareSigner['sign']>[1]) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return inner.sign(data, digest);
    },
  });
  return [
    { name: 'binh-dinh', agency: '000.00.00.H56', signer: slow },
    { name: 'ha-noi', agency: '000.00.00.H26', signer: inner },
  ];
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
