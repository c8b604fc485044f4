import { invalidCode } from './code-error.js';
import { CCCD_PROVINCES } from './cccd-provinces.js';

/**
 * The owner part of a result code: whose document it is.
 *
 * - `cccd`: 12-digit personal ID (căn cước công dân). Digits 1-3 are the
 *   province of birth registration, digit 4 the century and sex (0/1 = male/
 *   female born 1900-1999, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s),
 *   digits 5-6 the last two digits of the birth year, 7-12 random. No check digit.
 * - `cmnd`: the old 9-digit ID (chứng minh nhân dân). Not decoded.
 * - `tax`: an organisation's 10-digit tax code; `tax-branch`: 10 digits, `-`,
 *   3 digits for a dependent unit. The 10th digit is said to be a check digit;
 *   we do not verify it (the algorithm is not in our sources).
 * - `placeholder`: a run of zeros, used when the owner is unknown
 *   (`00000000000` in an official example).
 *
 * @example
 * parseOwnerId('052090000495')
 * // { kind: 'cccd', value: '052090000495', cccd: { provinceCode: '052', province: 'Bình Định', sex: 'male', birthYear: 1990, ... } }
 * parseOwnerId('0101234567-001') // { kind: 'tax-branch', value: '0101234567-001', taxCode: '0101234567', branch: '001' }
 */
export type OwnerKind = 'cccd' | 'cmnd' | 'tax' | 'tax-branch' | 'placeholder';

export interface CccdInfo {
  provinceCode: string;
  /** Province name from the table, or undefined if the code is not in it (only with `allowUnknownProvince`). */
  province: string | undefined;
  sex: 'male' | 'female';
  /** First year of the birth century: 1900, 2000, 2100... */
  century: number;
  birthYear: number;
  /** Digits 7-12. */
  serial: string;
}

export interface OwnerId {
  kind: OwnerKind;
  value: string;
  cccd?: CccdInfo;
  /** The 10-digit tax code, for `tax` and `tax-branch`. */
  taxCode?: string;
  /** The 3-digit dependent-unit number, for `tax-branch`. */
  branch?: string;
}

export interface OwnerIdOptions {
  /** Province table for CCCD digits 1-3 (default: CCCD_PROVINCES, the 63 pre-2025 codes). */
  provinces?: Readonly<Record<string, string>>;
  /** Accept a CCCD whose province code is not in the table (default false). */
  allowUnknownProvince?: boolean;
}

/** The placeholder owner of the official example `00000000000.KQ.G01.000023`. */
export const OWNER_PLACEHOLDER = '00000000000';

const PLACEHOLDER = /^0{1,20}$/;
const CCCD = /^\d{12}$/;
const CMND = /^\d{9}$/;
const TAX = /^(\d{10})(?:-(\d{3}))?$/;

/** Decodes a 12-digit personal ID. Throws CODE_INVALID if it is not one. */
export function describeCccd(id: string, options: OwnerIdOptions = {}): CccdInfo {
  if (!CCCD.test(id)) {
    throw invalidCode(`Not a 12-digit personal ID: "${id}"`, `Không phải số định danh cá nhân 12 chữ số: "${id}"`, { value: id });
  }
  const provinces = options.provinces ?? CCCD_PROVINCES;
  const provinceCode = id.slice(0, 3);
  const province = provinces[provinceCode];
  if (province === undefined && !options.allowUnknownProvince) {
    throw invalidCode(
      `Personal ID "${id}" has unknown province code ${provinceCode}`,
      `Số định danh "${id}" có mã tỉnh ${provinceCode} không tồn tại`,
      { value: id, provinceCode },
    );
  }
  const d4 = Number(id[3]);
  const century = 1900 + 100 * Math.floor(d4 / 2);
  return {
    provinceCode,
    province,
    sex: d4 % 2 === 0 ? 'male' : 'female',
    century,
    birthYear: century + Number(id.slice(4, 6)),
    serial: id.slice(6),
  };
}

/** Classifies and validates an owner identifier. Throws CODE_INVALID. */
export function parseOwnerId(value: string, options: OwnerIdOptions = {}): OwnerId {
  if (typeof value !== 'string') {
    throw invalidCode('Owner identifier must be a string', 'Mã chủ sở hữu phải là chuỗi ký tự');
  }
  if (PLACEHOLDER.test(value)) return { kind: 'placeholder', value };
  if (CCCD.test(value)) return { kind: 'cccd', value, cccd: describeCccd(value, options) };
  if (CMND.test(value)) return { kind: 'cmnd', value };
  const tax = TAX.exec(value);
  if (tax) {
    return tax[2] === undefined
      ? { kind: 'tax', value, taxCode: tax[1]! }
      : { kind: 'tax-branch', value, taxCode: tax[1]!, branch: tax[2] };
  }
  throw invalidCode(
    `Not an owner identifier (12-digit personal ID, 9-digit old ID, tax code or zeros): "${value}"`,
    `Mã chủ sở hữu không hợp lệ (cần số định danh 12 số, CMND 9 số, mã số thuế hoặc dãy số 0): "${value}"`,
    { value },
  );
}

/** True if `value` is a valid owner identifier. */
export function isOwnerId(value: string, options: OwnerIdOptions = {}): boolean {
  try {
    parseOwnerId(value, options);
    return true;
  } catch {
    return false;
  }
}
