import { CliError } from './cli-error.js';

/** The languages kyso speaks: Vietnamese first, its users' language. */
export type Lang = 'vi' | 'en';

/** --lang's parser (the program's and verify's): anything but vi or en is a usage error, exit 64. */
export function parseLang(value: string): Lang {
  const v = value.trim().toLowerCase();
  if (v === 'vi' || v === 'en') return v;
  // A CliError rather than commander's InvalidArgumentError, whose message commander rebuilds in English only.
  throw new CliError('CLI_USAGE', { en: `--lang "${value}": use vi or en`, vi: `--lang "${value}": dùng vi hoặc en` });
}

/**
 * KYSO_LANG. A locale form (en_US.UTF-8, vi-VN) counts by its language;
 * anything else is ignored rather than refused, since the error would have
 * no language to be printed in and a stray variable must not stop a script.
 */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang | undefined {
  const m = /^(vi|en)(?:[-_.@]|$)/i.exec(env.KYSO_LANG?.trim() ?? '');
  return m ? (m[1]!.toLowerCase() as Lang) : undefined;
}

let chosen: Lang | undefined;

/** Set by the program before an action runs (--lang, else KYSO_LANG); reset by run() for each call. */
export function setLang(lang: Lang | undefined): void {
  chosen = lang;
}

/** The language of this invocation: --lang, else KYSO_LANG, else vi. */
export function currentLang(): Lang {
  return chosen ?? langFromEnv() ?? 'vi';
}

/** One of two texts, in the language of this invocation. */
export function t(text: { en: string; vi: string }, lang: Lang = currentLang()): string {
  return lang === 'en' ? text.en : text.vi;
}
