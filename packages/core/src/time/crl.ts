/**
 * X.509 CRLs (RFC 5280 §5): parseCrl reads and checks one (signature by the
 * issuer, issuer name, validity period), fetchCrl downloads it from a
 * distribution point. Delta CRLs, indirect CRLs and unknown critical
 * extensions are refused rather than half-understood.
 */
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
import { timeOf } from '../cms/inspect/time.js';
import { certificateParts, type CertificateLike } from './certificate.js';
import { fetchFor, httpFetcher, type Fetcher } from './fetcher.js';
import type { ResponseCache } from './response-cache.js';
import { revocationReasonName, type RevocationReason } from './revocation-reason.js';
import { verifyTbsSignature } from './signature.js';

export interface CrlRevocation {
  revokedAt: Date;
  /** Absent when the entry has no reasonCode. */
  reason?: RevocationReason;
  invalidityDate?: Date;
}

export interface CrlInfo {
  crlDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** CRL number as lowercase hex, or null. */
  crlNumber: string | null;
  /** Number of entries. */
  revokedCount: number;
  /** The entry for a serial (hex text, INTEGER content bytes, or a certificate object / PEM), or null when not listed. */
  isRevoked(serial: string | Uint8Array | CertificateLike): CrlRevocation | null;
  /** The URL it came from (fetchCrl only). */
  url?: string;
  fromCache?: boolean;
}

export interface ParseCrlOptions {
  /** Check the validity period against this clock. Default `() => new Date()`; null skips (embedded CRLs judged at another time). */
  clock?: (() => Date) | null;
  /** Tolerance on thisUpdate / nextUpdate. Default 5 minutes. */
  maxClockSkewMs?: number;
}

export interface FetchCrlOptions extends ParseCrlOptions {
  fetcher?: Fetcher;
  /** Default 15 000 ms. */
  timeoutMs?: number;
  /** Default 32 MiB. */
  maxBytes?: number;
  /** CRLs are reused until their nextUpdate. */
  cache?: ResponseCache;
}

const OID_REASON = '2.5.29.21';
const OID_INVALIDITY = '2.5.29.24';
const OID_CRL_NUMBER = '2.5.29.20';
const OID_AKI = '2.5.29.35';
const OID_IDP = '2.5.29.28';
/** CRL extensions understood (or harmless) when critical. */
const KNOWN_CRL_EXT = new Set([OID_CRL_NUMBER, OID_AKI, OID_IDP, '2.5.29.18' /* issuerAltName */, '1.3.6.1.5.5.7.1.1' /* AIA */]);
const KNOWN_ENTRY_EXT = new Set([OID_REASON, OID_INVALIDITY]);
const CRL_SIGN = 6;

function crlFailed(reason: string, message: string, vi: string, details: Record<string, unknown> = {}, cause?: unknown): KysoError {
  return new KysoError('CRL_FAILED', message, { vi, details: { reason, ...details }, ...(cause === undefined ? {} : { cause }) });
}

function pemToDer(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  return m ? new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : bytes;
}

function extensionsOf(n: Node, what: string): { id: string; critical: boolean; value: Uint8Array }[] {
  return expectSequence(n, what).map((ext) => {
    const p = expectSequence(ext, 'Extension');
    return {
      id: oidOf(p[0], 'extnID'),
      critical: p.length === 3 && isUniversal(p[1]!, TAG.boolean) && contentOf(p[1]!)[0] !== 0,
      value: octetStringValue(p[p.length - 1], 'extnValue'),
    };
  });
}

function normaliseSerial(serial: string | Uint8Array | CertificateLike): string {
  if (typeof serial === 'string' && !serial.includes('-----BEGIN')) {
    // The same form as integerHex: whole bytes, no leading zero byte.
    const hex = serial.replace(/[\s:]/g, '').toLowerCase().replace(/^0+(?=.)/, '');
    return hex.length % 2 ? `0${hex}` : hex;
  }
  if (serial instanceof Uint8Array) return integerHex(serial);
  return certificateParts(serial as CertificateLike).serialHex;
}

/** Reads and checks a CRL (DER, PEM tolerated) issued by `issuer`. */
export function parseCrl(der: Uint8Array, issuer: CertificateLike, options: ParseCrlOptions = {}): CrlInfo {
  const iss = certificateParts(issuer);
  const bytes = new Uint8Array(pemToDer(der));
  let tbsNode: Node;
  let top: Node[];
  try {
    const { node, length } = parseDer(bytes, 'CRL');
    if (length !== bytes.byteLength) throw new Error('trailing bytes');
    top = expectSequence(node, 'CertificateList');
    if (top.length !== 3) throw new Error('CertificateList: expected 3 fields');
    tbsNode = top[0]!;
  } catch (e) {
    throw crlFailed('malformed', 'Not a CRL', 'Không phải danh sách thu hồi (CRL)', {}, e);
  }
  let parsed: ReturnType<typeof readTbs>;
  try {
    parsed = readTbs(tbsNode);
    const sig = top[2]!;
    if (!isUniversal(sig, TAG.bitString)) throw new Error('signatureValue');
    if (!Buffer.from(rawOf(parsed.innerAlg)).equals(Buffer.from(rawOf(top[1]!)))) {
      throw crlFailed('malformed', 'The CRL names two different signature algorithms', 'CRL ghi hai thuật toán chữ ký khác nhau');
    }
    if (!Buffer.from(parsed.issuerName).equals(Buffer.from(iss.subjectName))) {
      throw crlFailed('wrong-issuer', 'The CRL was issued by another CA', 'CRL do CA khác phát hành');
    }
    if (iss.keyUsage && !iss.keyUsage.has(CRL_SIGN)) {
      throw crlFailed('issuer-not-crl-signer', 'The issuer certificate may not sign CRLs (no cRLSign key usage)', 'Chứng thư của CA không được phép ký CRL (thiếu cRLSign)');
    }
    if (!verifyTbsSignature(rawOf(tbsNode), top[1], contentOf(sig).subarray(1), iss.publicKey)) {
      throw crlFailed('signature-invalid', 'The CRL signature does not verify with the issuer key', 'Chữ ký trên CRL không hợp lệ với khóa của CA');
    }
  } catch (e) {
    if (e instanceof KysoError && e.code === 'CRL_FAILED') throw e;
    throw crlFailed('malformed', `The CRL cannot be read: ${e instanceof Error ? e.message : String(e)}`, 'Không đọc được CRL', {}, e);
  }
  if (options.clock !== null) {
    const now = (options.clock ?? (() => new Date()))().getTime();
    const skew = options.maxClockSkewMs ?? 5 * 60_000;
    if (parsed.thisUpdate.getTime() > now + skew) {
      throw crlFailed('not-yet-valid', 'The CRL is dated in the future', 'CRL có thời điểm phát hành trong tương lai', { thisUpdate: parsed.thisUpdate.toISOString() });
    }
    if (parsed.nextUpdate && parsed.nextUpdate.getTime() < now - skew) {
      throw crlFailed('stale', 'The CRL is out of date (nextUpdate has passed)', 'CRL đã hết hạn (đã qua nextUpdate)', { nextUpdate: parsed.nextUpdate.toISOString() });
    }
  }
  const entries = parsed.entries;
  return {
    crlDer: bytes,
    thisUpdate: parsed.thisUpdate,
    nextUpdate: parsed.nextUpdate,
    crlNumber: parsed.crlNumber,
    revokedCount: entries.size,
    isRevoked(serial) {
      const e = entries.get(normaliseSerial(serial));
      return e ? { ...e } : null;
    },
  };
}

function readTbs(tbsNode: Node): {
  innerAlg: Node;
  issuerName: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  crlNumber: string | null;
  entries: Map<string, CrlRevocation>;
} {
  const f = expectSequence(tbsNode, 'TBSCertList');
  let i = 0;
  if (f[0] && isUniversal(f[0], TAG.integer)) i++;
  const innerAlg = f[i++]!;
  expectSequence(innerAlg, 'signature');
  const issuerNode = f[i++];
  expectSequence(issuerNode, 'issuer');
  const thisUpdate = timeOf(f[i++], 'thisUpdate');
  let nextUpdate: Date | null = null;
  if (f[i] && (isUniversal(f[i]!, TAG.utcTime) || isUniversal(f[i]!, TAG.generalizedTime))) nextUpdate = timeOf(f[i++], 'nextUpdate');
  const entries = new Map<string, CrlRevocation>();
  if (f[i] && isUniversal(f[i]!, TAG.sequence)) {
    for (const e of expectSequence(f[i++], 'revokedCertificates')) {
      const p = expectSequence(e, 'revokedCertificate');
      const serial = integerHex(integerBytes(p[0], 'userCertificate'));
      const entry: CrlRevocation = { revokedAt: timeOf(p[1], 'revocationDate') };
      let removed = false;
      if (p[2]) {
        for (const x of extensionsOf(p[2], 'crlEntryExtensions')) {
          if (x.id === OID_REASON) {
            const r = parseDer(x.value, 'reasonCode').node;
            if (!isUniversal(r, 10)) throw new Error('reasonCode');
            const name = revocationReasonName(smallIntegerOfContent(contentOf(r), 'reasonCode')) ?? 'unspecified';
            if (name === 'removeFromCRL') removed = true;
            entry.reason = name;
          } else if (x.id === OID_INVALIDITY) {
            entry.invalidityDate = timeOf(parseDer(x.value, 'invalidityDate').node, 'invalidityDate');
          } else if (x.critical && !KNOWN_ENTRY_EXT.has(x.id)) {
            throw crlFailed('unsupported', `The CRL has an unsupported critical entry extension ${x.id} (indirect CRL?)`, `CRL có phần mở rộng bắt buộc không được hỗ trợ ${x.id}`, { oid: x.id });
          }
        }
      }
      if (!removed) entries.set(serial, entry);
    }
  }
  let crlNumber: string | null = null;
  if (f[i] && isContext(f[i]!, 0)) {
    for (const x of extensionsOf(childrenOf(f[i]!, 'crlExtensions')[0]!, 'crlExtensions')) {
      if (x.id === OID_CRL_NUMBER) crlNumber = integerHex(integerBytes(parseDer(x.value, 'cRLNumber').node, 'cRLNumber'));
      else if (x.id === '2.5.29.27') throw crlFailed('unsupported', 'Delta CRLs are not supported', 'Không hỗ trợ CRL delta');
      else if (x.critical && !KNOWN_CRL_EXT.has(x.id)) {
        throw crlFailed('unsupported', `The CRL has an unsupported critical extension ${x.id}`, `CRL có phần mở rộng bắt buộc không được hỗ trợ ${x.id}`, { oid: x.id });
      }
    }
    i++;
  }
  if (i !== f.length) throw new Error('TBSCertList: unexpected fields');
  return { innerAlg, issuerName: new Uint8Array(rawOf(issuerNode!)), thisUpdate, nextUpdate, crlNumber, entries };
}

/** Downloads and checks the CRL at `url` (a distribution point of `issuer`'s certificates). */
export async function fetchCrl(url: string, issuer: CertificateLike, options: FetchCrlOptions = {}): Promise<CrlInfo> {
  const iss = certificateParts(issuer);
  const cacheKey = `crl|${url}|${Buffer.from(iss.subjectName).toString('base64')}`;
  const cached = options.cache?.get<CrlInfo>(cacheKey);
  if (cached) {
    const now = (options.clock ?? (() => new Date()))().getTime();
    if (!cached.nextUpdate || cached.nextUpdate.getTime() >= now - (options.maxClockSkewMs ?? 5 * 60_000)) return { ...cached, fromCache: true };
  }
  const body = await fetchFor('CRL', options.fetcher ?? httpFetcher, url, {
    method: 'GET',
    accept: 'application/pkix-crl',
    timeoutMs: options.timeoutMs ?? 15_000,
    maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
  });
  const info = { ...parseCrl(body, iss.der, options), url };
  if (options.cache && info.nextUpdate) options.cache.set(cacheKey, info, info.nextUpdate);
  return info;
}
