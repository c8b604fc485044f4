/**
 * RFC 3161 time-stamping for the TEST services: TimeStampReq in,
 * TimeStampResp out, signed by `pki.tsa` with an ESS signing-certificate-v2
 * attribute (RFC 5816). Honours nonce and certReq; refuses unknown hash
 * algorithms, other policies and extensions with the proper failInfo.
 */
import { createHash, randomBytes } from 'node:crypto';
import { contentOf, expectSequence, integerBytes, isContext, isUniversal, octetStringValue, oidOf, parseDer, rawOf, smallInteger, TAG } from '../../cms/inspect/der.js';
import { algorithmIdentifier } from '../../cms/inspect/algorithms.js';
import {
  algorithm,
  contentOfTlv,
  explicit,
  generalizedTime,
  implicitConstructed,
  implicitPrimitive,
  integer,
  integerRaw,
  namedBits,
  octetString,
  oid,
  sequence,
  setOf,
  utf8String,
  x509Time,
} from '../../time/der-writer.js';
import { digestSpecByOid } from '../../time/digests.js';
import { signWith } from './sign.js';
import { partsOf, type ServiceState } from './state.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_SIGNING_CERT_V2 = '1.2.840.113549.1.9.16.2.47';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

const FAIL = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, unacceptedExtension: 16 } as const;

function rejection(text: string, bit: number): Uint8Array {
  return sequence(sequence(integer(2), sequence(utf8String(text)), namedBits([bit])));
}

/** Serial numbers: a random 64-bit prefix per responder, then a counter. */
export function serialSource(): () => bigint {
  const prefix = BigInt(`0x${randomBytes(8).toString('hex')}`) & 0x7fffffffffffffffn;
  let counter = 0n;
  return () => (prefix << 32n) | ++counter;
}

interface ParsedRequest {
  imprintRaw: Uint8Array;
  imprintHash: Uint8Array;
  policy: string | null;
  nonce: Uint8Array | null;
  certReq: boolean;
}

function parseRequest(body: Uint8Array): ParsedRequest | Uint8Array {
  try {
    const { node, length } = parseDer(body, 'TimeStampReq');
    if (length !== body.byteLength) return rejection('trailing bytes after the request', FAIL.badDataFormat);
    const f = expectSequence(node, 'TimeStampReq');
    if (smallInteger(f[0], 'version') !== 1) return rejection('unsupported version', FAIL.badRequest);
    const mi = expectSequence(f[1], 'MessageImprint');
    const alg = algorithmIdentifier(mi[0], 'hashAlgorithm');
    const hash = octetStringValue(mi[1], 'hashedMessage');
    const spec = digestSpecByOid(alg.oid);
    if (!spec) return rejection(`hash algorithm ${alg.oid} not accepted`, FAIL.badAlg);
    if (hash.byteLength !== spec.length) return rejection('imprint length does not match its algorithm', FAIL.badDataFormat);
    let i = 2;
    let policy: string | null = null;
    let nonce: Uint8Array | null = null;
    let certReq = false;
    if (f[i] && isUniversal(f[i]!, TAG.oid)) policy = oidOf(f[i++], 'reqPolicy');
    if (f[i] && isUniversal(f[i]!, TAG.integer)) nonce = new Uint8Array(integerBytes(f[i++], 'nonce'));
    if (f[i] && isUniversal(f[i]!, TAG.boolean)) certReq = contentOf(f[i++]!)[0] !== 0;
    if (f[i] && isContext(f[i]!, 0)) return rejection('extensions are not supported', FAIL.unacceptedExtension);
    if (i !== f.length) return rejection('unexpected fields', FAIL.badDataFormat);
    return { imprintRaw: new Uint8Array(rawOf(f[1]!)), imprintHash: new Uint8Array(hash), policy, nonce, certReq };
  } catch {
    return rejection('not a TimeStampReq', FAIL.badDataFormat);
  }
}

export function createTsaResponder(state: ServiceState): (body: Uint8Array) => Uint8Array {
  const nextSerial = serialSource();
  return (body) => {
    const req = parseRequest(body);
    if (req instanceof Uint8Array) return req;
    if (req.policy !== null && req.policy !== state.tsaPolicy) return rejection(`policy ${req.policy} is not offered`, FAIL.unacceptedPolicy);

    const signer = state.hooks.tsaSigner ?? state.pki.tsa;
    const signerParts = partsOf(signer);
    const now = state.clock();
    const nonce = state.hooks.tsaNonce ? state.hooks.tsaNonce(req.nonce) : req.nonce;
    const imprint = state.hooks.tsaImprint
      ? sequence(...[rawOfFirst(req.imprintRaw), octetString(state.hooks.tsaImprint(req.imprintHash))])
      : req.imprintRaw;
    const acc = state.tsaAccuracyMs;
    const accuracy: Uint8Array[] = [];
    if (acc >= 1000) accuracy.push(integer(Math.floor(acc / 1000)));
    if (acc % 1000) accuracy.push(implicitPrimitive(0, contentOfTlv(integer(acc % 1000))));
    const tstInfo = sequence(
      integer(1),
      oid(state.tsaPolicy),
      imprint,
      integer(nextSerial()),
      generalizedTime(now, true),
      ...(accuracy.length ? [sequence(...accuracy)] : []),
      ...(nonce ? [integerRaw(nonce)] : []),
      explicit(0, explicit(4, signerParts.subjectName)),
    );

    const essCertIdV2 = sequence(
      octetString(new Uint8Array(createHash('sha256').update(signer.certDer).digest())),
      sequence(sequence(explicit(4, signerParts.issuerName)), integerRaw(signerParts.serial)),
    );
    const attr = (type: string, value: Uint8Array): Uint8Array => sequence(oid(type), setOf(value));
    const signedAttrs = setOf(
      attr(OID_CONTENT_TYPE, oid(OID_TST_INFO)),
      attr(OID_SIGNING_TIME, x509Time(now)),
      attr(OID_MESSAGE_DIGEST, octetString(new Uint8Array(createHash('sha256').update(tstInfo).digest()))),
      attr(OID_SIGNING_CERT_V2, sequence(sequence(essCertIdV2))),
    );
    const sig = signWith(signer, signedAttrs);
    const signerInfo = sequence(
      integer(1),
      sequence(signerParts.issuerName, integerRaw(signerParts.serial)),
      algorithm(OID_SHA256),
      implicitConstructed(0, contentOfTlv(signedAttrs)),
      sig.algorithm,
      octetString(sig.signature),
    );
    const signedData = sequence(
      integer(3),
      setOf(algorithm(OID_SHA256)),
      sequence(oid(OID_TST_INFO), explicit(0, octetString(tstInfo))),
      ...(req.certReq ? [implicitConstructed(0, signer.certDer)] : []),
      setOf(signerInfo),
    );
    const token = sequence(oid(OID_SIGNED_DATA), explicit(0, signedData));
    return sequence(sequence(integer(0)), token);
  };
}

/** The AlgorithmIdentifier (first element) of an encoded MessageImprint. */
function rawOfFirst(imprint: Uint8Array): Uint8Array {
  const f = expectSequence(parseDer(imprint, 'MessageImprint').node, 'MessageImprint');
  return new Uint8Array(rawOf(f[0]!));
}
