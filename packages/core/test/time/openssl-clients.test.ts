/**
 * Independence check, one way: tools we did not write (openssl ts, openssl
 * ocsp, openssl crl) talk to the project's TEST services and accept their
 * answers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServices, type TestPki, type TestServices } from '../../src/testing/index.js';
import { hasTool } from '../helpers/external-tools.js';
import { loadPki } from './fixture.js';
import { openssl, writePkiFiles } from './openssl-helpers.js';

let pki: TestPki;
let s: TestServices;
let f: (name: string) => string;
const REVOKED_AT = new Date('2026-03-04T05:06:07Z');

beforeAll(async () => {
  pki = await loadPki();
  s = await startTestServices(pki);
  f = writePkiFiles(pki).f;
  s.revoke(pki.organisation.serialNumber, { at: REVOKED_AT, reason: 'keyCompromise' });
});
afterAll(() => s?.close());

describe.skipIf(!hasTool('openssl'))('openssl against the TEST services', () => {
  it('openssl ts -query → our TSA → openssl ts -verify passes', async () => {
    writeFileSync(f('data.txt'), 'Quyết định số 123/QĐ-UBND — dữ liệu cần đóng dấu thời gian\n');
    const q = await openssl(['ts', '-query', '-data', f('data.txt'), '-sha256', '-cert', '-out', f('q.tsq')]);
    expect(q.status, q.out).toBe(0);
    const res = await fetch(s.tsaUrl, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(f('q.tsq')) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
    writeFileSync(f('reply.tsr'), Buffer.from(await res.arrayBuffer()));
    const v = await openssl(['ts', '-verify', '-in', f('reply.tsr'), '-queryfile', f('q.tsq'), '-CAfile', f('chain.pem'), '-untrusted', f('tsa.pem')]);
    expect(v.out).toMatch(/Verification: OK/);
    expect(v.status, v.out).toBe(0);
    // Also against the data itself, and the reply's text.
    const v2 = await openssl(['ts', '-verify', '-in', f('reply.tsr'), '-data', f('data.txt'), '-CAfile', f('chain.pem'), '-untrusted', f('tsa.pem')]);
    expect(v2.out).toMatch(/Verification: OK/);
    const text = await openssl(['ts', '-reply', '-in', f('reply.tsr'), '-text']);
    expect(text.out).toMatch(/Status: Granted/);
    expect(text.out).toMatch(/Policy OID: 2\.16\.704\.1\.1\.1\.2\.9999/);
    expect(text.out).toMatch(/Nonce: 0x[0-9A-F]+/);
    // A different document does not verify (openssl really checks the imprint).
    writeFileSync(f('other.txt'), 'khác\n');
    const bad = await openssl(['ts', '-verify', '-in', f('reply.tsr'), '-data', f('other.txt'), '-CAfile', f('chain.pem'), '-untrusted', f('tsa.pem')]);
    expect(bad.out).not.toMatch(/Verification: OK/);
  });

  it('openssl ocsp says good / revoked (with reason and time) / unknown, and verifies the responses', async () => {
    const ask = (cert: string, issuer = 'issuing.pem') =>
      openssl(['ocsp', '-issuer', f(issuer), '-cert', f(cert), '-url', s.ocspUrl, '-CAfile', f('chain.pem'), '-resp_text']);
    const good = await ask('personal.pem');
    expect(good.out).toMatch(/Response verify OK/);
    expect(good.stdout).toMatch(/personal\.pem: good/);
    expect(good.out).toMatch(/Next Update:/);
    const revoked = await ask('organisation.pem');
    expect(revoked.out).toMatch(/Response verify OK/);
    expect(revoked.stdout).toMatch(/organisation\.pem: revoked/);
    expect(revoked.stdout).toMatch(/Reason: keyCompromise/);
    expect(revoked.stdout).toMatch(/Revocation Time: Mar {2}4 05:06:07 2026 GMT/);
    // The issuing CA's status, signed by the root itself:
    const ca = await ask('issuing.pem', 'root.pem');
    expect(ca.out).toMatch(/Response verify OK/);
    expect(ca.stdout).toMatch(/issuing\.pem: good/);
    // A serial the CA never issued.
    const unknown = await openssl(['ocsp', '-issuer', f('issuing.pem'), '-serial', '0x0123456789abcdef', '-url', s.ocspUrl, '-CAfile', f('chain.pem')]);
    expect(unknown.out).toMatch(/Response verify OK/);
    expect(unknown.stdout).toMatch(/: unknown/);
  });

  it('openssl crl verifies our CRLs and lists the revoked serial', async () => {
    for (const which of ['issuing', 'root'] as const) {
      const der = Buffer.from(await (await fetch(s.crlUrl(which))).arrayBuffer());
      writeFileSync(f(`${which}.crl`), der);
      const v = await openssl(['crl', '-inform', 'DER', '-in', f(`${which}.crl`), '-CAfile', f('chain.pem'), '-noout']);
      expect(v.out).toMatch(/verify OK/);
      expect(v.status, v.out).toBe(0);
    }
    const text = await openssl(['crl', '-inform', 'DER', '-in', f('issuing.crl'), '-noout', '-text']);
    expect(text.out.toLowerCase()).toContain(`serial number: ${pki.organisation.serialNumber.toLowerCase()}`);
    expect(text.out).toMatch(/Key Compromise/);
    expect(text.out).toMatch(/X509v3 CRL Number/);
    // openssl verify with CRL checking: the revoked leaf fails, the other passes.
    const pem = await openssl(['crl', '-inform', 'DER', '-in', f('issuing.crl'), '-out', f('issuing.crl.pem')]);
    expect(pem.status).toBe(0);
    const rootPem = await openssl(['crl', '-inform', 'DER', '-in', f('root.crl'), '-out', f('root.crl.pem')]);
    expect(rootPem.status).toBe(0);
    writeFileSync(f('crls.pem'), readFileSync(f('issuing.crl.pem'), 'utf8') + readFileSync(f('root.crl.pem'), 'utf8'));
    const ok = await openssl(['verify', '-crl_check_all', '-CRLfile', f('crls.pem'), '-CAfile', f('chain.pem'), f('personal.pem')]);
    expect(ok.out).toMatch(/personal\.pem: OK/);
    const revoked = await openssl(['verify', '-crl_check_all', '-CRLfile', f('crls.pem'), '-CAfile', f('chain.pem'), f('organisation.pem')]);
    expect(revoked.out).toMatch(/certificate revoked/);
  });
});
