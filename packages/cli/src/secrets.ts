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
