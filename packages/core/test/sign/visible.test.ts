import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdfDetailed, TrustStore, verifyPdf, type Signer } from '../../src/index.js';
import { PdfDict, PdfReader } from '../../src/pdf/index.js';
import { sealPng, signaturePng } from '../appearance/images.js';
import { countIn, rasterize } from '../appearance/render.js';
import { pdfsig } from '../helpers/external-tools.js';
import { nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';

const SAMPLE = resolve(__dirname, '../../../../examples/assets/sample.pdf');
let officer: Signer;
let agency: Signer;
let trust: TrustStore;
let nss: string;
const dir = tempDir('kyso-visible-');

beforeAll(async () => {
  const pki = await testPki();
  officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  trust = TrustStore.fromPem(pki.root.certPem);
  nss = await nssDbForTestPki();
});

describe('visible signatures through signPdf', () => {
  it('officer (personal layout) then agency (seal over the officer): both valid, drawn where they should be', async () => {
    const rect: [number, number, number, number] = [330, 120, 560, 240];
    const first = await signPdfDetailed(readFileSync(SAMPLE), {
      signer: officer,
      fieldName: 'CanBoChungThuc',
      appearance: { layout: 'personal', data: { images: { signature: signaturePng() } }, placement: { page: 0, rect } },
    });
    const sealed = await signPdfDetailed(first.pdf, {
      signer: agency,
      fieldName: 'CoQuan',
      appearance: { layout: 'seal', data: { images: { seal: sealPng() } }, placement: { over: { page: 0, rect } } },
    });
    const file = join(dir, 'visible.pdf');
    writeFileSync(file, sealed.pdf);

    // Tools we did not write: both signatures valid, the text block extracts with its diacritics.
    const sigs = pdfsig(file, nss);
    expect(sigs.map((s) => [s.field, s.signatureValid, s.certificateTrusted])).toEqual([
      ['CanBoChungThuc', true, true],
      ['CoQuan', true, true],
    ]);
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.normalize('NFC');
    expect(text).toContain('Người ký: Nguyễn Văn Ánh');
    expect(text).toMatch(/Thời gian ký: \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} \+07:00/);

    // The widgets carry the rectangles, and the pixels are there.
    const reader = PdfReader.open(sealed.pdf);
    const page = reader.resolve(reader.pageRef(0)) as PdfDict;
    const annots = (reader.resolve(page.get('Annots')) as unknown[]).map((a) => reader.resolve(a as never) as PdfDict);
    const officerWidget = annots.find((a) => a.get('T') && (a.get('T') as { toText(): string }).toText() === 'CanBoChungThuc')!;
    const sealWidget = annots.find((a) => a.get('T') && (a.get('T') as { toText(): string }).toText() === 'CoQuan')!;
    const oRect = officerWidget.get('Rect') as [number, number, number, number];
    const sRect = sealWidget.get('Rect') as [number, number, number, number];
    expect(oRect.map(Math.round)).toEqual(rect);
    const ras = rasterize(sealed.pdf, dir);
    const pageHeight = 841.89;
    expect(countIn(ras, oRect, 'blue', pageHeight)).toBeGreaterThan(100);
    expect(countIn(ras, sRect, 'red', pageHeight)).toBeGreaterThan(100);
    // The seal sits over the left part of the officer's box, not beside it.
    expect(sRect[0]).toBeLessThan(oRect[0] + (oRect[2] - oRect[0]) / 3);
    expect(sRect[2]).toBeGreaterThan(oRect[0]);

    // Our verifier: both valid, the agency's update allowed after the officer's signature.
    const report = await verifyPdf(sealed.pdf, { trustStore: trust });
    expect(report.verdict).toBe('valid');
    expect(report.modification).toBe('allowed');
    expect(report.signatures.map((s) => s.signer?.kind)).toEqual(['personal', 'organisation']);
  });
});

describe('keyword placement on a page rewritten by other tools', () => {
  it.each([
    ['qpdf (object streams, recompressed)', ['qpdf', '--object-streams=generate', '--compress-streams=y', '--recompress-flate']],
    ['mutool clean (garbage-collected, compressed)', ['mutool', 'clean', '-gggz']],
  ])('%s: the box lands next to the Vietnamese name, and the file signs', async (_name, tool) => {
    const input = join(dir, `kw-in-${tool[0]}.pdf`);
    const rewritten = join(dir, `kw-${tool[0]}.pdf`);
    writeFileSync(input, readFileSync(SAMPLE));
    const r = spawnSync(tool[0]!, [...tool.slice(1), input, rewritten], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const pdf = readFileSync(rewritten);
    const { findKeyword } = await import('../../src/appearance/index.js');
    const name = await findKeyword(pdf, 'NGUYỄN THỊ HỒNG NHUNG');
    const signed = await signPdfDetailed(pdf, {
      signer: officer,
      appearance: { layout: 'personal', data: { images: { signature: signaturePng() } }, placement: { keyword: { text: 'Nguyễn Thị Hồng Nhung', position: 'below', gap: 6 } } },
    });
    const reader = PdfReader.open(signed.pdf);
    const page = reader.resolve(reader.pageRef(0)) as PdfDict;
    const widget = (reader.resolve(page.get('Annots')) as unknown[]).map((a) => reader.resolve(a as never) as PdfDict).find((a) => a.getName('FT') === 'Sig')!;
    const rect = widget.get('Rect') as [number, number, number, number];
    // Directly below the name: its top edge 6 pt under the text's box, overlapping it horizontally.
    expect(rect[3]).toBeLessThanOrEqual(name.rect[1]);
    expect(name.rect[1] - rect[3]).toBeLessThan(12);
    expect(rect[0]).toBeLessThan(name.rect[2]);
    expect(rect[2]).toBeGreaterThan(name.rect[0]);
    const file = join(dir, `kw-signed-${tool[0]}.pdf`);
    writeFileSync(file, signed.pdf);
    expect(pdfsig(file, nss)[0]?.signatureValid).toBe(true);
  });
});
