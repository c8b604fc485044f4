/**
 * Builds throw-away TEST certificate hierarchies with the openssl CLI (a tool we
 * did not write), so chain validation is checked against certificates we did
 * not encode ourselves. Every CA's CN says TEST.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  name: string;
  cert: string; // path, PEM
  key: string; // path
  der: Uint8Array;
  pem: string;
}

export type KeySpec = 'rsa2048' | 'rsa3072' | 'p256' | 'rsa-pss';

export interface IssueOptions {
  /** -subj form, e.g. "/C=VN/O=Kyso/CN=TEST Root". */
  subject: string;
  issuer?: Issued; // self-signed when absent
  /** Body of the extension section (lines). */
  extensions: string[];
  key?: KeySpec;
  /** Reuse an existing private key (for duplicate-subject and cross-certificate tests). */
  reuseKey?: string;
  md?: 'sha256' | 'sha1' | 'sha384';
  startdate?: string; // YYYYMMDDHHMMSSZ
  enddate?: string;
  /** openssl string_mask for the subject (utf8only, pkix, nombstr...). */
  stringMask?: string;
  /** Extra -sigopt values (e.g. rsa_padding_mode:pss). */
  sigopts?: string[];
}

export class TestPki {
  readonly dir: string;
  #n = 0;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'kyso-trust-pki-'));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  #run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  #key(spec: KeySpec, path: string): void {
    if (spec === 'p256') this.#run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
    else if (spec === 'rsa-pss') this.#run(['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path]);
    else this.#run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec === 'rsa3072' ? 3072 : 2048}`, '-out', path]);
  }

  issue(name: string, o: IssueOptions): Issued {
    const n = ++this.#n;
    const work = join(this.dir, `ca-${n}`);
    mkdirSync(join(work, 'newcerts'), { recursive: true });
    writeFileSync(join(work, 'index.txt'), '');
    writeFileSync(join(work, 'serial'), `${(0x1000 + n).toString(16).toUpperCase()}\n`);
    const key = o.reuseKey ?? join(this.dir, `${name}.key`);
    if (!o.reuseKey) this.#key(o.key ?? 'rsa2048', key);
    const csr = join(work, 'req.csr');
    const cnf = join(work, 'openssl.cnf');
    writeFileSync(
      cnf,
      [
        '[ req ]',
        'distinguished_name = dn',
        `string_mask = ${o.stringMask ?? 'utf8only'}`,
        'utf8 = yes',
        '[ dn ]',
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        `dir = ${work}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/newcerts',
        'serial = $dir/serial',
        `default_md = ${o.md ?? 'sha256'}`,
        'policy = policy_any',
        'unique_subject = no',
        'email_in_dn = yes',
        'preserve = yes',
        `string_mask = ${o.stringMask ?? 'utf8only'}`,
        '[ policy_any ]',
        'countryName = optional',
        'stateOrProvinceName = optional',
        'localityName = optional',
        'organizationName = optional',
        'organizationalUnitName = optional',
        'commonName = supplied',
        'UID = optional',
        'emailAddress = optional',
        '[ ext ]',
        ...o.extensions,
        '',
      ].join('\n'),
    );
    this.#run(['req', '-new', '-config', cnf, '-utf8', '-key', key, '-subj', o.subject, '-out', csr]);
    const cert = join(this.dir, `${name}.pem`);
    const args = ['ca', '-batch', '-config', cnf, '-utf8', '-notext', '-in', csr, '-out', cert, '-extensions', 'ext', '-preserveDN'];
    if (o.issuer) args.push('-cert', o.issuer.cert, '-keyfile', o.issuer.key);
    else args.push('-selfsign', '-keyfile', key);
    args.push('-startdate', o.startdate ?? '20240101000000Z', '-enddate', o.enddate ?? '20440101000000Z');
    for (const s of o.sigopts ?? []) args.push('-sigopt', s);
    this.#run(args);
    const pem = readFileSync(cert, 'utf8');
    const b64 = pem.split('-----BEGIN CERTIFICATE-----')[1]?.split('-----END CERTIFICATE-----')[0] ?? '';
    return { name, cert, key, pem, der: new Uint8Array(Buffer.from(b64.replace(/\s+/g, ''), 'base64')) };
  }

  /** Runs `openssl verify` as an independent opinion. */
  opensslVerifies(leaf: Issued, trusted: Issued[], untrusted: Issued[], atEpoch: number): boolean {
    const ca = join(this.dir, `trusted-${++this.#n}.pem`);
    writeFileSync(ca, trusted.map((t) => t.pem).join(''));
    const args = ['verify', '-CAfile', ca, '-attime', String(atEpoch)];
    if (untrusted.length) {
      const un = join(this.dir, `untrusted-${this.#n}.pem`);
      writeFileSync(un, untrusted.map((t) => t.pem).join(''));
      args.push('-untrusted', un);
    }
    args.push(leaf.cert);
    try {
      this.#run(args);
      return true;
    } catch {
      return false;
    }
  }
}

export const EXT_ROOT = ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash'];
export const EXT_CA0 = [
  'basicConstraints = critical, CA:TRUE, pathlen:0',
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
];
export const EXT_CA = ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid'];
export const EXT_LEAF = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, nonRepudiation',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
];
