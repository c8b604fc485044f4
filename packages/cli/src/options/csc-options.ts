import { readdir, stat, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type Signer } from '@kyso/core/contracts';
import { CscSigner } from '@kyso/core/sign';
import { CliError } from '../cli-error.js';
import { formatError } from '../print-error.js';
import { secretFrom } from '../secrets.js';

/** `kyso sign --csc`: a remote key behind a CSC v2 service. */
export interface CscOptions {
  csc?: string;
  credential?: string;
  cscTokenEnv?: string;
  cscPinEnv?: string;
  cscOtpEnv?: string;
  timeout?: string;
}

/** True when the options name a CSC service rather than a local key. */
export function wantsCsc(opts: CscOptions): boolean {
  return opts.csc !== undefined || opts.credential !== undefined || opts.cscTokenEnv !== undefined;
}

/**
 * Opens the credential. The access token comes only from an environment
 * variable (a command line is visible to every user of the machine);
 * `--credential subject:<text>` picks the one credential whose certificate
 * subject contains the text.
 */
export async function openCscSigner(opts: CscOptions & { p12?: string; key?: string; pkcs11Module?: string }): Promise<CscSigner> {
  if (opts.p12 !== undefined || opts.key !== undefined || opts.pkcs11Module !== undefined) {
    throw new CliError('CLI_USAGE', {
      en: '--csc signs with a remote key: do not combine it with --p12, --key or --pkcs11-module',
      vi: '--csc ký bằng khóa từ xa: không dùng cùng --p12, --key hay --pkcs11-module',
    });
  }
  if (!opts.csc) {
    throw new CliError('CLI_USAGE', {
      en: '--credential and --csc-token-env go with --csc <url> (the CSC API base, e.g. https://host/csc/v2)',
      vi: '--credential và --csc-token-env đi cùng --csc <url> (địa chỉ gốc của CSC API, ví dụ https://host/csc/v2)',
    });
  }
  if (!opts.credential) throw new CliError('CLI_USAGE', { en: '--csc needs --credential <id> (or subject:<text>)', vi: '--csc cần --credential <id> (hoặc subject:<văn-bản>)' });
  if (!opts.cscTokenEnv) {
    throw new CliError('CLI_USAGE', {
      en: '--csc needs --csc-token-env <var>: the environment variable holding the access token',
      vi: '--csc cần --csc-token-env <biến>: biến môi trường chứa mã truy cập (access token)',
    });
  }
  const token = secretFrom({ env: opts.cscTokenEnv }, { what: { en: 'the CSC access token (--csc-token-env)', vi: 'mã truy cập CSC (--csc-token-env)' } });
  // secretFrom refuses an empty variable already; kept so a token is never empty whatever secretFrom becomes.
  if (!token) throw new CliError('CLI_SECRET_MISSING', { en: `environment variable ${opts.cscTokenEnv} is empty`, vi: `biến môi trường ${opts.cscTokenEnv} đang trống` }, 64);
  const pin = opts.cscPinEnv !== undefined ? secretFrom({ env: opts.cscPinEnv }, { what: { en: 'the credential PIN (--csc-pin-env)', vi: 'mã PIN của chứng thư (--csc-pin-env)' } }) : undefined;
  const otp = opts.cscOtpEnv !== undefined ? secretFrom({ env: opts.cscOtpEnv }, { what: { en: 'the one-time password (--csc-otp-env)', vi: 'mật khẩu dùng một lần (--csc-otp-env)' } }) : undefined;
  const timeoutMs = Number(opts.timeout ?? '30000');
  const subject = /^subject:(.+)$/s.exec(opts.credential)?.[1];
  return CscSigner.open({
    url: opts.csc,
    token,
    ...(subject !== undefined ? { certificateSubject: subject } : { credentialId: opts.credential }),
    ...(pin !== undefined || otp !== undefined ? { authData: { ...(pin !== undefined ? { PIN: pin } : {}), ...(otp !== undefined ? { OTP: otp } : {}) } } : {}),
    ...(Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs } : {}),
  });
}

/** The PDFs of a folder (not its subfolders), by name, and where each signed copy goes. */
export async function folderJobs(input: string, output: string): Promise<{ input: string; output: string }[]> {
  if (resolve(input) === resolve(output)) {
    throw new CliError('CLI_USAGE', { en: '-o must be another folder than the input: the originals are kept', vi: '-o phải là thư mục khác thư mục đầu vào: bản gốc được giữ nguyên' });
  }
  const out = await stat(output).catch(() => undefined);
  if (out && !out.isDirectory()) throw new CliError('CLI_USAGE', { en: `-o ${output}: signing a folder writes into a folder`, vi: `-o ${output}: ký cả thư mục thì ghi ra một thư mục` });
  await mkdir(output, { recursive: true });
  const names = (await readdir(input, { withFileTypes: true })).filter((e) => e.isFile() && /\.pdf$/i.test(e.name)).map((e) => e.name);
  names.sort();
  if (names.length === 0) throw new CliError('CLI_NOT_FOUND', { en: `${input} holds no PDF`, vi: `${input} không có tệp PDF nào` }, 1);
  return names.map((n) => ({ input: join(input, n), output: join(output, basename(n)) }));
}

/** Whether a path is a folder. */
export async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Runs `sign` over every job, a few at a time: with a CSC signer the
 * hashes of documents in flight together leave in one signHash call, and
 * one authorization covers the folder.
 */
export async function signFolder(
  signer: Signer,
  jobs: { input: string; output: string }[],
  sign: (job: { input: string; output: string }) => Promise<string>,
  concurrency = 16,
): Promise<void> {
  if (signer instanceof CscSigner) await signer.authorize(jobs.length);
  let next = 0;
  let ok = 0;
  const failed: { input: string; error: unknown }[] = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        try {
          const field = await sign(job);
          ok++;
          process.stdout.write(`Đã ký / signed: ${job.output} (field ${field})\n`);
        } catch (error) {
          failed.push({ input: job.input, error });
        }
      }
    }),
  );
  // Each failure as run.ts prints one, after the file's name.
  for (const f of failed) process.stderr.write(formatError(f.error, undefined, f.input));
  const how = signer instanceof CscSigner ? ', một lần ủy quyền / one authorization' : '';
  process.stdout.write(`Đã ký / signed ${ok} of ${jobs.length} PDF${how}\n`);
  if (failed.length > 0) process.exitCode = 1;
}
