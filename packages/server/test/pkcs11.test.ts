import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { CscSigner, signPdf, TrustStore, verifyPdf } from '@kyso/core';
import { createHash, randomBytes, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { createServer, generateApiKey, hashApiKey, loadConfigFile, type KysoServer } from '@kyso/server';
import { pdfsig, hasTool } from '../../core/test/helpers/external-tools.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../../pkcs11/test/softhsm.js';
import { bearer, LogCapture, samplePdf, tempDir } from './helpers.js';

const PIN = '493817';
let pki: TestPki;
let token: SoftHsmToken;
let server: KysoServer;
let url: string;
let key: string;
let dir: string;
const log = new LogCapture();

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  token = await createSoftHsmToken({ pki, label: 'HSM Binh Dinh', pin: PIN, keys: [{ label: 'so-tu-phap', id: '01', keyType: 'rsa:2048', kind: 'organisation' }] });
  dir = tempDir();
  key = generateApiKey();
  writeFileSync(
    join(dir, 'kyso.json'),
    JSON.stringify({
      port: 0,
      dataDir: 'data',
      identities: [{ name: 'so-tu-phap', agency: '000.00.00.H56', signer: { pkcs11: { module: SOFTHSM_MODULE, token: 'HSM Binh Dinh', key: 'so-tu-phap', pinEnv: 'KYSO_TEST_HSM_PIN' } } }],
      apiKeys: [{ id: 'portal', sha256: hashApiKey(key), identities: ['so-tu-phap'], operations: ['sign', 'audit', 'csc'] }],
    }),
  );
  process.env.KYSO_TEST_HSM_PIN = PIN;
  server = await createServer(loadConfigFile(join(dir, 'kyso.json'), {}), { logStream: log, logLevel: 'trace' });
  url = await server.listen();
});
afterAll(async () => {
  await server?.close();
  delete process.env.KYSO_TEST_HSM_PIN;
});

describe('a PKCS#11 (SoftHSM2) identity', () => {
  it('signs concurrent requests on the token; pdfsig accepts them; the PIN is nowhere', async () => {
    const rs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fetch(`${url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(key) }, body: samplePdf() })));
    expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    if (hasTool('pdfsig')) {
      const nss = join(dir, 'nssdb');
      mkdirSync(nss);
      await createNssDb(nss, pki.root.certPem);
      const file = join(dir, 'hsm.pdf');
      writeFileSync(file, Buffer.from(await rs[0]!.arrayBuffer()));
      const [sig] = pdfsig(file, nss);
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    }
    const auditText = JSON.stringify(await (await fetch(`${url}/v1/audit`, { headers: bearer(key) })).json());
    expect(log.text).toContain('/v1/sign');
    for (const text of [log.text, auditText]) {
      expect(text).not.toContain(PIN);
      expect(text).not.toContain(key);
    }
  });

  it('a wrong PIN stops the start without showing the PIN', async () => {
    process.env.KYSO_TEST_HSM_WRONG = '000999';
    const e = await createServer({
      port: 0,
      dataDir: join(dir, 'wrong'),
      identities: [{ name: 'x', agency: '000.00.00.H56', signer: { pkcs11: { module: SOFTHSM_MODULE, token: 'HSM Binh Dinh', key: 'so-tu-phap', pinEnv: 'KYSO_TEST_HSM_WRONG' } } }],
    }).then(
      (s) => s.close().then(() => undefined),
      (x: unknown) => x as Error & { code?: string },
    );
    delete process.env.KYSO_TEST_HSM_WRONG;
    // PKCS#11 login is per process: the token is already logged in, so kyso compares the PIN itself.
    expect(e?.code).toMatch(/^PKCS11_PIN_INCORRECT$/);
    expect(`${e?.message} ${JSON.stringify(e)}`).not.toContain('000999');
    expect(token.serial).toBeTruthy();
  });
});

describe('the PKCS#11 identity as a CSC credential', () => {
  it('signHash signs on the token, one audit record per hash; CscSigner signs a PDF with it', async () => {
    const csc = `${url}/csc/v2`;
    const post = async (m: string, body: unknown, auth: string) =>
      (await fetch(`${csc}/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
    const { access_token: tokenValue } = (await post('auth/login', {}, `Bearer ${key}`)) as { access_token: string };
    const info = (await post('credentials/info', { credentialID: 'so-tu-phap' }, `Bearer ${tokenValue}`)) as { key: { len: number; algo: string[] }; cert: { certificates: string[] } };
    expect(info.key.len).toBe(2048);
    const { SAD } = (await post('credentials/authorize', { credentialID: 'so-tu-phap', numSignatures: 3 }, `Bearer ${tokenValue}`)) as { SAD: string };
    const data = [randomBytes(50), randomBytes(50), randomBytes(50)];
    const r = (await post('signatures/signHash', { credentialID: 'so-tu-phap', SAD, hashes: data.map((d) => createHash('sha256').update(d).digest('base64')), signAlgo: '1.2.840.113549.1.1.11' }, `Bearer ${tokenValue}`)) as { signatures: string[] };
    // The token's own key and certificate (issued for it by the TEST CA when the token was made).
    const pub = new X509Certificate(Buffer.from(info.cert.certificates[0]!, 'base64')).publicKey;
    r.signatures.forEach((s, i) => expect(cryptoVerify('sha256', data[i]!, pub, Buffer.from(s, 'base64'))).toBe(true));
    const records = ((await (await fetch(`${url}/v1/audit?limit=1000`, { headers: bearer(key) })).json()) as { records: { operation: string; result: string }[] }).records;
    expect(records.filter((x) => x.operation === 'csc.signHash' && x.result === 'ok')).toHaveLength(3);

    const signer = await CscSigner.open({ url: csc, token: tokenValue, credentialId: 'so-tu-phap' });
    await signer.authorize(2);
    const pdfs = await Promise.all([signPdf(samplePdf(), { signer }), signPdf(samplePdf(), { signer })]);
    for (const pdf of pdfs) expect((await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) })).signatures[0]!.indication).toBe('TOTAL_PASSED');
    expect(log.text).not.toContain(tokenValue);
    expect(log.text).not.toContain(SAD);
  });
});
