import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isKysoError } from '@kyso/core/errors';
import { TrustStore } from '@kyso/core/trust';
import { renderReport, verifyPdf, type VerificationReport } from '@kyso/core/verify';
import { cannotRead, cannotWrite, CliError } from '../cli-error.js';
import { currentLang, parseLang, type Lang } from '../lang.js';
import { formatError } from '../print-error.js';
import { pdfPasswordFrom } from '../secrets.js';

interface VerifyOptions {
  json?: boolean;
  policy?: string;
  trust: string[];
  at?: string;
  lang?: Lang;
  extract?: string;
  output?: string;
  online?: boolean;
  pdfPasswordEnv?: string;
}

/** Exit codes: 0 valid, 1 invalid, 2 indeterminate, 3 the file cannot be read, 4 not signed at all; with --extract 0 once the revision is written. */
const EXIT = { valid: 0, invalid: 1, indeterminate: 2, unreadable: 3, unsigned: 4 } as const;

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Kiểm tra chữ ký số trong tệp PDF / verify the signatures of a PDF')
    .argument('<file>', 'PDF to verify')
    .option('--json', 'print the report as JSON')
    .option('--policy <name>', 'trust policy: bcy (BCY roots only) or vn (BCY + national roots)')
    .option('--trust <pem>', 'trust the roots in this PEM file or directory (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--at <iso-time>', 'validate as of this time')
    .option('--online', 'check revocation online (OCSP, CRL) where the file embeds no data')
    // Kept from before the program's --lang; the program takes --lang wherever it stands, so both are one option.
    .option('--lang <vi|en>', 'language of the text report (default: the program\'s --lang, env KYSO_LANG, then vi)', parseLang)
    .option('--extract <n>', 'write the revision signature n signed (1-based) to --output')
    .option('-o, --output <file>', 'where --extract writes')
    .option('--pdf-password-env <var>', "environment variable holding an encrypted PDF's user or owner password (default: the empty user password)")
    .action(async (file: string, opts: VerifyOptions) => {
      const lang = opts.lang ?? currentLang();
      const at = opts.at ? new Date(opts.at) : undefined;
      if (at && Number.isNaN(at.getTime())) throw new CliError('CLI_USAGE', { en: `--at "${opts.at}" is not an ISO 8601 time`, vi: `--at "${opts.at}" không phải thời điểm ISO 8601` });
      if (opts.policy && opts.policy !== 'bcy' && opts.policy !== 'vn') {
        throw new CliError('CLI_USAGE', { en: `unknown policy "${opts.policy}": use bcy or vn`, vi: `không có chính sách "${opts.policy}": dùng bcy hoặc vn` });
      }
      if (opts.extract && !opts.output) throw new CliError('CLI_USAGE', { en: '--extract needs --output <file>', vi: '--extract cần --output <tệp>' });

      let pdf: Buffer;
      try {
        pdf = await readFile(file);
      } catch (e) {
        throw cannotRead(file, e, EXIT.unreadable);
      }
      const password = pdfPasswordFrom(opts.pdfPasswordEnv);
      const trustStore = await buildStore(opts);
      let report: VerificationReport;
      try {
        report = await verifyPdf(pdf, { ...(trustStore ? { trustStore } : { policy: (opts.policy as 'bcy' | 'vn' | undefined) ?? 'bcy' }), ...(at ? { at } : {}), ...(opts.online ? { online: true } : {}), ...password });
      } catch (e) {
        if (!isKysoError(e)) throw e;
        if (opts.json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
        // Printed here rather than thrown: the exit code is 3, not run.ts's 1.
        else process.stderr.write(formatError(e, lang));
        process.exitCode = EXIT.unreadable;
        return;
      }
      if (opts.extract) {
        const n = Number(opts.extract);
        const sig = report.signatures[n - 1];
        if (!Number.isInteger(n) || !sig) {
          throw new CliError('CLI_NOT_FOUND', {
            en: `there is no signature #${opts.extract} (the file has ${report.signatures.length})`,
            vi: `không có chữ ký #${opts.extract} (tệp có ${report.signatures.length} chữ ký)`,
          });
        }
        if (sig.signedLength === null || sig.format !== 'ok' || sig.signedLength > pdf.length) {
          // Say why: a file re-saved or cut short after signing does not hold the signed version.
          const why = sig.findings.find((f) => f.severity === 'error');
          throw new CliError('CLI_INPUT_INVALID', {
            en: `signature #${n} has no usable byte range to extract${why ? `: ${why.message}` : ''}`,
            vi: `chữ ký #${n} không có vùng byte dùng được để trích ra${why ? `: ${why.messageVi}` : ''}`,
          });
        }
        try {
          await writeFile(opts.output!, pdf.subarray(0, sig.signedLength));
        } catch (e) {
          throw cannotWrite(opts.output!, e);
        }
        // Extracting is the job asked for and it is done: exit 0 and no report. The verdict
        // (exit 1-2) is for a plain `kyso verify`, and would make a script think extraction failed.
        if (opts.json) process.stdout.write(`${JSON.stringify({ extracted: { signature: n, field: sig.field, output: opts.output, bytes: sig.signedLength } }, null, 2)}\n`);
        else process.stderr.write(`${lang === 'vi' ? 'Đã ghi phiên bản được ký bởi chữ ký' : 'Wrote the revision signed by signature'} #${n}: ${opts.output}\n`);
        process.exitCode = 0;
        return;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, lang));
      process.exitCode = EXIT[report.verdict];
    });
}

async function buildStore(opts: VerifyOptions): Promise<TrustStore | undefined> {
  if (opts.trust.length === 0) return undefined;
  const store = opts.policy ? TrustStore.forPolicy(opts.policy as 'bcy' | 'vn') : new TrustStore('custom');
  for (const path of opts.trust) {
    try {
      await store.addAnchorsFromPath(path);
    } catch (e) {
      const why = { en: e instanceof Error ? e.message : String(e), vi: isKysoError(e) ? e.messageVi : e instanceof Error ? e.message : String(e) };
      throw new CliError('CLI_USAGE', { en: `cannot load trusted roots from ${path}: ${why.en}`, vi: `không nạp được chứng thư gốc tin cậy từ ${path}: ${why.vi}` });
    }
  }
  return store;
}
