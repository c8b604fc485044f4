import { CommanderError } from 'commander';
import { isKysoError } from '@kyso/core/errors';
import { CliError, type Bilingual } from './cli-error.js';
import { currentLang, t, type Lang } from './lang.js';

/** A failure as printed: its code, its message and, when known, what to do, in both languages. */
export interface Presented {
  code: string;
  message: Bilingual;
  hint?: Bilingual;
}

/**
 * Every failure in one shape, whoever raised it: a KysoError of the
 * library, a CliError of ours, a usage error of commander's, or a bug.
 */
export function present(e: unknown): Presented {
  if (e instanceof CliError) return { code: e.code, message: { en: e.message, vi: e.messageVi }, ...(e.hint ? { hint: e.hint } : {}) };
  if (isKysoError(e) || looksLikeKysoError(e)) {
    const k = e as { code: string; message: string; messageVi?: unknown };
    return { code: k.code, message: { en: k.message, vi: typeof k.messageVi === 'string' ? k.messageVi : k.message } };
  }
  if (e instanceof CommanderError) return { code: 'CLI_USAGE', ...commanderText(e) };
  const text = e instanceof Error ? e.message : String(e);
  return {
    code: 'CLI_FAILED',
    message: { en: `unexpected error: ${text}`, vi: `lỗi không lường trước: ${text}` },
    hint: { en: 'this is a bug in kyso: please report it with the command you ran', vi: 'đây là lỗi của kyso: vui lòng báo lại kèm lệnh đã chạy' },
  };
}

/**
 * `kyso: <CODE>: <message>` and, when the error says what to do, a second
 * line with it; never a stack. `where` names the file of a batch item.
 */
export function formatError(e: unknown, lang: Lang = currentLang(), where?: string): string {
  const p = present(e);
  const head = `kyso: ${where ? `${where}: ` : ''}${p.code}: ${t(p.message, lang)}\n`;
  return p.hint ? `${head}kyso: ${lang === 'en' ? 'what to do' : 'cách xử lý'}: ${t(p.hint, lang)}\n` : head;
}

/** A KysoError from another copy of core that predates the shared mark: same name, a string code. */
function looksLikeKysoError(e: unknown): boolean {
  return e instanceof Error && e.name === 'KysoError' && typeof (e as { code?: unknown }).code === 'string';
}

const SEE_HELP: Bilingual = { en: 'see "kyso <command> --help"', vi: 'xem "kyso <lệnh> --help"' };

/** Commander speaks English only: its usage errors, in both languages. */
function commanderText(e: CommanderError): { message: Bilingual; hint: Bilingual } {
  const en = e.message.replace(/^error: /, '').trim();
  const q = [...en.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const suggestion = /\(Did you mean ([^?]+)\?\)/.exec(en)?.[1];
  const also = suggestion ? ` (có phải ý bạn là ${suggestion}?)` : '';
  let vi: string;
  switch (e.code) {
    case 'commander.unknownOption':
      vi = `không có tùy chọn '${q[0]}'${also}`;
      break;
    case 'commander.unknownCommand':
      vi = `không có lệnh '${q[0]}'${also}`;
      break;
    case 'commander.missingMandatoryOptionValue':
      vi = `thiếu tùy chọn bắt buộc '${q[0]}'`;
      break;
    case 'commander.optionMissingArgument':
      vi = `tùy chọn '${q[0]}' cần một giá trị`;
      break;
    case 'commander.missingArgument':
      vi = `thiếu đối số bắt buộc '${q[0]}'`;
      break;
    case 'commander.excessArguments':
      vi = `quá nhiều đối số${q[0] ? ` cho lệnh '${q[0]}'` : ''}`;
      break;
    case 'commander.conflictingOption':
      vi = `hai tùy chọn không dùng cùng nhau: ${en}`;
      break;
    case 'commander.invalidArgument':
      vi = `giá trị không hợp lệ: ${en}`;
      break;
    default:
      vi = `lệnh không hợp lệ: ${en}`;
  }
  return { message: { en, vi }, hint: SEE_HELP };
}
