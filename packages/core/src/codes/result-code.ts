import { codeError, invalidCode } from './code-error.js';
import { defaultCatalog, RESULT_TYPE_CODE, type CodeCatalog } from './catalog.js';
import { parseOwnerId, type OwnerId, type OwnerIdOptions } from './owner-id.js';

/**
 * Result code in the citizen's data store (mã kết quả):
 * `<owner>.KQ.<Gxx>.<nnnnnn>[.<suffix>]`, shown with the result-type name
 * appended: `<code>.<name>`. There is no check digit.
 *
 * @example
 * buildResultCode({ owner: '052090000495', type: 'G15.000021', suffix: '02022024' })
 * // '052090000495.KQ.G15.000021.02022024'
 * parseResultCode('052098000814.KQ.G02.000144.CS10387')
 * // { owner: '052098000814', ministry: 'G02', serial: '000144', type: 'G02.000144', suffix: 'CS10387', ... }
 * formatResultCodeDisplay('052090000495.KQ.G15.000021.02022024')
 * // '052090000495.KQ.G15.000021.02022024.Bản sao được chứng thực từ bản chính'
 */
export interface ResultCodeParts {
  owner: string;
  /** `Gxx.nnnnnn`; or give `ministry` and `serial`. */
  type?: string;
  ministry?: string;
  serial?: string | number;
  /** Document number/symbol (số ký hiệu); optional. */
  suffix?: string;
}

export interface ParsedResultCode {
  code: string;
  owner: string;
  ownerInfo: OwnerId;
  ministry: string;
  serial: string;
  /** `Gxx.nnnnnn`. */
  type: string;
  suffix?: string;
}

export interface ResultCodeFormat {
  /** The literal after the owner (default `KQ`, "kết quả"). */
  marker: string;
  /** Allowed suffix characters, as a regular expression source (anchored by us). */
  suffixPattern: string;
}

/**
 * Suffixes: letters (any script), digits, `/`, `-`, `_`; no dot (the separator)
 * and no space (which tells a suffix from a display name); at most 64 chars.
 */
export const DEFAULT_RESULT_CODE_FORMAT: Readonly<ResultCodeFormat> = Object.freeze({
  marker: 'KQ',
  suffixPattern: '[\\p{L}\\p{N}][\\p{L}\\p{N}_/-]{0,63}',
});

export interface ResultCodeOptions extends OwnerIdOptions {
  format?: Partial<ResultCodeFormat>;
  catalog?: CodeCatalog;
  /** Reject result types missing from the catalogue (default false: the catalogue is partial). */
  requireKnownType?: boolean;
}

function formatOf(options: ResultCodeOptions): ResultCodeFormat {
  return { ...DEFAULT_RESULT_CODE_FORMAT, ...options.format };
}

function suffixRegExp(format: ResultCodeFormat): RegExp {
  return new RegExp(`^(?:${format.suffixPattern})$`, 'u');
}

/** Splits `Gxx.nnnnnn`. Throws CODE_INVALID. */
export function parseResultType(type: string): { ministry: string; serial: string } {
  const m = RESULT_TYPE_CODE.exec(type);
  if (!m) {
    throw invalidCode(`Not a result-type code (Gxx.nnnnnn): "${type}"`, `Mã loại kết quả không hợp lệ (dạng Gxx.nnnnnn): "${type}"`, { value: type });
  }
  return { ministry: m[1]!, serial: m[2]! };
}

function checkType(type: string, options: ResultCodeOptions): void {
  if (options.requireKnownType && !(options.catalog ?? defaultCatalog).resultType(type)) {
    throw codeError('CODE_NOT_FOUND', `Result type ${type} is not in the catalogue`, `Loại kết quả ${type} không có trong danh mục`, {
      details: { type },
    });
  }
}

/** Builds a result code from its parts, validating each. Throws CODE_INVALID. */
export function buildResultCode(parts: ResultCodeParts, options: ResultCodeOptions = {}): string {
  const format = formatOf(options);
  parseOwnerId(parts.owner, options);
  let type: string;
  if (parts.type !== undefined) {
    type = parts.type;
  } else {
    const serial = typeof parts.serial === 'number' ? String(parts.serial).padStart(6, '0') : (parts.serial ?? '');
    type = `${parts.ministry ?? ''}.${serial}`;
  }
  parseResultType(type);
  checkType(type, options);
  let code = `${parts.owner}.${format.marker}.${type}`;
  if (parts.suffix !== undefined && parts.suffix !== '') {
    if (!suffixRegExp(format).test(parts.suffix)) {
      throw invalidCode(
        `Bad result-code suffix "${parts.suffix}" (letters, digits, / - _, no dot or space, at most 64)`,
        `Số ký hiệu "${parts.suffix}" không hợp lệ (chữ, số, / - _, không có dấu chấm hay khoảng trắng, tối đa 64 ký tự)`,
        { suffix: parts.suffix },
      );
    }
    code += `.${parts.suffix}`;
  }
  return code;
}

/**
 * Parses and validates a result code (without display name). Throws CODE_INVALID.
 */
export function parseResultCode(code: string, options: ResultCodeOptions = {}): ParsedResultCode {
  const { parsed, rest } = parseHead(code, options);
  if (rest === undefined) return parsed;
  const format = formatOf(options);
  if (!suffixRegExp(format).test(rest)) {
    throw invalidCode(`Bad suffix in result code "${code}"`, `Số ký hiệu trong mã kết quả "${code}" không hợp lệ`, { value: code });
  }
  return { ...parsed, code, suffix: rest };
}

function parseHead(text: string, options: ResultCodeOptions): { parsed: ParsedResultCode; rest: string | undefined } {
  const format = formatOf(options);
  const fail = (): never => {
    throw invalidCode(
      `Not a result code (<owner>.${format.marker}.<Gxx>.<nnnnnn>[.<suffix>]): "${text}"`,
      `Không phải mã kết quả (dạng <chủ sở hữu>.${format.marker}.<Gxx>.<nnnnnn>[.<số ký hiệu>]): "${text}"`,
      { value: text },
    );
  };
  if (typeof text !== 'string' || text.length > 512) fail();
  const pieces = text.split('.');
  if (pieces.length < 4 || pieces[1] !== format.marker) fail();
  const [owner, , ministry, serial] = pieces as [string, string, string, string];
  const type = `${ministry}.${serial}`;
  if (!RESULT_TYPE_CODE.test(type)) fail();
  const ownerInfo = parseOwnerId(owner, options);
  checkType(type, options);
  const rest = pieces.length > 4 ? pieces.slice(4).join('.') : undefined;
  const head = `${owner}.${format.marker}.${type}`;
  return { parsed: { code: head, owner, ownerInfo, ministry, serial, type }, rest: rest };
}

/** True if `code` is a valid result code (without display name). */
export function isResultCode(code: string, options: ResultCodeOptions = {}): boolean {
  try {
    parseResultCode(code, options);
    return true;
  } catch {
    return false;
  }
}

/**
 * The display form: the code followed by `.` and the result-type name. The name
 * comes from `name` or the catalogue; throws CODE_NOT_FOUND if neither has it.
 */
export function formatResultCodeDisplay(code: string | ResultCodeParts, options: ResultCodeOptions & { name?: string } = {}): string {
  const parsed = typeof code === 'string' ? parseResultCode(code, options) : parseResultCode(buildResultCode(code, options), options);
  const name = options.name ?? (options.catalog ?? defaultCatalog).resultType(parsed.type)?.name;
  if (!name) {
    throw codeError('CODE_NOT_FOUND', `No name for result type ${parsed.type} in the catalogue`, `Danh mục không có tên cho loại kết quả ${parsed.type}`, {
      details: { type: parsed.type },
    });
  }
  return `${parsed.code}.${name}`;
}

/**
 * Parses a result code with or without its display name. A trailing part is the
 * type's name if it equals the catalogue name, or if it cannot be a suffix (it
 * has a space or a character a suffix may not have); with two or more trailing
 * parts, the first is the suffix and the rest the name.
 *
 * @example
 * parseResultCodeDisplay('00000000000.KQ.G01.000023.Thẻ căn cước công dân')
 * // { ..., type: 'G01.000023', suffix: undefined, name: 'Thẻ căn cước công dân' }
 */
export function parseResultCodeDisplay(text: string, options: ResultCodeOptions = {}): ParsedResultCode & { name?: string } {
  const { parsed, rest } = parseHead(text, options);
  if (rest === undefined) return parsed;
  const known = (options.catalog ?? defaultCatalog).resultType(parsed.type)?.name;
  const suffixOk = suffixRegExp(formatOf(options));
  let suffix: string | undefined;
  let name: string | undefined;
  if (known !== undefined && rest === known) {
    name = known;
  } else if (known !== undefined && rest.endsWith('.' + known)) {
    suffix = rest.slice(0, -known.length - 1);
    name = known;
  } else {
    const dot = rest.indexOf('.');
    if (dot >= 0) {
      suffix = rest.slice(0, dot);
      name = rest.slice(dot + 1);
    } else if (suffixOk.test(rest)) {
      suffix = rest;
    } else {
      name = rest;
    }
  }
  if (suffix !== undefined && !suffixOk.test(suffix)) {
    throw invalidCode(`Bad suffix in result code "${text}"`, `Số ký hiệu trong mã kết quả "${text}" không hợp lệ`, { value: text });
  }
  if (name !== undefined && !name.trim()) {
    throw invalidCode(`Empty result-type name in "${text}"`, `Tên loại kết quả trống trong "${text}"`, { value: text });
  }
  const code = parsed.code + (suffix !== undefined ? '.' + suffix : '');
  return { ...parsed, code, ...(suffix !== undefined ? { suffix } : {}), ...(name !== undefined ? { name } : {}) };
}
