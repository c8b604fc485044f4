import { type Timestamper } from '@kyso/core/contracts';
import { type PadesLevel } from '@kyso/core/sign';
import { tsaTimestamper } from '@kyso/core/time';
import { CliError } from '../cli-error.js';

/** --level as a PAdES level (sign, extend, certify-copy). */
export function parseLevel(level: string | undefined): PadesLevel {
  const l = (level ?? 'B-B').toUpperCase();
  if (l === 'B-B' || l === 'B-T' || l === 'B-LT' || l === 'B-LTA') return l;
  throw new CliError('CLI_USAGE', { en: `unknown level "${level}": use B-B, B-T, B-LT or B-LTA`, vi: `không có mức "${level}": dùng B-B, B-T, B-LT hoặc B-LTA` });
}

/** The TSA and validation-data options a level needs, from --tsa, --timeout and --revocation. */
export function ltvOptions(opts: { tsa?: string; timeout?: string; revocation?: string }, level: PadesLevel): { timestamper?: Timestamper; validation?: { timeoutMs: number; revocation: 'require' | 'if-declared' } } {
  const revocation = opts.revocation ?? 'require';
  if (revocation !== 'require' && revocation !== 'if-declared') {
    throw new CliError('CLI_USAGE', { en: `--revocation "${revocation}": use require or if-declared`, vi: `--revocation "${revocation}": dùng require hoặc if-declared` });
  }
  const timeoutMs = Number(opts.timeout ?? '10000');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CliError('CLI_USAGE', { en: `--timeout "${opts.timeout}" is not a positive number of milliseconds`, vi: `--timeout "${opts.timeout}" không phải số mili giây dương` });
  }
  if (level !== 'B-B' && !opts.tsa) throw new CliError('CLI_USAGE', { en: `level ${level} needs --tsa <url>`, vi: `mức ${level} cần --tsa <url> (máy chủ cấp dấu thời gian)` });
  return {
    ...(opts.tsa ? { timestamper: tsaTimestamper({ url: opts.tsa, timeoutMs }) } : {}),
    validation: { timeoutMs, revocation },
  };
}
