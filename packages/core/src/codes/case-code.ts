import { invalidCode } from './code-error.js';
import { AGENCY_CODE_FORMATS, agencyCodePattern, parseAgencyCode, type AgencyCodeFormat } from './agency-code.js';
import { matchTemplate, parseTemplate, renderTemplate } from './template.js';
import { expandTwoDigitYear, isValidDate, vietnamDate, type VietnamDate } from './vietnam-time.js';

/**
 * Case code (mã hồ sơ thủ tục hành chính), Circular 01/2018/TT-VPCP art. 19:
 * `<agency code>-<YYMMDD>-<NNNN>`: the receiving agency, the receipt date in
 * Vietnam local time (UTC+7), and a running number per agency per day from 1.
 *
 * @example
 * buildCaseCode({ agency: '000.00.00.H56', date: new Date('2024-02-01T17:00:00Z'), sequence: 7 })
 * // '000.00.00.H56-240202-0007'
 * parseCaseCode('H55.242-240202-0012')
 * // { code: 'H55.242-240202-0012', agency: 'H55.242', date: { year: 2024, month: 2, day: 2 }, sequence: 12 }
 */
export interface CaseCodeFormat {
  /** Fields: `agency`, `yy`, `mm`, `dd`, `seq` (its width is the number of digits). */
  template: string;
  agencyFormats: readonly AgencyCodeFormat[];
}

export const DEFAULT_CASE_CODE_FORMAT: Readonly<CaseCodeFormat> = Object.freeze({
  template: '{agency}-{yy:2}{mm:2}{dd:2}-{seq:4}',
  agencyFormats: AGENCY_CODE_FORMATS,
});

export interface CaseCodeParts {
  agency: string;
  /** A Vietnam calendar date, or an instant (converted to Vietnam time). */
  date: VietnamDate | Date;
  sequence: number;
}

export interface ParsedCaseCode {
  code: string;
  agency: string;
  date: VietnamDate;
  sequence: number;
}

function formatOf(format: Partial<CaseCodeFormat> | undefined): CaseCodeFormat {
  return { ...DEFAULT_CASE_CODE_FORMAT, ...format };
}

/** The largest running number the format can hold (9999 for `{seq:4}`). */
export function maxCaseSequence(format?: Partial<CaseCodeFormat>): number {
  const seq = parseTemplate(formatOf(format).template).find((p) => typeof p !== 'string' && p.name === 'seq');
  const width = typeof seq === 'object' && seq.width ? seq.width : 4;
  return 10 ** width - 1;
}

/** Builds a case code. Throws CODE_INVALID on a bad agency, date or sequence. */
export function buildCaseCode(parts: CaseCodeParts, options: { format?: Partial<CaseCodeFormat> } = {}): string {
  const format = formatOf(options.format);
  parseAgencyCode(parts.agency, format.agencyFormats);
  const d = parts.date instanceof Date ? vietnamDate(parts.date) : parts.date;
  if (!isValidDate(d.year, d.month, d.day) || d.year < 2000 || d.year > 2099) {
    throw invalidCode(`Bad case-code date ${JSON.stringify(d)}`, `Ngày trong mã hồ sơ không hợp lệ ${JSON.stringify(d)}`);
  }
  const max = maxCaseSequence(format);
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > max) {
    throw invalidCode(`Case-code running number must be 1..${max}, got ${parts.sequence}`, `Số thứ tự hồ sơ phải từ 1 đến ${max}, nhận được ${parts.sequence}`);
  }
  return renderTemplate(format.template, {
    agency: parts.agency,
    yy: d.year % 100,
    mm: d.month,
    dd: d.day,
    seq: parts.sequence,
  });
}

/** Parses and validates a case code. Throws CODE_INVALID. */
export function parseCaseCode(code: string, options: { format?: Partial<CaseCodeFormat> } = {}): ParsedCaseCode {
  const format = formatOf(options.format);
  const width = String(maxCaseSequence(format)).length;
  const m =
    typeof code === 'string' && code.length <= 128
      ? matchTemplate(format.template, code, {
          agency: agencyCodePattern(format.agencyFormats),
          yy: '\\d{2}',
          mm: '\\d{2}',
          dd: '\\d{2}',
          seq: `\\d{${width}}`,
        })
      : undefined;
  const fail = (why: string, whyVi: string): never => {
    throw invalidCode(`Not a case code (<agency>-<YYMMDD>-<NNNN>): "${String(code)}" (${why})`, `Mã hồ sơ không hợp lệ (dạng <mã cơ quan>-<YYMMDD>-<NNNN>): "${String(code)}" (${whyVi})`, {
      value: code,
    });
  };
  if (!m) return fail('shape', 'sai cấu trúc');
  const date = { year: expandTwoDigitYear(Number(m.yy)), month: Number(m.mm), day: Number(m.dd) };
  if (!isValidDate(date.year, date.month, date.day)) fail('no such date', 'ngày không tồn tại');
  const sequence = Number(m.seq);
  if (sequence < 1) fail('running number 0', 'số thứ tự bằng 0');
  parseAgencyCode(m.agency!, format.agencyFormats);
  return { code, agency: m.agency!, date, sequence };
}

export function isCaseCode(code: string, options: { format?: Partial<CaseCodeFormat> } = {}): boolean {
  try {
    parseCaseCode(code, options);
    return true;
  } catch {
    return false;
  }
}
