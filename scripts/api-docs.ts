/*
 * The API reference of @kyso/core: TypeDoc over the root and every subpath of
 * the exports map (the same entry points as the api-extractor reports in
 * api/), written as Markdown under docs/api/ and checked in. `pnpm api-docs`
 * rewrites it after a change; `pnpm api-docs --check` (run by the suite)
 * fails when what TypeDoc makes from the code differs from what is checked
 * in, and names the pages.
 *
 * Sources are not linked (a link names a commit, so every commit would
 * change every page); the pages carry the doc comments and the signatures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, type TypeDocOptions } from 'typedoc';

const repo = fileURLToPath(new URL('..', import.meta.url));
const core = join(repo, 'packages/core');
const target = join(repo, 'docs/api');
const check = process.argv.includes('--check');

/** The source entry of every subpath the exports map lists: '.' → src/index.ts, './pdf' → src/pdf/index.ts, './errors' → src/errors.ts. */
function entryPoints(): string[] {
  const exportsMap = (JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  return Object.keys(exportsMap)
    .filter((k) => k !== './package.json')
    .map((k) => (k === '.' ? 'src/index.ts' : k === './errors' ? 'src/errors.ts' : `src/${k.slice(2)}/index.ts`))
    .map((f) => join(core, f));
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  try {
    walk(dir);
  } catch {
    // No docs/api yet: every page is new.
  }
  return out;
}

const out = check ? mkdtempSync(join(tmpdir(), 'kyso-api-docs-')) : target;
try {
  const options: Partial<TypeDocOptions> & Record<string, unknown> = {
    entryPoints: entryPoints(),
    tsconfig: join(core, 'tsconfig.json'),
    plugin: ['typedoc-plugin-markdown'],
    out,
    name: '@kyso/core',
    readme: 'none',
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    hideGenerator: true,
    githubPages: false,
    cleanOutputDir: true,
    logLevel: 'Error',
    // Pages by entry point then by kind, named as users import them.
    outputFileStrategy: 'modules',
    entryFileName: 'README',
    hidePageHeader: true,
    hideBreadcrumbs: true,
  };
  const app = await Application.bootstrapWithPlugins(options);
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not read @kyso/core');
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error('TypeDoc reported errors');
  if (check) {
    const made = files(out);
    const kept = files(target);
    const differ = [...new Set([...made.keys(), ...kept.keys()])].filter((f) => made.get(f) !== kept.get(f)).sort();
    if (differ.length > 0) {
      console.error(`The API reference in docs/api/ is not what the code makes (${differ.length} pages):\n  ${differ.slice(0, 20).join('\n  ')}\nRun \`pnpm api-docs\` and commit docs/api/.`);
      process.exit(1);
    }
    console.log(`the API reference is up to date (${made.size} pages)`);
  } else console.log(`wrote docs/api/ (${files(out).size} pages)`);
} finally {
  if (check) rmSync(out, { recursive: true, force: true });
}
