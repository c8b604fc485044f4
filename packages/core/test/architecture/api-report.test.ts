/*
 * The public surface of @kyso/core is a visible diff: the built .d.ts of the
 * root and of every subpath must match the api-extractor reports checked in
 * under api/ (`pnpm api-report` rewrites them after an intended change).
 * Runs on the build that `pnpm test` makes first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the API of @kyso/core', () => {
  it('matches the api-extractor reports in api/ for the root and every subpath', async () => {
    expect(existsSync(`${ROOT}packages/core/dist/index.d.ts`), 'build @kyso/core first (pnpm build)').toBe(true);
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/api-report.ts', '--check'], { cwd: ROOT, timeout: 120_000 }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(run.out).toContain('the API reports are up to date');
    expect(run.code).toBe(0);
  }, 150_000);

  it('keeps the root to what an application needs (about thirty runtime names, not the building blocks)', () => {
    const names = Object.keys(root).sort();
    expect(names).toEqual(expect.arrayContaining(['signPdf', 'verifyPdf', 'extendPdf', 'certifyCopy', 'SoftwareSigner', 'TrustStore', 'CodeAllocator', 'KysoError']));
    for (const internal of ['PdfParser', 'ByteWriter', 'cachedTemplate', 'PostgresSequenceStore', 'SqliteSequenceStore', 'IncrementalWriter', 'ModificationAnalyzer']) expect(names).not.toContain(internal);
    expect(names.length).toBeLessThanOrEqual(32);
  });
});
