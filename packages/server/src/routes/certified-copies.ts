import type { FastifyInstance } from 'fastify';
import { certifyCopy, KysoError, TrustStore, tsaTimestamper, type PadesLevel } from '@kyso/core';
import type { ServerContext } from '../context.js';
import { countSignature } from '../metrics.js';
import { errors, HttpError } from '../errors.js';
import { bearer, errorResponses } from './schemas.js';
import { headerValue } from './sign.js';

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

/** The service's trust for collecting validation data: the policy's anchors and the configured extra roots (built once). */
const policyStores = new Map<string, TrustStore>();
function ltvStore(ctx: ServerContext): TrustStore {
  if (ctx.trustStore) return ctx.trustStore;
  const policy = ctx.config.trust.policy;
  let s = policyStores.get(policy);
  if (!s) policyStores.set(policy, (s = TrustStore.forPolicy(policy)));
  return s;
}

interface CopyQuery {
  officer?: string;
  agency?: string;
  owner: string;
  book: number;
  caseCode?: string;
  level?: PadesLevel;
  resultSuffix?: string;
  lockAfterSeal?: boolean;
}

/**
 * One certified electronic copy per request (the same `certifyCopy` the CLI
 * uses): the scan in, the signed copy out, numbers allocated once per
 * Idempotency-Key; a request that failed after they were taken keeps them
 * for its retry with the same key.
 */
export function registerCertifiedCopyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: CopyQuery }>(
    '/v1/certified-copies',
    {
      config: { audit: 'certified-copy', operation: 'sign', limited: true, bodyTypes: ['image/jpeg', 'image/png', 'application/pdf', 'application/octet-stream'] },
      schema: {
        summary: 'Chứng thực bản sao điện tử / certify an electronic copy',
        description:
          'The body is the scan (image/jpeg, image/png) or a PDF. The officer signs (personal layout with the identity image), then the agency (seal over it). Answer: the signed PDF with X-Kyso-Result-Code, X-Kyso-Certification-Number, X-Kyso-Book and X-Kyso-Audit-Id. Idempotency-Key is required: a retry gets the same numbers, also after a failure (a token removed, a TSA down), so the book has no gap; a bad upload takes no number. The result code\'s suffix defaults to the date (ddmmyyyy) for the owner\'s first copy of the day and the date and the certification number for the next ones.',
        tags: ['sign'],
        security: bearer,
        querystring: {
          type: 'object',
          required: ['owner', 'book'],
          properties: {
            officer: { type: 'string', minLength: 1, maxLength: 64, description: 'Identity of the certifying officer (personal certificate)' },
            agency: { type: 'string', minLength: 1, maxLength: 64, description: 'Identity of the agency seal (organisation certificate)' },
            owner: { type: 'string', minLength: 1, maxLength: 32, description: 'Owner of the document: CCCD, CMND, tax code or zeros' },
            book: { type: 'integer', minimum: 1, maximum: 999 },
            caseCode: { type: 'string', maxLength: 64 },
            level: { type: 'string', enum: [...LEVELS] },
            resultSuffix: { type: 'string', maxLength: 64, description: 'Result code suffix template ({ddmmyyyy}, {number}, {book}, {year}); default unique per copy: {ddmmyyyy} for the owner\'s first copy of the day, {ddmmyyyy}-{number} after' },
            lockAfterSeal: { type: 'boolean', description: "Default true: the officer certifies (DocMDP P=2) and the seal locks the copy (FieldMDP P=1; only DSS and document timestamps after it). false: leave the copy open for more signatures" },
          },
          additionalProperties: false,
        },
        headers: {
          type: 'object',
          required: ['idempotency-key'],
          properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: errorResponses(404, 409, 413, 415, 422),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const officer = ctx.identityFor(req, q.officer);
      const seal = ctx.identityFor(req, q.agency);
      if (officer.agency !== seal.agency) {
        throw errors.forbidden(`certify for agency ${seal.agency} with an officer of ${officer.agency}`, `chứng thực cho cơ quan ${seal.agency} bằng cán bộ của ${officer.agency}`);
      }
      const body = req.body;
      if (body !== undefined && body !== null && !Buffer.isBuffer(body)) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the scan or the PDF itself (image/jpeg, image/png, application/pdf).', 'Hãy gửi chính bản quét hoặc tệp PDF (image/jpeg, image/png, application/pdf).');
      if (!Buffer.isBuffer(body) || body.length === 0) throw new KysoError('PDF_EMPTY', 'The request has no scan or PDF.', { vi: 'Yêu cầu không kèm bản quét hoặc tệp PDF.' });
      const level = q.level ?? 'B-B';
      const tsa = ctx.config.tsa;
      if (level !== 'B-B' && !tsa) throw new HttpError(400, 'LEVEL_NEEDS_TSA', `Level ${level} needs a timestamp authority, and none is configured.`, `Mức ${level} cần máy chủ cấp dấu thời gian, nhưng chưa được cấu hình.`);
      let copy;
      try {
        copy = await ctx.limiter.run(() =>
          certifyCopy(body, {
            codes: ctx.codes,
            requestKey: `${req.kyso.key!.id}:${String(req.headers['idempotency-key'])}`,
            agency: seal.agency,
            book: q.book,
            owner: q.owner,
            actor: `${officer.name}+${seal.name}/${req.kyso.key!.id}`,
            officer: { signer: officer.signer, ...(officer.image ? { image: officer.image } : {}) },
            agencySeal: { signer: seal.signer, ...(seal.image ? { image: seal.image } : {}) },
            ...(q.caseCode ? { caseCode: q.caseCode } : {}),
            ...(q.resultSuffix ? { resultSuffix: q.resultSuffix } : {}),
            ...(q.lockAfterSeal === false ? { lockAfterSeal: false } : {}),
            // Written with each number, so a process killed before the answer still leaves the request's audit record (store/audit-outbox.ts).
            auditPending: ctx.pendingAudit(req),
            ...(level !== 'B-B' && tsa ? { level, timestamper: tsaTimestamper({ url: tsa.url, timeoutMs: tsa.timeoutMs ?? 10_000 }), validation: { timeoutMs: tsa.timeoutMs ?? 10_000, sources: 'trusted-chain', store: ltvStore(ctx), revocation: ctx.config.ltv.revocation } } : {}),
          }),
        );
      } catch (e) {
        // Which of the two keys failed is not known here: a key failure is counted against both.
        countSignature(ctx.metrics, officer.name, level, e);
        countSignature(ctx.metrics, seal.name, level, e);
        throw e;
      }
      countSignature(ctx.metrics, officer.name, level);
      countSignature(ctx.metrics, seal.name, level);
      const r = copy.record;
      req.kyso.code = r.resultCode;
      req.kyso.field = `${r.fields.officer},${r.fields.agency}`;
      reply
        .header('x-kyso-result-code', headerValue(r.resultCode))
        .header('x-kyso-certification-number', String(r.certificationNumber))
        .header('x-kyso-book', encodeURIComponent(r.bookLabel))
        .type('application/pdf');
      return reply.send(Buffer.from(copy.pdf.buffer, copy.pdf.byteOffset, copy.pdf.byteLength));
    },
  );
}
