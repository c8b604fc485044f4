import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SoftwareSigner, isKysoError, parseLockSpec, signPdfFile, tsaTimestamper, type DigestAlgorithm, type FieldLockOptions, type MdpPermission, type PadesLevel, type Signer, type Timestamper } from '@kyso/core';
import { Pkcs11Signer, type KeySelector } from '@kyso/pkcs11';
import { tokenSelector } from './token.js';
import { CliError } from '../run.js';
import { secretFrom } from '../secrets.js';

interface SignOptions {
  output: string;
  p12?: string;
  password?: string;
  passwordEnv?: string;
  key?: string;
  cert?: string;
  chain?: string;
  reason?: string;
  location?: string;
  contact?: string;
  field?: string;
  digest?: string;
  pss?: boolean;
  resultCode?: string;
  pkcs11Module?: string;
  token?: string;
  tokenSerial?: string;
  pinEnv?: string;
  pinFile?: string;
  level?: string;
  tsa?: string;
  timeout?: string;
  certify?: string;
  lock?: string;
  lockPermissions?: string;
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('Ký một tệp PDF (PAdES) / sign a PDF (PAdES)')
    .argument('<input>', 'PDF to sign')
    .requiredOption('-o, --output <file>', 'signed PDF to write')
    .option('--p12 <file>', 'PKCS#12 (.p12/.pfx) holding the key and certificate')
    .option('--password <password>', 'PKCS#12 password (prefer --password-env)')
    .option('--password-env <var>', 'environment variable holding the PKCS#12 or key password')
    .option('--key <file>', 'private key PEM (instead of --p12)')
    .option('--cert <file>', 'certificate PEM (with --key)')
    .option('--chain <file>', 'issuing CA certificates PEM (with --key)')
    .option('--reason <text>', 'reason for signing (/Reason)')
    .option('--location <text>', 'place of signing (/Location)')
    .option('--contact <text>', 'contact information (/ContactInfo)')
    .option('--field <name>', 'signature field name (default: next free SignatureN)')
    .option('--digest <alg>', 'sha256 | sha384 | sha512', 'sha256')
    .option('--pss', 'use RSA-PSS instead of PKCS#1 v1.5 for an RSA key')
    .option('--level <level>', 'PAdES level: B-B (default), B-T, B-LT or B-LTA', 'B-B')
    .option('--tsa <url>', 'RFC 3161 timestamp authority (needed from B-T up)')
    .option('--timeout <ms>', 'network timeout for the TSA, OCSP and CRL requests', '10000')
    .option('--result-code <code>', 'result code (mã kết quả) to write into /Info and XMP under the signature')
    .option('--certify <p>', 'certification signature (DocMDP), the first signature only: 1 no changes, 2 form filling and signing, 3 also annotations')
    .option('--lock <fields>', 'lock form fields after this signature (FieldMDP): all | include:<a>,<b> | exclude:<a>,<b>')
    .option('--lock-permissions <p>', 'with --lock (PDF 2.0): what may change after this signature, 1 nothing but DSS and document timestamps, 2 or 3 as --certify')
    .option('--pkcs11-module <path>', 'sign with a PKCS#11 token / HSM: its library; --key is then the key label or hex id (label:, id:, subject: prefixes allowed)')
    .option('--token <label>', 'PKCS#11 token label (with --pkcs11-module)')
    .option('--token-serial <serial>', 'PKCS#11 token serial number (instead of --token)')
    .option('--pin-env <var>', 'environment variable holding the token PIN (with --pkcs11-module)')
    .option('--pin-file <file>', 'file whose first line is the token PIN (with --pkcs11-module)')
    .action(async (input: string, opts: SignOptions) => {
      const level = parseLevel(opts.level);
      const ltv = ltvOptions(opts, level);
      const mdp = mdpOptions(opts);
      const signer = await loadSigner(opts);
      const result = await signPdfFile(input, opts.output, {
        signer,
        level,
        ...ltv,
        digest: parseDigest(opts.digest),
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.location ? { location: opts.location } : {}),
        ...(opts.contact ? { contactInfo: opts.contact } : {}),
        ...(opts.field ? { fieldName: opts.field } : {}),
        ...(opts.resultCode ? { resultCode: opts.resultCode } : {}),
        ...mdp,
      });
      process.stdout.write(`Đã ký / signed: ${opts.output} (field ${result.fieldName})\n`);
    });
}

/** --certify, --lock and --lock-permissions as signPdf's certify and lock. */
export function mdpOptions(opts: { certify?: string; lock?: string; lockPermissions?: string }): { certify?: { permissions: MdpPermission }; lock?: FieldLockOptions } {
  const certify = opts.certify === undefined ? undefined : permission(opts.certify, '--certify');
  if (opts.lockPermissions !== undefined && opts.lock === undefined) throw new CliError('--lock-permissions goes with --lock', 64);
  const lockP = opts.lockPermissions === undefined ? undefined : permission(opts.lockPermissions, '--lock-permissions');
  let lock: FieldLockOptions | undefined;
  if (opts.lock !== undefined) {
    try {
      lock = parseLockSpec(opts.lock, lockP);
    } catch (e) {
      throw new CliError(`--lock: ${isKysoError(e) ? e.message : String(e)}`, 64);
    }
  }
  return { ...(certify ? { certify: { permissions: certify } } : {}), ...(lock ? { lock } : {}) };
}

function permission(value: string, flag: string): MdpPermission {
  const v = value.trim();
  if (v === '1' || v === '2' || v === '3') return Number(v) as MdpPermission;
  throw new CliError(`${flag} "${value}": use 1 (no changes), 2 (form filling and signing) or 3 (also annotations)`, 64);
}

export function parseLevel(level: string | undefined): PadesLevel {
  const l = (level ?? 'B-B').toUpperCase();
  if (l === 'B-B' || l === 'B-T' || l === 'B-LT' || l === 'B-LTA') return l;
  throw new CliError(`unknown level "${level}": use B-B, B-T, B-LT or B-LTA`, 64);
}

/** The TSA and validation-data options a level needs, from --tsa and --timeout. */
export function ltvOptions(opts: { tsa?: string; timeout?: string }, level: PadesLevel): { timestamper?: Timestamper; validation?: { timeoutMs: number } } {
  const timeoutMs = Number(opts.timeout ?? '10000');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout "${opts.timeout}" is not a positive number of milliseconds`, 64);
  if (level !== 'B-B' && !opts.tsa) throw new CliError(`level ${level} needs --tsa <url>`, 64);
  return {
    ...(opts.tsa ? { timestamper: tsaTimestamper({ url: opts.tsa, timeoutMs }) } : {}),
    validation: { timeoutMs },
  };
}

export async function loadSigner(
  opts: Pick<SignOptions, 'p12' | 'password' | 'passwordEnv' | 'key' | 'cert' | 'chain' | 'pss' | 'pkcs11Module' | 'token' | 'tokenSerial' | 'pinEnv' | 'pinFile'>,
): Promise<Signer> {
  if (opts.pkcs11Module !== undefined) {
    if (opts.p12 || opts.cert || opts.password !== undefined || opts.passwordEnv !== undefined) {
      throw new CliError('--pkcs11-module signs with a token: do not combine it with --p12, --cert or --password');
    }
    if (!opts.key) throw new CliError('--pkcs11-module needs --key <label-or-id> (see "kyso token keys")');
    const base = {
      module: opts.pkcs11Module,
      token: tokenSelector(opts),
      ...(opts.pinEnv !== undefined ? { pinEnv: opts.pinEnv } : {}),
      ...(opts.pinFile !== undefined ? { pinFile: opts.pinFile } : {}),
      ...(opts.pss ? { scheme: 'RSA-PSS' as const } : {}),
      ...(opts.chain ? { chain: await readInput(opts.chain) } : {}),
      sessions: 1,
    };
    const m = /^(label|id|subject):(.*)$/s.exec(opts.key);
    let token: Pkcs11Signer;
    if (m) {
      token = await Pkcs11Signer.open({ ...base, key: { [m[1]!]: m[2]! } as unknown as KeySelector });
    } else {
      try {
        token = await Pkcs11Signer.open({ ...base, key: { label: opts.key } });
      } catch (e) {
        // No key with that label: a hexadecimal value may be a CKA_ID.
        if (!(isKysoError(e) && e.code === 'KEY_NOT_FOUND' && /^(0x)?[0-9a-f:]+$/i.test(opts.key))) throw e;
        token = await Pkcs11Signer.open({ ...base, key: { id: opts.key } });
      }
    }
    // One PDF per command: the session closes right after the signature
    // (the module's exit hook covers a failure before signing).
    const oneShot: Signer = {
      certificate: token.certificate,
      chain: token.chain,
      signatureAlgorithm: token.signatureAlgorithm,
      defaultDigest: token.defaultDigest,
      maxSignatureSize: token.maxSignatureSize,
      sign: async (data, digest) => {
        try {
          return await token.sign(data, digest);
        } finally {
          await token.close();
        }
      },
    };
    return oneShot;
  }
  const password = secretFrom({ value: opts.password, env: opts.passwordEnv });
  const signerOptions = opts.pss ? { scheme: 'RSA-PSS' as const } : {};
  if (opts.p12) {
    if (opts.key || opts.cert) throw new CliError('use either --p12 or --key/--cert, not both');
    const bytes = await readInput(opts.p12);
    return SoftwareSigner.fromPkcs12(bytes, password ?? '', signerOptions);
  }
  if (opts.key && opts.cert) {
    const [key, cert, chain] = await Promise.all([readInput(opts.key), readInput(opts.cert), opts.chain ? readInput(opts.chain) : undefined]);
    return SoftwareSigner.fromPem(
      { key, cert, ...(chain ? { chain } : {}), ...(password !== undefined ? { passphrase: password } : {}) },
      signerOptions,
    );
  }
  throw new CliError('a signing key is required: --p12 <file>, or --key <file> with --cert <file>');
}

function parseDigest(d: string | undefined): DigestAlgorithm {
  switch ((d ?? 'sha256').toLowerCase().replace('-', '')) {
    case 'sha256':
      return 'SHA-256';
    case 'sha384':
      return 'SHA-384';
    case 'sha512':
      return 'SHA-512';
    default:
      throw new CliError(`unknown digest "${d}": use sha256, sha384 or sha512`);
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
