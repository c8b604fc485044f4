/**
 * A certified electronic copy in one call: a scanned JPEG becomes a PDF
 * (the JPEG embedded unchanged, at 100%), the certification number and the
 * result code are reserved in the codes store (SQLite here), the statement
 * and a QR code of the result code are stamped, the officer signs, the agency
 * seals, the numbers are confirmed. Then our verifier reads it back.
 *
 *   node --import tsx examples/certify-copy.ts [out-dir]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodeAllocator, SoftwareSigner, TrustStore, certifyCopy, verifyPdf } from '@kyso/core';
import { SqliteSequenceStore } from '@kyso/core/codes';
import { loadOrCreateTestPki } from '@kyso/core/testing';

const here = fileURLToPath(new URL('.', import.meta.url));
// Stand-ins for the officer's scanned signature and the agency's seal (transparent PNGs).
const signaturePng = () => readFileSync(join(here, 'assets', 'signature.png'));
const sealPng = () => readFileSync(join(here, 'assets', 'seal.png'));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-certify-copy');
mkdirSync(outDir, { recursive: true });

// The "scan": the sample page rendered to JPEG by poppler at 100 dpi.
execFileSync('pdftoppm', ['-jpeg', '-r', '100', '-singlefile', join(here, 'assets', 'sample.pdf'), join(outDir, 'scan')]);
const scan = readFileSync(join(outDir, 'scan.jpg'));

const pki = await loadOrCreateTestPki();
writeFileSync(join(outDir, 'root.pem'), pki.root.certPem);
const officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });

const store = await SqliteSequenceStore.open({ dataDir: join(outDir, 'codes') });
try {
  const codes = new CodeAllocator({ store, actor: 'example' });
  const { pdf, record } = await certifyCopy(scan, {
    codes,
    requestKey: `example-${Date.now()}`,
    agency: '000.00.00.H56',
    book: 2,
    owner: '052090000495',
    officer: { signer: officer, image: signaturePng() },
    agencySeal: { signer: agency, image: sealPng() },
  });
  const out = join(outDir, 'certified-copy.pdf');
  writeFileSync(out, pdf);

  const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  console.log(`certified copy: ${out}`);
  console.log(`number: ${record.certificationNumber}  book: ${record.bookLabel}`);
  console.log(`result code: ${record.resultCode}`);
  console.log(`sha256 in/out: ${record.sha256.input} ${record.sha256.output}`);
  console.log(`verdict: ${report.verdict}`);
  console.log(`officer: signature ${report.certifiedCopy?.officer}, agency: signature ${report.certifiedCopy?.agency}, complete: ${report.certifiedCopy?.complete}`);
} finally {
  await store.close();
}
