import { CliError, type Bilingual } from './cli-error.js';

/** How to report a secret whose variable is unset or empty. */
export interface MissingSecret {
  /** CLI_PASSWORD_MISSING for a password (a key's, a PDF's), CLI_SECRET_MISSING (the default) for a token, PIN or OTP. */
  code?: 'CLI_PASSWORD_MISSING' | 'CLI_SECRET_MISSING';
  /** What the variable must hold, e.g. "the password of x.p12": the message says to set it so. */
  what?: Bilingual;
}

/**
 * A secret from a literal option or an environment variable. The value is
 * never echoed: errors name the variable, not its content. An empty
 * variable counts as unset: it is a forgotten export far more often than
 * an empty secret (an empty PKCS#12 password is tried when none is given).
 */
export function secretFrom(source: { value?: string | undefined; env?: string | undefined }, missing: MissingSecret = {}): string | undefined {
  if (source.env !== undefined) {
    const v = process.env[source.env];
    if (v === undefined || v === '') {
      const what = missing.what;
      throw new CliError(missing.code ?? 'CLI_SECRET_MISSING', {
        en: `environment variable ${source.env} is ${v === undefined ? 'not set' : 'empty'}${what ? `: set it to ${what.en}` : ''}`,
        vi: `biến môi trường ${source.env} ${v === undefined ? 'chưa được đặt' : 'đang trống'}${what ? `: hãy đặt cho nó ${what.vi}` : ''}`,
      });
    }
    return v;
  }
  return source.value;
}

/**
 * An encrypted PDF's password, from the variable --pdf-password-env names.
 * Only from the environment: a password on the command line is seen by
 * every user of the machine (ps) and kept in shell history.
 */
export function pdfPasswordFrom(env: string | undefined): { pdfPassword?: string } {
  if (env === undefined) return {};
  return {
    pdfPassword: secretFrom(
      { env },
      { code: 'CLI_PASSWORD_MISSING', what: { en: "the PDF's user or owner password (--pdf-password-env)", vi: 'mật khẩu người dùng hoặc chủ sở hữu của tệp PDF (--pdf-password-env)' } },
    )!,
  };
}
