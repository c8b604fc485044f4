/**
 * A throw-away TEST PKI made by the openssl command line in a temp dir:
 * root → issuing CA (pathlen 0) → leaves of several key types.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LeafKind = 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521';

export interface Leaf {
  kind: LeafKind;
  keyPem: string;
  certPem: string;
  keyFile: string;
  certFile: string;
}

export interface TestPki {
  dir: string;
  rootFile: string;
  caFile: string;
  rootPem: string;
  caPem: string;
  leaves: Record<LeafKind, Leaf>;
  cleanup(): void;
}

export function openssl(args: string[], input?: string | Buffer): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function run(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEYGEN: Record<LeafKind, string[]> = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa3072: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
};

export function makeTestPki(kinds: readonly LeafKind[] = Object.keys(KEYGEN) as LeafKind[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-pki-'));
  writeFileSync(
    join(dir, 'ext.cnf'),
    [
      '[ca]',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      'keyUsage=critical,keyCertSign,cRLSign',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '[leaf]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,nonRepudiation',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  run(dir, ['genpkey', ...KEYGEN.p256, '-out', 'root.key']);
  run(dir, ['req', '-x509', '-new', '-key', 'root.key', '-subj', '/C=VN/O=kyso TEST/CN=kyso TEST Root CA', '-days', '30', '-out', 'root.pem', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(dir, ['genpkey', ...KEYGEN.rsa2048, '-out', 'ca.key']);
  run(dir, ['req', '-new', '-key', 'ca.key', '-subj', '/C=VN/O=kyso TEST/CN=kyso TEST Issuing CA', '-out', 'ca.csr']);
  run(dir, ['x509', '-req', '-in', 'ca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '0x1001', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'ca', '-out', 'ca.pem']);
  const leaves = {} as Record<LeafKind, Leaf>;
  let serial = 0x2000;
  for (const kind of kinds) {
    const keyFile = join(dir, `${kind}.key`);
    const certFile = join(dir, `${kind}.pem`);
    run(dir, ['genpkey', ...KEYGEN[kind], '-out', keyFile]);
    run(dir, ['req', '-new', '-key', keyFile, '-subj', `/C=VN/L=Hà Nội/O=kyso TEST/CN=Nguyễn Văn Thử ${kind}`, '-utf8', '-out', `${kind}.csr`]);
    run(dir, ['x509', '-req', '-in', `${kind}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(++serial), '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'leaf', '-out', certFile]);
    leaves[kind] = { kind, keyFile, certFile, keyPem: readFileSync(keyFile, 'utf8'), certPem: readFileSync(certFile, 'utf8') };
  }
  return {
    dir,
    rootFile: join(dir, 'root.pem'),
    caFile: join(dir, 'ca.pem'),
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    leaves,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** `openssl cms -verify` of a detached DER CMS over `data`, trusting `caFile`. */
export function verifyWithOpenssl(dir: string, name: string, cms: Uint8Array, data: Uint8Array, caFile: string) {
  const sig = join(dir, `${name}.der`);
  const content = join(dir, `${name}.bin`);
  writeFileSync(sig, cms);
  writeFileSync(content, data);
  return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', content, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null']);
}

export function printCms(dir: string, name: string, cms: Uint8Array): string {
  const sig = join(dir, `${name}.print.der`);
  writeFileSync(sig, cms);
  const r = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', sig]);
  if (r.status !== 0) throw new Error(`openssl cms -print failed: ${r.stderr}`);
  return r.stdout;
}
