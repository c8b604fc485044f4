/**
 * UTCTime / GeneralizedTime decoding for the CMS inspector (signing-time,
 * TSTInfo genTime). Strict on shape, tolerant on what real producers emit
 * (fractional seconds, a missing seconds field in UTCTime, +hhmm offsets).
 */
import { contentOf, isUniversal, malformed, TAG, type Node } from './der.js';

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?$/;

export function timeOf(n: Node | undefined, what: string): Date {
  if (!n || n.idBlock.isConstructed) throw malformed(`${what}: expected a time`, `${what}: cần một giá trị thời gian`);
  const text = Buffer.from(contentOf(n)).toString('latin1');
  let y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0, zone: string | undefined;
  if (isUniversal(n, TAG.utcTime)) {
    const m = UTC.exec(text);
    if (!m) throw malformed(`${what}: invalid UTCTime`, `${what}: UTCTime không hợp lệ`);
    const yy = Number(m[1]);
    y = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 4.1.2.5.1
    [mo, d, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
    zone = m[7];
  } else if (isUniversal(n, TAG.generalizedTime)) {
    const m = GENERALIZED.exec(text);
    if (!m) throw malformed(`${what}: invalid GeneralizedTime`, `${what}: GeneralizedTime không hợp lệ`);
    [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? '0'), Number(m[6] ?? '0')];
    if (m[7]) ms = Math.floor(Number(`0.${m[7]}`) * 1000);
    zone = m[8] ?? 'Z'; // local time without zone: treated as UTC (RFC 5280 forbids it; be lenient)
  } else {
    throw malformed(`${what}: expected UTCTime or GeneralizedTime`, `${what}: cần UTCTime hoặc GeneralizedTime`);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    throw malformed(`${what}: time out of range`, `${what}: thời gian ngoài phạm vi`);
  }
  let t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(3, 5));
    if (oh > 23 || om > 59) throw malformed(`${what}: bad time zone`, `${what}: múi giờ không hợp lệ`);
    t -= sign * (oh * 60 + om) * 60_000;
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) throw malformed(`${what}: invalid time`, `${what}: thời gian không hợp lệ`);
  return date;
}
