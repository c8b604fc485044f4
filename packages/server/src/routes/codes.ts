import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isKysoError, parseCaseCode, parseResultCode } from '@kyso/core';
import { type SequenceKey } from '@kyso/core/codes';
import type { ServerContext } from '../context.js';
import { errors, HttpError } from '../errors.js';
import { bearer, errorResponses } from './schemas.js';

const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200, description: 'The same key returns the same code(s)' } },
} as const;

const state = { type: 'string', enum: ['reserved', 'confirmed', 'voided'] } as const;

interface CaseBody {
  identity?: string;
  count?: number;
  confirm?: boolean;
}
interface CertBody extends CaseBody {
  book: number;
}
interface ResultBody {
  identity?: string;
  owner: string;
  type: string;
  suffix?: string;
  confirm?: boolean;
}
interface VoidBody {
  identity?: string;
  kind?: 'case' | 'cert' | 'result';
  reason?: string;
}

function actorOf(req: FastifyRequest, identity: string): string {
  return `${identity}/${req.kyso.key!.id}`;
}

/** Idempotency keys are scoped by API key, so two clients never share one. Every allocation carries the request's pending audit note (store/audit-outbox.ts). */
function idem(req: FastifyRequest): { idempotencyKey?: string } {
  const h = req.headers['idempotency-key'];
  return typeof h === 'string' ? { idempotencyKey: `${req.kyso.key!.id}:${h}` } : {};
}

export function registerCodeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const common = { security: bearer, tags: ['codes'], headers: idempotencyHeaders };

  app.post<{ Body: CaseBody }>(
    '/v1/codes/case',
    {
      config: { audit: 'codes.case', operation: 'codes' },
      schema: {
        ...common,
        summary: 'Cấp mã hồ sơ / issue case codes for today (Vietnam time)',
        body: {
          type: 'object',
          properties: { identity: { type: 'string', maxLength: 64 }, count: { type: 'integer', minimum: 1, maximum: 100, default: 1 }, confirm: { type: 'boolean', default: false } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            required: ['identity', 'agency', 'codes'],
            properties: {
              identity: { type: 'string' },
              agency: { type: 'string' },
              codes: {
                type: 'array',
                items: { type: 'object', required: ['code', 'sequence', 'date', 'state'], properties: { code: { type: 'string' }, sequence: { type: 'integer' }, date: { type: 'string' }, state } },
              },
            },
          },
          ...errorResponses(409, 415),
        },
      },
    },
    async (req) => {
      const body = req.body ?? {};
      const id = ctx.identityFor(req, body.identity);
      const issued = await ctx.codes.caseCodes(id.agency, { actor: actorOf(req, id.name), count: body.count ?? 1, confirm: body.confirm === true, ...idem(req), pending: ctx.pendingAudit(req) });
      req.kyso.code = issued.map((c) => c.code).join(',').slice(0, 2000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return {
        identity: id.name,
        agency: id.agency,
        codes: issued.map((c) => ({ code: c.code, sequence: c.sequence, date: `${c.date.year}-${pad(c.date.month)}-${pad(c.date.day)}`, state: c.state })),
      };
    },
  );

  app.post<{ Body: CertBody }>(
    '/v1/codes/cert-number',
    {
      config: { audit: 'codes.cert-number', operation: 'codes' },
      schema: {
        ...common,
        summary: 'Cấp số chứng thực / issue certification numbers for this year',
        body: {
          type: 'object',
          required: ['book'],
          properties: {
            identity: { type: 'string', maxLength: 64 },
            book: { type: 'integer', minimum: 1, maximum: 9999 },
            count: { type: 'integer', minimum: 1, maximum: 100, default: 1 },
            confirm: { type: 'boolean', default: false },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            required: ['identity', 'agency', 'numbers'],
            properties: {
              identity: { type: 'string' },
              agency: { type: 'string' },
              numbers: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'number', 'book', 'year', 'bookLabel', 'line', 'state'],
                  properties: {
                    id: { type: 'string', description: '<year>-<number>: what /v1/codes/{code}/void takes with kind "cert"' },
                    number: { type: 'integer' },
                    book: { type: 'integer' },
                    year: { type: 'integer' },
                    bookLabel: { type: 'string' },
                    line: { type: 'string' },
                    state,
                  },
                },
              },
            },
          },
          ...errorResponses(409, 415),
        },
      },
    },
    async (req) => {
      const id = ctx.identityFor(req, req.body.identity);
      const issued = await ctx.codes.certNumbers(id.agency, req.body.book, { actor: actorOf(req, id.name), count: req.body.count ?? 1, confirm: req.body.confirm === true, ...idem(req), pending: ctx.pendingAudit(req) });
      req.kyso.code = issued.map((c) => `${c.year}-${c.number}`).join(',').slice(0, 2000);
      return {
        identity: id.name,
        agency: id.agency,
        numbers: issued.map((c) => ({ id: `${c.year}-${c.number}`, number: c.number, book: c.book, year: c.year, bookLabel: c.bookLabel, line: c.line, state: c.state })),
      };
    },
  );

  app.post<{ Body: ResultBody }>(
    '/v1/codes/result',
    {
      config: { audit: 'codes.result', operation: 'codes' },
      schema: {
        ...common,
        summary: 'Cấp mã kết quả / register a result code for the citizen data store',
        body: {
          type: 'object',
          required: ['owner', 'type'],
          properties: {
            identity: { type: 'string', maxLength: 64 },
            owner: { type: 'string', minLength: 1, maxLength: 64, description: 'CCCD number or agency code of the owner' },
            type: { type: 'string', minLength: 1, maxLength: 64, description: 'Result type Gxx.nnnnnn' },
            suffix: { type: 'string', maxLength: 100 },
            confirm: { type: 'boolean', default: false },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', required: ['identity', 'code', 'state'], properties: { identity: { type: 'string' }, code: { type: 'string' }, state } }, ...errorResponses(409, 415) },
      },
    },
    async (req) => {
      const id = ctx.identityFor(req, req.body.identity);
      const r = await ctx.codes.resultCode(
        { owner: req.body.owner, type: req.body.type, ...(req.body.suffix !== undefined ? { suffix: req.body.suffix } : {}) },
        { actor: actorOf(req, id.name), confirm: req.body.confirm === true, ...idem(req), pending: ctx.pendingAudit(req) },
      );
      req.kyso.code = r.code;
      return { identity: id.name, code: r.code, state: r.state };
    },
  );

  app.post<{ Params: { code: string }; Body: VoidBody | undefined }>(
    '/v1/codes/:code/void',
    {
      config: { audit: 'codes.void', operation: 'codes' },
      schema: {
        security: bearer,
        tags: ['codes'],
        summary: 'Hủy một mã / void a case code, result code or certification number (never reused)',
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 1, maxLength: 200 } } },
        body: {
          type: 'object',
          properties: {
            identity: { type: 'string', maxLength: 64 },
            kind: { type: 'string', enum: ['case', 'cert', 'result'], description: 'Default: guessed from the code; "cert" takes <year>-<number>' },
            reason: { type: 'string', maxLength: 500 },
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', required: ['code', 'kind', 'state'], properties: { code: { type: 'string' }, kind: { type: 'string' }, state } }, ...errorResponses(404, 409, 415) },
      },
    },
    async (req) => {
      const body = req.body ?? {};
      const code = req.params.code;
      req.kyso.code = code;
      const key = req.kyso.key!;
      const kind = body.kind ?? guessKind(code);
      const reason = body.reason !== undefined ? { reason: body.reason } : {};
      if (kind === 'case') {
        const agency = parseCaseCode(code).agency;
        const id = pickByAgency(ctx, req, body.identity, agency);
        const r = await ctx.codes.voidCaseCode(code, { actor: actorOf(req, id), ...reason });
        return { code: r.code, kind, state: r.state };
      }
      if (kind === 'cert') {
        const m = /^(\d{4})-(\d{1,9})$/.exec(code);
        if (!m) throw new HttpError(400, 'CODE_INVALID', 'A certification number is voided as <year>-<number>.', 'Số chứng thực cần hủy có dạng <năm>-<số>.');
        const id = ctx.identityFor(req, body.identity);
        const r = await ctx.codes.voidCertNumber(id.agency, Number(m[1]), Number(m[2]), { actor: actorOf(req, id.name), ...reason });
        return { code: `${r.year}-${r.number}`, kind, state: r.state };
      }
      // A result code belongs to the identity that registered it.
      const p = parseResultCode(code);
      const seqKey: SequenceKey = { kind: 'result', agency: p.owner, period: p.type + (p.suffix ? `.${p.suffix}` : '') };
      const a = await ctx.sequences.get(seqKey, 1);
      if (!a) throw new HttpError(404, 'CODE_NOT_FOUND', `Result code ${code} was never issued here.`, `Mã kết quả ${code} chưa từng được cấp tại đây.`);
      const owner = a.actor.split('/')[0] ?? '';
      if (!key.identities.includes(owner)) throw errors.forbidden(`void codes of identity "${owner}"`, `hủy mã của danh tính "${owner}"`);
      req.kyso.identity = owner;
      const r = await ctx.codes.voidResultCode(code, { actor: actorOf(req, owner), ...reason });
      return { code: r.code, kind, state: r.state };
    },
  );
}

function guessKind(code: string): 'case' | 'cert' | 'result' {
  if (/^\d{4}-\d{1,9}$/.test(code)) return 'cert';
  try {
    parseCaseCode(code);
    return 'case';
  } catch (e) {
    if (!isKysoError(e)) throw e;
  }
  return 'result';
}

/** The identity of this key that owns `agency`, or 403. */
function pickByAgency(ctx: ServerContext, req: FastifyRequest, name: string | undefined, agency: string): string {
  const key = req.kyso.key!;
  const candidates = key.identities.filter((n) => ctx.identities.get(n)?.agency === agency && (name === undefined || n === name));
  if (candidates.length === 0) throw errors.forbidden(`void codes of agency ${agency}`, `hủy mã của cơ quan ${agency}`);
  req.kyso.identity = candidates[0]!;
  return candidates[0]!;
}
