import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CodeAllocator, openSequenceStore } from '@kyso/core/codes';
import { isKysoError } from '@kyso/core/errors';
import { certifyCopy, type CertifyCopyOptions } from '@kyso/core/workflow';
import { cannotRead, cannotWrite, CliError } from '../cli-error.js';
import { t } from '../lang.js';
import { ltvOptions, parseLevel } from '../options/pades-level.js';
import { loadSigner } from '../options/signer-options.js';

interface CertifyCopyCliOptions {
  output: string;
  list?: string;
  owner: string;
  agency: string;
  book: string;
  officerP12: string;
  officerPasswordEnv?: string;
  officerImage?: string;
  agencyP12: string;
  agencyPasswordEnv?: string;
  sealImage?: string;
  dataDir: string;
  databaseUrl?: string;
  level?: string;
  tsa?: string;
  timeout?: string;
  revocation?: string;
  resultSuffix?: string;
  requestKey?: string;
  caseCode?: string;
  verifyUrl?: string;
  qr?: boolean;
  lockAfterSeal?: boolean;
  pageSize?: string;
  actor?: string;
  json?: boolean;
}

interface ItemResult {
  index: number;
  inputs: string[];
  output: string | null;
  ok: boolean;
  certificationNumber?: number;
  book?: string;
  resultCode?: string;
  error?: { code: string; message: string };
}

const SCAN_EXT = new Set(['.jpg', '.jpeg', '.png', '.pdf']);

export function registerCertifyCopy(program: Command): void {
  program
    .command('certify-copy')
    .description('Chứng thực bản sao điện tử từ bản chính: số chứng thực, lời chứng, mã QR, chữ ký cán bộ và cơ quan / make certified electronic copies')
    .argument('[inputs...]', 'scans (JPEG, PNG) or PDFs of ONE copy; or a folder (one copy per file)')
    .requiredOption('-o, --output <path>', 'output PDF (one copy) or output folder (folder or --list)')
    .option('--list <file>', 'batch: one copy per line, each line one or more files (relative to the list file)')
    .requiredOption('--owner <id>', "owner's identifier (CCCD) for the result code")
    .requiredOption('--agency <code>', "certifying agency's identifier code")
    .requiredOption('--book <n>', 'book number (quyển số)')
    .requiredOption('--officer-p12 <file>', "officer's PKCS#12")
    .option('--officer-password-env <var>', "environment variable holding the officer's PKCS#12 password")
    .option('--officer-image <png>', "officer's handwritten signature (transparent PNG)")
    .requiredOption('--agency-p12 <file>', "agency's PKCS#12")
    .option('--agency-password-env <var>', "environment variable holding the agency's PKCS#12 password")
    .option('--seal-image <png>', "agency's seal (transparent PNG)")
    .option('--data-dir <dir>', 'SQLite data directory of the codes store', './kyso-data')
    .option('--database-url <url>', 'PostgreSQL codes store instead of SQLite (default: env DATABASE_URL)')
    .option('--result-suffix <template>', 'result-code suffix: {ddmmyyyy} {number} {book} {year} (default: {ddmmyyyy} for the owner\'s first copy of the day, {ddmmyyyy}-{number} for the next ones)')
    .option('--request-key <key>', 'idempotency key (default: from the owner, agency, book and the inputs)')
    .option('--case-code <code>', 'case code (mã hồ sơ) to record')
    .option('--verify-url <url>', 'QR code holds this URL ({code} = the result code) instead of the code')
    .option('--no-qr', 'no QR code')
    .option('--no-lock-after-seal', 'leave the copy open for more signatures: the officer does not certify (DocMDP P=2) and the seal does not lock it (FieldMDP P=1)')
    .option('--page-size <size>', 'a4 | image (for scans)', 'a4')
    .option('--level <level>', 'PAdES level: B-B (default), B-T, B-LT or B-LTA', 'B-B')
    .option('--tsa <url>', 'RFC 3161 timestamp authority (needed from B-T up)')
    .option('--timeout <ms>', 'network timeout for the TSA, OCSP and CRL requests', '10000')
    .option('--revocation <policy>', 'B-LT/B-LTA: a certificate that declares no OCSP or CRL is refused (require, default) or left without status (if-declared) / chứng thư không khai báo OCSP hay CRL: từ chối (require) hoặc bỏ qua (if-declared)', 'require')
    .option('--actor <name>', 'who asks, in the codes ledger', 'kyso-cli')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (inputs: string[], o: CertifyCopyCliOptions) => {
      const book = Number(o.book);
      if (!Number.isInteger(book) || book < 1) throw new CliError('CLI_USAGE', { en: `--book "${o.book}" is not a positive integer`, vi: `--book "${o.book}" không phải số nguyên dương` });
      if (o.pageSize !== 'a4' && o.pageSize !== 'image') throw new CliError('CLI_USAGE', { en: '--page-size must be a4 or image', vi: '--page-size phải là a4 hoặc image' });
      const level = parseLevel(o.level);
      const ltv = ltvOptions(o, level);
      const { sets, batch } = await scanSets(inputs, o.list);
      if (sets.length === 0) throw new CliError('CLI_USAGE', { en: 'nothing to certify: give scans, a folder or --list', vi: 'không có gì để chứng thực: hãy đưa bản quét, một thư mục hoặc --list' });

      const officer = await loadSigner({ p12: o.officerP12, ...(o.officerPasswordEnv ? { passwordEnv: o.officerPasswordEnv } : {}) });
      const agency = await loadSigner({ p12: o.agencyP12, ...(o.agencyPasswordEnv ? { passwordEnv: o.agencyPasswordEnv } : {}) });
      const officerImage = o.officerImage ? await readInput(o.officerImage) : undefined;
      const sealImage = o.sealImage ? await readInput(o.sealImage) : undefined;
      const databaseUrl = o.databaseUrl ?? process.env.DATABASE_URL;
      const store = await openSequenceStore({ dataDir: o.dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
      const codes = new CodeAllocator({ store, actor: o.actor ?? 'kyso-cli' });
      if (batch) await mkdir(o.output, { recursive: true });

      const progress = new Progress(sets.length);
      const results: ItemResult[] = [];
      try {
        for (const [i, set] of sets.entries()) {
          const output = batch ? join(o.output, `${String(i + 1).padStart(4, '0')}-${basename(set[0]!, extname(set[0]!))}.pdf`) : o.output;
          const item: ItemResult = { index: i + 1, inputs: set, output: null, ok: false };
          try {
            const bytes = await Promise.all(set.map(readInput));
            const key = o.requestKey
              ? batch ? `${o.requestKey}#${i + 1}` : o.requestKey
              : `cli:${createHash('sha256').update(JSON.stringify([o.owner, o.agency, book, set.map((f) => resolve(f)), bytes.map((b) => createHash('sha256').update(b).digest('hex'))])).digest('hex')}`;
            const options: CertifyCopyOptions = {
              codes,
              requestKey: key,
              agency: o.agency,
              book,
              owner: o.owner,
              ...(o.resultSuffix ? { resultSuffix: o.resultSuffix } : {}),
              ...(o.caseCode ? { caseCode: o.caseCode } : {}),
              officer: { signer: officer, ...(officerImage ? { image: officerImage } : {}) },
              agencySeal: { signer: agency, ...(sealImage ? { image: sealImage } : {}) },
              ...(o.actor ? { actor: o.actor } : {}),
              scans: { pageSize: o.pageSize as 'a4' | 'image' },
              qr: o.qr === false ? false : o.verifyUrl ? { url: o.verifyUrl } : {},
              level,
              ...ltv,
              ...(o.lockAfterSeal === false ? { lockAfterSeal: false } : {}),
            };
            const { pdf, record } = await certifyCopy(bytes, options);
            await writeAtomically(output, pdf);
            Object.assign(item, { ok: true, output, certificationNumber: record.certificationNumber, book: record.bookLabel, resultCode: record.resultCode });
          } catch (e) {
            // The table speaks the invocation's language, as run.ts does for a failure of the whole command.
            item.error =
              isKysoError(e) || e instanceof CliError
                ? { code: e.code, message: t({ en: e.message, vi: e.messageVi }) }
                : { code: 'CLI_FAILED', message: e instanceof Error ? e.message : String(e) };
          }
          results.push(item);
          progress.step(item);
        }
      } finally {
        progress.done();
        await store.close();
      }

      const failed = results.filter((r) => !r.ok).length;
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ total: results.length, ok: results.length - failed, failed, results }, null, 2)}\n`);
      } else {
        process.stdout.write(table(results));
      }
      if (failed > 0) process.exitCode = 1;
    });
}

/** The scan sets: the inputs as one set, a folder's files one per set, or the list file's lines. */
async function scanSets(inputs: string[], list: string | undefined): Promise<{ sets: string[][]; batch: boolean }> {
  if (list) {
    if (inputs.length > 0) throw new CliError('CLI_USAGE', { en: 'give either --list or input files, not both', vi: 'dùng --list hoặc các tệp đầu vào, không dùng cả hai' });
    const text = (await readInput(list)).toString('utf8');
    const base = dirname(list);
    const sets = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/\s+/).map((f) => resolve(base, f)));
    return { sets, batch: true };
  }
  if (inputs.length === 1) {
    const s = await stat(inputs[0]!).catch(() => null);
    if (s?.isDirectory()) {
      const files = (await readdir(inputs[0]!)).filter((f) => SCAN_EXT.has(extname(f).toLowerCase())).sort();
      return { sets: files.map((f) => [join(inputs[0]!, f)]), batch: true };
    }
  }
  return { sets: inputs.length > 0 ? [inputs] : [], batch: false };
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw cannotRead(file, e);
  }
}

async function writeAtomically(output: string, pdf: Uint8Array): Promise<void> {
  const tmp = `${output}.kyso-${process.pid}-${Date.now()}.tmp`;
  try {
    await writeFile(tmp, pdf);
    await rename(tmp, output);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw cannotWrite(output, e);
  }
}

/** A bar on a terminal, plain lines otherwise (logs, pipes). */
class Progress {
  readonly #tty = Boolean(process.stderr.isTTY);
  #n = 0;
  constructor(readonly total: number) {}

  step(r: ItemResult): void {
    this.#n++;
    const what = r.ok ? `ok ${r.certificationNumber} ${r.resultCode}` : `FAILED ${r.error?.code}: ${r.error?.message}`;
    if (this.#tty) {
      const width = 30;
      const filled = Math.round((this.#n / this.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#n}/${this.total}`);
      if (!r.ok) process.stderr.write(`\n${basename(r.inputs[0]!)}: ${what}\n`);
    } else {
      process.stderr.write(`[${this.#n}/${this.total}] ${r.inputs.map((f) => basename(f)).join(' ')}: ${what}\n`);
    }
  }

  done(): void {
    if (this.#tty && this.#n > 0) process.stderr.write('\n');
  }
}

function table(results: ItemResult[]): string {
  const rows = [['#', 'input', 'status', 'số chứng thực', 'quyển số', 'mã kết quả / error', 'output']];
  for (const r of results) {
    rows.push([
      String(r.index),
      r.inputs.map((f) => basename(f)).join(','),
      r.ok ? 'ok' : 'FAILED',
      r.certificationNumber !== undefined ? String(r.certificationNumber) : '',
      r.book ?? '',
      r.ok ? (r.resultCode ?? '') : `${r.error?.code}: ${r.error?.message}`,
      r.output ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n') + '\n';
}
