/**
 * Certification signatures made by kyso (DocMDP P=1/2/3) and certified copies
 * (officer certifies P=2, agency locks with P=1), judged by the rule engine:
 * each change a level forbids is flagged, each it allows is not.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeAllocator, extendPdf, signPdf, SoftwareSigner, TrustStore, tsaTimestamper, verifyPdf, certifyCopy, type Signer, type VerificationReport } from '../../src/index.js';
import { SqliteSequenceStore } from '../../src/codes/index.js';
import { IncrementalWriter, PdfDict, PdfName, PdfReader, PdfRef, PdfStream, PdfString, type PdfObject } from '../../src/pdf/index.js';
import { createTestPki, issueLeaf, startTestServices, type TestServices } from '../../src/testing/index.js';
import { sealPng, signaturePng } from '../appearance/images.js';
import { pdfsig } from '../helpers/external-tools.js';
import { tempDir } from '../helpers/fixtures.js';

let services: TestServices;
let store: TrustStore;
let officer: Signer;
let agency: Signer;
let third: Signer;
let seq: SqliteSequenceStore;

beforeAll(async () => {
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  const pki = services.pki;
  store = TrustStore.fromPem(pki.root.certPem);
  officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  const leaf = await issueLeaf(pki, { kind: 'personal', name: 'third' });
  third = SoftwareSigner.fromPem({ key: leaf.keyPem, cert: leaf.certPem, chain: pki.chainPem });
  seq = await SqliteSequenceStore.open({ dataDir: tempDir('kyso-cert-codes-') });
});
afterAll(async () => {
  await seq?.close();
  await services?.close();
});

const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store });
const tsa = () => tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 });

/** A one-page form: a text field "HoTen" and the amount as page text. */
async function formDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('So tien: 1.000.000 dong', { x: 72, y: 760, size: 14, font });
  const form = doc.getForm();
  const field = form.createTextField('HoTen');
  field.addToPage(page, { x: 72, y: 600, width: 200, height: 24 });
  return doc.save({ useObjectStreams: false });
}

function append(base: Uint8Array, edit: (w: IncrementalWriter, r: PdfReader) => void): Uint8Array {
  const reader = PdfReader.open(base);
  const w = new IncrementalWriter(reader);
  edit(w, reader);
  return Buffer.concat([base, w.write().appended]);
}

/** Fills the text field the way a viewer does: /V and a new appearance stream. */
function fillField(base: Uint8Array, value: string): Uint8Array {
  return append(base, (w, r) => {
    const af = r.resolve(r.catalog().get('AcroForm')) as PdfDict;
    const fields = r.resolve(af.get('Fields')) as PdfObject[];
    const ref = fields.find((f) => ((r.resolve(f) as PdfDict).get('T') as PdfString).toText() === 'HoTen') as PdfRef;
    const field = (r.resolve(ref) as PdfDict).clone();
    const ap = w.add(new PdfStream(new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, 200, 24]), Buffer.from(`BT /Helv 12 Tf 2 6 Td (${value}) Tj ET`)));
    field.set('V', PdfString.fromText(value)).set('AP', new PdfDict().set('N', ap));
    w.set(ref, field);
  });
}

/** Adds a sticky-note comment (a /Text annotation) to page 1. */
function addComment(base: Uint8Array): Uint8Array {
  return append(base, (w, r) => {
    const pageRef = r.pageRef(0)!;
    const page = (r.resolve(pageRef) as PdfDict).clone();
    const annot = w.add(new PdfDict().set('Type', PdfName.of('Annot')).set('Subtype', PdfName.of('Text')).set('Rect', [400, 700, 420, 720]).set('Contents', PdfString.fromText('Đã xem')).set('P', pageRef));
    const annots = r.resolve(page.get('Annots'));
    page.set('Annots', [...(Array.isArray(annots) ? annots : []), annot]);
    w.set(pageRef, page);
  });
}

/** Redraws the page: a second content stream that covers the amount. */
function changeContent(base: Uint8Array): Uint8Array {
  return append(base, (w, r) => {
    const pageRef = r.pageRef(0)!;
    const page = (r.resolve(pageRef) as PdfDict).clone();
    const extra = w.add(new PdfStream(new PdfDict(), Buffer.from('1 1 1 rg 60 750 300 30 re f')));
    const contents = page.get('Contents');
    page.set('Contents', [...(Array.isArray(contents) ? contents : [contents!]), extra]);
    w.set(pageRef, page);
  });
}

const suspiciousRules = (r: VerificationReport): string[] => r.modifications.filter((m) => m.verdict === 'suspicious').map((m) => m.refusedBy ?? m.category);

describe('kyso certification signatures, judged by the rules', () => {
  for (const p of [1, 2, 3] as const) {
    describe(`certified at P=${p}`, () => {
      let certified: Uint8Array;
      beforeAll(async () => {
        certified = await signPdf(await formDocument(), { signer: officer, certify: { permissions: p }, reason: 'Chứng nhận' });
      });

      it('is reported with its permission, valid, and pdfsig agrees', async () => {
        const r = await verify(certified);
        expect(r.verdict).toBe('valid');
        expect(r.signatures[0]!.certification).toEqual({ docMdp: p });
        const file = join(tempDir('kyso-certified-'), 'c.pdf');
        writeFileSync(file, certified);
        const sigs = pdfsig(file);
        expect(sigs).toHaveLength(1);
        expect(sigs[0]!.signatureValid, sigs[0]!.signatureText).toBe(true);
      });

      it(`a second signature in a new field: ${p === 1 ? 'forbidden' : 'allowed'}`, async () => {
        // kyso refuses to sign under P=1; build the same update another tool would write.
        const pdf = p === 1 ? await signPdf(certified.slice(), { signer: agency }).catch(() => null) : await signPdf(certified, { signer: agency });
        if (p === 1) {
          expect(pdf).toBeNull();
          return;
        }
        const r = await verify(pdf!);
        expect(r.verdict, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('valid');
        expect(r.modifications.map((m) => m.rule)).toContain('signature.new-field');
      });

      it(`filling the form field: ${p === 1 ? 'forbidden' : 'allowed'}`, async () => {
        const r = await verify(fillField(certified, 'Nguyen Van A'));
        if (p === 1) {
          expect(r.modification).toBe('suspicious');
          expect(suspiciousRules(r)).toContain('form.fill');
        } else {
          expect(r.modification, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('allowed');
          expect(r.modifications.map((m) => m.rule)).toContain('form.fill');
        }
      });

      it(`adding a comment: ${p === 3 ? 'allowed' : 'forbidden'}`, async () => {
        const r = await verify(addComment(certified));
        if (p === 3) {
          expect(r.modification, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('allowed');
          const m = r.modifications.find((x) => x.rule === 'annotation.add' && x.change === 'added')!;
          expect(m.covers).toEqual({ page: 0, rect: [400, 700, 420, 720], opaque: false });
        } else {
          expect(r.verdict).toBe('invalid');
          expect(suspiciousRules(r)).toContain('annotation.add');
        }
      });

      it('changing the page content: forbidden at every level', async () => {
        const r = await verify(changeContent(certified));
        expect(r.verdict).toBe('invalid');
        const bad = r.modifications.filter((m) => m.verdict === 'suspicious');
        expect(bad.map((m) => m.path)).toContain('/Root/Pages/Kids[0]/Contents');
      });

      it('DSS and a document timestamp (B-LTA): allowed at every level', async () => {
        const pdf = await extendPdf(certified, { level: 'B-LTA', timestamper: tsa() });
        const r = await verify(pdf);
        expect(r.modification, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('allowed');
        const rules = new Set(r.modifications.map((m) => m.rule));
        expect(rules.has('dss.catalog-entry') && rules.has('timestamp.dictionary')).toBe(true);
      });
    });
  }
});

describe('a certified copy: the officer certifies (P=2), the agency seal locks (P=1)', () => {
  let copy: Uint8Array;
  beforeAll(async () => {
    const doc = await formDocument();
    const codes = new CodeAllocator({ store: seq, clock: () => new Date('2024-02-02T07:34:45Z'), actor: 'test' });
    ({ pdf: copy } = await certifyCopy(doc, {
      codes,
      requestKey: 'lock-1',
      agency: '000.00.00.H56',
      book: 2,
      owner: '052090000495',
      officer: { signer: officer, image: signaturePng() },
      agencySeal: { signer: agency, image: sealPng() },
      signedAt: new Date('2024-02-02T07:34:45Z'),
    }));
  });

  it('is valid and reported locked; the seal over the officer signature is allowed', async () => {
    const r = await verify(copy);
    expect(r.verdict, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('valid');
    expect(r.certifiedCopy?.locked).toBe(true);
    expect(r.signatures[0]!.certification).toEqual({ docMdp: 2 });
  });

  it('a form fill after the seal is flagged', async () => {
    const r = await verify(fillField(copy, 'Nguyen Van A'));
    expect(r.verdict).toBe('invalid');
    expect(r.modification).toBe('suspicious');
  });

  it('a comment after the seal is flagged', async () => {
    const r = await verify(addComment(copy));
    expect(r.verdict).toBe('invalid');
  });

  it('a further signature after the seal is refused by kyso and flagged when another tool adds it', async () => {
    await expect(signPdf(copy, { signer: third })).rejects.toMatchObject({ code: 'SIGN_NOT_PERMITTED' });
  });

  it('a B-LTA renewal after the seal is allowed', async () => {
    const lta = await extendPdf(copy, { level: 'B-LTA', timestamper: tsa() });
    const again = await extendPdf(lta, { level: 'B-LTA', timestamper: tsa() });
    const r = await verify(again);
    expect(r.modification, JSON.stringify(r.modifications.filter((m) => m.verdict === 'suspicious'))).toBe('allowed');
    expect(r.certifiedCopy?.locked).toBe(true);
  });
});
