import { CliError } from './cli-error.js';

/**
 * A secret from a literal option or an environment variable. The value is
 * never echoed: errors name the variable, not its content.
 */
export function secretFrom(source: { value?: string | undefined; env?: string | undefined }): string | undefined {
  if (source.env !== undefined) {
    const v = process.env[source.env];
    if (v === undefined) throw new CliError(`environment variable ${source.env} is not set`);
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
  return { pdfPassword: secretFrom({ env })! };
}
