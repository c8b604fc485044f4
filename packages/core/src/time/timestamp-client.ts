/**
 * RFC 3161 client: builds a TimeStampReq, sends it to a TSA, and accepts the
 * answer only after checking it: status granted, same imprint, same nonce,
 * the requested policy, a token signature that verifies with the TSA
 * certificate, an ESS signing-certificate binding, and a TSA certificate
 * whose only EKU is timeStamping (critical) and which was valid at genTime.
 *
 * Trust in the TSA certificate's chain is not decided here (that belongs to
 * the verifier's trust policy); the certificate is returned for it.
 */
import { randomBytes } from 'node:crypto';
import { KysoError } from '../errors.js';
import { checkCmsSignature } from '../cms/inspect/check-signature.js';
import { childrenOf, contentOf, expectSequence, integerHex, isUniversal, parseDer, rawOf, smallInteger, TAG, type Node } from '../cms/inspect/der.js';
import { inspectTimestampToken } from '../cms/inspect/timestamp-token.js';
import type { TimestampInfo } from '../cms/inspect/types.js';
import { certificateParts, OID_KP_TIME_STAMPING, type CertificateLike } from './certificate.js';
import { algorithm, boolean, integer, octetString, oid, sequence } from './der-writer.js';
import { digestSpec, type TimeDigestName } from './digests.js';
import { fetchFor, httpFetcher, type Fetcher } from './fetcher.js';

export interface TimestampRequestOptions {
  /** Default SHA-256. The digest's length must match. */
  hashAlgorithm?: TimeDigestName;
  /** Send a random nonce and require it back. Default true. */
  nonce?: boolean;
  /** Ask the TSA to include its certificate. Default true. */
  certReq?: boolean;
  /** Request this TSA policy OID (e.g. BCY's 2.16.704.1.1.1.2) and require it in the token. */
  policy?: string;
}

export interface RequestTimestampOptions extends TimestampRequestOptions {
  url: string;
  fetcher?: Fetcher;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest reply accepted. Default 1 MiB. */
  maxBytes?: number;
  /**
   * The TSA certificate: required when certReq is false (the token then carries none);
   * when given, a token signed by any other certificate is refused (pinning).
   */
  tsaCertificate?: CertificateLike;
  /** Require the timeStamping EKU to be the only one and critical (RFC 3161 §2.3). Default true. */
  strictEku?: boolean;
  /** Reference clock. Default `() => new Date()`. */
  clock?: () => Date;
  /** Largest accepted |genTime − clock| in ms. Default 5 minutes; Infinity disables. */
  maxClockSkewMs?: number;
}

export interface TimestampRequest {
  der: Uint8Array;
  /** Lowercase hex of the nonce sent, or null. */
  nonce: string | null;
}

export interface TimestampResult {
  /** The TimeStampToken: a DER ContentInfo (SignedData over TSTInfo), ready to embed. */
  token: Uint8Array;
  genTime: Date;
  /** 'grantedWithMods' when the TSA says it changed something (RFC 3161 status 1). */
  status: 'granted' | 'grantedWithMods';
  policy: string;
  /** Lowercase hex. */
  serialNumber: string;
  nonce: string | null;
  accuracyMs: number | null;
  hashAlgorithm: TimeDigestName;
  /** DER of the certificate that signed the token. */
  tsaCertificate: Uint8Array;
  info: TimestampInfo;
}

const FAIL_INFO: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

function tsaFailed(reason: string, message: string, vi: string, details: Record<string, unknown> = {}, cause?: unknown): KysoError {
  return new KysoError('TSA_FAILED', message, { vi, details: { reason, ...details }, ...(cause === undefined ? {} : { cause }) });
}

function hashSpec(name: string | undefined): NonNullable<ReturnType<typeof digestSpec>> {
  const spec = digestSpec(name ?? 'SHA-256');
  if (!spec) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Unsupported timestamp hash algorithm ${String(name)}`, {
      vi: `Thuật toán băm cho dấu thời gian không được hỗ trợ: ${String(name)}`,
    });
  }
  return spec;
}

/** A positive random nonce (64 bits) as content bytes. */
function randomNonce(): Uint8Array {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return new Uint8Array(b);
}

/** Builds a DER TimeStampReq for `digest`. */
export function buildTimestampRequest(digest: Uint8Array, options: TimestampRequestOptions = {}): TimestampRequest {
  const spec = hashSpec(options.hashAlgorithm);
  if (!(digest instanceof Uint8Array) || digest.byteLength !== spec.length) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `The digest must be ${spec.length} bytes for ${spec.name}`, {
      vi: `Giá trị băm phải dài ${spec.length} byte với ${spec.name}`,
    });
  }
  const nonce = options.nonce === false ? null : randomNonce();
  const fields = [integer(1), sequence(algorithm(spec.oid, true), octetString(digest))];
  if (options.policy) fields.push(oid(options.policy));
  if (nonce) fields.push(integer(nonce));
  if (options.certReq !== false) fields.push(boolean(true));
  return { der: sequence(...fields), nonce: nonce ? integerHex(nonce) : null };
}

export interface TimestampExpectations extends TimestampRequestOptions {
  digest: Uint8Array;
  /** Hex nonce that was sent (from buildTimestampRequest), or null. */
  sentNonce: string | null;
  tsaCertificate?: CertificateLike;
  strictEku?: boolean;
  clock?: () => Date;
  maxClockSkewMs?: number;
}

/** Validates a TimeStampResp (DER) against what was asked. */
export function validateTimestampResponse(responseDer: Uint8Array, expect: TimestampExpectations): TimestampResult {
  let statusNode: Node[];
  let tokenNode: Node | undefined;
  let status: number;
  try {
    const bytes = new Uint8Array(responseDer);
    const { node, length } = parseDer(bytes, 'TimeStampResp');
    if (length !== bytes.byteLength) throw new Error('trailing bytes');
    const resp = expectSequence(node, 'TimeStampResp');
    statusNode = expectSequence(resp[0], 'PKIStatusInfo');
    tokenNode = resp[1];
    if (resp.length > 2) throw new Error('unexpected fields');
    status = smallInteger(statusNode[0], 'PKIStatus');
  } catch (e) {
    throw tsaFailed('malformed', 'The TSA answer is not a TimeStampResp', 'Phản hồi của TSA không phải TimeStampResp', {}, e);
  }
  if (status !== 0 && status !== 1) {
    const texts: string[] = [];
    const failInfo: string[] = [];
    try {
      for (const n of statusNode.slice(1)) {
        if (isUniversal(n, TAG.sequence)) for (const t of childrenOf(n, 'PKIFreeText')) texts.push(Buffer.from(contentOf(t)).toString('utf8'));
        else if (isUniversal(n, TAG.bitString)) {
          const c = contentOf(n);
          for (let b = 0; b < (c.byteLength - 1) * 8; b++) if ((c[1 + (b >> 3)]! & (0x80 >> (b & 7))) !== 0) failInfo.push(FAIL_INFO[b] ?? `bit${b}`);
        }
      }
    } catch {
      // an unreadable status text or failInfo: the status alone is reported
    }
    const details = { status, statusText: texts, failInfo };
    if (status === 3) {
      throw new KysoError('TSA_UNAVAILABLE', `The TSA asks to wait (status 3)${texts.length ? `: ${texts.join('; ')}` : ''}`, {
        vi: 'TSA yêu cầu chờ (trạng thái 3)',
        details,
      });
    }
    throw tsaFailed(
      'rejected',
      `The TSA refused the request (status ${status}${failInfo.length ? `, ${failInfo.join(', ')}` : ''})${texts.length ? `: ${texts.join('; ')}` : ''}`,
      `TSA từ chối yêu cầu (trạng thái ${status}${failInfo.length ? `, ${failInfo.join(', ')}` : ''})`,
      details,
    );
  }
  if (!tokenNode) throw tsaFailed('no-token', 'The TSA granted the request but sent no token', 'TSA chấp nhận nhưng không gửi dấu thời gian');
  const token = new Uint8Array(rawOf(tokenNode));
  let info: TimestampInfo;
  try {
    info = inspectTimestampToken(token);
  } catch (e) {
    throw tsaFailed('malformed', `The timestamp token cannot be read: ${e instanceof Error ? e.message : String(e)}`, 'Không đọc được dấu thời gian', {}, e);
  }

  const spec = hashSpec(expect.hashAlgorithm);
  if (info.messageImprint.algorithm !== spec.name || !Buffer.from(info.messageImprint.hash).equals(Buffer.from(expect.digest))) {
    throw tsaFailed('imprint-mismatch', 'The timestamp covers a different hash than the one sent', 'Dấu thời gian không khớp giá trị băm đã gửi', {
      algorithm: info.messageImprint.algorithm,
    });
  }
  if (expect.sentNonce !== null && info.nonce !== expect.sentNonce) {
    throw tsaFailed('nonce-mismatch', 'The timestamp nonce differs from the one sent', 'Nonce trong dấu thời gian khác với nonce đã gửi', {
      sent: expect.sentNonce,
      received: info.nonce,
    });
  }
  if (expect.policy && info.policy !== expect.policy) {
    throw tsaFailed('policy-mismatch', `The TSA used policy ${info.policy}, not ${expect.policy}`, `TSA dùng chính sách ${info.policy}, không phải ${expect.policy}`, {
      policy: info.policy,
      expected: expect.policy,
    });
  }

  let certDer = info.cms.signerCertificate;
  if (expect.tsaCertificate) {
    const pinned = certificateParts(expect.tsaCertificate).der;
    if (certDer && !Buffer.from(certDer).equals(Buffer.from(pinned))) {
      throw tsaFailed('certificate-mismatch', 'The token is signed by another TSA certificate than the one given', 'Dấu thời gian được ký bởi chứng thư TSA khác với chứng thư đã chỉ định');
    }
    certDer = pinned;
  }
  if (!certDer) {
    throw tsaFailed('no-certificate', 'The token carries no TSA certificate and none was given', 'Dấu thời gian không kèm chứng thư TSA và không có chứng thư nào được cung cấp');
  }
  const check = checkCmsSignature({ ...info.cms, signerCertificate: certDer }, null);
  if (!check.ok || check.essOk !== true) {
    throw tsaFailed(
      'signature-invalid',
      `The timestamp token signature does not verify${check.essOk === null ? ' (no ESS signing-certificate attribute)' : ''}: ${check.problems.map((p) => p.code).join(', ')}`,
      'Chữ ký trên dấu thời gian không hợp lệ',
      { problems: check.problems.map((p) => p.code), essOk: check.essOk },
    );
  }
  const cert = certificateParts(certDer);
  const ekus = cert.extKeyUsage ?? [];
  const strict = expect.strictEku !== false;
  if (!ekus.includes(OID_KP_TIME_STAMPING) || (strict && (ekus.length !== 1 || !cert.extKeyUsageCritical))) {
    throw tsaFailed('eku', 'The TSA certificate is not a time-stamping certificate (EKU timeStamping, critical, alone)', 'Chứng thư TSA không phải chứng thư cấp dấu thời gian (EKU timeStamping, critical)', {
      ekus,
      critical: cert.extKeyUsageCritical,
    });
  }
  if (info.genTime < cert.notBefore || info.genTime > cert.notAfter) {
    throw tsaFailed('certificate-expired', 'The TSA certificate was not valid at the time it stamped', 'Chứng thư TSA không còn hiệu lực tại thời điểm cấp dấu thời gian', {
      genTime: info.genTime.toISOString(),
    });
  }
  const now = (expect.clock ?? (() => new Date()))();
  const skew = expect.maxClockSkewMs ?? 5 * 60_000;
  if (Math.abs(info.genTime.getTime() - now.getTime()) > skew) {
    throw tsaFailed('clock', `The TSA time ${info.genTime.toISOString()} is too far from the local clock`, `Thời gian của TSA ${info.genTime.toISOString()} lệch quá xa đồng hồ máy`, {
      genTime: info.genTime.toISOString(),
      now: now.toISOString(),
    });
  }
  return {
    token,
    genTime: info.genTime,
    status: status === 0 ? 'granted' : 'grantedWithMods',
    policy: info.policy,
    serialNumber: info.serialNumber,
    nonce: info.nonce,
    accuracyMs: info.accuracyMs,
    hashAlgorithm: spec.name,
    tsaCertificate: cert.der,
    info,
  };
}

/** Asks a TSA to timestamp `digest` (the hash of the data, computed with `hashAlgorithm`). */
export async function requestTimestamp(digest: Uint8Array, options: RequestTimestampOptions): Promise<TimestampResult> {
  const req = buildTimestampRequest(digest, options);
  const body = await fetchFor('TSA', options.fetcher ?? httpFetcher, options.url, {
    method: 'POST',
    body: req.der,
    contentType: 'application/timestamp-query',
    accept: 'application/timestamp-reply',
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 1024 * 1024,
  });
  return validateTimestampResponse(body, { ...options, digest, sentNonce: req.nonce });
}
