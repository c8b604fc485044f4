import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { extendPdf } from '@kyso/core/sign';
import { cannotRead, cannotWrite, CliError } from '../cli-error.js';
import { ltvOptions, parseLevel } from '../options/pades-level.js';
import { pdfPasswordFrom } from '../secrets.js';

interface ExtendOptions {
  output: string;
  level: string;
  tsa?: string;
  timeout?: string;
  revocation?: string;
  pdfPasswordEnv?: string;
}

export function registerExtend(program: Command): void {
  program
    .command('extend')
    .description('Bổ sung dữ liệu kiểm tra dài hạn (B-LT, B-LTA) / add long-term validation data to a signed PDF')
    .argument('<input>', 'signed PDF (ours or anyone\'s)')
    .requiredOption('-o, --output <file>', 'extended PDF to write')
    .option('--level <level>', 'B-LT or B-LTA', 'B-LTA')
    .option('--tsa <url>', 'RFC 3161 timestamp authority (for B-LTA)')
    .option('--timeout <ms>', 'network timeout for TSA, OCSP and CRL requests', '10000')
    .option('--revocation <policy>', 'B-LT/B-LTA: a certificate that declares no OCSP or CRL is refused (require, default) or left without status (if-declared) / chứng thư không khai báo OCSP hay CRL: từ chối (require) hoặc bỏ qua (if-declared)', 'require')
    .option('--pdf-password-env <var>', "environment variable holding an encrypted PDF's user or owner password (default: the empty user password)")
    .action(async (input: string, opts: ExtendOptions) => {
      const level = parseLevel(opts.level);
      if (level !== 'B-LT' && level !== 'B-LTA') throw new CliError('CLI_USAGE', { en: 'extend takes --level B-LT or B-LTA', vi: 'extend nhận --level B-LT hoặc B-LTA' });
      const password = pdfPasswordFrom(opts.pdfPasswordEnv);
      const { timestamper, validation } = ltvOptions({ ...(opts.tsa ? { tsa: opts.tsa } : {}), ...(opts.timeout ? { timeout: opts.timeout } : {}), ...(opts.revocation ? { revocation: opts.revocation } : {}) }, level === 'B-LT' ? 'B-B' : level);
      let pdf: Buffer;
      try {
        pdf = await readFile(input);
      } catch (e) {
        throw cannotRead(input, e);
      }
      const out = await extendPdf(pdf, { level, ...password, ...(timestamper ? { timestamper } : {}), ...(validation ? { validation } : {}) });
      const tmp = `${opts.output}.kyso-${process.pid}.tmp`;
      try {
        await writeFile(tmp, out);
        await rename(tmp, opts.output);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw cannotWrite(opts.output, e);
      }
      process.stdout.write(`Đã bổ sung / extended to ${level}: ${opts.output}\n`);
    });
}
