import { access, constants } from 'node:fs/promises';
import type { Command } from 'commander';
import { type DigestAlgorithm } from '@kyso/core/contracts';
import { isKysoError } from '@kyso/core/errors';
import { parseLockSpec, signPdfFile, type FieldLockOptions, type MdpPermission } from '@kyso/core/sign';
import { cannotRead, CliError } from '../cli-error.js';
import { ltvOptions, parseLevel } from '../options/pades-level.js';
import { loadSigner, type SignerOptions } from '../options/signer-options.js';
import { folderJobs, isFolder, openCscSigner, signFolder, wantsCsc, type CscOptions } from '../options/csc-options.js';
import { addAppearanceOptions, appearanceFor, appearancePlan, type AppearanceCliOptions } from '../options/appearance-options.js';
import { pdfPasswordFrom } from '../secrets.js';

interface SignOptions extends SignerOptions, CscOptions, AppearanceCliOptions {
  output: string;
  reason?: string;
  location?: string;
  contact?: string;
  field?: string;
  fieldName?: string;
  digest?: string;
  resultCode?: string;
  level?: string;
  tsa?: string;
  timeout?: string;
  revocation?: string;
  certify?: string;
  lock?: string;
  lockPermissions?: string;
  pdfPasswordEnv?: string;
}

export function registerSign(program: Command): void {
  const command = program
    .command('sign')
    .description('Ký một tệp PDF (PAdES) / sign a PDF (PAdES)')
    .argument('<input>', 'PDF to sign, or a folder: every PDF in it, into the -o folder')
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
    // The library's name for it (SignOptions.fieldName), so a call and a command line read alike.
    .option('--field-name <name>', 'same as --field')
    .option('--digest <alg>', 'sha256 | sha384 | sha512', 'sha256')
    .option('--pss', 'use RSA-PSS instead of PKCS#1 v1.5 for an RSA key')
    .option('--level <level>', 'PAdES level: B-B (default), B-T, B-LT or B-LTA', 'B-B')
    .option('--tsa <url>', 'RFC 3161 timestamp authority (needed from B-T up)')
    .option('--timeout <ms>', 'network timeout for the TSA, OCSP and CRL requests', '10000')
    .option('--revocation <policy>', 'B-LT/B-LTA: a certificate that declares no OCSP or CRL is refused (require, default) or left without status (if-declared) / chứng thư không khai báo OCSP hay CRL: từ chối (require) hoặc bỏ qua (if-declared)', 'require')
    .option('--result-code <code>', 'result code (mã kết quả) to write into /Info and XMP under the signature')
    .option('--certify <p>', 'certification signature (DocMDP), the first signature only: 1 no changes, 2 form filling and signing, 3 also annotations')
    .option('--lock <fields>', 'lock form fields after this signature (FieldMDP): all | include:<a>,<b> | exclude:<a>,<b>')
    .option('--lock-permissions <p>', 'with --lock (PDF 2.0): what may change after this signature, 1 nothing but DSS and document timestamps, 2 or 3 as --certify')
    .option('--csc <url>', 'sign with a remote key over the CSC API v2: the base URL (e.g. https://host/csc/v2); with --credential and --csc-token-env')
    .option('--credential <id>', 'the CSC credential (with --csc): its id, or subject:<text> for the one whose certificate subject contains the text')
    .option('--csc-token-env <var>', 'environment variable holding the CSC access token (with --csc)')
    .option('--csc-pin-env <var>', 'environment variable holding the credential PIN, if the service asks for one (with --csc)')
    .option('--csc-otp-env <var>', 'environment variable holding the one-time password, if the service asks for one (with --csc)')
    .option('--pkcs11-module <path>', 'sign with a PKCS#11 token / HSM: its library; --key is then the key label or hex id (label:, id:, subject: prefixes allowed)')
    .option('--token <label>', 'PKCS#11 token label (with --pkcs11-module)')
    .option('--token-serial <serial>', 'PKCS#11 token serial number (instead of --token)')
    .option('--pin-env <var>', 'environment variable holding the token PIN (with --pkcs11-module)')
    .option('--pin-file <file>', 'file whose first line is the token PIN (with --pkcs11-module)')
    .option('--pdf-password-env <var>', "environment variable holding an encrypted PDF's user or owner password (default: the empty user password)");
  // The visible signature: none of these options, an invisible one (as before).
  addAppearanceOptions(command)
    .action(async (input: string, opts: SignOptions) => {
      const level = parseLevel(opts.level);
      const ltv = ltvOptions(opts, level);
      const mdp = mdpOptions(opts);
      const fieldName = fieldOption(opts);
      const password = pdfPasswordFrom(opts.pdfPasswordEnv);
      // Checked (and the image read) before any key is opened: a bad --rect asks for no PIN.
      const visible = await appearancePlan(opts);
      // <input> may be a folder: every PDF in it is signed into the -o folder (with --csc under one authorization).
      const folder = await isFolder(input);
      // An unreadable input is told before any key is opened (a token's PIN asked for nothing), and in the CLI's words.
      if (!folder) await access(input, constants.R_OK).catch((e: unknown) => Promise.reject(cannotRead(input, e)));
      if (folder && opts.pkcs11Module !== undefined) {
        throw new CliError('CLI_USAGE', {
          en: 'signing a folder takes --csc, --p12 or --key (a PKCS#11 session here serves one signature)',
          vi: 'ký cả thư mục thì dùng --csc, --p12 hoặc --key (ở đây một phiên PKCS#11 chỉ phục vụ một chữ ký)',
        });
      }
      const signer = wantsCsc(opts) ? await openCscSigner(opts) : await loadSigner(opts);
      // A folder's files all get the same placement (a seal without --rect or --keyword: over each file's last visible signature).
      const signOne = async (from: string, to: string) =>
        signPdfFile(from, to, {
        signer,
        level,
        ...ltv,
        digest: parseDigest(opts.digest),
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.location ? { location: opts.location } : {}),
        ...(opts.contact ? { contactInfo: opts.contact } : {}),
        ...(fieldName ? { fieldName } : {}),
        ...(opts.resultCode ? { resultCode: opts.resultCode } : {}),
        ...password,
        ...mdp,
        ...(visible ? { appearance: await appearanceFor(visible, from, signer, password.pdfPassword) } : {}),
        });
      if (folder) return signFolder(signer, await folderJobs(input, opts.output), async (job) => (await signOne(job.input, job.output)).fieldName);
      const result = await signOne(input, opts.output);
      process.stdout.write(`Đã ký / signed: ${opts.output} (field ${result.fieldName})\n`);
    });
}

/**
 * --field or --field-name (the same option under two names). Both given
 * they must agree: which one wins would be a guess.
 */
function fieldOption(opts: { field?: string; fieldName?: string }): string | undefined {
  if (opts.field !== undefined && opts.fieldName !== undefined && opts.field !== opts.fieldName) {
    throw new CliError('CLI_USAGE', {
      en: `--field "${opts.field}" and --field-name "${opts.fieldName}" are the same option: give one`,
      vi: `--field "${opts.field}" và --field-name "${opts.fieldName}" là cùng một tùy chọn: chỉ dùng một`,
    });
  }
  return opts.field ?? opts.fieldName;
}

/** --certify, --lock and --lock-permissions as signPdf's certify and lock. */
export function mdpOptions(opts: { certify?: string; lock?: string; lockPermissions?: string }): { certify?: { permissions: MdpPermission }; lock?: FieldLockOptions } {
  const certify = opts.certify === undefined ? undefined : permission(opts.certify, '--certify');
  if (opts.lockPermissions !== undefined && opts.lock === undefined) throw new CliError('CLI_USAGE', { en: '--lock-permissions goes with --lock', vi: '--lock-permissions đi cùng --lock' });
  const lockP = opts.lockPermissions === undefined ? undefined : permission(opts.lockPermissions, '--lock-permissions');
  let lock: FieldLockOptions | undefined;
  if (opts.lock !== undefined) {
    try {
      lock = parseLockSpec(opts.lock, lockP);
    } catch (e) {
      throw new CliError('CLI_USAGE', { en: `--lock: ${isKysoError(e) ? e.message : String(e)}`, vi: `--lock: ${isKysoError(e) ? e.messageVi : String(e)}` });
    }
  }
  return { ...(certify ? { certify: { permissions: certify } } : {}), ...(lock ? { lock } : {}) };
}

function permission(value: string, flag: string): MdpPermission {
  const v = value.trim();
  if (v === '1' || v === '2' || v === '3') return Number(v) as MdpPermission;
  throw new CliError('CLI_USAGE', {
    en: `${flag} "${value}": use 1 (no changes), 2 (form filling and signing) or 3 (also annotations)`,
    vi: `${flag} "${value}": dùng 1 (không được thay đổi), 2 (điền biểu mẫu và ký) hoặc 3 (thêm cả chú thích)`,
  });
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
      throw new CliError('CLI_USAGE', { en: `unknown digest "${d}": use sha256, sha384 or sha512`, vi: `không có thuật toán băm "${d}": dùng sha256, sha384 hoặc sha512` });
  }
}

