import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { pdfsig, qpdfCheck } from '../packages/core/test/helpers/external-tools.js';

describe('examples/certify-copy.ts', () => {
  it('makes a certified copy from a JPEG scan that poppler and our verifier accept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-certify-'));
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'certify-copy.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..') });
    expect(stdout).toMatch(/number: 1 {2}book: 02\/\d{4}-SCTĐT\/BS/);
    expect(stdout).toMatch(/result code: 052090000495\.KQ\.G15\.000021\.\d{8}\n/); // the owner's first copy of the day: the date alone
    expect(stdout).toContain('verdict: valid');
    expect(stdout).toContain('officer: signature 1, agency: signature 2, complete: true');
    const file = join(dir, 'certified-copy.pdf');
    expect(qpdfCheck(file).ok).toBe(true);
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, readFileSync(join(dir, 'root.pem'), 'utf8'));
    const sigs = pdfsig(file, nss);
    expect(sigs.map((s) => s.field)).toEqual(['CanBoChungThuc', 'CoQuan']);
    for (const s of sigs) expect(s.signatureValid && s.certificateTrusted, s.signatureText + s.certificateText).toBe(true);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain('Chứng thực bản sao đúng với bản chính');
  });
});
