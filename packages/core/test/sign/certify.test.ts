/**
 * Certification signatures (DocMDP) and field locks (FieldMDP) as kyso
 * writes them, judged by qpdf's JSON (the objects as qpdf reads them) and
 * poppler's pdfsig. What verifyPdf's modification analysis says about later
 * changes is tested with the diff engine, not here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString, type PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocumentTimestamp, CodeAllocator, certifyCopy, embedSignature, extendPdf, KysoError, parseLockSpec, preparePdf, signPdf, signPdfFile, SoftwareSigner, TrustStore, tsaTimestamper, verifyPdf, type Signer } from '../../src/index.js';
import { SqliteSequenceStore } from '../../src/codes/index.js';
import { PdfDict, PdfReader } from '../../src/pdf/index.js';
import { createNssDb, createTestPki, startTestServices, type TestServices } from '../../src/testing/index.js';
import { pdfsig } from '../helpers/external-tools.js';
import { makePdfLibPdf, tempDir } from '../helpers/fixtures.js';

let services: TestServices;
let officer: Signer;
let agency: Signer;
let trust: TrustStore;
let nss: string;
const dir = tempDir('kyso-certify-');

beforeAll(async () => {
  // Certificates whose OCSP/CRL/TSA URLs point at loopback services (B-LTA after a lock).
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  const pki = services.pki;
  officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  trust = TrustStore.fromPem(pki.root.certPem);
  nss = join(dir, 'nssdb');
  mkdirSync(nss);
  await createNssDb(nss, pki.root.certPem);
});
afterAll(async () => {
  await services?.close();
});

const tsa = () => tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 });
let n = 0;
function write(bytes: Uint8Array): string {
  const file = join(dir, `f${++n}.pdf`);
  writeFileSync(file, bytes);
  return file;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonDict = { [k: string]: Json };

/** The document's objects as `qpdf --json` (version 2) reads them. */
function qpdfJson(pdf: Uint8Array) {
  const out = execFileSync('qpdf', ['--json', write(pdf)], { maxBuffer: 64 * 1024 * 1024 });
  const objects = (JSON.parse(out.toString('utf8')) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Json } }>] }).qpdf[1];
  const get = (ref: Json | undefined): Json | undefined => {
    if (typeof ref !== 'string' || !/^\d+ \d+ R$/.test(ref)) return ref;
    const o = objects[`obj:${ref}`];
    return o?.value ?? o?.stream?.dict;
  };
  const dict = (v: Json | undefined): JsonDict => {
    const d = get(v);
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error(`not a dictionary: ${JSON.stringify(v)}`);
    return d;
  };
  const trailer = dict(objects.trailer!.value);
  const rootRef = trailer['/Root'] as string;
  const catalog = dict(rootRef);
  /** Terminal fields by /T (top level is enough here). */
  const field = (name: string): JsonDict => {
    const fields = get(dict(catalog['/AcroForm'])['/Fields']) as Json[];
    const f = fields.map((x) => dict(x)).find((d) => d['/T'] === `u:${name}`);
    if (!f) throw new Error(`no field ${name}`);
    return f;
  };
  return { get, dict, trailer, rootRef, catalog, field };
}

/** An unsigned PDF with empty signature fields of these names (pdf-lib). */
async function withEmptyFields(names: string[], lockOf: Record<string, { action: string; fields?: string[]; p?: number }> = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const refs: PDFRef[] = [];
  for (const name of names) {
    const widget = doc.context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', Rect: [0, 0, 0, 0], F: 132, P: page.ref });
    widget.set(PDFName.of('T'), PDFString.of(name));
    const l = lockOf[name];
    if (l) {
      const lock = doc.context.obj({ Type: 'SigFieldLock', Action: l.action, ...(l.p ? { P: l.p } : {}) });
      if (l.fields) lock.set(PDFName.of('Fields'), doc.context.obj(l.fields.map((f) => PDFString.of(f))));
      widget.set(PDFName.of('Lock'), doc.context.register(lock));
    }
    refs.push(doc.context.register(widget));
  }
  page.node.set(PDFName.of('Annots'), doc.context.obj(refs));
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: refs, SigFlags: 3 }));
  return doc.save({ useObjectStreams: false });
}

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<KysoError> {
  const e = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KysoError);
  return e as KysoError;
}

/**
 * pdfsig: `count` signatures, all valid (it lists empty fields too, and
 * does not verify document timestamps: those are checked with verifyPdf's
 * integrity, `timestamps` of them).
 */
async function expectValid(pdf: Uint8Array, count: number, timestamps = 0): Promise<void> {
  const sigs = pdfsig(write(pdf), nss).filter((s) => s.subFilter === 'ETSI.CAdES.detached' || s.subFilter === 'adbe.pkcs7.detached');
  expect(sigs).toHaveLength(count);
  for (const s of sigs) expect(s.signatureValid, s.signatureText).toBe(true);
  const report = await verifyPdf(pdf, { trustStore: trust });
  const ts = report.signatures.filter((s) => s.kind === 'timestamp');
  expect(ts).toHaveLength(timestamps);
  for (const t of report.signatures) expect(t.integrity, t.field).toBe('ok');
}

describe('certification signatures (DocMDP)', () => {
  it.each([1, 2, 3] as const)('certifies with P=%i: /Perms /DocMDP points at the signature dictionary, pdfsig and verifyPdf agree', async (p) => {
    const input = await makePdfLibPdf();
    const pdf = await signPdf(input, { signer: officer, fieldName: 'CanBo', certify: { permissions: p } });
    expect(Buffer.from(pdf.subarray(0, input.length)).equals(Buffer.from(input))).toBe(true);
    const q = qpdfJson(pdf);
    const sigRef = q.field('CanBo')['/V'];
    expect(q.dict(q.catalog['/Perms'])['/DocMDP']).toBe(sigRef);
    const sig = q.dict(sigRef);
    expect(sig['/Type']).toBe('/Sig');
    const refs = q.get(sig['/Reference']) as Json[];
    expect(refs).toHaveLength(1);
    const ref = q.dict(refs[0]);
    expect(ref).toMatchObject({ '/Type': '/SigRef', '/TransformMethod': '/DocMDP', '/Data': q.rootRef });
    expect(q.dict(ref['/TransformParams'])).toEqual({ '/Type': '/TransformParams', '/P': p, '/V': '/1.2' });
    await expectValid(pdf, 1);
    const report = await verifyPdf(pdf, { trustStore: trust });
    expect(report.signatures[0]!.certification).toEqual({ docMdp: p });
  });

  it('edits the catalog once when the result code, the new AcroForm and /Perms all change it', async () => {
    const input = await makePdfLibPdf(); // no AcroForm, no XMP: all three go into the catalog
    const pdf = await signPdf(input, { signer: officer, certify: { permissions: 2 }, resultCode: '052090000495.KQ.G15.000021.02022024' });
    const catalogNum = PdfReader.open(input).catalogRef().num;
    const appended = Buffer.from(pdf.subarray(input.length)).toString('latin1');
    expect(appended.match(new RegExp(`(^|\\n)${catalogNum} 0 obj`, 'g'))).toHaveLength(1);
    const q = qpdfJson(pdf);
    expect(Object.keys(q.catalog)).toEqual(expect.arrayContaining(['/Perms', '/AcroForm', '/Metadata']));
    expect(q.dict(q.catalog['/Perms'])['/DocMDP']).toBe(q.field('Signature1')['/V']);
    await expectValid(pdf, 1);
  });

  it('merges /DocMDP into an existing indirect /Perms, re-emitting only that object', async () => {
    const doc = await PDFDocument.load(await makePdfLibPdf());
    doc.catalog.set(PDFName.of('Perms'), doc.context.register(doc.context.obj({ KysoTest: true })));
    const input = await doc.save({ useObjectStreams: false });
    const pdf = await signPdf(input, { signer: officer, certify: { permissions: 2 } });
    const q = qpdfJson(pdf);
    expect(q.dict(q.catalog['/Perms'])).toEqual({ '/KysoTest': true, '/DocMDP': q.field('Signature1')['/V'] });
    await expectValid(pdf, 1);
  });

  it('refuses to certify a signed or certified document with SIGN_CERTIFY_NOT_FIRST, writing nothing', async () => {
    const signed = await signPdf(await makePdfLibPdf(), { signer: officer });
    const certified = await signPdf(await makePdfLibPdf(), { signer: officer, certify: { permissions: 2 } });
    for (const input of [signed, certified]) {
      const e = await refusal(signPdf(input, { signer: agency, certify: { permissions: 2 } }));
      expect(e.code).toBe('SIGN_CERTIFY_NOT_FIRST');
      expect(e.messageVi).toMatch(/chứng nhận/);
      const out = join(dir, `refused-${++n}.pdf`);
      expect((await refusal(signPdfFile(write(input), out, { signer: agency, certify: { permissions: 1 } }))).code).toBe('SIGN_CERTIFY_NOT_FIRST');
      expect(existsSync(out)).toBe(false);
    }
    // An approval signature after a P=2 certification is fine.
    await expectValid(await signPdf(certified, { signer: agency }), 2);
  });

  it('two-step signing (preparePdf) certifies too', async () => {
    const input = await makePdfLibPdf();
    const prepared = preparePdf(input, { contentsCapacity: 8192, certify: { permissions: 3 } });
    const reader = PdfReader.open(embedSignature(prepared, new Uint8Array(0)));
    const perms = reader.resolve(reader.catalog().get('Perms')) as PdfDict;
    const sig = reader.resolve(perms.get('DocMDP')) as PdfDict;
    const ref = reader.resolve((reader.resolve(sig.get('Reference')) as unknown[])[0] as never) as PdfDict;
    expect(ref.getName('TransformMethod')).toBe('DocMDP');
    expect((reader.resolve(ref.get('TransformParams')) as PdfDict).getNumber('P')).toBe(3);
  });

  it('under a P=1 certification: another signature is refused, a document timestamp allowed', async () => {
    const certified = await signPdf(await makePdfLibPdf(), { signer: officer, certify: { permissions: 1 } });
    expect((await refusal(signPdf(certified, { signer: agency }))).code).toBe('SIGN_NOT_PERMITTED');
    await expectValid(await addDocumentTimestamp(certified, { timestamper: tsa() }), 1, 1);
  });
});

describe('field locks (FieldMDP)', () => {
  it('writes /Lock on the new field and the FieldMDP reference in the signature', async () => {
    const pdf = await signPdf(await makePdfLibPdf(), { signer: agency, fieldName: 'CoQuan', lock: { action: 'Include', fields: ['a', 'Trường b'], permissions: 2 } });
    const q = qpdfJson(pdf);
    const field = q.field('CoQuan');
    expect(typeof field['/Lock']).toBe('string'); // indirect, as Table 233 wants
    const fields = ['u:a', 'u:Trường b'];
    expect(q.dict(field['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/Include', '/Fields': fields, '/P': 2 });
    const refs = q.get(q.dict(field['/V'])['/Reference']) as Json[];
    expect(refs).toHaveLength(1);
    const ref = q.dict(refs[0]);
    expect(ref).toMatchObject({ '/Type': '/SigRef', '/TransformMethod': '/FieldMDP', '/Data': q.rootRef });
    expect(q.dict(ref['/TransformParams'])).toEqual({ '/Type': '/TransformParams', '/Action': '/Include', '/Fields': fields, '/P': 2, '/V': '/1.2' });
    expect(q.catalog['/Perms']).toBeUndefined();
    await expectValid(pdf, 1);
  });

  it('fills an existing empty field with a lock; All has no /Fields and no /P unless asked', async () => {
    const input = await withEmptyFields(['A', 'B']);
    const pdf = await signPdf(input, { signer: agency, fieldName: 'A', lock: { action: 'All' } });
    const q = qpdfJson(pdf);
    expect(q.dict(q.field('A')['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/All' });
    await expectValid(pdf, 1);
  });

  it('certify and lock combined: both references, /Perms, and a valid signature', async () => {
    const pdf = await signPdf(await makePdfLibPdf(), { signer: officer, certify: { permissions: 2 }, lock: { action: 'Exclude', fields: ['Ghi chú'] } });
    const q = qpdfJson(pdf);
    const sigRef = q.field('Signature1')['/V'];
    expect(q.dict(q.catalog['/Perms'])['/DocMDP']).toBe(sigRef);
    const methods = (q.get(q.dict(sigRef)['/Reference']) as Json[]).map((r) => q.dict(r)['/TransformMethod']);
    expect(methods).toEqual(['/DocMDP', '/FieldMDP']);
    expect(q.dict(q.field('Signature1')['/Lock'])).toMatchObject({ '/Action': '/Exclude', '/Fields': ['u:Ghi chú'] });
    await expectValid(pdf, 1);
  });

  it.each([
    ['All', { action: 'All' as const }, ['B', 'C'], ['D']],
    ['Include B', { action: 'Include' as const, fields: ['B'] }, ['B'], ['C', 'D']],
    ['Exclude B', { action: 'Exclude' as const, fields: ['B'] }, ['C'], ['B', 'D']],
  ])('a %s lock: its fields are refused (SIGN_FIELD_LOCKED), the others and new fields signable', async (_name, lock, refused, allowed) => {
    const input = await withEmptyFields(['A', 'B', 'C']);
    const locked = await signPdf(input, { signer: agency, fieldName: 'A', lock });
    for (const f of refused) {
      const e = await refusal(signPdf(locked, { signer: officer, fieldName: f }));
      expect(e.code).toBe('SIGN_FIELD_LOCKED');
      expect(e.details).toEqual({ field: f, lockedBy: 'A' });
    }
    for (const f of allowed) await expectValid(await signPdf(locked, { signer: officer, fieldName: f }), 2);
  });

  it("honours a lock the document's author put on an empty field", async () => {
    const input = await withEmptyFields(['A', 'B'], { A: { action: 'Include', fields: ['B'] } });
    expect((await refusal(signPdf(input, { signer: agency, fieldName: 'A', lock: { action: 'All' } }))).code).toBe('SIGN_OPTIONS_INVALID');
    const pdf = await signPdf(input, { signer: agency, fieldName: 'A' });
    const q = qpdfJson(pdf);
    const ref = q.dict((q.get(q.dict(q.field('A')['/V'])['/Reference']) as Json[])[0]);
    expect(q.dict(ref['/TransformParams'])).toMatchObject({ '/Action': '/Include', '/Fields': ['u:B'] });
    await expectValid(pdf, 1);
    expect((await refusal(signPdf(pdf, { signer: officer, fieldName: 'B' }))).code).toBe('SIGN_FIELD_LOCKED');
  });

  it('after a /P 1 lock: signing refused (SIGN_NOT_PERMITTED); document timestamp, DSS and B-LTA still work', async () => {
    const locked = await signPdf(await makePdfLibPdf(), { signer: agency, lock: { action: 'All', permissions: 1 } });
    const e = await refusal(signPdf(locked, { signer: officer }));
    expect(e.code).toBe('SIGN_NOT_PERMITTED');
    expect(e.message).toMatch(/document timestamps/);
    expect((await refusal(() => preparePdf(locked, { contentsCapacity: 8192 }))).code).toBe('SIGN_NOT_PERMITTED');
    await expectValid(await addDocumentTimestamp(locked, { timestamper: tsa() }), 1, 1);
    const lta = await extendPdf(locked, { level: 'B-LTA', timestamper: tsa() });
    await expectValid(lta, 1, 1);
    expect(PdfReader.open(lta).catalog().has('DSS')).toBe(true);
  });

  it.each([
    ['Include without fields', { lock: { action: 'Include' } }],
    ['Exclude with no names', { lock: { action: 'Exclude', fields: [] } }],
    ['an empty field name', { lock: { action: 'Include', fields: ['a', ''] } }],
    ['a name that is not a string', { lock: { action: 'Include', fields: [7] } }],
    ['fields with All', { lock: { action: 'All', fields: ['a'] } }],
    ['an unknown action', { lock: { action: 'all' } }],
    ['lock permissions 4', { lock: { action: 'All', permissions: 4 } }],
    ['lock permissions "1"', { lock: { action: 'All', permissions: '1' } }],
    ['certify permissions 0', { certify: { permissions: 0 } }],
    ['certify without permissions', { certify: {} }],
  ])('refuses %s with SIGN_OPTIONS_INVALID', async (_name, bad) => {
    const input = await makePdfLibPdf();
    const e = await refusal(signPdf(input, { signer: officer, ...(bad as object) }));
    expect(e.code).toBe('SIGN_OPTIONS_INVALID');
    expect(e.messageVi).not.toBe(e.message);
  });

  it('refuses certify or lock on a document timestamp', async () => {
    const input = await makePdfLibPdf();
    for (const bad of [{ certify: { permissions: 2 as const } }, { lock: { action: 'All' as const } }]) {
      expect((await refusal(() => preparePdf(input, { contentsCapacity: 8192, documentTimestamp: true, ...bad }))).code).toBe('SIGN_OPTIONS_INVALID');
    }
  });

  it('parseLockSpec reads the command-line form', () => {
    expect(parseLockSpec('all')).toEqual({ action: 'All' });
    expect(parseLockSpec('ALL', 1)).toEqual({ action: 'All', permissions: 1 });
    expect(parseLockSpec('include:a, Trường b')).toEqual({ action: 'Include', fields: ['a', 'Trường b'] });
    expect(parseLockSpec('exclude:x')).toEqual({ action: 'Exclude', fields: ['x'] });
    for (const bad of ['', 'some', 'include', 'include:', 'exclude:a,,b', 'all:a']) expect(() => parseLockSpec(bad)).toThrow(KysoError);
  });
});

describe('certifyCopy closes the copy after the seal', () => {
  let store: SqliteSequenceStore;
  let codes: CodeAllocator;
  const signedAt = new Date('2024-02-02T07:34:45Z');
  beforeAll(async () => {
    store = await SqliteSequenceStore.open({ dataDir: tempDir('kyso-certify-codes-') });
    codes = new CodeAllocator({ store, clock: () => signedAt, actor: 'test' });
  });
  afterAll(async () => {
    await store?.close();
  });
  const base = () => ({ codes, agency: '000.00.00.H56', book: 2, owner: '052090000495', resultSuffix: '{ddmmyyyy}-{number}', officer: { signer: officer }, agencySeal: { signer: agency }, signedAt });

  it('by default: certified P=2 by the officer, locked (All, P=1) by the agency, extended to B-LTA, report.certifiedCopy.locked', async () => {
    const { pdf, record } = await certifyCopy(await makePdfLibPdf(1), { ...base(), requestKey: 'lock-default', level: 'B-LTA', timestamper: tsa() });
    const q = qpdfJson(pdf);
    const officerSig = q.field(record.fields.officer)['/V'];
    expect(q.dict(q.catalog['/Perms'])['/DocMDP']).toBe(officerSig);
    const docMdp = q.dict((q.get(q.dict(officerSig)['/Reference']) as Json[])[0]);
    expect(docMdp['/TransformMethod']).toBe('/DocMDP');
    expect(q.dict(docMdp['/TransformParams'])['/P']).toBe(2);
    const agencyField = q.field(record.fields.agency);
    expect(q.dict(agencyField['/Lock'])).toEqual({ '/Type': '/SigFieldLock', '/Action': '/All', '/P': 1 });
    const fieldMdp = q.dict((q.get(q.dict(agencyField['/V'])['/Reference']) as Json[])[0]);
    expect(q.dict(fieldMdp['/TransformParams'])).toMatchObject({ '/Action': '/All', '/P': 1 });
    await expectValid(pdf, 2, 1); // officer, agency, document timestamp
    const report = await verifyPdf(pdf, { trustStore: trust });
    expect(report.signatures[0]!.certification).toEqual({ docMdp: 2 });
    expect(report.certifiedCopy).toMatchObject({ officer: 1, agency: 2, complete: true, locked: true });
    expect((await refusal(signPdf(pdf, { signer: officer }))).code).toBe('SIGN_NOT_PERMITTED');
  });

  it('lockAfterSeal: false: neither certified nor locked, and further signatures allowed', async () => {
    const { pdf, record } = await certifyCopy(await makePdfLibPdf(1), { ...base(), requestKey: 'lock-off', lockAfterSeal: false });
    const q = qpdfJson(pdf);
    expect(q.catalog['/Perms']).toBeUndefined();
    expect(q.field(record.fields.agency)['/Lock']).toBeUndefined();
    const report = await verifyPdf(pdf, { trustStore: trust });
    expect(report.signatures[0]!.certification).toBeNull();
    expect(report.certifiedCopy).toMatchObject({ complete: true, locked: false });
    await expectValid(await signPdf(pdf, { signer: officer }), 3);
  });
});
