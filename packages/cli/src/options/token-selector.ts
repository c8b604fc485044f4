import type { TokenSelector } from '@kyso/pkcs11';
import { CliError } from '../cli-error.js';

/** --token or --token-serial as a PKCS#11 token selector (sign, token). */
export function tokenSelector(opts: { token?: string | undefined; tokenSerial?: string | undefined }): TokenSelector {
  if (opts.token !== undefined && opts.tokenSerial !== undefined) {
    throw new CliError('CLI_USAGE', { en: 'use either --token <label> or --token-serial <serial>, not both', vi: 'dùng --token <nhãn> hoặc --token-serial <số-sê-ri>, không dùng cả hai' });
  }
  if (opts.token !== undefined) return { label: opts.token };
  if (opts.tokenSerial !== undefined) return { serial: opts.tokenSerial };
  throw new CliError('CLI_USAGE', {
    en: 'choose the token: --token <label> or --token-serial <serial> (see "kyso token list")',
    vi: 'chọn thiết bị: --token <nhãn> hoặc --token-serial <số-sê-ri> (xem "kyso token list")',
  });
}
