/**
 * New signature fields after a signature, as real tools add them (domain.md
 * §7): kyso's own second signature, Acrobat's object-stream update, an old
 * object number reused, and the certified-then-sealed pattern of a
 * provincial People's Committee, with the overlays that imitate it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type Modification, type VerificationReport } from '../../src/index.js';
import { PdfDict, PdfName, PdfReader, PdfRef, PdfStream } from '../../src/pdf/index.js';
import { sealPng } from '../appearance/images.js';
import { nssDbForTestPki, testPki } from '../helpers/fixtures.js';
import {
  addField,
  certify,
  describeMods,
  expectAllowed,
  expectOtherToolsAgree,
  expectSuspicious,
  identities,
  makeBase,
  opaqueBoxAppearance,
  OVERLAY_RECT,
  plainUpdate,
  refreshInfo,
  refreshXmp,
  sealAppearance,
  SEAL_RECT,
  signField,
  STAMP_RECT,
  textStampAppearance,
  verify,
  type BaseDoc,
  type Identities,
  type RawUpdate,
} from './real-tool-fixtures.js';

let ids: Identities;
let nss: string;

beforeAll(async () => {
  ids = await identities(await testPki());
  nss = await nssDbForTestPki();
});

const check = (pdf: Uint8Array): Promise<VerificationReport> => verify(pdf, ids.store);
const byPath = (r: VerificationReport, path: string): Modification[] => r.modifications.filter((m) => m.path === path);
const close = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 0.5);

/** What iText writes next to a new signature: /Info ModDate + Producer and the XMP packet. */
const refresh = (u: RawUpdate): void => {
  refreshInfo(u);
  refreshXmp(u);
};
const stamp = (u: RawUpdate) => textStampAppearance(u, ['Nguoi ky: Nguyen Van Anh', 'Thoi gian ky: 02.02.2024 14:34:45 +07:00']);

describe('a second approval signature', () => {
  it('by kyso (organisation identity, invisible): allowed, signature.dictionary / register-field / new-field', async () => {
    const base = await makeBase();
    const one = await signPdf(base.pdf, { signer: ids.personal, reason: 'Ký duyệt' });
    const two = await signPdf(one, { signer: ids.organisation, reason: 'Đóng dấu' });
    expectOtherToolsAgree(two, 'kyso-second-approval', nss, [true, true]);
    const r = await check(two);
    expectAllowed(r, ['signature.dictionary', 'signature.register-field', 'signature.new-field']);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(byPath(r, '/Root/AcroForm/Fields[1]').map((m) => m.rule), describeMods(r)).toContain('signature.new-field');
    expect(byPath(r, '/Root/AcroForm/Fields[1]/V').map((m) => m.rule), describeMods(r)).toContain('signature.dictionary');
  });

  it("by kyso with its own visible seal appearance over the printed name: allowed, covers listed, not opaque", async () => {
    const base = await makeBase();
    const one = await signPdf(base.pdf, { signer: ids.personal });
    const two = await signPdf(one, {
      signer: ids.organisation,
      appearance: { layout: 'seal', data: { images: { seal: sealPng() } }, placement: { page: 0, rect: SEAL_RECT } },
    });
    expectOtherToolsAgree(two, 'kyso-visible-seal', nss, [true, true]);
    const r = await check(two);
    expectAllowed(r, ['signature.dictionary', 'signature.register-field', 'signature.new-field', 'signature.appearance']);
    const covers = r.modifications.filter((m) => m.covers).map((m) => m.covers!);
    expect(covers.length, describeMods(r)).toBeGreaterThan(0);
    expect(covers.every((c) => c.page === 0 && close(c.rect, SEAL_RECT) && c.opaque === false), describeMods(r)).toBe(true);
  });

  it('the way Adobe Reader adds it: xref stream, AcroForm + page + catalog + widget + /Info in a new object stream, XMP refreshed: allowed', async () => {
    const base = await makeBase({ xmp: true });
    const one = await signPdf(base.pdf, { signer: ids.personal });
    const two = await signField(
      one,
      ids.organisation,
      { name: 'Signature2', rect: STAMP_RECT, appearance: stamp },
      (u) => {
        refreshInfo(u, { producer: 'Adobe Acrobat Reader (64-bit) 23.8.20470' });
        refreshXmp(u, { producer: 'Adobe Acrobat Reader (64-bit) 23.8.20470' });
        u.editCatalog(() => undefined); // Acrobat writes the catalog again, unchanged
      },
      { xref: 'stream', objectStream: true },
    );
    // The layout is what it claims: these objects live in the new object stream.
    const reader = PdfReader.open(two);
    const rev = reader.revisions[reader.revisions.length - 1]!;
    expect(rev.kind).toBe('stream');
    const catalogRef = reader.catalogRef();
    const acroForm = reader.catalog().get('AcroForm') as { num: number };
    const infoRef = reader.trailer.get('Info') as { num: number };
    for (const num of [catalogRef.num, acroForm.num, base.pageNum, infoRef.num]) expect(reader.entry(num)?.type, `object ${num}`).toBe(2);
    expectOtherToolsAgree(two, 'adobe-object-stream', nss, [true, true]);

    const r = await check(two);
    expectAllowed(r, [
      'structure.xref-stream',
      'structure.object-stream',
      'structure.identical-rewrite',
      'signature.dictionary',
      'signature.new-field',
      'signature.register-field',
      'signature.appearance',
      'metadata.info',
      'metadata.xmp',
    ]);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    const catalogMods = r.modifications.filter((m) => m.object === catalogRef.num);
    expect(catalogMods.map((m) => m.rule), describeMods(r)).toEqual(['structure.identical-rewrite']);
  });

  it('an old object number reused for the new field (it was an appearance stream nothing refers to): allowed', async () => {
    const base = await makeBase({ orphanAppearance: true });
    const one = await signPdf(base.pdf, { signer: ids.personal });
    // In the signed revision the orphan is still what it was: a form XObject nobody uses.
    const signedReader = PdfReader.open(one);
    const orphan = signedReader.getObject(new PdfRef(base.orphanNum!, 0));
    expect(orphan).toBeInstanceOf(PdfStream);
    expect((orphan as PdfStream).dict.getName('Subtype')).toBe('Form');
    const two = await signField(one, ids.organisation, { name: 'Signature2', num: base.orphanNum! });
    expectOtherToolsAgree(two, 'reused-number', nss, [true, true]);
    const r = await check(two);
    expectAllowed(r, ['signature.dictionary', 'signature.register-field', 'signature.new-field']);
    const reused = r.modifications.filter((m) => m.object === base.orphanNum);
    expect(reused.map((m) => `${m.rule}:${m.path}`), describeMods(r)).toEqual(['signature.new-field:/Root/AcroForm/Fields[1]']);
  });
});

describe('certified (DocMDP P=2, adbe.pkcs7.detached), then a seal and a text stamp in new fields (domain §7)', () => {
  let base: BaseDoc;
  let certified: Uint8Array;

  beforeAll(async () => {
    base = await makeBase({ xmp: true });
    certified = await certify(base.pdf, ids.province, 2);
  });

  const sealed = (from: Uint8Array) =>
    signField(from, ids.organisation, { name: 'DauCoQuan', rect: SEAL_RECT, appearance: (u) => sealAppearance(u) }, refresh, { subFilter: 'adbe.pkcs7.detached' });

  it('valid and allowed; the report lists what each new appearance covers (the seal: not opaque)', async () => {
    const one = await sealed(certified);
    const two = await signField(one, ids.personal, { name: 'ChuKyVanBan', rect: STAMP_RECT, appearance: stamp }, refresh, { subFilter: 'adbe.pkcs7.detached' });
    expectOtherToolsAgree(two, 'certified-seal-stamp', nss, [true, true, true]);
    const r = await check(two);
    expectAllowed(r, ['signature.dictionary', 'signature.new-field', 'signature.register-field', 'signature.appearance', 'metadata.info', 'metadata.xmp']);
    expect(r.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(r.signatures[0]!.certification).toEqual({ docMdp: 2 });
    expect(r.signatures.map((s) => s.subFilter)).toEqual(['adbe.pkcs7.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.detached']);
    const covers = r.modifications.filter((m) => m.covers);
    const seal = covers.filter((m) => m.revision === 2 && close(m.covers!.rect, SEAL_RECT));
    const text = covers.filter((m) => m.revision === 3 && close(m.covers!.rect, STAMP_RECT));
    expect(seal.length, describeMods(r)).toBeGreaterThan(0);
    expect(text.length, describeMods(r)).toBeGreaterThan(0);
    for (const m of [...seal, ...text]) expect(m.covers, describeMods(r)).toMatchObject({ page: 0, opaque: false });
    // Every appearance the report describes is one of these two.
    expect(covers.length, describeMods(r)).toBe(seal.length + text.length);
  });

  it('near miss: the same seal field left UNSIGNED (Sneaky Signature Attack): suspicious', async () => {
    const pdf = plainUpdate(certified, (u) => {
      addField(u, { name: 'DauCoQuan', rect: SEAL_RECT, appearance: (x) => sealAppearance(x) });
      refresh(u);
    });
    // pdfsig lists the empty field too, with nothing to validate.
    expectOtherToolsAgree(pdf, 'unsigned-seal', nss, [true, false]);
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/AcroForm/Fields[1]']);
    expect(r.signatures).toHaveLength(1);
  });

  it('near miss: the same seal signature under a P=1 certification: suspicious', async () => {
    const p1 = await certify(base.pdf, ids.province, 1);
    const pdf = await sealed(p1);
    expectOtherToolsAgree(pdf, 'p1-seal', nss, [true, true]);
    const r = await check(pdf);
    expect(r.signatures[0]!.certification).toEqual({ docMdp: 1 });
    expectSuspicious(r, ['/Root/AcroForm/Fields[1]']);
    expect(r.signatures[1]!.indication).toBe('TOTAL_PASSED'); // the new signature itself is fine
  });

  it('near miss: signed, but its appearance is an opaque filled box over the signed amount: suspicious', async () => {
    const w = OVERLAY_RECT[2] - OVERLAY_RECT[0];
    const h = OVERLAY_RECT[3] - OVERLAY_RECT[1];
    const pdf = await signField(certified, ids.organisation, { name: 'DauCoQuan', rect: OVERLAY_RECT, appearance: (u) => opaqueBoxAppearance(u, w, h) }, refresh, {
      subFilter: 'adbe.pkcs7.detached',
    });
    expectOtherToolsAgree(pdf, 'opaque-over-amount', nss, [true, true]);
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/AcroForm/Fields[1]']);
    expect(r.signatures[1]!.integrity).toBe('ok');
    const opaque = r.modifications.filter((m) => m.covers?.opaque === true);
    expect(opaque.length, describeMods(r)).toBeGreaterThan(0);
    expect(close(opaque[0]!.covers!.rect, OVERLAY_RECT), describeMods(r)).toBe(true);
  });

  it('near miss: a signed widget on the page that is missing from /AcroForm /Fields: suspicious', async () => {
    const pdf = await signField(certified, ids.organisation, { name: 'DauCoQuan', rect: SEAL_RECT, appearance: (u) => sealAppearance(u), inFields: false }, refresh, {
      subFilter: 'adbe.pkcs7.detached',
    });
    const reader = PdfReader.open(pdf);
    const page = reader.getObject(reader.pageRef(0)!) as { get(k: string): unknown };
    expect((reader.resolve(page.get('Annots') as never) as unknown[]).length).toBe(2);
    // poppler finds the stray widget on the page and validates its signature: the bytes are fine.
    expectOtherToolsAgree(pdf, 'widget-not-in-fields', nss, [true, true]);
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/Pages/Kids[0]/Annots[1]']);
  });

  it('near miss: a new signed field whose update also rewrites an unrelated existing object (the font): suspicious', async () => {
    const pdf = await signField(
      certified,
      ids.organisation,
      { name: 'DauCoQuan', rect: SEAL_RECT, appearance: (u) => sealAppearance(u) },
      (u) => {
        refresh(u);
        u.editDict(u.ref(base.fontNum), (d) => d.set('BaseFont', PdfName.of('Courier')));
      },
      { subFilter: 'adbe.pkcs7.detached' },
    );
    expectOtherToolsAgree(pdf, 'field-plus-rewrite', nss, [true, true]);
    const r = await check(pdf);
    // The rewritten font is what no rule clears; the field itself reads nothing the update rewrote, so it is judged on its own.
    expectSuspicious(r, ['/Root/Pages/Kids[0]/Resources/Font/F1/BaseFont']);
    expect(r.modifications.find((m) => m.path === '/Root/AcroForm/Fields[1]')?.rule).toBe('signature.new-field');
  });

  it('near miss: a new signed field whose appearance draws with an existing font the same update rewrites: suspicious', async () => {
    const pdf = await signField(
      certified,
      ids.organisation,
      { name: 'DauCoQuan', rect: SEAL_RECT, appearance: (u) =>
          u.add(
            new PdfStream(
              new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, 130, 130]).set('Resources', new PdfDict().set('Font', new PdfDict().set('F1', new PdfRef(base.fontNum, 0)))),
              Buffer.from('BT /F1 8 Tf 4 60 Td (Dau) Tj ET', 'latin1'),
            ),
          ) },
      (u) => {
        refresh(u);
        u.editDict(u.ref(base.fontNum), (d) => d.set('BaseFont', PdfName.of('Courier')));
      },
      { subFilter: 'adbe.pkcs7.detached' },
    );
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/Pages/Kids[0]/Resources/Font/F1/BaseFont', '/Root/AcroForm/Fields[1]']);
  });
});
