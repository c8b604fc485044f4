/**
 * Long-term validation data added after signing: a DSS (kyso's, and laid
 * out by hand with and without /VRI), document timestamps (B-LTA) and their
 * renewal. Allowed at every DocMDP level, P=1 included, where a new
 * approval signature is not.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendPdf, signPdf, tsaTimestamper, type VerificationReport } from '../../src/index.js';
import { inspectCms } from '../../src/cms/index.js';
import { PdfDict, PdfName, PdfStream, PdfString, type PdfObject, type PdfRef } from '../../src/pdf/index.js';
import { pdfDate } from '../../src/sign/index.js';
import { collectValidationData, type ValidationData } from '../../src/time/index.js';
import { createNssDb, createTestPki, startTestServices, type TestServices } from '../../src/testing/index.js';
import { scanSignatures } from '../helpers/external-tools.js';
import { tempDir } from '../helpers/fixtures.js';
import {
  certify,
  describeMods,
  expectAllowed,
  expectOtherToolsAgree,
  expectSuspicious,
  identities,
  makeBase,
  plainUpdate,
  rulesOf,
  signField,
  verify,
  type Identities,
  type RawUpdate,
} from './real-tool-fixtures.js';

let services: TestServices;
let ids: Identities;
let nss: string;

beforeAll(async () => {
  // The certificates' OCSP and CRL URLs point at these loopback services.
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  ids = await identities(services.pki);
  nss = join(tempDir('kyso-dss-'), 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, services.pki.root.certPem);
});
afterAll(async () => {
  await services?.close();
});

const tsa = () => tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 });
const check = (pdf: Uint8Array): Promise<VerificationReport> => verify(pdf, ids.store);
const DSS_RULES = ['dss.catalog-entry', 'dss.dictionary', 'dss.vri'];
const base = async () => (await makeBase({ xmp: true })).pdf;

/** Chains and OCSP responses for every signature of `pdf`, fetched from the loopback services with kyso's client. */
async function validationData(pdf: Uint8Array): Promise<{ contents: Buffer; data: ValidationData }[]> {
  const pool = [services.pki.issuing.certDer, services.pki.root.certDer];
  const out: { contents: Buffer; data: ValidationData }[] = [];
  for (const sig of scanSignatures(Buffer.from(pdf))) {
    const leaf = inspectCms(sig.contents).signerCertificate!;
    out.push({ contents: sig.contents, data: await collectValidationData(leaf, pool) });
  }
  return out;
}

/**
 * A DSS laid out by hand, unlike kyso's: uncompressed /Certs, Flate
 * /OCSPs, and (optionally) an indirect /VRI dictionary whose entries are
 * direct dictionaries with a /TU time (kyso writes a direct /VRI with
 * indirect entries).
 */
function handDss(u: RawUpdate, entries: { contents: Buffer; data: ValidationData }[], withVri: boolean): PdfRef {
  const certs = new Map<string, PdfRef>();
  const ocsps = new Map<string, PdfRef>();
  const key = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
  const store = (m: Map<string, PdfRef>, der: Uint8Array, flate: boolean): PdfRef => {
    let ref = m.get(key(der));
    if (!ref) {
      ref = u.add(flate ? new PdfStream(new PdfDict().set('Filter', PdfName.of('FlateDecode')), deflateSync(der)) : new PdfStream(new PdfDict(), der));
      m.set(key(der), ref);
    }
    return ref;
  };
  const vri = new PdfDict();
  for (const e of entries) {
    const c = e.data.certificates.map((d) => store(certs, d, false));
    const o = e.data.ocspResponses.map((d) => store(ocsps, d, true));
    const entry = new PdfDict().set('Cert', c).set('TU', PdfString.fromText(pdfDate(new Date())));
    if (o.length) entry.set('OCSP', o);
    vri.set(createHash('sha1').update(e.contents).digest('hex').toUpperCase(), entry);
  }
  const dss = new PdfDict().set('Type', PdfName.of('DSS')).set('Certs', [...certs.values()] as PdfObject[]);
  if (ocsps.size) dss.set('OCSPs', [...ocsps.values()] as PdfObject[]);
  if (withVri) dss.set('VRI', u.add(vri));
  const ref = u.add(dss);
  u.editCatalog((cat) => cat.set('DSS', ref));
  return ref;
}

describe('DSS', () => {
  it("kyso's B-LT (DSS with /VRI): allowed, dss.*", async () => {
    const pdf = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-LT' });
    expectOtherToolsAgree(pdf, 'kyso-blt', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, DSS_RULES);
    expect(r.signatures[0]!.padesLevel).toBe('B-LT');
    expect(rulesOf(r).every((x) => x.startsWith('dss.') || x.startsWith('structure.')), describeMods(r)).toBe(true);
  });

  it('a DSS laid out by hand with an indirect /VRI (direct entries, /TU): allowed, dss.*', async () => {
    const one = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-T' });
    const data = await validationData(one);
    const pdf = plainUpdate(one, (u) => handDss(u, data, true));
    expectOtherToolsAgree(pdf, 'hand-dss-vri', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, DSS_RULES);
    expect(r.signatures[0]!.padesLevel).toBe('B-LT');
  });

  it('a DSS laid out by hand without /VRI: allowed, dss.catalog-entry and dss.dictionary', async () => {
    const one = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-T' });
    const data = await validationData(one);
    const pdf = plainUpdate(one, (u) => handDss(u, data, false));
    expectOtherToolsAgree(pdf, 'hand-dss-no-vri', nss, [true]);
    const r = await check(pdf);
    expectAllowed(r, ['dss.catalog-entry', 'dss.dictionary']);
    expect(rulesOf(r), describeMods(r)).not.toContain('dss.vri');
  });

  it('near miss: a DSS update that also changes a page (/Rotate): suspicious', async () => {
    const one = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-T' });
    const data = await validationData(one);
    const pdf = plainUpdate(one, (u) => {
      handDss(u, data, true);
      u.editDict(u.pageRef(0), (p) => p.set('Rotate', 90));
    });
    expectOtherToolsAgree(pdf, 'dss-plus-page', nss, [true]);
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/Pages/Kids[0]/Rotate']);
    // The DSS part of the same update is still what it is.
    expect(r.modifications.filter((m) => m.path === '/Root/DSS').map((m) => m.verdict), describeMods(r)).not.toContain('suspicious');
  });
});

describe('document timestamps', () => {
  it('B-LTA (DSS, then a document timestamp): allowed, dss.* and timestamp.*', async () => {
    const pdf = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-LTA' });
    expectOtherToolsAgree(pdf, 'kyso-blta', nss, [true, null]);
    const r = await check(pdf);
    expectAllowed(r, [...DSS_RULES, 'timestamp.dictionary', 'timestamp.field']);
    expect(r.signatures.map((s) => s.kind)).toEqual(['signature', 'timestamp']);
  });

  it('B-LTA renewed (new DSS data for the timestamp, a second document timestamp): allowed', async () => {
    const once = await signPdf(await base(), { signer: ids.personal, timestamper: tsa(), level: 'B-LTA' });
    const revisions = (await check(once)).document.revisions;
    const twice = await extendPdf(once, { level: 'B-LTA', timestamper: tsa() });
    expectOtherToolsAgree(twice, 'kyso-blta-renewed', nss, [true, null, null]);
    const r = await check(twice);
    expectAllowed(r, [...DSS_RULES, 'timestamp.dictionary', 'timestamp.field']);
    expect(r.signatures.map((s) => s.kind)).toEqual(['signature', 'timestamp', 'timestamp']);
    const renewal = r.modifications.filter((m) => m.revision >= revisions);
    const rules = new Set(renewal.map((m) => m.rule));
    for (const rule of ['dss.dictionary', 'dss.vri', 'timestamp.dictionary', 'timestamp.field']) expect([...rules], describeMods(r)).toContain(rule);
  });
});

describe('on a file certified with DocMDP P=1 (no changes permitted)', () => {
  let ltv: Uint8Array;

  beforeAll(async () => {
    const certified = await certify(await base(), ids.province, 1, 'ETSI.CAdES.detached');
    ltv = await extendPdf(certified, { level: 'B-LTA', timestamper: tsa() });
  });

  it('a DSS and a document timestamp: allowed', async () => {
    expectOtherToolsAgree(ltv, 'p1-blta', nss, [true, null]);
    const r = await check(ltv);
    expect(r.signatures[0]!.certification).toEqual({ docMdp: 1 });
    expectAllowed(r, [...DSS_RULES, 'timestamp.dictionary', 'timestamp.field']);
  });

  it('near miss: a new approval signature field there: suspicious', async () => {
    const pdf = await signField(ltv, ids.organisation, { name: 'Signature3' });
    expectOtherToolsAgree(pdf, 'p1-blta-approval', nss, [true, null, true]);
    const r = await check(pdf);
    expectSuspicious(r, ['/Root/AcroForm/Fields[2]']);
    expect(r.signatures.find((s) => s.field === 'Signature3')?.integrity).toBe('ok');
  });
});
