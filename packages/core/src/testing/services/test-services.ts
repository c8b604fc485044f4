/**
 * startTestServices: the TEST PKI's TSA, OCSP responder, CRL distribution
 * points and CA certificates on one node:http server on 127.0.0.1, with
 * fault modes (slow, down, garbage) for tests. Paths match the URLs the
 * TEST PKI writes into its certificates:
 *
 *   POST /tsa                      RFC 3161 (application/timestamp-query → -reply)
 *   POST /ocsp, GET /ocsp/<b64>    RFC 6960
 *   GET  /crl/issuing.crl, /crl/root.crl   DER CRLs
 *   GET  /crt/issuing.crt, /crt/root.crt   DER certificates
 *
 * Certificates only point at this server when the PKI was created for its
 * port: pass a factory (`(baseUrl) => createTestPki({ baseUrl })`) and the
 * server listens first, then creates the PKI for its own address.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { KysoError } from '../../errors.js';
import type { RevocationReason } from '../../time/revocation-reason.js';
import type { TestEntity, TestPki } from '../test-pki.js';
import { createCrlIssuer } from './crl-issuer.js';
import { createOcspResponder } from './ocsp-responder.js';
import { issuerOfSerial, normaliseSerialHex, TEST_TSA_POLICY_OID, type ServiceState, type TestCa, type TestServiceHooks } from './state.js';
import { createTsaResponder } from './tsa-responder.js';

export type TestServiceName = 'tsa' | 'ocsp' | 'crl' | 'crt';
export type TestServiceMode = 'normal' | 'slow' | 'down' | 'garbage';

export interface TestServicesOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Clock of every service (genTime, thisUpdate, ...). Default `() => new Date()`. */
  clock?: () => Date;
  /** TSA policy OID. Default TEST_TSA_POLICY_OID (BCY's real one is 2.16.704.1.1.1.2). */
  tsaPolicy?: string;
  /** Accuracy written in TSTInfo. Default 1000 ms. */
  tsaAccuracyMs?: number;
  /** nextUpdate − thisUpdate of OCSP answers. Default 1 hour. */
  ocspValidityMs?: number;
  /** ResponderID form. Default 'name'. */
  ocspResponderId?: 'name' | 'key';
  /** nextUpdate − thisUpdate of CRLs. Default 24 hours. */
  crlValidityMs?: number;
}

export interface SetModeOptions {
  /** 'slow': delay before answering. Default 3000 ms. */
  delayMs?: number;
  /** 'slow' and 'garbage' apply to these services only. Default: all. ('down' always stops the whole server.) */
  services?: TestServiceName[];
}

export interface RevokeOptions {
  /** Revocation time. Default: the services' clock now. */
  at?: Date;
  reason?: RevocationReason;
  /** The CA that issued the certificate. Default: found in the PKI by serial, else 'issuing'. */
  issuer?: TestCa;
}

export interface TestServices {
  readonly baseUrl: string;
  readonly port: number;
  readonly pki: TestPki;
  /** True when the PKI's certificates carry this server's URLs. */
  readonly pkiMatchesServer: boolean;
  readonly tsaUrl: string;
  readonly ocspUrl: string;
  readonly tsaPolicy: string;
  crlUrl(issuer?: TestCa | TestEntity): string;
  /** Marks a certificate revoked for OCSP and the CRL. */
  revoke(serialHex: string, options?: RevokeOptions): void;
  /** Takes a certificate off the list again (end of a certificateHold). */
  unrevoke(serialHex: string): void;
  setMode(mode: TestServiceMode, options?: SetModeOptions): Promise<void>;
  readonly mode: TestServiceMode;
  /** Requests received per service (also counted in fault modes, except 'down'). */
  readonly requests: Record<TestServiceName | 'other', number>;
  /** Misbehaviour on purpose, for negative tests. */
  hooks: TestServiceHooks;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 64 * 1024;
const HOST = '127.0.0.1';

export async function startTestServices(pki: TestPki | ((baseUrl: string) => Promise<TestPki>), options: TestServicesOptions = {}): Promise<TestServices> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let mode: TestServiceMode = 'normal';
  let modeOptions: SetModeOptions = {};
  const requests: Record<TestServiceName | 'other', number> = { tsa: 0, ocsp: 0, crl: 0, crt: 0, other: 0 };
  let handle: (req: http.IncomingMessage, body: Uint8Array) => { status: number; type: string; body: Uint8Array; service: TestServiceName | 'other' } = () => ({
    status: 503,
    type: 'text/plain',
    body: new Uint8Array(Buffer.from('starting')),
    service: 'other',
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let answer: ReturnType<typeof handle>;
      try {
        answer = handle(req, new Uint8Array(Buffer.concat(chunks)));
      } catch (e) {
        answer = { status: 500, type: 'text/plain', body: new Uint8Array(Buffer.from(String(e))), service: 'other' };
      }
      requests[answer.service]++;
      const applies = modeOptions.services === undefined || (answer.service !== 'other' && modeOptions.services.includes(answer.service));
      const send = (): void => {
        if (res.destroyed) return;
        if (mode === 'garbage' && applies) {
          const junk = randomBytes(64 + Math.floor(Math.random() * 448));
          res.writeHead(200, { 'content-type': answer.type, 'content-length': junk.byteLength }).end(junk);
          return;
        }
        res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.byteLength }).end(Buffer.from(answer.body));
      };
      if (mode === 'slow' && applies) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, modeOptions.delayMs ?? 3000);
        timers.add(t);
      } else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      server.listen(port, HOST, () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      server.closeAllConnections();
    });

  let port: number;
  try {
    port = await listen(options.port ?? 0);
  } catch (cause) {
    throw new KysoError('IO_ERROR', `Cannot listen on ${HOST}:${options.port ?? 0}`, { vi: `Không mở được cổng ${HOST}:${options.port ?? 0}`, cause });
  }
  const baseUrl = `http://${HOST}:${port}`;
  let thePki: TestPki;
  try {
    thePki = typeof pki === 'function' ? await pki(baseUrl) : pki;
  } catch (e) {
    await stop();
    throw e;
  }

  const state: ServiceState = {
    pki: thePki,
    clock: options.clock ?? (() => new Date()),
    tsaPolicy: options.tsaPolicy ?? TEST_TSA_POLICY_OID,
    tsaAccuracyMs: options.tsaAccuracyMs ?? 1000,
    ocspValidityMs: options.ocspValidityMs ?? 3_600_000,
    ocspResponderId: options.ocspResponderId ?? 'name',
    crlValidityMs: options.crlValidityMs ?? 24 * 3_600_000,
    revoked: new Map(),
    version: 0,
    hooks: {},
  };
  const tsa = createTsaResponder(state);
  const ocsp = createOcspResponder(state);
  const crl = createCrlIssuer(state);

  const ok = (service: TestServiceName, type: string, body: Uint8Array): ReturnType<typeof handle> => ({ status: 200, type, body, service });
  const fail = (status: number, service: TestServiceName | 'other'): ReturnType<typeof handle> => ({ status, type: 'text/plain', body: new Uint8Array(0), service });
  handle = (req, body) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    if (path === '/tsa') {
      if (method !== 'POST') return fail(405, 'tsa');
      return ok('tsa', 'application/timestamp-reply', tsa(body));
    }
    if (path === '/ocsp' || path === '/ocsp/') {
      if (method !== 'POST') return fail(405, 'ocsp');
      return ok('ocsp', 'application/ocsp-response', ocsp(body));
    }
    if (path.startsWith('/ocsp/') && method === 'GET') {
      let der: Uint8Array;
      try {
        der = new Uint8Array(Buffer.from(decodeURIComponent(path.slice('/ocsp/'.length)), 'base64'));
      } catch {
        return fail(400, 'ocsp');
      }
      return ok('ocsp', 'application/ocsp-response', ocsp(der));
    }
    if (method !== 'GET') return fail(405, 'other');
    if (path === '/crl/issuing.crl') return ok('crl', 'application/pkix-crl', crl('issuing'));
    if (path === '/crl/root.crl') return ok('crl', 'application/pkix-crl', crl('root'));
    if (path === '/crt/issuing.crt') return ok('crt', 'application/pkix-cert', state.pki.issuing.certDer);
    if (path === '/crt/root.crt') return ok('crt', 'application/pkix-cert', state.pki.root.certDer);
    return fail(404, 'other');
  };

  return {
    baseUrl,
    port,
    pki: thePki,
    pkiMatchesServer: thePki.baseUrl.replace(/\/+$/, '') === baseUrl,
    tsaUrl: `${baseUrl}/tsa`,
    ocspUrl: `${baseUrl}/ocsp`,
    tsaPolicy: state.tsaPolicy,
    crlUrl(issuer: TestCa | TestEntity = 'issuing') {
      const which = typeof issuer === 'string' ? issuer : issuer.role === 'root' ? 'root' : 'issuing';
      return `${baseUrl}/crl/${which}.crl`;
    },
    revoke(serialHex, opts = {}) {
      const s = normaliseSerialHex(serialHex);
      state.revoked.set(s, {
        at: opts.at ?? state.clock(),
        ...(opts.reason ? { reason: opts.reason } : {}),
        issuer: opts.issuer ?? issuerOfSerial(state.pki, s) ?? 'issuing',
      });
      state.version++;
    },
    unrevoke(serialHex) {
      state.revoked.delete(normaliseSerialHex(serialHex));
      state.version++;
    },
    async setMode(next, opts = {}) {
      if (next === 'down' && mode !== 'down') await stop();
      if (next !== 'down' && mode === 'down') await listen(port);
      mode = next;
      modeOptions = opts;
    },
    get mode() {
      return mode;
    },
    requests,
    get hooks() {
      return state.hooks;
    },
    set hooks(h: TestServiceHooks) {
      state.hooks = h;
    },
    close: stop,
  };
}
