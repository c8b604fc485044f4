import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdf } from '@kyso/core';
import { loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
const BCY = resolve(__dirname, '../../../../shared/corpus/real-bcy');
let pki: TestPki;
let dir: string;
let root: string;
let once: string;
let twice: string;

function kyso(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-verify-'));
  root = join(dir, 'root.pem');
  writeFileSync(root, pki.root.certPem);
  const officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  const first = await signPdf(readFileSync(SAMPLE), { signer: officer });
  once = join(dir, 'once.pdf');
  writeFileSync(once, first);
  twice = join(dir, 'twice.pdf');
  writeFileSync(twice, await signPdf(first, { signer: agency }));
});

describe('kyso verify', () => {
  it('valid under the TEST root: exit 0, JSON report', () => {
    const r = kyso(['verify', twice, '--trust', root, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures[0].signer.commonName).toBe('Nguyễn Văn Ánh');
    expect(report.signatures[1].signer.kind).toBe('organisation');
    expect(report.modification).toBe('allowed');
  });

  it('indeterminate under the default bcy policy: exit 2', () => {
    const r = kyso(['verify', once, '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).signatures[0].subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('a Vietnamese text report by default, English on request', () => {
    const vi = kyso(['verify', twice, '--trust', root]);
    expect(vi.stdout).toContain('HỢP LỆ');
    expect(vi.stdout).toContain('Nguyễn Văn Ánh');
    expect(vi.stdout).toContain('Thời gian ký');
    const en = kyso(['verify', twice, '--trust', root, '--lang', 'en']);
    expect(en.stdout).toContain('VALID');
    expect(en.stdout).toContain('Signer: Nguyễn Văn Ánh');
  });

  it('a tampered file: exit 1', () => {
    const bytes = readFileSync(once);
    const at = bytes.indexOf('GIẤY KHAI SINH') >= 0 ? bytes.indexOf('stream') + 10 : 200;
    bytes[at] = bytes[at]! ^ 0x01;
    const file = join(dir, 'tampered.pdf');
    writeFileSync(file, bytes);
    const r = kyso(['verify', file, '--trust', root, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).signatures[0].integrity).toBe('broken');
  });

  it('an unsigned file: exit 4, "not signed" (not "invalid") in the text, verdict unsigned in JSON', () => {
    const text = kyso(['verify', SAMPLE]);
    expect(text.status, text.stderr).toBe(4);
    expect(text.stdout).toMatch(/^CHƯA KÝ: tài liệu không có chữ ký số nào\./);
    expect(text.stdout).not.toMatch(/KHÔNG HỢP LỆ/);
    const en = kyso(['verify', SAMPLE, '--lang', 'en']);
    expect(en.stdout).toMatch(/^NOT SIGNED: the document has no digital signature\./);
    const json = kyso(['verify', SAMPLE, '--json']);
    expect(json.status).toBe(4);
    const report = JSON.parse(json.stdout);
    expect([report.verdict, report.signatures.length, report.findings.map((f: { code: string }) => f.code)]).toEqual(['unsigned', 0, ['NOT_SIGNED']]);
  });

  it('an unreadable file: exit 3 with a typed error', () => {
    const file = join(dir, 'not.pdf');
    writeFileSync(file, 'hello');
    const r = kyso(['verify', file]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/PDF_NOT_PDF/);
    expect(kyso(['verify', join(dir, 'missing.pdf')]).status).toBe(3);
  });

  it('--extract writes exactly the revision a signature signed', () => {
    const out = join(dir, 'rev1.pdf');
    const r = kyso(['verify', twice, '--trust', root, '--extract', '1', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const rev = readFileSync(out);
    expect(Buffer.compare(rev, readFileSync(once))).toBe(0);
    const sigs = pdfsig(out);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]!.totalDocumentSigned).toBe(true);
  });

  it('a file re-saved whole after signing (qpdf): exit 1, the broken signature\'s row with field, signer, time and what to do', () => {
    const file = join(dir, 'resaved.pdf');
    execFileSync('qpdf', [once, file]);
    const vi = kyso(['verify', file, '--trust', root]);
    expect(vi.status, vi.stderr).toBe(1);
    expect(vi.stdout).toContain('Chữ ký #1 «Signature1»: Không hợp lệ');
    expect(vi.stdout).toContain('Người ký: Nguyễn Văn Ánh');
    expect(vi.stdout).toMatch(/Thời gian ký: \d{4}-\d{2}-\d{2}T[\d:]+\+07:00/);
    expect(vi.stdout).toMatch(/tệp đã bị thay đổi hoặc được lưu lại sau khi ký, nên phiên bản đã ký không có trong tệp này\. Hãy đề nghị người gửi cung cấp tệp gốc đã ký\./);
    expect(vi.stdout).not.toMatch(/chưa được ký số/);
    const en = kyso(['verify', file, '--trust', root, '--lang', 'en']);
    expect(en.stdout).toContain('Signature #1 «Signature1»: Invalid');
    expect(en.stdout).toContain('Signer: Nguyễn Văn Ánh');
    expect(en.stdout).toMatch(/the file was changed or re-saved after signing, so the signed version is not in this file\. Ask the sender for the original signed file\./);
    const json = kyso(['verify', file, '--trust', root, '--json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.verdict).toBe('invalid');
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('NOT_SIGNED');
    expect(report.signatures).toHaveLength(1);
    const s = report.signatures[0];
    expect(s).toMatchObject({ field: 'Signature1', integrity: 'broken', format: 'malformed', indication: 'TOTAL_FAILED' });
    expect(s.signer.commonName).toBe('Nguyễn Văn Ánh');
    expect(s.claimedSigningTime).toMatch(/^\d{4}-/);
    expect(s.findings.map((f: { code: string }) => f.code)).toEqual(['BYTERANGE_OUT_OF_FILE']);
    // There is no signed revision in the file to extract.
    const x = kyso(['verify', file, '--trust', root, '--extract', '1', '-o', join(dir, 'x.pdf')]);
    expect(x.status).not.toBe(0);
    expect(x.stderr).toMatch(/không có vùng byte dùng được để trích ra: .*lưu lại sau khi ký/);
  });

  it('a signed file cut short after signing: exit 1 with the signature\'s row, not "not signed" or unreadable', () => {
    const bytes = readFileSync(once);
    const file = join(dir, 'cut.pdf');
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    const r = kyso(['verify', file, '--trust', root, '--json']);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { code: string }) => f.code)).not.toContain('NOT_SIGNED');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0].signer.commonName).toBe('Nguyễn Văn Ánh');
    expect(report.signatures[0].findings.map((f: { code: string }) => f.code)).toContain('BYTERANGE_OUT_OF_FILE');
  });

  it('a real BCY-signed document is valid offline under the default policy', () => {
    const r = kyso(['verify', join(BCY, 'sd-1039-ttg.pdf'), '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).signatures[0].chain.anchor).toBe('RootCA chuyên dùng Chính phủ G2');
  });
});
