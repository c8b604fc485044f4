/*
 * What `pnpm pack` (the release path: it turns workspace:* ranges into
 * versions, which `npm pack` does not) puts in each package's tarball: the
 * licence, no source maps, no workspace ranges, and every file the exports
 * map and the bin name. Runs on the build that `pnpm test` makes first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function targets(exportsMap: unknown): string[] {
  if (typeof exportsMap === 'string') return [exportsMap];
  if (exportsMap && typeof exportsMap === 'object') return Object.values(exportsMap).flatMap(targets);
  return [];
}

describe('the packed packages', () => {
  for (const pkg of ['core', 'pkcs11', 'server', 'cli']) {
    it(`@kyso/${pkg}: LICENSE, no source maps, no workspace: ranges, every exported file present`, () => {
      const out = mkdtempSync(join(tmpdir(), `kyso-pack-${pkg}-`));
      execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: join(ROOT, 'packages', pkg), stdio: 'pipe', timeout: 120_000 });
      const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
      expect(tgz).toBeDefined();
      const files = execFileSync('tar', ['tzf', join(out, tgz!)], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(files).toContain('package/LICENSE');
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      const manifest = JSON.parse(execFileSync('tar', ['xzOf', join(out, tgz!), 'package/package.json'], { encoding: 'utf8' })) as {
        exports?: unknown;
        bin?: Record<string, string>;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
        license?: string;
      };
      expect(manifest.license).toBe('Apache-2.0');
      const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
      expect(Object.entries(ranges).filter(([, v]) => v.startsWith('workspace:'))).toEqual([]);
      const wanted = [...targets(manifest.exports ?? {}), ...Object.values(manifest.bin ?? {})].filter((t) => t !== './package.json').map((t) => `package/${t.replace(/^\.\//, '')}`);
      expect(wanted.length).toBeGreaterThan(0);
      expect(wanted.filter((t) => !files.includes(t))).toEqual([]);
    }, 150_000);
  }
});
