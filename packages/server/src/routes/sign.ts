import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { signedParts } from '../pool/tasks.js';
import { countSignature } from '../metrics.js';
import { KysoError, parseResultCode, type PadesLevel } from '@kyso/core';
import type { ServerContext } from '../create-server.js';
import { errors, HttpError } from '../errors.js';
import { bearer, errorResponses, headerText } from './schemas.js';

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

interface SignQuery {
  identity?: string;
  level?: PadesLevel;
  reason?: string;
  location?: string;
  field?: string;
  resultCode?: string;
}

/** Checks the body looks like a PDF before the parser sees it. */
export function pdfBody(body: unknown): Buffer {
  if (body !== undefined && body !== null && !Buffer.isBuffer(body)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the PDF itself with Content-Type: application/pdf.', 'Hãy gửi chính tệp PDF với Content-Type: application/pdf.');
  }
  if (!Buffer.isBuffer(body) || body.length === 0) throw new KysoError('PDF_EMPTY', 'The request has no PDF.', { vi: 'Yêu cầu không kèm tệp PDF.' });
  if (!body.subarray(0, 1024).includes('%PDF-')) throw errors.notPdf();
  return body;
}

/** Sends a PDF given as pieces (the request body and the appended update) without joining them. */
export function sendPdf(reply: FastifyReply, parts: Uint8Array[]): FastifyReply {
  const buffers = parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  if (buffers.length === 1) return reply.type('application/pdf').send(buffers[0]);
  const length = buffers.reduce((n, b) => n + b.length, 0);
  return reply.type('application/pdf').header('content-length', length).send(Readable.from(buffers, { objectMode: false }));
}

export function registerSignRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Querystring: SignQuery }>(
    '/v1/sign',
    {
      config: { audit: 'sign', operation: 'sign', pdfBody: true, limited: true },
      schema: {
        summary: 'Ký một tệp PDF / sign a PDF (PAdES)',
        description:
          'The body is the PDF (Content-Type: application/pdf). Options in the query string, or in X-Kyso-* headers (percent-encoded UTF-8). The answer is the signed PDF with X-Kyso-Field, X-Kyso-Audit-Id and (with resultCode) X-Kyso-Result-Code.',
        tags: ['sign'],
        security: bearer,
        querystring: {
          type: 'object',
          properties: {
            identity: { type: 'string', minLength: 1, maxLength: 64, description: 'Identity to sign as (optional when the key has one)' },
            level: { type: 'string', enum: [...LEVELS], description: 'PAdES level (default B-B; B-T and up need a configured TSA)' },
            reason: { type: 'string', maxLength: 500 },
            location: { type: 'string', maxLength: 200 },
            field: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^.]+$', description: 'Signature field name' },
            resultCode: { type: 'string', minLength: 1, maxLength: 200, description: 'Result code (mã kết quả) to write under the signature' },
          },
          additionalProperties: false,
        },
        headers: {
          type: 'object',
          properties: {
            'x-kyso-identity': { type: 'string', maxLength: 64 },
            'x-kyso-level': { type: 'string', enum: [...LEVELS] },
            'x-kyso-reason': { type: 'string', maxLength: 1500 },
            'x-kyso-location': { type: 'string', maxLength: 600 },
            'x-kyso-field': { type: 'string', maxLength: 300 },
            'x-kyso-result-code': { type: 'string', maxLength: 200 },
          },
        },
        response: errorResponses(404, 409, 413, 415, 422),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const pick = <K extends keyof SignQuery>(k: K, header: string): string | undefined => (q[k] as string | undefined) ?? headerText(req.headers[header]);
      const identity = ctx.identityFor(req, pick('identity', 'x-kyso-identity'));
      const pdf = pdfBody(req.body);
      const level = (pick('level', 'x-kyso-level') ?? 'B-B') as PadesLevel;
      if (!(LEVELS as readonly string[]).includes(level)) throw new HttpError(400, 'REQUEST_INVALID', `Unknown level "${level}".`, `Mức PAdES không hợp lệ "${level}".`);
      if (level !== 'B-B' && !ctx.config.tsa) throw new HttpError(400, 'LEVEL_NEEDS_TSA', `Level ${level} needs a timestamp authority, and none is configured.`, `Mức ${level} cần máy chủ cấp dấu thời gian, nhưng chưa được cấu hình.`);
      const resultCode = pick('resultCode', 'x-kyso-result-code');
      if (resultCode !== undefined) {
        parseResultCode(resultCode); // CODE_INVALID → 400
        req.kyso.code = resultCode;
      }
      const field = pick('field', 'x-kyso-field');
      const reason = pick('reason', 'x-kyso-reason');
      const location = pick('location', 'x-kyso-location');
      const tsa = ctx.config.tsa;
      let result;
      try {
        result = await ctx.limiter.run(() =>
          ctx.pool.sign(
            pdf,
            identity.signer,
            {
              level,
              ...(level !== 'B-B' && tsa ? { tsa: { url: tsa.url, timeoutMs: tsa.timeoutMs ?? 10_000 } } : {}),
              ...(reason ? { reason } : {}),
              ...(location ? { location } : {}),
              ...(field ? { fieldName: field } : {}),
              ...(resultCode ? { resultCode } : {}),
            },
            req.kyso,
          ),
        );
      } catch (e) {
        countSignature(ctx.metrics, identity.name, level, e);
        throw e;
      }
      countSignature(ctx.metrics, identity.name, level);
      req.kyso.field = result.fieldName;
      reply.header('x-kyso-field', result.fieldName).header('x-kyso-identity', identity.name).type('application/pdf');
      if (resultCode) reply.header('x-kyso-result-code', resultCode);
      return sendPdf(reply, signedParts(pdf, result));
    },
  );
}
