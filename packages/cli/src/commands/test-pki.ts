import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { isKysoError } from '@kyso/core/errors';
import type { TestKeyType } from '@kyso/core/testing';
import { CliError } from '../cli-error.js';

/** The TEST PKI kit, loaded when this command runs (it brings @peculiar/x509 and node-forge, which no other command needs at start-up). */
type Testing = typeof import('@kyso/core/testing');

interface TestPkiCliOptions {
  out: string;
  key: TestKeyType;
  password?: string;
  baseUrl?: string;
  nssdb: boolean;
  expired: boolean;
  force: boolean;
}

async function checkTarget(dir: string, force: boolean, manifest: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return; // absent: writeTestPki creates it
  }
  if (entries.length > 0 && !entries.includes(manifest) && !force) {
    throw new CliError(`${dir} is not empty and holds no TEST PKI; choose another directory or pass --force`, 64);
  }
}

function checkBaseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new CliError(`--base-url is not a URL: ${value}`, 64);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CliError(`--base-url must be http(s): ${value}`, 64);
  return value;
}

/**
 * '@kyso/core/testing' is a separate bundle with its own copy of the KysoError
 * class, so `isKysoError` (instanceof) misses its errors: recognise them by
 * name and code, and hand run.ts a CliError printed the same way.
 */
function kysoCode(e: unknown): string | undefined {
  if (isKysoError(e)) return e.code;
  const code: unknown = e instanceof Error && e.name === 'KysoError' ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function asReportable(e: unknown): unknown {
  if (isKysoError(e) || e instanceof CliError) return e;
  const code = kysoCode(e);
  return code ? new CliError(`${code}: ${(e as Error).message}`, 1) : e;
}

async function generate(opts: TestPkiCliOptions, testing: Testing): Promise<void> {
  const { createNssDb, createTestPki, writeTestPki } = testing;
  if (!testing.TEST_KEY_TYPES.includes(opts.key)) throw new CliError(`--key "${opts.key}": one of ${testing.TEST_KEY_TYPES.join(', ')}`, 64);
  const dir = resolve(opts.out);
  const baseUrl = checkBaseUrl(opts.baseUrl ?? testing.DEFAULT_BASE_URL);
  const password = opts.password ?? testing.DEFAULT_TEST_PKI_PASSWORD;
  await checkTarget(dir, opts.force, testing.TEST_PKI_MANIFEST);
  const started = Date.now();
  const pki = await createTestPki({ key: opts.key, baseUrl, expiredLeaf: opts.expired });
  const files = await writeTestPki(pki, dir, { password });
  let nss: string | undefined;
  let nssWarning: string | undefined;
  if (opts.nssdb) {
    try {
      nss = await createNssDb(join(dir, 'nssdb'), pki.root.certDer, { nickname: 'kyso TEST Root CA' });
    } catch (e) {
      // The PEM and p12 files are usable without it: warn, do not fail.
      if (kysoCode(e) === 'TOOL_NOT_FOUND') nssWarning = (e as Error).message;
      else throw e;
    }
  }
  const out = process.stdout;
  out.write(`TEST PKI (${opts.key}) written to ${dir} in ${Date.now() - started} ms — NOT A REAL CA, for tests only.\n`);
  const label = (s: string): string => `${s}:`.padEnd(15);
  out.write(`  ${label('root')}${pki.root.subject}\n`);
  out.write(`  ${label('issuing-ca')}${pki.issuing.subject}\n`);
  for (const leaf of Object.values(pki.leaves)) out.write(`  ${label(leaf.name)}${leaf.subject}\n`);
  out.write(`  ${label('URLs')}${pki.urls.issuingCert} ${pki.urls.ocsp} ${pki.urls.issuingCrl} ${pki.urls.rootCrl}\n`);
  out.write(`Files in ${dir}:\n`);
  for (const f of files) out.write(`  ${relative(dir, f)}\n`);
  if (nss) {
    out.write(`  nssdb/  (NSS database trusting the TEST root)\n`);
    out.write(`Check a signed PDF: pdfsig -nssdir ${nss} -no-ocsp file.pdf  (drop -no-ocsp while a TEST OCSP responder serves ${pki.urls.ocsp}: kyso serve --pki ${dir} runs one)\n`);
  }
  out.write(`p12 password: ${password}  (<name>.p12: AES-256/SHA-256 like OpenSSL 3; <name>.legacy.p12: 3DES/RC2/SHA-1 like Windows)\n`);
  if (nssWarning) process.stderr.write(`kyso: warning: NSS database not created: ${nssWarning}\n`);
}

export function registerTestPki(program: Command): void {
  program
    .command('test-pki')
    .description('Tạo một PKI THỬ NGHIỆM (TEST) cho kiểm thử / create a TEST PKI for tests and trials (never for real signatures)')
    .requiredOption('-o, --out <dir>', 'output directory / thư mục ghi ra')
    // Choices and defaults come from the kit when the command runs (checked there), so listing commands loads none of it.
    .addOption(new Option('--key <type>', 'key type of every certificate (rsa2048, rsa3072, rsa4096, p256, p384) / loại khóa').default('rsa2048'))
    .option('--password <pw>', 'password of the .p12 files (default: the kit\'s TEST password) / mật khẩu tệp .p12')
    .option('--base-url <url>', 'base of the AIA / OCSP / CRL URLs (default: a loopback address) / gốc các URL AIA, OCSP, CRL')
    .option('--expired', 'also issue an expired personal certificate (expired.*) / thêm chứng thư đã hết hạn', false)
    .option('--no-nssdb', 'do not create the NSS database for pdfsig / không tạo CSDL NSS')
    .option('--force', 'write into a non-empty directory / ghi vào thư mục không rỗng', false)
    .action(async (opts: TestPkiCliOptions) => {
      try {
        await generate(opts, await import('@kyso/core/testing'));
      } catch (e) {
        throw asReportable(e);
      }
    });
}
