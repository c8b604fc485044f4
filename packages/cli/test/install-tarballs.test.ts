/*
 * The packages as a user gets them: `pnpm pack` (the release path) turns
 * each package into a tarball, and a blank app outside the workspace (no
 * workspace links, no vitest aliases, no tsconfig paths) installs the four
 * tarballs and uses them: ESM and CJS imports of the root and of subpaths,
 * `tsc --noEmit` (strict, no skipLibCheck) under moduleResolution node16,
 * bundler and node10, and the `kyso` binary: test-pki, sign, verify and
 * certify-copy of a PDF and of a JPEG, judged by poppler's pdfsig; token
 * list on a SoftHSM2 token (pkcs11js) and serve on loopback (the server,
 * its worker pool, SQLite).
 *
 * Offline: the workspace's pnpm store already holds every file of every
 * dependency, but `pnpm install --offline` also needs each package's
 * registry metadata, and pnpm's metadata cache holds only what the last
 * online resolution needed. So the test writes a metadata cache of its own
 * (a fresh --cache-dir): for every package the workspace lockfile pins, its
 * manifest as installed in the workspace's virtual store and the integrity
 * the lockfile records. pnpm then resolves the tarballs' dependency ranges
 * itself (peers, optional and platform packages included), among the
 * versions the workspace uses, and takes every file from the store; native
 * modules (better-sqlite3, pkcs11js) come from the store's side-effects
 * cache of the workspace's own build. Nothing is fetched.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'pkcs11', 'server', 'cli'] as const;
const SAMPLE = join(ROOT, 'examples', 'assets', 'sample.pdf');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OWNER = '052090000495';
const AGENCY = 'H55.242';
const REGISTRY = 'https://registry.npmjs.org/';
const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

let work = '';
let app = '';
let storeDir = '';
const timings: Record<string, number> = {};

/** The environment of a child: none of the npm_config_* / pnpm settings the test runner inherited from the workspace. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|VITEST|TSX)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, DATABASE_URL: '', KYSO_LANG: 'en', ...extra };
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string>; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: options.cwd ?? app, encoding: 'utf8', timeout: options.timeout ?? 300_000, env: cleanEnv(options.env), maxBuffer: 64 * 1024 * 1024 });
}

function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status} ${r.signal ?? ''} ${r.error?.message ?? ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

function timed<T>(label: string, f: () => T): T {
  const t0 = Date.now();
  try {
    return f();
  } finally {
    timings[label] = Date.now() - t0;
  }
}

/** name@version -> integrity, and the platform fields of each entry, from the `packages:` section of the workspace lockfile (v9). */
function lockfilePackages(): Map<string, { integrity: string; os?: string[]; cpu?: string[]; libc?: string[] }> {
  const text = readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8');
  const start = text.indexOf('\npackages:\n');
  const end = text.indexOf('\nsnapshots:\n');
  if (start < 0 || end < 0) throw new Error('pnpm-lock.yaml: no packages:/snapshots: sections (lockfile format changed?)');
  const out = new Map<string, { integrity: string; os?: string[]; cpu?: string[]; libc?: string[] }>();
  for (const block of text.slice(start, end).split(/\n(?=  \S)/)) {
    const key = block.match(/^ {2}'?(.+?)'?:\s*$/m)?.[1];
    const integrity = block.match(/resolution: \{integrity: ([^,}\s]+)/)?.[1];
    if (!key || !integrity) continue;
    const list = (field: string): string[] | undefined => block.match(new RegExp(`^ {4}${field}: \\[(.*)\\]`, 'm'))?.[1]?.split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
    out.set(key, { integrity, os: list('os'), cpu: list('cpu'), libc: list('libc') });
  }
  return out;
}

/** Every package in the workspace's virtual store (node_modules/.pnpm/<id>/node_modules/<name>, a real directory, not a link). */
function installedManifests(): Map<string, Record<string, unknown>> {
  const store = join(ROOT, 'node_modules', '.pnpm');
  const out = new Map<string, Record<string, unknown>>();
  for (const id of readdirSync(store)) {
    const nm = join(store, id, 'node_modules');
    if (id === 'node_modules' || !existsSync(nm)) continue;
    const dirs = readdirSync(nm).flatMap((d) => (d.startsWith('@') ? readdirSync(join(nm, d)).map((s) => `${d}/${s}`) : [d]));
    for (const d of dirs) {
      const dir = join(nm, d);
      if (lstatSync(dir).isSymbolicLink() || !existsSync(join(dir, 'package.json'))) continue;
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      out.set(`${manifest.name as string}@${manifest.version as string}`, manifest);
    }
  }
  return out;
}

const METADATA_FIELDS = ['name', 'version', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'directories', 'engines', 'os', 'cpu', 'libc', 'deprecated', 'bundleDependencies', 'bundledDependencies'];

/** A pnpm metadata cache holding exactly the package versions of the workspace lockfile. Returns the number of packages. */
function writeMetadataCache(cacheDir: string): number {
  const locked = lockfilePackages();
  const manifests = installedManifests();
  const byName = new Map<string, Record<string, Record<string, unknown>>>();
  for (const [key, { integrity, os, cpu, libc }] of locked) {
    const at = key.lastIndexOf('@');
    const name = key.slice(0, at);
    const version = key.slice(at + 1);
    // A package of another platform is not installed here: its lockfile entry is all pnpm needs to skip it.
    const manifest = manifests.get(key) ?? { name, version, ...(os ? { os } : {}), ...(cpu ? { cpu } : {}), ...(libc ? { libc } : {}) };
    const entry: Record<string, unknown> = Object.fromEntries(METADATA_FIELDS.filter((f) => manifest[f] !== undefined).map((f) => [f, manifest[f]]));
    if (manifest.scripts && typeof manifest.scripts === 'object' && ['preinstall', 'install', 'postinstall'].some((s) => s in (manifest.scripts as object))) entry.hasInstallScript = true;
    entry.dist = { integrity, tarball: `${REGISTRY}${name}/-/${name.split('/').pop()}-${version}.tgz` };
    const versions = byName.get(name) ?? {};
    versions[version] = entry;
    byName.set(name, versions);
  }
  for (const flavour of ['metadata-v1.3', 'metadata-full-v1.3']) {
    const base = join(cacheDir, flavour, new URL(REGISTRY).host);
    for (const [name, versions] of byName) {
      const file = join(base, `${name}.json`);
      mkdirSync(join(file, '..'), { recursive: true });
      const latest = Object.keys(versions).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop()!;
      writeFileSync(file, JSON.stringify({ name, 'dist-tags': { latest }, versions, cachedAt: Date.now() }));
    }
  }
  return byName.size;
}

const ESM = `
import { readFileSync } from 'node:fs';
import { KysoError, SoftwareSigner, TrustStore, signPdf, verifyPdf } from '@kyso/core';
import { buildResultCode, parseResultCode } from '@kyso/core/codes';
import { KysoError as KysoErrorOfErrors, isKysoError } from '@kyso/core/errors';
import { PdfReader } from '@kyso/core/pdf';
import { createTestPki } from '@kyso/core/testing';

const pki = await createTestPki({ key: 'p256' });
const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const signed = await signPdf(readFileSync('sample.pdf'), { signer, reason: 'blank app (ESM)' });
const report = await verifyPdf(signed, { trustStore: TrustStore.fromPem(pki.root.certPem) });
let error;
try { parseResultCode('not a code'); } catch (e) { error = e; }
console.log(JSON.stringify({
  verdict: report.verdict,
  signatures: report.signatures.length,
  revisions: PdfReader.open(signed).revisions.length,
  code: buildResultCode({ owner: '${OWNER}', type: 'G15.000021', suffix: '02022024' }),
  errorCode: error?.code,
  sameKysoError: KysoError === KysoErrorOfErrors,
  instanceAcrossSubpaths: error instanceof KysoErrorOfErrors && error instanceof KysoError && isKysoError(error),
}));
`;

const CJS = `
const { readFileSync } = require('node:fs');
const { KysoError, SoftwareSigner, TrustStore, signPdf, verifyPdf } = require('@kyso/core');
const { buildResultCode, parseResultCode } = require('@kyso/core/codes');
const { KysoError: KysoErrorOfErrors, isKysoError } = require('@kyso/core/errors');
const { PdfReader } = require('@kyso/core/pdf');
const { createTestPki } = require('@kyso/core/testing');

(async () => {
  const pki = await createTestPki({ key: 'p256' });
  const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const signed = await signPdf(readFileSync('sample.pdf'), { signer, reason: 'blank app (CJS)' });
  const report = await verifyPdf(signed, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  let error;
  try { parseResultCode('not a code'); } catch (e) { error = e; }
  console.log(JSON.stringify({
    verdict: report.verdict,
    signatures: report.signatures.length,
    revisions: PdfReader.open(signed).revisions.length,
    code: buildResultCode({ owner: '${OWNER}', type: 'G15.000021', suffix: '02022024' }),
    errorCode: error && error.code,
    sameKysoError: KysoError === KysoErrorOfErrors,
    instanceAcrossSubpaths: error instanceof KysoErrorOfErrors && error instanceof KysoError && isKysoError(error),
  }));
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;

/**
 * The same calls, typed. The @ts-expect-error lines fail the check if a
 * type resolves to any (a .d.ts missing or not found).
 */
const TYPED = `
import { readFileSync } from 'node:fs';
import { KysoError, SoftwareSigner, TrustStore, signPdf, verifyPdf, type Signer, type VerificationReport } from '@kyso/core';
import { buildResultCode, parseResultCode, type ParsedResultCode } from '@kyso/core/codes';
import { KysoError as KysoErrorOfErrors, isKysoError, type KysoErrorCode } from '@kyso/core/errors';
import { PdfReader } from '@kyso/core/pdf';
import { signPdfDetailed } from '@kyso/core/sign';
import { renderReport } from '@kyso/core/verify';

async function main(keyPem: string, certPem: string, rootPem: string): Promise<string> {
  const signer: Signer = SoftwareSigner.fromPem({ key: keyPem, cert: certPem });
  const signed: Uint8Array = await signPdf(readFileSync('sample.pdf'), { signer, reason: 'typed' });
  const detailed = await signPdfDetailed(signed, { signer });
  const report: VerificationReport = await verifyPdf(detailed.pdf, { trustStore: TrustStore.fromPem(rootPem) });
  const verdict: 'valid' | 'indeterminate' | 'invalid' | 'unsigned' = report.verdict;
  // @ts-expect-error a verdict is a string union, not a number
  const notANumber: number = report.verdict;
  // @ts-expect-error signPdf wants a signer
  await signPdf(signed, {});
  const code: string = buildResultCode({ owner: '${OWNER}', type: 'G15.000021', suffix: '02022024' });
  const parsed: ParsedResultCode = parseResultCode(code);
  const revisions: number = PdfReader.open(signed).revisions.length;
  try {
    parseResultCode('not a code');
  } catch (e) {
    if (e instanceof KysoErrorOfErrors && isKysoError(e)) {
      const c: KysoErrorCode = e.code;
      return c;
    }
  }
  const err: KysoError = new KysoErrorOfErrors('CODE_INVALID', 'x', { vi: 'x' });
  return [verdict, notANumber, parsed.owner, revisions, err.code, renderReport(report, 'en')].join();
}
void main(readFileSync('pki/personal.key.pem', 'utf8'), readFileSync('pki/personal.cert.pem', 'utf8'), readFileSync('pki/root.pem', 'utf8'));
`;

/** @kyso/core/testing, typed: createTestPki as a test suite uses it. */
const TYPED_TESTING = `
import { SoftwareSigner, signPdf } from '@kyso/core';
import { createTestPki, type TestPki } from '@kyso/core/testing';

async function main(): Promise<string> {
  const pki: TestPki = await createTestPki({ key: 'p256' });
  // @ts-expect-error not a TEST key type
  await createTestPki({ key: 'rsa1024' });
  const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const signed: Uint8Array = await signPdf(new Uint8Array(0), { signer });
  const subject: string = pki.personal.certificate.subject;
  return [pki.root.certPem, subject, signed.length].join();
}
void main();
`;

function tsconfig(compilerOptions: Record<string, unknown>, files: string[]): string {
  return JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: ['node'], ...compilerOptions }, files }, null, 2);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kyso-install-'));
  app = join(work, 'app');
  mkdirSync(app);

  // 1. pack
  const tarballs: Record<string, string> = {};
  timed('pack', () => {
    for (const pkg of PACKAGES) {
      const dest = join(work, 'tgz', pkg);
      execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: join(ROOT, 'packages', pkg), stdio: 'pipe', timeout: 120_000, env: cleanEnv() });
      const tgz = readdirSync(dest).find((f) => f.endsWith('.tgz'));
      if (!tgz) throw new Error(`pnpm pack of packages/${pkg} wrote no tarball`);
      const manifest = JSON.parse(execFileSync('tar', ['xzOf', join(dest, tgz), 'package/package.json'], { encoding: 'utf8' })) as { name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
      const workspace = Object.entries(ranges).filter(([, v]) => v.startsWith('workspace:'));
      if (workspace.length) throw new Error(`${manifest.name}: the packed package.json still has workspace: ranges (${workspace.map(([k, v]) => `${k}: ${v}`).join(', ')}); publish with pnpm pack/publish`);
      tarballs[manifest.name] = join(dest, tgz);
    }
  });

  // 2. a blank app: dependencies and overrides point at the tarballs
  const typesNode = [...lockfilePackages().keys()].filter((k) => k.startsWith('@types/node@')).map((k) => k.slice('@types/node@'.length)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
  if (!typesNode) throw new Error('no @types/node in the workspace lockfile');
  const fileSpecs = Object.fromEntries(Object.entries(tarballs).map(([name, path]) => [name, `file:${path}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'kyso-blank-app',
        version: '0.0.0',
        private: true,
        type: 'module',
        dependencies: fileSpecs,
        devDependencies: { '@types/node': typesNode },
        pnpm: { overrides: fileSpecs, onlyBuiltDependencies: ['better-sqlite3', 'pkcs11js'] },
      },
      null,
      2,
    ),
  );
  copyFileSync(SAMPLE, join(app, 'sample.pdf'));

  // 3. install offline from the workspace's store
  // The workspace's own store, as its configuration (inherited environment included) names it.
  storeDir = execFileSync('pnpm', ['store', 'path'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const cacheDir = join(work, 'pnpm-cache');
  const count = timed('metadata', () => writeMetadataCache(cacheDir));
  expect(count).toBeGreaterThan(50);
  const install = timed('install', () =>
    run('pnpm', [
      'install', '--offline', '--store-dir', storeDir, '--cache-dir', cacheDir, `--config.registry=${REGISTRY}`,
      '--ignore-scripts=false', '--config.side-effects-cache=true', '--config.auto-install-peers=true', '--config.strict-peer-dependencies=false',
      '--config.confirmModulesPurge=false', '--reporter=append-only',
    ], { timeout: 600_000 }),
  );
  if (install.status !== 0) throw new Error(`pnpm install --offline of the tarballs failed:\n${explain(install)}`);
}, 900_000);

afterAll(() => {
  console.log(`install-tarballs timings (ms): ${JSON.stringify(timings)}`);
  if (!work) return;
  if (process.env.KYSO_KEEP_INSTALL) {
    console.log(`install-tarballs: kept ${work}`);
    return;
  }
  const apps = new Set([app, existsSync(app) ? realpathSync(app) : app]);
  rmSync(work, { recursive: true, force: true });
  // pnpm registered the blank app as a project of the shared store (<store>/projects/<hash> -> app): drop that link only.
  const projects = storeDir ? join(storeDir, 'projects') : '';
  if (projects && existsSync(projects)) {
    for (const link of readdirSync(projects)) {
      try {
        if (apps.has(resolve(projects, readlinkSync(join(projects, link))))) unlinkSync(join(projects, link));
      } catch {
        // not a link of ours
      }
    }
  }
});

describe('the packed tarballs, installed in a blank app', () => {
  it('installed from the tarballs, not linked to the workspace', () => {
    for (const name of ['@kyso/core', '@kyso/cli', '@kyso/pkcs11', '@kyso/server']) {
      const real = realpathSync(join(app, 'node_modules', name));
      expect(real.startsWith(realpathSync(app)), `${name} resolves to ${real}`).toBe(true);
      expect(real, 'a package of the virtual store made from a file: tarball').toContain(`${name.replace('/', '+')}@file+`);
      expect((JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as { name: string }).name).toBe(name);
      // The tarball holds the build, not the sources.
      expect(existsSync(join(real, 'src'))).toBe(false);
      expect(existsSync(join(real, 'dist'))).toBe(true);
    }
    // The CLI's own @kyso dependencies are the tarballs too (overrides), not registry versions.
    const cli = realpathSync(join(app, 'node_modules', '@kyso', 'cli'));
    for (const dep of ['core', 'pkcs11', 'server']) expect(realpathSync(join(cli, '..', '..', '@kyso', dep))).toContain(`@kyso+${dep}@file+`);
    expect(readFileSync(join(app, 'pnpm-lock.yaml'), 'utf8')).not.toMatch(/@kyso\/(core|cli|pkcs11|server)@\d/);
  });

  it('ESM: import of the root and of subpaths signs and verifies a PDF', () => {
    writeFileSync(join(app, 'check.mjs'), ESM);
    const r = timed('esm', () => run(process.execPath, ['check.mjs']));
    expect(r.status, explain(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      verdict: 'valid',
      signatures: 1,
      revisions: 2,
      code: `${OWNER}.KQ.G15.000021.02022024`,
      errorCode: 'CODE_INVALID',
      sameKysoError: true,
      instanceAcrossSubpaths: true,
    });
  });

  it('CJS: require() of the root and of subpaths signs and verifies a PDF', () => {
    writeFileSync(join(app, 'check.cjs'), CJS);
    const r = timed('cjs', () => run(process.execPath, ['check.cjs']));
    expect(r.status, explain(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      verdict: 'valid',
      signatures: 1,
      revisions: 2,
      code: `${OWNER}.KQ.G15.000021.02022024`,
      errorCode: 'CODE_INVALID',
      sameKysoError: true,
      instanceAcrossSubpaths: true,
    });
  });

  const RESOLUTIONS: [string, Record<string, unknown>, string[]][] = [
    // node16: an .mts file (import conditions, .d.ts) and a .cts file (require conditions, .d.cts)
    ['node16', { module: 'node16', moduleResolution: 'node16' }, ['mts', 'cts']],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['ts']],
    // node10: no exports map; the subpaths through typesVersions
    ['node10', { module: 'commonjs', moduleResolution: 'node' }, ['ts']],
  ];
  const tsc = (label: string, options: Record<string, unknown>, files: Record<string, string>): SpawnSyncReturns<string> => {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(app, file), text);
    writeFileSync(join(app, `tsconfig.${label}.json`), tsconfig(options, Object.keys(files)));
    return timed(`tsc-${label}`, () => run(process.execPath, [TSC, '-p', `tsconfig.${label}.json`]));
  };
  for (const [label, options, exts] of RESOLUTIONS) {
    it(`tsc --noEmit, strict, no skipLibCheck, lib es2022 + @types/node, moduleResolution ${label}: the root and the production subpaths`, () => {
      const r = tsc(label, options, Object.fromEntries(exts.map((e) => [`typed-${label}.${e}`, TYPED])));
      expect(r.status, explain(r)).toBe(0);
    }, 120_000);

    it(`tsc --noEmit, strict, no skipLibCheck, lib es2022 + @types/node, moduleResolution ${label}: @kyso/core/testing`, () => {
      // The kit's public types name no @peculiar/x509 type (whose .d.ts need lib dom and, under node16, trip on @peculiar/asn1-schema's own types).
      const r = tsc(`testing-${label}`, options, Object.fromEntries(exts.map((e) => [`typed-testing-${label}.${e}`, TYPED_TESTING])));
      expect(r.status, explain(r)).toBe(0);
    }, 120_000);
  }

  const kyso = (args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> => run(join(app, 'node_modules', '.bin', 'kyso'), args, { env: { PW: 'kyso-test', ...env } });

  it('kyso from the tarball: test-pki, sign, verify (TEST root trusted), pdfsig', () => {
    const version = kyso(['--version']);
    expect(version.status, explain(version)).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(app, 'node_modules', '@kyso', 'cli', 'package.json'), 'utf8')).version);

    const pki = timed('kyso-test-pki', () => kyso(['test-pki', '-o', 'pki', '--password', 'kyso-test']));
    expect(pki.status, explain(pki)).toBe(0);
    for (const f of ['root.pem', 'personal.p12', 'organisation.p12', 'nssdb']) expect(existsSync(join(app, 'pki', f)), f).toBe(true);

    const sign = timed('kyso-sign', () => kyso(['sign', 'sample.pdf', '-o', 'signed.pdf', '--p12', 'pki/personal.p12', '--password-env', 'PW', '--reason', 'blank app']));
    expect(sign.status, explain(sign)).toBe(0);

    const verify = timed('kyso-verify', () => kyso(['verify', 'signed.pdf', '--json', '--trust', 'pki/root.pem']));
    expect(verify.status, explain(verify)).toBe(0);
    const report = JSON.parse(verify.stdout) as { verdict: string; signatures: unknown[] };
    expect(report.verdict).toBe('valid');
    expect(report.signatures).toHaveLength(1);

    // Without the TEST root the same file is not valid: verify does not trust a TEST PKI by itself.
    const untrusted = kyso(['verify', 'signed.pdf', '--json']);
    expect(JSON.parse(untrusted.stdout).verdict).not.toBe('valid');

    const sigs = pdfsig(join(app, 'signed.pdf'), join(app, 'pki', 'nssdb'));
    expect(sigs.map((s) => [s.signatureText, s.certificateText, s.totalDocumentSigned])).toEqual([['Signature is Valid.', 'Certificate is Trusted.', true]]);
  });

  it('kyso sign with a visible signature (--page/--rect/--image/--layout), when the CLI has those options', (ctx) => {
    const help = kyso(['sign', '--help']);
    if (!/--rect\b/.test(help.stdout) || !/--layout\b/.test(help.stdout)) ctx.skip();
    copyFileSync(join(ROOT, 'examples', 'assets', 'signature.png'), join(app, 'signature.png'));
    const r = timed('kyso-sign-visible', () => kyso(['sign', 'sample.pdf', '-o', 'visible.pdf', '--p12', 'pki/personal.p12', '--password-env', 'PW', '--page', '1', '--rect', '350,50,550,130', '--image', 'signature.png', '--layout', 'personal']));
    expect(r.status, explain(r)).toBe(0);
    const text = readFileSync(join(app, 'visible.pdf')).toString('latin1');
    expect(text).toMatch(/\/Rect\s*\[\s*350(\.0+)?\s+50(\.0+)?\s+550(\.0+)?\s+130(\.0+)?\s*\]/);
    expect(text).toContain('/AP');
    expect(pdfsig(join(app, 'visible.pdf'), join(app, 'pki', 'nssdb')).map((s) => [s.signatureText, s.certificateText])).toEqual([['Signature is Valid.', 'Certificate is Trusted.']]);
  }, 120_000);

  const copyArgs = (dataDir: string): string[] => [
    '--owner', OWNER, '--agency', AGENCY, '--book', '2',
    '--officer-p12', 'pki/personal.p12', '--officer-password-env', 'PW',
    '--agency-p12', 'pki/organisation.p12', '--agency-password-env', 'PW',
    '--data-dir', dataDir, '--json',
  ];

  it('kyso certify-copy of a PDF: officer and agency signatures, valid and trusted (pdfsig)', () => {
    expect(existsSync(join(app, 'pki', 'personal.p12')), 'the test-pki step runs first').toBe(true);
    const r = timed('kyso-certify-copy-pdf', () => kyso(['certify-copy', 'sample.pdf', '-o', 'copy-of-pdf.pdf', ...copyArgs('data-pdf')]));
    expect(r.status, explain(r)).toBe(0);
    const summary = JSON.parse(r.stdout) as { ok: number; results: { certificationNumber: number; resultCode: string }[] };
    expect(summary.ok).toBe(1);
    expect(summary.results[0]!.certificationNumber).toBe(1);
    expect(summary.results[0]!.resultCode).toMatch(new RegExp(`^${OWNER}\\.KQ\\.`));
    expect(pdfsig(join(app, 'copy-of-pdf.pdf'), join(app, 'pki', 'nssdb')).map((s) => [s.signatureText, s.certificateText])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);
    const verify = kyso(['verify', 'copy-of-pdf.pdf', '--json', '--trust', 'pki/root.pem']);
    expect(verify.status, explain(verify)).toBe(0);
    expect(JSON.parse(verify.stdout).verdict).toBe('valid');
  });

  it('kyso certify-copy of a JPEG scan: officer and agency signatures, valid and trusted (pdfsig)', () => {
    const jpeg = run('pdftoppm', ['-jpeg', '-r', '50', '-singlefile', 'sample.pdf', 'scan']);
    expect(jpeg.status, explain(jpeg)).toBe(0);
    expect(readFileSync(join(app, 'scan.jpg')).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const r = timed('kyso-certify-copy-jpeg', () => kyso(['certify-copy', 'scan.jpg', '-o', 'copy-of-scan.pdf', ...copyArgs('data-jpeg')]));
    expect(r.status, explain(r)).toBe(0);
    const summary = JSON.parse(r.stdout) as { ok: number; results: { certificationNumber: number }[] };
    expect(summary.ok).toBe(1);
    expect(pdfsig(join(app, 'copy-of-scan.pdf'), join(app, 'pki', 'nssdb')).map((s) => [s.signatureText, s.certificateText])).toEqual([
      ['Signature is Valid.', 'Certificate is Trusted.'],
      ['Signature is Valid.', 'Certificate is Trusted.'],
    ]);
    const verify = kyso(['verify', 'copy-of-scan.pdf', '--json', '--trust', 'pki/root.pem']);
    expect(verify.status, explain(verify)).toBe(0);
    expect(JSON.parse(verify.stdout).verdict).toBe('valid');
  }, 120_000);
  it('kyso token list from the tarball: @kyso/pkcs11 and its native pkcs11js see a SoftHSM2 token', () => {
    const conf = join(work, 'softhsm2.conf');
    mkdirSync(join(work, 'tokens'));
    writeFileSync(conf, `directories.tokendir = ${join(work, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    const init = run('softhsm2-util', ['--init-token', '--free', '--label', 'blank-app', '--pin', '123456', '--so-pin', '12345678'], { env: { SOFTHSM2_CONF: conf } });
    expect(init.status, explain(init)).toBe(0);
    const r = timed('kyso-token-list', () => kyso(['token', 'list', '--module', SOFTHSM_MODULE, '--json'], { SOFTHSM2_CONF: conf }));
    expect(r.status, explain(r)).toBe(0);
    const { tokens } = JSON.parse(r.stdout) as { tokens: { label: string }[] };
    expect(tokens.map((t) => t.label)).toContain('blank-app');
  }, 120_000);

  it('kyso serve from the tarball (@kyso/server, its worker pool, SQLite): development mode signs and verifies over loopback', async () => {
    const t0 = Date.now();
    const child: ChildProcess = spawn(join(app, 'node_modules', '.bin', 'kyso'), ['serve', '--port', '0', '--data-dir', 'data-serve', '--quiet'], { cwd: app, env: cleanEnv({ KYSO_CONFIG: '' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      const { url, key } = await new Promise<{ url: string; key: string }>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`kyso serve did not start:\n${out}\n${err}`)), 60_000);
        child.stdout!.on('data', () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*\nAPI key: (\S+)\n/.exec(out);
          if (m) {
            clearTimeout(timer);
            res({ url: m[1]!, key: m[2]! });
          }
        });
        void exited.then((code) => {
          clearTimeout(timer);
          rej(new Error(`kyso serve exited ${code}:\n${out}\n${err}`));
        });
      });
      const signed = await fetch(`${url}/v1/sign`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/pdf' }, body: readFileSync(join(app, 'sample.pdf')) });
      expect(signed.status, await signed.clone().text()).toBe(200);
      const report = (await (await fetch(`${url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: Buffer.from(await signed.arrayBuffer()) })).json()) as { verdict: string };
      expect(report.verdict).toBe('valid');
      child.kill('SIGTERM');
      expect(await exited, `${out}\n${err}`).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      timings['kyso-serve'] = Date.now() - t0;
    }
  }, 120_000);
});
