import * as asn1js from 'asn1js';
import { createHash } from 'node:crypto';
import { KysoError } from '../errors.js';
import type { DigestAlgorithm, SignatureAlgorithm, Signer } from '../contracts/index.js';
import { digestAlgorithmId, digestInfo, signatureAlgorithmIdDer, spkiFacts } from './algorithms.js';
import { attributeDer, attributeType, type CmsAttributeInput } from './attributes.js';
import { certificateParts } from './certificate-parts.js';
import { OID } from './oids.js';
import { PreEncoded, compareDer, der, parseExact, sortSetOf } from './pre-encoded.js';

export interface CmsSignerTemplateOptions {
  /** Digest for the content, the signed attributes and ESS; default signer.defaultDigest, else SHA-256. */
  digest?: DigestAlgorithm;
  /**
   * Further signed attributes, the same in every signature of this template
   * (e.g. a commitment-type indication or a signature policy). May not repeat
   * content-type, message-digest, signing-certificate-v2 or signing-time.
   */
  extraSignedAttributes?: readonly CmsAttributeInput[];
  /** Put signer.chain into SignedData.certificates (default true). */
  includeChain?: boolean;
}

export interface CmsAssembleOptions {
  /** Unsigned attributes, e.g. id-aa-signatureTimeStampToken. */
  unsignedAttributes?: readonly CmsAttributeInput[];
}

const RESERVED_SIGNED = new Set<string>([OID.contentType, OID.messageDigest, OID.signingCertificateV2, OID.signingTime]);

function optionsError(message: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', message, { vi });
}

function checkSchemeAgainstKey(alg: SignatureAlgorithm, family: 'RSA' | 'EC', pssOnly: boolean): void {
  const scheme = alg?.scheme;
  const ok =
    (scheme === 'ECDSA' && family === 'EC') ||
    (scheme === 'RSA-PSS' && family === 'RSA') ||
    (scheme === 'RSASSA-PKCS1-v1_5' && family === 'RSA' && !pssOnly);
  if (!ok) {
    throw new KysoError('CMS_UNSUPPORTED', `Signature scheme ${String(scheme)} does not fit the certificate's ${pssOnly ? 'RSA-PSS' : family} key`, {
      vi: `Lược đồ chữ ký ${String(scheme)} không phù hợp với khóa ${pssOnly ? 'RSA-PSS' : family} của chứng thư số`,
    });
  }
}

/**
 * Everything constant about one signer's CAdES (PAdES B-B) SignedData,
 * computed once: certificate set, SignerIdentifier, ESS signing-certificate-v2,
 * algorithm identifiers. Per signature only the message digest, the signature
 * value and unsigned attributes are encoded.
 */
export class CmsSignerTemplate {
  readonly signer: Signer;
  readonly digest: DigestAlgorithm;
  /** Bytes of a content digest this template expects. */
  readonly digestLength: number;
  /** Upper bound of the signature value, from the Signer or derived from its certificate key. */
  readonly maxSignatureSize: number;

  /*
   * asn1js trees built once and re-encoded per signature after their
   * variable leaves are swapped in (all synchronous, so never shared between
   * two calls in flight). Constant parts are PreEncoded DER.
   */
  /** DER of the SET OF signed attributes with a zero message digest, and where the digest goes in it. */
  private readonly attrsSample: Uint8Array;
  private readonly digestOffset: number;
  /** Byte length of every signedAttributes() output of this template. */
  private readonly signedAttributesLength: number;
  private readonly signedAttributesHeader: number;
  /** Outputs of signedAttributes(), so assemble() need not re-parse them. */
  private readonly produced = new WeakSet<Uint8Array>();
  /**
   * The constant DER of ContentInfo(SignedData): the contentType OID, the
   * SignedData head (version, digestAlgorithms, encapContentInfo,
   * certificates), the SignerInfo head (version, sid, digestAlgorithm) and
   * the signatureAlgorithm. assemble() writes the enclosing headers itself.
   */
  private readonly contentTypeDer: Uint8Array;
  private readonly signedDataHeadDer: Uint8Array;
  private readonly signerInfoHeadDer: Uint8Array;
  private readonly signatureAlgorithmDer: Uint8Array;
  private baseMaxSize: number | undefined;

  private constructor(signer: Signer, options: CmsSignerTemplateOptions) {
    this.signer = signer;
    const digest = options.digest ?? signer.defaultDigest ?? 'SHA-256';
    const d = digestInfo(digest);
    this.digest = digest;
    this.digestLength = d.length;

    const cert = certificateParts(signer.certificate);
    const chain = options.includeChain === false ? [] : signer.chain.map((c) => certificateParts(c).der);
    const facts = spkiFacts(cert.subjectPublicKeyInfo);
    checkSchemeAgainstKey(signer.signatureAlgorithm, facts.family, facts.pssOnly);
    const declared = signer.maxSignatureSize;
    this.maxSignatureSize = declared !== undefined && Number.isInteger(declared) && declared > 0 ? declared : facts.maxSignatureSize;

    // Signed attributes, constant ones.
    const contentType = der(
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID.contentType }),
          new asn1js.Set({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        ],
      }),
    );
    const certHash = createHash(d.node).update(cert.der).digest();
    const essCertId = new asn1js.Sequence({
      value: [
        // hashAlgorithm DEFAULT id-sha256: omitted for SHA-256 (DER).
        ...(digest === 'SHA-256' ? [] : [digestAlgorithmId(digest)]),
        new asn1js.OctetString({ valueHex: certHash }),
        new asn1js.Sequence({
          value: [
            // GeneralNames { directoryName [4] Name } (explicit: Name is a CHOICE)
            new asn1js.Sequence({
              value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [new PreEncoded(cert.issuer)] })],
            }),
            new PreEncoded(cert.serialNumber),
          ],
        }),
      ],
    });
    const signingCertificateV2 = der(
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID.signingCertificateV2 }),
          new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })] }),
        ],
      }),
    );
    const extras = (options.extraSignedAttributes ?? []).map(attributeDer);
    const seen = new Set<string>();
    for (const e of extras) {
      const t = attributeType(e);
      if (RESERVED_SIGNED.has(t) || seen.has(t)) {
        throw optionsError(`Signed attribute ${t} may not be added here`, `Không được thêm thuộc tính ký ${t} tại đây`);
      }
      seen.add(t);
    }
    const messageDigest = new asn1js.Sequence({
      value: [new PreEncoded(der(new asn1js.ObjectIdentifier({ value: OID.messageDigest }))), new asn1js.Set({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(d.length) })] })],
    });
    // The message-digest attribute's length depends only on the digest, so
    // its place in the DER SET OF order is fixed: find it with a stand-in.
    const standIn = der(messageDigest);
    const constant = sortSetOf([contentType, signingCertificateV2, ...extras]);
    const before = constant.filter((a) => compareDer(a, standIn) <= 0);
    const after = constant.filter((a) => compareDer(a, standIn) > 0);
    const attrsTree = new asn1js.Set({
      value: [
        ...(before.length ? [new PreEncoded(Buffer.concat(before))] : []),
        messageDigest,
        ...(after.length ? [new PreEncoded(Buffer.concat(after))] : []),
      ],
    });
    const sample = der(attrsTree);
    const beforeLength = before.reduce((n, a) => n + a.length, 0);
    this.attrsSample = sample;
    this.signedAttributesLength = sample.length;
    this.signedAttributesHeader = sample.length - (standIn.length + beforeLength + after.reduce((n, a) => n + a.length, 0));
    // The digest is the last bytes of the message-digest attribute (its OCTET STRING's value).
    this.digestOffset = this.signedAttributesHeader + beforeLength + standIn.length - d.length;

    // SignedData head: version, digestAlgorithms, encapContentInfo, certificates.
    const digestAlgorithm = der(digestAlgorithmId(digest));
    this.signedDataHeadDer = Buffer.concat([
      der(new asn1js.Integer({ value: 1 })),
      der(new asn1js.Set({ value: [new PreEncoded(digestAlgorithm)] })),
      der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] })),
      // certificates [0] IMPLICIT CertificateSet: signer first, then the chain nearest first.
      der(
        new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 0 },
          value: [cert.der, ...chain].map((c) => new PreEncoded(c)),
        }),
      ),
    ]);
    // SignerInfo head: version, sid (IssuerAndSerialNumber), digestAlgorithm.
    this.signerInfoHeadDer = Buffer.concat([
      der(new asn1js.Integer({ value: 1 })),
      der(new asn1js.Sequence({ value: [new PreEncoded(cert.issuer), new PreEncoded(cert.serialNumber)] })),
      digestAlgorithm,
    ]);
    this.signatureAlgorithmDer = signatureAlgorithmIdDer(signer.signatureAlgorithm, digest);
    this.contentTypeDer = der(new asn1js.ObjectIdentifier({ value: OID.signedData }));
  }

  /**
   * Parse the signer's certificate and chain once and precompute the constant
   * parts. `digest` may be given directly or in the options.
   */
  static create(signer: Signer, digestOrOptions?: DigestAlgorithm | CmsSignerTemplateOptions): CmsSignerTemplate {
    const options = typeof digestOrOptions === 'string' ? { digest: digestOrOptions } : (digestOrOptions ?? {});
    return new CmsSignerTemplate(signer, options);
  }

  /**
   * DER of the SET OF signed attributes (tag 0x31): content-type id-data,
   * message-digest, signing-certificate-v2 and any template extras, in DER
   * order. These are the bytes the Signer signs.
   */
  signedAttributes(contentDigest: Uint8Array): Uint8Array {
    if (!(contentDigest instanceof Uint8Array) || contentDigest.length !== this.digestLength) {
      throw optionsError(
        `The content digest must be ${this.digestLength} bytes (${this.digest})`,
        `Giá trị băm nội dung phải dài ${this.digestLength} byte (${this.digest})`,
      );
    }
    // Everything but the digest is constant: the sample with the digest written in.
    const out = new Uint8Array(this.attrsSample);
    out.set(contentDigest, this.digestOffset);
    this.produced.add(out);
    return out;
  }

  /** Length of the SET header of signed attributes, or -1 if they are not a DER SET OF. */
  private signedAttributesHeaderLength(attrs: Uint8Array): number {
    if (!(attrs instanceof Uint8Array)) return -1;
    if (this.produced.has(attrs) && attrs.length === this.signedAttributesLength && attrs[0] === 0x31) {
      return this.signedAttributesHeader;
    }
    const set = parseExact(attrs);
    if (!(set instanceof asn1js.Set) || set.lenBlock.isIndefiniteForm || set.valueBlock.value.length === 0) return -1;
    return set.idBlock.blockLength + set.lenBlock.blockLength;
  }

  /**
   * DER ContentInfo(SignedData), detached: the signed attributes (as returned
   * by signedAttributes, re-tagged [0] IMPLICIT), the signature value and
   * optional unsigned attributes.
   */
  assemble(signedAttributesDer: Uint8Array, signatureValue: Uint8Array, options: CmsAssembleOptions = {}): Uint8Array {
    const header = this.signedAttributesHeaderLength(signedAttributesDer);
    if (header < 0) {
      throw new KysoError('CMS_MALFORMED', 'The signed attributes are not a DER SET OF attributes', {
        vi: 'Các thuộc tính đã ký không phải là một DER SET OF thuộc tính',
      });
    }
    if (!(signatureValue instanceof Uint8Array) || signatureValue.length === 0 || signatureValue.length > this.maxSignatureSize) {
      const n = signatureValue instanceof Uint8Array ? signatureValue.length : 0;
      throw new KysoError(
        'SIGN_SIGNER_FAILED',
        `The signer returned a signature value of ${n} bytes (expected 1 to ${this.maxSignatureSize})`,
        { vi: `Thiết bị ký trả về giá trị chữ ký dài ${n} byte (mong đợi từ 1 đến ${this.maxSignatureSize})` },
      );
    }
    const unsigned = options.unsignedAttributes;
    const unsignedDer = unsigned && unsigned.length > 0 ? Buffer.concat(sortSetOf(unsigned.map(attributeDer))) : undefined;
    const attrsContent = signedAttributesDer.subarray(header);
    // DER by hand around the constant parts, lengths first, into one buffer:
    // SEQUENCE { OID signedData, [0] { SEQUENCE { head, SET { SEQUENCE {
    //   head, [0] attrs, signatureAlgorithm, OCTET STRING value, [1] unsigned? } } } } }
    const signerInfoLength =
      this.signerInfoHeadDer.length + tlvLength(attrsContent.length) + this.signatureAlgorithmDer.length + tlvLength(signatureValue.length) + (unsignedDer ? tlvLength(unsignedDer.length) : 0);
    const setLength = tlvLength(signerInfoLength);
    const signedDataLength = this.signedDataHeadDer.length + tlvLength(setLength);
    const explicitLength = tlvLength(signedDataLength);
    const contentInfoLength = this.contentTypeDer.length + tlvLength(explicitLength);
    const out = new Uint8Array(tlvLength(contentInfoLength));
    let at = writeHeader(out, 0, 0x30, contentInfoLength);
    out.set(this.contentTypeDer, at);
    at += this.contentTypeDer.length;
    at = writeHeader(out, at, 0xa0, explicitLength);
    at = writeHeader(out, at, 0x30, signedDataLength);
    out.set(this.signedDataHeadDer, at);
    at += this.signedDataHeadDer.length;
    at = writeHeader(out, at, 0x31, setLength);
    at = writeHeader(out, at, 0x30, signerInfoLength);
    out.set(this.signerInfoHeadDer, at);
    at += this.signerInfoHeadDer.length;
    at = writeHeader(out, at, 0xa0, attrsContent.length);
    out.set(attrsContent, at);
    at += attrsContent.length;
    out.set(this.signatureAlgorithmDer, at);
    at += this.signatureAlgorithmDer.length;
    at = writeHeader(out, at, 0x04, signatureValue.length);
    out.set(signatureValue, at);
    at += signatureValue.length;
    if (unsignedDer) {
      at = writeHeader(out, at, 0xa1, unsignedDer.length);
      out.set(unsignedDer, at);
    }
    return out;
  }

  /**
   * Upper bound of the DER size of assemble()'s result, computed without the
   * Signer. `unsignedAttributesSize` (total DER bytes of the unsigned
   * attributes to be added later, e.g. a time-stamp) widens it.
   */
  maxSize(unsignedAttributesSize = 0): number {
    if (this.baseMaxSize === undefined) {
      const attrs = this.signedAttributes(new Uint8Array(this.digestLength));
      this.baseMaxSize = this.assemble(attrs, new Uint8Array(this.maxSignatureSize).fill(0xff)).length;
    }
    if (!(unsignedAttributesSize > 0)) return this.baseMaxSize;
    // [1] header (≤ 6) and up to 4 more length octets in each of the five
    // enclosing lengths (ContentInfo, [0], SignedData, SET, SignerInfo).
    return this.baseMaxSize + Math.ceil(unsignedAttributesSize) + 6 + 5 * 4;
  }

  /** signedAttributes + Signer.sign + assemble. */
  async sign(contentDigest: Uint8Array, options: CmsAssembleOptions = {}): Promise<Uint8Array> {
    const attrs = this.signedAttributes(contentDigest);
    let signature: Uint8Array;
    try {
      signature = await this.signer.sign(attrs, this.digest);
    } catch (cause) {
      if (cause instanceof KysoError) throw cause;
      throw new KysoError('SIGN_SIGNER_FAILED', 'The signer failed to sign', { vi: 'Thiết bị ký không ký được', cause });
    }
    return this.assemble(attrs, signature, options);
  }
}

/** Bytes of a DER TLV whose value is `n` bytes (one tag octet, definite minimal length). */
function tlvLength(n: number): number {
  return 1 + (n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 5) + n;
}

/** Writes a tag and the DER length `n` at `at`; returns where the value starts. */
function writeHeader(out: Uint8Array, at: number, tag: number, n: number): number {
  out[at++] = tag;
  if (n < 0x80) {
    out[at++] = n;
    return at;
  }
  const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
  out[at++] = 0x80 | bytes;
  for (let i = bytes - 1; i >= 0; i--) out[at++] = (n >>> (8 * i)) & 0xff;
  return at;
}

/** Same as CmsSignerTemplate.create. */
export function createCadesTemplate(signer: Signer, digestOrOptions?: DigestAlgorithm | CmsSignerTemplateOptions): CmsSignerTemplate {
  return CmsSignerTemplate.create(signer, digestOrOptions);
}
