import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const PASSWORD = 'mật-khẩu-TEST-123';
let dir: string;
let nss: string;

function kyso(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // The messages checked here are the English ones (the default language, Vietnamese, is errors-lang.test.ts's).
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', env: { ...process.env, KYSO_LANG: 'en', DATABASE_URL: '', KYSO_TEST_PW: PASSWORD } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const officer = () => ['--p12', join(dir, 'pki', 'personal.p12'), '--password', PASSWORD];
const agency = () => ['--p12', join(dir, 'pki', 'organisation.p12'), '--password', PASSWORD];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The signature field `name` and its signature dictionary, as `qpdf --json` reads them. */
function qpdfField(file: string, name: string) {
  const r = spawnSync('qpdf', ['--json', file], { maxBuffer: 64 * 1024 * 1024 });
  const objects = (JSON.parse(r.stdout.toString('utf8')) as { qpdf: [unknown, Record<string, { value?: Json }>] }).qpdf[1];
  const get = (v: Json | undefined): Record<string, Json> => (typeof v === 'string' && / R$/.test(v) ? objects[`obj:${v}`]!.value : v) as Record<string, Json>;
  const catalog = get(get(objects.trailer!.value)['/Root']);
  const field = (get(get(catalog['/AcroForm'])['/Fields']) as unknown as Json[]).map(get).find((f) => f['/T'] === `u:${name}`)!;
  const sigRef = field['/V'] as string;
  const references = (get(get(sigRef)['/Reference']) as unknown as Json[] | undefined)?.map(get) ?? [];
  return { get, catalog, field, sigRef, references, params: references.map((ref) => get(ref['/TransformParams'])) };
}

beforeAll(async () => {
  const pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-certify-'));
  await writeTestPki(pki, join(dir, 'pki'), { password: PASSWORD });
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
});

describe('kyso sign --certify / --lock', () => {
  it('--certify 2 makes a certification signature; then --lock all --lock-permissions 1 locks the document', () => {
    const certified = join(dir, 'certified.pdf');
    let r = kyso(['sign', SAMPLE, '-o', certified, ...officer(), '--field', 'CanBo', '--certify', '2']);
    expect(r.status, r.stderr).toBe(0);
    const c = qpdfField(certified, 'CanBo');
    expect(c.get(c.catalog['/Perms'])['/DocMDP']).toBe(c.sigRef);
    expect(c.references[0]!['/TransformMethod']).toBe('/DocMDP');
    expect(c.params[0]!['/P']).toBe(2);

    const sealed = join(dir, 'sealed.pdf');
    r = kyso(['sign', certified, '-o', sealed, ...agency(), '--field', 'CoQuan', '--lock', 'all', '--lock-permissions', '1']);
    expect(r.status, r.stderr).toBe(0);
    const s = qpdfField(sealed, 'CoQuan');
    expect(s.get(s.field['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/All', '/P': 1 });
    expect(s.references[0]!['/TransformMethod']).toBe('/FieldMDP');
    const sigs = pdfsig(sealed, nss);
    expect(sigs.map((x) => x.field)).toEqual(['CanBo', 'CoQuan']);
    for (const x of sigs) expect(x.signatureValid, x.signatureText).toBe(true);

    // Nothing may be signed after a /P 1 lock; certifying a signed file is refused too.
    const after = join(dir, 'after.pdf');
    r = kyso(['sign', sealed, '-o', after, ...officer()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/SIGN_NOT_PERMITTED/);
    r = kyso(['sign', certified, '-o', after, ...agency(), '--certify', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/SIGN_CERTIFY_NOT_FIRST/);
    expect(existsSync(after)).toBe(false);
  });

  it('--lock include:a,b writes the listed field names', () => {
    const out = join(dir, 'include.pdf');
    const r = kyso(['sign', SAMPLE, '-o', out, ...agency(), '--lock', 'include:HoTen,Số CCCD']);
    expect(r.status, r.stderr).toBe(0);
    const f = qpdfField(out, 'Signature1');
    expect(f.get(f.field['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/Include', '/Fields': ['u:HoTen', 'u:Số CCCD'] });
    expect(f.params[0]).toMatchObject({ '/Action': '/Include', '/Fields': ['u:HoTen', 'u:Số CCCD'], '/V': '/1.2' });
  });

  it.each([
    [['--certify', '4'], /--certify "4"/],
    [['--certify', 'yes'], /--certify "yes"/],
    [['--lock', 'some'], /--lock: .*not a field lock/],
    [['--lock', 'include:'], /--lock: /],
    [['--lock', 'all', '--lock-permissions', '0'], /--lock-permissions "0"/],
    [['--lock-permissions', '1'], /--lock-permissions goes with --lock/],
  ])('refuses %j as a usage error, writing nothing', (args, message) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}.pdf`);
    const r = kyso(['sign', SAMPLE, '-o', out, ...officer(), ...args]);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('kyso certify-copy --no-lock-after-seal', () => {
  const common = (data: string) => [
    '--owner', '052090000495', '--agency', 'H55.242', '--book', '2', '--data-dir', join(dir, data), '--no-qr',
    '--officer-p12', join(dir, 'pki', 'personal.p12'), '--officer-password-env', 'KYSO_TEST_PW',
    '--agency-p12', join(dir, 'pki', 'organisation.p12'), '--agency-password-env', 'KYSO_TEST_PW',
  ];

  it('by default the copy is certified by the officer and locked by the seal; with the flag, neither', () => {
    const closed = join(dir, 'copy-closed.pdf');
    let r = kyso(['certify-copy', SAMPLE, '-o', closed, ...common('data-closed')]);
    expect(r.status, r.stderr).toBe(0);
    const c = qpdfField(closed, 'CanBoChungThuc');
    expect(c.get(c.catalog['/Perms'])['/DocMDP']).toBe(c.sigRef);
    const a = qpdfField(closed, 'CoQuan');
    expect(a.get(a.field['/Lock'])).toMatchObject({ '/Action': '/All', '/P': 1 });

    const open = join(dir, 'copy-open.pdf');
    r = kyso(['certify-copy', SAMPLE, '-o', open, ...common('data-open'), '--no-lock-after-seal']);
    expect(r.status, r.stderr).toBe(0);
    const o = qpdfField(open, 'CoQuan');
    expect(o.catalog['/Perms']).toBeUndefined();
    expect(o.field['/Lock']).toBeUndefined();
    expect(o.references).toEqual([]);
    // Open for one more signature.
    r = kyso(['sign', open, '-o', join(dir, 'copy-open-more.pdf'), ...officer()]);
    expect(r.status, r.stderr).toBe(0);
  });
});
