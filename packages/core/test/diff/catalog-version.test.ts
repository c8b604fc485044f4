/**
 * A later signing tool writes catalog entries of its own in the
 * signature's revision: iText raises /Version to /1.7 on a PDF 1.4-1.6 file
 * (domain.md §7), Acrobat adds or raises /Extensions /ADBE. Allowed when
 * the version exists and goes up, and when /Extensions holds only
 * developer extension dictionaries.
 */
import { PDFName } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type VerificationReport } from '../../src/index.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfObject } from '../../src/pdf/index.js';
import { nssDbForTestPki, testPki } from '../helpers/fixtures.js';
import {
  describeMods,
  expectAllowed,
  expectOtherToolsAgree,
  expectSuspicious,
  identities,
  makeBase,
  signField,
  verify,
  type BaseOptions,
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

/** The original (options), signed by kyso, then a second signature whose revision also runs `edit`. */
async function signedThenEdited(options: BaseOptions, edit: (u: RawUpdate) => void): Promise<Uint8Array> {
  const base = await makeBase(options);
  const one = await signPdf(base.pdf, { signer: ids.personal });
  return signField(one, ids.organisation, { name: 'Signature2' }, (u) => edit(u));
}

const adbe = (level: number): PdfDict => new PdfDict().set('ADBE', new PdfDict().set('BaseVersion', PdfName.of('1.7')).set('ExtensionLevel', level));
const setVersion = (v: string) => (u: RawUpdate) => u.editCatalog((c) => c.set('Version', PdfName.of(v)));

describe('catalog /Version', () => {
  it('raised from a 1.4 file to /1.7 in a signature update (as iText does): allowed, catalog.version', async () => {
    const pdf = await signedThenEdited({ header: '1.4' }, setVersion('1.7'));
    expect(Buffer.from(pdf).toString('latin1', 0, 8)).toBe('%PDF-1.4');
    expectOtherToolsAgree(pdf, 'version-raised', nss, [true, true]);
    const r = await check(pdf);
    expectAllowed(r, ['catalog.version', 'signature.new-field']);
    const version = r.modifications.filter((m) => m.path === '/Root/Version' || m.path === '/Root');
    expect(version.map((m) => m.rule), describeMods(r)).toContain('catalog.version');
  });

  it('raised from /1.5 to /2.0: allowed', async () => {
    const pdf = await signedThenEdited({ header: '1.4', catalog: (d) => d.catalog.set(PDFName.of('Version'), PDFName.of('1.5')) }, setVersion('2.0'));
    expectOtherToolsAgree(pdf, 'version-2', nss, [true, true]);
    expectAllowed(await check(pdf), ['catalog.version']);
  });

  it('lowered (catalog /1.7 to /1.5): suspicious', async () => {
    const pdf = await signedThenEdited({ header: '1.4', catalog: (d) => d.catalog.set(PDFName.of('Version'), PDFName.of('1.7')) }, setVersion('1.5'));
    expectOtherToolsAgree(pdf, 'version-lowered', nss, [true, true]);
    expectSuspicious(await check(pdf), ['/Root/Version']);
  });

  for (const v of ['1.9', '3.0']) {
    it(`raised to /${v}, a version that does not exist: suspicious`, async () => {
      const pdf = await signedThenEdited({ header: '1.4' }, setVersion(v));
      expectOtherToolsAgree(pdf, `version-${v}`, nss, [true, true]);
      expectSuspicious(await check(pdf), ['/Root/Version']);
    });
  }
});

describe('catalog /Extensions', () => {
  it('added as a direct dictionary in a signature update: allowed, catalog.extensions', async () => {
    const pdf = await signedThenEdited({}, (u) => u.editCatalog((c) => c.set('Extensions', adbe(8))));
    expectOtherToolsAgree(pdf, 'extensions-direct', nss, [true, true]);
    expectAllowed(await check(pdf), ['catalog.extensions']);
  });

  it('added as an indirect object: allowed, catalog.extensions (the catalog key and the new object)', async () => {
    let ext = 0;
    const pdf = await signedThenEdited({}, (u) => {
      const ref = u.add(adbe(8));
      ext = ref.num;
      u.editCatalog((c) => c.set('Extensions', ref));
    });
    expectOtherToolsAgree(pdf, 'extensions-indirect', nss, [true, true]);
    const r = await check(pdf);
    expectAllowed(r, ['catalog.extensions']);
    expect(r.modifications.filter((m) => m.object === ext).map((m) => m.rule), describeMods(r)).toEqual(['catalog.extensions']);
  });

  it('updated in place (direct): ExtensionLevel 3 → 8: allowed', async () => {
    const pdf = await signedThenEdited(
      { catalog: (d) => d.catalog.set(PDFName.of('Extensions'), d.context.obj({ ADBE: { BaseVersion: PDFName.of('1.7'), ExtensionLevel: 3 } })) },
      (u) => u.editCatalog((c) => c.set('Extensions', adbe(8))),
    );
    expectOtherToolsAgree(pdf, 'extensions-updated-direct', nss, [true, true]);
    expectAllowed(await check(pdf), ['catalog.extensions']);
  });

  it('updated in place (indirect object): ExtensionLevel 3 → 8: allowed', async () => {
    const pdf = await signedThenEdited(
      { catalog: (d) => d.catalog.set(PDFName.of('Extensions'), d.context.register(d.context.obj({ ADBE: { BaseVersion: PDFName.of('1.7'), ExtensionLevel: 3 } }))) },
      (u) => {
        const ref = u.catalog().get('Extensions') as PdfRef;
        u.set(ref, adbe(8));
      },
    );
    expectOtherToolsAgree(pdf, 'extensions-updated-indirect', nss, [true, true]);
    expectAllowed(await check(pdf), ['catalog.extensions']);
  });

  it('near miss: /Extensions that is not a dictionary: suspicious', async () => {
    const pdf = await signedThenEdited({}, (u) => u.editCatalog((c) => c.set('Extensions', [PdfName.of('ADBE'), 8] as PdfObject[])));
    expectOtherToolsAgree(pdf, 'extensions-array', nss, [true, true]);
    expectSuspicious(await check(pdf), ['/Root/Extensions']);
  });

  it('near miss: a direct /Extensions with a key that is not an extension (/JS with a string): suspicious', async () => {
    const pdf = await signedThenEdited({}, (u) => u.editCatalog((c) => c.set('Extensions', adbe(8).set('JS', PdfString.fromText('app.alert(1)')))));
    expectOtherToolsAgree(pdf, 'extensions-bad-key-direct', nss, [true, true]);
    expectSuspicious(await check(pdf), ['/Root/Extensions']);
  });

  it('near miss: an indirect /Extensions updated with a key that is not an extension: suspicious at that key', async () => {
    const pdf = await signedThenEdited(
      { catalog: (d) => d.catalog.set(PDFName.of('Extensions'), d.context.register(d.context.obj({ ADBE: { BaseVersion: PDFName.of('1.7'), ExtensionLevel: 3 } }))) },
      (u) => {
        const ref = u.catalog().get('Extensions') as PdfRef;
        u.set(ref, adbe(8).set('JS', PdfString.fromText('app.alert(1)')));
      },
    );
    expectOtherToolsAgree(pdf, 'extensions-bad-key-indirect', nss, [true, true]);
    expectSuspicious(await check(pdf), ['/Root/Extensions/JS']);
  });
});
