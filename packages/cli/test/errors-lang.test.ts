import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';

// Runs the built CLI (pnpm --filter @kyso/cli build).
const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const PASSWORD = 'mật-khẩu-TEST-456';
/** Letters only Vietnamese uses here: a message in Vietnamese has some, one in English none. */
const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

let dir: string;
let pkiDir: string;
let once: string;
let twice: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a process, with KYSO_LANG only when the test sets it. */
function kyso(args: string[], env: Record<string, string> = {}): Run {
  const base: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '' };
  delete base.KYSO_LANG;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...base, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const missing = (name: string) => join(dir, 'no-such-dir', name);
const p12 = () => join(pkiDir, 'personal.p12');

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first`);
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-errors-'));
  pkiDir = join(dir, 'pki');
  await writeTestPki(await loadOrCreateTestPki(), pkiDir, { password: PASSWORD });
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  once = join(dir, 'once.pdf');
  twice = join(dir, 'twice.pdf');
  const pem = ['--key', join(pkiDir, 'personal.key.pem'), '--cert', join(pkiDir, 'personal.cert.pem'), '--chain', join(pkiDir, 'chain.pem')];
  const a = kyso(['sign', SAMPLE, '-o', once, ...pem]);
  expect(a.status, a.stderr).toBe(0);
  const b = kyso(['sign', once, '-o', twice, '--key', join(pkiDir, 'organisation.key.pem'), '--cert', join(pkiDir, 'organisation.cert.pem')]);
  expect(b.status, b.stderr).toBe(0);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** certify-copy's required options, with an officer PKCS#12 that may be missing. */
function certifyArgs(officerP12: string, extra: string[] = []): string[] {
  return [
    'certify-copy', join(dir, 'scan.jpg'), '-o', join(dir, 'copy.pdf'),
    '--owner', '052090000495', '--agency', 'H55.242', '--book', '2',
    '--officer-p12', officerP12, '--agency-p12', join(pkiDir, 'organisation.p12'), '--agency-password-env', 'PW',
    '--data-dir', join(dir, 'codes'),
    ...extra,
  ];
}

// Each command with an input it cannot read, the code it reports and its exit code.
const unreadable: [string, () => string[], string, number][] = [
  ['sign', () => ['sign', missing('in.pdf'), '-o', join(dir, 'out.pdf'), '--p12', p12(), '--password-env', 'PW'], 'CLI_IO', 1],
  ['verify', () => ['verify', missing('in.pdf')], 'CLI_IO', 3],
  ['extend', () => ['extend', missing('in.pdf'), '-o', join(dir, 'out.pdf'), '--level', 'B-LT'], 'CLI_IO', 1],
  ['code', () => ['code', 'case', '--agency', 'H55.242', '--data-dir', join(dir, 'a-file', 'codes')], 'CODE_STORE_FAILED', 1],
  ['certify-copy', () => certifyArgs(missing('officer.p12'), ['--officer-password-env', 'PW']), 'CLI_IO', 1],
  ['certify-copy --list', () => [...certifyArgs(p12(), ['--officer-password-env', 'PW']).filter((a) => a !== join(dir, 'scan.jpg')), '--list', missing('list.txt')], 'CLI_IO', 1],
];

function expectShape(r: Run, code: string, status: number, lang: 'vi' | 'en'): void {
  expect(r.status, r.stderr).toBe(status);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(new RegExp(`^kyso: ${code}: \\S`));
  // The line after, if any, says what to do, in the same shape.
  for (const l of lines.slice(1)) expect(l).toMatch(/^kyso: (cách xử lý|what to do): \S/);
  const message = lines.join('\n').replace(/^kyso: [A-Z0-9_]+: /, '');
  if (lang === 'vi') expect(message).toMatch(VIETNAMESE);
  else expect(message).not.toMatch(VIETNAMESE);
  expect(r.stderr).not.toContain('    at ');
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
}

describe('one error presentation, in the language asked for', () => {
  it.each(unreadable)('%s: an unreadable input in vi (default), with --lang en and with KYSO_LANG=en', (_name, args, code, status) => {
    const env = { PW: PASSWORD };
    expectShape(kyso(args(), env), code, status, 'vi');
    expectShape(kyso([...args(), '--lang', 'en'], env), code, status, 'en');
    expectShape(kyso(['--lang', 'en', ...args()], env), code, status, 'en');
    expectShape(kyso(args(), { ...env, KYSO_LANG: 'en' }), code, status, 'en');
    // The option wins over the environment.
    expectShape(kyso([...args(), '--lang', 'vi'], { ...env, KYSO_LANG: 'en' }), code, status, 'vi');
  });

  it("commander's usage errors: exit 64, the same shape, both languages", () => {
    for (const [args, lang] of [[[], 'vi'], [['--lang', 'en'], 'en']] as const) {
      expectShape(kyso(['sign', SAMPLE, '-o', join(dir, 'x.pdf'), '--no-such-option', ...args]), 'CLI_USAGE', 64, lang);
      expectShape(kyso(['sign', SAMPLE, ...args]), 'CLI_USAGE', 64, lang); // -o is required
      expectShape(kyso(['no-such-command', ...args]), 'CLI_USAGE', 64, lang);
    }
    expectShape(kyso(['--lang', 'fr', 'verify', twice]), 'CLI_USAGE', 64, 'vi');
    expectShape(kyso(['verify', twice, '--lang', 'fr'], { KYSO_LANG: 'en' }), 'CLI_USAGE', 64, 'en');
  });

  it("verify's text report follows --lang and KYSO_LANG; its own --lang still works", () => {
    const vi = kyso(['verify', twice]);
    expect(vi.stdout).toContain('CHƯA XÁC ĐỊNH');
    const env = kyso(['verify', twice], { KYSO_LANG: 'en' });
    expect(env.stdout).toContain('INDETERMINATE');
    expect(env.stdout).not.toContain('Chữ ký #');
    expect(kyso(['--lang', 'en', 'verify', twice]).stdout).toContain('INDETERMINATE');
    expect(kyso(['verify', twice, '--lang', 'en']).stdout).toContain('INDETERMINATE');
    expect(kyso(['verify', twice, '--lang', 'vi'], { KYSO_LANG: 'en' }).stdout).toContain('CHƯA XÁC ĐỊNH');
    // A locale form counts by its language; an unknown value is ignored.
    expect(kyso(['verify', twice], { KYSO_LANG: 'en_US.UTF-8' }).stdout).toContain('INDETERMINATE');
    expect(kyso(['verify', twice], { KYSO_LANG: 'klingon' }).stdout).toContain('CHƯA XÁC ĐỊNH');
  });
});

describe('a missing password is missing, a wrong one wrong', () => {
  const sign = (extra: string[], env: Record<string, string> = {}) => kyso(['sign', SAMPLE, '-o', join(dir, `pw-${Math.random().toString(36).slice(2)}.pdf`), '--p12', p12(), ...extra], env);

  it('no --password-env: CLI_PASSWORD_MISSING naming the option, in both languages', () => {
    const vi = sign([]);
    expectShape(vi, 'CLI_PASSWORD_MISSING', 1, 'vi');
    expect(vi.stderr).toContain('--password-env');
    const en = sign(['--lang', 'en']);
    expectShape(en, 'CLI_PASSWORD_MISSING', 1, 'en');
    expect(en.stderr).toContain('--password-env');
    expect(en.stderr).not.toContain('KEY_BAD_PASSWORD');
  });

  it('the variable named is unset or empty: CLI_PASSWORD_MISSING naming the variable', () => {
    for (const env of [{}, { KYSO_TEST_P12_PW: '' }] as Record<string, string>[]) {
      const r = sign(['--password-env', 'KYSO_TEST_P12_PW'], env);
      expectShape(r, 'CLI_PASSWORD_MISSING', 1, 'vi');
      expect(r.stderr).toContain('KYSO_TEST_P12_PW');
      const en = sign(['--password-env', 'KYSO_TEST_P12_PW'], { ...env, KYSO_LANG: 'en' });
      expectShape(en, 'CLI_PASSWORD_MISSING', 1, 'en');
      expect(en.stderr).toContain('KYSO_TEST_P12_PW');
    }
  });

  it('a wrong password stays KEY_BAD_PASSWORD; the right one signs', () => {
    expectShape(sign(['--password-env', 'PW'], { PW: 'sai-mat-khau-987' }), 'KEY_BAD_PASSWORD', 1, 'vi');
    expectShape(sign(['--password-env', 'PW', '--lang', 'en'], { PW: 'sai-mat-khau-987' }), 'KEY_BAD_PASSWORD', 1, 'en');
    const ok = sign(['--password-env', 'PW'], { PW: PASSWORD });
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('certify-copy: an officer PKCS#12 without --officer-password-env is a missing password too', () => {
    expectShape(kyso(certifyArgs(p12()), { PW: PASSWORD }), 'CLI_PASSWORD_MISSING', 1, 'vi');
    expectShape(kyso(certifyArgs(p12(), ['--officer-password-env', 'PW']), { PW: 'sai-mat-khau-987' }), 'KEY_BAD_PASSWORD', 1, 'vi');
  });
});

describe('verify --extract', () => {
  it('writes the revision and exits 0, without the report', () => {
    const out = join(dir, 'rev1.pdf');
    const r = kyso(['verify', twice, '--extract', '1', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('CHƯA XÁC ĐỊNH');
    expect(Buffer.compare(readFileSync(out), readFileSync(once))).toBe(0);
    // Without --extract the report and the verdict's exit code (2: no trusted chain here) stay.
    const report = kyso(['verify', twice]);
    expect(report.status).toBe(2);
    expect(report.stdout).toContain('CHƯA XÁC ĐỊNH');
  });

  it('with --json: what was written, as JSON, no report', () => {
    const out = join(dir, 'rev1-json.pdf');
    const r = kyso(['verify', twice, '--extract', '1', '-o', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.extracted).toMatchObject({ signature: 1, output: out });
    expect(j.signatures).toBeUndefined();
    expect(existsSync(out)).toBe(true);
  });

  it('a signature that is not there: CLI_NOT_FOUND, nothing written', () => {
    const out = join(dir, 'rev9.pdf');
    expectShape(kyso(['verify', twice, '--extract', '9', '-o', out, '--lang', 'en']), 'CLI_NOT_FOUND', 1, 'en');
    expect(existsSync(out)).toBe(false);
  });
});

describe('sign --field-name', () => {
  it('is --field under the library\'s name', () => {
    const out = join(dir, 'field-name.pdf');
    const r = kyso(['sign', SAMPLE, '-o', out, '--p12', p12(), '--password-env', 'PW', '--field-name', 'HoTen'], { PW: PASSWORD });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('field HoTen');
    const v = kyso(['verify', out, '--json']);
    expect(JSON.parse(v.stdout).signatures.map((s: { field: string }) => s.field)).toEqual(['HoTen']);
  });

  it('with --field: the same value is fine, two values a usage error', () => {
    const same = kyso(['sign', SAMPLE, '-o', join(dir, 'field-same.pdf'), '--p12', p12(), '--password-env', 'PW', '--field', 'A', '--field-name', 'A'], { PW: PASSWORD });
    expect(same.status, same.stderr).toBe(0);
    const out = join(dir, 'field-both.pdf');
    expectShape(kyso(['sign', SAMPLE, '-o', out, '--p12', p12(), '--password-env', 'PW', '--field', 'A', '--field-name', 'B'], { PW: PASSWORD }), 'CLI_USAGE', 64, 'vi');
    expect(existsSync(out)).toBe(false);
  });
});
