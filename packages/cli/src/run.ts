import { CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { currentLang, setLang, type Lang } from './lang.js';
import { formatError } from './print-error.js';
import { createProgram } from './program.js';

/**
 * Exit codes: 0 ok, 1 failure, 64 usage (78 a refused `serve` configuration);
 * verify's own are 0 valid, 1 invalid, 2 indeterminate, 3 unreadable.
 * Every failure is printed here, in one shape (print-error.ts), in the
 * language of --lang or KYSO_LANG.
 */
export async function run(argv: string[]): Promise<number> {
  // A second run in the same process starts from KYSO_LANG again, not from the last --lang.
  setLang(undefined);
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // A usage error can stop the parse before the preAction hook: the option as parsed so far.
    const lang = (program.opts() as { lang?: Lang }).lang ?? currentLang();
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // Commander's own message is silenced in program.ts: printed here like the others.
      process.stderr.write(formatError(e, lang));
      return 64;
    }
    process.stderr.write(formatError(e, lang));
    return e instanceof CliError ? e.exitCode : 1;
  }
}
