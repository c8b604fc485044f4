import { CommanderError } from 'commander';
import { isKysoError } from '@kyso/core/errors';
import { CliError } from './cli-error.js';
import { createProgram } from './program.js';

/** Exit codes: 0 ok, 1 failure (or, for verify, an invalid verdict), 64 usage. */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 64;
    }
    if (isKysoError(e)) {
      process.stderr.write(`kyso: ${e.code}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof CliError) {
      process.stderr.write(`kyso: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`kyso: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
