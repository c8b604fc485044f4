/**
 * What the TEST services share: the PKI, the clock, the revocation list, and
 * the test hooks that make them misbehave on purpose.
 */
import { certificateParts, type CertificateParts } from '../../time/certificate.js';
import type { RevocationReason } from '../../time/revocation-reason.js';
import type { TestEntity, TestPki } from '../test-pki.js';

/**
 * TSA policy of the TEST services: a made-up TEST value under BCY's TSA
 * policy arc. BCY's real timestamp policy is 2.16.704.1.1.1.2; nothing real
 * is registered under this one.
 */
export const TEST_TSA_POLICY_OID = '2.16.704.1.1.1.2.9999';
/** BCY's real TSA policy OID, for reference (never used by the TEST services unless asked). */
export const BCY_TSA_POLICY_OID = '2.16.704.1.1.1.2';

export type TestCa = 'root' | 'issuing';

export interface TestRevocation {
  at: Date;
  reason?: RevocationReason;
  /** The CA that issued the revoked certificate. */
  issuer: TestCa;
}

/** Hooks that make the services answer wrongly, for negative tests. Set them on `services.hooks`. */
export interface TestServiceHooks {
  /** Replaces the nonce echoed in TSTInfo (content octets of the INTEGER; null omits it). */
  tsaNonce?: (sent: Uint8Array | null) => Uint8Array | null;
  /** Replaces the imprint hash put in TSTInfo. */
  tsaImprint?: (sent: Uint8Array) => Uint8Array;
  /** Signs tokens with this entity instead of `pki.tsa` (its certificate goes in the token). */
  tsaSigner?: TestEntity;
  /** Replaces the OCSP nonce extension value echoed (null omits the extension). */
  ocspNonce?: (sent: Uint8Array | null) => Uint8Array | null;
  /** Signs OCSP responses with this entity instead of the proper responder. */
  ocspSigner?: TestEntity;
  /** Corrupts the signature of OCSP responses and CRLs. */
  breakSignatures?: boolean;
}

export interface ServiceState {
  pki: TestPki;
  clock: () => Date;
  tsaPolicy: string;
  tsaAccuracyMs: number;
  ocspValidityMs: number;
  ocspResponderId: 'name' | 'key';
  crlValidityMs: number;
  /** By lowercase serial hex without leading zeros. */
  revoked: Map<string, TestRevocation>;
  /** Bumped on every revoke / unrevoke, so cached CRLs are rebuilt. */
  version: number;
  hooks: TestServiceHooks;
}

export function normaliseSerialHex(serial: string): string {
  const hex = serial.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new RangeError(`Not a hex serial number: ${serial}`);
  return hex.replace(/^0+(?=.)/, '');
}

export function partsOf(e: TestEntity): CertificateParts {
  return certificateParts(e.certDer);
}

/** The CA that issued the certificate with this serial, if the PKI knows it. */
export function issuerOfSerial(pki: TestPki, serialHex: string): TestCa | null {
  const s = normaliseSerialHex(serialHex);
  if (normaliseSerialHex(pki.root.serialNumber) === s) return 'root';
  if (normaliseSerialHex(pki.issuing.serialNumber) === s) return 'root';
  for (const e of Object.values(pki.leaves)) if (normaliseSerialHex(e.serialNumber) === s) return 'issuing';
  return null;
}
