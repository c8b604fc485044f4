/** CRLReason (RFC 5280 §5.3.1), shared by OCSP and CRLs. */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

const CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
};

export const REVOCATION_REASONS = Object.keys(CODES) as RevocationReason[];

export function revocationReasonCode(reason: RevocationReason): number {
  const c = CODES[reason];
  if (c === undefined) throw new RangeError(`Unknown revocation reason ${String(reason)}`);
  return c;
}

/** The reason's name, or null for a value RFC 5280 does not define. */
export function revocationReasonName(code: number): RevocationReason | null {
  for (const [name, c] of Object.entries(CODES)) if (c === code) return name as RevocationReason;
  return null;
}
