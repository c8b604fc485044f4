/**
 * Requirement: bad requests (not a PDF, truncated PDF, oversized body, wrong
 * API key, key for another agency, unknown identity, expired two-step session,
 * forged signature value, malformed JSON, and friends) each get the right 4xx
 * with a typed `{ code, message, messageVi }` body, and leave no partial file
 * and no audit gap. Proven over real loopback HTTP, one table row per bad
 * request and route.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@kyso/server';
import { hasTool } from '../../core/test/helpers/external-tools.js';
import { encrypted } from '../../core/test/helpers/fixtures.js';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

type Route = '/v1/sign' | '/v1/verify' | '/v1/sign/prepare' | '/v1/sign/complete' | '/v1/codes/result' | '/v1/certified-copies';

/** The operation each route writes into the audit log (its `config.audit`). */
const AUDIT_OP: Record<Route, string> = {
  '/v1/sign': 'sign',
  '/v1/verify': 'verify',
  '/v1/sign/prepare': 'sign.prepare',
  '/v1/sign/complete': 'sign.complete',
  '/v1/codes/result': 'codes.result',
  '/v1/certified-copies': 'certified-copy',
};

interface Row {
  what: string;
  route: Route;
  /** Builds the request; may do setup (prepare a session) before the snapshots are taken. */
  request: () => Promise<{ query?: string; init: RequestInit }> | { query?: string; init: RequestInit };
  status: number;
  code: string;
  /** The key id the audit record should name: null when no valid key was presented. */
  keyId: string | null;
  /** Extra checks once the request has failed. */
  after?: () => Promise<void>;
}

// The session lifetime floor the config allows: small enough to let one session truly expire during the run.
const TTL_SECONDS = 10;
const BODY_LIMIT = 200 * 1024;

let t: TwoAgencies;
/** A session prepared at start-up, completed only once its lifetime is over. */
let expiring: Session;

interface Session {
  sessionId: string;
  toBeSigned: Buffer;
  expiresAt: number;
}

const pdfHeaders = (key?: string): Record<string, string> => ({ 'content-type': 'application/pdf', ...(key ? bearer(key) : {}) });
const jsonHeaders = (key?: string): Record<string, string> => ({ 'content-type': 'application/json', ...(key ? bearer(key) : {}) });
const basicAuth = { authorization: `Basic ${Buffer.from('binh:secret').toString('base64')}` };
const NOT_A_KEY = 'kyso_0000000000000000000000000000000000000000000';

const notPdf = () => Buffer.from('Kính gửi: Ủy ban nhân dân tỉnh Bình Định. This is a letter, not a PDF.\n');
/** Cut in the middle: no startxref left at the end. */
const truncatedPdf = () => {
  const s = samplePdf();
  return s.subarray(0, Math.floor(s.length / 2));
};
/** Complete file whose startxref points into the middle of an object, where no cross-reference section is. */
const brokenXrefPdf = () => {
  const s = samplePdf();
  const at = s.lastIndexOf('startxref');
  return Buffer.concat([s.subarray(0, at), Buffer.from(`startxref\n${Math.floor(s.length / 2)}\n%%EOF\n`, 'latin1')]);
};
const HAS_QPDF = hasTool('qpdf');
let encryptedPdf: Buffer;
let passwordPdf: Buffer;
/** Starts like a PDF so only the size can be wrong. */
const oversizedPdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(BODY_LIMIT + 100 * 1024, 0x20)]);

const chainB64 = (): string[] => [t.pki.personal.certDer, t.pki.issuing.certDer, t.pki.root.certDer].map((d) => Buffer.from(d).toString('base64'));
const prepareBody = (pdf: Buffer) => JSON.stringify({ pdf: pdf.toString('base64'), certificateChain: chainB64() });
const genuine = (s: Session) => nodeSign('sha256', s.toBeSigned, createPrivateKey(t.pki.personal.keyPem)).toString('base64');
/** Signed with a real key of the same hierarchy, but not the one whose certificate the session holds. */
const forged = (s: Session) => nodeSign('sha256', s.toBeSigned, createPrivateKey(t.pki.organisation.keyPem)).toString('base64');
const completeBody = (sessionId: string, signature: string) => JSON.stringify({ sessionId, signature });

async function prepareSession(key: string): Promise<Session> {
  const r = await fetch(`${t.url}/v1/sign/prepare`, { method: 'POST', headers: jsonHeaders(key), body: prepareBody(samplePdf()) });
  const out = (await r.json()) as { sessionId: string; toBeSigned: string; expiresAt: string };
  expect(r.status, JSON.stringify(out)).toBe(200);
  return { sessionId: out.sessionId, toBeSigned: Buffer.from(out.toBeSigned, 'base64'), expiresAt: Date.parse(out.expiresAt) };
}

/** Every file under the data directory, relative names. */
function filesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath?: string; path?: string; isFile(): boolean }[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path ?? dir, e.name)))
    .sort();
}

/** Read beside the server's own connection (WAL): sessions have no listing API. */
function sessionCount(): number {
  const db = new Database(join(t.dataDir, 'server.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM kyso_sign_sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function lastAuditSeq(): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await t.server.store.listAudit({ after, limit: 1000 });
    if (page.length === 0) return after;
    after = page[page.length - 1]!.seq;
  }
}

const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/;

/** What an error body must never carry: stack frames, file system paths, keys. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (/\bat [^\s]+ \(?[^)]*:\d+:\d+\)?/.test(text) || /\n\s+at /.test(text)) found.push('stack frame');
  if (/"stack"/.test(text)) found.push('stack property');
  for (const p of ['node_modules', 'file://', '/work/', '/home/', '/usr/', t.dataDir, tmpdir()]) if (text.includes(p)) found.push(`path ${p}`);
  if (/\.(?:ts|js|cjs|mjs):\d+/.test(text)) found.push('source location');
  for (const k of Object.values(t.keys)) if (text.includes(k)) found.push('an API key');
  // The 401 text names the scheme (`Bearer <key>`): only a presented key or key material is a leak.
  if (text.includes(NOT_A_KEY) || text.includes('PRIVATE KEY') || text.includes(Buffer.from('binh:secret').toString('base64'))) found.push('a secret');
  return found;
}

beforeAll(async () => {
  t = await startTwoAgencies({ bodyLimit: BODY_LIMIT, twoStep: { sessionTtlSeconds: TTL_SECONDS } });
  if (HAS_QPDF) {
    encryptedPdf = Buffer.from(encrypted(samplePdf()));
    passwordPdf = Buffer.from(encrypted(samplePdf(), 'user-pw'));
  }
  // Prepared first so its lifetime runs out while the table runs.
  expiring = await prepareSession(t.keys.binh);
});
afterAll(async () => {
  await t?.server.close();
});

let owners = 0;
/** A new citizen per row (province 052, Bình Định): a failed copy voids that owner's result code for the day, which must not leak into the next row. */
const freshOwner = () => `0520900${String(++owners).padStart(5, '0')}`;
const copyQuery = (extra = '', owner = freshOwner()) => `officer=binh-dinh&agency=binh-dinh&owner=${owner}&book=2${extra}`;
let idem = 0;
/** A fresh Idempotency-Key: a reused one would replay the earlier outcome instead of exercising this request. */
const copyHeaders = (contentType: string, auth: Record<string, string>) => ({ 'content-type': contentType, 'idempotency-key': `bad-${++idem}`, ...auth });

/** Sessions the rows prepared, to check after the table what became of them. */
const sessions: { forged?: Session; foreign?: Session } = {};

const rows: Row[] = [
  // Not a PDF.
  { what: 'not a PDF', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: notPdf() } }), status: 422, code: 'PDF_NOT_PDF', keyId: 'binh' },
  { what: 'not a PDF', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: notPdf() } }), status: 422, code: 'PDF_NOT_PDF', keyId: null },
  { what: 'not a PDF', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: prepareBody(notPdf()) } }), status: 422, code: 'PDF_NOT_PDF', keyId: 'binh' },
  { what: 'not a PDF', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: notPdf() } }), status: 422, code: 'PDF_NOT_PDF', keyId: 'binh' },

  // Truncated PDF.
  { what: 'truncated PDF', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: truncatedPdf() } }), status: 422, code: 'PDF_TRUNCATED', keyId: 'binh' },
  { what: 'truncated PDF', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: truncatedPdf() } }), status: 422, code: 'PDF_TRUNCATED', keyId: null },
  { what: 'truncated PDF', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: prepareBody(truncatedPdf()) } }), status: 422, code: 'PDF_TRUNCATED', keyId: 'binh' },
  { what: 'truncated PDF', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: truncatedPdf() } }), status: 422, code: 'PDF_TRUNCATED', keyId: 'binh' },

  // Broken cross-reference data.
  { what: 'broken xref', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: brokenXrefPdf() } }), status: 422, code: 'PDF_XREF_BROKEN', keyId: 'binh' },
  { what: 'broken xref', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: brokenXrefPdf() } }), status: 422, code: 'PDF_XREF_BROKEN', keyId: null },
  { what: 'broken xref', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: prepareBody(brokenXrefPdf()) } }), status: 422, code: 'PDF_XREF_BROKEN', keyId: 'binh' },
  { what: 'broken xref', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: brokenXrefPdf() } }), status: 422, code: 'PDF_XREF_BROKEN', keyId: 'binh' },

  // Encrypted PDFs (qpdf AES-256). One with a user password, given no password, opens nowhere (an empty user password would open it: signing and verifying such files is correct).
  // A certified copy refuses any encrypted original, even one that opens: it must be readable by everyone it is given to.
  // The fixtures are made by qpdf; without it these rows are left out rather than failing for a missing tool.
  ...(HAS_QPDF
    ? ([
      { what: 'PDF with a user password, none given', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: passwordPdf } }), status: 422, code: 'PDF_PASSWORD_REQUIRED', keyId: 'binh' },
      { what: 'PDF with a user password, none given', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: passwordPdf } }), status: 422, code: 'PDF_PASSWORD_REQUIRED', keyId: null },
      { what: 'PDF with a user password, none given', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: prepareBody(passwordPdf) } }), status: 422, code: 'PDF_PASSWORD_REQUIRED', keyId: 'binh' },
      { what: 'encrypted PDF (empty user password)', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: encryptedPdf } }), status: 422, code: 'PDF_ENCRYPTED', keyId: 'binh' },
    ] satisfies Row[])
    : []),

  // Oversized body: each route's own limit (bodyLimit for PDFs, its base64 size plus 1 MiB for prepare, fastify's 1 MiB for JSON).
  { what: 'oversized body', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: oversizedPdf() } }), status: 413, code: 'BODY_TOO_LARGE', keyId: 'binh' },
  { what: 'oversized body', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: oversizedPdf() } }), status: 413, code: 'BODY_TOO_LARGE', keyId: null },
  {
    what: 'oversized body',
    route: '/v1/sign/prepare',
    request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: JSON.stringify({ pdf: 'A'.repeat(Math.ceil((BODY_LIMIT * 4) / 3) + 1024 * 1024 + 64 * 1024), certificateChain: chainB64() }) } }),
    status: 413,
    code: 'BODY_TOO_LARGE',
    keyId: 'binh',
  },
  {
    what: 'oversized body',
    route: '/v1/sign/complete',
    request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody('x', 'A'.repeat(1024 * 1024 + 1024)) } }),
    status: 413,
    code: 'BODY_TOO_LARGE',
    keyId: 'binh',
  },
  {
    what: 'oversized body',
    route: '/v1/codes/result',
    request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: JSON.stringify({ owner: '052090000495', type: 'G15.000021', suffix: 'x'.repeat(1024 * 1024 + 1024) }) } }),
    status: 413,
    code: 'BODY_TOO_LARGE',
    keyId: 'binh',
  },
  { what: 'oversized body', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: oversizedPdf() } }), status: 413, code: 'BODY_TOO_LARGE', keyId: 'binh' },

  // Wrong API key.
  { what: 'wrong API key', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(NOT_A_KEY), body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  // Public verification does not make a rejected key acceptable: a client sending one has a configuration error worth telling it about.
  { what: 'wrong API key', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(NOT_A_KEY), body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'wrong API key', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(NOT_A_KEY), body: prepareBody(samplePdf()) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'wrong API key', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: jsonHeaders(NOT_A_KEY), body: completeBody(expiring.sessionId, genuine(expiring)) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'wrong API key', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: jsonHeaders(NOT_A_KEY), body: JSON.stringify({ owner: '052090000495', type: 'G15.000021' }) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'wrong API key', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(NOT_A_KEY)), body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },

  // Authorization that is not Bearer.
  { what: 'non-Bearer Authorization', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'application/pdf', ...basicAuth }, body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'non-Bearer Authorization', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'application/pdf', ...basicAuth }, body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'non-Bearer Authorization', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'application/json', ...basicAuth }, body: prepareBody(samplePdf()) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'non-Bearer Authorization', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'application/json', ...basicAuth }, body: completeBody(expiring.sessionId, genuine(expiring)) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'non-Bearer Authorization', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'application/json', ...basicAuth }, body: JSON.stringify({ owner: '052090000495', type: 'G15.000021' }) } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },
  { what: 'non-Bearer Authorization', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', basicAuth), body: samplePdf() } }), status: 401, code: 'AUTH_REQUIRED', keyId: null },

  // A valid key of another agency (Hà Nội's key naming the Bình Định identity).
  { what: 'key for another agency', route: '/v1/sign', request: () => ({ query: 'identity=binh-dinh', init: { method: 'POST', headers: pdfHeaders(t.keys.hanoi), body: samplePdf() } }), status: 403, code: 'FORBIDDEN', keyId: 'hanoi' },
  { what: 'key for another agency', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.hanoi), body: JSON.stringify({ identity: 'binh-dinh', owner: '052090000495', type: 'G15.000021' }) } }), status: 403, code: 'FORBIDDEN', keyId: 'hanoi' },
  { what: 'key for another agency', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.hanoi)), body: samplePdf() } }), status: 403, code: 'FORBIDDEN', keyId: 'hanoi' },
  {
    // Another key's session is reported as absent (404, by design) so its existence is not disclosed.
    what: 'key for another agency',
    route: '/v1/sign/complete',
    request: async () => {
      sessions.foreign = await prepareSession(t.keys.binh);
      return { init: { method: 'POST', headers: jsonHeaders(t.keys.hanoi), body: completeBody(sessions.foreign.sessionId, genuine(sessions.foreign)) } };
    },
    status: 404,
    code: 'SESSION_NOT_FOUND',
    keyId: 'hanoi',
    after: async () => {
      const s = await t.server.store.getSignSession(sessions.foreign!.sessionId);
      expect(s?.state).toBe('prepared');
    },
  },

  // Unknown identity.
  { what: 'unknown identity', route: '/v1/sign', request: () => ({ query: 'identity=nobody', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), status: 400, code: 'IDENTITY_UNKNOWN', keyId: 'binh' },
  { what: 'unknown identity', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: JSON.stringify({ identity: 'nobody', owner: '052090000495', type: 'G15.000021' }) } }), status: 400, code: 'IDENTITY_UNKNOWN', keyId: 'binh' },
  { what: 'unknown identity', route: '/v1/certified-copies', request: () => ({ query: 'officer=nobody&agency=binh-dinh&owner=052090000495&book=2', init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: samplePdf() } }), status: 400, code: 'IDENTITY_UNKNOWN', keyId: 'binh' },

  // Two-step: forged signature value, unknown session.
  {
    what: 'forged signature value',
    route: '/v1/sign/complete',
    request: async () => {
      sessions.forged = await prepareSession(t.keys.binh);
      return { init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(sessions.forged.sessionId, forged(sessions.forged)) } };
    },
    status: 422,
    code: 'SIGNATURE_INVALID',
    keyId: 'binh',
    after: async () => {
      // Nothing embedded or consumed, and sending the forgery again changes nothing.
      const f = sessions.forged!;
      expect((await t.server.store.getSignSession(f.sessionId))?.state).toBe('prepared');
      const retry = await fetch(`${t.url}/v1/sign/complete`, { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(f.sessionId, forged(f)) });
      expect(retry.status).toBe(422);
      expect((await t.server.store.getSignSession(f.sessionId))?.state).toBe('prepared');
    },
  },
  { what: 'signature value not base64', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(expiring.sessionId, '!!not base64!!') } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },
  { what: 'unknown session', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody('AAAAAAAAAAAAAAAAAAAAAA', genuine(expiring)) } }), status: 404, code: 'SESSION_NOT_FOUND', keyId: 'binh' },

  // Malformed JSON. The PDF routes take no JSON at all, so the media type is what is wrong there, whatever the JSON looks like.
  { what: 'malformed JSON', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: '{"pdf": "JVBERi0=", "certificateChain": [' } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'malformed JSON', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: `{"sessionId": "${expiring.sessionId}", ` } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'malformed JSON', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: "{owner: '052090000495'}" } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'malformed JSON', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: '{"pdf": ' } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },
  { what: 'malformed JSON', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: jsonHeaders(), body: '{"pdf": ' } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: null },

  // Content-Type text/plain, with a body that would be fine under the right type.
  { what: 'Content-Type text/plain', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(t.keys.binh) }, body: samplePdf() } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },
  { what: 'Content-Type text/plain', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: samplePdf() } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: null },
  { what: 'Content-Type text/plain', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(t.keys.binh) }, body: prepareBody(samplePdf()) } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },
  { what: 'Content-Type text/plain', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(t.keys.binh) }, body: completeBody('AAAAAAAAAAAAAAAAAAAAAA', genuine(expiring)) } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },
  { what: 'Content-Type text/plain', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(t.keys.binh) }, body: JSON.stringify({ owner: '052090000495', type: 'G15.000021' }) } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },
  { what: 'Content-Type text/plain', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('text/plain', bearer(t.keys.binh)), body: samplePdf() } }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', keyId: 'binh' },

  // Empty body.
  { what: 'empty body', route: '/v1/sign', request: () => ({ init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: Buffer.alloc(0) } }), status: 422, code: 'PDF_EMPTY', keyId: 'binh' },
  { what: 'empty body', route: '/v1/verify', request: () => ({ init: { method: 'POST', headers: pdfHeaders(), body: Buffer.alloc(0) } }), status: 422, code: 'PDF_EMPTY', keyId: null },
  { what: 'empty body', route: '/v1/sign/prepare', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: '' } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'empty body', route: '/v1/sign/complete', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: '' } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'empty body', route: '/v1/codes/result', request: () => ({ init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: '' } }), status: 400, code: 'REQUEST_MALFORMED', keyId: 'binh' },
  { what: 'empty body', route: '/v1/certified-copies', request: () => ({ query: copyQuery(), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: Buffer.alloc(0) } }), status: 422, code: 'PDF_EMPTY', keyId: 'binh' },

  // A query parameter that is not allowed. The JSON routes declare no query parameters at all, so any one is undeclared there.
  { what: 'query parameter not allowed', route: '/v1/sign', request: () => ({ query: 'colour=red', init: { method: 'POST', headers: pdfHeaders(t.keys.binh), body: samplePdf() } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },
  { what: 'query parameter not allowed', route: '/v1/verify', request: () => ({ query: 'colour=red', init: { method: 'POST', headers: pdfHeaders(), body: samplePdf() } }), status: 400, code: 'REQUEST_INVALID', keyId: null },
  { what: 'query parameter not allowed', route: '/v1/certified-copies', request: () => ({ query: copyQuery('&colour=red'), init: { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: samplePdf() } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },
  { what: 'query parameter not allowed', route: '/v1/sign/prepare', request: () => ({ query: 'identity=ha-noi', init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: prepareBody(notPdf()) } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },
  { what: 'query parameter not allowed', route: '/v1/sign/complete', request: () => ({ query: 'colour=red', init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody('AAAAAAAAAAAAAAAAAAAAAA', genuine(expiring)) } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },
  { what: 'query parameter not allowed', route: '/v1/codes/result', request: () => ({ query: 'identity=nobody', init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: JSON.stringify({ identity: 'no-such-one', owner: '052090000495', type: 'G15.000021' }) } }), status: 400, code: 'REQUEST_INVALID', keyId: 'binh' },

  // Expired two-step session: last, so its lifetime has had the whole table to run out; the value itself is genuine.
  {
    what: 'expired two-step session',
    route: '/v1/sign/complete',
    request: async () => {
      const wait = expiring.expiresAt + 250 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return { init: { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(expiring.sessionId, genuine(expiring)) } };
    },
    status: 410,
    code: 'SESSION_EXPIRED',
    keyId: 'binh',
  },
];

describe('bad requests: typed 4xx, one audit record each, nothing left behind', () => {
  it.each(rows)('$what → $route: $status $code', async (row) => {
    const { query, init } = await row.request();
    const filesBefore = filesIn(t.dataDir);
    const sessionsBefore = sessionCount();
    const seqBefore = await lastAuditSeq();

    const r = await fetch(`${t.url}${row.route}${query ? `?${query}` : ''}`, init);
    const text = await r.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Reported by the assertions below with the raw text.
    }
    const observed = `${r.status} ${text.slice(0, 300)}`;

    // Soft, so a wrong status still gets its body, audit and file checks reported.
    expect.soft(r.status, observed).toBe(row.status);
    expect.soft(body.code, observed).toBe(row.code);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers.get('content-type'), observed).toMatch(/^application\/json/);
    expect(Object.keys(body).sort(), observed).toEqual(['code', 'message', 'messageVi']);
    const { message, messageVi } = body as { message: string; messageVi: string };
    expect(message.length, observed).toBeGreaterThan(0);
    expect(VIETNAMESE.test(message.toLowerCase()), `English message has Vietnamese letters: ${message}`).toBe(false);
    expect(VIETNAMESE.test(messageVi.toLowerCase()), `messageVi lacks Vietnamese diacritics: ${messageVi}`).toBe(true);
    expect(messageVi).not.toBe(message);
    expect(leaks(text), text).toEqual([]);
    if (r.status === 401) expect(r.headers.get('www-authenticate')).toBe('Bearer');

    // Exactly one audit record, for this request, carrying the outcome it was given.
    const added = await t.server.store.listAudit({ after: seqBefore, limit: 100 });
    expect(added.map((a) => `${a.operation}:${a.status}:${a.result}`), observed).toEqual([`${AUDIT_OP[row.route]}:${r.status}:${String(body.code)}`]);
    const rec = added[0]!;
    expect(r.headers.get('x-kyso-audit-id')).toBe(String(rec.seq));
    expect(rec.keyId).toBe(row.keyId);
    expect(rec.outputSha256).toBeNull();

    // No output, temp or half-written file, and no two-step session born of a failed request.
    expect(filesIn(t.dataDir)).toEqual(filesBefore);
    expect(sessionCount()).toBe(sessionsBefore);
    await row.after?.();
  });

  it("a copy refused for its PDF leaves nothing that blocks the same citizen's next, valid copy", async () => {
    // Control: this identity pair and a sound PDF do make a copy, so a refusal below is down to the earlier failure.
    const control = await fetch(`${t.url}/v1/certified-copies?${copyQuery()}`, { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: samplePdf() });
    expect(control.status, await control.clone().text()).toBe(200);

    const owner = freshOwner();
    const bad = await fetch(`${t.url}/v1/certified-copies?${copyQuery('', owner)}`, { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: truncatedPdf() });
    expect(bad.status).toBe(422);
    // Same citizen, same day, default suffix, a fresh Idempotency-Key and a sound PDF: nothing of the refused request should stand in the way.
    const good = await fetch(`${t.url}/v1/certified-copies?${copyQuery('', owner)}`, { method: 'POST', headers: copyHeaders('application/pdf', bearer(t.keys.binh)), body: samplePdf() });
    expect(good.status, `${good.status} ${good.status === 200 ? '' : await good.text()}`).toBe(200);
  });

  it('leaves failed two-step sessions unusable, the audit chain whole, and no secret in the log', async () => {
    // The expired session stays expired even with a genuine value, and its PDF is gone from the store.
    const again = await fetch(`${t.url}/v1/sign/complete`, { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(expiring.sessionId, genuine(expiring)) });
    expect(again.status).toBe(410);
    expect(((await again.json()) as { code: string }).code).toBe('SESSION_EXPIRED');
    const gone = await t.server.store.getSignSession(expiring.sessionId);
    expect(gone?.state).toBe('expired');
    expect(gone?.original ?? null).toBeNull();

    // The session a forgery was sent to cannot be completed once its lifetime is over, not even with the genuine value.
    const f = sessions.forged!;
    const wait = f.expiresAt + 250 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const late = await fetch(`${t.url}/v1/sign/complete`, { method: 'POST', headers: jsonHeaders(t.keys.binh), body: completeBody(f.sessionId, genuine(f)) });
    expect(late.status).toBe(410);
    expect((await t.server.store.getSignSession(f.sessionId))?.original ?? null).toBeNull();

    const check = await verifyAuditChain(t.server.store);
    expect(check, JSON.stringify(check)).toMatchObject({ ok: true, records: await lastAuditSeq() });
    const overHttp = await fetch(`${t.url}/v1/audit/verify`, { headers: bearer(t.keys.reader) });
    expect(await overHttp.json()).toMatchObject({ ok: true });

    for (const k of [...Object.values(t.keys), NOT_A_KEY]) expect(t.log.text.includes(k)).toBe(false);
  });
});
