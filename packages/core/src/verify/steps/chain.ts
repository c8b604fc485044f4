import type { CmsInspection } from '../../cms/inspect/index.js';
import { KysoError } from '../../errors.js';
import type { DssContents } from '../../pdf/index.js';
import type { Fetcher } from '../../time/index.js';
import { buildChain, type ChainResult, type TrustStore } from '../../trust/index.js';
import { breaksChain } from '../decision-table.js';
import type { ChainReport, RevocationReport } from '../report.js';
import { embeddedRevocation, evaluateRevocation } from '../revocation.js';
import type { SignatureFindings } from './findings.js';

/** The signer's certificate path under the trust policy. */
export interface SignatureChain {
  /** Null when no chain could be built (no signer certificate, or CHAIN_UNREADABLE). */
  result: ChainResult | null;
  chain: ChainReport;
}

/** The revocation status of the chain, and whether it undoes the signature. */
export interface SignatureRevocation {
  revocation: RevocationReport & { revokedAt: string | null };
  /** A certificate of the chain was revoked before the best known signing time. */
  revokedBeforeSigning: boolean;
}

/**
 * Chain: a path from the signer certificate to an anchor of the trust
 * store, with the certificates of the CMS and the DSS, checked at
 * `at` (the proven signing time, else the validation time).
 */
export function checkChain(signerDer: Uint8Array | null, cms: CmsInspection | null, ctx: { store: TrustStore; dss: DssContents; at: Date }, findings: SignatureFindings): SignatureChain {
  const { store, dss, at } = ctx;
  let result: ChainResult | null = null;
  if (signerDer) {
    try {
      result = buildChain(signerDer, { store, extraCerts: [...(cms?.certificates ?? []), ...dss.certificates], at });
    } catch (e) {
      if (!(e instanceof KysoError)) throw e;
      findings.add('CHAIN_UNREADABLE', `The certificate chain cannot be built: ${e.message}`, `Không dựng được chuỗi chứng thư số: ${e.messageVi}`);
    }
  }
  return { result, chain: result ? chainReport(result) : emptyChain(store.policy, at) };
}

/**
 * Revocation of a trusted chain's certificates, from the DSS and the CMS,
 * then online when a fetcher is given; revoked before `signedAt` (the
 * proven signing time, else the validation time) undoes the signature.
 */
export async function checkRevocation(
  signed: SignatureChain,
  cms: CmsInspection | null,
  ctx: { dss: DssContents; online: Fetcher | null; now: Date; signedAt: Date },
): Promise<SignatureRevocation> {
  const { result, chain } = signed;
  const revocation = result && chain.trusted
    ? await evaluateRevocation(result.path.map((c) => c.der), embeddedRevocation(ctx.dss, cms), ctx.online, ctx.now)
    : { status: 'unknown' as const, source: null, checkedAt: null, revokedAt: null, note: 'Revocation was not checked: the certificate does not chain to a trusted root.', noteVi: 'Chưa kiểm tra thu hồi: chứng thư số không thuộc chuỗi tin cậy.' };
  const revokedBeforeSigning = revocation.status === 'revoked' && revocation.revokedAt !== null && new Date(revocation.revokedAt) <= ctx.signedAt;
  return { revocation, revokedBeforeSigning };
}

/** A chain as the report states it: trusted when it reaches an anchor and no error breaks it (the decision table's chain rows). */
export function chainReport(r: ChainResult): ChainReport {
  const structural = r.problems.filter((p) => p.severity === 'error' && breaksChain(p.code));
  return {
    trusted: r.anchor !== null && structural.length === 0,
    anchor: r.anchor?.name ?? null,
    // Name the policy the anchor reached really belongs to: a root added to a
    // 'bcy' store by hand is trusted as a custom root, not as BCY.
    policy: r.anchor && !r.anchor.policies.includes(r.policy) ? (r.anchor.policies[0] ?? r.policy) : r.policy,
    validatedAt: r.at.toISOString(),
    path: r.path.map((c) => ({
      subject: c.subject.rfc4514,
      issuer: c.issuer.rfc4514,
      serialNumber: c.serialNumber,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    })),
    problems: r.problems.map((p) => ({ code: p.code, severity: p.severity === 'error' ? 'error' : 'warning', message: p.message, messageVi: p.messageVi })),
  };
}

function emptyChain(policy: string, at: Date): ChainReport {
  return { trusted: false, anchor: null, policy, validatedAt: at.toISOString(), path: [], problems: [] };
}
