/**
 * Document metadata touched after a signature, as every signing tool does
 * (domain.md §7: /Info ModDate and Producer refreshed at every signature,
 * the XMP packet rewritten): allowed as metadata.info / metadata.xmp, and
 * only while it stays metadata.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type VerificationReport } from '../../src/index.js';
import { PdfDict, PdfName, PdfReader, PdfRef, PdfStream, PdfString } from '../../src/pdf/index.js';
import { nssDbForTestPki, testPki } from '../helpers/fixtures.js';
import {
  describeMods,
  expectAllowed,
  expectOtherToolsAgree,
  expectSuspicious,
  identities,
  makeBase,
  plainUpdate,
  refreshInfo,
  refreshXmp,
  verify,
  type BaseDoc,
  type BaseOptions,
  type Identities,
} from './real-tool-fixtures.js';

let ids: Identities;
let nss: string;

beforeAll(async () => {
  ids = await identities(await testPki());
  nss = await nssDbForTestPki();
});

const check = (pdf: Uint8Array): Promise<VerificationReport> => verify(pdf, ids.store);

async function signed(options: BaseOptions): Promise<{ base: BaseDoc; pdf: Uint8Array }> {
  const base = await makeBase(options);
  return { base, pdf: await signPdf(base.pdf, { signer: ids.personal }) };
}

describe('allowed', () => {
  it('/Info refreshed (ModDate, Producer): metadata.info at /Info', async () => {
    const { pdf: one } = await signed({});
    const pdf = plainUpdate(one, (u) => refreshInfo(u, { producer: 'Some other tool 2.0' }));
    expectOtherToolsAgree(pdf, 'info-refreshed', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, ['metadata.info']);
    const info = r.modifications.filter((m) => m.path?.startsWith('/Info'));
    expect(info.length, describeMods(r)).toBeGreaterThan(0);
    for (const m of info) expect(m.rule, describeMods(r)).toBe('metadata.info');
  });

  it('/Info added where there was none (a new object and a new trailer /Info): metadata.info', async () => {
    const { pdf: one } = await signed({ info: false });
    expect(PdfReader.open(one).trailer.get('Info')).toBeUndefined();
    const pdf = plainUpdate(one, (u) => refreshInfo(u));
    expect(PdfReader.open(pdf).trailer.get('Info')).toBeInstanceOf(PdfRef);
    expectOtherToolsAgree(pdf, 'info-added', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, ['metadata.info']);
  });

  it('XMP refreshed in place: metadata.xmp at /Root/Metadata', async () => {
    const { base, pdf: one } = await signed({ xmp: true });
    const pdf = plainUpdate(one, (u) => refreshXmp(u, { producer: 'Adobe Acrobat 2023' }));
    expectOtherToolsAgree(pdf, 'xmp-refreshed', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, ['metadata.xmp']);
    expect(r.modifications.filter((m) => m.object === base.metadataNum).map((m) => `${m.rule}:${m.path}`), describeMods(r)).toEqual(['metadata.xmp:/Root/Metadata']);
  });

  it('XMP added where there was none (new stream, catalog /Metadata added): metadata.xmp', async () => {
    const { pdf: one } = await signed({});
    const pdf = plainUpdate(one, (u) => refreshXmp(u));
    expectOtherToolsAgree(pdf, 'xmp-added', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, ['metadata.xmp']);
    for (const m of r.modifications.filter((x) => x.path === '/Root/Metadata')) expect(m.rule, describeMods(r)).toBe('metadata.xmp');
  });

  it('both in one update (a tool re-saving its metadata): metadata.info and metadata.xmp', async () => {
    const { pdf: one } = await signed({ xmp: true });
    const pdf = plainUpdate(one, (u) => {
      refreshInfo(u);
      refreshXmp(u);
    });
    expectOtherToolsAgree(pdf, 'info-and-xmp', nss, [true]);
    expectAllowed(await check(pdf), ['metadata.info', 'metadata.xmp']);
  });
});

describe('near misses: suspicious', () => {
  it('catalog /Metadata re-pointed to a stream that is not XML metadata (the page content stream)', async () => {
    const { base, pdf: one } = await signed({ xmp: true });
    const pdf = plainUpdate(one, (u) => u.editCatalog((c) => c.set('Metadata', u.ref(base.contentNum))));
    expectOtherToolsAgree(pdf, 'metadata-repointed', nss, [true]);
    expectSuspicious(await check(pdf), ['/Root/Metadata']);
  });

  it('catalog /Metadata pointing at a new stream that is not /Type /Metadata /Subtype /XML (a form XObject)', async () => {
    const { pdf: one } = await signed({});
    const pdf = plainUpdate(one, (u) => {
      const ref = u.add(new PdfStream(new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, 100, 100]), Buffer.from('0 0 1 rg 0 0 100 100 re f\n')));
      u.editCatalog((c) => c.set('Metadata', ref));
    });
    expectOtherToolsAgree(pdf, 'metadata-not-xml', nss, [true]);
    expectSuspicious(await check(pdf), ['/Root/Metadata']);
  });

  it('an /Info refresh that adds a reference to a new stream object', async () => {
    const { pdf: one } = await signed({});
    const pdf = plainUpdate(one, (u) => {
      const info = refreshInfo(u);
      const data = u.add(new PdfStream(new PdfDict(), Buffer.from('BT /F1 12 Tf (hidden) Tj ET\n')));
      u.editDict(info, (d) => d.set('Data', data));
    });
    expectOtherToolsAgree(pdf, 'info-with-stream', nss, [true]);
    expectSuspicious(await check(pdf), ['/Info/Data']);
  });

  it('an /Info entry that is not a text string or a date (a dictionary)', async () => {
    const { pdf: one } = await signed({});
    const pdf = plainUpdate(one, (u) => {
      const info = refreshInfo(u);
      u.editDict(info, (d) => d.set('Producer', new PdfDict().set('S', PdfName.of('JavaScript')).set('JS', PdfString.fromText('app.alert(1)'))));
    });
    expectOtherToolsAgree(pdf, 'info-dict-value', nss, [true]);
    expectSuspicious(await check(pdf), ['/Info/Producer']);
  });
});
