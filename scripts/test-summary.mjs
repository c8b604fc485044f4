// Prints vitest's JSON report as one closing line: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';
const file = process.argv[2] ?? '.tmp/vitest-report.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests ?? 0)} skipped`);
} catch (e) {
  console.log(`no test report at ${file}: ${e.message}`);
  process.exitCode = 1;
}
