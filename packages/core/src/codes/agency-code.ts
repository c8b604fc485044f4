import { invalidCode } from './code-error.js';

/**
 * Agency identifier codes (mã định danh cơ quan). Two formats coexist:
 * - `legacy`: `000.00.00.H56`, read right to left (level 1 `H56` = a province,
 *   then lower levels);
 * - `qd20`: Decision 20/2020/QĐ-TTg (amended by 09/2025/QĐ-TTg), `H55.242`,
 *   `G12.18`, read left to right.
 * Codes change when provinces merge (2025): we check the shape only, and the
 * shapes are data (`AGENCY_CODE_FORMATS`), so pass your own list if needed.
 *
 * @example
 * parseAgencyCode('000.00.00.H56') // { code: '000.00.00.H56', format: 'legacy', levels: ['H56', '00', '00', '000'] }
 * parseAgencyCode('H55.242')       // { code: 'H55.242', format: 'qd20', levels: ['H55', '242'] }
 */
export interface AgencyCodeFormat {
  name: string;
  /** Regular expression source, anchored by us. */
  pattern: string;
  /** Order of the levels in the written code. */
  order: 'right-to-left' | 'left-to-right';
}

export const AGENCY_CODE_FORMATS: readonly AgencyCodeFormat[] = Object.freeze([
  { name: 'legacy', pattern: '\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}', order: 'right-to-left' },
  { name: 'qd20', pattern: '[A-Z]\\d{2}(?:\\.[0-9A-Z]{1,4}){0,4}', order: 'left-to-right' },
]);

export interface ParsedAgencyCode {
  code: string;
  format: string;
  /** Levels from level 1 (ministry or province) downwards. */
  levels: string[];
}

/** A regular expression source matching any of the formats (for templates). */
export function agencyCodePattern(formats: readonly AgencyCodeFormat[] = AGENCY_CODE_FORMATS): string {
  return `(?:${formats.map((f) => f.pattern).join('|')})`;
}

/** Validates an agency code against the known formats. Throws CODE_INVALID. */
export function parseAgencyCode(code: string, formats: readonly AgencyCodeFormat[] = AGENCY_CODE_FORMATS): ParsedAgencyCode {
  if (typeof code === 'string' && code.length <= 64) {
    for (const f of formats) {
      if (new RegExp(`^(?:${f.pattern})$`).test(code)) {
        const parts = code.split('.');
        return { code, format: f.name, levels: f.order === 'right-to-left' ? parts.reverse() : parts };
      }
    }
  }
  throw invalidCode(
    `Not an agency identifier code (e.g. 000.00.00.H56 or H55.242): "${String(code)}"`,
    `Mã định danh cơ quan không hợp lệ (ví dụ 000.00.00.H56 hoặc H55.242): "${String(code)}"`,
    { value: code },
  );
}

export function isAgencyCode(code: string, formats: readonly AgencyCodeFormat[] = AGENCY_CODE_FORMATS): boolean {
  try {
    parseAgencyCode(code, formats);
    return true;
  } catch {
    return false;
  }
}
