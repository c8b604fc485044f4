import { readFile } from 'node:fs/promises';
import { type Signer } from '@kyso/core/contracts';
import { isKysoError } from '@kyso/core/errors';
import { SoftwareSigner } from '@kyso/core/sign';
import type { KeySelector, Pkcs11Signer } from '@kyso/pkcs11';
import { cannotRead, CliError } from '../cli-error.js';
import { secretFrom } from '../secrets.js';
import { tokenSelector } from './token-selector.js';

/** The options that choose a signing key: a PKCS#12, a PEM key and certificate, or a PKCS#11 token. */
export interface SignerOptions {
  p12?: string;
  password?: string;
  passwordEnv?: string;
  key?: string;
  cert?: string;
  chain?: string;
  pss?: boolean;
  pkcs11Module?: string;
  token?: string;
  tokenSerial?: string;
  pinEnv?: string;
  pinFile?: string;
}

/** The Signer the key options name (sign, certify-copy). */
export async function loadSigner(
  opts: SignerOptions,
): Promise<Signer> {
  if (opts.pkcs11Module !== undefined) {
    if (opts.p12 || opts.cert || opts.password !== undefined || opts.passwordEnv !== undefined) {
      throw new CliError('CLI_USAGE', {
        en: '--pkcs11-module signs with a token: do not combine it with --p12, --cert or --password',
        vi: '--pkcs11-module ký bằng thiết bị (token): không dùng cùng --p12, --cert hay --password',
      });
    }
    if (!opts.key) {
      throw new CliError('CLI_USAGE', {
        en: '--pkcs11-module needs --key <label-or-id> (see "kyso token keys")',
        vi: '--pkcs11-module cần --key <nhãn-hoặc-id> (xem "kyso token keys")',
      });
    }
    const base = {
      module: opts.pkcs11Module,
      token: tokenSelector(opts),
      ...(opts.pinEnv !== undefined ? { pinEnv: opts.pinEnv } : {}),
      ...(opts.pinFile !== undefined ? { pinFile: opts.pinFile } : {}),
      ...(opts.pss ? { scheme: 'RSA-PSS' as const } : {}),
      ...(opts.chain ? { chain: await readInput(opts.chain) } : {}),
      sessions: 1,
    };
    // The PKCS#11 binding only for a token: a software key or a verification never loads it.
    const { Pkcs11Signer } = await import('@kyso/pkcs11');
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
  const keyFile = opts.p12 ?? opts.key;
  const password = secretFrom(
    { value: opts.password, env: opts.passwordEnv },
    { code: 'CLI_PASSWORD_MISSING', what: { en: `the password of ${keyFile ?? 'the key'}`, vi: `mật khẩu của ${keyFile ?? 'khóa'}` } },
  );
  const signerOptions = opts.pss ? { scheme: 'RSA-PSS' as const } : {};
  if (opts.p12) {
    if (opts.key || opts.cert) throw new CliError('CLI_USAGE', { en: 'use either --p12 or --key/--cert, not both', vi: 'dùng --p12 hoặc --key/--cert, không dùng cả hai' });
    const bytes = await readInput(opts.p12);
    // No password given: a PKCS#12 may have an empty one, so try it; refused, the password is missing, not wrong.
    return withPassword(opts.p12, password, () => SoftwareSigner.fromPkcs12(bytes, password ?? '', signerOptions));
  }
  if (opts.key && opts.cert) {
    const [key, cert, chain] = await Promise.all([readInput(opts.key), readInput(opts.cert), opts.chain ? readInput(opts.chain) : undefined]);
    return withPassword(opts.key, password, () =>
      SoftwareSigner.fromPem(
        { key, cert, ...(chain ? { chain } : {}), ...(password !== undefined ? { passphrase: password } : {}) },
        signerOptions,
      ),
    );
  }
  throw new CliError('CLI_KEY_MISSING', {
    en: 'a signing key is required: --p12 <file>, or --key <file> with --cert <file>',
    vi: 'cần khóa ký: --p12 <tệp>, hoặc --key <tệp> cùng --cert <tệp>',
  }, 1);
}

/**
 * KEY_BAD_PASSWORD when no password was given means the key wants one:
 * CLI_PASSWORD_MISSING, naming the option. A password given and refused
 * stays KEY_BAD_PASSWORD.
 */
async function withPassword<T>(file: string, password: string | undefined, open: () => T | Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (e) {
    if (!(password === undefined || password === '') || !isKysoError(e) || e.code !== 'KEY_BAD_PASSWORD') throw e;
    throw new CliError('CLI_PASSWORD_MISSING', {
      en: `${file} is protected by a password and none was given: name the environment variable holding it with --password-env <var> (certify-copy: --officer-password-env, --agency-password-env)`,
      vi: `${file} được bảo vệ bằng mật khẩu nhưng chưa có mật khẩu: chỉ ra biến môi trường chứa mật khẩu bằng --password-env <biến> (certify-copy: --officer-password-env, --agency-password-env)`,
    });
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
}
