import { checkCmsSignature, checkTimestampImprint, inspectTimestampToken, type CmsInspection } from '../../cms/inspect/index.js';
import { KysoError } from '../../errors.js';
import { PdfString, type DssContents, type PdfDict } from '../../pdf/index.js';
import { buildChain, describeSigner, parseCertificate, type TrustStore } from '../../trust/index.js';
import type { SignatureReport, TimestampReport } from '../report.js';
import { chainReport } from './chain.js';
import type { SignatureFindings } from './findings.js';
import type { SignatureIntegrity } from './integrity.js';

/** When the signature was made: what its signer claims, and what a timestamp proves. */
export interface SignatureTime {
  /** The signing-time attribute, else /M: the signer's clock, not proof. */
  claimed: Date | null;
  /** The signature timestamp (a signature's; a document timestamp is its own). */
  sigTs: TimestampReport | null;
  /** Proof of existence: a valid, trusted timestamp's time (a document timestamp's own, when intact). */
  poe: Date | null;
}

/**
 * Time: the claimed signing time and the signature timestamp. The
 * timestamp stamps the signature value, not the document, so it is checked
 * even when the signed bytes are no longer in the file; it proves the
 * signing time only if it verifies and its TSA is trusted.
 */
export function checkTime(
  sig: PdfDict | null,
  kind: SignatureReport['kind'],
  integrity: SignatureIntegrity,
  ctx: { store: TrustStore; dss: DssContents },
  findings: SignatureFindings,
): SignatureTime {
  const { cms, docTs, integrityOk } = integrity;
  const claimed = claimedTime(sig, cms);
  let sigTs: TimestampReport | null = null;
  let poe: Date | null = kind === 'timestamp' && docTs && integrityOk ? docTs.genTime : null;
  const tokens = cms?.unsignedAttributes.signatureTimeStampTokens ?? [];
  if (kind === 'signature' && cms && tokens.length > 0) {
    sigTs = signatureTimestamp(tokens[0]!, cms, ctx);
    if (sigTs.integrity === 'ok' && sigTs.chain?.trusted) poe = new Date(sigTs.time);
    else if (sigTs.integrity !== 'ok') findings.add('TIMESTAMP_INVALID', 'The signature timestamp does not verify.', 'Dấu thời gian của chữ ký không hợp lệ.', 'warning');
    else findings.add('TIMESTAMP_UNTRUSTED', 'The signature timestamp comes from a TSA not trusted under this policy; it does not prove the signing time.', 'Dấu thời gian của chữ ký do máy chủ không được tin cậy theo chính sách này cấp; không chứng minh được thời điểm ký.', 'warning');
  }
  return { claimed, sigTs, poe };
}

function signatureTimestamp(token: Uint8Array, cms: CmsInspection, ctx: { store: TrustStore; dss: DssContents }): TimestampReport {
  const { store, dss } = ctx;
  try {
    const ts = inspectTimestampToken(token);
    const tsCheck = checkCmsSignature(ts.cms, null);
    const ok = checkTimestampImprint(ts, [cms.signatureValue]) && tsCheck.signatureOk && tsCheck.digestOk;
    const tsaCert = ts.cms.signerCertificate;
    // The token often carries only the TSA's own certificate; its issuers may be in the signature or the DSS.
    const tsaChain = tsaCert ? chainReport(buildChain(tsaCert, { store, extraCerts: [...ts.cms.certificates, ...cms.certificates, ...dss.certificates], at: ts.genTime, leafKeyUsage: 'any' })) : null;
    if (tsaChain && tsaCert && !hasTimestampingEku(tsaCert)) {
      tsaChain.trusted = false;
      tsaChain.problems.push({ code: 'TSA_EKU', severity: 'error', message: 'The timestamp certificate lacks the timeStamping extended key usage.', messageVi: 'Chứng thư của máy chủ dấu thời gian thiếu mục đích sử dụng timeStamping.' });
    }
    let tsa = ts.tsaName;
    if (!tsa && tsaCert) {
      try {
        tsa = describeSigner(tsaCert).commonName;
      } catch {
        tsa = null;
      }
    }
    return { time: ts.genTime.toISOString(), tsa, policy: ts.policy, integrity: ok ? 'ok' : 'broken', chain: tsaChain };
  } catch (e) {
    if (!(e instanceof KysoError)) throw e;
    return { time: '', tsa: null, policy: null, integrity: 'broken', chain: null };
  }
}

function hasTimestampingEku(der: Uint8Array): boolean {
  try {
    return parseCertificate(der).extendedKeyUsage?.includes('1.3.6.1.5.5.7.3.8') ?? false;
  } catch {
    return false;
  }
}

function claimedTime(sig: PdfDict | null, cms: CmsInspection | null): Date | null {
  if (cms?.signedAttributes?.signingTime) return cms.signedAttributes.signingTime;
  const m = sig?.get('M');
  return m instanceof PdfString ? parsePdfDate(m.toText()) : null;
}

/** D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional. */
export function parsePdfDate(s: string): Date | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(s.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(th) * 60 + Number(tm)) * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}
