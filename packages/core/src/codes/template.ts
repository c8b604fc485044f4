import { invalidCode } from './code-error.js';

/**
 * Named-field templates, so that the wording and layout of codes and statements
 * are configuration rather than code.
 *
 * A field is `{name}`; `{name:N}` left-pads a number with zeros to N digits.
 * `{{` and `}}` stand for literal braces.
 *
 * @example
 * renderTemplate('{book:2}/{year}-{bookType}', { book: 2, year: 2024, bookType: 'SCTĐT/BS' })
 * // '02/2024-SCTĐT/BS'
 * matchTemplate('{book:2}/{year}-{bookType}', '02/2024-SCTĐT/BS', { year: '\\d{4}', bookType: '.+' })
 * // { book: '02', year: '2024', bookType: 'SCTĐT/BS' }
 */
export interface TemplateField {
  name: string;
  /** Zero-padding width, from `{name:N}`. */
  width?: number;
}

export type TemplatePart = string | TemplateField;

const FIELD = /^([A-Za-z_][A-Za-z0-9_]*)(?::(\d{1,2}))?$/;

/** Splits a template into literal text and fields. Throws CODE_INVALID on a malformed template. */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '{' && source[i + 1] === '{') {
      text += '{';
      i++;
    } else if (ch === '}' && source[i + 1] === '}') {
      text += '}';
      i++;
    } else if (ch === '{') {
      const end = source.indexOf('}', i);
      const m = end < 0 ? null : FIELD.exec(source.slice(i + 1, end));
      if (!m) {
        throw invalidCode(`Malformed template field at offset ${i} in "${source}"`, `Trường mẫu không hợp lệ tại vị trí ${i} trong "${source}"`);
      }
      if (text) parts.push(text);
      text = '';
      parts.push(m[2] ? { name: m[1]!, width: Number(m[2]) } : { name: m[1]! });
      i = end;
    } else if (ch === '}') {
      throw invalidCode(`Unmatched "}" at offset ${i} in template "${source}"`, `Dấu "}" thừa tại vị trí ${i} trong mẫu "${source}"`);
    } else {
      text += ch;
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** The names of the fields a template uses, in order of first appearance. */
export function templateFields(source: string): string[] {
  const names: string[] = [];
  for (const p of parseTemplate(source)) if (typeof p !== 'string' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** Fills a template. Every field must have a value; throws CODE_INVALID otherwise. */
export function renderTemplate(source: string, values: Readonly<Record<string, string | number>>): string {
  let out = '';
  for (const p of parseTemplate(source)) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const v = values[p.name];
    if (v === undefined) {
      throw invalidCode(`Template "${source}" needs a value for {${p.name}}`, `Mẫu "${source}" thiếu giá trị cho {${p.name}}`);
    }
    out += p.width ? String(v).padStart(p.width, '0') : String(v);
  }
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads the fields back out of a rendered string. `patterns` gives a regular
 * expression (source text, no anchors, no capturing groups) per field; a padded
 * field without one matches digits, any other field matches lazily. Returns
 * undefined if the text does not match or a repeated field disagrees.
 */
export function matchTemplate(
  source: string,
  text: string,
  patterns: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const names: string[] = [];
  let re = '^';
  for (const p of parseTemplate(source)) {
    if (typeof p === 'string') {
      re += escapeRegExp(p);
      continue;
    }
    names.push(p.name);
    const pattern = patterns[p.name] ?? (p.width ? `\\d{${p.width},}` : '.+?');
    re += `(${pattern})`;
  }
  const m = new RegExp(re + '$', 'u').exec(text);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = m[i + 1]!;
    if (name in out && out[name] !== value) return undefined;
    out[name] = value;
  }
  return out;
}
