import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedParts } from '../pool/tasks.js';
import { countSignature } from '../metrics.js';
import { isKysoError, KysoError, parseLockSpec, parseResultCode, type FieldLockOptions, type MdpPermission, type PadesLevel } from '@kyso/core';
import { withReservedCodes } from '@kyso/core/codes';
import type { ServerContext } from '../context.js';
import { sha256Hex } from '../sha256.js';
import { errors, HttpError, schemaError } from '../errors.js';
import { readDocumentForm, type DocumentForm } from '../document-form.js';
import { bearer, errorResponses, headerText, pdfPasswordOf } from './schemas.js';
import { coerceText } from '../query-coercion.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Takes multipart/form-data: the parser serves every route, so the routes without this flag refuse forms (415). */
    multipart?: boolean;
  }
}

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

interface SignOptions {
  identity?: string;
  level?: PadesLevel;
  reason?: string;
  location?: string;
  field?: string;
  resultCode?: string;
  allocateResultCode?: boolean;
  owner?: string;
  resultType?: string;
  resultSuffix?: string;
  certify?: MdpPermission;
  lock?: string;
  lockPermissions?: MdpPermission;
  /** `update`: answer only the bytes to append to the PDF sent (also `Prefer: return=update`). */
  return?: 'document' | 'update';
}

const OPTION_NAMES: readonly string[] = ['identity', 'level', 'reason', 'location', 'field', 'resultCode', 'allocateResultCode', 'owner', 'resultType', 'resultSuffix', 'certify', 'lock', 'lockPermissions', 'return'] satisfies (keyof SignOptions)[];

/** RFC 7240's Prefer header asking for the update alone (`return=update`, among other preferences). */
function prefersUpdate(prefer: string | string[] | undefined): boolean {
  const all = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  return all.split(',').some((p) => /^\s*return\s*=\s*"?update"?\s*(;|$)/i.test(p));
}

/** JSON-schema properties of the certification and field-lock options, shared with /v1/sign/prepare. */
export const MDP_PROPERTIES = {
  certify: { type: 'integer', enum: [1, 2, 3], description: 'Certification signature (DocMDP), first signature only: 1 no changes, 2 form filling and signing, 3 also annotations' },
  lock: { type: 'string', minLength: 3, maxLength: 2000, description: 'Lock form fields after this signature (FieldMDP): all, include:<a>,<b> or exclude:<a>,<b>' },
  lockPermissions: { type: 'integer', enum: [1, 2, 3], description: 'With lock (PDF 2.0): 1 nothing but DSS and document timestamps after this signature; 2, 3 as certify' },
} as const;

/** certify, lock and lockPermissions as signPdf's options; a malformed lock is SIGN_OPTIONS_INVALID (400). */
export function mdpOptions(o: { certify?: MdpPermission; lock?: string; lockPermissions?: MdpPermission }): { certify?: { permissions: MdpPermission }; lock?: FieldLockOptions } {
  if (o.lockPermissions !== undefined && o.lock === undefined) throw invalid('lockPermissions goes only with lock.', 'lockPermissions chỉ dùng cùng lock.');
  return {
    ...(o.certify !== undefined ? { certify: { permissions: o.certify } } : {}),
    ...(o.lock !== undefined ? { lock: parseLockSpec(o.lock, o.lockPermissions) } : {}),
  };
}

/** The options that may also come as X-Kyso-* headers (percent-encoded UTF-8). */
const HEADER_OPTIONS: readonly [keyof SignOptions, string][] = [
  ['identity', 'x-kyso-identity'],
  ['level', 'x-kyso-level'],
  ['reason', 'x-kyso-reason'],
  ['location', 'x-kyso-location'],
  ['field', 'x-kyso-field'],
  ['resultCode', 'x-kyso-result-code'],
];

const invalid = (message: string, vi: string) => new HttpError(400, 'REQUEST_INVALID', message, vi);

interface Where {
  en: string;
  vi: string;
}
const QUERY: Where = { en: 'query string', vi: 'chuỗi truy vấn' };
const FORM: Where = { en: 'form field', vi: 'trường biểu mẫu' };

const twice = (name: string, a: Where, b: Where) =>
  invalid(`The option "${name}" is given twice (${a.en}, ${b.en}).`, `Tùy chọn "${name}" được gửi hai lần (${a.vi}, ${b.vi}).`);

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

/** Header values must be Latin-1, and a field name or result-code suffix may be Vietnamese ("QĐ"): such values go percent-encoded, as X-Kyso-* request headers do. */
export function headerValue(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : encodeURIComponent(s);
}

/** The options from the query, the X-Kyso-* headers and the form, each given once, checked by the query's schema. */
function signOptions(req: FastifyRequest, form: Map<string, unknown> | undefined): SignOptions {
  const merged: Record<string, unknown> = {};
  const from = new Map<string, Where>();
  const put = (name: string, value: unknown, where: Where) => {
    if (value === undefined) return;
    const before = from.get(name);
    if (before) throw twice(name, before, where);
    from.set(name, where);
    merged[name] = value;
  };
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) put(name, value, QUERY);
  for (const [name, header] of HEADER_OPTIONS) put(name, headerText(req.headers[header]), { en: `header ${header}`, vi: `tiêu đề ${header}` });
  if (form) for (const [name, value] of form) put(name, value, FORM);
  // Text from three places, converted once by the query's schema (booleans, integers), then checked by it.
  coerceText(req.routeOptions.schema?.querystring, merged);
  const validate = req.getValidationFunction('querystring');
  if (validate && !validate(merged)) {
    const err = (validate.errors as { instancePath?: string; message?: string }[] | null | undefined)?.[0];
    const name = err?.instancePath?.replace(/^\//, '') ?? '';
    const where = from.get(name);
    const what = `${name}${where ? ` (${where.en})` : ''} ${err?.message ?? 'is invalid'}`;
    // ajv speaks English: the Vietnamese text is written from the failure itself (field, place, allowed values).
    const context = where === FORM ? 'form' : where === QUERY || !where ? 'querystring' : 'headers';
    throw invalid(`Invalid request: ${what}`, schemaError(validate.errors, context).messageVi);
  }
  return merged as SignOptions;
}

interface AllocationRequest {
  owner: string;
  type: string;
  suffix: string | undefined;
  idempotencyKey: string;
}

/** What allocateResultCode asks for, or undefined; refuses the combinations that make no sense. */
function allocationOf(req: FastifyRequest, o: SignOptions): AllocationRequest | undefined {
  if (o.allocateResultCode !== true) {
    if (o.owner !== undefined || o.resultType !== undefined || o.resultSuffix !== undefined) {
      throw invalid('owner, resultType and resultSuffix only go with allocateResultCode=true.', 'owner, resultType và resultSuffix chỉ dùng cùng allocateResultCode=true.');
    }
    return undefined;
  }
  if (o.resultCode !== undefined) throw invalid('Give either resultCode or allocateResultCode=true, not both.', 'Chỉ dùng một trong hai: resultCode hoặc allocateResultCode=true.');
  if (o.owner === undefined) {
    throw invalid("allocateResultCode=true needs owner (the CCCD number or agency code of the result's owner).", 'allocateResultCode=true cần owner (số CCCD hoặc mã cơ quan của chủ sở hữu kết quả).');
  }
  if (o.resultType === undefined) throw invalid('allocateResultCode=true needs resultType (Gxx.nnnnnn).', 'allocateResultCode=true cần resultType (dạng Gxx.nnnnnn).');
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') {
    throw invalid('allocateResultCode=true needs an Idempotency-Key header: a retry with the same key gets the same code.', 'allocateResultCode=true cần tiêu đề Idempotency-Key: gửi lại với cùng khóa sẽ nhận cùng mã.');
  }
  // Scoped by API key, as /v1/codes does, and apart from /v1/codes/result's keys: the same header value there reserves a code for another purpose.
  return { owner: o.owner, type: o.resultType, suffix: o.resultSuffix, idempotencyKey: `${req.kyso.key!.id}:${key}#sign` };
}

export function registerSignRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // @fastify/multipart's parser serves the whole instance: routes that do not take forms keep refusing them, rather than seeing no body.
  app.addHook('onRequest', async (req) => {
    if (req.is404 || req.routeOptions.config?.multipart || req.method === 'GET' || req.method === 'HEAD') return;
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'multipart/form-data') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type.', 'Kiểu nội dung (Content-Type) không được hỗ trợ.');
  });

  app.post<{ Querystring: SignOptions }>(
    '/v1/sign',
    {
      config: { audit: 'sign', operation: 'sign', pdfBody: true, multipart: true, limited: true },
      schema: {
        summary: 'Ký một tệp PDF / sign a PDF (PAdES)',
        description:
          'The body is the PDF (Content-Type: application/pdf), or multipart/form-data with the PDF as the one file part `file` and the options as text fields of the same names as the query parameters. Options in the query string, in X-Kyso-* headers (percent-encoded UTF-8) or form fields; an option given twice is refused. `certify` (1, 2 or 3) makes a certification signature (DocMDP; refused with 409 SIGN_CERTIFY_NOT_FIRST on a signed document); `lock` (`all`, `include:a,b`, `exclude:a,b`, with `lockPermissions`) locks form fields after the signature (FieldMDP); signing a locked field is 409 SIGN_FIELD_LOCKED, signing after a lock or certification with permission 1 is 409 SIGN_NOT_PERMITTED. `allocateResultCode=true` with `owner` and `resultType` (and `resultSuffix`) allocates a result code as /v1/codes/result does and writes it under the signature: Idempotency-Key is then required (a retry gets the same code), the code is confirmed once signed; if signing fails it stays reserved for the retry with the same Idempotency-Key (an operator voids it, with a reason, if the request is given up). The answer is the signed PDF with X-Kyso-Field, X-Kyso-Audit-Id and (with a result code) X-Kyso-Result-Code.',
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
            allocateResultCode: { type: 'boolean', description: 'Allocate a result code for owner and resultType and write it under the signature (needs Idempotency-Key; not with resultCode)' },
            owner: { type: 'string', minLength: 1, maxLength: 64, description: 'With allocateResultCode: CCCD number or agency code of the owner' },
            resultType: { type: 'string', minLength: 1, maxLength: 64, description: 'With allocateResultCode: result type Gxx.nnnnnn' },
            resultSuffix: { type: 'string', maxLength: 100, description: "With allocateResultCode: suffix (số ký hiệu); default the type's template (G15.000021: the date), empty for none" },
            ...MDP_PROPERTIES,
            return: {
              type: 'string',
              enum: ['document', 'update'],
              description:
                'update (or the header Prefer: return=update): the answer is only the bytes to append to the PDF sent (application/octet-stream), with X-Kyso-Signed-Sha256 (SHA-256 of the whole signed file) and X-Kyso-Update-Offset (where they go: the length of the PDF sent); @kyso/core appendSignedUpdate joins and checks them. Default document: the whole signed PDF',
            },
          },
          additionalProperties: false,
        },
        headers: {
          type: 'object',
          properties: {
            prefer: { type: 'string', maxLength: 200, description: 'return=update: the same as ?return=update' },
            'x-kyso-identity': { type: 'string', maxLength: 64 },
            'x-kyso-level': { type: 'string', enum: [...LEVELS] },
            'x-kyso-reason': { type: 'string', maxLength: 1500 },
            'x-kyso-location': { type: 'string', maxLength: 600 },
            'x-kyso-field': { type: 'string', maxLength: 300 },
            'x-kyso-result-code': { type: 'string', maxLength: 200 },
            'idempotency-key': { type: 'string', minLength: 1, maxLength: 200, description: 'Required with allocateResultCode: the same key returns the same code' },
            'x-pdf-password': { type: 'string', maxLength: 1024, description: "An encrypted PDF's user or owner password (percent-encoded UTF-8); never logged. Without it the empty user password is tried" },
          },
        },
        response: errorResponses(404, 409, 413, 415, 422),
      },
    },
    async (req, reply) => {
      const form = req.isMultipart() ? await readDocumentForm(req, reply, { limit: ctx.config.bodyLimit, buffers: ctx.buffers, fields: OPTION_NAMES }) : undefined;
      try {
        return await sign(req, reply, form);
      } catch (e) {
        // The audit record names the PDF, not the multipart envelope, also when the request fails before a worker hashed it.
        if (form?.pdf && req.kyso.inputSha256 === undefined) req.kyso.inputSha256 = sha256Hex(form.pdf);
        throw e;
      }
    },
  );

  async function sign(req: FastifyRequest, reply: FastifyReply, form: DocumentForm | undefined): Promise<FastifyReply> {
    const o = signOptions(req, form?.fields);
    const identity = ctx.identityFor(req, o.identity);
    let pdf: Buffer;
    if (form) {
      if (!form.pdf) throw invalid('The form has no file part named "file" (the PDF).', 'Biểu mẫu không có phần tệp "file" (tệp PDF).');
      pdf = pdfBody(form.pdf);
    } else pdf = pdfBody(req.body);
    const mdp = mdpOptions(o);
    const level = o.level ?? 'B-B';
    if (level !== 'B-B' && !ctx.config.tsa) throw new HttpError(400, 'LEVEL_NEEDS_TSA', `Level ${level} needs a timestamp authority, and none is configured.`, `Mức ${level} cần máy chủ cấp dấu thời gian, nhưng chưa được cấu hình.`);
    let resultCode = o.resultCode;
    if (resultCode !== undefined) {
      parseResultCode(resultCode); // CODE_INVALID → 400
      req.kyso.code = resultCode;
    }
    const allocation = allocationOf(req, o);
    const actor = `${identity.name}/${req.kyso.key!.id}`;
    const tsa = ctx.config.tsa;
    const signWith = async (code: string | undefined) => {
      let signed;
      try {
        signed = await ctx.limiter.run(() =>
          ctx.pool.sign(
            pdf,
            identity.signer,
            {
              level,
              ...(level !== 'B-B' && tsa ? { tsa: { url: tsa.url, timeoutMs: tsa.timeoutMs ?? 10_000, trustPolicy: ctx.config.trust.policy, revocation: ctx.config.ltv.revocation } } : {}),
              ...(o.reason ? { reason: o.reason } : {}),
              ...(o.location ? { location: o.location } : {}),
              ...(o.field ? { fieldName: o.field } : {}),
              ...(code ? { resultCode: code } : {}),
              ...pdfPasswordOf(req.headers),
              ...mdp,
            },
            req.kyso,
          ),
        );
      } catch (e) {
        countSignature(ctx.metrics, identity.name, level, e);
        throw e;
      }
      countSignature(ctx.metrics, identity.name, level);
      return signed;
    };
    let result;
    if (allocation) {
      // A result code is its parts: one held by a request that cannot succeed is lost to the owner, so a document the worker would refuse is refused before any is reserved.
      const { pdfPassword } = pdfPasswordOf(req.headers);
      await ctx.pool.check(pdf, pdfPassword);
      const lifecycle = {
        actor,
        what: 'sign',
        voided: (code: string) => {
          req.kyso.code = code;
          return new HttpError(
            409,
            'CODE_STATE',
            `The result code ${code} of the request with this Idempotency-Key was voided: a voided code is never used again; use a new key.`,
            `Mã kết quả ${code} của yêu cầu với Idempotency-Key này đã bị hủy: mã đã hủy không bao giờ được dùng lại; hãy dùng khóa mới.`,
          );
        },
        describe: (e: unknown) => (isKysoError(e) ? e.code : e instanceof HttpError ? e.code : e instanceof Error ? e.message : String(e)),
        onVoidFailed: (err: unknown) => req.log.error({ err: { message: (err as Error).message } }, 'voiding the result code failed'),
      };
      // Reserved, confirmed once signed, kept for the retry if signing fails; the pending audit note goes with the reservation (store/audit-outbox.ts).
      result = await withReservedCodes(ctx.codes, lifecycle, async (reserve) => {
        const issued = await reserve.resultCode({ owner: allocation.owner, type: allocation.type, ...(allocation.suffix !== undefined ? { suffix: allocation.suffix } : {}) }, { idempotencyKey: allocation.idempotencyKey, pending: ctx.pendingAudit(req) });
        req.kyso.code = issued.code;
        resultCode = issued.code;
        return signWith(resultCode);
      });
    } else result = await signWith(resultCode);
    req.kyso.field = result.fieldName;
    reply.header('x-kyso-field', headerValue(result.fieldName)).header('x-kyso-identity', identity.name).type('application/pdf');
    if (resultCode) reply.header('x-kyso-result-code', headerValue(resultCode));
    if (o.return === 'update' || (o.return === undefined && prefersUpdate(req.headers.prefer))) {
      // An incremental update leaves the PDF sent as the signed file's prefix: the rest is all the client needs.
      const update = 'whole' in result.output ? result.output.whole.subarray(pdf.length) : result.output.appended;
      reply.header('x-kyso-signed-sha256', result.outputSha256).header('x-kyso-update-offset', String(pdf.length)).header('preference-applied', 'return=update').header('vary', 'Prefer');
      return reply.type('application/octet-stream').send(Buffer.from(update.buffer, update.byteOffset, update.byteLength));
    }
    reply.header('vary', 'Prefer');
    return sendPdf(reply, signedParts(pdf, result));
  }
}
