/**
 * Certification (certify) and field locks (lock, lockPermissions) on
 * POST /v1/sign (query and multipart form) and /v1/sign/prepare, and
 * lockAfterSeal on /v1/certified-copies, over loopback HTTP.
 */
import { sign as cryptoSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyPdf } from '@kyso/core';
import { PdfDict, PdfReader, PdfString, type PdfObject } from '@kyso/core/pdf';
import { generateApiKey, hashApiKey } from '@kyso/server';
import { makeJpeg } from '../../core/test/workflow/jpeg.js';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

let t: TwoAgencies;
const copiesKey = generateApiKey();
beforeAll(async () => {
  const { SoftwareSigner } = await import('@kyso/core');
  const { loadOrCreateTestPki } = await import('@kyso/core/testing');
  const pki = await loadOrCreateTestPki();
  t = await startTwoAgencies({
    identities: [
      { name: 'binh-dinh', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) },
      { name: 'ha-noi', agency: '000.00.00.H26', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }) },
      { name: 'can-bo', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }) },
    ],
    apiKeys: [
      { id: 'xa', sha256: hashApiKey(copiesKey), identities: ['can-bo', 'binh-dinh'], operations: ['sign', 'verify', 'codes'] },
    ],
  });
});
afterAll(async () => {
  await t?.server.close();
});

interface Answer {
  status: number;
  body: Buffer;
  json: { code: string; message: string; messageVi: string } | undefined;
}

async function answer(r: Response): Promise<Answer> {
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, body, json: r.status >= 400 ? (JSON.parse(body.toString('utf8')) as Answer['json']) : undefined };
}
const sign = async (query: string, pdf: Buffer = samplePdf(), identity = 'binh-dinh') =>
  answer(await fetch(`${t.url}/v1/sign?identity=${identity}${query ? `&${query}` : ''}`, { method: 'POST', headers: { ...bearer(copiesKey), 'content-type': 'application/pdf' }, body: pdf }));

/** The signature field `name`: its dictionary, its signature's /Reference entries, and the catalog's /Perms. */
function inspect(pdf: Uint8Array, name: string) {
  const reader = PdfReader.open(pdf);
  const r = (o: PdfObject | undefined) => reader.resolve(o);
  const fields = r((r(reader.catalog().get('AcroForm')) as PdfDict).get('Fields')) as PdfObject[];
  const field = fields.map((f) => r(f) as PdfDict).find((f) => (f.get('T') as PdfString).toText() === name)!;
  const references = ((r((r(field.get('V')) as PdfDict).get('Reference')) as PdfObject[] | undefined) ?? []).map((x) => r(x) as PdfDict);
  const perms = r(reader.catalog().get('Perms'));
  return {
    sigRef: field.get('V'),
    docMdpRef: perms instanceof PdfDict ? perms.get('DocMDP') : undefined,
    methods: references.map((x) => x.getName('TransformMethod')),
    params: references.map((x) => r(x.get('TransformParams')) as PdfDict),
    lock: field.has('Lock') ? (r(field.get('Lock')) as PdfDict) : undefined,
  };
}

describe('POST /v1/sign with certify and lock', () => {
  it('certify=2 in the query: a certification signature, verifyPdf reports docMdp 2', async () => {
    const r = await sign('certify=2&field=CanBo', samplePdf(), 'can-bo');
    expect(r.status, r.body.toString()).toBe(200);
    const i = inspect(r.body, 'CanBo');
    expect(i.docMdpRef).toEqual(i.sigRef);
    expect(i.methods).toEqual(['DocMDP']);
    expect(i.params[0]!.getNumber('P')).toBe(2);
    const report = await verifyPdf(r.body, { trustStore: TrustStore.fromPem(t.pki.root.certPem) });
    expect(report.signatures[0]!.certification).toEqual({ docMdp: 2 });
    expect(report.signatures[0]!.integrity).toBe('ok');
  });

  it('lock and lockPermissions as multipart form fields; signing after a P=1 lock is 409 SIGN_NOT_PERMITTED', async () => {
    const fd = new FormData();
    fd.append('identity', 'binh-dinh');
    fd.append('field', 'CoQuan');
    fd.append('lock', 'include:HoTen,Số CCCD');
    fd.append('lockPermissions', '1');
    fd.append('file', new Blob([samplePdf()], { type: 'application/pdf' }), 'ho-so.pdf');
    const r = await answer(await fetch(`${t.url}/v1/sign`, { method: 'POST', headers: bearer(copiesKey), body: fd }));
    expect(r.status, r.body.toString()).toBe(200);
    const i = inspect(r.body, 'CoQuan');
    expect(i.methods).toEqual(['FieldMDP']);
    expect(i.lock?.getName('Action')).toBe('Include');
    expect((i.lock?.get('Fields') as PdfString[]).map((s) => s.toText())).toEqual(['HoTen', 'Số CCCD']);
    expect(i.lock?.getNumber('P')).toBe(1);
    const again = await sign('', r.body, 'can-bo');
    expect(again.status).toBe(409);
    expect(again.json?.code).toBe('SIGN_NOT_PERMITTED');
  });

  it('certifying a signed document is 409 SIGN_CERTIFY_NOT_FIRST with a bilingual message', async () => {
    const signed = await sign('');
    expect(signed.status).toBe(200);
    const r = await sign('certify=1', signed.body);
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ code: 'SIGN_CERTIFY_NOT_FIRST' });
    expect(r.json!.messageVi).not.toBe(r.json!.message);
  });

  it.each([
    ['certify=4', 'REQUEST_INVALID'],
    ['certify=yes', 'REQUEST_INVALID'],
    ['lock=nothing', 'SIGN_OPTIONS_INVALID'],
    ['lock=include%3A', 'SIGN_OPTIONS_INVALID'],
    ['lock=all&lockPermissions=0', 'REQUEST_INVALID'],
    ['lockPermissions=1', 'REQUEST_INVALID'],
  ])('%s → 400 %s with the typed error body', async (query, code) => {
    const r = await sign(query);
    expect(r.status, r.body.toString()).toBe(400);
    expect(Object.keys(r.json!).sort()).toEqual(['code', 'message', 'messageVi']);
    expect(r.json!.code).toBe(code);
  });

  it('documents certify, lock and lockPermissions in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: { name: string; schema: { enum?: unknown[] } }[]; requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    const params = doc.paths['/v1/sign']!.post!.parameters!;
    expect(params.find((p) => p.name === 'certify')?.schema.enum).toEqual([1, 2, 3]);
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['lock', 'lockPermissions']));
    const prepare = doc.paths['/v1/sign/prepare']!.post!.requestBody!.content['application/json']!.schema.properties;
    expect(Object.keys(prepare)).toEqual(expect.arrayContaining(['certify', 'lock', 'lockPermissions']));
  });
});

describe('/v1/sign/prepare with certify', () => {
  it('prepare with certify=3, complete: a certification signature; a bad lock is 400', async () => {
    const chain = [t.pki.personal.certPem].map((pem) => Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64'));
    const post = (extra: Record<string, unknown>) =>
      fetch(`${t.url}/v1/sign/prepare`, { method: 'POST', headers: { ...bearer(copiesKey), 'content-type': 'application/json' }, body: JSON.stringify({ pdf: samplePdf().toString('base64'), certificateChain: chain, ...extra }) });
    const ok = await post({ certify: 3, field: 'CanBo' });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const prepared = (await ok.json()) as { sessionId: string; toBeSigned: string };
    const signature = cryptoSign('sha256', Buffer.from(prepared.toBeSigned, 'base64'), t.pki.personal.keyPem).toString('base64');
    const done = await answer(await fetch(`${t.url}/v1/sign/complete`, { method: 'POST', headers: { ...bearer(copiesKey), 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: prepared.sessionId, signature }) }));
    expect(done.status, done.body.toString()).toBe(200);
    const i = inspect(done.body, 'CanBo');
    expect(i.docMdpRef).toEqual(i.sigRef);
    expect(i.params[0]!.getNumber('P')).toBe(3);
    const report = await verifyPdf(done.body, { trustStore: TrustStore.fromPem(t.pki.root.certPem) });
    expect(report.signatures[0]).toMatchObject({ integrity: 'ok', certification: { docMdp: 3 } });
    const bad = await post({ lock: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('SIGN_OPTIONS_INVALID');
  });
});

describe('POST /v1/certified-copies lockAfterSeal', () => {
  const copy = async (query: string, key: string) => {
    const res = await fetch(`${t.url}/v1/certified-copies?officer=can-bo&agency=binh-dinh&owner=052090000495&book=2&resultSuffix={ddmmyyyy}-{number}${query}`, {
      method: 'POST',
      body: await makeJpeg(30),
      headers: { ...bearer(copiesKey), 'content-type': 'image/jpeg', 'idempotency-key': key },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it('locked by default; lockAfterSeal=false leaves the copy open', async () => {
    const trustStore = TrustStore.fromPem(t.pki.root.certPem);
    const closed = await copy('', 'copy-closed');
    expect((await verifyPdf(closed, { trustStore })).certifiedCopy).toMatchObject({ complete: true, locked: true });
    expect(inspect(closed, 'CoQuan').lock?.getNumber('P')).toBe(1);
    const open = await copy('&lockAfterSeal=false', 'copy-open');
    expect((await verifyPdf(open, { trustStore })).certifiedCopy).toMatchObject({ complete: true, locked: false });
    expect(inspect(open, 'CoQuan').lock).toBeUndefined();
  });
});
