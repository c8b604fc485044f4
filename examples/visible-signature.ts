/**
 * A certified electronic copy the Vietnamese way (Decree 30/2020 Appendix I):
 * the certification statement on the last page, the officer's handwritten
 * signature image with its text block, the agency's red seal over the left
 * third of it, and the "SAO Y" stamp at the top right of page 1. Then the
 * officer and the agency sign.
 *
 *   node --import tsx examples/visible-signature.ts [out-dir]
 *
 * Until signPdf takes an `appearance` option, the appearances are added as
 * printable annotations in one incremental update made before signing, so
 * the signatures cover them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  IncrementalWriter,
  PdfDict,
  PdfName,
  PdfReader,
  SoftwareSigner,
  buildAppearance,
  signPdf,
  stampCertificationStatementDetailed,
  type BuiltAppearance,
} from '@kyso/core';
import { loadOrCreateTestPki, writeTestPki } from '@kyso/core/testing';
import { sealPng, signaturePng } from '../packages/core/test/appearance/images.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', '.tmp', 'example-visible');
mkdirSync(outDir, { recursive: true });

const signedAt = new Date('2024-02-02T07:34:45Z');
const officer = {
  commonName: 'Lê Thị Ánh Tuyết',
  email: 'tuyet.lt@phuocloc.binhdinh.gov.vn',
  organization: 'UBND tỉnh Bình Định',
  organizationalUnits: ['UBND huyện Tuy Phước', 'UBND xã Phước Lộc'],
  signingTime: signedAt,
  copyType: 'SAO Y',
  agency: 'ỦY BAN NHÂN DÂN XÃ PHƯỚC LỘC',
  // Real deployments load the officer's scanned signature and the agency's seal (transparent PNGs).
  images: { signature: signaturePng(), seal: sealPng() },
};

// 1. The certification statement, before any signature.
const original = readFileSync(join(here, 'assets', 'sample.pdf'));
const stamped = await stampCertificationStatementDetailed(original, { number: 99, book: '02', year: 2024, date: signedAt, officerName: officer.commonName });

// 2. The appearances, as new objects in one incremental update.
const reader = PdfReader.open(stamped.pdf);
const writer = new IncrementalWriter(reader);
const [sx1, sy1] = stamped.rect;
const personal = await buildAppearance(reader, writer, 'personal', officer, { page: stamped.page, rect: [sx1 - 230, sy1, sx1 - 20, sy1 + 110] });
const seal = await buildAppearance(reader, writer, 'seal', officer, { over: personal });
const copy = await buildAppearance(reader, writer, 'copy', officer);
const withAppearances = annotate(reader, writer, [personal, seal, copy]);

// 3. The officer, then the agency, sign.
const pki = await loadOrCreateTestPki();
await writeTestPki(pki, join(outDir, 'pki'));
const officerSigner = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
const agencySigner = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
const byOfficer = await signPdf(withAppearances, { signer: officerSigner, reason: 'Chứng thực bản sao đúng với bản chính', fieldName: 'CanBoChungThuc', signingTime: signedAt });
const signed = await signPdf(byOfficer, { signer: agencySigner, reason: 'SAO Y', fieldName: 'CoQuan', signingTime: signedAt });

const out = join(outDir, 'visible-signature.pdf');
writeFileSync(out, signed);
execFileSync('pdftoppm', ['-png', '-r', '72', out, join(outDir, 'page')]);
console.log(`signed: ${out}`);
console.log(`personal: ${personal.rect.map((n) => n.toFixed(1)).join(' ')} (page ${personal.page + 1})`);
console.log(`seal: ${seal.rect.map((n) => n.toFixed(1)).join(' ')}`);
console.log(`copy: ${copy.rect.map((n) => n.toFixed(1)).join(' ')} (page ${copy.page + 1})`);
console.log(`statement: ${stamped.rect.map((n) => n.toFixed(1)).join(' ')} (page ${stamped.page + 1})`);
console.log(`revisions: ${PdfReader.open(signed).revisions.length}`);

/** Each appearance as a printable /Stamp annotation on its page. */
function annotate(r: PdfReader, w: IncrementalWriter, built: BuiltAppearance[]): Uint8Array {
  const byPage = new Map<number, ReturnType<IncrementalWriter['add']>[]>();
  for (const b of built) {
    const pageRef = r.pageRef(b.page)!;
    const annot = new PdfDict().set('Type', PdfName.of('Annot')).set('Subtype', PdfName.of('Stamp')).set('Rect', b.rect).set('F', 4).set('P', pageRef).set('AP', new PdfDict().set('N', b.appearance));
    byPage.set(b.page, [...(byPage.get(b.page) ?? []), w.add(annot)]);
  }
  for (const [page, refs] of byPage) {
    const pageRef = r.pageRef(page)!;
    const dict = r.resolve(pageRef) as PdfDict;
    const old = r.resolve(dict.get('Annots'));
    w.set(pageRef, dict.clone().set('Annots', [...(Array.isArray(old) ? old : []), ...refs]));
  }
  return Buffer.concat([r.bytes, w.write().appended]);
}
