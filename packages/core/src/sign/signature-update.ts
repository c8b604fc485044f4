/**
 * The incremental update a signature or a document timestamp is written into:
 * the signature dictionary with a fixed-width /ByteRange and an empty
 * /Contents hole, the byte ranges around it hashed as a stream, and the hole
 * filled afterwards. signPdf (the PAdES levels) and addDocumentTimestamp both
 * build on it; it knows no Signer and no timestamp authority.
 */
import { createHash, type Hash } from 'node:crypto';
import { embedAppearance, type RenderedAppearance } from '../appearance/index.js';
import type { DigestAlgorithm } from '../contracts/index.js';
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
  type FormField,
} from '../pdf/index.js';
import { assertCanCertify, docMdpReference, validateCertify, writeCertificationPerms } from './certification.js';
import { assertFieldNotLocked, fieldMdpReference, lockDictionary, readLock, validateLock } from './field-lock.js';
import type { SignPdfOptions } from './options.js';
import { assertChangesPermitted, assertEncryptionPermits } from './permissions.js';
import { pdfDate } from './pdf-date.js';
import { writeResultCode } from './result-code-metadata.js';
import { addSignatureField } from './signature-field.js';

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

/** The SHA-256 state after the input bytes, kept from preparePdf's byte-range digest when that is SHA-256. */
const inputHashes = new WeakMap<PreparedPdf, Hash>();

/** The SHA-256 state after the input bytes, when preparePdf kept it (`documentHashes` with SHA-256). */
export function inputHash(prepared: PreparedPdf): Hash | undefined {
  return inputHashes.get(prepared);
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
  const reader = PdfReader.open(pdf, options.pdfPassword !== undefined ? { password: options.pdfPassword } : {});
  if (certify) assertCanCertify(reader);
  if (!options.documentTimestamp) assertChangesPermitted(reader);
  if (reader.encryption) assertSignaturePermitted(reader, options, certify !== undefined);
  // An empty field the document's author locked (/Lock) gets that lock.
  const writeLock = lock !== undefined;
  if (options.fieldName !== undefined && !options.documentTimestamp) {
    const target = emptySignatureFields(reader).find((f) => f.name === options.fieldName);
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

function emptySignatureFields(reader: PdfReader): FormField[] {
  return formFields(reader).filter((f) => f.type === 'Sig' && f.dict.get('V') === undefined);
}

/** An encrypted document's permissions (/P) against what this signature writes: a new field, or an existing empty one filled. */
function assertSignaturePermitted(reader: PdfReader, options: PrepareOptions, certify: boolean): void {
  const empty = emptySignatureFields(reader);
  const fills = !options.documentTimestamp && options.fieldName !== undefined && empty.some((f) => f.name === options.fieldName);
  assertEncryptionPermits(reader, fills && !certify ? 'fill-signature-field' : 'new-signature-field', empty.map((f) => f.name));
}

/** Writes a DER CMS into a prepared PDF's /Contents hole and returns the signed file as one buffer. */
export function embedSignature(prepared: PreparedPdf, cms: Uint8Array): Uint8Array {
  fillHole(prepared, cms);
  return Buffer.concat([prepared.original, prepared.update]);
}

/** Writes the DER CMS into the hole of the prepared update, in place. */
export function fillHole(prepared: PreparedPdf, cms: Uint8Array): void {
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

