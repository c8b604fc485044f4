/**
 * inspectCms: reads a CMS SignedData (RFC 5652; PKCS #7 v1.5 tolerated) as
 * found in a PDF signature's /Contents, without verifying anything.
 *
 * Lenient on encoding (BER indefinite lengths, constructed OCTET STRINGs,
 * zero padding after the outer element), strict on structure: anything that
 * could make two readers disagree about what was signed (several signers,
 * duplicated signed attributes, several different certificates matching the
 * signer identifier) is refused with a KysoError.
 */
import { KysoError } from '../../errors.js';
import { algorithmIdentifier, digestByOid, pssParams, signatureByOid, unsupportedSignatureName } from './algorithms.js';
import { essIssuerSerialMatches, parseSignedAttributes, parseUnsignedAttributes } from './attributes.js';
import { certificateFields, serialsEqual, type CertificateFields } from './certificate-fields.js';
import {
  bytesEqual,
  childrenOf,
  contentOf,
  copyBytes,
  expectSequence,
  expectSet,
  integerBytes,
  integerHex,
  isContext,
  isUniversal,
  malformed,
  octetStringValue,
  oidOf,
  parseDer,
  rawOf,
  stringValue,
  TAG,
  type Node,
} from './der.js';
import { nameToString, namesEqual } from './names.js';
import type { CmsInspection, CmsSignerIdentifier } from './types.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const OCSP_RI = '1.3.6.1.5.5.7.16.2';

export function inspectCms(der: Uint8Array): CmsInspection {
  if (!(der instanceof Uint8Array)) throw malformed('CMS: input is not a byte array', 'CMS: dữ liệu vào không phải mảng byte');
  // Private copy: results never alias the caller's buffer, and a concurrent change cannot race the parse.
  const bytes = copyBytes(der);
  try {
    return inspect(bytes);
  } catch (e) {
    if (e instanceof KysoError) throw e;
    // Defence in depth: a bug on an unexpected shape must still surface as a KysoError.
    throw malformed('CMS: cannot read the signature structure', 'CMS: không đọc được cấu trúc chữ ký', { cause: String(e) });
  }
}

function inspect(bytes: Uint8Array): CmsInspection {
  const { node: ci, length } = parseDer(bytes, 'CMS');
  for (let i = length; i < bytes.byteLength; i++) {
    if (bytes[i] !== 0) {
      throw malformed('CMS: unexpected bytes after the ContentInfo', 'CMS: có dữ liệu lạ sau ContentInfo', { offset: i });
    }
  }

  const ciParts = expectSequence(ci, 'ContentInfo');
  const contentType = oidOf(ciParts[0], 'ContentInfo.contentType');
  if (contentType !== SIGNED_DATA) {
    throw new KysoError('CMS_UNSUPPORTED', `CMS: content type ${contentType} is not SignedData`, {
      vi: `CMS: loại nội dung ${contentType} không phải SignedData`,
      details: { contentType },
    });
  }
  if (ciParts.length !== 2 || !isContext(ciParts[1]!, 0)) {
    throw malformed('ContentInfo: expected [0] content', 'ContentInfo: cần nội dung [0]');
  }
  const wrapped = childrenOf(ciParts[1]!, 'ContentInfo.content');
  if (wrapped.length !== 1) throw malformed('ContentInfo: [0] must hold one element', 'ContentInfo: [0] phải chứa đúng một phần tử');
  const sd = expectSequence(wrapped[0], 'SignedData');

  // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos }
  if (sd.length < 4) throw malformed('SignedData: too few fields', 'SignedData: thiếu trường');
  integerBytes(sd[0], 'SignedData.version');
  expectSet(sd[1], 'SignedData.digestAlgorithms');
  const encap = expectSequence(sd[2], 'EncapsulatedContentInfo');
  const eContentType = oidOf(encap[0], 'eContentType');
  let eContent: Uint8Array | null = null;
  if (encap.length > 2) throw malformed('EncapsulatedContentInfo: too many fields', 'EncapsulatedContentInfo: thừa trường');
  if (encap[1]) {
    if (!isContext(encap[1], 0)) throw malformed('EncapsulatedContentInfo: expected [0] eContent', 'EncapsulatedContentInfo: cần [0] eContent');
    const inner = childrenOf(encap[1], 'eContent');
    if (inner.length !== 1) throw malformed('eContent: [0] must hold one element', 'eContent: [0] phải chứa đúng một phần tử');
    const v = inner[0]!;
    // CMS: OCTET STRING. PKCS #7 v1.5 allowed ANY: then the content octets are what was digested.
    eContent = copyBytes(isUniversal(v, TAG.octetString) ? octetStringValue(v, 'eContent') : contentOf(v));
  }

  let k = 3;
  const certificates: Uint8Array[] = [];
  const parsedCerts: CertificateFields[] = [];
  const crls: Uint8Array[] = [];
  const ocspResponses: Uint8Array[] = [];
  if (sd[k] && isContext(sd[k]!, 0)) {
    for (const c of childrenOf(sd[k]!, 'SignedData.certificates')) {
      if (!isUniversal(c, TAG.sequence)) continue; // attribute/other certificate choices
      certificates.push(copyBytes(rawOf(c)));
      try {
        parsedCerts.push(certificateFields(c));
      } catch (e) {
        if (!(e instanceof KysoError)) throw e;
        // An unreadable extra certificate cannot be the signer's; keep its bytes for reporting.
      }
    }
    k++;
  }
  if (sd[k] && isContext(sd[k]!, 1)) {
    for (const r of childrenOf(sd[k]!, 'SignedData.crls')) {
      if (isUniversal(r, TAG.sequence)) crls.push(copyBytes(rawOf(r)));
      else if (isContext(r, 1) && r.idBlock.isConstructed) {
        const other = childrenOf(r, 'OtherRevocationInfoFormat');
        if (other.length === 2 && oidOf(other[0], 'otherRevInfoFormat') === OCSP_RI) ocspResponses.push(copyBytes(rawOf(other[1]!)));
      }
    }
    k++;
  }
  if (k !== sd.length - 1) throw malformed('SignedData: unexpected fields', 'SignedData: có trường không mong đợi');
  const signerInfos = expectSet(sd[k], 'SignedData.signerInfos');
  if (signerInfos.length === 0) throw malformed('SignedData: no SignerInfo', 'SignedData: không có SignerInfo');
  if (signerInfos.length > 1) {
    throw new KysoError('CMS_UNSUPPORTED', `CMS: ${signerInfos.length} SignerInfos; a PDF signature has exactly one`, {
      vi: `CMS: có ${signerInfos.length} SignerInfo; chữ ký PDF chỉ có đúng một`,
      details: { signerInfos: signerInfos.length },
    });
  }

  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL, signatureAlgorithm, signature, [1] unsignedAttrs OPTIONAL }
  const si = expectSequence(signerInfos[0], 'SignerInfo');
  integerBytes(si[0], 'SignerInfo.version');
  const sidNode = si[1];
  if (!sidNode) throw malformed('SignerInfo: missing sid', 'SignerInfo: thiếu sid');
  const digestAlg = algorithmIdentifier(si[2], 'SignerInfo.digestAlgorithm');
  let j = 3;
  let signed: ReturnType<typeof parseSignedAttributes> | null = null;
  if (si[j] && isContext(si[j]!, 0)) {
    signed = parseSignedAttributes(si[j]!);
    j++;
  }
  const sigAlg = algorithmIdentifier(si[j], 'SignerInfo.signatureAlgorithm');
  const signatureValue = copyBytes(octetStringValue(si[j + 1], 'SignerInfo.signature'));
  j += 2;
  let unsigned = { signatureTimeStampTokens: [] as Uint8Array[], oids: [] as string[] };
  if (si[j] && isContext(si[j]!, 1)) {
    unsigned = parseUnsignedAttributes(si[j]!);
    j++;
  }
  if (j !== si.length) throw malformed('SignerInfo: unexpected fields', 'SignerInfo: có trường không mong đợi');

  const { identifier, matches } = signerIdentifier(sidNode);
  const candidates = parsedCerts.filter(matches);
  const distinct = candidates.filter((c, i) => candidates.findIndex((d) => bytesEqual(d.der, c.der)) === i);
  if (distinct.length > 1) {
    throw malformed('CMS: several different certificates match the signer identifier', 'CMS: nhiều chứng thư số khác nhau cùng khớp định danh người ký', {
      matches: distinct.length,
    });
  }
  const signerFields = distinct[0] ?? null;

  if (signed?.attributes.signingCertificate && signed.essIssuerSerial && signerFields) {
    signed.attributes.signingCertificate.issuerSerialMatches = essIssuerSerialMatches(signed.essIssuerSerial, signerFields);
  }

  const digest = digestByOid(digestAlg.oid);
  return {
    digestAlgorithm: { oid: digestAlg.oid, name: digest?.name ?? null },
    signatureAlgorithm: describeSignatureAlgorithm(sigAlg.oid, sigAlg.params, digest?.name ?? null),
    certificates,
    signerCertificate: signerFields ? copyBytes(signerFields.der) : null,
    signerIdentifier: identifier,
    eContentType,
    eContent,
    signedAttributes: signed?.attributes ?? null,
    unsignedAttributes: unsigned,
    revocationInfoArchival: signed?.revocationInfoArchival ?? null,
    crls,
    ocspResponses,
    signatureValue,
  };
}

function signerIdentifier(sid: Node): { identifier: CmsSignerIdentifier; matches: (c: CertificateFields) => boolean } {
  if (isContext(sid, 0)) {
    const keyId = copyBytes(stringValue(sid, 'subjectKeyIdentifier', TAG.octetString));
    return {
      identifier: { kind: 'subjectKeyIdentifier', keyIdentifier: keyId },
      matches: (c) => c.subjectKeyIdentifier !== null && bytesEqual(c.subjectKeyIdentifier, keyId),
    };
  }
  const parts = expectSequence(sid, 'IssuerAndSerialNumber');
  if (parts.length !== 2) throw malformed('IssuerAndSerialNumber: expected 2 fields', 'IssuerAndSerialNumber: cần 2 trường');
  const issuer = parts[0]!;
  expectSequence(issuer, 'IssuerAndSerialNumber.issuer');
  const serial = integerBytes(parts[1], 'IssuerAndSerialNumber.serialNumber');
  let issuerText: string;
  try {
    issuerText = nameToString(issuer);
  } catch (e) {
    if (!(e instanceof KysoError)) throw e;
    issuerText = `#${Buffer.from(rawOf(issuer)).toString('hex')}`;
  }
  return {
    identifier: { kind: 'issuerAndSerialNumber', issuer: issuerText, serialNumber: integerHex(serial) },
    matches: (c) => serialsEqual(c.serial, serial) && namesEqual(c.issuer, issuer),
  };
}

function describeSignatureAlgorithm(oid: string, params: Node | undefined, digestName: string | null): CmsInspection['signatureAlgorithm'] {
  const info = signatureByOid(oid);
  if (!info) return { oid, name: unsupportedSignatureName(oid) ?? oid, hash: null };
  if (info.kind === 'RSA-PSS') {
    const p = pssParams(params);
    if (p.trailerField !== 1) return { oid, name: 'RSA-PSS(unsupported trailerField)', hash: p.hash };
    return { oid, name: 'RSA-PSS', hash: p.hash, pss: { hash: p.hash, mgfHash: p.mgfHash, saltLength: p.saltLength } };
  }
  if (info.kind === 'Ed25519' || info.kind === 'Ed448') return { oid, name: info.kind, hash: null };
  return { oid, name: info.kind, hash: info.hash ?? digestName };
}
