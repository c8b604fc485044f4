export { createProgram } from './program.js';
export { run, CliError } from './run.js';
