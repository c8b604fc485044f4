/**
 * Sign and verify a password-protected PDF. The update kyso appends is
 * encrypted with the document's own key, so the file keeps its protection
 * (the same security handler and permissions) and opens with the same
 * password afterwards.
 *
 *   KYSO_PDF_PASSWORD=... node --import tsx examples/sign-encrypted.ts [out-dir] [encrypted.pdf]
 *
 * Without an input, a TEST one is made from the sample with qpdf (AES-256,
 * user password "mat-khau-TEST"). The password is read from the
 * environment, as `kyso sign --pdf-password-env VAR` reads it: a password on
 * a command line is visible to every user of the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SoftwareSigner, TrustStore, isKysoError, signPdf, verifyPdf } from '@kyso/core';
import { PdfReader } from '@kyso/core/pdf';
import { loadOrCreateTestPki } from '@kyso/core/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-sign-encrypted');
mkdirSync(outDir, { recursive: true });

let input = process.argv[3];
let password = process.env.KYSO_PDF_PASSWORD;
if (input === undefined) {
  password ??= 'mat-khau-TEST';
  input = join(outDir, 'encrypted.pdf');
  execFileSync('qpdf', ['--encrypt', password, 'owner-TEST', '256', '--', join(here, 'assets', 'sample.pdf'), input]);
}
const pdf = readFileSync(input);

const pki = await loadOrCreateTestPki();
const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });

// No password means the empty user password: files restricted only against editing open without one.
const pdfPassword = password !== undefined ? { pdfPassword: password } : {};
let signed: Uint8Array;
try {
  const info = PdfReader.open(pdf, password !== undefined ? { password } : {}).encryption;
  console.log(info ? `encryption: revision ${info.revision}, ${info.streams}, opened as ${info.authenticatedAs}` : 'encryption: none');
  signed = await signPdf(pdf, { signer, reason: 'Chứng thực bản sao đúng với bản chính', ...pdfPassword });
} catch (e) {
  // PDF_PASSWORD_REQUIRED / _WRONG: set KYSO_PDF_PASSWORD; PDF_PERMISSION_DENIED: the owner password is needed.
  if (isKysoError(e)) {
    console.error(`${e.code}: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
const out = join(outDir, 'signed.pdf');
writeFileSync(out, signed);

const report = await verifyPdf(signed, { trustStore: TrustStore.fromPem(pki.root.certPem), ...pdfPassword });
console.log(`signed: ${out}`);
console.log(`verdict: ${report.verdict}`);
console.log(`still encrypted: ${PdfReader.open(signed, { allowEncrypted: true }).encrypted}`);
