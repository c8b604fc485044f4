import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, TrustStore, verifyPdf } from '@kyso/core';
import { loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { sealPng, signaturePng } from '../../core/test/appearance/images.js';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { makeJpeg } from '../../core/test/workflow/jpeg.js';
import { bearer, LogCapture, tempDir } from './helpers.js';

let server: KysoServer;
let url: string;
let pki: TestPki;
const key = generateApiKey();
const otherKey = generateApiKey();
const dir = tempDir('kyso-server-copies-');

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  server = await createServer(
    {
      port: 0,
      dataDir: tempDir(),
      identities: [
        { name: 'can-bo', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }), image: signaturePng() },
        { name: 'ubnd-xa', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }), image: sealPng() },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) },
      ],
      apiKeys: [
        { id: 'xa', sha256: hashApiKey(key), identities: ['can-bo', 'ubnd-xa', 'ha-noi'], operations: ['sign', 'verify', 'codes'] },
        { id: 'other', sha256: hashApiKey(otherKey), identities: ['ha-noi'], operations: ['sign'] },
      ],
      trust: { extraRoots: [pki.root.certPem] },
    },
    { logStream: new LogCapture() },
  );
  url = await server.listen();
});
afterAll(async () => {
  await server?.close();
});

function post(query: string, body: Buffer, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/v1/certified-copies?${query}`, { method: 'POST', body, headers: { 'content-type': 'image/jpeg', ...headers } });
}

describe('POST /v1/certified-copies', () => {
  it('certifies a JPEG scan over HTTP: two valid signatures, numbers in headers, the same numbers on retry', async () => {
    const scan = await makeJpeg();
    const q = 'officer=can-bo&agency=ubnd-xa&owner=052090000495&book=2';
    const res = await post(q, scan, { ...bearer(key), 'idempotency-key': 'ho-so-001' });
    expect(res.status, await res.clone().text()).toBe(200);
    const number = res.headers.get('x-kyso-certification-number');
    const code = res.headers.get('x-kyso-result-code')!;
    expect(number).toBe('1');
    expect(code).toMatch(/^052090000495\.KQ\.G15\.000021\.\d{8}$/);
    expect(decodeURIComponent(res.headers.get('x-kyso-book')!)).toMatch(/^02\/\d{4}-SCTĐT\/BS$/);
    const pdf = Buffer.from(await res.arrayBuffer());
    const file = join(dir, 'copy.pdf');
    writeFileSync(file, pdf);
    const sigs = pdfsig(file, await nssDbForTestPki());
    expect(sigs.map((s) => [s.signatureValid, s.certificateTrusted])).toEqual([
      [true, true],
      [true, true],
    ]);
    const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(pki.root.certPem) });
    expect(report.verdict).toBe('valid');
    expect(report.certifiedCopy).toMatchObject({ certificationNumber: 1, officer: 1, agency: 2, complete: true });
    expect(report.resultCode?.value).toBe(code);

    const again = await post(q, scan, { ...bearer(key), 'idempotency-key': 'ho-so-001' });
    expect(again.headers.get('x-kyso-certification-number')).toBe('1');
    // Another copy for another citizen gets the next number.
    const next = await post('officer=can-bo&agency=ubnd-xa&owner=001200000001&book=2', scan, { ...bearer(key), 'idempotency-key': 'ho-so-002' });
    expect(next.status).toBe(200);
    expect(next.headers.get('x-kyso-certification-number')).toBe('2');
    // The same citizen twice the same day with the default suffix (the date) would repeat the
    // result code: refused (409), and the certification number it had reserved is voided, not reused.
    const dup = await post(q, scan, { ...bearer(key), 'idempotency-key': 'ho-so-003' });
    expect(dup.status).toBe(409);
    const withSuffix = await post(`${q}&resultSuffix=${encodeURIComponent('{ddmmyyyy}-{number}')}`, scan, { ...bearer(key), 'idempotency-key': 'ho-so-004' });
    expect(withSuffix.status).toBe(200);
    expect(withSuffix.headers.get('x-kyso-certification-number')).toBe('4');
  });

  it('refuses an officer of another agency, a key without the identities, and a missing Idempotency-Key', async () => {
    const scan = await makeJpeg();
    const mixed = await post('officer=can-bo&agency=ha-noi&owner=052090000495&book=2', scan, { ...bearer(key), 'idempotency-key': 'x1' });
    expect(mixed.status).toBe(403);
    expect(((await mixed.json()) as { code: string }).code).toBe('FORBIDDEN');
    const other = await post('officer=can-bo&agency=ubnd-xa&owner=052090000495&book=2', scan, { ...bearer(otherKey), 'idempotency-key': 'x2' });
    expect(other.status).toBe(403);
    const noKey = await post('officer=can-bo&agency=ubnd-xa&owner=052090000495&book=2', scan, bearer(key));
    expect(noKey.status).toBe(400);
    const badOwner = await post('officer=can-bo&agency=ubnd-xa&owner=12ab&book=2', scan, { ...bearer(key), 'idempotency-key': 'x3' });
    expect(badOwner.status).toBe(400);
  });
});
