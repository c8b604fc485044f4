import type { CmsCheck } from '../cms/inspect/index.js';
import type { ModificationLevel } from '../diff/index.js';
import { CHAIN_PROBLEM_ROWS, FACT_ROWS, SIGNATURE_FINDING_ROWS, STAGES, type Decides, type Fact, type Row } from './decision-table.js';
import type { SignatureFindingCode } from './finding-codes.js';
import type { ChainReport, Finding, Indication, SubIndication } from './report.js';

/** What the steps learnt of one signature. */
export interface DecisionInput {
  /** The format step found nothing malformed. */
  formatOk: boolean;
  integrityOk: boolean;
  check: CmsCheck | null;
  cmsRead: boolean;
  signerFound: boolean;
  chain: ChainReport;
  modification: ModificationLevel;
  hasPoe: boolean;
  findings: readonly Finding<SignatureFindingCode>[];
  /** The certificate was revoked before the best proven signing time. */
  revokedBeforeSigning: boolean;
}

/** When each fact of the decision table holds. */
const FACTS: Readonly<Record<Fact, (i: DecisionInput) => boolean>> = {
  malformed: (i) => !i.formatOk,
  'cms-unread': (i) => !i.cmsRead,
  'digest-failed': (i) => (i.check !== null && !i.check.digestOk) || (!i.integrityOk && !signatureValueFailed(i)),
  'signature-value-failed': (i) => !i.integrityOk && signatureValueFailed(i),
  modified: (i) => i.modification === 'suspicious',
  'no-signing-certificate': (i) => !i.signerFound,
  'chain-untrusted': (i) => !i.chain.trusted,
  revoked: (i) => i.revokedBeforeSigning && i.hasPoe,
  'revoked-no-poe': (i) => i.revokedBeforeSigning && !i.hasPoe,
};

/** The digest over the content matched but the value does not verify with a key the CMS holds. */
function signatureValueFailed(i: DecisionInput): boolean {
  return i.check !== null && i.check.digestOk && !i.check.signatureOk && i.signerFound;
}

/**
 * The ETSI EN 319 102-1 indication for one signature: of the decision
 * table's rows that apply (the facts that hold, the signature's findings,
 * the error problems of its chain), the one of the earliest stage; within
 * a stage, facts before findings before chain problems. None: TOTAL_PASSED.
 */
export function decide(i: DecisionInput): { indication: Indication; subIndication: SubIndication | null } {
  const rows: Row[] = [
    ...(Object.keys(FACTS) as Fact[]).filter((f) => FACTS[f](i)).map((f) => FACT_ROWS[f]),
    ...i.findings.map((f) => SIGNATURE_FINDING_ROWS[f.code] ?? 'info'),
    ...i.chain.problems.filter((p) => p.severity === 'error').map((p) => CHAIN_PROBLEM_ROWS[p.code] ?? 'info'),
  ];
  let best: Decides | null = null;
  for (const row of rows) {
    if (row !== 'info' && (best === null || STAGES.indexOf(row.stage) < STAGES.indexOf(best.stage))) best = row;
  }
  return best ? { indication: best.indication, subIndication: best.subIndication } : { indication: 'TOTAL_PASSED', subIndication: null };
}
