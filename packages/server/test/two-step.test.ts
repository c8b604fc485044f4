import { constants, createHash, createPrivateKey, privateEncrypt, sign as nodeSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { issueLeaf, loadOrCreateTestPki, type TestEntity, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer, type ServerConfigInput } from '@kyso/server';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../core/test/codes/pg.js';
import { hasTool, pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { bearer, samplePdf, tempDir } from './helpers.js';

interface Prepared {
  sessionId: string;
  expiresAt: string;
  toBeSigned: string;
  digestAlgorithm: string;
  digest: string;
  field: string;
}

let pki: TestPki;
let ecLeaf: TestEntity;
const keys = { officer: generateApiKey(), other: generateApiKey(), reader: generateApiKey() };
/** Added to the server's clock (the expiry test moves time forward). */
let skewMs = 0;

function config(pkiIn: TestPki, extra: ServerConfigInput = {}): ServerConfigInput {
  return {
    port: 0,
    dataDir: tempDir('kyso-two-step-'),
    identities: [{ name: 'binh-dinh', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pkiIn.organisation.keyPem, cert: pkiIn.organisation.certPem, chain: pkiIn.chainPem }) }],
    apiKeys: [
      { id: 'officer', sha256: hashApiKey(keys.officer), identities: [], operations: ['sign', 'verify'] },
      { id: 'other', sha256: hashApiKey(keys.other), identities: [], operations: ['sign'] },
      { id: 'reader', sha256: hashApiKey(keys.reader), identities: [], operations: ['audit'] },
    ],
    trust: { extraRoots: [pkiIn.root.certPem] },
    ...extra,
  };
}

const chainOf = (leaf: TestEntity): string[] => [leaf.certDer, pki.issuing.certDer, pki.root.certDer].map((d) => Buffer.from(d).toString('base64'));
const json = (key: string) => ({ 'content-type': 'application/json', ...bearer(key) });

async function prepare(url: string, key: string, body: Record<string, unknown>): Promise<Prepared> {
  const r = await fetch(`${url}/v1/sign/prepare`, { method: 'POST', headers: json(key), body: JSON.stringify({ pdf: samplePdf().toString('base64'), ...body }) });
  const out = (await r.json()) as Prepared;
  expect(r.status, JSON.stringify(out)).toBe(200);
  return out;
}

function complete(url: string, key: string, sessionId: string, signature: Uint8Array | string): Promise<Response> {
  return fetch(`${url}/v1/sign/complete`, { method: 'POST', headers: json(key), body: JSON.stringify({ sessionId, signature: typeof signature === 'string' ? signature : Buffer.from(signature).toString('base64') }) });
}

/** What a token does with CKM_RSA_PKCS: PKCS#1 v1.5 over DigestInfo(SHA-256, digest). */
function tokenRsaSign(keyPem: string, digest: Buffer): Buffer {
  const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return privateEncrypt({ key: createPrivateKey(keyPem), padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([prefix, digest]));
}

async function checkSigned(pdf: Buffer, field: string): Promise<void> {
  if (hasTool('pdfsig')) {
    const file = join(tempDir(), 'two-step.pdf');
    writeFileSync(file, pdf);
    const sigs = pdfsig(file, await nssDbForTestPki());
    const sig = sigs[sigs.length - 1];
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    expect(sig?.field).toBe(field);
  }
  const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  expect(report.signatures).toHaveLength(1);
  expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  ecLeaf = await issueLeaf(pki, { kind: 'personal', key: 'p256' });
});

describe('two-step signing (SQLite)', () => {
  let server: KysoServer;
  let url: string;
  beforeAll(async () => {
    server = await createServer(config(pki), { twoStep: { now: () => Date.now() + skewMs } });
    url = await server.listen();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('RSA PKCS#1 v1.5 with a raw token mechanism: prepare → sign the digest → complete → valid and trusted', async () => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(pki.personal), reason: 'Ký hai bước', field: 'CanBo' });
    const tbs = Buffer.from(p.toBeSigned, 'base64');
    expect(tbs[0]).toBe(0x31);
    expect(p.digestAlgorithm).toBe('SHA-256');
    expect(Buffer.from(p.digest, 'base64')).toEqual(createHash('sha256').update(tbs).digest());
    expect(p.field).toBe('CanBo');
    expect(Date.parse(p.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    const r = await complete(url, keys.officer, p.sessionId, tokenRsaSign(pki.personal.keyPem, Buffer.from(p.digest, 'base64')));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-kyso-field')).toBe('CanBo');
    expect(r.headers.get('x-kyso-audit-id')).toMatch(/^\d+$/);
    const pdf = Buffer.from(await r.arrayBuffer());
    expect(pdf.subarray(0, samplePdf().length)).toEqual(samplePdf());
    await checkSigned(pdf, 'CanBo');

    // Completed once: a second completion is refused.
    const again = await complete(url, keys.officer, p.sessionId, tokenRsaSign(pki.personal.keyPem, Buffer.from(p.digest, 'base64')));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('SESSION_COMPLETED');

    const audit = (await (await fetch(`${url}/v1/audit?limit=1000`, { headers: bearer(keys.reader) })).json()) as { records: { operation: string; keyId: string; result: string; field: string; outputSha256: string | null }[] };
    const ops = audit.records.map((a) => `${a.operation}:${a.result}`);
    expect(ops).toEqual(expect.arrayContaining(['sign.prepare:ok', 'sign.complete:ok', 'sign.complete:SESSION_COMPLETED']));
    const done = audit.records.find((a) => a.operation === 'sign.complete' && a.result === 'ok')!;
    expect(done).toMatchObject({ keyId: 'officer', field: 'CanBo' });
    expect(done.outputSha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it.each([
    ['DER', 'der'],
    ['raw r||s', 'ieee-p1363'],
  ] as const)('ECDSA P-256, signature as %s', async (_name, dsaEncoding) => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(ecLeaf), digest: 'SHA-256' });
    const value = nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), { key: createPrivateKey(ecLeaf.keyPem), dsaEncoding });
    if (dsaEncoding === 'ieee-p1363') expect(value.length).toBe(64);
    const r = await complete(url, keys.officer, p.sessionId, value);
    expect(r.status).toBe(200);
    await checkSigned(Buffer.from(await r.arrayBuffer()), p.field);
  });

  it('refuses a signature value made by another key (422, no PDF), and the session stays usable', async () => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(pki.personal) });
    const tbs = Buffer.from(p.toBeSigned, 'base64');
    const forged = nodeSign('sha256', tbs, { key: createPrivateKey(pki.organisation.keyPem), padding: constants.RSA_PKCS1_PADDING });
    const r = await complete(url, keys.officer, p.sessionId, forged);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await r.json()) as { code: string }).code).toBe('SIGNATURE_INVALID');
    const junk = await complete(url, keys.officer, p.sessionId, Buffer.from('not a signature'));
    expect(junk.status).toBe(422);

    const good = await complete(url, keys.officer, p.sessionId, nodeSign('sha256', tbs, createPrivateKey(pki.personal.keyPem)));
    expect(good.status).toBe(200);
  });

  it('an ECDSA certificate with an RSA signature value, or a scheme that does not fit the key, is refused', async () => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(ecLeaf) });
    const rsa = nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), createPrivateKey(pki.personal.keyPem));
    expect((await complete(url, keys.officer, p.sessionId, rsa)).status).toBe(422);
    const bad = await fetch(`${url}/v1/sign/prepare`, { method: 'POST', headers: json(keys.officer), body: JSON.stringify({ pdf: samplePdf().toString('base64'), certificateChain: chainOf(ecLeaf), scheme: 'RSA-PSS' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('CERTIFICATE_INVALID');
  });

  it('an expired session answers 410 SESSION_EXPIRED', async () => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(pki.personal) });
    const value = nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), createPrivateKey(pki.personal.keyPem));
    skewMs = 11 * 60_000;
    try {
      const r = await complete(url, keys.officer, p.sessionId, value);
      expect(r.status).toBe(410);
      expect(((await r.json()) as { code: string }).code).toBe('SESSION_EXPIRED');
      expect((await complete(url, keys.officer, p.sessionId, value)).status).toBe(410);
    } finally {
      skewMs = 0;
    }
    // Expired for good, even once the clock is back.
    expect((await complete(url, keys.officer, p.sessionId, value)).status).toBe(410);
  });

  it("another API key cannot complete the session (404), nor can an unknown id; a key without 'sign' cannot prepare", async () => {
    const p = await prepare(url, keys.officer, { certificateChain: chainOf(pki.personal) });
    const value = nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), createPrivateKey(pki.personal.keyPem));
    const r = await complete(url, keys.other, p.sessionId, value);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { code: string }).code).toBe('SESSION_NOT_FOUND');
    expect((await complete(url, keys.officer, 'AAAAAAAAAAAAAAAAAAAAAA', value)).status).toBe(404);
    const noSign = await fetch(`${url}/v1/sign/prepare`, { method: 'POST', headers: json(keys.reader), body: JSON.stringify({ pdf: samplePdf().toString('base64'), certificateChain: chainOf(pki.personal) }) });
    expect(noSign.status).toBe(403);
    // The owner still can.
    expect((await complete(url, keys.officer, p.sessionId, value)).status).toBe(200);
  });

  it('bad input: not a PDF, not base64, a garbage certificate', async () => {
    const post = (body: unknown) => fetch(`${url}/v1/sign/prepare`, { method: 'POST', headers: json(keys.officer), body: JSON.stringify(body) });
    const notPdf = await post({ pdf: Buffer.from('hello').toString('base64'), certificateChain: chainOf(pki.personal) });
    expect(notPdf.status).toBe(422);
    expect(((await notPdf.json()) as { code: string }).code).toBe('PDF_NOT_PDF');
    expect((await post({ pdf: '!!!', certificateChain: chainOf(pki.personal) })).status).toBe(400);
    const cert = await post({ pdf: samplePdf().toString('base64'), certificateChain: [Buffer.from('nope').toString('base64')] });
    expect(cert.status).toBe(400);
    expect(((await cert.json()) as { code: string }).code).toBe('CERTIFICATE_INVALID');
  });
});

describe('two-step signing across instances sharing PostgreSQL', () => {
  let dbUrl: string;
  const schema = uniqueSchema('twostep');
  let a: KysoServer | undefined;
  let b: KysoServer | undefined;
  beforeAll(async () => {
    dbUrl = await testDatabaseUrl();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    if (dbUrl) await dropSchema(dbUrl, schema);
  });

  it('prepares on instance A and completes on instance B', async () => {
    a = await createServer(config(pki, { databaseUrl: dbUrl, databaseSchema: schema }));
    b = await createServer(config(pki, { databaseUrl: dbUrl, databaseSchema: schema }));
    const [urlA, urlB] = [await a.listen(), await b.listen()];
    const p = await prepare(urlA, keys.officer, { certificateChain: chainOf(ecLeaf), field: 'CanBoPg' });
    const value = nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), { key: createPrivateKey(ecLeaf.keyPem), dsaEncoding: 'ieee-p1363' });
    const forged = await complete(urlB, keys.officer, p.sessionId, nodeSign('sha256', Buffer.from(p.toBeSigned, 'base64'), createPrivateKey(pki.personal.keyPem)));
    expect(forged.status).toBe(422);
    expect((await complete(urlB, keys.other, p.sessionId, value)).status).toBe(404);
    const r = await complete(urlB, keys.officer, p.sessionId, value);
    expect(r.status).toBe(200);
    await checkSigned(Buffer.from(await r.arrayBuffer()), 'CanBoPg');
    expect((await complete(urlA, keys.officer, p.sessionId, value)).status).toBe(409);
  });
});
