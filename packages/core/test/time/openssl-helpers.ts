/** Running openssl without blocking the event loop (our own servers live in the same process). */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestPki } from '../../src/testing/index.js';

export function openssl(args: string[], cwd?: string): Promise<{ status: number; out: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { cwd, encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ status, out: `${stdout}${stderr}`, stdout });
    });
  });
}

/** Writes the PKI's certificates and the keys openssl needs into a fresh directory. */
export function writePkiFiles(pki: TestPki): { dir: string; f: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-time-openssl-'));
  const f = (name: string): string => join(dir, name);
  writeFileSync(f('root.pem'), pki.root.certPem);
  writeFileSync(f('issuing.pem'), pki.issuing.certPem);
  writeFileSync(f('chain.pem'), pki.issuing.certPem + pki.root.certPem);
  for (const e of [pki.tsa, pki.ocsp, pki.personal, pki.organisation]) {
    writeFileSync(f(`${e.name}.pem`), e.certPem);
    writeFileSync(f(`${e.name}.key`), e.keyPem, { mode: 0o600 });
  }
  return { dir, f };
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Waits until something accepts TCP connections on the port. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** YYMMDDHHMMSSZ, as in openssl's index.txt. */
export function indexTime(d: Date): string {
  return d.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z');
}
