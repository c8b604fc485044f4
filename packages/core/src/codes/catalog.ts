import { invalidCode } from './code-error.js';

/**
 * Catalogues of ministries (level-1 `Gxx` codes) and national result types
 * (`Gxx.nnnnnn`). The full national catalogue is not available to us, so we
 * ship a seed and let users add entries at runtime (from configuration or a
 * database) with `addMinistry` / `addResultType`.
 *
 * @example
 * const catalog = new CodeCatalog();
 * catalog.resultType('G15.000021')?.name // 'Bản sao được chứng thực từ bản chính'
 * catalog.addResultType({ code: 'G15.000099', name: 'Trích lục kết hôn' });
 */
export interface MinistryEntry {
  /** Level-1 agency code, e.g. `G15`. */
  code: string;
  name: string;
}

export interface ResultTypeEntry {
  /** `Gxx.nnnnnn`, e.g. `G15.000021`. */
  code: string;
  /** The name shown after the code in the display form. */
  name: string;
  /**
   * Default suffix (số ký hiệu) when the caller gives none, as a template over
   * the Vietnam issue date: fields `dd`, `mm`, `yyyy`. The certified-copy
   * example uses `{dd}{mm}{yyyy}`.
   */
  suffixTemplate?: string;
}

/**
 * Ministries as listed in our domain notes (before the 2025 government
 * restructuring, which merged several of them: codes and names are data).
 */
export const SEED_MINISTRIES: readonly MinistryEntry[] = Object.freeze([
  { code: 'G01', name: 'Bộ Công an' },
  { code: 'G02', name: 'Bộ Công Thương' },
  { code: 'G03', name: 'Bộ Giáo dục và Đào tạo' },
  { code: 'G04', name: 'Bộ Giao thông vận tải' },
  { code: 'G05', name: 'Bộ Kế hoạch và Đầu tư' },
  { code: 'G06', name: 'Bộ Khoa học và Công nghệ' },
  { code: 'G07', name: 'Bộ Lao động - Thương binh và Xã hội' },
  { code: 'G08', name: 'Bộ Ngoại giao' },
  { code: 'G09', name: 'Bộ Nội vụ' },
  { code: 'G10', name: 'Bộ Nông nghiệp và Phát triển nông thôn' },
  { code: 'G11', name: 'Bộ Quốc phòng' },
  { code: 'G12', name: 'Bộ Tài chính' },
  { code: 'G13', name: 'Bộ Tài nguyên và Môi trường' },
  { code: 'G14', name: 'Bộ Thông tin và Truyền thông' },
  { code: 'G15', name: 'Bộ Tư pháp' },
  { code: 'G16', name: 'Bộ Văn hóa, Thể thao và Du lịch' },
  { code: 'G17', name: 'Bộ Xây dựng' },
  { code: 'G18', name: 'Bộ Y tế' },
  { code: 'G19', name: 'Ngân hàng Nhà nước Việt Nam' },
  { code: 'G20', name: 'Thanh tra Chính phủ' },
  { code: 'G21', name: 'Ủy ban Dân tộc' },
  { code: 'G22', name: 'Văn phòng Chính phủ' },
]);

/** Result types known from official documents (see domain notes §5.1). */
export const SEED_RESULT_TYPES: readonly ResultTypeEntry[] = Object.freeze([
  { code: 'G15.000021', name: 'Bản sao được chứng thực từ bản chính', suffixTemplate: '{dd}{mm}{yyyy}' },
  { code: 'G15.000031', name: 'Giấy khai sinh' },
  { code: 'G15.000032', name: 'Giấy chứng nhận kết hôn' },
  { code: 'G01.000023', name: 'Thẻ căn cước công dân' },
  { code: 'G02.000144', name: 'Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu' },
]);

export const MINISTRY_CODE = /^[A-Z]\d{2}$/;
export const RESULT_TYPE_CODE = /^([A-Z]\d{2})\.(\d{6})$/;

export interface CodeCatalogInit {
  ministries?: readonly MinistryEntry[];
  resultTypes?: readonly ResultTypeEntry[];
  /** Start from the seed entries (default true); the given entries override them. */
  seed?: boolean;
}

export class CodeCatalog {
  readonly #ministries = new Map<string, MinistryEntry>();
  readonly #resultTypes = new Map<string, ResultTypeEntry>();

  constructor(init: CodeCatalogInit = {}) {
    if (init.seed !== false) {
      for (const m of SEED_MINISTRIES) this.addMinistry(m);
      for (const t of SEED_RESULT_TYPES) this.addResultType(t);
    }
    for (const m of init.ministries ?? []) this.addMinistry(m);
    for (const t of init.resultTypes ?? []) this.addResultType(t);
  }

  /** Adds or replaces a ministry. Throws CODE_INVALID on a malformed code or empty name. */
  addMinistry(entry: MinistryEntry): this {
    if (!MINISTRY_CODE.test(entry.code) || !entry.name?.trim()) {
      throw invalidCode(`Bad ministry entry ${JSON.stringify(entry)}`, `Mục bộ, ngành không hợp lệ ${JSON.stringify(entry)}`);
    }
    this.#ministries.set(entry.code, Object.freeze({ ...entry }));
    return this;
  }

  /** Adds or replaces a result type. Throws CODE_INVALID on a malformed code or empty name. */
  addResultType(entry: ResultTypeEntry): this {
    if (!RESULT_TYPE_CODE.test(entry.code) || !entry.name?.trim() || entry.name.includes('\n')) {
      throw invalidCode(`Bad result-type entry ${JSON.stringify(entry)}`, `Mục loại kết quả không hợp lệ ${JSON.stringify(entry)}`);
    }
    this.#resultTypes.set(entry.code, Object.freeze({ ...entry }));
    return this;
  }

  ministry(code: string): MinistryEntry | undefined {
    return this.#ministries.get(code);
  }

  /** Looks up `Gxx.nnnnnn`. */
  resultType(code: string): ResultTypeEntry | undefined {
    return this.#resultTypes.get(code);
  }

  /** Finds a result type by its display name (exact match). */
  resultTypeByName(name: string): ResultTypeEntry | undefined {
    for (const t of this.#resultTypes.values()) if (t.name === name) return t;
    return undefined;
  }

  ministries(): MinistryEntry[] {
    return [...this.#ministries.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  resultTypes(): ResultTypeEntry[] {
    return [...this.#resultTypes.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  toJSON(): { ministries: MinistryEntry[]; resultTypes: ResultTypeEntry[] } {
    return { ministries: this.ministries(), resultTypes: this.resultTypes() };
  }
}

/** A process-wide catalogue with the seed entries; extend it or build your own. */
export const defaultCatalog = new CodeCatalog();
