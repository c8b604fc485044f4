import type { Command } from 'commander';
import type { TokenDescription } from '@kyso/pkcs11';
import { tokenSelector } from '../options/token-selector.js';

interface ListOptions {
  module: string;
  json?: boolean;
}

interface KeysOptions extends ListOptions {
  token?: string;
  tokenSerial?: string;
  pinEnv?: string;
  pinFile?: string;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('Thiết bị ký số PKCS#11 (USB token, HSM) / PKCS#11 tokens and HSMs');

  token
    .command('list')
    .description('Liệt kê thiết bị / list the tokens a PKCS#11 module sees')
    .requiredOption('--module <path>', 'PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so')
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions) => {
      const { listTokens } = await import('@kyso/pkcs11');
      const tokens = await listTokens(opts.module);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ tokens }, null, 2)}\n`);
        return;
      }
      if (tokens.length === 0) {
        process.stdout.write('Không có thiết bị / no token present\n');
        return;
      }
      for (const t of tokens) process.stdout.write(`${describe(t)}\n`);
    });

  token
    .command('keys')
    .description('Liệt kê khóa và chứng thư trên thiết bị / list the keys and certificates on a token')
    .requiredOption('--module <path>', 'PKCS#11 library')
    .option('--token <label>', 'token label')
    .option('--token-serial <serial>', 'token serial number (instead of --token)')
    .option('--pin-env <var>', 'environment variable holding the PIN (without it only public objects are listed)')
    .option('--pin-file <file>', 'file whose first line is the PIN')
    .option('--json', 'print JSON')
    .action(async (opts: KeysOptions) => {
      const { listKeys } = await import('@kyso/pkcs11');
      const result = await listKeys({
        module: opts.module,
        token: tokenSelector(opts),
        ...(opts.pinEnv !== undefined ? { pinEnv: opts.pinEnv } : {}),
        ...(opts.pinFile !== undefined ? { pinFile: opts.pinFile } : {}),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${describe(result.token)}\n`);
      if (!result.loggedIn) process.stdout.write('  (chưa đăng nhập: chỉ thấy đối tượng công khai / not logged in: public objects only; give --pin-env)\n');
      for (const k of result.keys) {
        const what = k.kind === 'private' ? 'private key' : k.kind === 'public' ? 'public key' : 'certificate';
        const type = k.type ? ` ${k.type}${k.size ? ` ${k.size}` : ''}` : '';
        const auth = k.alwaysAuthenticate ? ' [PIN for each signature]' : '';
        process.stdout.write(`  ${what}${type} label="${k.label}" id=${k.id || '-'}${auth}\n`);
        if (k.certificate) {
          const c = k.certificate;
          process.stdout.write(`    ${c.ca ? 'CA ' : ''}subject: ${c.subject}\n    issuer: ${c.issuer}\n    valid: ${c.notBefore} → ${c.notAfter}\n`);
        }
      }
    });
}

function describe(t: TokenDescription): string {
  const flags = [
    t.initialized ? undefined : 'not initialised',
    t.loginRequired ? 'PIN' : undefined,
    t.protectedAuthenticationPath ? 'PIN pad' : undefined,
    t.pinLocked ? 'PIN LOCKED' : t.pinFinalTry ? 'PIN final try' : t.pinCountLow ? 'PIN tries low' : undefined,
  ].filter(Boolean);
  return `token "${t.label}" serial ${t.serialNumber || '-'} — ${t.manufacturer} ${t.model}${t.slotDescription ? ` (${t.slotDescription})` : ''}${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}
