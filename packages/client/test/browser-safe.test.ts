/**
 * The client runs in a browser as in Node: its sources import no node:
 * module and no package (nothing of ours at run time: @kyso/server only in
 * the generator and the tests), and the built files require nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '../src');
const DIST = join(__dirname, '../dist');
const specifiers = (text: string) => [...text.matchAll(/\b(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('@kyso/client is browser-compatible', () => {
  it('its sources import only each other', () => {
    const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('index.ts');
    for (const f of files) {
      const outside = specifiers(readFileSync(join(SRC, f), 'utf8')).filter((s) => !s.startsWith('./'));
      expect(outside, f).toEqual([]);
    }
  });

  it('has no runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toBeUndefined();
  });

  it('its built files (when built) import nothing', () => {
    let built: string[];
    try {
      built = readdirSync(DIST).filter((f) => /\.(c?js)$/.test(f));
    } catch {
      return; // not built: the sources' check above stands
    }
    for (const f of built) expect(specifiers(readFileSync(join(DIST, f), 'utf8')), f).toEqual([]);
  });
});
