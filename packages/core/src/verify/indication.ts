import type { CmsCheck } from '../cms/inspect/index.js';
import type { ModificationLevel } from '../diff/index.js';
import type { ChainReport, Finding, Indication, SubIndication } from './report.js';

export interface DecisionInput {
  formatOk: boolean;
  integrityOk: boolean;
  check: CmsCheck | null;
  cmsRead: boolean;
  signerFound: boolean;
  chain: ChainReport;
  modification: ModificationLevel;
  hasPoe: boolean;
  now: Date;
  findings: Finding[];
  /** The certificate was revoked before the best proven signing time. */
  revokedBeforeSigning: boolean;
}

/**
 * The ETSI EN 319 102-1 indication for one signature, failures first:
 * a signature that is broken is reported as broken before anything is said
 * about who signed it.
 */
export function decide(i: DecisionInput): { indication: Indication; subIndication: SubIndication | null } {
  const failed = (s: SubIndication) => ({ indication: 'TOTAL_FAILED' as const, subIndication: s });
  const indeterminate = (s: SubIndication) => ({ indication: 'INDETERMINATE' as const, subIndication: s });
  if (!i.formatOk || !i.cmsRead) return failed('FORMAT_FAILURE');
  if (i.check && !i.check.digestOk) return failed('HASH_FAILURE');
  if (!i.integrityOk) {
    if (i.check && i.check.digestOk && !i.check.signatureOk && i.signerFound) return failed('SIG_CRYPTO_FAILURE');
    return failed('HASH_FAILURE');
  }
  // A document changed in ways no rule allows: the signed content is intact
  // but what a viewer shows is not what was signed.
  if (i.modification === 'suspicious') return failed('FORMAT_FAILURE');
  if (i.findings.some((f) => f.code === 'MD5_DIGEST')) return indeterminate('CRYPTO_CONSTRAINTS_FAILURE_NO_POE');
  if (!i.signerFound) return indeterminate('NO_SIGNING_CERTIFICATE_FOUND');
  // cms/inspect reports a signing-certificate(-v2) attribute that does not
  // identify the embedded signer certificate as ESS_CERT_MISMATCH.
  if (i.findings.some((f) => f.code === 'ESS_CERT_MISMATCH' || f.code === 'ESS_MISMATCH' || f.code === 'SIGNING_CERTIFICATE_MISMATCH')) return failed('SIG_CONSTRAINTS_FAILURE');
  const codes = new Set(i.chain.problems.filter((p) => p.severity === 'error').map((p) => p.code));
  if (!i.chain.trusted) {
    if (codes.has('BAD_SIGNATURE') || codes.has('NOT_A_CA') || codes.has('PATH_LENGTH_EXCEEDED')) return indeterminate('CHAIN_CONSTRAINTS_FAILURE');
    return indeterminate('NO_CERTIFICATE_CHAIN_FOUND');
  }
  if (i.revokedBeforeSigning) return i.hasPoe ? failed('REVOKED') : indeterminate('REVOKED_NO_POE');
  if (codes.has('NOT_YET_VALID')) return indeterminate('NOT_YET_VALID');
  if (codes.has('EXPIRED')) return indeterminate('OUT_OF_BOUNDS_NO_POE');
  if (codes.has('KEY_USAGE')) return indeterminate('CHAIN_CONSTRAINTS_FAILURE');
  return { indication: 'TOTAL_PASSED', subIndication: null };
}
