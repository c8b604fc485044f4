/**
 * An NSS certificate database trusting the TEST root, so that poppler's
 * `pdfsig -nssdir sql:<dir> file.pdf` accepts signatures made with the TEST PKI.
 * Shells out to NSS's certutil (Debian: libnss3-tools).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KysoError } from '../errors.js';
import { ensureDir } from './ensure-dir.js';
import { toPem } from './pem.js';

export interface CreateNssDbOptions {
  /** Nickname of the root in the database. Default `kyso TEST Root CA`. */
  nickname?: string;
  /** certutil trust flags (SSL, S/MIME, code signing). Default `CT,C,C`. */
  trust?: string;
  /** certutil executable. Default `certutil` from PATH. */
  certutil?: string;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function runCertutil(bin: string, args: string[]): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    execFile(bin, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (!error) {
        resolveRun({ stdout, stderr });
        return;
      }
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new KysoError('TOOL_NOT_FOUND', `certutil not found (${bin}); install NSS tools (Debian/Ubuntu: apt-get install libnss3-tools)`, {
            vi: `Không tìm thấy certutil (${bin}); hãy cài bộ công cụ NSS (Debian/Ubuntu: apt-get install libnss3-tools)`,
            cause: error,
            details: { tool: 'certutil' },
          }),
        );
        return;
      }
      reject(
        new KysoError('IO_ERROR', `certutil ${args[0]} failed: ${(stderr || error.message).trim()}`, {
          vi: `certutil ${args[0]} thất bại: ${(stderr || error.message).trim()}`,
          cause: error,
          details: { args, stderr },
        }),
      );
    });
  });
}

/**
 * Creates (or reuses) an NSS database in `dir` with an empty password and adds
 * the root certificate as a trusted CA. Returns the `sql:<dir>` spec to pass to
 * `pdfsig -nssdir` / `certutil -d`.
 */
export async function createNssDb(dir: string, rootPemOrDer: string | Uint8Array, options: CreateNssDbOptions = {}): Promise<string> {
  const bin = options.certutil ?? 'certutil';
  const nickname = options.nickname ?? 'kyso TEST Root CA';
  const trust = options.trust ?? 'CT,C,C';
  const abs = resolve(dir);
  const spec = `sql:${abs}`;
  const pem = typeof rootPemOrDer === 'string' ? rootPemOrDer : toPem(rootPemOrDer);
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new KysoError('CERT_INVALID', 'createNssDb: the root is neither a PEM certificate nor DER bytes', {
      vi: 'createNssDb: chứng thư gốc không phải PEM hay DER',
    });
  }
  try {
    await ensureDir(abs);
  } catch (cause) {
    throw new KysoError('IO_ERROR', `Cannot create directory ${abs}`, { vi: `Không tạo được thư mục ${abs}`, cause });
  }
  if (!existsSync(join(abs, 'cert9.db'))) {
    await runCertutil(bin, ['-N', '--empty-password', '-d', spec]);
  }
  const tmp = await mkdtemp(join(tmpdir(), 'kyso-nss-'));
  try {
    const file = join(tmp, 'root.pem');
    await writeFile(file, pem);
    await runCertutil(bin, ['-A', '-n', nickname, '-t', trust, '-i', file, '-d', spec]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return spec;
}
