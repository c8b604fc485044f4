/**
 * The import graph against docs/architecture.md: no import circle (type-only
 * imports included), no arrow against the layer order, none through a wall. Each
 * violation is printed as `from → to (layer A above/below B)`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrowsOf, circles, innerOf, innerPartOf, layerViolations, partOf, readArchitecture, sourceFiles } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const arch = readArchitecture(readFileSync(`${ROOT}docs/architecture.md`, 'utf8'));
const files = sourceFiles(ROOT, arch.scanned);
const arrows = arrowsOf(ROOT, files);

function report(title: string, lines: readonly string[]): void {
  if (lines.length > 0) console.error(`${title}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}

describe('import graph (docs/architecture.md)', () => {
  it('reads the layer table, the walls and the scanned folders', () => {
    expect(arch.layers.length).toBeGreaterThan(5);
    expect(arch.walls.length).toBeGreaterThan(0);
    expect(arch.scanned.length).toBeGreaterThan(0);
    expect(files.length).toBeGreaterThan(100);
    // every arrow resolved to a file or a library
    const unresolved = arrows.filter((a) => !a.library && !a.to.endsWith('.ts')).map((a) => `${a.from} → ${a.specifier}`);
    report('unresolved imports', unresolved);
    expect(unresolved).toEqual([]);
  });

  it('places every scanned file in a part', () => {
    const unplaced = files.filter((f) => !partOf(f, arch.layers));
    report('files in no layer', unplaced);
    expect(unplaced).toEqual([]);
  });

  it('places every file of a folder with its own layer table in one of its parts', () => {
    expect(arch.inner.map((i) => i.root)).toEqual(expect.arrayContaining(['packages/server/src/', 'packages/pkcs11/src/']));
    for (const i of arch.inner) expect(arch.scanned).toContain(i.root);
    const unplaced = files.filter((f) => innerOf(f, arch) && !innerPartOf(f, arch));
    report('files in no inner layer', unplaced);
    expect(unplaced).toEqual([]);
  });

  it('lists as entry points exactly the subpaths of @kyso/core\'s exports map', () => {
    const exportsMap = (JSON.parse(readFileSync(`${ROOT}packages/core/package.json`, 'utf8')) as { exports: Record<string, unknown> }).exports;
    const subpaths = Object.keys(exportsMap).filter((k) => k !== './package.json').map((k) => (k === '.' ? '@kyso/core' : `@kyso/core/${k.slice(2)}`));
    expect([...arch.entryPoints].sort()).toEqual(subpaths.sort());
  });

  it('has no import circle (static, dynamic and type-only imports)', () => {
    const found = circles(arrows).map((c) => c.join(' → '));
    report('import circles', found);
    expect(found).toEqual([]);
  });

  it('has no arrow against the layer order and none through a wall', () => {
    const found = [...new Set(layerViolations(arrows, arch).map((v) => v.message))];
    report('arrows against docs/architecture.md', found);
    expect(found).toEqual([]);
  });

  it('finds what it is meant to find', () => {
    // The check itself: an upward arrow, a peer arrow, a wall and a circle, made up.
    const fake = (from: string, to: string, library = false) => ({ from, to, specifier: to, kind: 'static' as const, library });
    const made = [
      fake('packages/core/src/cms/a.ts', 'packages/core/src/sign/b.ts'),
      fake('packages/core/src/verify/a.ts', 'packages/core/src/sign/b.ts'),
      fake('packages/core/src/cms/a.ts', 'packages/core/src/pdf/b.ts'),
      fake('packages/core/src/cms/a.ts', 'pdf-lib', true),
    ];
    const messages = layerViolations(made, arch).map((v) => v.message);
    expect(messages).toEqual([
      expect.stringMatching(/^packages\/core\/src\/cms\/a\.ts → packages\/core\/src\/sign\/b\.ts \(layer \d+ cms below \d+ sign\)$/),
      expect.stringMatching(/verify beside sign/),
      expect.stringMatching(/a wall stands between them/),
      expect.stringMatching(/wall: cms may not import pdf-lib/),
    ]);
    expect(circles([fake('x/a.ts', 'x/b.ts'), fake('x/b.ts', 'x/c.ts'), fake('x/c.ts', 'x/a.ts'), fake('x/c.ts', 'x/d.ts')])).toEqual([['x/a.ts', 'x/b.ts', 'x/c.ts', 'x/a.ts']]);
    const typeCircle = [{ ...fake('x/a.ts', 'x/b.ts'), kind: 'type' as const }, fake('x/b.ts', 'x/a.ts')];
    expect(circles(typeCircle)).toEqual([['x/a.ts', 'x/b.ts', 'x/a.ts']]);
    expect(circles(typeCircle, { types: false })).toEqual([]);
  });

  it('finds arrows against a package’s own layer order', () => {
    const fake = (from: string, to: string) => ({ from, to, specifier: to, kind: 'type' as const, library: false });
    const messages = layerViolations(
      [
        fake('packages/server/src/context.ts', 'packages/server/src/create-server.ts'),
        fake('packages/server/src/routes/sign.ts', 'packages/server/src/context.ts'),
        fake('packages/server/src/store/x.ts', 'packages/server/src/pool/y.ts'),
        fake('packages/server/src/nowhere.ts', 'packages/server/src/errors.ts'),
      ],
      arch,
    ).map((v) => v.message);
    expect(messages).toEqual([
      expect.stringMatching(/^packages\/server\/src\/context\.ts → packages\/server\/src\/create-server\.ts \(inside packages\/server\/src\/: layer \d+ context\.ts below \d+ create-server\.ts\)$/),
      expect.stringMatching(/store beside pool: peers import nothing/),
      expect.stringMatching(/nowhere\.ts belongs to no layer of docs\/architecture\.md's "Inside packages\/server\/src\/"/),
    ]);
  });
});
