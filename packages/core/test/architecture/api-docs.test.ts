/*
 * The API reference under docs/api/ is what TypeDoc makes from the code's
 * doc comments and types, for the root and every subpath (`pnpm api-docs`
 * rewrites it): a stale page fails here.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the API reference of @kyso/core', () => {
  it('is what TypeDoc makes from the code, one page for the root and for every subpath of the exports map', async () => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/api-docs.ts', '--check'], { cwd: ROOT, timeout: 180_000 }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(run.out).toMatch(/the API reference is up to date/);
    expect(run.code).toBe(0);
    const exportsMap = (JSON.parse(readFileSync(`${ROOT}packages/core/package.json`, 'utf8')) as { exports: Record<string, unknown> }).exports;
    const index = readFileSync(`${ROOT}docs/api/README.md`, 'utf8');
    for (const k of Object.keys(exportsMap).filter((x) => x !== './package.json')) {
      const name = k === '.' ? '@kyso/core' : `@kyso/core/${k.slice(2)}`;
      expect(index, name).toContain(`[${name}](${name}.md)`);
      expect(existsSync(`${ROOT}docs/api/${name}.md`), name).toBe(true);
    }
    // A page carries the doc comments, not only the signatures.
    expect(readFileSync(`${ROOT}docs/api/@kyso/core.md`, 'utf8')).toMatch(/### signPdf\(\)[\s\S]{0,400}incremental\s+update/);
  }, 200_000);
});
