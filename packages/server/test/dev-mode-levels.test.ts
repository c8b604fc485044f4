/**
 * Development mode runs loopback TEST services (TSA, OCSP, CRL) for its TEST
 * PKI, whose certificates name them: B-T, B-LT and B-LTA sign out of the box,
 * poppler's pdfsig finds the signatures valid and trusted under the dev root,
 * and our verifier finds B-LT's embedded revocation data. A restart on the
 * same data directory reuses the PKI and serves it on the same port.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyPdf } from '@kyso/core';
import { createNssDb } from '@kyso/core/testing';
import { ConfigError, createServer, prepareDevMode, type DevSetup, type KysoServer } from '@kyso/server';
import { bearer, samplePdf, tempDir } from './helpers.js';

const dataDir = tempDir('kyso-dev-levels-');
const out = tempDir('kyso-dev-levels-out-');
let dev: DevSetup;
let server: KysoServer;
let url: string;
let key: string;
let nss: string;

async function start(): Promise<void> {
  dev = await prepareDevMode(dataDir, { services: true });
  server = await createServer({ ...dev.config, port: 0 });
  url = await server.listen();
  dev.keep?.();
}

async function stop(): Promise<void> {
  await server?.close();
  await dev?.close();
}

beforeAll(async () => {
  await start();
  key = dev.newApiKey!;
  nss = await createNssDb(join(out, 'nssdb'), dev.pki.root.certPem);
}, 60_000);
afterAll(stop);

async function signAt(level: string): Promise<Buffer> {
  const res = await fetch(`${url}/v1/sign?level=${level}`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/pdf' }, body: samplePdf() });
  expect(res.status, await res.clone().text()).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** pdfsig's lines for signature #1 (it exits 0 whatever it finds, so its text is what counts). */
function pdfsigFirst(pdf: Buffer, name: string): string {
  const file = join(out, name);
  writeFileSync(file, pdf);
  const text = execFileSync('pdfsig', ['-no-ocsp', '-nssdir', nss, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); // stderr: its note on the document timestamp it cannot check
  const first = text.split(/^Signature #2:/m)[0]!;
  expect(first).toContain('Signature #1:');
  return first;
}

const trust = (): TrustStore => TrustStore.fromPem(dev.pki.root.certPem);

describe('development mode signs at every level', () => {
  it('its certificates point at its own loopback OCSP and CRL services, and the banner data names them', () => {
    expect(dev.services, 'services started').toBeDefined();
    expect(dev.services!.ocspUrl).toBe(dev.pki.urls.ocsp);
    expect(dev.services!.crlUrl).toBe(dev.pki.urls.issuingCrl);
    expect(dev.services!.tsaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tsa$/);
    expect(dev.config.tsa?.url).toBe(dev.services!.tsaUrl);
    expect(dev.warnings).toEqual([]);
    // The `kyso test-pki` layout, so `kyso sign --p12` and pdfsig can use it.
    for (const f of ['pki.json', 'root.pem', 'chain.pem', 'personal.p12', 'organisation.p12', 'nssdb']) expect(existsSync(join(dev.pkiDir, f)), f).toBe(true);
  });

  it('B-T: pdfsig finds the signature valid and trusted; the timestamp verifies under the dev root', async () => {
    const pdf = await signAt('B-T');
    const first = pdfsigFirst(pdf, 'b-t.pdf');
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    const report = await verifyPdf(pdf, { trustStore: trust() });
    expect(report.verdict).toBe('valid');
    const sig = report.signatures[0]!;
    expect(sig.padesLevel).toBe('B-T');
    expect(sig.timestamp?.integrity).toBe('ok');
    expect(sig.timestamp?.chain?.trusted).toBe(true);
  });

  it('B-LT: revocation data collected from the loopback OCSP responder is embedded; valid with the dev root as trust', async () => {
    const pdf = await signAt('B-LT');
    const first = pdfsigFirst(pdf, 'b-lt.pdf');
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    const report = await verifyPdf(pdf, { trustStore: trust() });
    expect(report.verdict).toBe('valid');
    const sig = report.signatures[0]!;
    expect(sig.padesLevel).toBe('B-LT');
    expect(sig.chain.trusted).toBe(true);
    expect(sig.revocation.status).toBe('good');
    expect(sig.revocation.source).toBe('embedded');
    // verifyPdf is offline by default: 'embedded' means the DSS carries it.
    expect(pdf.includes(Buffer.from('/DSS'))).toBe(true);
  });

  it('B-LTA: a document timestamp over the B-LT data; pdfsig finds the signature valid and trusted', async () => {
    const pdf = await signAt('B-LTA');
    const first = pdfsigFirst(pdf, 'b-lta.pdf');
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    const report = await verifyPdf(pdf, { trustStore: trust() });
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => s.kind)).toEqual(['signature', 'timestamp']);
    expect(report.signatures[0]!.padesLevel).toBe('B-LTA');
    expect(report.signatures[0]!.revocation.source).toBe('embedded');
  });

  it('a restart reuses the PKI and serves OCSP on the port its certificates name: B-LT still works', async () => {
    const root = dev.pki.root.serialNumber;
    const ocsp = dev.services!.ocspUrl;
    await stop();
    await start();
    expect(dev.newApiKey, 'the key was kept').toBeUndefined();
    expect(dev.pki.root.serialNumber).toBe(root);
    expect(dev.services!.ocspUrl).toBe(ocsp);
    const report = await verifyPdf(await signAt('B-LT'), { trustStore: trust() });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]!.revocation.source).toBe('embedded');
  }, 60_000);

  it('pkiDir (kyso serve --pki) signs and trusts under that PKI and writes none into the data directory', async () => {
    const other = tempDir('kyso-dev-pkidir-');
    const elsewhere = await prepareDevMode(other, { pkiDir: dev.pkiDir, services: false });
    expect(elsewhere.pki.root.serialNumber).toBe(dev.pki.root.serialNumber);
    expect(elsewhere.config.trust?.extraRoots).toEqual([dev.pki.root.certPem]);
    expect(elsewhere.config.tsa, 'no services, no TSA').toBeUndefined();
    expect(elsewhere.services).toBeUndefined();
    expect(existsSync(join(other, 'test-pki'))).toBe(false);
  });

  it('a --pki directory with no TEST PKI is a configuration error naming it', async () => {
    const empty = join(out, 'no-pki');
    mkdirSync(empty);
    const r = prepareDevMode(tempDir('kyso-dev-nopki-'), { pkiDir: empty, services: false });
    await expect(r).rejects.toBeInstanceOf(ConfigError);
    await expect(r).rejects.toThrow(/no-pki holds no TEST PKI/);
  });
});
