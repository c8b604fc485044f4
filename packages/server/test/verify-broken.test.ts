/**
 * POST /v1/verify on broken signatures: a file re-saved whole after signing
 * (qpdf's plain rewrite) and one cut short after signing are answered 200
 * with the signature's row (field, signer, time, the finding and what to
 * do), in JSON and as text, through the worker threads; never "not signed"
 * and never a 422 "cannot be read".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdf, type VerificationReport } from '@kyso/core';
import { samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

let t: TwoAgencies;
let signed: Buffer;
let resaved: Buffer;
const dir = tempDir('kyso-server-broken-');

beforeAll(async () => {
  t = await startTwoAgencies();
  const signer = SoftwareSigner.fromPem({ key: t.pki.personal.keyPem, cert: t.pki.personal.certPem, chain: t.pki.chainPem });
  signed = Buffer.from(await signPdf(samplePdf(), { signer }));
  writeFileSync(join(dir, 'signed.pdf'), signed);
  execFileSync('qpdf', [join(dir, 'signed.pdf'), join(dir, 'resaved.pdf')]);
  resaved = readFileSync(join(dir, 'resaved.pdf'));
});
afterAll(async () => {
  await t?.server.close();
});

const post = (query: string, body: Buffer): Promise<Response> => fetch(`${t.url}/v1/verify${query}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body });

describe('POST /v1/verify on broken signatures', () => {
  it('a re-saved file: 200, invalid, one row naming the signer, BYTERANGE_OUT_OF_FILE with advice in both languages', async () => {
    const r = await post('', resaved);
    expect(r.status).toBe(200);
    const report = (await r.json()) as VerificationReport;
    expect(report.verdict).toBe('invalid');
    expect(report.findings.map((f) => f.code)).not.toContain('NOT_SIGNED');
    expect(report.signatures).toHaveLength(1);
    const s = report.signatures[0]!;
    expect(s).toMatchObject({ field: 'Signature1', integrity: 'broken', format: 'malformed', indication: 'TOTAL_FAILED', revision: null });
    expect(s.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(s.claimedSigningTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const f = s.findings.find((x) => x.code === 'BYTERANGE_OUT_OF_FILE')!;
    expect(f.message).toContain('re-saved after signing');
    expect(f.messageVi).toContain('Hãy đề nghị người gửi cung cấp tệp gốc đã ký.');
  });

  it('a re-saved file as text, Vietnamese and English', async () => {
    const vi = await post('?format=text&lang=vi', resaved);
    expect(vi.status).toBe(200);
    const viText = await vi.text();
    expect(viText).toContain('Chữ ký #1 «Signature1»: Không hợp lệ');
    expect(viText).toContain('Người ký: Nguyễn Văn Ánh');
    expect(viText).toContain('Thời gian ký:');
    expect(viText).toContain('được lưu lại sau khi ký');
    const en = await post('?format=text&lang=en', resaved);
    const enText = await en.text();
    expect(en.headers.get('content-language')).toBe('en');
    expect(enText).toContain('Signature #1 «Signature1»: Invalid');
    expect(enText).toContain('Signer: Nguyễn Văn Ánh');
    expect(enText).toContain('Ask the sender for the original signed file.');
  });

  it('a file cut short after signing: 200 with the row, not 422', async () => {
    const r = await post('', signed.subarray(0, signed.length - 10));
    expect(r.status).toBe(200);
    const report = (await r.json()) as VerificationReport;
    expect(report.verdict).toBe('invalid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]!.signer?.commonName).toBe('Nguyễn Văn Ánh');
    expect(report.signatures[0]!.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['BYTERANGE_OUT_OF_FILE', 'SIGNATURE_OUTSIDE_REVISIONS']));
  });
});
