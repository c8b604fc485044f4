import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { isKysoError } from '@kyso/core';
import {
  DEFAULT_BASE_URL,
  DEFAULT_TEST_PKI_PASSWORD,
  TEST_KEY_TYPES,
  TEST_PKI_MANIFEST,
  createNssDb,
  createTestPki,
  writeTestPki,
  type TestKeyType,
} from '@kyso/core/testing';
import { CliError } from '../cli-error.js';

interface TestPkiCliOptions {
  out: string;
  key: TestKeyType;
  password: string;
  baseUrl: string;
  nssdb: boolean;
  expired: boolean;
  force: boolean;
}

async function checkTarget(dir: string, force: boolean): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return; // absent: writeTestPki creates it
  }
  if (entries.length > 0 && !entries.includes(TEST_PKI_MANIFEST) && !force) {
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

async function generate(opts: TestPkiCliOptions): Promise<void> {
  const dir = resolve(opts.out);
  const baseUrl = checkBaseUrl(opts.baseUrl);
  await checkTarget(dir, opts.force);
  const started = Date.now();
  const pki = await createTestPki({ key: opts.key, baseUrl, expiredLeaf: opts.expired });
  const files = await writeTestPki(pki, dir, { password: opts.password });
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
    out.write(`Check a signed PDF: pdfsig -nssdir ${nss} -no-ocsp file.pdf  (drop -no-ocsp while a TEST OCSP responder serves ${pki.urls.ocsp})\n`);
  }
  out.write(`p12 password: ${opts.password}  (<name>.p12: AES-256/SHA-256 like OpenSSL 3; <name>.legacy.p12: 3DES/RC2/SHA-1 like Windows)\n`);
  if (nssWarning) process.stderr.write(`kyso: warning: NSS database not created: ${nssWarning}\n`);
}

export function registerTestPki(program: Command): void {
  program
    .command('test-pki')
    .description('Tạo một PKI THỬ NGHIỆM (TEST) cho kiểm thử / create a TEST PKI for tests and trials (never for real signatures)')
    .requiredOption('-o, --out <dir>', 'output directory / thư mục ghi ra')
    .addOption(new Option('--key <type>', 'key type of every certificate / loại khóa').choices([...TEST_KEY_TYPES]).default('rsa2048'))
    .option('--password <pw>', 'password of the .p12 files / mật khẩu tệp .p12', DEFAULT_TEST_PKI_PASSWORD)
    .option('--base-url <url>', 'base of the AIA / OCSP / CRL URLs / gốc các URL AIA, OCSP, CRL', DEFAULT_BASE_URL)
    .option('--expired', 'also issue an expired personal certificate (expired.*) / thêm chứng thư đã hết hạn', false)
    .option('--no-nssdb', 'do not create the NSS database for pdfsig / không tạo CSDL NSS')
    .option('--force', 'write into a non-empty directory / ghi vào thư mục không rỗng', false)
    .action(async (opts: TestPkiCliOptions) => {
      try {
        await generate(opts);
      } catch (e) {
        throw asReportable(e);
      }
    });
}
