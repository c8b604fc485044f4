import { invalidCode } from './code-error.js';
import { matchTemplate, renderTemplate } from './template.js';

/**
 * Certification number and book (số chứng thực, quyển số), Decree 23/2015/NĐ-CP
 * art. 13: each certification gets the running number in the agency's book
 * for the year (from 1, running on across books in that year), the book number,
 * the year and the book type. The electronic-copy book is typically
 * `SCTĐT/BS`. Wording and layout are templates, since the 2025 template text
 * was not available to us.
 *
 * @example
 * formatCertBook({ book: 2, year: 2024 })                   // '02/2024-SCTĐT/BS'
 * formatCertNumberLine({ number: 99, book: 2, year: 2024 }) // 'Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS'
 * parseCertNumberLine('Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS')
 * // { number: 99, book: 2, year: 2024, bookType: 'SCTĐT/BS', bookLabel: '02/2024-SCTĐT/BS' }
 */
export interface CertNumberFormat {
  /** The book label. Fields: `book` (padded with `{book:N}`), `year`, `bookType`. */
  bookTemplate: string;
  /** The statement line. Fields: `number`, and `bookLabel` (the rendered book template). */
  statementTemplate: string;
  /** Book type written into new labels. */
  bookType: string;
}

export const DEFAULT_CERT_NUMBER_FORMAT: Readonly<CertNumberFormat> = Object.freeze({
  bookTemplate: '{book:2}/{year}-{bookType}',
  statementTemplate: 'Số chứng thực: {number}  Quyển số: {bookLabel}',
  bookType: 'SCTĐT/BS',
});

export interface CertBook {
  book: number;
  year: number;
  bookType?: string;
}

export interface ParsedCertNumber {
  number: number;
  book: number;
  year: number;
  bookType: string;
  bookLabel: string;
}

const PATTERNS = { book: '\\d{1,6}', year: '\\d{4}', bookType: '\\S+', number: '\\d{1,9}' };

function formatOf(format: Partial<CertNumberFormat> | undefined): CertNumberFormat {
  return { ...DEFAULT_CERT_NUMBER_FORMAT, ...format };
}

function checkPositive(name: string, nameVi: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw invalidCode(`${name} must be an integer 1..${max}, got ${v}`, `${nameVi} phải là số nguyên từ 1 đến ${max}, nhận được ${v}`);
  }
}

/** Renders a book label such as `02/2024-SCTĐT/BS`. Throws CODE_INVALID. */
export function formatCertBook(book: CertBook, format?: Partial<CertNumberFormat>): string {
  const f = formatOf(format);
  checkPositive('Book number', 'Số quyển', book.book, 999_999);
  if (!Number.isInteger(book.year) || book.year < 1000 || book.year > 9999) {
    throw invalidCode(`Bad book year ${book.year}`, `Năm của quyển sổ không hợp lệ: ${book.year}`);
  }
  return renderTemplate(f.bookTemplate, { book: book.book, year: book.year, bookType: book.bookType ?? f.bookType });
}

/** Parses a book label. Throws CODE_INVALID. */
export function parseCertBook(label: string, format?: Partial<CertNumberFormat>): CertBook & { bookType: string } {
  const f = formatOf(format);
  const m = typeof label === 'string' ? matchTemplate(f.bookTemplate, label, PATTERNS) : undefined;
  if (!m || m.book === undefined || m.year === undefined || Number(m.book) < 1) {
    throw invalidCode(`Not a certification book label (e.g. 02/2024-SCTĐT/BS): "${String(label)}"`, `Quyển số chứng thực không hợp lệ (ví dụ 02/2024-SCTĐT/BS): "${String(label)}"`, {
      value: label,
    });
  }
  return { book: Number(m.book), year: Number(m.year), bookType: m.bookType ?? f.bookType };
}

/** Renders the statement line `Số chứng thực: <n>  Quyển số: <book label>`. Throws CODE_INVALID. */
export function formatCertNumberLine(cert: CertBook & { number: number }, format?: Partial<CertNumberFormat>): string {
  const f = formatOf(format);
  checkPositive('Certification number', 'Số chứng thực', cert.number, 999_999_999);
  return renderTemplate(f.statementTemplate, { number: cert.number, bookLabel: formatCertBook(cert, f) });
}

/** Parses a statement line back into its fields. Throws CODE_INVALID. */
export function parseCertNumberLine(line: string, format?: Partial<CertNumberFormat>): ParsedCertNumber {
  const f = formatOf(format);
  const template = f.statementTemplate.split('{bookLabel}').join(f.bookTemplate);
  const m = typeof line === 'string' ? matchTemplate(template, line.trim(), PATTERNS) : undefined;
  if (!m || m.number === undefined || Number(m.number) < 1) {
    throw invalidCode(
      `Not a certification number line (e.g. "Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS"): "${String(line)}"`,
      `Dòng số chứng thực không hợp lệ (ví dụ "Số chứng thực: 99  Quyển số: 02/2024-SCTĐT/BS"): "${String(line)}"`,
      { value: line },
    );
  }
  const book = { book: Number(m.book), year: Number(m.year), bookType: m.bookType ?? f.bookType };
  if (!(book.book >= 1)) throw invalidCode(`Book number 0 in "${line}"`, `Số quyển bằng 0 trong "${line}"`);
  return { number: Number(m.number), ...book, bookLabel: formatCertBook(book, f) };
}
