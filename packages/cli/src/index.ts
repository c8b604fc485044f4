export { createProgram } from './program.js';
export { run } from './run.js';
export { CliError } from './cli-error.js';
