/**
 * Vietnam local calendar dates, computed arithmetically.
 *
 * Vietnam has used UTC+7 all year, without daylight saving, since 1975. Case
 * codes and certification years are Vietnam dates, so they must not depend on
 * the time zone of the process (`process.env.TZ`) or of the host: we shift the
 * instant by +7 h and read the UTC fields.
 */

/** Offset of Vietnam local time from UTC, in minutes (UTC+7, no DST). */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

/** A calendar date in Vietnam local time. `month` and `day` start at 1. */
export interface VietnamDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The Vietnam calendar date of an instant, whatever `process.env.TZ` says.
 *
 * @example
 * vietnamDate(new Date('2024-02-01T16:59:59Z')) // { year: 2024, month: 2, day: 1 }
 * vietnamDate(new Date('2024-02-01T17:00:00Z')) // { year: 2024, month: 2, day: 2 }
 */
export function vietnamDate(instant: Date | number = Date.now(), offsetMinutes = VIETNAM_UTC_OFFSET_MINUTES): VietnamDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('vietnamDate: invalid instant');
  const shifted = new Date(ms + offsetMinutes * 60_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYMMDD`, as used in case codes. @example formatYYMMDD({ year: 2024, month: 2, day: 2 }) // '240202' */
export function formatYYMMDD(d: VietnamDate): string {
  return pad(d.year % 100, 2) + pad(d.month, 2) + pad(d.day, 2);
}

/** `YYYYMMDD`, a sortable day key (the period of case-code counters). @example '20240202' */
export function formatYYYYMMDD(d: VietnamDate): string {
  return pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2);
}

/** `DDMMYYYY`, as in result-code suffixes that carry an issue date. @example '02022024' */
export function formatDDMMYYYY(d: VietnamDate): string {
  return pad(d.day, 2) + pad(d.month, 2) + pad(d.year, 4);
}

/** True if the year/month/day triple is a real Gregorian date. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(0);
  last.setUTCFullYear(year, month, 0); // day 0 of the next month = last day of this one
  const days = last.getUTCDate();
  return day <= days;
}

/**
 * The century of a two-digit year in `YYMMDD`. Case codes carry two digits only;
 * we read them as 2000-2099, which covers every case code the system issues.
 */
export function expandTwoDigitYear(yy: number, century = 2000): number {
  return century + yy;
}
