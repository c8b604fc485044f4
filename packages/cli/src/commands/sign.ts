import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SoftwareSigner, signPdfFile, type DigestAlgorithm, type Signer } from '@kyso/core';
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
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('Ký một tệp PDF (PAdES B-B) / sign a PDF (PAdES B-B)')
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
    .option('--result-code <code>', 'result code (mã kết quả) to write into /Info and XMP under the signature')
    .action(async (input: string, opts: SignOptions) => {
      const signer = await loadSigner(opts);
      const result = await signPdfFile(input, opts.output, {
        signer,
        digest: parseDigest(opts.digest),
        ...(opts.reason ? { reason: opts.reason } : {}),
        ...(opts.location ? { location: opts.location } : {}),
        ...(opts.contact ? { contactInfo: opts.contact } : {}),
        ...(opts.field ? { fieldName: opts.field } : {}),
        ...(opts.resultCode ? { resultCode: opts.resultCode } : {}),
      });
      process.stdout.write(`Đã ký / signed: ${opts.output} (field ${result.fieldName})\n`);
    });
}

export async function loadSigner(opts: Pick<SignOptions, 'p12' | 'password' | 'passwordEnv' | 'key' | 'cert' | 'chain' | 'pss'>): Promise<Signer> {
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
