import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeSigner, isKysoError } from '@kyso/core';
import { signedBytes, type SignTaskOptions } from '../pool/tasks.js';
import { countSignature } from '../metrics.js';
import type { ServerContext } from '../context.js';
import { allowedUrl, download, TransferError, uploadSigned, type TransferLimits } from '../vgca/transfer.js';
import { bearer, errorResponses } from './schemas.js';

/** The desktop plugin's endpoints (domain notes §6) and what each does server-side. */
const ENDPOINTS = ['SignPDF', 'SignApproved', 'SignIssued', 'SignAppendix', 'SignCopy', 'VerifyPDF'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

interface VgcaRequest {
  FileName: string;
  FileUploadHandler?: string;
  SessionId?: string;
  JWTToken?: string;
  DocNumber?: string;
  IssuedDate?: string;
  MetaData?: { Key: string; Value: string }[];
}

interface VgcaReply {
  Status: number;
  Message: string;
  FileName: string;
  FileServer: string;
}

/**
 * A family of endpoints that speak the VGCA signing plugin's JSON (one
 * request, one reply with Status 0 = OK), so a system written for the plugin
 * on an officer's PC can sign with the agency's HSM by pointing at
 * /vgca/<Endpoint>. Files are fetched from and posted to allow-listed hosts
 * only.
 */
export function registerVgcaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const cfg = ctx.config.vgca;
  if (!cfg) return;
  const limits: TransferLimits = { allowHosts: cfg.allowHosts.map((h) => h.toLowerCase()), maxBytes: cfg.maxBytes ?? ctx.config.bodyLimit, timeoutMs: cfg.timeoutMs ?? 15_000 };
  app.post<{ Params: { endpoint: string }; Body: VgcaRequest }>(
    '/vgca/:endpoint',
    {
      config: { audit: 'vgca', operation: 'sign', limited: true },
      schema: {
        summary: 'VGCA plugin-compatible signing / tương thích công cụ ký số VGCA',
        tags: ['vgca'],
        security: bearer,
        params: { type: 'object', properties: { endpoint: { type: 'string', enum: [...ENDPOINTS] } }, required: ['endpoint'] },
        // The one body that admits fields it does not list: this is the VGCA desktop plugin's request format, not kyso's, and
        // systems written for the plugin send whatever their version of it carries (extra metadata, UI options). Unknown
        // fields are ignored, never used; the listed ones are still type-checked without coercion, and a credential-named
        // field (api_key, token, …) is refused like anywhere else.
        body: {
          type: 'object',
          required: ['FileName'],
          additionalProperties: true,
          properties: {
            FileName: { type: 'string', minLength: 1, maxLength: 2048 },
            FileUploadHandler: { type: 'string', maxLength: 2048 },
            SessionId: { type: 'string', maxLength: 512 },
            JWTToken: { type: 'string', maxLength: 8192 },
            DocNumber: { type: 'string', maxLength: 200 },
            IssuedDate: { type: 'string', maxLength: 64 },
            MetaData: { type: 'array', maxItems: 100, items: { type: 'object', properties: { Key: { type: 'string' }, Value: { type: 'string' } } } },
          },
        },
        response: {
          200: {
            description: "The plugin's reply: Status 0 = OK, otherwise the failure in Message (Vietnamese / English); FileServer is where the signed file was posted",
            type: 'object',
            required: ['Status', 'Message', 'FileName', 'FileServer'],
            properties: { Status: { type: 'integer' }, Message: { type: 'string' }, FileName: { type: 'string' }, FileServer: { type: 'string' } },
          },
          ...errorResponses(),
        },
      },
    },
    async (req, reply) => {
      const endpoint = req.params.endpoint as Endpoint;
      const body = req.body;
      const identity = ctx.identityFor(req, cfg.identity);
      const answer = (r: VgcaReply) => reply.send(r);
      try {
        const source = allowedUrl(body.FileName, limits, 'FileName');
        const fileName = basename(decodeURIComponent(source.pathname)) || 'document.pdf';
        const auth: Record<string, string> = body.JWTToken ? { authorization: `Bearer ${body.JWTToken}` } : {};
        const pdf = await download(source, limits, auth);
        if (endpoint === 'VerifyPDF') {
          const report = await ctx.limiter.run(() => ctx.pool.verify(pdf, { policy: ctx.config.trust.policy, format: 'text', lang: 'vi' }, req.kyso));
          return answer({ Status: report.verdict === 'valid' ? 0 : 1, Message: report.body, FileName: fileName, FileServer: '' });
        }
        if (!body.FileUploadHandler) throw new TransferError(1, 'FileUploadHandler is required to return the signed file.', 'Cần FileUploadHandler để gửi trả tệp đã ký.');
        const target = allowedUrl(body.FileUploadHandler, limits, 'FileUploadHandler');
        let agencyName: string | undefined;
        try {
          agencyName = describeSigner(identity.signer.certificate).commonName ?? undefined;
        } catch {
          agencyName = undefined;
        }
        let signed;
        try {
          signed = await ctx.limiter.run(() => ctx.pool.sign(pdf, identity.signer, optionsFor(endpoint, body, agencyName), req.kyso));
        } catch (e) {
          countSignature(ctx.metrics, identity.name, 'B-B', e);
          throw e;
        }
        countSignature(ctx.metrics, identity.name, 'B-B');
        req.kyso.field = signed.fieldName;
        const outName = fileName.replace(/\.pdf$/i, '') + '.signed.pdf';
        const uploaded = await uploadSigned(target, limits, { name: outName, bytes: signedBytes(pdf, signed) }, { ...(body.SessionId ? { SessionId: body.SessionId } : {}), ...(body.DocNumber ? { DocNumber: body.DocNumber } : {}) }, auth);
        let returnedName = outName;
        try {
          const j = JSON.parse(uploaded) as { FileName?: unknown };
          if (typeof j.FileName === 'string') returnedName = j.FileName;
        } catch {
          // the handler answered plain text: keep our name
        }
        return answer({ Status: 0, Message: 'OK', FileName: returnedName, FileServer: target.origin });
      } catch (e) {
        if (e instanceof TransferError) return answer({ Status: e.status, Message: `${e.messageVi} / ${e.message}`, FileName: '', FileServer: '' });
        if (isKysoError(e)) return answer({ Status: 3, Message: `${e.code}: ${e.messageVi} / ${e.message}`, FileName: '', FileServer: '' });
        throw e;
      }
    },
  );
}

/** What each plugin endpoint means for the signature. */
function optionsFor(endpoint: Endpoint, body: VgcaRequest, agencyName: string | undefined): SignTaskOptions {
  switch (endpoint) {
    case 'SignApproved':
      return { reason: 'Phê duyệt' };
    case 'SignIssued':
      return { reason: body.DocNumber ? `Ban hành văn bản ${body.DocNumber}` : 'Ban hành' };
    case 'SignAppendix':
      return {
        reason: body.DocNumber ? `Phụ lục kèm theo văn bản ${body.DocNumber}` : 'Phụ lục',
        appearance: { layout: 'attachment', data: { ...(body.DocNumber ? { docNumber: body.DocNumber } : {}) } },
      };
    case 'SignCopy':
      return { reason: 'Sao y', appearance: { layout: 'copy', data: { copyType: 'SAO Y', ...(agencyName ? { agency: agencyName } : {}) } } };
    default:
      return {};
  }
}

