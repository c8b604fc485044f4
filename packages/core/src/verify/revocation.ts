import type { CmsInspection } from '../cms/inspect/index.js';
import type { DssContents } from '../pdf/index.js';
import { checkOcsp, fetchCrl, parseCrl, validateOcspResponse, type Fetcher } from '../time/index.js';
import type { RevocationReport } from './report.js';

export interface RevocationSources {
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

/** Revocation data embedded in the document: the DSS (read once per document), and the CMS itself (Adobe archival attribute, SignedData.crls). */
export function embeddedRevocation(dss: DssContents, cms: CmsInspection | null): RevocationSources {
  const out: RevocationSources = { ocspResponses: [...dss.ocspResponses], crls: [...dss.crls] };
  if (cms) {
    out.ocspResponses.push(...(cms.revocationInfoArchival?.ocspResponses ?? []), ...(cms.ocspResponses ?? []));
    out.crls.push(...(cms.revocationInfoArchival?.crls ?? []), ...cms.crls);
  }
  return out;
}

const LENIENT = { maxClockSkewMs: 1e15, maxAgeMs: 1e15 };

interface CertStatus {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  source: 'embedded' | 'online' | null;
}

/**
 * The revocation status of each certificate of `path` (leaf first, root
 * last, the root itself not checked), from embedded data first and then,
 * if a fetcher is given, online. Revoked anywhere wins; good needs every
 * certificate good.
 */
export async function evaluateRevocation(path: readonly Uint8Array[], sources: RevocationSources, online: Fetcher | null, now: Date): Promise<RevocationReport & { revokedAt: string | null }> {
  if (path.length < 2) {
    return { status: 'unknown', source: null, checkedAt: null, revokedAt: null, note: 'The chain is incomplete, so revocation cannot be checked.', noteVi: 'Chuỗi chứng thư không đầy đủ nên không kiểm tra được tình trạng thu hồi.' };
  }
  const results: CertStatus[] = [];
  for (let i = 0; i + 1 < path.length; i++) results.push(await statusOf(path[i]!, path[i + 1]!, sources, online));
  const revoked = results.find((r) => r.status === 'revoked');
  const sourceOf = (rs: CertStatus[]): 'embedded' | 'online' | null => (rs.some((r) => r.source === 'online') ? 'online' : rs.some((r) => r.source === 'embedded') ? 'embedded' : null);
  if (revoked) {
    return {
      status: 'revoked',
      source: revoked.source,
      checkedAt: now.toISOString(),
      revokedAt: revoked.revokedAt?.toISOString() ?? null,
      note: `A certificate of the chain was revoked on ${revoked.revokedAt?.toISOString() ?? 'an unknown date'}.`,
      noteVi: `Một chứng thư số trong chuỗi đã bị thu hồi vào ${revoked.revokedAt?.toISOString() ?? 'một thời điểm không rõ'}.`,
    };
  }
  if (results.every((r) => r.status === 'good')) {
    const source = sourceOf(results);
    return { status: 'good', source, checkedAt: now.toISOString(), revokedAt: null, note: `No certificate of the chain is revoked (${source} data).`, noteVi: `Không chứng thư nào trong chuỗi bị thu hồi (dữ liệu ${source === 'online' ? 'trực tuyến' : 'kèm trong tệp'}).` };
  }
  return {
    status: 'unknown',
    source: sourceOf(results),
    checkedAt: now.toISOString(),
    revokedAt: null,
    note: online ? 'The revocation status of some certificate could not be established, offline or online.' : 'No embedded revocation data covers every certificate of the chain, and online checking is off.',
    noteVi: online ? 'Không xác định được tình trạng thu hồi của một số chứng thư, kể cả trực tuyến.' : 'Dữ liệu thu hồi kèm trong tệp không bao phủ mọi chứng thư trong chuỗi, và chế độ kiểm tra trực tuyến đang tắt.',
  };
}

async function statusOf(cert: Uint8Array, issuer: Uint8Array, sources: RevocationSources, online: Fetcher | null): Promise<CertStatus> {
  let good = false;
  for (const der of sources.ocspResponses) {
    try {
      const r = validateOcspResponse(der, cert, issuer, LENIENT);
      if (r.status === 'revoked') return { status: 'revoked', ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}), source: 'embedded' };
      if (r.status === 'good') good = true;
    } catch {
      // a response about another certificate, or one that does not verify, proves nothing here
    }
  }
  for (const der of sources.crls) {
    try {
      const crl = parseCrl(der, issuer, { clock: null });
      const entry = crl.isRevoked(cert);
      if (entry) return { status: 'revoked', revokedAt: entry.revokedAt, source: 'embedded' };
      good = true;
    } catch {
      // a CRL from another issuer, or a forged one
    }
  }
  if (good) return { status: 'good', source: 'embedded' };
  if (!online) return { status: 'unknown', source: null };
  try {
    const r = await checkOcsp(cert, issuer, { fetcher: online });
    if (r.status !== 'unknown') return { status: r.status, ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}), source: 'online' };
  } catch {
    // fall back to the CRL
  }
  try {
    const { certificateParts } = await import('../time/certificate.js');
    const url = certificateParts(cert).crlUrls[0];
    if (url) {
      const crl = await fetchCrl(url, issuer, { fetcher: online });
      const entry = crl.isRevoked(cert);
      return entry ? { status: 'revoked', revokedAt: entry.revokedAt, source: 'online' } : { status: 'good', source: 'online' };
    }
  } catch {
    // unreachable or invalid CRL
  }
  return { status: 'unknown', source: null };
}
