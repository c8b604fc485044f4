/**
 * Independence check, the other way: the project's clients against servers
 * we did not write — `openssl ocsp` as responder (from an index.txt written
 * here) and `openssl ts -reply` as TSA, each run per request behind a tiny
 * HTTP wrapper on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLeaf, type TestEntity, type TestPki } from '../../src/testing/index.js';
import { checkOcsp, requestTimestamp } from '../../src/time/index.js';
import { certificateParts } from '../../src/time/certificate.js';
import { hasTool } from '../helpers/external-tools.js';
import { expectKysoError, loadPki } from './fixture.js';
import { indexTime, writePkiFiles } from './openssl-helpers.js';

const HAS_OPENSSL = hasTool('openssl');
let pki: TestPki;
let f: (name: string) => string;
let dir: string;
let stranger: TestEntity;
const servers: http.Server[] = [];
let ocspUrl: string;
let tsaUrl: string;
const REVOKED_AT = new Date('2026-04-05T06:07:08Z');

beforeAll(async () => {
  if (!HAS_OPENSSL) return;
  pki = await loadPki();
  ({ f, dir } = writePkiFiles(pki));
  stranger = await issueLeaf(pki, { kind: 'personal', name: 'openssl-stranger', key: 'p256' });
  delete pki.leaves['openssl-stranger'];

  // openssl ocsp as responder: index.txt in the format of `openssl ca`.
  const exp = indexTime(pki.personal.notAfter);
  const serial = (e: TestEntity): string => certificateParts(e).serialHex.toUpperCase();
  writeFileSync(
    f('index.txt'),
    [
      `V\t${exp}\t\t${serial(pki.personal)}\tunknown\t/CN=personal`,
      `R\t${exp}\t${indexTime(REVOKED_AT)},keyCompromise\t${serial(pki.organisation)}\tunknown\t/CN=organisation`,
      '',
    ].join('\n'),
  );
  // `openssl ocsp -port` binds every interface; the tests stay on loopback, so openssl's responder
  // runs per request on files (-reqin / -respout) behind a wrapper listening on 127.0.0.1.
  ocspUrl = await opensslBehindHttp((id) => [
    'ocsp', '-index', f('index.txt'), '-rsigner', f('ocsp.pem'), '-rkey', f('ocsp.key'), '-CA', f('issuing.pem'), '-nmin', '10',
    '-reqin', f(`ocsp${id}.req`), '-respout', f(`ocsp${id}.resp`),
  ], (id) => [f(`ocsp${id}.req`), f(`ocsp${id}.resp`)], 'application/ocsp-response', '/ocsp');

  // openssl ts -reply as TSA, behind a node HTTP wrapper.
  writeFileSync(f('tsaserial'), '01\n');
  writeFileSync(
    f('tsa.cnf'),
    `[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 2.16.704.1.1.1.2
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
`,
  );
  tsaUrl = await opensslBehindHttp(
    (id) => ['ts', '-reply', '-config', f('tsa.cnf'), '-queryfile', f(`req${id}.tsq`), '-out', f(`resp${id}.tsr`)],
    (id) => [f(`req${id}.tsq`), f(`resp${id}.tsr`)],
    'application/timestamp-reply',
    '/tsa',
  );
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** An HTTP server on 127.0.0.1 that hands each request body to one openssl run and returns its output file. */
async function opensslBehindHttp(args: (id: number) => string[], files: (id: number) => [string, string], type: string, path: string): Promise<string> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = ++n;
      const [input, output] = files(id);
      writeFileSync(input, Buffer.concat(chunks));
      execFile('openssl', args(id), { cwd: dir }, (err, _o, stderr) => {
        if (err) {
          res.writeHead(500).end(stderr);
          return;
        }
        res.writeHead(200, { 'content-type': type }).end(readFileSync(output));
      });
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

describe.skipIf(!HAS_OPENSSL)('our clients against openssl servers', () => {
  it('checkOcsp accepts openssl ocsp answers: good, revoked (time, reason), unknown', async () => {
    const good = await checkOcsp(pki.personal, pki.issuing, { url: ocspUrl });
    expect(good.status).toBe('good');
    expect(good.responderIsIssuer).toBe(false);
    expect(good.nonceEchoed).toBe(true);
    expect(good.nextUpdate).not.toBeNull();
    const revoked = await checkOcsp(pki.organisation, pki.issuing, { url: ocspUrl, hashAlgorithm: 'SHA-256' });
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt?.toISOString()).toBe(REVOKED_AT.toISOString());
    expect(revoked.reason).toBe('keyCompromise');
    expect((await checkOcsp(stranger, pki.issuing, { url: ocspUrl })).status).toBe('unknown');
  });

  it('checkOcsp refuses an openssl answer signed by a responder the certificate\'s issuer did not authorise', async () => {
    // Asked about the issuing CA (issued by the root), openssl still answers with the issuing CA's
    // delegated responder, which has no authority over the root's certificates.
    await expectKysoError(checkOcsp(pki.issuing, pki.root, { url: ocspUrl }), 'OCSP_FAILED', 'responder-unauthorised');
  });

  it('requestTimestamp accepts openssl ts -reply tokens (ESS signing-certificate v1, ordering, accuracy)', async () => {
    const digest = new Uint8Array(createHash('sha256').update('dấu thời gian từ openssl').digest());
    const r = await requestTimestamp(digest, { url: tsaUrl });
    expect(r.policy).toBe('1.2.3.4.1');
    expect(r.accuracyMs).toBeCloseTo(1500.1, 5);
    expect(r.info.cms.signedAttributes?.signingCertificate?.version).toBe(1);
    expect(Buffer.from(r.tsaCertificate).equals(Buffer.from(pki.tsa.certDer))).toBe(true);
    const withPolicy = await requestTimestamp(new Uint8Array(createHash('sha512').update('x').digest()), {
      url: tsaUrl,
      hashAlgorithm: 'SHA-512',
      policy: '2.16.704.1.1.1.2',
    });
    expect(withPolicy.policy).toBe('2.16.704.1.1.1.2');
    const noCert = await requestTimestamp(digest, { url: tsaUrl, certReq: false, tsaCertificate: pki.tsa.certPem });
    expect(noCert.info.cms.certificates).toHaveLength(0);
    // A policy openssl does not offer: refused by openssl, reported as TSA_FAILED.
    const { error } = await expectKysoError(requestTimestamp(digest, { url: tsaUrl, policy: '1.2.3.9' }), 'TSA_FAILED', 'rejected');
    expect(error.details?.failInfo).toEqual(['unacceptedPolicy']);
  });
});
