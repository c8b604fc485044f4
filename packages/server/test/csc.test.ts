/**
 * The CSC API v2 of the service (/csc/v2/) over loopback HTTP: the
 * methods as the specification describes them, core's CscSigner signing
 * PDFs against them (pdfsig valid and trusted, B-T with the test TSA), one
 * authorization for a hundred documents, the refusals (typed errors with
 * the CSC error form, an audit record each), and no secret in the log.
 * Signs on the worker threads: run `pnpm build` first.
 */
import { constants, createHash, createHmac, createPublicKey, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CscSigner, isKysoError, signPdf, SoftwareSigner, TrustStore, tsaTimestamper, verifyPdf, type KysoError } from '@kyso/core';
import { issueLeaf, loadOrCreateTestPki, startTestServices, type TestEntity, type TestPki, type TestServices } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { hasTool, pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { bearer, LogCapture, samplePdf, tempDir } from './helpers.js';

const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha1: '1.3.14.3.2.26',
  rsa: '1.2.840.113549.1.1.1',
  sha256Rsa: '1.2.840.113549.1.1.11',
  sha512Rsa: '1.2.840.113549.1.1.13',
  pss: '1.2.840.113549.1.1.10',
  ec: '1.2.840.10045.2.1',
  ecdsa256: '1.2.840.10045.4.3.2',
  ecdsa384: '1.2.840.10045.4.3.3',
};

const PIN = '468024';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const keys = { binh: generateApiKey(), hanoi: generateApiKey(), signOnly: generateApiKey(), reader: generateApiKey(), ops: generateApiKey() };

let pki: TestPki;
let ecLeaf: TestEntity;
let services: TestServices;
let server: KysoServer;
let url: string;
let csc: string;
const log = new LogCapture();
/** Added to the CSC clock (the expiry tests move time forward). */
let skewMs = 0;
const clock = () => Date.now() + skewMs;
/** Every secret the tests handle: none may reach the log. */
const secrets = new Set<string>([keys.binh, keys.hanoi, keys.signOnly, PIN, TOTP_SECRET]);

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(method: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const r = await fetch(`${csc}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T, headers: r.headers };
}

async function login(key: string): Promise<string> {
  const r = await call<{ access_token: string; expires_in: number }>('auth/login', {}, undefined, { authorization: `Basic ${Buffer.from(`${key === keys.binh ? 'binh' : 'hanoi'}:${key}`).toString('base64')}` });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  secrets.add(r.body.access_token);
  return r.body.access_token;
}

async function authorize(token: string, credentialID: string, numSignatures: number, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call<{ SAD: string; expiresIn: number }>('credentials/authorize', { credentialID, numSignatures, ...extra }, token);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  secrets.add(r.body.SAD);
  return r.body.SAD;
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), written here from the RFC rather than taken from the server. */
function totpNow(secretBase32: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretBase32) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[19]! & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function auditRecords(): Promise<{ seq: number; operation: string; keyId: string | null; identity: string | null; result: string; status: number; inputSha256: string | null; outputSha256: string | null }[]> {
  const out = [];
  let after = 0;
  for (;;) {
    const r = await fetch(`${url}/v1/audit?after=${after}&limit=1000`, { headers: bearer(keys.reader) });
    const page = (await r.json()) as { records: { seq: number; operation: string; keyId: string | null; identity: string | null; result: string; status: number; inputSha256: string | null; outputSha256: string | null }[]; next: number | null };
    out.push(...page.records);
    if (page.next === null || page.records.length === 0) return out;
    after = page.next;
  }
}

async function checkPdf(pdf: Uint8Array, name: string, level = 'B-B'): Promise<void> {
  if (hasTool('pdfsig')) {
    const file = join(tempDir('kyso-csc-'), `${name}.pdf`);
    writeFileSync(file, pdf);
    const [sig] = pdfsig(file, await nssDbForTestPki());
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
  }
  const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) });
  expect(report.signatures).toHaveLength(1);
  expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
  expect(report.signatures[0]!.padesLevel).toBe(level);
}

async function refusal(p: Promise<unknown>): Promise<KysoError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isKysoError(e)) throw new Error(`expected a KysoError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  ecLeaf = await issueLeaf(pki, { kind: 'personal', key: 'p256' });
  services = await startTestServices(pki);
  process.env.KYSO_TEST_CSC_PIN = PIN;
  process.env.KYSO_TEST_CSC_TOTP = TOTP_SECRET;
  const rsa = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  server = await createServer(
    {
      port: 0,
      dataDir: tempDir('kyso-csc-'),
      workers: 2,
      identities: [
        { name: 'binh-dinh', agency: '000.00.00.H56', signer: rsa },
        { name: 'binh-dinh-ec', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: ecLeaf.keyPem, cert: ecLeaf.certPem, chain: pki.chainPem }) },
        { name: 'binh-dinh-off', agency: '000.00.00.H56', signer: rsa, csc: { enabled: false } },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }), csc: { pinEnv: 'KYSO_TEST_CSC_PIN', totpSecretEnv: 'KYSO_TEST_CSC_TOTP' } },
      ],
      apiKeys: [
        { id: 'binh', sha256: hashApiKey(keys.binh), identities: ['binh-dinh', 'binh-dinh-ec', 'binh-dinh-off'], operations: ['sign', 'csc'] },
        { id: 'hanoi', sha256: hashApiKey(keys.hanoi), identities: ['ha-noi'], operations: ['csc'] },
        { id: 'sign-only', sha256: hashApiKey(keys.signOnly), identities: ['binh-dinh'], operations: ['sign'] },
        { id: 'reader', sha256: hashApiKey(keys.reader), identities: [], operations: ['audit'] },
        { id: 'ops', sha256: hashApiKey(keys.ops), identities: [], operations: ['ops'] },
      ],
      trust: { extraRoots: [pki.root.certPem] },
      tsa: { url: services.tsaUrl, timeoutMs: 5000 },
      csc: { multisign: 50, maxSignaturesPerSad: 200 },
    },
    { logStream: log, csc: { now: clock } },
  );
  url = await server.listen();
  csc = `${url}/csc/v2`;
});

afterAll(async () => {
  await server?.close();
  await services?.close();
});

describe('CSC API v2 on the service', () => {
  it('info, auth/login, credentials/list, credentials/info, credentials/authorize, signatures/signHash: the flow of the specification', async () => {
    const info = await call<{ specs: string; methods: string[]; authType: string[] }>('info', {});
    expect(info.status).toBe(200);
    expect(info.body.specs).toBe('2.0.0.2');
    expect(info.body.methods).toEqual(expect.arrayContaining(['auth/login', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash', 'signatures/timestamp']));
    expect(info.body.authType).toContain('basic');
    expect(((await (await fetch(`${csc}/info`)).json()) as { specs: string }).specs).toBe('2.0.0.2');

    const token = await login(keys.binh);
    const list = await call<{ credentialIDs: string[] }>('credentials/list', {}, token);
    expect(list.status).toBe(200);
    // binh-dinh-off has csc disabled; ha-noi is another agency's.
    expect(list.body.credentialIDs.sort()).toEqual(['binh-dinh', 'binh-dinh-ec']);

    const ci = await call<{ key: { status: string; algo: string[]; len: number; curve?: string }; cert: { status: string; certificates: string[]; subjectDN: string; validTo: string }; auth: { mode: string }; SCAL: string; multisign: number }>(
      'credentials/info',
      { credentialID: 'binh-dinh', certificates: 'chain', certInfo: true, authInfo: true },
      token,
    );
    expect(ci.status, JSON.stringify(ci.body)).toBe(200);
    expect(ci.body.key.status).toBe('enabled');
    expect(ci.body.key.len).toBe(2048);
    expect(ci.body.key.algo).toEqual(expect.arrayContaining([OID.rsa, OID.sha256Rsa, OID.pss]));
    expect(ci.body.cert.certificates).toHaveLength(3);
    expect(Buffer.from(ci.body.cert.certificates[0]!, 'base64').equals(Buffer.from(pki.organisation.certDer))).toBe(true);
    expect(ci.body.cert.validTo).toMatch(/^\d{14}Z$/);
    expect(ci.body.auth.mode).toBe('implicit');
    expect(ci.body.SCAL).toBe('1');
    expect(ci.body.multisign).toBe(50);
    const ec = await call<{ key: { algo: string[]; len: number; curve: string } }>('credentials/info', { credentialID: 'binh-dinh-ec' }, token);
    expect(ec.body.key).toMatchObject({ len: 256, curve: '1.2.840.10045.3.1.7' });
    expect(ec.body.key.algo).toEqual(expect.arrayContaining([OID.ec, OID.ecdsa256, OID.ecdsa384]));

    // Three hashes, three algorithms of the specification: each value verifies with the certificate's key.
    const data = [randomBytes(100), randomBytes(100), randomBytes(100)];
    const sha = (d: Buffer, alg: string) => createHash(alg).update(d).digest('base64');
    const certKey = createPublicKey(pki.organisation.certPem);
    const sad = await authorize(token, 'binh-dinh', 4);
    const pkcs1 = await call<{ signatures: string[] }>('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: data.map((d) => sha(d, 'sha256')), signAlgo: OID.sha256Rsa }, token);
    expect(pkcs1.status, JSON.stringify(pkcs1.body)).toBe(200);
    expect(pkcs1.body.signatures).toHaveLength(3);
    pkcs1.body.signatures.forEach((s, i) => expect(cryptoVerify('sha256', data[i]!, certKey, Buffer.from(s, 'base64'))).toBe(true));
    // rsaEncryption with hashAlgorithmOID is the same scheme named the other way the specification allows.
    const other = await call<{ signatures: string[] }>('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: [sha(data[0]!, 'sha384')], signAlgo: OID.rsa, hashAlgorithmOID: OID.sha384 }, token);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(cryptoVerify('sha384', data[0]!, certKey, Buffer.from(other.body.signatures[0]!, 'base64'))).toBe(true);

    // RSASSA-PSS with its parameters: SHA-256, MGF1-SHA-256, salt 32.
    const pssParams = Buffer.from('3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120', 'hex').toString('base64');
    const pssSad = await authorize(token, 'binh-dinh', 1);
    const pss = await call<{ signatures: string[] }>('signatures/signHash', { credentialID: 'binh-dinh', SAD: pssSad, hashes: [sha(data[1]!, 'sha256')], signAlgo: OID.pss, signAlgoParams: pssParams, hashAlgorithmOID: OID.sha256 }, token);
    expect(pss.status, JSON.stringify(pss.body)).toBe(200);
    expect(cryptoVerify('sha256', data[1]!, { key: certKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(pss.body.signatures[0]!, 'base64'))).toBe(true);

    // ECDSA: a DER Ecdsa-Sig-Value.
    const ecSad = await authorize(token, 'binh-dinh-ec', 1);
    const ecdsa = await call<{ signatures: string[] }>('signatures/signHash', { credentialID: 'binh-dinh-ec', SAD: ecSad, hashes: [sha(data[2]!, 'sha256')], signAlgo: OID.ecdsa256 }, token);
    expect(ecdsa.status, JSON.stringify(ecdsa.body)).toBe(200);
    expect(cryptoVerify('sha256', data[2]!, { key: createPublicKey(ecLeaf.certPem), dsaEncoding: 'der' }, Buffer.from(ecdsa.body.signatures[0]!, 'base64'))).toBe(true);
  });

  it('writes one audit record per signed hash, with the SHA-256 of the hash and of the signature value', async () => {
    const token = await login(keys.binh);
    const sad = await authorize(token, 'binh-dinh', 5);
    const hashes = Array.from({ length: 5 }, () => randomBytes(32));
    const before = (await auditRecords()).length;
    const r = await call<{ signatures: string[] }>('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: hashes.map((h) => h.toString('base64')), signAlgo: OID.sha256Rsa }, token);
    expect(r.status).toBe(200);
    const added = (await auditRecords()).slice(before).filter((x) => x.operation === 'csc.signHash');
    expect(added).toHaveLength(5);
    expect(added.map((a) => a.inputSha256).sort()).toEqual(hashes.map((h) => createHash('sha256').update(h).digest('hex')).sort());
    expect(added.map((a) => a.outputSha256).sort()).toEqual(r.body.signatures.map((s) => createHash('sha256').update(Buffer.from(s, 'base64')).digest('hex')).sort());
    expect(added.every((a) => a.keyId === 'binh' && a.identity === 'binh-dinh' && a.result === 'ok' && a.status === 200)).toBe(true);
    const chain = (await (await fetch(`${url}/v1/audit/verify`, { headers: bearer(keys.reader) })).json()) as { ok: boolean };
    expect(chain.ok).toBe(true);
  });

  it('signatures/timestamp: an RFC 3161 token over the hash from the configured TSA', async () => {
    const token = await login(keys.binh);
    const hash = createHash('sha256').update('kyso').digest();
    const r = await call<{ timestamp: string }>('signatures/timestamp', { hash: hash.toString('base64'), hashAlgorithmOID: OID.sha256 }, token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const der = Buffer.from(r.body.timestamp, 'base64');
    expect(der[0]).toBe(0x30);
    expect(der.includes(hash)).toBe(true);
    const nonce = await call('signatures/timestamp', { hash: hash.toString('base64'), hashAlgorithmOID: OID.sha256, nonce: '1234' }, token);
    expect(nonce.body).toMatchObject({ error: 'invalid_request', code: 'CSC_UNSUPPORTED' });
  });

  it('oauth2/token: client credentials (the key id and key) give a token as auth/login does', async () => {
    const basic = Buffer.from(`${encodeURIComponent('binh')}:${encodeURIComponent(keys.binh)}`).toString('base64');
    const r = await fetch(`${csc}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` }, body: 'grant_type=client_credentials' });
    const body = (await r.json()) as { access_token: string; token_type: string };
    expect(r.status, JSON.stringify(body)).toBe(200);
    expect(body.token_type).toBe('Bearer');
    secrets.add(body.access_token);
    expect((await call('credentials/list', {}, body.access_token)).status).toBe(200);
    const wrong = await fetch(`${csc}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    expect(await wrong.json()).toMatchObject({ error: 'unsupported_grant_type' });
    // Without a body, a method whose parameters are all optional takes none.
    expect((await fetch(`${csc}/credentials/list`, { method: 'POST', headers: { authorization: `Bearer ${body.access_token}` } })).status).toBe(200);
    // Unknown methods and other HTTP methods answer in the CSC form too.
    const unknown = await fetch(`${csc}/credentials/nope`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_request', code: 'NOT_FOUND' });
    const get = await fetch(`${csc}/signatures/signHash`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: 'invalid_request', code: 'METHOD_NOT_ALLOWED' });
    // Forms go to the token endpoint only.
    const form = await fetch(`${csc}/credentials/list`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${body.access_token}` }, body: 'a=b' });
    expect(form.status).toBe(415);
  });

  it('is in the OpenAPI document and on /docs', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, { content: { 'application/json': { schema: { required?: string[] } } } }> }>> };
    for (const p of ['info', 'auth/login', 'oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash', 'signatures/timestamp']) {
      expect(doc.paths[`/csc/v2/${p}`]?.post?.tags, p).toEqual(['csc']);
    }
    expect(doc.paths['/csc/v2/signatures/signHash']!.post!.responses['400']!.content['application/json'].schema.required).toEqual(expect.arrayContaining(['error', 'error_description', 'code']));
    const html = await (await fetch(`${url}/docs`)).text();
    expect(html).toContain('<code class="path">/csc/v2/signatures/signHash</code>');
  });
});

describe('CscSigner against the service', () => {
  it("signs PDFs with the credential's certificate chain from credentials/info: pdfsig valid and trusted (RSA and ECDSA)", async () => {
    const token = await login(keys.binh);
    const rsa = await CscSigner.open({ url: csc, token, credentialId: 'binh-dinh' });
    expect(rsa.chain).toHaveLength(2);
    await checkPdf(await signPdf(samplePdf(), { signer: rsa, reason: 'Ký từ xa (CSC)' }), 'csc-rsa');
    const bySubject = await CscSigner.open({ url: csc, login: { username: 'binh', password: keys.binh }, certificateSubject: /CN=([^,]+)/.exec(ecLeaf.subject)![1]! });
    expect(bySubject.credential.credentialId).toBe('binh-dinh-ec');
    await checkPdf(await signPdf(samplePdf(), { signer: bySubject }), 'csc-ec');
  });

  it('B-T with the test TSA', async () => {
    const signer = await CscSigner.open({ url: csc, clientCredentials: { clientId: 'binh', clientSecret: keys.binh }, credentialId: 'binh-dinh' });
    const pdf = await signPdf(samplePdf(), { signer, level: 'B-T', timestamper: tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 }) });
    await checkPdf(pdf, 'csc-bt', 'B-T');
  });

  it('100 documents with one authorize', async () => {
    const token = await login(keys.binh);
    const signer = await CscSigner.open({ url: csc, token, credentialId: 'binh-dinh' });
    const before = await auditRecords();
    await signer.authorize(100);
    const pdfs = await Promise.all(Array.from({ length: 100 }, (_, i) => signPdf(samplePdf(), { signer, reason: `Văn bản ${i + 1}` })));
    expect(signer.authorizedSignatures).toBe(0);
    const added = (await auditRecords()).filter((r) => r.seq > (before.at(-1)?.seq ?? 0));
    expect(added.filter((r) => r.operation === 'csc.authorize')).toHaveLength(1);
    expect(added.filter((r) => r.operation === 'csc.signHash' && r.result === 'ok')).toHaveLength(100);
    await checkPdf(pdfs[0]!, 'csc-batch-1');
    await checkPdf(pdfs[99]!, 'csc-batch-100');
  });

  it('asks for the PIN and the one-time password of an explicit credential', async () => {
    const token = await login(keys.hanoi);
    const info = await call<{ auth: { mode: string; objects: { id: string }[] } }>('credentials/info', { credentialID: 'ha-noi', authInfo: true }, token);
    expect(info.body.auth.mode).toBe('explicit');
    expect(info.body.auth.objects.map((o) => o.id)).toEqual(['PIN', 'OTP']);
    const missing = await call('credentials/authorize', { credentialID: 'ha-noi', numSignatures: 1 }, token);
    expect(missing.body).toMatchObject({ error: 'invalid_request', code: 'CSC_AUTH_DATA_REQUIRED' });
    const wrong = await call('credentials/authorize', { credentialID: 'ha-noi', numSignatures: 1, authData: [{ id: 'PIN', value: '000000' }, { id: 'OTP', value: totpNow(TOTP_SECRET, clock()) }] }, token);
    expect(wrong.body).toMatchObject({ code: 'CSC_AUTH_DATA_INVALID' });
    const signer = await CscSigner.open({ url: csc, token, credentialId: 'ha-noi', authData: async (ids) => Object.fromEntries(ids.map((id) => [id, id === 'PIN' ? PIN : totpNow(TOTP_SECRET, clock())])) });
    await checkPdf(await signPdf(samplePdf(), { signer }), 'csc-pin');
    // The same one-time password again is refused.
    const again = await call('credentials/authorize', { credentialID: 'ha-noi', numSignatures: 1, authData: [{ id: 'PIN', value: PIN }, { id: 'OTP', value: totpNow(TOTP_SECRET, clock()) }] }, token);
    expect(again.body).toMatchObject({ code: 'CSC_AUTH_DATA_INVALID' });
  });
});

describe('refusals: typed errors in the CSC form, and audit records', () => {
  it('a wrong SAD, a used-up SAD', async () => {
    const token = await login(keys.binh);
    const hash = randomBytes(32).toString('base64');
    const before = await auditRecords();
    const wrong = await call('signatures/signHash', { credentialID: 'binh-dinh', SAD: 'not-a-sad', hashes: [hash], signAlgo: OID.sha256Rsa }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_request', error_description: 'Invalid parameter SAD', code: 'CSC_SAD_INVALID', message: expect.any(String), messageVi: expect.any(String) });
    const sad = await authorize(token, 'binh-dinh', 1);
    expect((await call('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: [hash], signAlgo: OID.sha256Rsa }, token)).status).toBe(200);
    const used = await call('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: [hash], signAlgo: OID.sha256Rsa }, token);
    expect(used.body).toMatchObject({ error: 'invalid_request', code: 'CSC_SAD_EXHAUSTED' });
    // A SAD of one credential does not sign with another.
    const ecSad = await authorize(token, 'binh-dinh-ec', 1);
    expect((await call('signatures/signHash', { credentialID: 'binh-dinh', SAD: ecSad, hashes: [hash], signAlgo: OID.sha256Rsa }, token)).body).toMatchObject({ code: 'CSC_SAD_INVALID' });
    const added = (await auditRecords()).filter((r) => r.seq > (before.at(-1)?.seq ?? 0) && r.operation === 'csc.signHash');
    expect(added.map((r) => r.result)).toEqual(['CSC_SAD_INVALID', 'ok', 'CSC_SAD_EXHAUSTED', 'CSC_SAD_INVALID']);

    // The client sees the same as a typed error.
    const signer = await CscSigner.open({ url: csc, token, credentialId: 'binh-dinh' });
    await signer.authorize(1);
    const hashes = [randomBytes(32), randomBytes(32)];
    const results = await Promise.allSettled(hashes.map((h) => signer.signDigest(new Uint8Array(h), 'SHA-256')));
    // Two hashes, one authorized: the signer authorizes again by itself rather than failing.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('a SAD past its lifetime, an expired token', async () => {
    const token = await login(keys.binh);
    const sad = await authorize(token, 'binh-dinh', 2);
    const signer = await CscSigner.open({ url: csc, token, credentialId: 'binh-dinh' });
    skewMs = 301_000;
    try {
      const late = await call('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: [randomBytes(32).toString('base64')], signAlgo: OID.sha256Rsa }, token);
      expect(late.body).toMatchObject({ error: 'invalid_request', code: 'CSC_SAD_EXPIRED' });
      skewMs = 901_000;
      const expired = await call('credentials/list', {}, token);
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
      expect(expired.body).toMatchObject({ error: 'invalid_token', code: 'CSC_TOKEN_EXPIRED' });
      const e = await refusal(signPdf(samplePdf(), { signer }));
      expect(e.code).toBe('CSC_AUTH_FAILED');
      expect(e.details).toMatchObject({ serviceCode: 'CSC_TOKEN_EXPIRED' });
    } finally {
      skewMs = 0;
    }
    const records = (await auditRecords()).filter((r) => r.result === 'CSC_TOKEN_EXPIRED' || r.result === 'CSC_SAD_EXPIRED');
    expect(records.map((r) => [r.operation, r.keyId])).toEqual(expect.arrayContaining([['csc.signHash', 'binh'], ['csc.authorize', 'binh']]));
  });

  it("another agency's credential is no credential at all", async () => {
    const token = await login(keys.hanoi);
    for (const [method, body] of [
      ['credentials/info', { credentialID: 'binh-dinh' }],
      ['credentials/authorize', { credentialID: 'binh-dinh', numSignatures: 1 }],
      ['signatures/signHash', { credentialID: 'binh-dinh', SAD: 'x', hashes: [randomBytes(32).toString('base64')], signAlgo: OID.sha256Rsa }],
    ] as const) {
      const r = await call(method, body, token);
      expect(r.status, method).toBe(400);
      expect(r.body, method).toMatchObject({ error: 'invalid_request', error_description: 'Invalid parameter credentialID', code: 'CSC_CREDENTIAL_UNKNOWN' });
    }
    // The same answer as for a name that does not exist.
    expect((await call('credentials/info', { credentialID: 'no-such' }, token)).body).toMatchObject({ code: 'CSC_CREDENTIAL_UNKNOWN' });
    const e = await refusal(CscSigner.open({ url: csc, token, credentialId: 'binh-dinh' }));
    expect(e.code).toBe('CSC_CREDENTIAL_UNKNOWN');
    const records = (await auditRecords()).filter((r) => r.keyId === 'hanoi' && r.result === 'CSC_CREDENTIAL_UNKNOWN');
    expect(records.map((r) => [r.operation, r.identity])).toEqual(expect.arrayContaining([['csc.authorize', 'binh-dinh'], ['csc.signHash', 'binh-dinh']]));
  });

  it('a hash of the wrong length, an unsupported algorithm, too many hashes', async () => {
    const token = await login(keys.binh);
    const sad = await authorize(token, 'binh-dinh', 100);
    const sign = (body: Record<string, unknown>) => call('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, ...body }, token);
    expect((await sign({ hashes: [randomBytes(31).toString('base64')], signAlgo: OID.sha256Rsa })).body).toMatchObject({ error: 'invalid_request', code: 'CSC_HASH_INVALID' });
    expect((await sign({ hashes: [randomBytes(32).toString('base64')], signAlgo: OID.sha512Rsa })).body).toMatchObject({ code: 'CSC_HASH_INVALID' });
    expect((await sign({ hashes: [randomBytes(20).toString('base64')], signAlgo: OID.rsa, hashAlgorithmOID: OID.sha1 })).body).toMatchObject({ error_description: 'Invalid parameter hashAlgorithmOID', code: 'CSC_ALGORITHM_UNSUPPORTED' });
    expect((await sign({ hashes: [randomBytes(32).toString('base64')], signAlgo: OID.ecdsa256 })).body).toMatchObject({ error_description: 'Invalid parameter signAlgo', code: 'CSC_ALGORITHM_UNSUPPORTED' });
    expect((await sign({ hashes: [randomBytes(32).toString('base64')], signAlgo: OID.sha256Rsa, hashAlgorithmOID: OID.sha384 })).body).toMatchObject({ code: 'CSC_ALGORITHM_UNSUPPORTED' });
    expect((await sign({ hashes: Array.from({ length: 51 }, () => randomBytes(32).toString('base64')), signAlgo: OID.sha256Rsa })).body).toMatchObject({ code: 'CSC_BATCH_TOO_LARGE' });
    const missing = await call('signatures/signHash', { credentialID: 'binh-dinh', hashes: [], signAlgo: OID.sha256Rsa }, token);
    expect(missing.body).toMatchObject({ error: 'invalid_request', error_description: 'Missing parameter SAD', code: 'REQUEST_INVALID' });
    // None of these spent a signature: the SAD still covers all 100.
    const ok = await sign({ hashes: Array.from({ length: 50 }, () => randomBytes(32).toString('base64')), signAlgo: OID.sha256Rsa });
    expect(ok.status).toBe(200);
    const records = (await auditRecords()).filter((r) => r.operation === 'csc.signHash' && r.keyId === 'binh');
    expect(records.map((r) => r.result)).toEqual(expect.arrayContaining(['CSC_HASH_INVALID', 'CSC_ALGORITHM_UNSUPPORTED', 'CSC_BATCH_TOO_LARGE']));

    // The client: a hash of the wrong length never leaves, and an algorithm the credential does not list is refused before a call.
    const signer = await CscSigner.open({ url: csc, token, credentialId: 'binh-dinh-ec' });
    expect((await refusal(signer.signDigest(new Uint8Array(31), 'SHA-256'))).code).toBe('SIGN_OPTIONS_INVALID');
    expect((await refusal(signer.signDigest(new Uint8Array(32), 'SHA-256', { scheme: 'RSA-PSS' }))).code).toBe('CSC_ALGORITHM_UNSUPPORTED');
  });

  it('tokens, logins and keys without the csc operation', async () => {
    expect((await call('credentials/list', {})).body).toMatchObject({ error: 'invalid_token', code: 'CSC_TOKEN_INVALID' });
    expect((await call('credentials/list', {}, 'kcsc_made-up')).body).toMatchObject({ error: 'invalid_token', code: 'CSC_TOKEN_INVALID' });
    // An API key is not an access token.
    expect((await call('credentials/list', {}, keys.binh)).status).toBe(401);
    const bad = await call('auth/login', {}, undefined, { authorization: `Basic ${Buffer.from('binh:wrong').toString('base64')}` });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: 'invalid_client', code: 'AUTH_REQUIRED' });
    const otherId = await call('auth/login', {}, undefined, { authorization: `Basic ${Buffer.from(`hanoi:${keys.binh}`).toString('base64')}` });
    expect(otherId.status).toBe(401);
    const forbidden = await call('auth/login', {}, undefined, bearer(keys.signOnly));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ error: 'access_denied', code: 'FORBIDDEN' });
    const e = await refusal(CscSigner.open({ url: csc, login: { username: 'sign-only', password: keys.signOnly }, credentialId: 'binh-dinh' }));
    expect(['CSC_REQUEST_REFUSED', 'CSC_AUTH_FAILED']).toContain(e.code);
  });

  it('five wrong PINs in a row lock the credential for that key (429, Retry-After)', async () => {
    const token = await login(keys.hanoi);
    const wrong = () => call('credentials/authorize', { credentialID: 'ha-noi', numSignatures: 1, authData: [{ id: 'PIN', value: '999999' }, { id: 'OTP', value: '000000' }] }, token);
    // Run with the tests before it, the reused OTP there is already the first wrong value of the row.
    const codes: unknown[] = [];
    for (let i = 0; i < 6; i++) codes.push((await wrong()).body.code);
    const invalid = codes.filter((c) => c === 'CSC_AUTH_DATA_INVALID').length;
    expect(invalid === 4 || invalid === 5).toBe(true);
    expect(codes).toEqual([...Array(invalid).fill('CSC_AUTH_DATA_INVALID'), ...Array(6 - invalid).fill('CSC_AUTH_DATA_LOCKED')]);
    const locked = await call('credentials/authorize', { credentialID: 'ha-noi', numSignatures: 1, authData: [{ id: 'PIN', value: PIN }, { id: 'OTP', value: totpNow(TOTP_SECRET, clock() + 30_000) }] }, token);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(locked.body).toMatchObject({ error: 'access_denied', code: 'CSC_AUTH_DATA_LOCKED' });
    // What was typed is never in an audit record: the PIN-free digest of the request only.
    const records = (await auditRecords()).filter((r) => r.operation === 'csc.authorize' && r.keyId === 'hanoi');
    const pinBody = createHash('sha256').update(JSON.stringify({ credentialID: 'ha-noi', numSignatures: 1, authData: [{ id: 'PIN', value: '999999' }, { id: 'OTP', value: '000000' }] })).digest('hex');
    expect(records.some((r) => r.inputSha256 === pinBody)).toBe(false);
  });

  it('beyond the admission limit signHash is 429 BUSY in the CSC form, and the refused calls spend nothing of the SAD', async () => {
    const inner = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
    const slow = Object.create(inner) as SoftwareSigner;
    Object.defineProperty(slow, 'signDigest', {
      value: async (...a: Parameters<SoftwareSigner['signDigest']>) => {
        await new Promise((r) => setTimeout(r, 300));
        return inner.signDigest(...a);
      },
    });
    const key = generateApiKey();
    const busy = await createServer({
      port: 0,
      dataDir: tempDir('kyso-csc-busy-'),
      workers: 0,
      maxConcurrent: 1,
      maxQueue: 0,
      identities: [{ name: 'binh-dinh', agency: '000.00.00.H56', signer: slow }],
      apiKeys: [{ id: 'portal', sha256: hashApiKey(key), identities: ['binh-dinh'], operations: ['csc'] }],
    });
    try {
      const base = `${await busy.listen()}/csc/v2`;
      const post = (m: string, body: unknown, auth: string) => fetch(`${base}/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
      const token = ((await (await post('auth/login', {}, `Bearer ${key}`)).json()) as { access_token: string }).access_token;
      // No TSA configured here: no signatures/timestamp.
      expect(((await (await post('info', {}, '')).json()) as { methods: string[] }).methods).not.toContain('signatures/timestamp');
      expect((await post('signatures/timestamp', { hash: randomBytes(32).toString('base64'), hashAlgorithmOID: OID.sha256 }, `Bearer ${token}`)).status).toBe(404);
      const sad = ((await (await post('credentials/authorize', { credentialID: 'binh-dinh', numSignatures: 3 }, `Bearer ${token}`)).json()) as { SAD: string }).SAD;
      const sign = () => post('signatures/signHash', { credentialID: 'binh-dinh', SAD: sad, hashes: [randomBytes(32).toString('base64')], signAlgo: OID.sha256Rsa }, `Bearer ${token}`);
      const first = sign();
      await new Promise((r) => setTimeout(r, 100));
      const refused = await Promise.all([sign(), sign()]);
      for (const r of refused) {
        expect(r.status).toBe(429);
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await r.json()).toMatchObject({ error: 'temporarily_unavailable', code: 'BUSY' });
      }
      expect((await first).status).toBe(200);
      // Two signatures of the three are left for the calls that were turned away.
      expect((await sign()).status).toBe(200);
      expect((await sign()).status).toBe(200);
      expect(await (await sign()).json()).toMatchObject({ code: 'CSC_SAD_EXHAUSTED' });
    } finally {
      await busy.close();
    }
  });

  it('counts hashes in /metrics', async () => {
    const text = await (await fetch(`${url}/metrics`, { headers: bearer(keys.ops) })).text();
    expect(text).toMatch(/kyso_csc_hashes_total\{identity="binh-dinh",algorithm="rsa-SHA-256",result="ok"\} \d+/);
    expect(text).toMatch(/kyso_signatures_total\{identity="binh-dinh",level="csc",result="ok"\} \d+/);
  });

  it('no API key, access token, SAD, PIN or OTP secret reaches the log', () => {
    expect(log.text.length).toBeGreaterThan(1000);
    expect(log.text).toContain('/csc/v2/signatures/signHash');
    for (const s of secrets) expect(log.text.includes(s), `a secret of ${s.length} characters is in the log`).toBe(false);
  });
});
