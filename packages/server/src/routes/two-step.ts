import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { embedSignature, isKysoError, parseResultCode, preparePdf, type DigestAlgorithm, type MdpPermission, type PreparedPdf } from '@kyso/core';
import { CmsSignerTemplate } from '@kyso/core/cms';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { externalSigner } from '../two-step/external-signer.js';
import { checkSignatureValue } from '../two-step/signature-check.js';
import type { ExternalScheme, SignSessionRecord } from '../two-step/sign-session.js';
import { bearer, errorResponses, pdfPasswordOf } from './schemas.js';
import { headerValue, MDP_PROPERTIES, mdpOptions, pdfBody } from './sign.js';

const DIGESTS = ['SHA-256', 'SHA-384', 'SHA-512'] as const;
const SCHEMES = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'] as const;
/** Sessions this long past their expiry are deleted (until then completing says 410, not 404). */
const PURGE_AFTER_MS = 24 * 3_600_000;

export interface TwoStepOptions {
  /** Lifetime of a prepared session (default 10 minutes). */
  sessionTtlMs?: number;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

interface PrepareBody {
  pdf: string;
  certificateChain: string[];
  digest?: DigestAlgorithm;
  scheme?: ExternalScheme;
  reason?: string;
  location?: string;
  field?: string;
  resultCode?: string;
  certify?: MdpPermission;
  lock?: string;
  lockPermissions?: MdpPermission;
}

interface CompleteBody {
  sessionId: string;
  signature: string;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function base64(value: string, what: string): Buffer {
  const s = value.replace(/\s+/g, '');
  if (!BASE64.test(s)) throw new HttpError(400, 'REQUEST_INVALID', `${what} is not base64.`, `${what} không phải base64.`);
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}

const sessionErrors = {
  notFound: () => new HttpError(404, 'SESSION_NOT_FOUND', 'No such signing session for this API key.', 'Không có phiên ký này cho khóa API này.'),
  expired: () => new HttpError(410, 'SESSION_EXPIRED', 'The signing session has expired; prepare the document again.', 'Phiên ký đã hết hạn; hãy chuẩn bị lại tài liệu.'),
  completed: () => new HttpError(409, 'SESSION_COMPLETED', 'The signing session has already been completed.', 'Phiên ký đã được hoàn tất trước đó.'),
  invalid: () =>
    new HttpError(422, 'SIGNATURE_INVALID', "The signature value does not verify with the certificate's public key over toBeSigned.", 'Giá trị chữ ký không khớp với khóa công khai của chứng thư số trên dữ liệu cần ký (toBeSigned).'),
  certificate: (detail: string) => new HttpError(400, 'CERTIFICATE_INVALID', `The certificate chain is not usable: ${detail}`, `Chuỗi chứng thư số không dùng được: ${detail}`),
};

/**
 * Two-step signing for keys the server does not hold: prepare lays the PDF
 * out and returns the signed attributes to sign; complete checks the value
 * the client's token produced and embeds it. The session (PDF included)
 * lives in the server store, so any instance sharing it can complete.
 */
export function registerTwoStepRoutes(app: FastifyInstance, ctx: ServerContext, options: TwoStepOptions = {}): void {
  const ttl = options.sessionTtlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;

  app.post<{ Body: PrepareBody }>(
    '/v1/sign/prepare',
    {
      config: { audit: 'sign.prepare', operation: 'sign', limited: true },
      // base64 of the largest PDF plus the certificates.
      bodyLimit: Math.ceil((ctx.config.bodyLimit * 4) / 3) + 1024 * 1024,
      schema: {
        summary: 'Chuẩn bị ký hai bước / prepare a two-step signature (key held by the client)',
        description:
          'For a key the server does not hold (an officer USB token in a browser or desktop client). Lays the PDF out and keeps it server-side; answers the DER of the CMS signed attributes (toBeSigned) and its hash (digest, for raw token mechanisms). `certify`, `lock` and `lockPermissions` as on /v1/sign. Sign it and POST the value to /v1/sign/complete before expiresAt. An encrypted PDF\'s user or owner password goes in the X-Pdf-Password header (percent-encoded UTF-8, never logged).',
        tags: ['sign'],
        security: bearer,
        body: {
          type: 'object',
          required: ['pdf', 'certificateChain'],
          properties: {
            pdf: { type: 'string', minLength: 1, description: 'The PDF, base64' },
            certificateChain: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 65536 }, description: 'DER certificates, base64, signer first' },
            digest: { type: 'string', enum: [...DIGESTS], default: 'SHA-256' },
            scheme: { type: 'string', enum: [...SCHEMES], description: 'Default: ECDSA for EC keys, RSASSA-PKCS1-v1_5 for RSA' },
            reason: { type: 'string', maxLength: 500 },
            location: { type: 'string', maxLength: 200 },
            field: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^.]+$' },
            resultCode: { type: 'string', minLength: 1, maxLength: 200 },
            ...MDP_PROPERTIES,
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            required: ['sessionId', 'expiresAt', 'toBeSigned', 'digestAlgorithm', 'digest', 'field'],
            properties: {
              sessionId: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
              toBeSigned: { type: 'string', description: 'DER of the signed attributes, base64: sign this (hashing it with digestAlgorithm)' },
              digestAlgorithm: { type: 'string', enum: [...DIGESTS] },
              digest: { type: 'string', description: 'Hash of toBeSigned, base64: for a token signing with a raw mechanism' },
              field: { type: 'string', description: 'The signature field the PDF will have' },
            },
            additionalProperties: false,
          },
          ...errorResponses(404, 409, 413, 415, 422),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const pdf = pdfBody(base64(b.pdf, 'pdf'));
      const certificates = b.certificateChain.map((c, i) => base64(c, `certificateChain[${i}]`));
      if (b.resultCode !== undefined) {
        parseResultCode(b.resultCode); // CODE_INVALID → 400
        req.kyso.code = b.resultCode;
      }
      const mdp = mdpOptions(b);
      const digest = b.digest ?? 'SHA-256';
      let template: CmsSignerTemplate;
      try {
        template = CmsSignerTemplate.create(externalSigner(certificates, b.scheme, digest), digest);
      } catch (e) {
        if (isKysoError(e) && (e.code === 'CERT_INVALID' || e.code === 'CMS_UNSUPPORTED' || e.code === 'CMS_MALFORMED')) throw sessionErrors.certificate(e.message);
        throw e;
      }
      const { prepared, attrs } = await ctx.limiter.run(async () => {
        const p = preparePdf(pdf, {
          contentsCapacity: template.maxSize(),
          digest,
          signingTime: new Date(now()),
          ...(b.reason ? { reason: b.reason } : {}),
          ...(b.location ? { location: b.location } : {}),
          ...(b.field ? { fieldName: b.field } : {}),
          ...(b.resultCode ? { resultCode: b.resultCode } : {}),
          ...pdfPasswordOf(req.headers),
          ...mdp,
        });
        return { prepared: p, attrs: template.signedAttributes(p.documentDigest) };
      });
      req.kyso.field = prepared.fieldName;
      const t = now();
      const session: SignSessionRecord = {
        id: randomBytes(16).toString('base64url'),
        keyId: req.kyso.key!.id,
        state: 'prepared',
        createdAt: new Date(t).toISOString(),
        expiresAt: t + ttl,
        digest,
        scheme: template.signer.signatureAlgorithm.scheme,
        certificates,
        fieldName: prepared.fieldName,
        byteRange: prepared.byteRange,
        contentsOffset: prepared.contentsOffset,
        contentsCapacity: prepared.contentsCapacity,
        documentDigest: prepared.documentDigest,
        toBeSigned: attrs,
        original: prepared.original,
        update: prepared.update,
      };
      await ctx.store.purgeSignSessions(t - PURGE_AFTER_MS);
      await ctx.store.putSignSession(session);
      return {
        sessionId: session.id,
        expiresAt: new Date(session.expiresAt).toISOString(),
        toBeSigned: Buffer.from(attrs).toString('base64'),
        digestAlgorithm: digest,
        digest: createHash(digest.replace('-', '').toLowerCase()).update(attrs).digest('base64'),
        field: prepared.fieldName,
      };
    },
  );

  app.post<{ Body: CompleteBody }>(
    '/v1/sign/complete',
    {
      config: { audit: 'sign.complete', operation: 'sign', limited: true },
      schema: {
        summary: 'Hoàn tất ký hai bước / complete a two-step signature',
        description:
          'The signature value over toBeSigned from /v1/sign/prepare (RSA raw; ECDSA as DER or raw r||s). It must verify with the certificate given at prepare, or the answer is 422 SIGNATURE_INVALID and nothing is written (the session stays usable until it expires). Answers the signed PDF with X-Kyso-Field and X-Kyso-Audit-Id.',
        tags: ['sign'],
        security: bearer,
        body: {
          type: 'object',
          required: ['sessionId', 'signature'],
          properties: {
            sessionId: { type: 'string', minLength: 1, maxLength: 64 },
            signature: { type: 'string', minLength: 1, maxLength: 4096, description: 'Signature value, base64' },
          },
          additionalProperties: false,
        },
        response: { 200: { description: 'The signed PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(404, 409, 410, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const value = base64(b.signature, 'signature');
      const session = await ctx.store.getSignSession(b.sessionId);
      // Another key's session is reported as absent: its existence is not disclosed.
      if (!session || session.keyId !== req.kyso.key!.id) throw sessionErrors.notFound();
      req.kyso.field = session.fieldName;
      if (session.state === 'completed') throw sessionErrors.completed();
      if (session.state === 'expired') throw sessionErrors.expired();
      if (now() >= session.expiresAt) {
        await ctx.store.finishSignSession(session.id, 'expired');
        throw sessionErrors.expired();
      }
      const signer = externalSigner(session.certificates, session.scheme, session.digest);
      const signature = checkSignatureValue(signer.publicKey, session.scheme, session.digest, session.toBeSigned, value);
      if (!signature) {
        ctx.metrics.signatures.inc({ identity: 'two-step', level: 'B-B', result: 'error' });
        throw sessionErrors.invalid();
      }
      const out = await ctx.limiter.run(async () => {
        const template = CmsSignerTemplate.create(signer, session.digest);
        const cms = template.assemble(session.toBeSigned, signature);
        const prepared: PreparedPdf = {
          original: session.original!,
          update: Buffer.from(session.update!),
          fieldName: session.fieldName,
          byteRange: session.byteRange,
          contentsOffset: session.contentsOffset,
          contentsCapacity: session.contentsCapacity,
          digest: session.digest,
          documentDigest: session.documentDigest,
        };
        return embedSignature(prepared, cms);
      });
      // Claimed only now, atomically: a concurrent completion of the same session gets 409.
      if (!(await ctx.store.finishSignSession(session.id, 'completed'))) throw sessionErrors.completed();
      ctx.metrics.signatures.inc({ identity: 'two-step', level: 'B-B', result: 'ok' });
      reply.header('x-kyso-field', headerValue(session.fieldName)).type('application/pdf');
      return reply.send(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    },
  );
}
