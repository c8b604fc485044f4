/**
 * CRLs of the TEST CAs (RFC 5280 §5): v2, signed by the CA, with the revoked
 * serials and their times and reasons, authority key identifier and a CRL
 * number that grows with every CRL issued. A CRL is reissued when the
 * revocation list changes or its nextUpdate passes.
 */
import { bitString, enumerated, explicit, extension, implicitPrimitive, integer, sequence, x509Time } from '../../time/der-writer.js';
import { revocationReasonCode } from '../../time/revocation-reason.js';
import { signatureAlgorithmOf, signWith } from './sign.js';
import { partsOf, type ServiceState, type TestCa } from './state.js';

const OID_CRL_NUMBER = '2.5.29.20';
const OID_AKI = '2.5.29.35';
const OID_REASON = '2.5.29.21';

export function createCrlIssuer(state: ServiceState): (ca: TestCa) => Uint8Array {
  let crlNumber = 0;
  const issued = new Map<TestCa, { der: Uint8Array; version: number; thisUpdate: number; nextUpdate: number }>();
  return (ca) => {
    const now = state.clock();
    const t = Math.floor(now.getTime() / 1000) * 1000;
    const prev = issued.get(ca);
    if (prev && prev.version === state.version && t >= prev.thisUpdate && t < prev.nextUpdate && !state.hooks.breakSignatures) return prev.der;

    const entity = ca === 'root' ? state.pki.root : state.pki.issuing;
    const parts = partsOf(entity);
    const entries = [...state.revoked.entries()]
      .filter(([, r]) => r.issuer === ca)
      .sort((a, b) => a[1].at.getTime() - b[1].at.getTime())
      .map(([serial, r]) =>
        sequence(
          integer(new Uint8Array(Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex'))),
          x509Time(r.at),
          ...(r.reason ? [sequence(extension(OID_REASON, enumerated(revocationReasonCode(r.reason))))] : []),
        ),
      );
    const thisUpdate = new Date(t);
    const nextUpdate = new Date(t + state.crlValidityMs);
    const number = ++crlNumber;
    const sigAlg = signatureAlgorithmOf(entity);
    const tbs = sequence(
      integer(1),
      sigAlg,
      parts.subjectName,
      x509Time(thisUpdate),
      x509Time(nextUpdate),
      ...(entries.length ? [sequence(...entries)] : []),
      explicit(
        0,
        sequence(
          extension(OID_AKI, sequence(implicitPrimitive(0, new Uint8Array(Buffer.from(entity.keyId, 'hex'))))),
          extension(OID_CRL_NUMBER, integer(number)),
        ),
      ),
    );
    const sig = signWith(entity, tbs);
    if (state.hooks.breakSignatures) sig.signature[sig.signature.length - 1]! ^= 0x01;
    const der = sequence(tbs, sig.algorithm, bitString(sig.signature));
    if (state.hooks.breakSignatures) return der;
    issued.set(ca, { der, version: state.version, thisUpdate: t, nextUpdate: nextUpdate.getTime() });
    return der;
  };
}
