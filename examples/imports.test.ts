import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples', () => {
  it('import packages (ours by name, node, third parties), never a package\'s sources or tests: users copy them as they are', () => {
    const programs = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(programs.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const f of programs) {
      const text = readFileSync(join(__dirname, f), 'utf8');
      for (const m of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        // Relative paths out of examples/ reach into a package's sources or tests.
        if (spec.startsWith('../') || spec.includes('/src/') || spec.includes('/test/')) offending.push(`${f}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
