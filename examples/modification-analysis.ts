/**
 * What changed after a signature, and which rule allowed it: sign a
 * document, then (1) add a second signature, which the policy allows, and
 * (2) append the "shadow" update an attacker would, one that writes no object
 * but points the trailer's /Root at another catalog. The report names the
 * rule that cleared each change, or the path of what no rule clears.
 *
 *   node --import tsx examples/modification-analysis.ts
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { signPdf, SoftwareSigner, TrustStore, verifyPdf, type VerificationReport } from '@kyso/core';
import { IncrementalWriter, PdfDict, PdfName, PdfReader } from '@kyso/core/pdf';
import { loadOrCreateTestPki } from '@kyso/core/testing';

const pki = await loadOrCreateTestPki(join(tmpdir(), 'kyso-example-pki'));
const officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
const trustStore = TrustStore.fromPem(pki.root.certPem);

const doc = await PDFDocument.create();
const font = await doc.embedFont(StandardFonts.Helvetica);
doc.addPage([595, 842]).drawText('So tien: 1.000.000 dong', { x: 72, y: 760, size: 14, font });
const signed = await signPdf(await doc.save({ useObjectStreams: false }), { signer: officer, reason: 'Phê duyệt' });

function show(title: string, r: VerificationReport): void {
  console.log(`\n${title}: ${r.verdict} (${r.modification})`);
  for (const m of r.modifications) console.log(`  ${m.verdict === 'allowed' ? '✓' : '✗'} ${m.rule ?? m.refusedBy ?? 'no rule'}  ${m.path ?? `object ${m.object}`}`);
}

// (1) A second, approval signature: new field, signature dictionary, registration in the form.
show('second signature', await verifyPdf(await signPdf(signed, { signer: agency, reason: 'Đóng dấu' }), { trustStore }));

// (2) A second catalog whose page tree is empty, then an xref-only update re-pointing /Root at it.
const reader = PdfReader.open(signed);
const w = new IncrementalWriter(reader);
const pages = w.add(new PdfDict().set('Type', PdfName.of('Pages')).set('Kids', []).set('Count', 0));
w.add(new PdfDict().set('Type', PdfName.of('Catalog')).set('Pages', pages));
const planted = Buffer.concat([signed, w.write().appended]);
const catalogNum = PdfReader.open(planted).size - 1;
const tail = `xref\n0 0\ntrailer\n<< /Size ${catalogNum + 1} /Root ${catalogNum} 0 R /Prev ${PdfReader.open(planted).startxref} >>\nstartxref\n${planted.length}\n%%EOF\n`;
const swapped = Buffer.concat([planted, Buffer.from(tail, "latin1")]);
const swappedReport = await verifyPdf(swapped, { trustStore });
show('catalog swapped by an xref-only update', swappedReport);
// The signature is still a row, though the new catalog shows no form at all.
for (const s of swappedReport.signatures) console.log(`  signature "${s.field}": ${s.indication}, ${s.findings.map((f) => f.code).join(', ')}`);
