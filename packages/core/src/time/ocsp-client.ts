/**
 * RFC 6960 OCSP client. checkOcsp asks a responder about one certificate and
 * accepts the answer only if it is signed by the issuer itself or by a
 * responder certificate the issuer issued for OCSPSigning, names the
 * certificate asked about, echoes our nonce (when it echoes one), and is
 * fresh against the clock (with a skew tolerance).
 *
 * validateOcspResponse applies the same checks to a response obtained
 * elsewhere (embedded in a signature, a DSS), optionally without a nonce.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KysoError } from '../errors.js';
import {
  childrenOf,
  contentOf,
  expectSequence,
  integerBytes,
  integerHex,
  isContext,
  isUniversal,
  octetStringValue,
  oidOf,
  parseDer,
  rawOf,
  smallIntegerOfContent,
  TAG,
  type Node,
} from '../cms/inspect/der.js';
import { algorithmIdentifier } from '../cms/inspect/algorithms.js';
import { timeOf } from '../cms/inspect/time.js';
import { certificateParts, issuedBy, OID_KP_OCSP_SIGNING, sameCertificate, type CertificateLike, type CertificateParts } from './certificate.js';
import { algorithm, explicit, extension, integerRaw, octetString, sequence } from './der-writer.js';
import { digest, digestSpec, digestSpecByOid, type TimeDigestName } from './digests.js';
import { fetchFor, httpFetcher, type Fetcher } from './fetcher.js';
import type { ResponseCache } from './response-cache.js';
import { revocationReasonName, type RevocationReason } from './revocation-reason.js';
import { verifyTbsSignature } from './signature.js';

export const OID_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
export const OID_OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';

export type OcspCertStatus = 'good' | 'revoked' | 'unknown';

export interface OcspRequestOptions {
  /** Hash of the CertID. Default SHA-1 (what every responder understands, RFC 5019). */
  hashAlgorithm?: TimeDigestName;
  /** Send a nonce extension. Default true. */
  nonce?: boolean;
}

export interface OcspRequest {
  der: Uint8Array;
  /** The nonce extension's extnValue as sent, or null. */
  nonce: Uint8Array | null;
}

export interface OcspValidationOptions {
  /** The nonce extnValue sent (from buildOcspRequest); a response that echoes a different one is refused. */
  nonce?: Uint8Array | null;
  /** Refuse a response that does not echo the nonce. Default false (many responders pre-sign). */
  requireNonce?: boolean;
  /** Default `() => new Date()`. */
  clock?: () => Date;
  /** Tolerance on thisUpdate / nextUpdate / producedAt. Default 5 minutes. */
  maxClockSkewMs?: number;
  /** Without nextUpdate, how old thisUpdate may be. Default 24 hours. */
  maxAgeMs?: number;
}

export interface CheckOcspOptions extends OcspRequestOptions, Omit<OcspValidationOptions, 'nonce'> {
  /** Default: the first OCSP URL in the certificate's AIA. */
  url?: string;
  fetcher?: Fetcher;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Default 1 MiB. */
  maxBytes?: number;
  /** POST (default) or GET with the base64 request in the path (RFC 6960 A.1). */
  method?: 'POST' | 'GET';
  /** Answers are reused until their nextUpdate. */
  cache?: ResponseCache;
}

export interface OcspResult {
  status: OcspCertStatus;
  revokedAt?: Date;
  reason?: RevocationReason;
  thisUpdate: Date;
  nextUpdate: Date | null;
  producedAt: Date;
  /** The whole OCSPResponse, DER: what goes into a DSS or revocation-info attribute. */
  responseDer: Uint8Array;
  /** DER of the certificate that signed the response. */
  responderCert: Uint8Array;
  /** True when the issuer signed the response itself; false for a delegated responder. */
  responderIsIssuer: boolean;
  /** true: our nonce came back; false: none was echoed; null: none was sent. */
  nonceEchoed: boolean | null;
  /** The URL asked (checkOcsp only). */
  url?: string;
  /** Served from the cache given in the options. */
  fromCache?: boolean;
}

const RESPONSE_STATUS: Record<number, string> = {
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

function ocspFailed(reason: string, message: string, vi: string, details: Record<string, unknown> = {}, cause?: unknown): KysoError {
  return new KysoError('OCSP_FAILED', message, { vi, details: { reason, ...details }, ...(cause === undefined ? {} : { cause }) });
}

function hashSpec(name: string | undefined): NonNullable<ReturnType<typeof digestSpec>> {
  const spec = digestSpec(name ?? 'SHA-1');
  if (!spec) throw ocspFailed('bad-option', `Unsupported OCSP CertID hash ${String(name)}`, `Thuật toán băm CertID không được hỗ trợ: ${String(name)}`);
  return spec;
}

/** CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } */
function certIdDer(cert: CertificateParts, issuer: CertificateParts, hashName: TimeDigestName): Uint8Array {
  const spec = hashSpec(hashName);
  return sequence(algorithm(spec.oid, true), octetString(digest(spec, cert.issuerName)), octetString(digest(spec, issuer.publicKeyBits)), integerRaw(cert.serial));
}

/** Builds a DER OCSPRequest for one certificate. */
export function buildOcspRequest(cert: CertificateLike, issuer: CertificateLike, options: OcspRequestOptions = {}): OcspRequest {
  const c = certificateParts(cert);
  const i = certificateParts(issuer);
  const request = sequence(certIdDer(c, i, options.hashAlgorithm ?? 'SHA-1'));
  const nonce = options.nonce === false ? null : octetString(new Uint8Array(randomBytes(16)));
  const tbs = nonce ? sequence(sequence(request), explicit(2, sequence(extension(OID_OCSP_NONCE, nonce)))) : sequence(sequence(request));
  return { der: sequence(tbs), nonce };
}

interface Single {
  certId: Node[];
  status: OcspCertStatus;
  revokedAt?: Date;
  reason?: RevocationReason;
  thisUpdate: Date;
  nextUpdate: Date | null;
}

/** Validates an OCSPResponse (DER) about `cert` issued by `issuer`. */
export function validateOcspResponse(responseDer: Uint8Array, cert: CertificateLike, issuer: CertificateLike, options: OcspValidationOptions = {}): OcspResult {
  const c = certificateParts(cert);
  const iss = certificateParts(issuer);
  const bytes = new Uint8Array(responseDer);
  let parsed: ReturnType<typeof readBasic>;
  try {
    parsed = readBasic(bytes);
  } catch (e) {
    if (e instanceof KysoError && (e.code === 'OCSP_FAILED' || e.code === 'OCSP_UNAVAILABLE')) throw e;
    throw ocspFailed('malformed', 'The OCSP answer is not a valid OCSPResponse', 'Phản hồi OCSP không phải OCSPResponse hợp lệ', {}, e);
  }
  const now = (options.clock ?? (() => new Date()))();
  const skew = options.maxClockSkewMs ?? 5 * 60_000;

  // 1. Who signed, and may they?
  const candidates: CertificateParts[] = [iss];
  for (const d of parsed.certs) {
    try {
      candidates.push(certificateParts(d));
    } catch {
      // an unreadable extra certificate cannot be the responder
    }
  }
  const matching = candidates.filter((k) =>
    parsed.responderId.byName
      ? Buffer.from(k.subjectName).equals(Buffer.from(parsed.responderId.byName))
      : Buffer.from(createHash('sha1').update(k.publicKeyBits).digest()).equals(Buffer.from(parsed.responderId.byKey!)),
  );
  if (matching.length === 0) {
    throw ocspFailed('responder-unknown', 'The OCSP responder certificate is not in the response', 'Không tìm thấy chứng thư của máy chủ OCSP trong phản hồi');
  }
  // Several certificates may carry the responder's name: the first one that is authorised and verifies wins.
  let firstError: KysoError | undefined;
  let responder: CertificateParts | undefined;
  let isIssuer = false;
  for (const k of matching) {
    const error = responderProblem(k, iss, now.getTime(), skew) ?? (verifyTbsSignature(parsed.tbs, parsed.sigAlg, parsed.signature, k.publicKey) ? undefined : SIGNATURE_INVALID());
    if (!error) {
      responder = k;
      isIssuer = isSameKeyAndName(k, iss);
      break;
    }
    firstError ??= error;
  }
  if (!responder) throw firstError!;

  // 2. Which answer is about our certificate?
  const single = parsed.responses.find((s) => certIdMatches(s.certId, c, iss));
  if (!single) throw ocspFailed('certid-mismatch', 'The OCSP response does not answer for this certificate', 'Phản hồi OCSP không nói về chứng thư này', { serial: c.serialHex });

  // 3. Nonce
  let nonceEchoed: boolean | null = null;
  if (options.nonce) {
    if (parsed.nonce) {
      if (!Buffer.from(parsed.nonce).equals(Buffer.from(options.nonce))) {
        throw ocspFailed('nonce-mismatch', 'The OCSP response carries a different nonce than the request', 'Nonce trong phản hồi OCSP khác với nonce đã gửi');
      }
      nonceEchoed = true;
    } else {
      if (options.requireNonce) throw ocspFailed('nonce-missing', 'The OCSP response does not echo the nonce', 'Phản hồi OCSP không gửi lại nonce');
      nonceEchoed = false;
    }
  }

  // 4. Freshness
  const t = now.getTime();
  if (single.thisUpdate.getTime() > t + skew || parsed.producedAt.getTime() > t + skew) {
    throw ocspFailed('not-yet-valid', 'The OCSP response is dated in the future', 'Phản hồi OCSP có thời điểm trong tương lai', { thisUpdate: single.thisUpdate.toISOString() });
  }
  if (single.nextUpdate ? single.nextUpdate.getTime() < t - skew : single.thisUpdate.getTime() < t - (options.maxAgeMs ?? 24 * 3_600_000)) {
    throw ocspFailed('stale', 'The OCSP response is out of date', 'Phản hồi OCSP đã hết hạn', {
      thisUpdate: single.thisUpdate.toISOString(),
      nextUpdate: single.nextUpdate?.toISOString() ?? null,
    });
  }
  if (single.nextUpdate && single.nextUpdate < single.thisUpdate) {
    throw ocspFailed('malformed', 'The OCSP response has nextUpdate before thisUpdate', 'Phản hồi OCSP có nextUpdate trước thisUpdate');
  }

  return {
    status: single.status,
    ...(single.revokedAt ? { revokedAt: single.revokedAt } : {}),
    ...(single.reason ? { reason: single.reason } : {}),
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate,
    producedAt: parsed.producedAt,
    responseDer: bytes,
    responderCert: responder.der,
    responderIsIssuer: isIssuer,
    nonceEchoed,
  };
}

const SIGNATURE_INVALID = (): KysoError => ocspFailed('signature-invalid', 'The OCSP response signature does not verify', 'Chữ ký trên phản hồi OCSP không hợp lệ');

function isSameKeyAndName(k: CertificateParts, iss: CertificateParts): boolean {
  return sameCertificate(k, iss) || (Buffer.from(k.subjectName).equals(Buffer.from(iss.subjectName)) && Buffer.from(k.publicKeyBits).equals(Buffer.from(iss.publicKeyBits)));
}

/** Why `k` may not sign OCSP answers for `iss`'s certificates, or undefined if it may. */
function responderProblem(k: CertificateParts, iss: CertificateParts, now: number, skew: number): KysoError | undefined {
  if (isSameKeyAndName(k, iss)) return undefined;
  if (!issuedBy(k, iss) || !(k.extKeyUsage ?? []).includes(OID_KP_OCSP_SIGNING)) {
    return ocspFailed('responder-unauthorised', 'The OCSP response is signed by a certificate the issuer did not authorise for OCSP signing', 'Phản hồi OCSP được ký bởi chứng thư không được CA ủy quyền ký OCSP');
  }
  if (now + skew < k.notBefore.getTime() || now - skew > k.notAfter.getTime()) {
    return ocspFailed('responder-expired', 'The OCSP responder certificate is not valid now', 'Chứng thư của máy chủ OCSP không còn hiệu lực');
  }
  return undefined;
}

function certIdMatches(certId: Node[], c: CertificateParts, iss: CertificateParts): boolean {
  try {
    const spec = digestSpecByOid(algorithmIdentifier(certId[0], 'CertID.hashAlgorithm').oid);
    if (!spec) return false;
    return (
      Buffer.from(octetStringValue(certId[1], 'issuerNameHash')).equals(Buffer.from(digest(spec, c.issuerName))) &&
      Buffer.from(octetStringValue(certId[2], 'issuerKeyHash')).equals(Buffer.from(digest(spec, iss.publicKeyBits))) &&
      integerHex(integerBytes(certId[3], 'serialNumber')) === c.serialHex
    );
  } catch {
    return false;
  }
}

function readBasic(bytes: Uint8Array): {
  tbs: Uint8Array;
  sigAlg: Node;
  signature: Uint8Array;
  certs: Uint8Array[];
  responderId: { byName?: Uint8Array; byKey?: Uint8Array };
  producedAt: Date;
  responses: Single[];
  nonce: Uint8Array | null;
} {
  const { node, length } = parseDer(bytes, 'OCSPResponse');
  if (length !== bytes.byteLength) throw new Error('trailing bytes');
  const outer = expectSequence(node, 'OCSPResponse');
  const statusNode = outer[0];
  if (!statusNode || !isUniversal(statusNode, 10)) throw new Error('responseStatus');
  const status = smallIntegerOfContent(contentOf(statusNode), 'responseStatus');
  if (status !== 0) {
    const name = RESPONSE_STATUS[status] ?? `status ${status}`;
    if (status === 3) {
      throw new KysoError('OCSP_UNAVAILABLE', 'The OCSP responder asks to try later', { vi: 'Máy chủ OCSP yêu cầu thử lại sau', details: { reason: 'tryLater', status } });
    }
    throw ocspFailed(`status-${name}`, `The OCSP responder answered ${name}`, `Máy chủ OCSP trả lời ${name}`, { status });
  }
  if (!outer[1] || !isContext(outer[1], 0)) throw new Error('no responseBytes');
  const rb = expectSequence(childrenOf(outer[1], 'responseBytes')[0], 'ResponseBytes');
  if (oidOf(rb[0], 'responseType') !== OID_OCSP_BASIC) throw ocspFailed('unsupported', 'Unsupported OCSP response type', 'Loại phản hồi OCSP không được hỗ trợ');
  const basicBytes = octetStringValue(rb[1], 'response');
  const basicParsed = parseDer(basicBytes, 'BasicOCSPResponse');
  if (basicParsed.length !== basicBytes.byteLength) throw new Error('trailing bytes in BasicOCSPResponse');
  const basic = expectSequence(basicParsed.node, 'BasicOCSPResponse');
  const tbsNode = basic[0]!;
  const rd = expectSequence(tbsNode, 'ResponseData');
  const sigBits = basic[2];
  if (!sigBits || !isUniversal(sigBits, TAG.bitString)) throw new Error('signature');
  const certs: Uint8Array[] = [];
  if (basic[3] && isContext(basic[3], 0)) {
    for (const k of expectSequence(childrenOf(basic[3], 'certs')[0], 'certs')) certs.push(new Uint8Array(rawOf(k)));
  }
  let i = 0;
  if (rd[0] && isContext(rd[0], 0)) i++;
  const rid = rd[i++]!;
  const responderId: { byName?: Uint8Array; byKey?: Uint8Array } = {};
  if (isContext(rid, 1)) responderId.byName = rawOf(childrenOf(rid, 'byName')[0]!);
  else if (isContext(rid, 2)) responderId.byKey = octetStringValue(childrenOf(rid, 'byKey')[0], 'byKey');
  else throw new Error('responderID');
  const producedNode = rd[i++];
  if (!producedNode || !isUniversal(producedNode, TAG.generalizedTime)) throw new Error('producedAt');
  const producedAt = timeOf(producedNode, 'producedAt');
  const responses = expectSequence(rd[i++], 'responses').map(single);
  let nonce: Uint8Array | null = null;
  if (rd[i] && isContext(rd[i]!, 1)) {
    for (const ext of expectSequence(childrenOf(rd[i]!, 'responseExtensions')[0], 'Extensions')) {
      const p = expectSequence(ext, 'Extension');
      if (oidOf(p[0], 'extnID') === OID_OCSP_NONCE) nonce = new Uint8Array(octetStringValue(p[p.length - 1], 'nonce'));
    }
  }
  return {
    tbs: new Uint8Array(rawOf(tbsNode)),
    sigAlg: basic[1]!,
    signature: new Uint8Array(contentOf(sigBits).subarray(1)),
    certs,
    responderId,
    producedAt,
    responses,
    nonce,
  };
}

function single(n: Node): Single {
  const f = expectSequence(n, 'SingleResponse');
  const certId = expectSequence(f[0], 'CertID');
  const st = f[1];
  if (!st) throw new Error('certStatus');
  let status: OcspCertStatus;
  let revokedAt: Date | undefined;
  let reason: RevocationReason | undefined;
  if (isContext(st, 0)) status = 'good';
  else if (isContext(st, 2)) status = 'unknown';
  else if (isContext(st, 1)) {
    status = 'revoked';
    const ri = childrenOf(st, 'RevokedInfo');
    revokedAt = timeOf(ri[0], 'revocationTime');
    if (ri[1] && isContext(ri[1], 0)) {
      const e = childrenOf(ri[1], 'revocationReason')[0];
      if (!e || !isUniversal(e, 10)) throw new Error('revocationReason');
      reason = revocationReasonName(smallIntegerOfContent(contentOf(e), 'revocationReason')) ?? 'unspecified';
    }
  } else throw new Error('certStatus');
  const thisUpdate = timeOf(f[2], 'thisUpdate');
  let nextUpdate: Date | null = null;
  if (f[3] && isContext(f[3], 0)) nextUpdate = timeOf(childrenOf(f[3], 'nextUpdate')[0], 'nextUpdate');
  return { certId, status, ...(revokedAt ? { revokedAt } : {}), ...(reason ? { reason } : {}), thisUpdate, nextUpdate };
}

/** Asks the responder (default: the certificate's AIA OCSP URL) about `cert`. */
export async function checkOcsp(cert: CertificateLike, issuer: CertificateLike, options: CheckOcspOptions = {}): Promise<OcspResult> {
  const c = certificateParts(cert);
  const iss = certificateParts(issuer);
  const url = options.url ?? c.ocspUrls[0];
  if (!url) throw ocspFailed('no-url', 'The certificate names no OCSP responder and no URL was given', 'Chứng thư không có địa chỉ OCSP và không có URL nào được cung cấp');
  const cacheKey = `ocsp|${url}|${Buffer.from(createHash('sha1').update(iss.publicKeyBits).digest()).toString('hex')}|${c.serialHex}`;
  const cached = options.cache?.get<OcspResult>(cacheKey);
  if (cached) {
    const skew = options.maxClockSkewMs ?? 5 * 60_000;
    const now = (options.clock ?? (() => new Date()))().getTime();
    if (!cached.nextUpdate || cached.nextUpdate.getTime() >= now - skew) return { ...cached, fromCache: true };
  }
  const req = buildOcspRequest(c.der, iss.der, options);
  const fetcher = options.fetcher ?? httpFetcher;
  const common = { accept: 'application/ocsp-response', timeoutMs: options.timeoutMs ?? 10_000, maxBytes: options.maxBytes ?? 1024 * 1024 };
  const body =
    options.method === 'GET'
      ? await fetchFor('OCSP', fetcher, `${url.replace(/\/+$/, '')}/${encodeURIComponent(Buffer.from(req.der).toString('base64'))}`, { ...common, method: 'GET' })
      : await fetchFor('OCSP', fetcher, url, { ...common, method: 'POST', body: req.der, contentType: 'application/ocsp-request' });
  const result = { ...validateOcspResponse(body, c.der, iss.der, { ...options, nonce: req.nonce }), url };
  if (options.cache && result.nextUpdate) options.cache.set(cacheKey, result, result.nextUpdate);
  return result;
}
