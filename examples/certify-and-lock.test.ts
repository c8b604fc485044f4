import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { pdfsig } from '../packages/core/test/helpers/external-tools.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

describe('examples/certify-and-lock.ts', () => {
  it('certifies, locks, refuses a third signature, extends to B-LTA; qpdf and pdfsig agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-lock-'));
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'certify-and-lock.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..') });
    expect(stdout).toContain('another signature: refused (SIGN_NOT_PERMITTED)');
    expect(stdout).toContain('certification: signature 1, DocMDP P=2');
    expect(stdout).toMatch(/signatures: CanBo \(signature, [^)]+\), CoQuan \(signature, [^)]+\), \S+ \(timestamp, [^)]+\)/);
    const file = join(dir, 'certified-locked.pdf');

    // qpdf reads /Perms /DocMDP → the officer's signature, and the agency's /Lock.
    const objects = (JSON.parse(execFileSync('qpdf', ['--json', file], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8')) as { qpdf: [unknown, Record<string, { value?: Json }>] }).qpdf[1];
    const get = (v: Json | undefined) => (typeof v === 'string' && / R$/.test(v) ? objects[`obj:${v}`]!.value : v) as Record<string, Json>;
    const catalog = get(get(objects.trailer!.value)['/Root']);
    const fields = (get(get(catalog['/AcroForm'])['/Fields']) as unknown as Json[]).map(get);
    const byName = (n: string) => fields.find((f) => f['/T'] === `u:${n}`)!;
    expect(get(catalog['/Perms'])['/DocMDP']).toBe(byName('CanBo')['/V']);
    expect(get(byName('CoQuan')['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/All', '/P': 1 });

    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, readFileSync(join(dir, 'root.pem'), 'utf8'));
    const sigs = pdfsig(file, nss).filter((s) => s.subFilter === 'ETSI.CAdES.detached');
    expect(sigs.map((s) => s.field)).toEqual(['CanBo', 'CoQuan']);
    for (const s of sigs) expect(s.signatureValid, s.signatureText).toBe(true);
  });
});
