/**
 * A certified electronic copy the Vietnamese way (Decree 30/2020 Appendix I):
 * the certification statement stamped on the last page before any
 * signature, then the officer signs with a visible signature (handwritten
 * image, blue, with the Người ký / Email / Cơ quan / Thời gian ký block read
 * from the certificate), then the agency signs with its red seal over the
 * left third of the officer's signature.
 *
 *   node --import tsx examples/visible-signature.ts [out-dir]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SoftwareSigner, signPdf, stampCertificationStatementDetailed } from '@kyso/core';
import { PdfReader } from '@kyso/core/pdf';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
// Stand-ins for the officer's scanned signature and the agency's seal (transparent PNGs).
const signaturePng = () => readFileSync(join(here, 'assets', 'signature.png'));
const sealPng = () => readFileSync(join(here, 'assets', 'seal.png'));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-visible');
mkdirSync(outDir, { recursive: true });

const pki = await loadOrCreateTestPki();
await writeTestPki(pki, join(outDir, 'pki'));
const officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
const signedAt = new Date('2024-02-02T07:34:45Z');

// 1. The certification statement, before any signature.
const original = readFileSync(join(here, 'assets', 'sample.pdf'));
const stamped = await stampCertificationStatementDetailed(original, { number: 99, book: '02', year: 2024, date: signedAt, officerName: 'Nguyễn Văn Ánh' });

// 2. The officer signs: the visible signature sits left of the statement's name.
const [sx1, sy1] = stamped.rect;
const rect: [number, number, number, number] = [Math.max(36, sx1 - 250), sy1, Math.max(266, sx1 - 20), sy1 + 110];
const byOfficer = await signPdf(stamped.pdf, {
  signer: officer,
  fieldName: 'CanBoChungThuc',
  reason: 'Chứng thực bản sao đúng với bản chính',
  signingTime: signedAt,
  appearance: { layout: 'personal', data: { images: { signature: signaturePng() } }, placement: { page: stamped.page, rect } },
});

// 3. The agency seals, over the left third of the officer's signature.
const signed = await signPdf(byOfficer, {
  signer: agency,
  fieldName: 'CoQuan',
  signingTime: signedAt,
  appearance: { layout: 'seal', data: { images: { seal: sealPng() } }, placement: { over: { page: stamped.page, rect } } },
});

const out = join(outDir, 'visible-signature.pdf');
writeFileSync(out, signed);
execFileSync('pdftoppm', ['-png', '-r', '72', out, join(outDir, 'page')]);
console.log(`signed: ${out}`);
console.log(`statement: ${stamped.rect.map((n) => n.toFixed(1)).join(' ')} (page ${stamped.page + 1})`);
console.log(`officer signature: ${rect.map((n) => n.toFixed(1)).join(' ')}`);
console.log(`revisions: ${PdfReader.open(signed).revisions.length}`);
