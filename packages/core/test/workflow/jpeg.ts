import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePdfLibPdf, tempDir } from '../helpers/fixtures.js';

/** A JPEG made by poppler (pdftoppm) from a one-page PDF, at `dpi`. */
export async function makeJpeg(dpi = 100): Promise<Buffer> {
  const dir = tempDir('kyso-jpeg-');
  writeFileSync(join(dir, 'in.pdf'), await makePdfLibPdf(1));
  execFileSync('pdftoppm', ['-jpeg', '-r', String(dpi), '-singlefile', join(dir, 'in.pdf'), join(dir, 'scan')]);
  return readFileSync(join(dir, 'scan.jpg'));
}

