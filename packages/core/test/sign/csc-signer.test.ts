/**
 * CscSigner against a small CSC v2 responder written here, with node:http,
 * from the JSON examples of the specification (CSC API v2.0.0.2: auth/login,
 * oauth2/token, credentials/list, credentials/info, credentials/authorize,
 * signatures/signHash, and its error form). It shares nothing with kyso's
 * own service, so a misreading of the specification on one side is not
 * hidden by the same misreading on the other. Its signatures come from
 * node's RSA operation over a DigestInfo built here.
 */
import { constants, createHash, privateEncrypt, randomBytes, timingSafeEqual, createPrivateKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CscSigner } from '../../src/sign/csc/csc-signer.js';
import { signPdf } from '../../src/sign/index.js';
import { isKysoError, type KysoError } from '../../src/errors.js';
import { verifyPdf } from '../../src/verify/index.js';
import { TrustStore } from '../../src/trust/index.js';
import type { TestPki } from '../../src/testing/index.js';
import { hasTool, pdfsig } from '../helpers/external-tools.js';
import { makePdfLibPdf, nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';

/** DigestInfo prefixes of RFC 8017 §9.2, note 1. */
const DIGEST_INFO: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': '3031300d060960864801650304020105000420',
  '2.16.840.1.101.3.4.2.2': '3041300d060960864801650304020205000430',
  '2.16.840.1.101.3.4.2.3': '3051300d060960864801650304020305000440',
};

interface Call {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** What the responder does wrong on purpose. */
interface Faults {
  /** Answer every signHash with a value that does not verify. */
  badSignature?: boolean;
  /** Next N calls of this path answer this status and body. */
  fail?: { path: string; status: number; body: unknown; times: number };
  /** Never answer this path. */
  stall?: string;
}

class Responder {
  readonly calls: Call[] = [];
  faults: Faults = {};
  readonly #tokens = new Set<string>();
  readonly #sads = new Map<string, { credentialID: string; left: number }>();
  #server!: Server;
  base = '';

  constructor(
    private readonly key: KeyObject,
    private readonly certificates: string[],
    /** HX0224685's certificate chain (its key is disabled). */
    private readonly otherCertificates: string[],
    private readonly user = { name: 'officer', password: 'mật-khẩu-1' },
    private readonly client = { id: 'portal', secret: 's3cr3t+/=' },
    private readonly pin = '12345678',
  ) {}

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/csc/v2`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((r) => this.#server.close(r));
  }

  issueToken(): string {
    const t = randomBytes(24).toString('base64url');
    this.#tokens.add(t);
    return t;
  }

  expireTokens(): void {
    this.#tokens.clear();
  }

  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').replace(/^\/csc\/v2\//, '');
    let body: Record<string, unknown> = {};
    if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(text));
    else if (text) body = JSON.parse(text) as Record<string, unknown>;
    this.calls.push({ path, authorization: req.headers.authorization, body });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (this.faults.stall === path) return;
    const f = this.faults.fail;
    if (f && f.path === path && f.times > 0) {
      f.times--;
      return send(f.status, f.body);
    }
    if (path === 'auth/login') {
      const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
      if (basic !== `${this.user.name}:${this.user.password}`) return send(401, { error: 'invalid_request', error_description: 'The user cannot be authenticated' });
      return send(200, { access_token: this.issueToken(), refresh_token: randomBytes(16).toString('base64url'), expires_in: 3600 });
    }
    if (path === 'oauth2/token') {
      // RFC 6749 §2.3.1: client id and secret form-encoded, then Basic.
      const [id, secret] = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s));
      if (body.grant_type !== 'client_credentials' || id !== this.client.id || secret !== this.client.secret) return send(400, { error: 'invalid_client', error_description: 'Invalid client credentials' });
      return send(200, { access_token: this.issueToken(), token_type: 'Bearer', expires_in: 3600 });
    }
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.#tokens.has(token)) return send(401, { error: 'invalid_token', error_description: 'The access token is not valid' });
    switch (path) {
      case 'credentials/list':
        return send(200, { credentialIDs: ['GX0112348', 'HX0224685'] });
      case 'credentials/info': {
        if (body.credentialID !== 'GX0112348' && body.credentialID !== 'HX0224685') return send(400, { error: 'invalid_request', error_description: 'Invalid parameter credentialID' });
        const disabled = body.credentialID === 'HX0224685';
        return send(200, {
          description: 'This is a credential for tests',
          signatureQualifier: 'eu_eidas_qes',
          // rsaEncryption and a BSI OID of another scheme, as the example lists them: the client must pick rsaEncryption with hashAlgorithmOID.
          key: { status: disabled ? 'disabled' : 'enabled', algo: ['1.2.840.113549.1.1.1', '0.4.0.127.0.7.1.1.4.1.3'], len: 2048 },
          cert: (() => {
            const chain = disabled ? this.otherCertificates : this.certificates;
            return { status: 'valid', certificates: body.certificates === 'chain' ? chain : chain.slice(0, 1), issuerDN: 'CN=Issuing', serialNumber: '5AAC41CD8FA22B953640', subjectDN: disabled ? 'CN=Other' : 'CN=Signer', validFrom: '20200101100000Z', validTo: '20990101095959Z' };
          })(),
          auth: {
            mode: 'explicit',
            expression: 'PIN',
            objects: [{ type: 'Password', id: 'PIN', format: 'N', label: 'PIN', description: 'Please enter the signature PIN' }],
          },
          multisign: 5,
          lang: 'en-US',
        });
      }
      case 'credentials/authorize': {
        if (body.credentialID !== 'GX0112348') return send(400, { error: 'invalid_request', error_description: 'Invalid parameter credentialID' });
        const pin = (body.authData as { id: string; value: string }[] | undefined)?.find((a) => a.id === 'PIN')?.value ?? '';
        if (pin.length !== this.pin.length || !timingSafeEqual(Buffer.from(pin), Buffer.from(this.pin))) return send(400, { error: 'invalid_request', error_description: 'Invalid PIN' });
        const sad = `_TiHRG-bAH3XlFQZ3ndFhkXf9P24/${randomBytes(12).toString('base64url')}`;
        this.#sads.set(sad, { credentialID: body.credentialID as string, left: Number(body.numSignatures) });
        return send(200, { SAD: sad, expiresIn: 3600 });
      }
      case 'signatures/signHash': {
        const s = this.#sads.get(String(body.SAD));
        const hashes = body.hashes as string[];
        if (!s || s.credentialID !== body.credentialID || s.left < hashes.length) return send(400, { error: 'invalid_request', error_description: 'Invalid parameter SAD' });
        if (body.signAlgo !== '1.2.840.113549.1.1.1') return send(400, { error: 'invalid_request', error_description: 'Invalid parameter signAlgo' });
        const prefix = DIGEST_INFO[String(body.hashAlgorithmOID)];
        if (!prefix) return send(400, { error: 'invalid_request', error_description: 'Invalid parameter hashAlgorithmOID' });
        if (hashes.length > 5) return send(400, { error: 'invalid_request', error_description: 'Invalid parameter hashes' });
        s.left -= hashes.length;
        const signatures = hashes.map((h) => {
          const v = privateEncrypt({ key: this.key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(h, 'base64')]));
          if (this.faults.badSignature) v[10]! ^= 1;
          return v.toString('base64');
        });
        return send(200, { signatures });
      }
      default:
        return send(404, { error: 'invalid_request', error_description: 'Unknown method' });
    }
  }
}

let pki: TestPki;
let responder: Responder;
const trust = () => TrustStore.fromPem(pki.root.certPem);

async function refusal(p: Promise<unknown>): Promise<KysoError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isKysoError(e)) throw new Error(`expected a KysoError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  pki = await testPki();
  const certs = [pki.organisation.certDer, pki.issuing.certDer, pki.root.certDer].map((d) => Buffer.from(d).toString('base64'));
  const others = [pki.personal.certDer, pki.issuing.certDer].map((d) => Buffer.from(d).toString('base64'));
  responder = new Responder(createPrivateKey(pki.organisation.keyPem), certs, others);
  await responder.start();
});
afterAll(async () => {
  await responder?.close();
});
beforeEach(() => {
  responder.calls.length = 0;
  responder.faults = {};
});

const open = (extra: Partial<Parameters<typeof CscSigner.open>[0]> = {}) =>
  CscSigner.open({ url: responder.base, login: { username: 'officer', password: 'mật-khẩu-1' }, credentialId: 'GX0112348', authData: { PIN: '12345678' }, ...extra } as Parameters<typeof CscSigner.open>[0]);

describe('CscSigner against an independent CSC v2 responder', () => {
  it('signs a PDF: the certificate chain from credentials/info, rsaEncryption with hashAlgorithmOID, the PIN in authData', async () => {
    const signer = await open();
    expect(signer.credential).toMatchObject({ credentialId: 'GX0112348', scal: '1', multisign: 5, authMode: 'explicit', authObjects: ['PIN'] });
    expect(signer.chain).toHaveLength(2);
    const pdf = await signPdf(await makePdfLibPdf(), { signer });
    const report = await verifyPdf(pdf, { trustStore: trust() });
    expect(report.signatures[0]!.indication).toBe('TOTAL_PASSED');
    if (hasTool('pdfsig')) {
      const file = join(tempDir(), 'csc-independent.pdf');
      writeFileSync(file, pdf);
      const [sig] = pdfsig(file, await nssDbForTestPki());
      expect(sig?.signatureValid, sig?.signatureText).toBe(true);
      expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    }
    // What went over the wire, against the specification's field names.
    expect(responder.calls.map((c) => c.path)).toEqual(['auth/login', 'credentials/info', 'credentials/authorize', 'signatures/signHash']);
    expect(responder.calls[0]!.authorization).toMatch(/^Basic /);
    expect(responder.calls[1]!.body).toMatchObject({ credentialID: 'GX0112348', certificates: 'chain' });
    expect(responder.calls[2]!.body).toEqual({ credentialID: 'GX0112348', numSignatures: 1, authData: [{ id: 'PIN', value: '12345678' }] });
    const sh = responder.calls[3]!.body;
    expect(Object.keys(sh).sort()).toEqual(['SAD', 'credentialID', 'hashAlgorithmOID', 'hashes', 'signAlgo']);
    expect(sh).toMatchObject({ signAlgo: '1.2.840.113549.1.1.1', hashAlgorithmOID: '2.16.840.1.101.3.4.2.1' });
    expect(Buffer.from((sh.hashes as string[])[0]!, 'base64')).toHaveLength(32);
    expect(responder.calls[3]!.authorization).toMatch(/^Bearer /);
  });

  it('one authorize for a batch; hashes leave in calls of at most multisign', async () => {
    const signer = await open({ signaturesPerAuthorization: 1 });
    await signer.authorize(12);
    const docs = await Promise.all(Array.from({ length: 12 }, () => makePdfLibPdf()));
    const pdfs = await Promise.all(docs.map((d) => signPdf(d, { signer })));
    expect(responder.count('credentials/authorize')).toBe(1);
    expect(responder.count('signatures/signHash')).toBe(3);
    expect(responder.calls.filter((c) => c.path === 'signatures/signHash').map((c) => (c.body.hashes as string[]).length)).toEqual([5, 5, 2]);
    for (const p of [pdfs[0]!, pdfs[11]!]) expect((await verifyPdf(p, { trustStore: trust() })).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('chooses the credential by certificate subject from credentials/list', async () => {
    const cn = /CN=([^,]+)/.exec(pki.organisation.subject)![1]!;
    const signer = await open({ credentialId: undefined, certificateSubject: cn.toLowerCase() });
    expect(signer.credential.credentialId).toBe('GX0112348');
  });

  it('OAuth2 client credentials: a token from oauth2/token, fetched again once when it expires', async () => {
    const signer = await open({ login: undefined, clientCredentials: { clientId: 'portal', clientSecret: 's3cr3t+/=' } });
    expect(responder.calls[0]!.path).toBe('oauth2/token');
    expect(responder.calls[0]!.body).toEqual({ grant_type: 'client_credentials' });
    responder.expireTokens();
    await signPdf(await makePdfLibPdf(), { signer });
    expect(responder.count('oauth2/token')).toBe(2);
  });

  it('a given bearer token is used as it is and never fetched again', async () => {
    const token = responder.issueToken();
    const signer = await open({ login: undefined, token });
    expect(responder.calls.every((c) => c.authorization === `Bearer ${token}`)).toBe(true);
    responder.expireTokens();
    const e = await refusal(signPdf(await makePdfLibPdf(), { signer }));
    expect(e.code).toBe('CSC_AUTH_FAILED');
    expect(e.message).not.toContain(token);
    expect(JSON.stringify(e.details)).not.toContain(token);
  });

  it('refusals in the specification’s error form become typed errors', async () => {
    // A wrong PIN.
    expect((await refusal((await open({ authData: { PIN: '00000000' } })).sign(new Uint8Array(10), 'SHA-256'))).code).toBe('CSC_SAD_REFUSED');
    // A SAD the service no longer accepts.
    const signer = await open();
    responder.faults = { fail: { path: 'signatures/signHash', status: 400, body: { error: 'invalid_request', error_description: 'Invalid parameter SAD' }, times: 1 } };
    const e = await refusal(signPdf(await makePdfLibPdf(), { signer }));
    expect(e.code).toBe('CSC_SAD_REFUSED');
    expect(e.details).toMatchObject({ method: 'signatures/signHash', status: 400, error: 'invalid_request', errorDescription: 'Invalid parameter SAD' });
    // An unknown credential, a disabled key.
    expect((await refusal(open({ credentialId: 'ZZ999' }))).code).toBe('CSC_CREDENTIAL_UNKNOWN');
    expect((await refusal(open({ credentialId: 'HX0224685' }))).code).toBe('CSC_CREDENTIAL_UNKNOWN');
    // An algorithm the credential does not list is refused before any call.
    expect((await refusal(open({ scheme: 'RSA-PSS' }))).code).toBe('CSC_ALGORITHM_UNSUPPORTED');
    // Failing, overloaded: the service's fault.
    responder.faults = { fail: { path: 'signatures/signHash', status: 503, body: { error: 'temporarily_unavailable', error_description: 'Try later' }, times: 1 } };
    expect((await refusal((await open()).sign(new Uint8Array(10), 'SHA-256'))).code).toBe('CSC_SERVICE_FAILED');
    // A wrong login.
    expect((await refusal(open({ login: { username: 'officer', password: 'sai' } }))).code).toBe('CSC_AUTH_FAILED');
  });

  it('a value that does not verify with the certificate never reaches a PDF', async () => {
    const signer = await open();
    responder.faults = { badSignature: true };
    const e = await refusal(signPdf(await makePdfLibPdf(), { signer }));
    expect(e.code).toBe('CSC_SERVICE_FAILED');
  });

  it('each call has a deadline', async () => {
    const signer = await open({ timeoutMs: 300 });
    responder.faults = { stall: 'credentials/authorize' };
    const t0 = Date.now();
    const e = await refusal(signer.sign(new Uint8Array(10), 'SHA-256'));
    expect(e.code).toBe('NETWORK_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('a hash of the wrong length is refused before it is sent', async () => {
    const signer = await open();
    const n = responder.calls.length;
    expect((await refusal(signer.signDigest(new Uint8Array(31), 'SHA-256'))).code).toBe('SIGN_OPTIONS_INVALID');
    expect(responder.calls.length).toBe(n);
  });
});
