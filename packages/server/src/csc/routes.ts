/**
 * The Cloud Signature Consortium API v2 under /csc/v2/: remote signing of
 * hashes with the configured identities (PKCS#12 and PKCS#11 alike). Each
 * identity an API key may use is a credential (credentialID = identity
 * name) of that key only; a key sees no other key's credentials, and is
 * told "no such credential" for them, as for one that does not exist.
 *
 * auth/login and oauth2/token trade an API key with the `csc` operation
 * for a short-lived access token (tokens.ts); every other method but info
 * takes that token. credentials/authorize issues a SAD for N signatures
 * (sad.ts), behind a PIN or TOTP where the identity asks for one
 * (auth-data.ts); signatures/signHash spends it, one private-key operation
 * and one audit record per hash. Refusals are the specification's JSON
 * error with kyso's stable code beside it (errors.ts).
 *
 * The routes live in their own fastify scope so that their error handler
 * and the form parser of oauth2/token reach no other route.
 */
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { isKysoError, tsaTimestamper, type DigestAlgorithm } from '@kyso/core';
import type { ServerContext } from '../context.js';
import type { Identity } from '../identities.js';
import type { ApiKeyRecord } from '../store/server-store.js';
import { hashApiKey } from '../api-keys.js';
import { credentialOf } from '../authentication.js';
import { countSignature } from '../metrics.js';
import { sha256Hex } from '../sha256.js';
import { HttpError, statusBody } from '../errors.js';
import { chooseAlgorithm, HASH_LENGTH, HASH_OID, offeredAlgorithms, type KeyFamily } from './algorithms.js';
import { AuthDataChecker, authObjects, readAuthRequirement, type AuthRequirement } from './auth-data.js';
import { cscErrors, cscErrorSchema, toCscErrorResponse } from './errors.js';
import { SadStore } from './sad.js';
import { AccessTokens } from './tokens.js';

export const CSC_PREFIX = '/csc/v2';
const SPECS = '2.0.0.2';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const CURVE_OID: Record<string, string> = { prime256v1: '1.2.840.10045.3.1.7', secp384r1: '1.3.132.0.34', secp521r1: '1.3.132.0.35' };
const METHODS = ['info', 'auth/login', 'oauth2/token', 'credentials/list', 'credentials/info', 'credentials/authorize', 'signatures/signHash'];

export interface CscRouteOptions {
  /** Clock in ms since the epoch (tests move it to expire tokens and SADs). */
  now?: () => number;
}

/** An identity as a CSC credential: what credentials/info says about it, read once. */
interface Credential {
  id: string;
  identity: Identity;
  family: KeyFamily;
  bits: number;
  curve?: string;
  algorithms: string[];
  auth: AuthRequirement;
  /** Signer first, then the issuers, DER. */
  certificates: Buffer[];
  cert: X509Certificate;
}

interface CredentialQuery {
  certificates?: 'none' | 'single' | 'chain';
  certInfo?: boolean;
  authInfo?: boolean;
}

// -------------------------------------------------------------- schemas

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid_request: CSC_CREDENTIAL_UNKNOWN, CSC_SAD_INVALID, CSC_SAD_EXPIRED, CSC_SAD_EXHAUSTED, CSC_AUTH_DATA_REQUIRED, CSC_AUTH_DATA_INVALID, CSC_HASH_INVALID, CSC_ALGORITHM_UNSUPPORTED, CSC_BATCH_TOO_LARGE, CSC_UNSUPPORTED, LEVEL_NEEDS_TSA, REQUEST_INVALID ("Invalid parameter <name>"), REQUEST_MALFORMED',
  401: 'invalid_token / invalid_client: CSC_TOKEN_INVALID, CSC_TOKEN_EXPIRED, AUTH_REQUIRED (with WWW-Authenticate)',
  403: 'access_denied: FORBIDDEN (the API key lacks the "csc" operation)',
  413: 'invalid_request: BODY_TOO_LARGE',
  415: 'invalid_request: UNSUPPORTED_MEDIA_TYPE (send application/json)',
  429: 'access_denied / temporarily_unavailable: CSC_AUTH_DATA_LOCKED, BUSY (with Retry-After)',
  500: 'server_error: INTERNAL',
  502: 'server_error: TSA_FAILED',
  503: 'temporarily_unavailable: AUDIT_UNAVAILABLE, SHUTTING_DOWN, PKCS11_*, TSA_UNAVAILABLE, NETWORK_*',
};

function cscErrorResponses(...extra: number[]): Record<number, Record<string, unknown>> {
  const out: Record<number, Record<string, unknown>> = {};
  for (const s of [400, 413, 415, 429, 500, 503, ...extra]) out[s] = { ...cscErrorSchema, description: STATUS_TEXT[s] ?? 'Error' };
  return out;
}

const withToken = (...extra: number[]) => cscErrorResponses(401, 403, ...extra);
const cscBearer = [{ bearerAuth: [] }];
const CLIENT_DATA = { clientData: { type: 'string', maxLength: 4096 } } as const;
const LANG = { lang: { type: 'string', maxLength: 35 } } as const;
const CREDENTIAL_ID = { type: 'string', minLength: 1, maxLength: 64, description: 'The credential: the name of an identity this API key may use' } as const;
const B64 = '^[A-Za-z0-9+/]*={0,2}$';
const HASH_OID_SCHEMA = { type: 'string', maxLength: 64, description: 'SHA-256 2.16.840.1.101.3.4.2.1, SHA-384 …2.2, SHA-512 …2.3' } as const;
const CERT_QUERY = {
  certificates: { type: 'string', enum: ['none', 'single', 'chain'], default: 'single' },
  certInfo: { type: 'boolean', default: false },
  authInfo: { type: 'boolean', default: false },
} as const;

const keyInfoSchema = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    algo: { type: 'array', items: { type: 'string' } },
    len: { type: 'integer' },
    curve: { type: 'string' },
  },
} as const;

const credentialInfoProperties = {
  description: { type: 'string' },
  key: keyInfoSchema,
  cert: {
    type: 'object',
    properties: {
      status: { type: 'string' },
      certificates: { type: 'array', items: { type: 'string' } },
      issuerDN: { type: 'string' },
      serialNumber: { type: 'string' },
      subjectDN: { type: 'string' },
      validFrom: { type: 'string' },
      validTo: { type: 'string' },
    },
  },
  auth: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['implicit', 'explicit'] },
      expression: { type: 'string' },
      objects: {
        type: 'array',
        items: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' }, format: { type: 'string' }, label: { type: 'string' }, description: { type: 'string' } } },
      },
    },
  },
  SCAL: { type: 'string' },
  multisign: { type: 'integer' },
  lang: { type: 'string' },
} as const;

// ------------------------------------------------------------ the scope

/**
 * Registers /csc/v2/. Awaited by create-server.ts: the identities' PINs and
 * TOTP secrets are read here, so a missing one stops the start, not the
 * first authorization.
 */
export async function registerCscRoutes(app: FastifyInstance, ctx: ServerContext, options: CscRouteOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const cfg = ctx.config.csc;
  const tokens = new AccessTokens(cfg.tokenTtlSeconds * 1000, now);
  const sads = new SadStore(cfg.sadTtlSeconds * 1000, now);
  const checker = new AuthDataChecker(now);
  const credentials = await openCredentials(ctx);
  // The keys the configuration lists, as create-server.ts trusts them: by hash, and only with the hash the configuration gives.
  const keys = new Map<string, ApiKeyRecord>();
  for (const k of await ctx.store.listApiKeys()) if (ctx.config.apiKeys.some((c) => c.id === k.id && c.sha256 === k.sha256)) keys.set(k.sha256, k);
  const hashCounter = new Counter({
    name: 'kyso_csc_hashes_total',
    help: 'Hashes signed over the CSC API (signatures/signHash), by identity, algorithm and result',
    labelNames: ['identity', 'algorithm', 'result'] as const,
    registers: [ctx.metrics.registry],
  });

  /** The API key behind the request's access token, or the CSC refusal. */
  const tokenKey = (req: FastifyRequest): ApiKeyRecord => {
    const c = credentialOf(req.headers.authorization);
    if (c.kind === 'none') throw cscErrors.tokenMissing();
    if (c.kind !== 'bearer') throw cscErrors.tokenInvalid();
    const found = tokens.lookup(c.token);
    if (found.state === 'unknown') throw cscErrors.tokenInvalid();
    req.kyso.key = found.key;
    if (found.state === 'expired') throw cscErrors.tokenExpired();
    if (!found.key.operations.includes('csc')) throw cscErrors.forbidden();
    return found.key;
  };

  /** The credential for this key: another key's, a disabled one and none at all are the same refusal. */
  const credentialFor = (req: FastifyRequest, key: ApiKeyRecord, id: string): Credential => {
    req.kyso.identity = id;
    const c = credentials.get(id);
    if (!c || !key.identities.includes(id)) throw cscErrors.credentialUnknown();
    return c;
  };

  /** The API key of auth/login or oauth2/token: Basic (key id and key), Bearer (the key), or client_id/client_secret in the form. */
  const loginKey = (req: FastifyRequest, form?: { client_id?: string; client_secret?: string }, urlEncoded = false): ApiKeyRecord => {
    const header = req.headers.authorization;
    let id: string | undefined;
    let secret: string | undefined;
    if (typeof header === 'string' && /^basic\s/i.test(header.trim())) {
      const decoded = Buffer.from(header.trim().slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw cscErrors.loginFailed();
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
      // RFC 6749 §2.3.1: the client id and secret are form-encoded before they go into Basic.
      if (urlEncoded) {
        try {
          id = decodeURIComponent(id.replace(/\+/g, ' '));
          secret = decodeURIComponent(secret.replace(/\+/g, ' '));
        } catch {
          throw cscErrors.loginFailed();
        }
      }
      if (form?.client_id !== undefined || form?.client_secret !== undefined) throw cscErrors.loginFailed();
    } else if (header !== undefined) {
      const c = credentialOf(header);
      if (c.kind !== 'bearer') throw cscErrors.loginFailed();
      secret = c.token;
    } else if (form?.client_secret !== undefined) {
      id = form.client_id;
      secret = form.client_secret;
    }
    if (secret === undefined) throw cscErrors.loginFailed();
    const key = keys.get(hashApiKey(secret));
    if (!key || (id !== undefined && id !== key.id)) throw cscErrors.loginFailed();
    req.kyso.key = key;
    if (!key.operations.includes('csc')) throw cscErrors.forbidden();
    return key;
  };

  await app.register(
    async (scope) => {
      scope.setErrorHandler(async (err, req, reply) => {
        const { status, body, headers } = toCscErrorResponse(err);
        if (status >= 500) req.log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'csc request failed');
        return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
      });
      // An unknown method, or a known one with another HTTP method, in the CSC form too (the rest of the service answers its own).
      const known = new Map<string, string[]>();
      scope.addHook('onRoute', (r) => {
        if (!r.url.startsWith(`${CSC_PREFIX}/`)) return;
        const list = known.get(r.url) ?? [];
        for (const m of Array.isArray(r.method) ? r.method : [r.method]) if (!list.includes(m)) list.push(m);
        known.set(r.url, list);
      });
      scope.setNotFoundHandler(async (req, reply) => {
        const allow = known.get(req.url.split('?')[0]!);
        const send = (status: number, body: Record<string, unknown>) => reply.code(status).type('application/json; charset=utf-8').send(body);
        if (allow) {
          reply.header('allow', allow.join(', '));
          return send(405, { error: 'invalid_request', error_description: 'Invalid HTTP method', ...statusBody(405) });
        }
        return send(404, { error: 'invalid_request', error_description: 'Unknown method', ...statusBody(404) });
      });
      // A body-less call of a method whose parameters are all optional is an empty object, as a client sending {} means.
      const emptyBody = async (req: FastifyRequest) => {
        if (req.body === undefined || req.body === null) req.body = {};
      };
      // Forms only for the token endpoint (OAuth 2.0 requires them there); every other method takes JSON.
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (req, body, done) => {
        if (req.routeOptions.url !== `${CSC_PREFIX}/oauth2/token`) {
          done(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json.', 'Hãy gửi application/json.'), undefined);
          return;
        }
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });

      const info = async (req: FastifyRequest) => ({
        specs: SPECS,
        name: 'kyso',
        region: 'VN',
        lang: 'vi-VN',
        description: 'kyso: ký số từ xa cho cơ quan nhà nước / remote signing for Vietnamese e-government (CSC API v2)',
        authType: ['basic', 'oauth2client'],
        oauth2: `${req.protocol}://${req.host}${CSC_PREFIX}`,
        methods: [...METHODS, ...(ctx.config.tsa ? ['signatures/timestamp'] : [])],
      });
      const infoSchema = {
        summary: 'CSC: thông tin dịch vụ / service information',
        description: 'The CSC API v2 (specs 2.0.0.2) of this service: the methods it offers (signatures/timestamp only when a TSA is configured) and its authentication types (basic: auth/login with an API key; oauth2client: oauth2/token, client_credentials).',
        tags: ['csc'],
        response: {
          200: {
            type: 'object',
            properties: {
              specs: { type: 'string' },
              name: { type: 'string' },
              region: { type: 'string' },
              lang: { type: 'string' },
              description: { type: 'string' },
              authType: { type: 'array', items: { type: 'string' } },
              oauth2: { type: 'string' },
              methods: { type: 'array', items: { type: 'string' } },
            },
          },
          ...cscErrorResponses(),
        },
      };
      scope.post('/info', { preValidation: emptyBody, schema: { ...infoSchema, body: { type: 'object', properties: { ...LANG }, additionalProperties: false } } }, info);
      scope.get('/info', { schema: { ...infoSchema, summary: 'CSC: thông tin dịch vụ (GET) / service information (GET)' } }, info);

      const tokenAnswer = {
        type: 'object',
        required: ['access_token', 'expires_in'],
        properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, expires_in: { type: 'integer' } },
      } as const;

      scope.post(
        '/auth/login',
        {
          config: { audit: 'csc.login' },
          preValidation: emptyBody,
          schema: {
            summary: 'CSC: đăng nhập bằng khóa API / log in with an API key',
            description:
              'Authorization: Basic base64(<key id>:<API key>), or Bearer <API key>; the key needs the "csc" operation. Answers an access token for the other methods, valid expires_in seconds (csc.tokenTtlSeconds). The token is kept only in this process: after a restart, or on another instance, log in again.',
            tags: ['csc'],
            security: [{ basicAuth: [] }, { bearerAuth: [] }],
            body: { type: 'object', properties: { refresh_token: { type: 'string', maxLength: 512 }, rememberMe: { type: 'boolean' }, ...CLIENT_DATA }, additionalProperties: false },
            response: { 200: tokenAnswer, ...cscErrorResponses(401, 403) },
          },
        },
        async (req) => {
          const key = loginKey(req);
          const { token, expiresIn } = tokens.issue(key);
          return { access_token: token, expires_in: expiresIn };
        },
      );

      scope.post<{ Body: { grant_type?: string; client_id?: string; client_secret?: string; scope?: string } }>(
        '/oauth2/token',
        {
          config: { audit: 'csc.login' },
          // The audit record names the grant, not a digest of a form that may carry the key.
          preValidation: async (req) => {
            req.kyso.inputSha256 = sha256Hex(Buffer.from(JSON.stringify({ grant_type: (req.body as { grant_type?: unknown } | undefined)?.grant_type ?? null })));
          },
          schema: {
            summary: 'CSC: mã truy cập OAuth 2.0 (client credentials) / OAuth 2.0 access token',
            description:
              'application/x-www-form-urlencoded, grant_type=client_credentials; the client is the API key: client_id = key id, client_secret = the key, in Basic (form-encoded, RFC 6749 §2.3.1) or in the form. Answers as auth/login does, with token_type Bearer.',
            tags: ['csc'],
            security: [{ basicAuth: [] }],
            body: {
              type: 'object',
              required: ['grant_type'],
              properties: { grant_type: { type: 'string', maxLength: 64 }, client_id: { type: 'string', maxLength: 128 }, client_secret: { type: 'string', maxLength: 512 }, scope: { type: 'string', maxLength: 256 } },
              additionalProperties: false,
            },
            response: { 200: tokenAnswer, ...cscErrorResponses(401, 403) },
          },
        },
        async (req, reply) => {
          if (req.body.grant_type !== 'client_credentials') throw cscErrors.grantType();
          const key = loginKey(req, req.body, true);
          const { token, expiresIn } = tokens.issue(key);
          reply.header('cache-control', 'no-store');
          return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
        },
      );

      scope.post<{ Body: CredentialQuery & { credentialInfo?: boolean; onlyValid?: boolean } }>(
        '/credentials/list',
        {
          preValidation: emptyBody,
          schema: {
            summary: 'CSC: danh sách thông tin ký / list the credentials',
            description: "The credentials of this API key: one per identity it may use (credentialID = the identity's name). With credentialInfo, each one's credentials/info as well.",
            tags: ['csc'],
            security: cscBearer,
            body: {
              type: 'object',
              properties: { userID: { type: 'string', maxLength: 256 }, credentialInfo: { type: 'boolean', default: false }, ...CERT_QUERY, onlyValid: { type: 'boolean', default: false }, ...LANG, ...CLIENT_DATA },
              additionalProperties: false,
            },
            response: {
              200: {
                type: 'object',
                required: ['credentialIDs'],
                properties: {
                  credentialIDs: { type: 'array', items: { type: 'string' } },
                  credentialInfos: { type: 'array', items: { type: 'object', properties: { credentialID: { type: 'string' }, ...credentialInfoProperties } } },
                  onlyValid: { type: 'boolean' },
                },
              },
              ...withToken(),
            },
          },
        },
        async (req) => {
          const key = tokenKey(req);
          const b = req.body ?? {};
          const t = now();
          const mine = key.identities.map((id) => credentials.get(id)).filter((c): c is Credential => c !== undefined && (!b.onlyValid || certStatus(c.cert, t) === 'valid'));
          return {
            credentialIDs: mine.map((c) => c.id),
            ...(b.credentialInfo ? { credentialInfos: mine.map((c) => ({ credentialID: c.id, ...infoOf(c, b, t, cfg.multisign) })) } : {}),
            ...(b.onlyValid ? { onlyValid: true } : {}),
          };
        },
      );

      scope.post<{ Body: CredentialQuery & { credentialID: string } }>(
        '/credentials/info',
        {
          schema: {
            summary: 'CSC: thông tin một thông tin ký / describe a credential',
            description: 'The key (status, algorithms as OIDs in key.algo, length in bits, curve), the certificate (none, single or the chain, base64 DER; with certInfo its subject, issuer, serial and validity), the authorization mode (explicit when a PIN or OTP is needed; with authInfo the objects to send in authData), SCAL 1 and multisign (hashes per signHash call).',
            tags: ['csc'],
            security: cscBearer,
            body: { type: 'object', required: ['credentialID'], properties: { credentialID: CREDENTIAL_ID, ...CERT_QUERY, ...LANG, ...CLIENT_DATA }, additionalProperties: false },
            response: { 200: { type: 'object', properties: credentialInfoProperties }, ...withToken() },
          },
        },
        async (req) => {
          const key = tokenKey(req);
          return infoOf(credentialFor(req, key, req.body.credentialID), req.body, now(), cfg.multisign);
        },
      );

      scope.post<{ Body: { credentialID: string; numSignatures: number; hashes?: string[]; hashAlgorithmOID?: string; description?: string; authData?: { id: string; value: string }[] } }>(
        '/credentials/authorize',
        {
          config: { audit: 'csc.authorize' },
          // The audit record names the request without the PIN or OTP: a digest of a short PIN is no secret.
          preValidation: async (req) => {
            const b = req.body as Record<string, unknown> | undefined;
            if (b && typeof b === 'object') req.kyso.inputSha256 = sha256Hex(Buffer.from(JSON.stringify({ credentialID: b.credentialID, numSignatures: b.numSignatures, hashes: b.hashes })));
          },
          schema: {
            summary: 'CSC: ủy quyền ký (SAD) / authorize signatures (SAD)',
            description:
              'Issues a signature activation data value (SAD) for numSignatures hashes of this credential, valid expiresIn seconds (csc.sadTtlSeconds), for this API key only (SCAL1). An explicit credential needs authData [{ "id": "PIN", "value": … }, { "id": "OTP", "value": … }]; five wrong values in a row lock it for this key for five minutes (429). With hashes (and hashAlgorithmOID), only those hashes may be signed with it.',
            tags: ['csc'],
            security: cscBearer,
            body: {
              type: 'object',
              required: ['credentialID', 'numSignatures'],
              properties: {
                credentialID: CREDENTIAL_ID,
                numSignatures: { type: 'integer', minimum: 1 },
                hashes: { type: 'array', minItems: 1, maxItems: 10_000, items: { type: 'string', maxLength: 100, pattern: B64 } },
                hashAlgorithmOID: HASH_OID_SCHEMA,
                description: { type: 'string', maxLength: 500 },
                authData: { type: 'array', maxItems: 4, items: { type: 'object', required: ['id', 'value'], properties: { id: { type: 'string', maxLength: 32 }, value: { type: 'string', maxLength: 256 } }, additionalProperties: false } },
                ...CLIENT_DATA,
              },
              additionalProperties: false,
            },
            response: {
              200: { type: 'object', required: ['SAD', 'expiresIn'], properties: { SAD: { type: 'string' }, expiresIn: { type: 'integer' } } },
              ...withToken(),
            },
          },
        },
        async (req) => {
          const key = tokenKey(req);
          const b = req.body;
          const c = credentialFor(req, key, b.credentialID);
          if (b.numSignatures > cfg.maxSignaturesPerSad) throw cscErrors.tooManySignatures(cfg.maxSignaturesPerSad);
          let bound: string[] | undefined;
          if (b.hashes !== undefined) {
            const digest = b.hashAlgorithmOID === undefined ? undefined : hashOid(b.hashAlgorithmOID);
            if (!digest) throw cscErrors.algorithm('hashAlgorithmOID');
            if (b.hashes.length !== b.numSignatures) throw new HttpError(400, 'REQUEST_INVALID', 'numSignatures must be the number of hashes.', 'numSignatures phải bằng số giá trị băm.');
            bound = b.hashes.map((h, i) => canonicalHash(h, i, digest));
          } else if (b.hashAlgorithmOID !== undefined && !hashOid(b.hashAlgorithmOID)) throw cscErrors.algorithm('hashAlgorithmOID');
          checker.check(key.id, c.id, c.auth, b.authData);
          const { sad, expiresIn } = sads.issue(key.id, c.id, b.numSignatures, bound);
          return { SAD: sad, expiresIn };
        },
      );

      scope.post<{ Body: { credentialID: string; SAD: string; hashes: string[]; hashAlgorithmOID?: string; signAlgo: string; signAlgoParams?: string; operationMode?: string } }>(
        '/signatures/signHash',
        {
          config: { audit: 'csc.signHash', limited: true },
          // Base64 of the largest batch, with room for the other fields.
          bodyLimit: 1024 * 1024,
          schema: {
            summary: 'CSC: ký các giá trị băm / sign hashes',
            description:
              'Signs up to multisign hashes (base64) with the credential, spending as many signatures of the SAD. signAlgo as OIDs: sha256/384/512WithRSAEncryption (1.2.840.113549.1.1.11-13), rsaEncryption (1.2.840.113549.1.1.1) with hashAlgorithmOID, RSASSA-PSS (1.2.840.113549.1.1.10) with signAlgoParams (DER RSASSA-PSS-params, base64), ecdsa-with-SHA256/384/512 (1.2.840.10045.4.3.2-4) or ecPublicKey (1.2.840.10045.2.1) with hashAlgorithmOID. Answers the signature values in the same order (RSA: the raw value; ECDSA: DER Ecdsa-Sig-Value). Every hash signed gets its own audit record (operation csc.signHash, inputSha256 = SHA-256 of the hash value, outputSha256 = SHA-256 of the signature value). Synchronous (operationMode S) only.',
            tags: ['csc'],
            security: cscBearer,
            body: {
              type: 'object',
              required: ['credentialID', 'SAD', 'hashes', 'signAlgo'],
              properties: {
                credentialID: CREDENTIAL_ID,
                SAD: { type: 'string', minLength: 1, maxLength: 512 },
                hashes: { type: 'array', minItems: 1, maxItems: 10_000, items: { type: 'string', maxLength: 100 } },
                hashAlgorithmOID: HASH_OID_SCHEMA,
                signAlgo: { type: 'string', maxLength: 64 },
                signAlgoParams: { type: 'string', maxLength: 400 },
                operationMode: { type: 'string', maxLength: 1 },
                validity_period: { type: 'integer' },
                response_uri: { type: 'string', maxLength: 2048 },
                ...CLIENT_DATA,
              },
              additionalProperties: false,
            },
            response: {
              200: { type: 'object', required: ['signatures'], properties: { signatures: { type: 'array', items: { type: 'string' } } } },
              ...withToken(),
            },
          },
        },
        async (req, reply) => signHash(req, reply),
      );

      async function signHash(
        req: FastifyRequest<{ Body: { credentialID: string; SAD: string; hashes: string[]; hashAlgorithmOID?: string; signAlgo: string; signAlgoParams?: string; operationMode?: string } }>,
        reply: FastifyReply,
      ) {
        const key = tokenKey(req);
        const b = req.body;
        req.kyso.inputSha256 = sha256Hex(Buffer.from(JSON.stringify(b.hashes)));
        const c = credentialFor(req, key, b.credentialID);
        if (b.operationMode !== undefined && b.operationMode !== 'S') throw cscErrors.operationMode();
        if (!c.algorithms.includes(b.signAlgo)) throw cscErrors.algorithm('signAlgo');
        const algo = chooseAlgorithm(c.family, b.signAlgo, b.hashAlgorithmOID, b.signAlgoParams);
        if (b.hashes.length > cfg.multisign) throw cscErrors.tooManyHashes(cfg.multisign);
        const hashes = b.hashes.map((h, i) => decodeHash(h, i, algo.digest));
        const canonical = hashes.map((h) => h.toString('base64'));
        const giveBack = sads.spend(b.SAD, key.id, c.id, canonical);
        let values: Uint8Array[];
        try {
          values = await ctx.limiter.run(() => ctx.pool.signDigests(c.identity.signer, hashes, algo.digest, algo.scheme));
        } catch (e) {
          // Nothing was returned: the signatures the SAD covered are still the client's to use.
          giveBack();
          hashCounter.inc({ identity: c.id, algorithm: algo.name, result: 'error' }, hashes.length);
          countSignature(ctx.metrics, c.id, 'csc', e);
          throw isKysoError(e) && (e.code === 'SIGN_OPTIONS_INVALID' || e.code === 'PKCS11_MECHANISM_UNSUPPORTED') ? cscErrors.algorithm('signAlgo') : e;
        }
        hashCounter.inc({ identity: c.id, algorithm: algo.name, result: 'ok' }, hashes.length);
        ctx.metrics.signatures.inc({ identity: c.id, level: 'csc', result: 'ok' }, hashes.length);
        // One record per hash, all written before any value leaves (the writer commits them together).
        const time = new Date(now()).toISOString();
        const entries = hashes.map((h, i) => ({ time, keyId: key.id, identity: c.id, operation: 'csc.signHash', inputSha256: sha256Hex(h), outputSha256: sha256Hex(values[i]!), code: null, field: null, result: 'ok', status: 200 }));
        const store = ctx.store;
        const records = await (store.appendAuditMany ? store.appendAuditMany(entries) : Promise.all(entries.map((e) => store.appendAudit(e)))).catch((e: unknown) => {
          req.log.error({ err: { message: (e as Error).message } }, 'audit log write failed');
          return undefined;
        });
        if (!records) {
          req.kyso.auditId = -1;
          throw new HttpError(503, 'AUDIT_UNAVAILABLE', 'The audit log cannot be written; nothing was returned. Retry later.', 'Không ghi được nhật ký kiểm toán; chưa trả kết quả. Hãy thử lại sau.', { 'retry-after': '5' });
        }
        req.kyso.auditId = records[records.length - 1]!.seq;
        reply.header('x-kyso-audit-id', `${records[0]!.seq}-${records[records.length - 1]!.seq}`);
        // Base64 needs no JSON escaping: written directly rather than scanned by the serializer, character by character, 50 values a call.
        const list = values.map((v) => `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`).join(',');
        return reply.type('application/json; charset=utf-8').send(`{"signatures":[${list}]}`);
      }

      if (ctx.config.tsa) {
        const tsa = ctx.config.tsa;
        const stamper = tsaTimestamper({ url: tsa.url, timeoutMs: tsa.timeoutMs ?? 10_000 });
        scope.post<{ Body: { hash: string; hashAlgorithmOID: string; nonce?: string } }>(
          '/signatures/timestamp',
          {
            config: { audit: 'csc.timestamp', limited: true },
            schema: {
              summary: 'CSC: dấu thời gian cho một giá trị băm / time-stamp a hash',
              description: "An RFC 3161 time-stamp token (base64 DER) over the hash from the service's TSA. The nonce in the token is one kyso chose and checked; a client nonce is refused.",
              tags: ['csc'],
              security: cscBearer,
              body: {
                type: 'object',
                required: ['hash', 'hashAlgorithmOID'],
                properties: { hash: { type: 'string', maxLength: 100 }, hashAlgorithmOID: HASH_OID_SCHEMA, nonce: { type: 'string', maxLength: 128 }, ...CLIENT_DATA },
                additionalProperties: false,
              },
              response: { 200: { type: 'object', required: ['timestamp'], properties: { timestamp: { type: 'string' } } }, ...withToken(502) },
            },
          },
          async (req) => {
            tokenKey(req);
            const b = req.body;
            if (b.nonce !== undefined) throw cscErrors.nonce();
            const digest = hashOid(b.hashAlgorithmOID);
            if (!digest) throw cscErrors.algorithm('hashAlgorithmOID');
            const hash = decodeHash(b.hash, 0, digest);
            const token = await ctx.limiter.run(() => stamper.timestamp(new Uint8Array(hash), digest));
            req.kyso.outputSha256 = sha256Hex(token);
            return { timestamp: Buffer.from(token).toString('base64') };
          },
        );
      }
    },
    { prefix: CSC_PREFIX },
  );
}

// --------------------------------------------------------------- helpers

function hashOid(oid: string): DigestAlgorithm | undefined {
  return Object.prototype.hasOwnProperty.call(HASH_OID, oid) ? HASH_OID[oid] : undefined;
}

/** A hash as sent (base64, or base64url as some clients write it), refused unless it is exactly as long as its digest. */
function decodeHash(text: string, i: number, digest: DigestAlgorithm): Buffer {
  const want = HASH_LENGTH[digest];
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw cscErrors.hashInvalid(i, want);
  const b = Buffer.from(text, 'base64');
  if (b.length !== want) throw cscErrors.hashInvalid(i, want);
  return b;
}

function canonicalHash(text: string, i: number, digest: DigestAlgorithm): string {
  return decodeHash(text, i, digest).toString('base64');
}

/** Identities as credentials: every one with csc not disabled whose key can sign a precomputed hash. */
async function openCredentials(ctx: ServerContext): Promise<Map<string, Credential>> {
  const out = new Map<string, Credential>();
  for (const conf of ctx.config.identities) {
    if (conf.csc?.enabled === false) continue;
    const identity = ctx.identities.get(conf.name);
    if (!identity || typeof identity.signer.signDigest !== 'function') continue;
    const cert = new X509Certificate(Buffer.from(identity.signer.certificate));
    const key = cert.publicKey;
    const type = key.asymmetricKeyType;
    if (type !== 'rsa' && type !== 'rsa-pss' && type !== 'ec') continue;
    const family: KeyFamily = type === 'ec' ? 'EC' : 'RSA';
    const details = key.asymmetricKeyDetails ?? {};
    const curve = details.namedCurve;
    if (family === 'EC' && (curve === undefined || !CURVE_OID[curve])) continue;
    const bits = family === 'RSA' ? (details.modulusLength ?? 0) : curve === 'prime256v1' ? 256 : curve === 'secp384r1' ? 384 : 521;
    // An id-RSASSA-PSS key makes PSS only; a signer configured for PSS is kept to it too (its certificate may say so to relying parties).
    const pssOnly = type === 'rsa-pss' || identity.signer.signatureAlgorithm.scheme === 'RSA-PSS';
    const algorithms = offeredAlgorithms(family).filter((o) => !pssOnly || o === RSASSA_PSS);
    out.set(conf.name, {
      id: conf.name,
      identity,
      family,
      bits,
      ...(family === 'EC' ? { curve: CURVE_OID[curve!]! } : {}),
      algorithms,
      auth: await readAuthRequirement(conf.name, conf.csc),
      certificates: [identity.signer.certificate, ...identity.signer.chain].map((d) => Buffer.from(d)),
      cert,
    });
  }
  return out;
}

function certStatus(cert: X509Certificate, t: number): string {
  if (new Date(cert.validFrom).getTime() > t) return 'not yet valid';
  if (new Date(cert.validTo).getTime() < t) return 'expired';
  return 'valid';
}

/** GeneralizedTime as the specification writes validFrom/validTo: YYYYMMDDHHMMSSZ. */
function generalizedTime(text: string): string {
  return new Date(text).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** An RFC 4514 distinguished name from node's one-attribute-per-line form (most significant last). */
function dn(text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .reverse()
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      return `${rdn.slice(0, eq)}=${rdn.slice(eq + 1).replace(/([,+"\\<>;])/g, '\\$1')}`;
    })
    .join(',');
}

/** The answer of credentials/info (and of each credentials/list entry): certificates and their details as far as the query asks. */
function infoOf(c: Credential, q: CredentialQuery, t: number, multisign: number): Record<string, unknown> {
  const which = q.certificates ?? 'single';
  const objects = authObjects(c.auth);
  return {
    description: `${c.identity.name} (${c.identity.agency})`,
    key: { status: 'enabled', algo: c.algorithms, len: c.bits, ...(c.curve ? { curve: c.curve } : {}) },
    cert: {
      status: certStatus(c.cert, t),
      ...(which === 'none' ? {} : { certificates: (which === 'chain' ? c.certificates : c.certificates.slice(0, 1)).map((d) => d.toString('base64')) }),
      ...(q.certInfo
        ? { issuerDN: dn(c.cert.issuer), serialNumber: c.cert.serialNumber.toUpperCase(), subjectDN: dn(c.cert.subject), validFrom: generalizedTime(c.cert.validFrom), validTo: generalizedTime(c.cert.validTo) }
        : {}),
    },
    auth: objects.length === 0 ? { mode: 'implicit' } : { mode: 'explicit', ...(objects.length > 1 ? { expression: objects.map((o) => o.id).join(' AND ') } : {}), objects },
    SCAL: '1',
    multisign,
    lang: 'vi-VN',
  };
}
