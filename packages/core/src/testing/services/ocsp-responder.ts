/**
 * RFC 6960 OCSP responder for the TEST services. Leaves of the issuing CA are
 * answered by the delegated responder `pki.ocsp` (EKU OCSPSigning, nocheck);
 * the issuing CA's own status is answered with the root's key. Certificates
 * the PKI does not know are "unknown"; a nonce is echoed.
 */
import { createHash } from 'node:crypto';
import { childrenOf, expectSequence, integerBytes, integerHex, isContext, octetStringValue, oidOf, parseDer, rawOf, type Node } from '../../cms/inspect/der.js';
import { algorithmIdentifier } from '../../cms/inspect/algorithms.js';
import { bitString, enumerated, explicit, extension, generalizedTime, implicitConstructed, octetString, oid, sequence, concat } from '../../time/der-writer.js';
import { digest, digestSpecByOid } from '../../time/digests.js';
import { revocationReasonCode } from '../../time/revocation-reason.js';
import type { TestEntity } from '../test-pki.js';
import { signWith } from './sign.js';
import { issuerOfSerial, normaliseSerialHex, partsOf, type ServiceState, type TestCa } from './state.js';

const OID_NONCE = '1.3.6.1.5.5.7.48.1.2';
const OID_BASIC = '1.3.6.1.5.5.7.48.1.1';

const MALFORMED = sequence(enumerated(1));
const UNAUTHORIZED = sequence(enumerated(6));

interface RequestedCert {
  certIdRaw: Uint8Array;
  ca: TestCa | null;
  serialHex: string;
}

function parseRequest(body: Uint8Array, state: ServiceState): { certs: RequestedCert[]; nonce: Uint8Array | null } | null {
  try {
    const { node, length } = parseDer(body, 'OCSPRequest');
    if (length !== body.byteLength) return null;
    const outer = expectSequence(node, 'OCSPRequest');
    const tbs = expectSequence(outer[0], 'TBSRequest');
    let i = 0;
    if (tbs[i] && isContext(tbs[i]!, 0)) i++;
    if (tbs[i] && isContext(tbs[i]!, 1)) i++;
    const list = expectSequence(tbs[i++], 'requestList');
    if (list.length === 0) return null;
    let nonce: Uint8Array | null = null;
    if (tbs[i] && isContext(tbs[i]!, 2)) {
      for (const ext of expectSequence(childrenOf(tbs[i]!, 'requestExtensions')[0], 'Extensions')) {
        const p = expectSequence(ext, 'Extension');
        if (oidOf(p[0], 'extnID') === OID_NONCE) nonce = new Uint8Array(octetStringValue(p[p.length - 1], 'nonce'));
      }
    }
    const cas: { ca: TestCa; parts: ReturnType<typeof partsOf> }[] = [
      { ca: 'issuing', parts: partsOf(state.pki.issuing) },
      { ca: 'root', parts: partsOf(state.pki.root) },
    ];
    const certs = list.map((r: Node) => {
      const certId = expectSequence(expectSequence(r, 'Request')[0], 'CertID');
      const spec = digestSpecByOid(algorithmIdentifier(certId[0], 'hashAlgorithm').oid);
      const nameHash = Buffer.from(octetStringValue(certId[1], 'issuerNameHash'));
      const keyHash = Buffer.from(octetStringValue(certId[2], 'issuerKeyHash'));
      const serialHex = integerHex(integerBytes(certId[3], 'serialNumber'));
      const found = spec
        ? cas.find((c) => nameHash.equals(Buffer.from(digest(spec, c.parts.subjectName))) && keyHash.equals(Buffer.from(digest(spec, c.parts.publicKeyBits))))
        : undefined;
      return { certIdRaw: new Uint8Array(rawOf(expectSequence(r, 'Request')[0]!)), ca: found?.ca ?? null, serialHex };
    });
    return { certs, nonce };
  } catch {
    return null;
  }
}

function certStatus(state: ServiceState, ca: TestCa, serialHex: string): Uint8Array {
  const s = normaliseSerialHex(serialHex);
  const r = state.revoked.get(s);
  if (r && r.issuer === ca) {
    const info = [generalizedTime(r.at)];
    if (r.reason) info.push(explicit(0, enumerated(revocationReasonCode(r.reason))));
    return implicitConstructed(1, concat(info));
  }
  if (issuerOfSerial(state.pki, s) === ca && s !== normaliseSerialHex(state.pki.root.serialNumber)) return Uint8Array.of(0x80, 0x00);
  return Uint8Array.of(0x82, 0x00);
}

export function createOcspResponder(state: ServiceState): (body: Uint8Array) => Uint8Array {
  return (body) => {
    const req = parseRequest(body, state);
    if (!req) return MALFORMED;
    const ca = req.certs[0]!.ca;
    if (ca === null || req.certs.some((c) => c.ca !== ca)) return UNAUTHORIZED;
    const signer: TestEntity = state.hooks.ocspSigner ?? (ca === 'issuing' ? state.pki.ocsp : state.pki.root);
    const signerParts = partsOf(signer);
    const now = state.clock();
    const nextUpdate = new Date(now.getTime() + state.ocspValidityMs);
    const singles = req.certs.map((c) => sequence(c.certIdRaw, certStatus(state, ca, c.serialHex), generalizedTime(now), explicit(0, generalizedTime(nextUpdate))));
    const nonce = state.hooks.ocspNonce ? state.hooks.ocspNonce(req.nonce) : req.nonce;
    const responderId =
      state.ocspResponderId === 'key'
        ? explicit(2, octetString(new Uint8Array(createHash('sha1').update(signerParts.publicKeyBits).digest())))
        : explicit(1, signerParts.subjectName);
    const tbs = sequence(
      responderId,
      generalizedTime(now),
      sequence(...singles),
      ...(nonce ? [explicit(1, sequence(extension(OID_NONCE, nonce)))] : []),
    );
    const sig = signWith(signer, tbs);
    if (state.hooks.breakSignatures) sig.signature[sig.signature.length - 1]! ^= 0x01;
    const basic = sequence(tbs, sig.algorithm, bitString(sig.signature), explicit(0, sequence(signer.certDer)));
    return sequence(enumerated(0), explicit(0, sequence(oid(OID_BASIC), octetString(basic))));
  };
}
