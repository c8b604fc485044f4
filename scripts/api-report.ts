/*
 * The API report of @kyso/core: one api-extractor report per entry point
 * (the root and every subpath of the exports map), from the built .d.ts
 * files, checked in under api/. `pnpm api-report` rewrites them after an
 * intended change; `pnpm api-report --check` (run by the suite) fails when
 * the public surface differs from what is checked in, and prints the diff.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const repo = fileURLToPath(new URL('..', import.meta.url));
const core = join(repo, 'packages/core');
const check = process.argv.includes('--check');

/** The entry points, as the exports map lists them: '.' and './pdf'… */
export function entryPoints(): { subpath: string; dts: string; report: string }[] {
  const exportsMap = (JSON.parse(readFileSync(join(core, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  return Object.keys(exportsMap)
    .filter((k) => k !== './package.json')
    .map((k) => {
      const name = k === '.' ? 'index' : `${k.slice(2)}/index`;
      return { subpath: k === '.' ? '@kyso/core' : `@kyso/core/${k.slice(2)}`, dts: join(core, 'dist', `${name}.d.ts`), report: k === '.' ? 'core' : `core-${k.slice(2)}` };
    });
}

mkdirSync(join(repo, 'api'), { recursive: true });
const temp = mkdtempSync(join(tmpdir(), 'kyso-api-'));
const changed: string[] = [];
try {
  for (const e of entryPoints()) {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: core,
        mainEntryPointFilePath: e.dts,
        compiler: { overrideTsconfig: { compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: true }, files: [e.dts] } },
        apiReport: { enabled: true, reportFileName: e.report, reportFolder: join(repo, 'api'), reportTempFolder: temp },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          // The report is about the shape of the surface; release tags and
          // TSDoc syntax are not part of kyso's contract.
          extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(core, 'package.json'),
    });
    const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false, messageCallback: (m) => { if (m.logLevel !== ExtractorLogLevel.Warning && m.logLevel !== ExtractorLogLevel.Error) m.handled = true; } });
    if (result.apiReportChanged) changed.push(`api/${e.report}.api.md (${e.subpath})`);
    if (!result.succeeded && !result.apiReportChanged) throw new Error(`api-extractor failed on ${e.subpath}: ${result.errorCount} errors`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
if (changed.length > 0) {
  if (check) {
    console.error(`The public API of @kyso/core changed:\n  ${changed.join('\n  ')}\nIf the change is intended, run \`pnpm api-report\` and commit api/.`);
    process.exit(1);
  }
  console.log(`updated:\n  ${changed.join('\n  ')}`);
} else console.log('the API reports are up to date');
