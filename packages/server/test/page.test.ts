/**
 * The verification page in a real browser: Debian's chromium driven by
 * playwright-core (no downloaded browser). Screenshots are kept in
 * packages/server/test-results/ as artefacts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { SoftwareSigner, signPdf } from '@kyso/core';
import { IncrementalWriter, PdfDict, PdfReader, PdfRef, PdfStream } from '@kyso/core/pdf';
import { samplePdf, startTwoAgencies, tempDir, type TwoAgencies } from './helpers.js';

const ARTEFACTS = resolve(__dirname, '../test-results');
let env: TwoAgencies;
let browser: Browser;
const dir = tempDir('kyso-page-');

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  env = await startTwoAgencies();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await env?.server.close();
});

async function upload(file: string, shot: string, lang: 'vi' | 'en' = 'vi'): Promise<{ verdict: string; text: string }> {
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } }); // a phone-sized window
  await page.goto(`${env.url}/${lang === 'en' ? '?lang=en' : ''}`);
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#result .verdict', { timeout: 15_000 });
  const verdict = (await page.getAttribute('#result .verdict', 'class')) ?? '';
  const text = await page.innerText('#result');
  await page.screenshot({ path: join(ARTEFACTS, shot), fullPage: true });
  await page.close();
  return { verdict, text };
}

describe('the verification page in headless Chromium', () => {
  it('shows a valid report with the signer\'s Vietnamese name for one of our signed files (amber: its revocation was not checked)', async () => {
    const signer = SoftwareSigner.fromPem({ key: env.pki.organisation.keyPem, cert: env.pki.organisation.certPem, chain: env.pki.chainPem });
    const file = join(dir, 'signed.pdf');
    writeFileSync(file, await signPdf(samplePdf(), { signer }));
    const r = await upload(file, 'page-valid.png');
    expect(r.verdict).toContain('valid');
    expect(r.verdict).not.toContain('invalid');
    expect(r.text.normalize('NFC')).toContain('UBND xã Phước Lộc (TEST)');
    // The TEST root is trusted as a custom root, not under the BCY policy's name.
    expect(r.text).toContain('CUSTOM');
    expect(r.text).not.toMatch(/theo chính sách BCY/);
  });

  it('shows a red report naming the change for a file altered after signing', async () => {
    const signer = SoftwareSigner.fromPem({ key: env.pki.organisation.keyPem, cert: env.pki.organisation.certPem, chain: env.pki.chainPem });
    const signed = await signPdf(samplePdf(), { signer });
    // Redefine the first page's content stream in a later update.
    const reader = PdfReader.open(signed);
    const pageDict = reader.resolve(reader.pageRef(0)) as PdfDict;
    const contents = pageDict.get('Contents');
    const ref = (Array.isArray(contents) ? contents[0] : contents) as PdfRef;
    const writer = new IncrementalWriter(reader);
    writer.set(ref, new PdfStream(new PdfDict(), Buffer.from('BT /F1 24 Tf 72 700 Td (DA SUA) Tj ET')));
    const file = join(dir, 'tampered.pdf');
    writeFileSync(file, Buffer.concat([signed, writer.write().appended]));
    const r = await upload(file, 'page-tampered.png');
    expect(r.verdict).toContain('invalid');
    expect(r.text).toMatch(/Nội dung hiển thị của một trang \(đối tượng \d+\) bị thay đổi sau khi ký/);
  });

  it('shows the broken signature of a file re-saved after signing: field, signer, time and what to do, in the page\'s language', async () => {
    const signer = SoftwareSigner.fromPem({ key: env.pki.organisation.keyPem, cert: env.pki.organisation.certPem, chain: env.pki.chainPem });
    const signedFile = join(dir, 'to-resave.pdf');
    writeFileSync(signedFile, await signPdf(samplePdf(), { signer }));
    // A publishing tool rewriting the whole file: qpdf's plain rewrite keeps the
    // signature dictionary, its /ByteRange now ends past the end of the file.
    const file = join(dir, 'resaved.pdf');
    execFileSync('qpdf', [signedFile, file]);

    const vi = await upload(file, 'page-resaved.png');
    expect(vi.verdict).toContain('invalid');
    const text = vi.text.normalize('NFC');
    expect(text).toContain('Chữ ký #1 — Signature1');
    expect(text).toContain('UBND xã Phước Lộc (TEST)');
    expect(text).toMatch(/Thời gian ký\s+\S+/);
    expect(text).toContain('tệp đã bị thay đổi hoặc được lưu lại sau khi ký, nên phiên bản đã ký không có trong tệp này. Hãy đề nghị người gửi cung cấp tệp gốc đã ký.');
    expect(text).not.toContain('Tài liệu chưa được ký số');

    const en = await upload(file, 'page-resaved-en.png', 'en');
    expect(en.verdict).toContain('invalid');
    expect(en.text).toContain('Signature #1 — Signature1');
    expect(en.text.normalize('NFC')).toContain('UBND xã Phước Lộc (TEST)');
    expect(en.text).toContain('the file was changed or re-saved after signing, so the signed version is not in this file. Ask the sender for the original signed file.');
    expect(en.text).not.toContain('tệp gốc đã ký');
  });
});
