/**
 * Verify a PDF the way the citizen's data store must: under the `bcy`
 * policy (only chains to the Government Cipher Committee's roots count),
 * offline, and with every change after each signature analysed.
 *
 *   node --import tsx examples/verify-pdf.ts [file.pdf] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport, verifyPdf } from '@kyso/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const file = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : join(here, '..', '..', 'shared', 'corpus', 'real-bcy', 'sd-1039-ttg.pdf');
const report = await verifyPdf(readFileSync(file), { policy: 'bcy' });
if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
else process.stdout.write(renderReport(report, 'vi'));
process.exitCode = report.verdict === 'valid' ? 0 : report.verdict === 'invalid' ? 1 : 2;
