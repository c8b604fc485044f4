import { clientErrors } from './errors.js';
import { decodeHeader, encodeHeader, fromBase64, toBase64 } from './encoding.js';
import { mediaTypeOf } from './media-type.js';
import { jsonOf, textOf, Transport, type Answer, type TransportOptions } from './transport.js';
import type {
  AuditChain,
  AuditListOptions,
  AuditPage,
  CaseCodes,
  CaseCodesOptions,
  CertifiedCopy,
  CertifyCopyOptions,
  CertNumbers,
  CertNumbersOptions,
  CompletedSignature,
  Health,
  PreparedSignature,
  PrepareOptions,
  Readiness,
  ReadyOptions,
  ResultCode,
  ResultCodeOptions,
  SignedPdf,
  SignedUpdate,
  SignOptions,
  VerificationReport,
  VerifyOptions,
  VoidCodeOptions,
  VoidedCode,
} from './types.js';

export type KysoClientOptions = TransportOptions;

/** The kyso signing service, call by call. Every failure is a `KysoClientError`. */
export interface KysoClient {
  /** Signs a PDF with one of the service's identities (POST /v1/sign). */
  sign(pdf: Uint8Array, options?: SignOptions): Promise<SignedPdf>;
  /**
   * The same signature, answered as the update alone (return=update): for a
   * large scan the megabytes do not come back. Join it with @kyso/core's
   * appendSignedUpdate(pdf, update, sha256), which checks the result.
   */
  signUpdate(pdf: Uint8Array, options?: SignOptions): Promise<SignedUpdate>;
  /** Verifies every signature of a PDF (POST /v1/verify): the JSON report. */
  verify(pdf: Uint8Array, options?: VerifyOptions): Promise<VerificationReport>;
  /** The same report as text (format=text). */
  verifyText(pdf: Uint8Array, options?: VerifyOptions): Promise<string>;
  /** Certifies an electronic copy of a scan or a PDF (POST /v1/certified-copies). */
  certifyCopy(scan: Uint8Array, options: CertifyCopyOptions): Promise<CertifiedCopy>;
  /** The codes an agency issues (/v1/codes/*). */
  codes: {
    /** Case codes (mã hồ sơ) for today, Vietnam time. */
    caseCodes(options?: CaseCodesOptions): Promise<CaseCodes>;
    /** Certification numbers (số chứng thực) of a book for this year. */
    certNumbers(options: CertNumbersOptions): Promise<CertNumbers>;
    /** A result code (mã kết quả) for the citizen data store. */
    resultCode(options: ResultCodeOptions): Promise<ResultCode>;
    /** Voids a code (never reused); a certification number as `<year>-<number>` with kind `cert`. */
    void(code: string, options?: VoidCodeOptions): Promise<VoidedCode>;
  };
  /** Signing with a key the service does not hold (a USB token in the browser). */
  twoStep: {
    /** Lays the PDF out on the service: what the key must sign. */
    prepare(pdf: Uint8Array, options: PrepareOptions): Promise<PreparedSignature>;
    /** Embeds the key's signature over `toBeSigned`: the signed PDF. */
    complete(sessionId: string, signature: Uint8Array): Promise<CompletedSignature>;
  };
  /** The hash-chained audit log (a key with the `audit` operation). */
  audit: {
    list(options?: AuditListOptions): Promise<AuditPage>;
    verify(): Promise<AuditChain>;
  };
  /** Liveness (GET /healthz). */
  health(): Promise<Health>;
  /** Readiness (GET /readyz): `status` is `not-ready` when the service answered 503; details only for a key with `ops`. */
  ready(options?: ReadyOptions): Promise<Readiness>;
}

/**
 * A client of the kyso signing service over fetch (Node 20 or a browser).
 *
 * ```ts
 * const kyso = createKysoClient({ baseUrl: 'https://kyso.example.gov.vn', apiKey });
 * const { pdf, field } = await kyso.sign(bytes, { reason: 'Phê duyệt' });
 * ```
 */
export function createKysoClient(options: KysoClientOptions): KysoClient {
  const t = new Transport(options);
  const password = (p: string | undefined) => (p !== undefined ? encodeHeader(p) : undefined);
  const pdfOf = (a: Answer) => a.body;
  const auditIdOf = (a: Answer) => decodeHeader(a.headers.get('x-kyso-audit-id'));
  const withOptional = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

  const postCodes = <T>(path: string, body: object, idempotencyKey: string | undefined) =>
    t.call({ method: 'POST', path, json: body, headers: { 'idempotency-key': idempotencyKey } }).then((a) => jsonOf<T>(a));

  const verifyCall = (pdf: Uint8Array, o: VerifyOptions, format: 'json' | 'text') =>
    t.call({
      method: 'POST',
      path: '/v1/verify',
      query: { lang: o.lang, policy: o.policy, format },
      headers: { 'x-pdf-password': password(o.pdfPassword) },
      body: { bytes: pdf, type: 'application/pdf' },
    });

  return {
    async sign(pdf, o = {}) {
      const { idempotencyKey, pdfPassword, ...query } = o;
      const a = await t.call({
        method: 'POST',
        path: '/v1/sign',
        query,
        headers: { 'idempotency-key': idempotencyKey, 'x-pdf-password': password(pdfPassword) },
        body: { bytes: pdf, type: 'application/pdf' },
      });
      const field = decodeHeader(a.headers.get('x-kyso-field'));
      if (field === undefined) throw clientErrors.unexpected(a.status, { en: 'no X-Kyso-Field header', vi: 'không có tiêu đề X-Kyso-Field' }, undefined);
      return withOptional({
        pdf: pdfOf(a),
        field,
        identity: decodeHeader(a.headers.get('x-kyso-identity')),
        resultCode: decodeHeader(a.headers.get('x-kyso-result-code')),
        auditId: auditIdOf(a),
      });
    },

    async signUpdate(pdf, o = {}) {
      const { idempotencyKey, pdfPassword, ...query } = o;
      const a = await t.call({
        method: 'POST',
        path: '/v1/sign',
        query: { ...query, return: 'update' },
        headers: { 'idempotency-key': idempotencyKey, 'x-pdf-password': password(pdfPassword) },
        body: { bytes: pdf, type: 'application/pdf' },
      });
      const field = decodeHeader(a.headers.get('x-kyso-field'));
      const sha256 = a.headers.get('x-kyso-signed-sha256') ?? '';
      const offset = Number(a.headers.get('x-kyso-update-offset'));
      if (field === undefined || !/^[0-9a-f]{64}$/i.test(sha256) || offset !== pdf.length) {
        throw clientErrors.unexpected(a.status, { en: 'not an update answer (X-Kyso-Field, X-Kyso-Signed-Sha256, X-Kyso-Update-Offset)', vi: 'không phải câu trả lời dạng phần cập nhật (X-Kyso-Field, X-Kyso-Signed-Sha256, X-Kyso-Update-Offset)' }, undefined);
      }
      return withOptional({
        update: a.body,
        sha256,
        offset,
        field,
        identity: decodeHeader(a.headers.get('x-kyso-identity')),
        resultCode: decodeHeader(a.headers.get('x-kyso-result-code')),
        auditId: auditIdOf(a),
      });
    },

    async verify(pdf, o = {}) {
      return jsonOf<VerificationReport>(await verifyCall(pdf, o, 'json'));
    },

    async verifyText(pdf, o = {}) {
      return textOf(await verifyCall(pdf, o, 'text'));
    },

    async certifyCopy(scan, o) {
      const { idempotencyKey, contentType, ...query } = o;
      const a = await t.call({
        method: 'POST',
        path: '/v1/certified-copies',
        query,
        headers: { 'idempotency-key': idempotencyKey },
        body: { bytes: scan, type: contentType ?? mediaTypeOf(scan) },
      });
      const resultCode = decodeHeader(a.headers.get('x-kyso-result-code'));
      const number = Number(a.headers.get('x-kyso-certification-number') ?? Number.NaN);
      const book = decodeHeader(a.headers.get('x-kyso-book'));
      if (resultCode === undefined || !Number.isInteger(number) || book === undefined) {
        throw clientErrors.unexpected(a.status, { en: 'no certified-copy headers (X-Kyso-Result-Code, X-Kyso-Certification-Number, X-Kyso-Book)', vi: 'thiếu các tiêu đề của bản sao chứng thực (X-Kyso-Result-Code, X-Kyso-Certification-Number, X-Kyso-Book)' }, undefined);
      }
      return withOptional({ pdf: pdfOf(a), resultCode, certificationNumber: number, book, auditId: auditIdOf(a) });
    },

    codes: {
      caseCodes({ idempotencyKey, ...body } = {}) {
        return postCodes<CaseCodes>('/v1/codes/case', body, idempotencyKey);
      },
      certNumbers({ idempotencyKey, ...body }) {
        return postCodes<CertNumbers>('/v1/codes/cert-number', body, idempotencyKey);
      },
      resultCode({ idempotencyKey, ...body }) {
        return postCodes<ResultCode>('/v1/codes/result', body, idempotencyKey);
      },
      void(code, body = {}) {
        return postCodes<VoidedCode>(`/v1/codes/${encodeURIComponent(code)}/void`, body, undefined);
      },
    },

    twoStep: {
      async prepare(pdf, o) {
        const { certificateChain, pdfPassword, ...rest } = o;
        const a = await t.call({
          method: 'POST',
          path: '/v1/sign/prepare',
          json: { ...rest, pdf: toBase64(pdf), certificateChain: certificateChain.map(toBase64) },
          headers: { 'x-pdf-password': password(pdfPassword) },
        });
        const r = jsonOf<{ sessionId: string; expiresAt: string; toBeSigned: string; digestAlgorithm: PreparedSignature['digestAlgorithm']; digest: string; field: string }>(a);
        return { sessionId: r.sessionId, expiresAt: new Date(r.expiresAt), toBeSigned: fromBase64(r.toBeSigned), digestAlgorithm: r.digestAlgorithm, digest: fromBase64(r.digest), field: r.field };
      },
      async complete(sessionId, signature) {
        const a = await t.call({ method: 'POST', path: '/v1/sign/complete', json: { sessionId, signature: toBase64(signature) } });
        return withOptional({ pdf: pdfOf(a), field: decodeHeader(a.headers.get('x-kyso-field')) ?? '', auditId: auditIdOf(a) });
      },
    },

    audit: {
      async list(query = {}) {
        return jsonOf<AuditPage>(await t.call({ method: 'GET', path: '/v1/audit', query }));
      },
      async verify() {
        return jsonOf<AuditChain>(await t.call({ method: 'GET', path: '/v1/audit/verify' }));
      },
    },

    async health() {
      return jsonOf<Health>(await t.call({ method: 'GET', path: '/healthz' }));
    },

    async ready(query = {} as ReadyOptions) {
      return jsonOf<Readiness>(await t.call({ method: 'GET', path: '/readyz', query: query as Record<string, string | undefined>, answers: [503] }));
    },
  };
}
