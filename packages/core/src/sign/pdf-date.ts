/**
 * PDF dates for /M, in Vietnam time (UTC+07:00) whatever the server's time
 * zone: what officers expect to read in a viewer's signature panel.
 */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

export function pdfDate(date: Date, offsetMinutes = VIETNAM_OFFSET_MINUTES): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}` +
    `${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}` +
    `${sign}${p(Math.floor(abs / 60))}'${p(abs % 60)}'`
  );
}
