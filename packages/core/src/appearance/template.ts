/**
 * Text templates of appearances: `Người ký: {commonName}`,
 * `Thời gian ký: {signingTime:vn}`. A line whose fields are all missing
 * is dropped, so the same layout serves signers with and without an email.
 */
import { KysoError } from '../errors.js';
import { VIETNAM_UTC_OFFSET_MINUTES } from '../codes/vietnam-time.js';

/** What a text template can refer to. Every field is optional. */
export interface AppearanceData {
  /** CN of the signer's certificate. */
  commonName?: string;
  /** E / emailAddress. */
  email?: string;
  /** O. */
  organization?: string;
  /** OU values in certificate order (level-2 unit first, as SignerIdentity gives them). */
  organizationalUnits?: readonly string[];
  /** Signing time; shown in Vietnam time (+07:00) whatever the process time zone. */
  signingTime?: Date;
  /** The copying or signing agency's name (copy and attachment stamps). */
  agency?: string;
  /** SAO Y, SAO LỤC or TRÍCH SAO. */
  copyType?: string;
  /** Document number/symbol (số ký hiệu) of an attachment. */
  docNumber?: string;
  /** Any other named value a custom template refers to. */
  fields?: Readonly<Record<string, string | number | Date | undefined>>;
}

/**
 * Formats after a colon:
 * - `vn`   dd.MM.yyyy HH:mm:ss +07:00
 * - `iso`  yyyy-MM-ddTHH:mm:ss+07:00
 * - `date` dd/MM/yyyy
 * - `long` Ngày dd tháng MM năm yyyy
 * - `upper` upper case (Vietnamese-aware)
 */
export type TemplateFormat = 'vn' | 'iso' | 'date' | 'long' | 'upper';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The wall-clock fields of an instant in Vietnam (UTC+7, no DST). */
export function vietnamClock(d: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new KysoError('SIGN_OPTIONS_INVALID', 'Invalid date in appearance data.', { vi: 'Ngày giờ trong dữ liệu hiển thị không hợp lệ.' });
  const s = new Date(ms + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return { year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), hour: s.getUTCHours(), minute: s.getUTCMinutes(), second: s.getUTCSeconds() };
}

/** `dd.MM.yyyy HH:mm:ss +07:00`. */
export function formatVietnamTime(d: Date): string {
  const c = vietnamClock(d);
  return `${pad(c.day)}.${pad(c.month)}.${pad(c.year, 4)} ${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)} +07:00`;
}

/** ISO 8601 with the Vietnam offset, e.g. `2024-02-02T14:34:45+07:00`. */
export function formatIsoVietnam(d: Date): string {
  const c = vietnamClock(d);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}+07:00`;
}

/** `Ngày dd tháng MM năm yyyy`. */
export function formatLongVietnamDate(d: Date): string {
  const c = vietnamClock(d);
  return `Ngày ${pad(c.day)} tháng ${pad(c.month)} năm ${pad(c.year, 4)}`;
}

/** The value of a field name, with the derived ones (`agencyPath`). */
function lookup(data: AppearanceData, name: string): string | number | Date | undefined {
  switch (name) {
    case 'agencyPath': {
      // Cơ quan: <OU3>, <OU2>, <O>: the lowest unit first.
      const parts = [...(data.organizationalUnits ?? [])].reverse();
      if (data.organization) parts.push(data.organization);
      const s = parts.filter((p) => p.trim() !== '').join(', ');
      return s === '' ? undefined : s;
    }
    case 'commonName':
    case 'email':
    case 'organization':
    case 'agency':
    case 'copyType':
    case 'docNumber':
      return data[name] || undefined;
    case 'signingTime':
      return data.signingTime;
    default: {
      const m = /^organizationalUnits\[(\d+)\]$/.exec(name);
      if (m) return data.organizationalUnits?.[Number(m[1])] || undefined;
      const v = data.fields?.[name];
      return v === '' ? undefined : v;
    }
  }
}

function format(value: string | number | Date, fmt: string | undefined): string {
  if (value instanceof Date) {
    switch (fmt) {
      case undefined:
      case 'vn':
        return formatVietnamTime(value);
      case 'iso':
        return formatIsoVietnam(value);
      case 'long':
        return formatLongVietnamDate(value);
      case 'date': {
        const c = vietnamClock(value);
        return `${pad(c.day)}/${pad(c.month)}/${pad(c.year, 4)}`;
      }
      case 'upper':
        return formatVietnamTime(value);
    }
  }
  const s = String(value);
  if (fmt === 'upper') return s.toLocaleUpperCase('vi');
  return s;
}

const FIELD = /\{([A-Za-z_][\w.[\]]*)(?::([a-z]+))?\}/g;

/**
 * Fills a template. Returns undefined when the template names fields and
 * none of them has a value (the line is then left out); a missing field
 * among present ones renders as empty.
 */
export function fillTemplate(template: string, data: AppearanceData): string | undefined {
  let named = 0;
  let present = 0;
  const out = template.replace(FIELD, (_all, name: string, fmt: string | undefined) => {
    named++;
    const v = lookup(data, name);
    if (v === undefined || v === null) return '';
    present++;
    return format(v, fmt);
  });
  if (named > 0 && present === 0) return undefined;
  return out.normalize('NFC');
}
