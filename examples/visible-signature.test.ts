import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { pdfsig, qpdfCheck } from '../packages/core/test/helpers/external-tools.js';

describe('examples/visible-signature.ts', () => {
  it('stamps the statement, then the officer and the agency sign visibly, and both signatures stay valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-visible-'));
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'visible-signature.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..') });
    expect(stdout).toMatch(/revisions: 4/);
    const file = join(dir, 'visible-signature.pdf');
    expect(qpdfCheck(file).ok).toBe(true);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    for (const s of ['Chứng thực bản sao đúng với bản chính', 'Người ký: Nguyễn Văn Ánh', 'Thời gian ký: 02.02.2024 14:34:45 +07:00', 'Ngày 02 tháng 02 năm 2024']) {
      expect(text).toContain(s);
    }
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, readFileSync(join(dir, 'pki', 'root.pem'), 'utf8'));
    const sigs = pdfsig(file, nss);
    expect(sigs.map((s) => s.field)).toEqual(['CanBoChungThuc', 'CoQuan']);
    for (const s of sigs) expect(s.signatureValid, s.signatureText).toBe(true);
  });
});
