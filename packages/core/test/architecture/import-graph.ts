/**
 * The import graph of the sources, read with the TypeScript parser (no type
 * checking, no new dependency), checked against the layers and walls that
 * docs/architecture.md writes down in two tables.
 *
 * - Every `import`, `export … from` and `import()` of a relative path or of a
 *   workspace package (`@kyso/*`, through tsconfig.json's paths) is an arrow
 *   between two files; npm packages and `node:` modules are arrows to a
 *   library, checked only against the walls that name one.
 * - Layers: an arrow between two parts must go from a higher layer to a
 *   strictly lower one; parts on one layer are peers and import nothing of
 *   each other. Arrows inside a part are free (but circles are not).
 * - Walls: a part may not import the parts or libraries its row names, even
 *   where the layer order alone would allow it. An import through one of the
 *   package entry points that docs/architecture.md lists ("Entry points":
 *   `@kyso/core/pdf`…, the subpaths of the exports map) is public API and
 *   passes the walls; any other way into a walled part does not.
 * - Inside a package: where docs/architecture.md gives a folder its own layer
 *   table ("Inside `packages/server/src/`"), every file under it belongs to one
 *   of those inner parts, and an arrow between two of them runs downwards by
 *   the same rule.
 * - Circles: strongly connected components of the file graph, type-only
 *   imports (`import type`, `export type`, every name marked `type`,
 *   `import('…')` types) included: they vanish at run time, but two files that
 *   need each other's meaning are one concept split in two, or a contract in
 *   the wrong place. `circles(arrows, { types: false })` leaves them out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface Arrow {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file, or the library's name. */
  to: string;
  specifier: string;
  kind: 'static' | 'type' | 'dynamic';
  library: boolean;
}

export interface Layer {
  level: number;
  /** Repository-relative part paths: a folder ending in '/', or one file. */
  parts: string[];
}

export interface Wall {
  part: string;
  /** Parts (paths) and libraries (bare names) the part may not import. */
  forbidden: string[];
}

/** The layers inside one folder (a package's sources), numbered from 1 within it. */
export interface InnerLayers {
  /** Repository-relative folder, ending in '/'. */
  root: string;
  layers: Layer[];
}

export interface Architecture {
  layers: Layer[];
  walls: Wall[];
  /** Folders whose sources are scanned. */
  scanned: string[];
  /** Folders with a layer order of their own. */
  inner: InnerLayers[];
  /** Package specifiers that are public entry points (exports map subpaths). */
  entryPoints: string[];
}

export interface Violation {
  arrow: Arrow;
  message: string;
}

const SOURCE = /\.(ts|mts|cts)$/;

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist') walk(p);
      } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) walk(resolve(root, d));
  return out.map((p) => relative(root, p)).sort();
}

/** tsconfig.json's `paths`, as prefix → target directory or file (repository-relative). */
export function workspacePaths(root: string): Map<string, string> {
  const read = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const paths = (read.config?.compilerOptions?.paths ?? {}) as Record<string, string[]>;
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(paths)) if (v[0]) m.set(k, v[0]);
  return m;
}

function resolveFile(root: string, base: string): string | null {
  const abs = resolve(root, base);
  const candidates = [abs.replace(/\.(m|c)?js$/, '.$1ts'), abs, `${abs}.ts`, join(abs, 'index.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return relative(root, c);
  return null;
}

function resolveSpecifier(root: string, from: string, spec: string, paths: Map<string, string>): { to: string; library: boolean } {
  if (spec.startsWith('.')) return { to: resolveFile(root, join(dirname(from), spec)) ?? join(dirname(from), spec), library: false };
  const exact = paths.get(spec);
  if (exact) return { to: resolveFile(root, exact) ?? exact, library: false };
  for (const [k, v] of paths) {
    if (!k.endsWith('/*')) continue;
    const prefix = k.slice(0, -1);
    if (spec.startsWith(prefix)) {
      const target = v.replace('*', spec.slice(prefix.length));
      return { to: resolveFile(root, target) ?? target, library: false };
    }
  }
  // A library: its package name (scope/name, or name), node: builtins as written.
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return { to: name, library: true };
}

function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const c = node.exportClause;
    return !!c && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs
  if (clause.isTypeOnly) return true;
  const b = clause.namedBindings;
  return !clause.name && !!b && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

export function arrowsOf(root: string, files: readonly string[]): Arrow[] {
  const paths = workspacePaths(root);
  const arrows: Arrow[] = [];
  for (const from of files) {
    const sf = ts.createSourceFile(from, readFileSync(join(root, from), 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (spec: string, kind: Arrow['kind']): void => {
      arrows.push({ from, specifier: spec, kind, ...resolveSpecifier(root, from, spec, paths) });
    };
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
        add(n.moduleSpecifier.text, typeOnly(n) ? 'type' : 'static');
      } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const a = n.arguments[0];
        if (a && ts.isStringLiteralLike(a)) add(a.text, 'dynamic');
      } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
        add(n.argument.literal.text, 'type');
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return arrows;
}

/** The part a file belongs to: the longest part path that is it or holds it. */
export function partOf(file: string, layers: readonly Layer[]): { part: string; level: number } | null {
  let best: { part: string; level: number } | null = null;
  for (const l of layers) {
    for (const p of l.parts) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && (!best || p.length > best.part.length)) best = { part: p, level: l.level };
    }
  }
  return best;
}

/** The inner layer table whose folder holds the file, if any. */
export function innerOf(file: string, arch: Architecture): InnerLayers | undefined {
  return arch.inner.find((i) => file.startsWith(i.root));
}

/** The inner part a file belongs to, for a file under a folder with its own layer table. */
export function innerPartOf(file: string, arch: Architecture): { part: string; level: number } | null {
  const inner = innerOf(file, arch);
  return inner ? partOf(file, inner.layers) : null;
}

function innerViolation(a: Arrow, arch: Architecture): Violation | null {
  const inner = innerOf(a.from, arch);
  if (!inner || !a.to.startsWith(inner.root)) return null;
  const where = `inside ${inner.root}`;
  const name = (part: string) => part.slice(inner.root.length).replace(/\/$/, '');
  const from = partOf(a.from, inner.layers);
  const table = `docs/architecture.md's "Inside ${inner.root}"`;
  if (!from) return { arrow: a, message: `${a.from} belongs to no layer of ${table}` };
  const to = partOf(a.to, inner.layers);
  if (!to) return { arrow: a, message: `${a.from} → ${a.to} (${a.to} belongs to no layer of ${table})` };
  if (to.part === from.part) return null;
  const arrow = `${a.from} → ${a.to}`;
  if (to.level < from.level) return { arrow: a, message: `${arrow} (${where}: layer ${from.level} ${name(from.part)} below ${to.level} ${name(to.part)})` };
  if (to.level === from.level) return { arrow: a, message: `${arrow} (${where}: layer ${from.level} ${name(from.part)} beside ${name(to.part)}: peers import nothing of each other)` };
  return null;
}

function label(part: string): string {
  return part.replace(/^packages\/core\/src\//, '').replace(/^packages\//, '').replace(/\/$/, '');
}

export function layerViolations(arrows: readonly Arrow[], arch: Architecture): Violation[] {
  const out: Violation[] = [];
  const walls = new Map(arch.walls.map((w) => [w.part, w.forbidden]));
  for (const a of arrows) {
    const from = partOf(a.from, arch.layers);
    if (!from) {
      out.push({ arrow: a, message: `${a.from} belongs to no layer of docs/architecture.md` });
      continue;
    }
    const forbidden = walls.get(from.part) ?? [];
    if (a.library) {
      if (forbidden.includes(a.to)) out.push({ arrow: a, message: `${a.from} → ${a.to} (wall: ${label(from.part)} may not import ${a.to})` });
      continue;
    }
    const to = partOf(a.to, arch.layers);
    if (!to) {
      out.push({ arrow: a, message: `${a.from} → ${a.to} (${a.to} belongs to no layer of docs/architecture.md)` });
      continue;
    }
    if (to.part === from.part) {
      const v = innerViolation(a, arch);
      if (v) out.push(v);
      continue;
    }
    const arrow = `${a.from} → ${a.to}`;
    if (to.level < from.level) {
      out.push({ arrow: a, message: `${arrow} (layer ${from.level} ${label(from.part)} below ${to.level} ${label(to.part)})` });
    } else if (to.level === from.level) {
      out.push({ arrow: a, message: `${arrow} (layer ${from.level} ${label(from.part)} beside ${label(to.part)}: peers import nothing of each other)` });
    } else if (forbidden.includes(to.part) && !arch.entryPoints.includes(a.specifier)) {
      out.push({ arrow: a, message: `${arrow} (layer ${from.level} ${label(from.part)} above ${to.level} ${label(to.part)}, but a wall stands between them)` });
    }
  }
  return out;
}

/** Every circle of arrows (with type-only ones unless `types: false`), each as its files in order. */
export function circles(arrows: readonly Arrow[], options: { types?: boolean } = {}): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const a of arrows) {
    if (a.library || (a.kind === 'type' && options.types === false)) continue;
    if (!graph.has(a.from)) graph.set(a.from, new Set());
    graph.get(a.from)!.add(a.to);
    if (!graph.has(a.to)) graph.set(a.to, new Set());
  }
  // Tarjan's strongly connected components, iterative (deep graphs stay off the call stack).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  for (const start of [...graph.keys()].sort()) {
    if (idx.has(start)) continue;
    const work: { v: string; it: Iterator<string> }[] = [];
    const enter = (v: string): void => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      work.push({ v, it: [...graph.get(v)!].sort()[Symbol.iterator]() });
    };
    enter(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const n = top.it.next();
      if (!n.done) {
        const w = n.value;
        if (!idx.has(w)) enter(w);
        else if (on.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(w);
        } while (w !== top.v);
        if (comp.length > 1 || graph.get(top.v)!.has(top.v)) found.push(cycleThrough(comp, graph));
      }
    }
  }
  return found;
}

/** One circle inside a strongly connected component, as a readable path (first file repeated at the end). */
function cycleThrough(comp: readonly string[], graph: Map<string, Set<string>>): string[] {
  const inComp = new Set(comp);
  const start = [...comp].sort()[0]!;
  // Breadth-first from start back to start inside the component: the shortest circle through it.
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...graph.get(v)!].sort()) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x = v; x !== start; x = prev.get(x)!) path.splice(1, 0, x);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...comp, comp[0]!];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** The rows of the first table after the heading that starts with `heading`. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.replace(/^#+\s*/, '').startsWith(heading));
  if (at < 0) throw new Error(`docs/architecture.md has no heading "${heading}"`);
  const rows: string[][] = [];
  let inTable = false;
  for (const l of lines.slice(at + 1)) {
    if (/^#{1,6}\s/.test(l)) break;
    if (l.trim().startsWith('|')) {
      inTable = true;
      const c = cells(l);
      if (c.every((x) => /^:?-+:?$/.test(x))) continue;
      rows.push(c);
    } else if (inTable) break;
  }
  return rows.slice(1); // the header row
}

/**
 * Reads the layer table ("Layers": layer number, then the parts in code
 * spans) and the wall table ("Walls": the part, then what it may not import)
 * of docs/architecture.md, the scanned folders ("Scanned": the list
 * items under that heading, one folder in a code span each), and the layer
 * tables of single folders (a heading "Inside `folder/`", then a table of
 * layer number and parts, as "Layers").
 */
export function readArchitecture(markdown: string): Architecture {
  const layers: Layer[] = tableAfter(markdown, 'Layers').map((c) => {
    const level = Number(c[0]);
    if (!Number.isInteger(level)) throw new Error(`layer table: "${c[0]}" is not a layer number`);
    return { level, parts: codeSpans(c[1] ?? '') };
  });
  const walls: Wall[] = tableAfter(markdown, 'Walls').flatMap((c) => codeSpans(c[0] ?? '').map((part) => ({ part, forbidden: codeSpans(c[1] ?? '') })));
  const lines = markdown.split('\n');
  const listAfter = (heading: string): string[] => {
    const at = lines.findIndex((l) => new RegExp(`^#{1,6}\\s+${heading}`).test(l));
    if (at < 0) throw new Error(`docs/architecture.md has no heading "${heading}"`);
    const items: string[] = [];
    for (const l of lines.slice(at + 1)) {
      if (/^#{1,6}\s/.test(l)) break;
      const item = /^\s*[-*]\s+`([^`]+)`/.exec(l);
      if (item) items.push(item[1]!);
    }
    return items;
  };
  const scanned = listAfter('Scanned');
  const entryPoints = listAfter('Entry points');
  const inner: InnerLayers[] = [];
  for (const l of lines) {
    const m = /^#{1,6}\s+Inside\s+`([^`]+\/)`/.exec(l);
    if (!m) continue;
    const root = m[1]!;
    const rows = tableAfter(markdown, l.replace(/^#+\s*/, ''));
    inner.push({
      root,
      layers: rows.map((c) => {
        const level = Number(c[0]);
        if (!Number.isInteger(level)) throw new Error(`layer table inside ${root}: "${c[0]}" is not a layer number`);
        const parts = codeSpans(c[1] ?? '').map((p) => root + p);
        return { level, parts };
      }),
    });
  }
  return { layers, walls, scanned, inner, entryPoints };
}
