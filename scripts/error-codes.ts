/*
 * The table of every stable error code, produced from the code itself:
 * core's KysoErrorCode union (with its comments), the codes other packages
 * register (KysoErrorCodeRegistry), the service's HTTP status for each, and
 * the codes only the service raises (HttpError). `pnpm error-codes` writes
 * docs/error-codes.md; `--check` (run by the suite) fails when it is stale.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(repo, 'docs/error-codes.md');

interface Code {
  code: string;
  pkg: string;
  group: string;
  meaning: string;
}

const source = (path: string): ts.SourceFile => ts.createSourceFile(path, readFileSync(join(repo, path), 'utf8'), ts.ScriptTarget.ES2022, true);
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function jsDocOf(text: string, node: ts.Node): string {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const doc = ranges.map((r) => text.slice(r.pos, r.end)).filter((c) => c.startsWith('/**')).pop();
  return doc ? oneLine(doc.replace(/^\/\*\*|\*\/$/g, '').replace(/^\s*\* ?/gm, '')) : '';
}

/** core's own codes, in the order and groups errors.ts gives them. */
function coreCodes(): Code[] {
  const sf = source('packages/core/src/errors.ts');
  const text = sf.getFullText();
  const alias = sf.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'CoreErrorCode');
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error('packages/core/src/errors.ts: no CoreErrorCode union');
  let group = '';
  const out: Code[] = [];
  // A member's comments stand before its `|`, between it and the member before.
  let from = alias.type.pos;
  for (const t of alias.type.types) {
    const between = text.slice(from, t.getStart(sf));
    from = t.end;
    if (!ts.isLiteralTypeNode(t) || !ts.isStringLiteral(t.literal)) continue;
    const lines = [...between.matchAll(/\/\/([^\n]*)/g)].map((m) => oneLine(m[1]!));
    if (lines.length > 0) group = lines[lines.length - 1]!;
    const docs = [...between.matchAll(/\/\*\*([\s\S]*?)\*\//g)].map((m) => oneLine(m[1]!.replace(/^\s*\* ?/gm, '')));
    out.push({ code: t.literal.text, pkg: '@kyso/core', group, meaning: docs[docs.length - 1] ?? '' });
  }
  return out;
}

/** Codes other packages add to KysoErrorCode by declaration merging. */
function registeredCodes(): Code[] {
  const out: Code[] = [];
  for (const [path, pkg, group] of [['packages/pkcs11/src/error-codes.ts', '@kyso/pkcs11', 'PKCS#11 tokens and HSMs']] as const) {
    const sf = source(path);
    const text = sf.getFullText();
    const visit = (n: ts.Node): void => {
      if (ts.isInterfaceDeclaration(n) && n.name.text === 'KysoErrorCodeRegistry') {
        for (const m of n.members) if (ts.isPropertySignature(m) && ts.isIdentifier(m.name)) out.push({ code: m.name.text, pkg, group, meaning: jsDocOf(text, m) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** The service's status for each KysoError code (server/src/errors.ts). */
function statuses(): Map<string, number> {
  const sf = source('packages/server/src/errors.ts');
  const map = new Map<string, number>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'KYSO_STATUS' && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
      for (const p of n.initializer.properties) {
        if (ts.isPropertyAssignment(p) && ts.isNumericLiteral(p.initializer)) map.set(p.name.getText(sf).replace(/['"]/g, ''), Number(p.initializer.text));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return map;
}

function files(dir: string): string[] {
  return readdirSync(join(repo, dir)).flatMap((e) => {
    const p = join(dir, e);
    return statSync(join(repo, p)).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Codes only the service raises: `new HttpError(status, 'CODE', …)` with literal arguments. */
function serviceCodes(): Map<string, { statuses: Set<number>; where: Set<string> }> {
  const out = new Map<string, { statuses: Set<number>; where: Set<string> }>();
  for (const path of files('packages/server/src').sort()) {
    const sf = source(path);
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'HttpError' && n.arguments && n.arguments.length >= 2) {
        const [s, c] = n.arguments;
        if (ts.isStringLiteral(c!)) {
          const e = out.get(c.text) ?? { statuses: new Set<number>(), where: new Set<string>() };
          if (ts.isNumericLiteral(s!)) e.statuses.add(Number(s.text));
          e.where.add(relative('packages/server/src', path));
          out.set(c.text, e);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

export function errorCodeTable(): string {
  const codes = [...coreCodes(), ...registeredCodes()];
  const status = statuses();
  const service = serviceCodes();
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [
    '# Error codes',
    '',
    'Generated by `pnpm error-codes` from the code (core\'s `KysoErrorCode` union and its',
    'comments, the codes other packages register, the service\'s status map and its',
    '`HttpError`s); the suite fails when this file is stale. Every error carries its',
    'code, an English `message` and a Vietnamese `messageVi` that say what to do; the',
    'service answers `{ code, message, messageVi, details? }`.',
    '',
    '## Library errors (`KysoError`)',
    '',
    '| code | package | area | meaning | HTTP status (service) |',
    '|---|---|---|---|---|',
    ...codes.map((c) => `| \`${c.code}\` | ${c.pkg} | ${cell(c.group)} | ${cell(c.meaning)} | ${status.get(c.code) ?? '500'} |`),
    '',
    'A code without a status of its own is answered 500 by the service: it means a',
    'fault of the service or its configuration, not of the request.',
    '',
    '## Service errors (`@kyso/server` only)',
    '',
    '| code | HTTP status | raised in |',
    '|---|---|---|',
    ...[...service.entries()]
      .filter(([code]) => !codes.some((c) => c.code === code))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, e]) => `| \`${code}\` | ${[...e.statuses].sort().join(', ') || 'varies'} | ${[...e.where].map((w) => `\`${w}\``).join(', ')} |`),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = errorCodeTable();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUT, 'utf8');
    if (current !== table) {
      console.error('docs/error-codes.md is stale: run `pnpm error-codes` and commit it.');
      process.exit(1);
    }
    console.log('docs/error-codes.md is up to date');
  } else {
    writeFileSync(OUT, table);
    console.log(`wrote ${relative(repo, OUT)}`);
  }
}
