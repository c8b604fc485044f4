import type { Command } from 'commander';
import { CodeAllocator, defaultCatalog, formatResultCodeDisplay, openSequenceStore, parseAgencyCode, parseCaseCode, parseCertBook, parseCertNumberLine, parseOwnerId, parseResultCodeDisplay, type SequenceStore } from '@kyso/core/codes';
import { isKysoError } from '@kyso/core/errors';
import { CliError } from '../cli-error.js';

interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
  dbSchema?: string;
  actor?: string;
  idempotencyKey?: string;
  reserve?: boolean;
}

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'thư mục dữ liệu SQLite / SQLite data directory', './kyso-data')
    .option('--database-url <url>', 'PostgreSQL thay cho SQLite / use PostgreSQL (default: env DATABASE_URL)')
    .option('--db-schema <name>', 'lược đồ PostgreSQL / PostgreSQL schema', 'public')
    .option('--actor <name>', 'người yêu cầu, ghi vào sổ / who asks, recorded in the ledger')
    .option('--idempotency-key <key>', 'yêu cầu lặp lại nhận cùng kết quả / a retried request gets the same result')
    .option('--reserve', 'chỉ giữ chỗ, chưa xác nhận / reserve only, do not confirm');
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000) throw new CliError('CLI_USAGE', { en: `--count must be an integer 1..10000, got "${value}"`, vi: `--count phải là số nguyên từ 1 đến 10000, nhận được "${value}"` });
  return n;
}

function parseBook(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new CliError('CLI_USAGE', { en: `--book must be a positive integer, got "${value}"`, vi: `--book phải là số nguyên dương, nhận được "${value}"` });
  return n;
}

async function withAllocator<T>(o: StoreOptions, fn: (codes: CodeAllocator) => Promise<T>): Promise<T> {
  const databaseUrl = o.databaseUrl ?? process.env.DATABASE_URL;
  const store: SequenceStore = await openSequenceStore({
    dataDir: o.dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(o.dbSchema ? { schema: o.dbSchema } : {}),
  });
  try {
    return await fn(new CodeAllocator({ store, actor: o.actor ?? process.env.USER ?? 'cli' }));
  } finally {
    await store.close();
  }
}

function issue(o: StoreOptions) {
  return { ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}), confirm: !o.reserve };
}

function print(lines: string[]): void {
  process.stdout.write(lines.map((l) => l + '\n').join(''));
}

/** What a string is, and its fields. */
export function describeCode(text: string): Record<string, unknown> {
  const t = text.trim();
  const attempts: Array<[string, () => Record<string, unknown>]> = [
    [
      'result',
      () => {
        const p = parseResultCodeDisplay(t);
        const name = p.name ?? defaultCatalog.resultType(p.type)?.name;
        const ministry = defaultCatalog.ministry(p.ministry)?.name;
        return {
          kind: 'result',
          ...p,
          ...(name ? { name, display: formatResultCodeDisplay(p.code, { name }) } : {}),
          ...(ministry ? { ministryName: ministry } : {}),
        };
      },
    ],
    [
      'case',
      () => {
        const p = parseCaseCode(t);
        return { kind: 'case', ...p, agencyFormat: parseAgencyCode(p.agency).format };
      },
    ],
    ['cert-number', () => ({ kind: 'cert-number', ...parseCertNumberLine(t) })],
    ['cert-book', () => ({ kind: 'cert-book', ...parseCertBook(t) })],
    [
      'owner',
      () => {
        const { kind: ownerKind, ...rest } = parseOwnerId(t);
        return { kind: 'owner', ownerKind, ...rest };
      },
    ],
    ['agency', () => ({ kind: 'agency', ...parseAgencyCode(t) })],
  ];
  for (const [, attempt] of attempts) {
    try {
      return attempt();
    } catch (e) {
      if (!isKysoError(e)) throw e;
    }
  }
  throw new CliError(
    'CLI_INPUT_INVALID',
    {
      en: `not a result code, case code, certification number, owner or agency code: "${t}"`,
      vi: `không phải mã kết quả, mã hồ sơ, số chứng thực, mã chủ sở hữu hay mã cơ quan: "${t}"`,
    },
    1,
  );
}

function flatten(value: unknown, prefix = ''): string[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix}: ${String(value)}`];
}

export function registerCode(program: Command): void {
  const code = program.command('code').description('Mã kết quả, mã hồ sơ, số chứng thực / result codes, case codes, certification numbers');

  storeOptions(
    code
      .command('result')
      .description('Cấp mã kết quả (mỗi mã một lần) / issue a result code, once')
      .requiredOption('--owner <id>', 'CCCD 12 số, CMND 9 số, mã số thuế hoặc 00000000000 / owner identifier')
      .requiredOption('--type <Gxx.nnnnnn>', 'mã loại kết quả, ví dụ G15.000021 / result-type code')
      .option('--suffix <text>', 'số ký hiệu (mặc định theo danh mục) / document number (default from the catalogue)')
      .option('--display', 'in kèm tên loại kết quả / print the display form with the type name'),
  ).action(async (o: StoreOptions & { owner: string; type: string; suffix?: string; display?: boolean }) => {
    const issued = await withAllocator(o, (codes) =>
      codes.resultCode({ owner: o.owner, type: o.type, ...(o.suffix !== undefined ? { suffix: o.suffix } : {}) }, issue(o)),
    );
    print([o.display ? formatResultCodeDisplay(issued.code) : issued.code]);
  });

  storeOptions(
    code
      .command('case')
      .description('Cấp mã hồ sơ <mã cơ quan>-<YYMMDD>-<NNNN> theo giờ Việt Nam / allocate case codes (Vietnam date)')
      .requiredOption('--agency <code>', 'mã định danh cơ quan, ví dụ 000.00.00.H56 hoặc H55.242 / agency code')
      .option('--count <n>', 'số lượng / how many', parseCount, 1),
  ).action(async (o: StoreOptions & { agency: string; count: number }) => {
    const issued = await withAllocator(o, (codes) => codes.caseCodes(o.agency, { ...issue(o), count: o.count }));
    print(issued.map((c) => c.code));
  });

  storeOptions(
    code
      .command('cert-number')
      .description('Cấp số chứng thực theo năm / allocate certification numbers for this year')
      .requiredOption('--agency <code>', 'mã định danh cơ quan / agency code')
      .requiredOption('--book <n>', 'số quyển / book number', parseBook)
      .option('--count <n>', 'số lượng / how many', parseCount, 1),
  ).action(async (o: StoreOptions & { agency: string; book: number; count: number }) => {
    const issued = await withAllocator(o, (codes) => codes.certNumbers(o.agency, o.book, { ...issue(o), count: o.count }));
    print(issued.map((c) => c.line));
  });

  code
    .command('parse')
    .description('Phân tích một mã / explain a code')
    .argument('<code>', 'mã kết quả, mã hồ sơ, dòng số chứng thực, quyển số, mã chủ sở hữu hoặc mã cơ quan')
    .option('--json', 'xuất JSON / print JSON')
    .action((text: string, o: { json?: boolean }) => {
      const d = describeCode(text);
      print(o.json ? [JSON.stringify(d, null, 2)] : flatten(d));
    });
}
