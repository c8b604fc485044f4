/**
 * The CLI produces B-LTA files with a TSA and an OCSP responder we did not
 * write (openssl ts -reply and openssl ocsp, each run per request behind a
 * small HTTP router on 127.0.0.1); kyso and pdfsig both accept the result.
 * CRLs and the published CA certificates come from the project's test
 * services, proxied by the same router, because the certificates name one
 * base URL.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNssDb, createTestPki, startTestServices, type TestPki, type TestServices } from '@kyso/core/testing';
import { certificateParts } from '../../core/src/time/certificate.js';
import { pdfsig } from '../../core/test/helpers/external-tools.js';
import { indexTime, writePkiFiles } from '../../core/test/time/openssl-helpers.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const SAMPLE = resolve(__dirname, '../../../examples/assets/sample.pdf');
let router: http.Server;
let services: TestServices;
let pki: TestPki;
let f: (name: string) => string;
let dir: string;
let base: string;
const counts = { tsa: 0, ocsp: 0 };

/** The CLI as a child process, without blocking this process: the router answering it lives here. */
function kyso(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn('node', [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => ok({ status, stdout, stderr }));
  });
}

function runOpenssl(args: string[], input: Buffer, inFile: string, outFile: string): Promise<Buffer> {
  writeFileSync(inFile, input);
  return new Promise((ok, fail) => execFile('openssl', args, { cwd: dir }, (err, _o, stderr) => (err ? fail(new Error(stderr)) : ok(readFileSync(outFile)))));
}

beforeAll(async () => {
  let n = 0;
  router = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = ++n;
      const body = Buffer.concat(chunks);
      const reply = (type: string) => (out: Buffer) => res.writeHead(200, { 'content-type': type }).end(out);
      const fail = (e: Error) => res.writeHead(500).end(e.message);
      if (req.method === 'POST' && req.url === '/tsa') {
        counts.tsa++;
        runOpenssl(['ts', '-reply', '-config', f('tsa.cnf'), '-queryfile', f(`q${id}.tsq`), '-out', f(`r${id}.tsr`)], body, f(`q${id}.tsq`), f(`r${id}.tsr`)).then(reply('application/timestamp-reply'), fail);
      } else if (req.method === 'POST' && req.url === '/ocsp') {
        counts.ocsp++;
        runOpenssl(['ocsp', '-index', f('index.txt'), '-rsigner', f('ocsp.pem'), '-rkey', f('ocsp.key'), '-CA', f('issuing.pem'), '-nmin', '10', '-reqin', f(`o${id}.req`), '-respout', f(`o${id}.resp`)], body, f(`o${id}.req`), f(`o${id}.resp`)).then(reply('application/ocsp-response'), fail);
      } else {
        // CRLs and CA certificates: the project's services.
        fetch(`${services.baseUrl}${req.url}`).then(async (r) => res.writeHead(r.status).end(Buffer.from(await r.arrayBuffer())), fail);
      }
    });
  });
  await new Promise<void>((r) => router.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(router.address() as AddressInfo).port}`;
  pki = await createTestPki({ baseUrl: base, key: 'p256', keys: { tsa: 'rsa2048' } });
  services = await startTestServices(pki);
  ({ f, dir } = writePkiFiles(pki));
  const serial = certificateParts(pki.personal.certDer).serialHex.toUpperCase();
  writeFileSync(f('index.txt'), `V\t${indexTime(pki.personal.notAfter)}\t\t${serial}\tunknown\t/CN=personal\n`);
  writeFileSync(f('tsaserial'), '01\n');
  writeFileSync(
    f('tsa.cnf'),
    ['[ tsa ]', 'default_tsa = t', '[ t ]', `dir = ${dir}`, 'serial = $dir/tsaserial', 'crypto_device = builtin', 'signer_cert = $dir/tsa.pem', 'certs = $dir/chain.pem', 'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ess_cert_id_chain = no', ''].join('\n'),
  );
});

afterAll(async () => {
  router?.closeAllConnections();
  await new Promise((r) => router?.close(r));
  await services?.close();
});

describe('kyso sign --level B-LTA with openssl as TSA and OCSP responder', () => {
  it('produces a file kyso verifies offline as B-LTA and pdfsig accepts', async () => {
    const out = join(dir, 'lta.pdf');
    const r = await kyso(['sign', SAMPLE, '-o', out, '--key', f('personal.key'), '--cert', f('personal.pem'), '--chain', f('chain.pem'), '--level', 'B-LTA', '--tsa', `${base}/tsa`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(counts.tsa).toBeGreaterThanOrEqual(2); // the signature timestamp and the document timestamp
    expect(counts.ocsp).toBeGreaterThanOrEqual(1);

    // Offline: every service is down now.
    await services.setMode('down');
    const v = await kyso(['verify', out, '--trust', f('root.pem'), '--json']);
    const report = JSON.parse(v.stdout);
    expect(v.status, v.stdout).toBe(0);
    expect(report.signatures[0].padesLevel).toBe('B-LTA');
    expect(report.signatures[0].revocation).toMatchObject({ status: 'good', source: 'embedded' });
    expect(report.signatures[1].kind).toBe('timestamp');

    const nss = join(dir, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, pki.root.certPem);
    const sigs = pdfsig(out, nss);
    expect(sigs).toHaveLength(2);
    expect(sigs[0]!.signatureValid).toBe(true);
    expect(sigs[0]!.certificateTrusted).toBe(true);
    await services.setMode('normal');
  });

  it('kyso extend turns a B-B file into B-LT', async () => {
    const bb = join(dir, 'bb.pdf');
    const lt = join(dir, 'lt.pdf');
    expect((await kyso(['sign', SAMPLE, '-o', bb, '--key', f('personal.key'), '--cert', f('personal.pem'), '--chain', f('chain.pem')])).status).toBe(0);
    const e = await kyso(['extend', bb, '-o', lt, '--level', 'B-LT']);
    expect(e.status, e.stderr).toBe(0);
    const report = JSON.parse((await kyso(['verify', lt, '--trust', f('root.pem'), '--json'])).stdout);
    expect(report.signatures[0].revocation.status).toBe('good');
    expect(report.modification).toBe('allowed');
  });

  it('a TSA that does not answer: one-line error, exit 1, no file', async () => {
    const out = join(dir, 'never.pdf');
    const r = await kyso(['sign', SAMPLE, '-o', out, '--key', f('personal.key'), '--cert', f('personal.pem'), '--level', 'B-T', '--tsa', 'http://127.0.0.1:9/tsa', '--timeout', '1500']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/TSA_UNAVAILABLE|NETWORK/);
    expect(spawnSync('test', ['-e', out]).status).not.toBe(0);
  });
});
