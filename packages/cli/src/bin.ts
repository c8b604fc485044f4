#!/usr/bin/env node
import { formatError } from './print-error.js';
import { run } from './run.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // run() prints its own failures: this is the last resort, in the same shape.
    process.stderr.write(formatError(e));
    process.exitCode = 1;
  },
);
