import type { KysoErrorCode } from '@kyso/core/errors';

/**
 * The stable codes of the command line's own failures, printed as
 * `kyso: <CODE>: <message>` like a KysoError's: safe to match in a script.
 */
export type CliErrorCode =
  /** A bad option, a bad option value or a bad combination of options (exit 64). */
  | 'CLI_USAGE'
  /** A file the command was given cannot be read, or its output cannot be written. */
  | 'CLI_IO'
  /** A password is needed and was not given: a PKCS#12's or an encrypted key's (no --password-env, or its variable is unset or empty), or the variable --pdf-password-env names is unset or empty. */
  | 'CLI_PASSWORD_MISSING'
  /** Another secret (a CSC access token, a PIN, a one-time password) names an environment variable that is unset or empty. */
  | 'CLI_SECRET_MISSING'
  /** No signing key was chosen: none of --p12, --key with --cert, --pkcs11-module or --csc. */
  | 'CLI_KEY_MISSING'
  /** What the command was asked to act on is not there (signature #n of a file, a PDF in a folder). */
  | 'CLI_NOT_FOUND'
  /** An input is read but is not what the command takes (a text that is no known code, a revision that cannot be extracted). */
  | 'CLI_INPUT_INVALID'
  /** A configuration file is refused (exit 78, `kyso serve`). */
  | 'CLI_CONFIG'
  /** A failure raised without a code of its own (a bug or an unforeseen error: the message says more). */
  | 'CLI_FAILED';

/** A text in both languages the CLI speaks. */
export interface Bilingual {
  en: string;
  vi: string;
}

export interface CliErrorText extends Bilingual {
  /** What to do about it, when there is more to say than the message: printed on a line of its own. */
  hint?: Bilingual;
}

const DEFAULT_EXIT: Partial<Record<CliErrorCode, number>> = { CLI_USAGE: 64, CLI_CONFIG: 78 };

/**
 * A failure of the command line itself (bad option combination, unreadable
 * file), with a stable code and messages in English (`message`, as on a
 * KysoError) and Vietnamese (`messageVi`), so run.ts prints every failure
 * the same way in the language asked for.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** A CliErrorCode; a KysoError code when the legacy form was handed `CODE: message` (test-pki wraps the testing bundle's errors so). */
  readonly code: CliErrorCode | KysoErrorCode;
  readonly messageVi: string;
  readonly hint: Bilingual | undefined;
  readonly exitCode: number;

  constructor(code: CliErrorCode, text: CliErrorText, exitCode?: number);
  /**
   * The English-only form, kept for the commands not converted yet (serve,
   * test-pki): the code follows from the exit code, or from a leading
   * `CODE: ` in the message.
   */
  constructor(message: string, exitCode?: number);
  constructor(codeOrMessage: string, textOrExit?: CliErrorText | number, exitCode?: number) {
    if (typeof textOrExit === 'object') {
      super(textOrExit.en);
      this.code = codeOrMessage as CliErrorCode;
      this.messageVi = textOrExit.vi;
      this.hint = textOrExit.hint;
      this.exitCode = exitCode ?? DEFAULT_EXIT[this.code as CliErrorCode] ?? 1;
      return;
    }
    const exit = textOrExit ?? 1;
    const m = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+): ([\s\S]*)$/.exec(codeOrMessage);
    const message = m ? m[2]! : codeOrMessage;
    super(message);
    this.code = m ? (m[1] as KysoErrorCode) : exit === 64 ? 'CLI_USAGE' : exit === 78 ? 'CLI_CONFIG' : 'CLI_FAILED';
    this.messageVi = message;
    this.hint = undefined;
    this.exitCode = exit;
  }
}

/** Why a file cannot be read or written, in both languages, from a Node error. */
export function ioReason(e: unknown): Bilingual {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const vi: Record<string, string> = {
    ENOENT: 'không có tệp hoặc thư mục này',
    EACCES: 'không có quyền truy cập',
    EPERM: 'không được phép',
    EISDIR: 'đây là một thư mục',
    ENOTDIR: 'một phần của đường dẫn không phải thư mục',
    ENOSPC: 'hết chỗ trên đĩa',
    EROFS: 'hệ thống tệp chỉ đọc',
    EEXIST: 'tệp đã tồn tại',
  };
  if (code) return { en: code, vi: vi[code] ? `${vi[code]} (${code})` : code };
  const text = e instanceof Error ? e.message : String(e);
  return { en: text, vi: text };
}

/** CLI_IO for a file that cannot be read: the message names the file and the reason, in both languages. */
export function cannotRead(path: string, e: unknown, exitCode?: number): CliError {
  const why = ioReason(e);
  return new CliError(
    'CLI_IO',
    {
      en: `cannot read ${path}: ${why.en}`,
      vi: `không đọc được tệp ${path}: ${why.vi}`,
      ...((e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
        ? { hint: { en: 'check the path (relative paths start from the current directory)', vi: 'kiểm tra lại đường dẫn (đường dẫn tương đối tính từ thư mục hiện tại)' } }
        : {}),
    },
    exitCode,
  );
}

/** CLI_IO for an output that cannot be written. */
export function cannotWrite(path: string, e: unknown): CliError {
  const why = ioReason(e);
  return new CliError('CLI_IO', { en: `cannot write ${path}: ${why.en}`, vi: `không ghi được tệp ${path}: ${why.vi}` });
}
