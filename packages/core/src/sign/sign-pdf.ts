import { createHash, type Hash } from 'node:crypto';
import { open, rename, readFile, unlink } from 'node:fs/promises';
import { cachedTemplate } from '../cms/sign-detached.js';
import { OID as CMS_OID } from '../cms/oids.js';
import { DEFAULT_TOKEN_RESERVE, type Timestamper } from './timestamper.js';
import { extendPdf, type PadesLevel } from './ltv.js';
import { embedAppearance, renderAppearance, type AppearanceInput, type AppearanceLayout, type AppearancePlacement, type LayoutName, type RenderedAppearance } from '../appearance/index.js';
import { describeSigner } from '../trust/index.js';
import type { CollectValidationOptions } from '../time/index.js';
import { KysoError } from '../errors.js';
import {
  byteRangePlaceholder,
  formFields,
  formatByteRange,
  IncrementalWriter,
  PdfDict,
  PdfName,
  PdfRaw,
  PdfReader,
  PdfString,
  rangeAround,
  type ByteRange,
} from '../pdf/index.js';
import { assertCanCertify, docMdpReference, validateCertify, writeCertificationPerms, type CertifyOptions } from './certification.js';
import { assertFieldNotLocked, fieldMdpReference, lockDictionary, readLock, validateLock, type FieldLockOptions } from './field-lock.js';
import { assertChangesPermitted } from './permissions.js';
import { writeResultCode } from './result-code-metadata.js';
import { pdfDate } from './pdf-date.js';
import { addSignatureField, type FieldPlacement } from './signature-field.js';
import type { DigestAlgorithm, Signer } from './signer.js';

export interface SignPdfOptions {
  signer: Signer;
  /** Digest over the byte ranges and in the CMS; default the signer's, else SHA-256. */
  digest?: DigestAlgorithm;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** /Name in the signature dictionary; viewers show the certificate's name anyway. */
  name?: string;
  /** Signature field name; default the first free `SignatureN`. An existing empty signature field is filled. */
  fieldName?: string;
  /** Time written to /M (default now). */
  signingTime?: Date;
  /** /SubFilter: ETSI.CAdES.detached (PAdES, default) or adbe.pkcs7.detached. */
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
  /** Widget placement (invisible on page 1 by default). */
  placement?: FieldPlacement;
  /** Extra bytes reserved in /Contents beyond the CMS itself (e.g. for a timestamp token added later). */
  reserveBytes?: number;
  /**
   * Result code of the citizen's data store (mã kết quả), e.g.
   * `052090000495.KQ.G15.000021.02022024`: written to /Info and XMP in the
   * signature's own update, so the signature covers it.
   */
  resultCode?: string;
  /**
   * PAdES B-T: timestamp the signature value with this TSA and embed the
   * token as the signature-time-stamp unsigned attribute.
   */
  timestamper?: Timestamper;
  /**
   * PAdES level (default B-B, or B-T when a timestamper is given). B-LT and
   * B-LTA append a DSS (and a document timestamp) after the signature; the
   * validation data is fetched with `validation` (OCSP, CRL).
   */
  level?: PadesLevel;
  validation?: CollectValidationOptions;
  /**
   * Also return the SHA-256 of the input and of the signed file (for an
   * audit log). With a SHA-256 signature it costs no pass of its own: the
   * input's hash is the first part of the byte-range digest, and the signed
   * file is the input followed by the update.
   */
  documentHashes?: boolean;
  /**
   * A visible signature (Decree 30/2020 layouts: personal, seal, copy,
   * attachment, text, or your own). Text fields not given (name, email,
   * agency, time) are read from the signer's certificate and the signing time.
   */
  appearance?: SignatureAppearance | RenderedAppearance;
  /**
   * Make this a certification signature (DocMDP): the document's first
   * signature, stating what may change afterwards. `permissions` 1: nothing
   * (not even another signature; DSS and document timestamps only), 2: form
   * filling and signing, 3: also annotations. Refused with
   * SIGN_CERTIFY_NOT_FIRST when the document is already signed or certified.
   */
  certify?: CertifyOptions;
  /**
   * Lock form fields once this signature is made (FieldMDP): `All`, or
   * `Include` / `Exclude` the `fields` named. `permissions` (PDF 2.0) also
   * limits later changes as DocMDP does; with 1 nothing but DSS and
   * document timestamps may follow. Combines with `certify`. Signing into an
   * empty field that carries its own /Lock applies that lock instead.
   */
  lock?: FieldLockOptions;
}

export interface SignatureAppearance {
  layout: AppearanceLayout | LayoutName;
  data?: AppearanceInput;
  placement?: AppearancePlacement;
}

export interface SignPdfResult {
  pdf: Uint8Array;
  fieldName: string;
  byteRange: ByteRange;
  /** With `documentHashes`: hex SHA-256 of the input and of the signed file. */
  inputSha256?: string;
  outputSha256?: string;
}

/**
 * A PDF laid out with an empty /Contents hole, and the digest of its byte
 * ranges. The original bytes are kept as they are and the update beside
 * them, so a large file is never copied until someone needs one buffer.
 */
export interface PreparedPdf {
  /** The input file, untouched. */
  readonly original: Uint8Array;
  /** The incremental update to append after it (the hole is inside). */
  readonly update: Uint8Array;
  readonly fieldName: string;
  readonly byteRange: ByteRange;
  /** Offset of the '<' that opens /Contents; the hole is byteRange[1]..byteRange[2]. */
  readonly contentsOffset: number;
  /** Bytes available for the DER CMS. */
  readonly contentsCapacity: number;
  readonly digest: DigestAlgorithm;
  readonly documentDigest: Uint8Array;
}

export interface PrepareOptions extends Omit<SignPdfOptions, 'signer' | 'appearance'> {
  /** Bytes to reserve for the DER CMS. */
  contentsCapacity: number;
  /**
   * Lay out a document timestamp (/Type /DocTimeStamp, /SubFilter
   * /ETSI.RFC3161) instead of a signature. Allowed even under DocMDP P=1
   * or a FieldMDP lock with P=1; takes neither `certify` nor `lock`.
   */
  documentTimestamp?: boolean;
  /** A visible appearance already rendered (preparePdf is synchronous). */
  appearance?: RenderedAppearance;
}

/**
 * Signs a PDF (PAdES B-B with ETSI.CAdES.detached) as one incremental
 * update appended to the given bytes, which are never modified.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  return (await signPdfDetailed(pdf, options)).pdf;
}

export async function signPdfDetailed(pdf: Uint8Array, options: SignPdfOptions): Promise<SignPdfResult> {
  const prepared = await signPrepared(pdf, options);
  let out: Uint8Array = Buffer.concat([prepared.original, prepared.update]);
  const hashes = options.documentHashes ? (inputHashes.get(prepared) ?? createHash('sha256').update(pdf)) : undefined;
  if (options.level === 'B-LT' || options.level === 'B-LTA') {
    out = await extendPdf(out, {
      level: options.level,
      fields: [prepared.fieldName],
      ...(options.timestamper ? { timestamper: options.timestamper } : {}),
      ...(options.validation ? { validation: options.validation } : {}),
    });
  }
  const result: SignPdfResult = { pdf: out, fieldName: prepared.fieldName, byteRange: prepared.byteRange };
  if (hashes) {
    result.inputSha256 = hashes.copy().digest('hex');
    // Every update kyso writes is appended: the signed file starts with the input, byte for byte.
    result.outputSha256 = hashes.update(out.subarray(pdf.length)).digest('hex');
  }
  return result;
}

/** The SHA-256 state after the input bytes, kept from preparePdf's byte-range digest when that is SHA-256. */
const inputHashes = new WeakMap<PreparedPdf, Hash>();

export interface SignPdfFileResult {
  fieldName: string;
  byteRange: ByteRange;
  /** Size of the signed file written. */
  size: number;
}

/** Signs without joining the result: the signed file is `original` followed by `update`. */
async function signPrepared(pdf: Uint8Array, options: SignPdfOptions): Promise<PreparedPdf> {
  const { signer } = options;
  if (options.level && options.level !== 'B-B' && !options.timestamper) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `PAdES ${options.level} needs a timestamp authority (timestamper / --tsa).`, { vi: `Mức PAdES ${options.level} cần máy chủ cấp dấu thời gian (timestamper / --tsa).` });
  }
  if (!signer || typeof signer.sign !== 'function') {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'signPdf needs a signer.', { vi: 'signPdf cần một đối tượng ký (signer).' });
  }
  const template = cachedTemplate(signer, options.digest);
  const signingTime = options.signingTime ?? new Date();
  const appearance = options.appearance && !('pdf' in options.appearance) ? await renderFor(pdf, signer, signingTime, options.appearance) : options.appearance;
  const tokenReserve = options.timestamper ? (options.timestamper.maxTokenSize ?? DEFAULT_TOKEN_RESERVE) : 0;
  const { appearance: _unused, ...rest } = options;
  const prepared = preparePdf(pdf, { ...rest, signingTime, ...(appearance ? { appearance } : {}), digest: template.digest, contentsCapacity: template.maxSize(tokenReserve) + (options.reserveBytes ?? 0) });
  let cms: Uint8Array;
  try {
    if (options.timestamper) {
      const attrs = template.signedAttributes(prepared.documentDigest);
      const value = await signer.sign(attrs, template.digest);
      const tsDigest = options.timestamper.digest ?? 'SHA-256';
      const imprint = createHash(tsDigest.replace('-', '').toLowerCase()).update(value).digest();
      const token = await options.timestamper.timestamp(imprint, tsDigest);
      cms = template.assemble(attrs, value, { unsignedAttributes: [{ type: CMS_OID.signatureTimeStampToken, values: [token] }] });
    } else {
      cms = await template.sign(prepared.documentDigest);
    }
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('SIGN_SIGNER_FAILED', `The signer failed: ${e instanceof Error ? e.message : String(e)}`, { vi: 'Thiết bị hoặc khoá ký báo lỗi khi ký.', cause: e });
  }
  fillHole(prepared, cms);
  return prepared;
}

/**
 * Lays out the signature update with an empty hole and hashes the byte
 * ranges. The first half of two-step signing; `embedSignature` is the second.
 */
export function preparePdf(pdf: Uint8Array, options: PrepareOptions): PreparedPdf {
  const certify = options.certify !== undefined ? validateCertify(options.certify) : undefined;
  let lock = options.lock !== undefined ? validateLock(options.lock) : undefined;
  if (options.documentTimestamp && (certify || lock)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'A document timestamp cannot certify or lock fields: give certify and lock to a signature.', {
      vi: 'Dấu thời gian tài liệu không thể chứng nhận hay khóa trường: hãy dùng certify và lock cho chữ ký.',
    });
  }
  const reader = PdfReader.open(pdf);
  if (certify) assertCanCertify(reader);
  if (!options.documentTimestamp) assertChangesPermitted(reader);
  // An empty field the document's author locked (/Lock) gets that lock.
  const writeLock = lock !== undefined;
  if (options.fieldName !== undefined && !options.documentTimestamp) {
    const target = formFields(reader).find((f) => f.name === options.fieldName && f.type === 'Sig' && f.dict.get('V') === undefined);
    const preset = target ? readLock(reader, target.dict.get('Lock')) : null;
    if (preset && lock) {
      throw new KysoError('SIGN_OPTIONS_INVALID', `The field "${options.fieldName}" already carries a field lock, which applies when it is signed: sign it without lock.`, {
        vi: `Trường "${options.fieldName}" đã có khóa trường, khóa này có hiệu lực khi ký: hãy ký mà không dùng lock.`,
      });
    }
    if (preset) lock = preset;
  }
  const digest = options.digest ?? 'SHA-256';
  const capacity = Math.ceil(options.contentsCapacity);
  if (!(capacity > 0 && capacity < 1 << 24)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'The space reserved for the signature is out of range.', { vi: 'Dung lượng dành cho chữ ký nằm ngoài phạm vi cho phép.' });
  }
  const hexLength = capacity * 2;

  const writer = new IncrementalWriter(reader);
  const sigRef = writer.allocate();
  const sig = new PdfDict()
    .set('Type', PdfName.of(options.documentTimestamp ? 'DocTimeStamp' : 'Sig'))
    .set('Filter', PdfName.of('Adobe.PPKLite'))
    .set('SubFilter', PdfName.of(options.documentTimestamp ? 'ETSI.RFC3161' : (options.subFilter ?? 'ETSI.CAdES.detached')))
    .set('ByteRange', new PdfRaw(Buffer.from(byteRangePlaceholder(), 'latin1'), 'byteRange'))
    .set('Contents', new PdfRaw(hole(hexLength), 'contents'));
  // A document timestamp's time is in its token; /M would be an unproven claim.
  if (!options.documentTimestamp) sig.set('M', PdfString.fromText(pdfDate(options.signingTime ?? new Date())));
  if (options.name) sig.set('Name', PdfString.fromText(options.name));
  if (options.reason) sig.set('Reason', PdfString.fromText(options.reason));
  if (options.location) sig.set('Location', PdfString.fromText(options.location));
  if (options.contactInfo) sig.set('ContactInfo', PdfString.fromText(options.contactInfo));
  const references = [...(certify ? [docMdpReference(reader.catalogRef(), certify.permissions)] : []), ...(lock ? [fieldMdpReference(reader.catalogRef(), lock)] : [])];
  if (references.length > 0) sig.set('Reference', references);
  writer.set(sigRef, sig);
  if (options.resultCode !== undefined) writeResultCode(reader, writer, options.resultCode);
  const lockRef = lock && writeLock ? writer.add(lockDictionary(lock)) : undefined;
  const fieldName = addSignatureField(reader, writer, sigRef, options.fieldName, options.appearance ? embedAppearance(writer, options.appearance) : options.placement, lockRef);
  assertFieldNotLocked(reader, fieldName);
  // After the field: every catalog edit of this update goes into the one staged copy.
  if (certify) writeCertificationPerms(reader, writer, sigRef);

  const written = writer.write();
  const update = Buffer.from(written.appended.buffer, written.appended.byteOffset, written.appended.byteLength);
  const base = pdf.length;
  const total = base + update.length;
  const contentsOffset = written.markers.get('contents')!;
  const byteRange = rangeAround(contentsOffset, contentsOffset + hexLength + 2, total);
  update.write(formatByteRange(byteRange), written.markers.get('byteRange')! - base, 'latin1');

  // The two ranges are the whole input plus the update around the hole.
  const h = createHash(digest.replace('-', '').toLowerCase());
  h.update(pdf);
  const afterInput = options.documentHashes && digest === 'SHA-256' ? h.copy() : undefined;
  h.update(update.subarray(0, byteRange[1] - base));
  h.update(update.subarray(byteRange[2] - base));
  const prepared: PreparedPdf = { original: pdf, update, fieldName, byteRange, contentsOffset, contentsCapacity: capacity, digest, documentDigest: h.digest() };
  if (afterInput) inputHashes.set(prepared, afterInput);
  return prepared;
}

/** Writes a DER CMS into a prepared PDF's /Contents hole and returns the signed file as one buffer. */
export function embedSignature(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  fillHole(prepared, cms);
  return Buffer.concat([prepared.original, prepared.update]);
}

/** Renders a visible appearance, filling the signer's identity from its certificate. */
async function renderFor(pdf: Uint8Array, signer: Signer, signingTime: Date, a: SignatureAppearance): Promise<RenderedAppearance> {
  let identity: Partial<AppearanceInput> = {};
  try {
    const id = describeSigner(signer.certificate);
    identity = {
      ...(id.commonName ? { commonName: id.commonName } : {}),
      ...(id.email ? { email: id.email } : {}),
      ...(id.organization ? { organization: id.organization } : {}),
      organizationalUnits: id.organizationalUnits,
    };
  } catch {
    // an unreadable certificate leaves the text to the caller's data
  }
  return renderAppearance(pdf, a.layout, { ...identity, signingTime, ...a.data }, a.placement);
}

/** Writes the DER CMS into the hole of the prepared update, in place. */
function fillHole(prepared: PreparedPdf, cms: Uint8Array): void {
  if (cms.length > prepared.contentsCapacity) {
    throw new KysoError(
      'SIGN_CONTENTS_TOO_SMALL',
      `The signature (${cms.length} bytes) is larger than the space reserved for it (${prepared.contentsCapacity} bytes).`,
      { vi: `Chữ ký (${cms.length} byte) lớn hơn vùng dành sẵn cho nó (${prepared.contentsCapacity} byte).` },
    );
  }
  const update = Buffer.from(prepared.update.buffer, prepared.update.byteOffset, prepared.update.byteLength);
  update.write(Buffer.from(cms).toString('hex'), prepared.contentsOffset + 1 - prepared.original.length, 'latin1');
}

function hole(hexLength: number): Buffer {
  const b = Buffer.alloc(hexLength + 2, 0x30);
  b[0] = 0x3c;
  b[hexLength + 1] = 0x3e;
  return b;
}

/**
 * Signs a file into another file. The output is written to a temporary
 * file and renamed, so a failure never leaves a half-written PDF.
 */
export async function signPdfFile(input: string, output: string, options: SignPdfOptions): Promise<SignPdfFileResult> {
  let pdf: Uint8Array;
  try {
    pdf = await readFile(input);
  } catch (e) {
    throw new KysoError('IO_ERROR', `Cannot read ${input}: ${(e as Error).message}`, { vi: `Không đọc được tệp ${input}.`, cause: e });
  }
  let parts: Uint8Array[];
  let meta: { fieldName: string; byteRange: ByteRange };
  if (options.level === 'B-LT' || options.level === 'B-LTA') {
    const r = await signPdfDetailed(pdf, options);
    parts = [r.pdf];
    meta = r;
  } else {
    const prepared = await signPrepared(pdf, options);
    parts = [prepared.original, prepared.update];
    meta = prepared;
  }
  const tmp = `${output}.kyso-${process.pid}-${Date.now()}.tmp`;
  try {
    // Input and update are written one after the other: a large file is never copied in memory.
    const handle = await open(tmp, 'w');
    try {
      await handle.writev(parts);
    } finally {
      await handle.close();
    }
    await rename(tmp, output);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new KysoError('IO_ERROR', `Cannot write ${output}: ${(e as Error).message}`, { vi: `Không ghi được tệp ${output}.`, cause: e });
  }
  return { fieldName: meta.fieldName, byteRange: meta.byteRange, size: parts.reduce((n, p) => n + p.length, 0) };
}
