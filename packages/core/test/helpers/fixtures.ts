/**
 * PDFs and identities for the tests, made with tools and libraries other
 * than kyso's own PDF code wherever possible (pdf-lib, qpdf).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { createNssDb, loadOrCreateTestPki, type TestPki } from '../../src/testing/index.js';

export const SHARED = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../shared');
export const CORPUS_VERIFY = join(SHARED, 'corpus/verify');
export const CORPUS_BCY = join(SHARED, 'corpus/real-bcy');

export function tempDir(prefix = 'kyso-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function makePdfLibPdf(pages = 2, objectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso test document');
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`Page ${i + 1}: Chung thuc ban sao dung voi ban chinh`, { x: 50, y: 780, size: 12, font, color: rgb(0, 0, 0) });
  }
  return doc.save({ useObjectStreams: objectStreams });
}

/** qpdf rewrites a PDF with cross-reference and object streams. */
export function withObjectStreams(pdf: Uint8Array): Uint8Array {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.pdf'), pdf);
  execFileSync('qpdf', ['--object-streams=generate', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
  return readFileSync(join(dir, 'out.pdf'));
}

/** qpdf with 256-bit AES encryption (user password empty unless given: a given one is needed to open the file). */
export function encrypted(pdf: Uint8Array, userPassword = ''): Uint8Array {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.pdf'), pdf);
  execFileSync('qpdf', ['--encrypt', userPassword, 'owner-pw', '256', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
  return readFileSync(join(dir, 'out.pdf'));
}

/**
 * A hybrid-reference file built by hand: the body is a classic table file
 * whose trailer has /XRefStm pointing to a stream that lists one object kept
 * in an object stream (PDF 32000-1 §7.5.8.4).
 */
export function makeHybridPdf(): Uint8Array {
  const offsets: Record<number, number> = {};
  let out = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const obj = (n: number, body: string): void => {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${body}\nendobj\n`;
  };
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>');
  const content = 'BT /F1 18 Tf 50 780 Td (Hybrid reference file) Tj ET';
  obj(4, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  // Object 6 (the font) lives only in object stream 5.
  const inner = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const header = '6 0 ';
  obj(5, `<< /Type /ObjStm /N 1 /First ${header.length} /Length ${header.length + inner.length} >>\nstream\n${header}${inner}\nendstream`);
  // The hidden cross-reference stream (object 7): entries for 5 (type 1), 6 (type 2) and 7 itself.
  const xrefStmOffset = Buffer.byteLength(out, 'latin1');
  const row = (t: number, a: number, b: number): Buffer => {
    const r = Buffer.alloc(7);
    r[0] = t;
    r.writeUInt32BE(a, 1);
    r.writeUInt16BE(b, 5);
    return r;
  };
  const data = Buffer.concat([row(1, offsets[5]!, 0), row(2, 5, 0), row(1, xrefStmOffset, 0)]);
  out += `7 0 obj\n<< /Type /XRef /Size 8 /Index [5 3] /W [1 4 2] /Length ${data.length} >>\nstream\n`;
  const head = Buffer.from(out, 'latin1');
  let tail = '\nendstream\nendobj\n';
  const tableOffset = head.length + data.length + Buffer.byteLength(tail, 'latin1');
  tail += 'xref\n0 5\n0000000000 65535 f\r\n';
  for (let n = 1; n <= 4; n++) tail += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  tail += `trailer\n<< /Size 8 /Root 1 0 R /XRefStm ${xrefStmOffset} >>\nstartxref\n${tableOffset}\n%%EOF\n`;
  return Buffer.concat([head, data, Buffer.from(tail, 'latin1')]);
}

let pkiPromise: Promise<TestPki> | undefined;
/** One TEST hierarchy shared by every test file (cached on disk across runs). */
export function testPki(): Promise<TestPki> {
  pkiPromise ??= loadOrCreateTestPki();
  return pkiPromise;
}

let nssPromise: Promise<string> | undefined;
/** An NSS database trusting the TEST root, for pdfsig. */
export function nssDbForTestPki(): Promise<string> {
  nssPromise ??= (async () => {
    const pki = await testPki();
    const dir = join(tempDir('kyso-nss-'), 'nssdb');
    mkdirSync(dir, { recursive: true });
    await createNssDb(dir, pki.root.certPem);
    return dir;
  })();
  return nssPromise;
}

/** root + issuing CA in one PEM file, for openssl -CAfile. */
export async function caFile(): Promise<string> {
  const pki = await testPki();
  const file = join(tempDir(), 'ca.pem');
  writeFileSync(file, pki.root.certPem + pki.issuing.certPem);
  return file;
}
