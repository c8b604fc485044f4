#!/usr/bin/env node
import { run } from './run.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`kyso: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
