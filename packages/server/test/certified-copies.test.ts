import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, TrustStore, verifyPdf, type Signer } from '@kyso/core';
import { SqliteSequenceStore } from '@kyso/core/codes';
import { loadOrCreateTestPki, type TestPki } from '@kyso/core/testing';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { sealPng, signaturePng } from '../../core/test/appearance/images.js';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { nssDbForTestPki } from '../../core/test/helpers/fixtures.js';
import { makeJpeg } from '../../core/test/workflow/jpeg.js';
import { bearer, LogCapture, samplePdf, tempDir } from './helpers.js';

let server: KysoServer;
let url: string;
let pki: TestPki;
const key = generateApiKey();
const otherKey = generateApiKey();
const dir = tempDir('kyso-server-copies-');
const dataDir = tempDir();
/** A token that can be pulled out: while `failing`, every signature fails as an unplugged HSM would. */
const flaky = {
  failing: false,
  wrap(inner: Signer): Signer {
    return new Proxy(inner, {
      get: (target, prop) => {
        if (prop === 'sign' && flaky.failing) return () => Promise.reject(new Error('token removed'));
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  },
};

beforeAll(async () => {
  pki = await loadOrCreateTestPki();
  server = await createServer(
    {
      port: 0,
      dataDir,
      identities: [
        { name: 'can-bo', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem }), image: signaturePng() },
        { name: 'ubnd-xa', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }), image: sealPng() },
        { name: 'ha-noi', agency: '000.00.00.H26', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) },
        { name: 'flaky', agency: '000.00.00.H27', signer: flaky.wrap(SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem })) },
        { name: 'xa-h27', agency: '000.00.00.H27', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) },
      ],
      apiKeys: [
        { id: 'xa', sha256: hashApiKey(key), identities: ['can-bo', 'ubnd-xa', 'ha-noi', 'flaky', 'xa-h27'], operations: ['sign', 'verify', 'codes'] },
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
    // The same citizen twice the same day: the default suffix is unique per copy (the date, then the date and the number).
    const second = await post(q, scan, { ...bearer(key), 'idempotency-key': 'ho-so-003' });
    expect(second.status, await second.clone().text()).toBe(200);
    expect(second.headers.get('x-kyso-certification-number')).toBe('3');
    expect(second.headers.get('x-kyso-result-code')).toBe(`${code}-3`);
    // A suffix of the caller's that repeats the first code is refused (409, naming the option) before a number is taken.
    const dup = await post(`${q}&resultSuffix=${encodeURIComponent('{ddmmyyyy}')}`, scan, { ...bearer(key), 'idempotency-key': 'ho-so-004' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ code: 'CODE_STATE', message: expect.stringMatching(/resultSuffix/), messageVi: expect.stringMatching(/resultSuffix/) });
    const withSuffix = await post(`${q}&resultSuffix=${encodeURIComponent('{ddmmyyyy}-{number}')}`, scan, { ...bearer(key), 'idempotency-key': 'ho-so-005' });
    expect(withSuffix.status).toBe(200);
    expect(withSuffix.headers.get('x-kyso-certification-number')).toBe('4');
  });

  it('numbers the book without gaps: bad uploads take no number, a copy that failed on the signer gets its number on retry with the same Idempotency-Key', async () => {
    const scan = await makeJpeg();
    const q = 'officer=flaky&agency=xa-h27&owner=052090000498&book=1';
    const send = (body: Buffer, idem: string, type = 'image/jpeg', query = q) => post(query, body, { ...bearer(key), 'idempotency-key': idem, 'content-type': type });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const steps: [string, () => Promise<Response>, number, string | null][] = [
      ['first', () => send(scan, 'd-1'), 200, '1'],
      ['a PNG sent as a PDF', () => send(png, 'd-2', 'application/pdf'), 422, null],
      ['text sent as a JPEG', () => send(Buffer.from('hello'), 'd-3'), 422, null],
      ['a PDF cut short', () => send(samplePdf().subarray(0, 500), 'd-4', 'application/pdf'), 422, null],
      ['the same citizen again', () => send(scan, 'd-5'), 200, '2'],
      ['the token fails', () => ((flaky.failing = true), send(scan, 'd-6')), 503, null],
      ['the retry, token back', () => ((flaky.failing = false), send(scan, 'd-6')), 200, '3'],
      ['the next copy', () => send(scan, 'd-7', 'image/jpeg', 'officer=flaky&agency=xa-h27&owner=001200000001&book=1'), 200, '4'],
    ];
    const got: [string, number, string | null][] = [];
    for (const [what, run] of steps) {
      const res = await run();
      got.push([what, res.status, res.headers.get('x-kyso-certification-number')]);
    }
    expect(got).toEqual(steps.map(([what, , status, n]) => [what, status, n]));
    const store = await SqliteSequenceStore.open({ dataDir });
    try {
      const ledger = await store.ledger({ kind: 'cert', agency: '000.00.00.H27' });
      expect(ledger.map((a) => [a.value, a.state])).toEqual([1, 2, 3, 4].map((n) => [n, 'confirmed']));
      const results = await store.ledger({ kind: 'result', agency: '052090000498' });
      expect(results.map((r) => [r.note?.replace(/\.\d{8}/, '.<day>'), r.state])).toEqual([
        ['052090000498.KQ.G15.000021.<day>', 'confirmed'],
        ['052090000498.KQ.G15.000021.<day>-2', 'confirmed'],
        ['052090000498.KQ.G15.000021.<day>-3', 'confirmed'],
      ]);
    } finally {
      await store.close();
    }
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
