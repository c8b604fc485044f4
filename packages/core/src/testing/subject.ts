import type { JsonNameParams } from '@peculiar/x509';
import { KysoError } from '../errors.js';

/**
 * A distinguished name, in certificate order (first = outermost, usually C).
 * Either a string `C=VN, L=Bình Định, CN=Nguyễn Văn Ánh` (commas inside a value
 * escaped as `\,`) or a list of [attribute, value] pairs.
 */
export type TestSubject = string | ReadonlyArray<readonly [attribute: string, value: string]>;

/** Attribute short names understood by the TEST PKI, with their OIDs. */
export const SUBJECT_ATTRIBUTES: Readonly<Record<string, string>> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  T: '2.5.4.12',
  SN: '2.5.4.4',
  G: '2.5.4.42',
  SERIALNUMBER: '2.5.4.5',
  UID: '0.9.2342.19200300.100.1.1',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
};

const OID_RE = /^[0-2](\.(0|[1-9]\d*))+$/;
const PRINTABLE = new Set(['2.5.4.6', '2.5.4.5']);
const IA5 = new Set(['1.2.840.113549.1.9.1', '0.9.2342.19200300.100.1.25']);

function bad(message: string, vi: string, details: Record<string, unknown>): KysoError {
  return new KysoError('CERT_INVALID', message, { vi, details });
}

/** Splits `A=x, B=y\, z` into pairs, honouring backslash escapes. */
export function parseSubject(subject: TestSubject): Array<[string, string]> {
  if (typeof subject !== 'string') return subject.map(([a, v]) => [a, v]);
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < subject.length; i++) {
    const ch = subject[i]!;
    if (ch === '\\' && i + 1 < subject.length) {
      cur += subject[++i];
    } else if (ch === ',') {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq <= 0) throw bad(`Bad subject component ${JSON.stringify(p)}`, `Thành phần tên chủ thể không hợp lệ ${JSON.stringify(p)}`, { subject });
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

function oidOf(attribute: string): string {
  if (OID_RE.test(attribute)) return attribute;
  const oid = SUBJECT_ATTRIBUTES[attribute.toUpperCase()];
  if (!oid) throw bad(`Unknown subject attribute ${JSON.stringify(attribute)}`, `Thuộc tính tên chủ thể không rõ ${JSON.stringify(attribute)}`, { attribute });
  return oid;
}

/**
 * Encodes the subject with explicit string types: PrintableString for C and
 * serialNumber, IA5String for email and DC, UTF8String (NFC) for the rest —
 * what BCY certificates carry.
 */
export function subjectToJsonName(subject: TestSubject): JsonNameParams {
  const pairs = parseSubject(subject);
  if (pairs.length === 0) throw bad('Empty subject', 'Tên chủ thể rỗng', {});
  return pairs.map(([attribute, raw]) => {
    const oid = oidOf(attribute);
    const value = raw.normalize('NFC');
    if (PRINTABLE.has(oid)) return { [oid]: [{ printableString: value }] };
    if (IA5.has(oid)) {
      // eslint-disable-next-line no-control-regex
      if (!/^[\x00-\x7f]*$/.test(value)) throw bad(`${attribute} must be ASCII: ${value}`, `${attribute} phải là ký tự ASCII: ${value}`, { attribute, value });
      return { [oid]: [{ ia5String: value }] };
    }
    return { [oid]: [{ utf8String: value }] };
  });
}

/** The values of one attribute (short name or OID) in a subject, in order. */
export function subjectValues(subject: TestSubject, attribute: string): string[] {
  const oid = oidOf(attribute);
  return parseSubject(subject)
    .filter(([a]) => oidOf(a) === oid)
    .map(([, v]) => v.normalize('NFC'));
}
