import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNssDb } from '@kyso/core/testing';
import { pdfsig } from '../packages/core/test/helpers/external-tools.js';

describe('examples/sign-pdf.ts', () => {
  it('runs and produces a PDF with two signatures pdfsig trusts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-example-'));
    const stdout = execFileSync('node', ['--import', 'tsx', join(__dirname, 'sign-pdf.ts'), dir], { encoding: 'utf8', cwd: join(__dirname, '..') });
    expect(stdout).toMatch(/revisions: 3/);
    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, readFileSync(join(dir, 'pki', 'root.pem'), 'utf8'));
    const sigs = pdfsig(join(dir, 'signed.pdf'), nss);
    expect(sigs.map((s) => s.field)).toEqual(['CanBoChungThuc', 'CoQuan']);
    for (const s of sigs) {
      expect(s.signatureValid, s.signatureText).toBe(true);
      expect(s.certificateTrusted, s.certificateText).toBe(true);
    }
  });
});
