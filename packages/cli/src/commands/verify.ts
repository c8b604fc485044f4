import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isKysoError } from '@kyso/core/errors';
import { TrustStore } from '@kyso/core/trust';
import { renderReport, verifyPdf, type VerificationReport } from '@kyso/core/verify';
import { CliError } from '../cli-error.js';
import { pdfPasswordFrom } from '../secrets.js';

interface VerifyOptions {
  json?: boolean;
  policy?: string;
  trust: string[];
  at?: string;
  lang?: string;
  extract?: string;
  output?: string;
  online?: boolean;
  pdfPasswordEnv?: string;
}

/** Exit codes: 0 valid, 1 invalid, 2 indeterminate, 3 the file cannot be read. */
const EXIT = { valid: 0, invalid: 1, indeterminate: 2, unreadable: 3 } as const;

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
    .option('--lang <vi|en>', 'language of the text report', 'vi')
    .option('--extract <n>', 'write the revision signature n signed (1-based) to --output')
    .option('-o, --output <file>', 'where --extract writes')
    .option('--pdf-password-env <var>', "environment variable holding an encrypted PDF's user or owner password (default: the empty user password)")
    .action(async (file: string, opts: VerifyOptions) => {
      const lang = opts.lang === 'en' ? 'en' : opts.lang === 'vi' ? 'vi' : undefined;
      if (!lang) throw new CliError(`unknown language "${opts.lang}": use vi or en`, 64);
      const at = opts.at ? new Date(opts.at) : undefined;
      if (at && Number.isNaN(at.getTime())) throw new CliError(`--at "${opts.at}" is not an ISO 8601 time`, 64);
      if (opts.policy && opts.policy !== 'bcy' && opts.policy !== 'vn') throw new CliError(`unknown policy "${opts.policy}": use bcy or vn`, 64);
      if (opts.extract && !opts.output) throw new CliError('--extract needs --output <file>', 64);

      let pdf: Buffer;
      try {
        pdf = await readFile(file);
      } catch (e) {
        process.stderr.write(`kyso: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        process.exitCode = EXIT.unreadable;
        return;
      }
      const password = pdfPasswordFrom(opts.pdfPasswordEnv);
      const trustStore = await buildStore(opts);
      let report: VerificationReport;
      try {
        report = await verifyPdf(pdf, { ...(trustStore ? { trustStore } : { policy: (opts.policy as 'bcy' | 'vn' | undefined) ?? 'bcy' }), ...(at ? { at } : {}), ...(opts.online ? { online: true } : {}), ...password });
      } catch (e) {
        if (!isKysoError(e)) throw e;
        if (opts.json) process.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
        else process.stderr.write(`kyso: ${e.code}: ${lang === 'vi' ? e.messageVi : e.message}\n`);
        process.exitCode = EXIT.unreadable;
        return;
      }
      if (opts.extract) {
        const n = Number(opts.extract);
        const sig = report.signatures[n - 1];
        if (!Number.isInteger(n) || !sig) throw new CliError(`there is no signature #${opts.extract} (the file has ${report.signatures.length})`);
        if (sig.signedLength === null || sig.format !== 'ok' || sig.signedLength > pdf.length) {
          // Say why: a file re-saved or cut short after signing does not hold the signed version.
          const why = sig.findings.find((f) => f.severity === 'error');
          throw new CliError(`signature #${n} has no usable byte range to extract${why ? `: ${lang === 'vi' ? why.messageVi : why.message}` : ''}`);
        }
        await writeFile(opts.output!, pdf.subarray(0, sig.signedLength));
        process.stderr.write(`${lang === 'vi' ? 'Đã ghi phiên bản được ký bởi chữ ký' : 'Wrote the revision signed by signature'} #${n}: ${opts.output}\n`);
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
      throw new CliError(`cannot load trusted roots from ${path}: ${e instanceof Error ? e.message : String(e)}`, 64);
    }
  }
  return store;
}
