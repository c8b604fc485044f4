export { createProgram } from './program.js';
export { run } from './run.js';
export { CliError, type CliErrorCode } from './cli-error.js';
