/**
 * Sign a PDF twice, as a certified copy is signed: first the officer
 * (personal certificate), then the agency (organisation certificate, the
 * digital "seal"). Uses a generated TEST hierarchy shaped like BCY's.
 *
 *   node --import tsx examples/sign-pdf.ts [out-dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SoftwareSigner, signPdf } from '@kyso/core';
import { PdfReader } from '@kyso/core/pdf';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-sign');
mkdirSync(outDir, { recursive: true });

const pki = await loadOrCreateTestPki();
await writeTestPki(pki, join(outDir, 'pki'));

// Keys are parsed once; a Signer can sign any number of documents.
const officer = SoftwareSigner.fromPkcs12(readFileSync(join(outDir, 'pki', 'personal.p12')), 'kyso-test');
const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });

const original = readFileSync(join(here, 'assets', 'sample.pdf'));
const byOfficer = await signPdf(original, {
  signer: officer,
  reason: 'Chứng thực bản sao đúng với bản chính',
  location: 'UBND xã Phước Lộc, Bình Định',
  fieldName: 'CanBoChungThuc',
});
const byAgency = await signPdf(byOfficer, { signer: agency, reason: 'Đóng dấu cơ quan', fieldName: 'CoQuan' });

const out = join(outDir, 'signed.pdf');
writeFileSync(out, byAgency);
const revisions = PdfReader.open(byAgency).revisions.length;
console.log(`signed: ${out}`);
console.log(`revisions: ${revisions}`);
console.log(`root CA (trust it to validate): ${join(outDir, 'pki', 'root.pem')}`);
