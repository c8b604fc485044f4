/** A failure of the command line itself (bad option combination, unreadable file). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
