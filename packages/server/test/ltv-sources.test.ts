import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { createTestPki, startTestServices, type TestServices } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { crossCertificate, plantedPdf, requestCount } from '../../core/test/helpers/planted-certificates.js';
import { bearer, tempDir } from './helpers.js';

/*
 * B-LT and B-LTA over the service: validation data comes only from the
 * chains that end at the service's trusted roots (policy + trust.extraRoots),
 * never from a certificate the client's PDF carries, and a configured
 * identity under a root the service does not trust gets a typed refusal
 * before any of its URLs is fetched. `evil` stands for an internal address
 * an attacker would like the service to call.
 */

let good: TestServices;
let evil: TestServices;
let cross: Uint8Array;
let key: string;
const servers: { server: KysoServer; url: string }[] = [];

async function start(workers: number): Promise<string> {
  const server = await createServer({
    port: 0,
    dataDir: tempDir(),
    workers,
    identities: [
      { name: 'trusted', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: good.pki.organisation.keyPem, cert: good.pki.organisation.certPem, chain: good.pki.chainPem }) },
      { name: 'stranger', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: evil.pki.organisation.keyPem, cert: evil.pki.organisation.certPem, chain: evil.pki.chainPem }) },
    ],
    apiKeys: [{ id: 'k', sha256: hashApiKey(key), identities: ['trusted', 'stranger'], operations: ['sign', 'verify', 'codes'] }],
    trust: { extraRoots: [good.pki.root.certPem] },
    tsa: { url: good.tsaUrl, timeoutMs: 5000 },
  });
  const url = await server.listen();
  servers.push({ server, url });
  return url;
}

beforeAll(async () => {
  good = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  evil = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  cross = await crossCertificate(good, evil);
  key = generateApiKey();
});
afterAll(async () => {
  for (const s of servers) await s.server.close();
  await good?.close();
  await evil?.close();
});

const sign = (url: string, identity: string, level: string, pdf: Uint8Array) =>
  fetch(`${url}/v1/sign?identity=${identity}&level=${level}`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/pdf' }, body: pdf });

describe.each([
  ['on worker threads', 2],
  ['on the main thread', 0],
])('validation data sources (%s)', (_label, workers) => {
  let url: string;
  beforeAll(async () => {
    url = await start(workers);
  });

  it('a PDF carrying a planted cross-certificate is signed at B-LT and B-LTA from the trusted CA only: the attacker gets no request', async () => {
    for (const level of ['B-LT', 'B-LTA']) {
      const before = requestCount(evil);
      const res = await sign(url, 'trusted', level, await plantedPdf(cross, evil));
      expect(res.status, await res.clone().text()).toBe(200);
      expect(requestCount(evil)).toBe(before);
      const report = await verifyPdf(new Uint8Array(await res.arrayBuffer()), { trustStore: TrustStore.fromPem(good.pki.root.certPem) });
      expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
      expect(report.signatures[0]!.padesLevel).toBe(level);
    }
  });

  it('an identity under a root the service does not trust: 422 LTV_CHAIN_UNTRUSTED in both languages, none of its URLs fetched', async () => {
    const before = requestCount(evil);
    const res = await sign(url, 'stranger', 'B-LT', await plantedPdf(cross, evil));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; message: string; messageVi: string };
    expect(body.code).toBe('LTV_CHAIN_UNTRUSTED');
    expect(body.message).toMatch(/trusted root/);
    expect(body.messageVi).toMatch(/chứng thư gốc tin cậy/);
    expect(requestCount(evil)).toBe(before);
    // B-T needs no validation data and stays available to it.
    expect((await sign(url, 'stranger', 'B-T', await plantedPdf(cross, evil))).status).toBe(200);
    expect(requestCount(evil)).toBe(before);
  });
});
