/**
 * A real SoftHSM2 token in a temporary directory, set up with the same
 * tools an operator would use: softhsm2-util initialises it, pkcs11-tool
 * generates key pairs on it and exports their public keys, the TEST PKI
 * issues certificates for those public keys, and pkcs11-tool writes the
 * certificates (and the TEST CA certificates) back onto the token.
 *
 * Used by the tests, the example and the benchmark. No mocks.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueLeaf, type TestKeyType, type TestLeafKind, type TestPki, type TestSubject } from '@kyso/core/testing';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface TokenKeySpec {
  label: string;
  /** CKA_ID, hex. */
  id: string;
  /** pkcs11-tool --key-type */
  keyType: 'rsa:2048' | 'rsa:3072' | 'EC:prime256v1' | 'EC:secp384r1';
  /** CKA_ALWAYS_AUTHENTICATE (context-specific login before each signature). */
  alwaysAuth?: boolean;
  /** Issue and store a certificate (default true). */
  certificate?: boolean;
  kind?: TestLeafKind;
  subject?: TestSubject;
}

export interface SoftHsmToken {
  dir: string;
  /** SOFTHSM2_CONF value. */
  conf: string;
  module: string;
  label: string;
  serial: string;
  pin: string;
  soPin: string;
  /** DER certificates by key label. */
  certificates: Record<string, Uint8Array>;
}

/** A directory with a softhsm2.conf of its own; sets process.env.SOFTHSM2_CONF (read at C_Initialize). */
export function softHsmDir(prefix = 'kyso-softhsm-'): { dir: string; conf: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return { dir, conf };
}

function run(cmd: string, args: string[], conf: string): string {
  return execFileSync(cmd, args, { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const KEY_TYPES: Record<TokenKeySpec['keyType'], { test: TestKeyType; alg: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams }> = {
  'rsa:2048': { test: 'rsa2048', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  'rsa:3072': { test: 'rsa3072', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  'EC:prime256v1': { test: 'p256', alg: { name: 'ECDSA', namedCurve: 'P-256' } },
  'EC:secp384r1': { test: 'p384', alg: { name: 'ECDSA', namedCurve: 'P-384' } },
};

/**
 * issueLeaf wants a whole TestKeyPair, but the private key never leaves
 * the token: the public half is the token's, and a throw-away key stands in
 * for the private half (issueLeaf only copies it into `keyPem`, which is
 * never used here). The certificate is signed by the TEST issuing CA.
 */
async function certify(pki: TestPki, spki: Buffer, spec: TokenKeySpec, name: string): Promise<Uint8Array> {
  const t = KEY_TYPES[spec.keyType];
  const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const cryptoPub = await webcrypto.subtle.importKey('spki', spki, t.alg, true, ['verify']);
  const standIn = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const leaf = await issueLeaf(pki, {
    kind: spec.kind ?? 'personal',
    name,
    ...(spec.subject ? { subject: spec.subject } : {}),
    keyPair: {
      keyType: t.test,
      privateKey: standIn,
      publicKey: pub,
      cryptoKeys: { publicKey: cryptoPub, privateKey: cryptoPub } as webcrypto.CryptoKeyPair,
    },
  });
  return leaf.certDer;
}

/** Initialises a token, generates the keys on it, issues and stores their certificates and the TEST CA certificates. */
export async function createSoftHsmToken(options: {
  pki: TestPki;
  label: string;
  pin: string;
  soPin?: string;
  keys: TokenKeySpec[];
  /** Store the TEST issuing CA and root on the token (default true). */
  caCertificates?: boolean;
  /** Reuse a directory from softHsmDir() (several tokens in one SoftHSM). */
  dir?: { dir: string; conf: string };
}): Promise<SoftHsmToken> {
  const { dir, conf } = options.dir ?? softHsmDir();
  const soPin = options.soPin ?? '87654321';
  const { label, pin } = options;
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--so-pin', soPin, '--pin', pin], conf);
  const tool = (args: string[]): string => run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', label, ...args], conf);
  const certificates: Record<string, Uint8Array> = {};
  const work = mkdtempSync(join(dir, 'objects-'));
  for (const spec of options.keys) {
    tool(['--login', '--pin', pin, '--keypairgen', '--key-type', spec.keyType, '--label', spec.label, '--id', spec.id, '--usage-sign', ...(spec.alwaysAuth ? ['--always-auth'] : [])]);
    if (spec.certificate === false) continue;
    const pubFile = join(work, `${spec.id}.pub.der`);
    tool(['--read-object', '--type', 'pubkey', '--id', spec.id, '--output-file', pubFile]);
    const der = await certify(options.pki, readFileSync(pubFile), spec, `pkcs11-${label.replace(/[^A-Za-z0-9]/g, '')}-${spec.label}-${Math.random().toString(36).slice(2, 8)}`);
    const certFile = join(work, `${spec.id}.cert.der`);
    writeFileSync(certFile, der);
    tool(['--login', '--pin', pin, '--write-object', certFile, '--type', 'cert', '--id', spec.id, '--label', spec.label]);
    certificates[spec.label] = der;
  }
  if (options.caCertificates !== false) {
    for (const [i, ca] of [options.pki.issuing, options.pki.root].entries()) {
      const f = join(work, `ca${i}.der`);
      writeFileSync(f, ca.certDer);
      tool(['--login', '--pin', pin, '--write-object', f, '--type', 'cert', '--id', `ca0${i}`, '--label', i === 0 ? 'TEST issuing CA' : 'TEST root CA']);
    }
  }
  const listing = run('softhsm2-util', ['--show-slots'], conf);
  const serial = serialOf(listing, label);
  return { dir, conf, module: SOFTHSM_MODULE, label, serial, pin, soPin, certificates };
}

function serialOf(showSlots: string, label: string): string {
  const blocks = showSlots.split(/^Slot /m);
  for (const b of blocks) {
    const l = b.match(/^\s*Label:\s*(.*)$/m)?.[1]?.trim();
    if (l === label) return b.match(/^\s*Serial number:\s*(.*)$/m)?.[1]?.trim() ?? '';
  }
  return '';
}
