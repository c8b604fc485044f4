/**
 * The revision engine: lazy reader, objects, incremental writer, byte ranges.
 *
 * @module @kyso/core/pdf
 */
export { PdfReader } from './reader.js';
export type { Revision, PdfReaderOptions } from './reader.js';
export type { EncryptionInfo, CipherName } from './security/standard-handler.js';
export { IncrementalWriter } from './writer.js';
export type { IncrementalUpdate, WriteOptions } from './writer.js';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString, PdfRaw, isDict, isRef, isName, isStream, isArray } from './objects.js';
export type { PdfObject, PdfArray } from './objects.js';
export { ByteWriter, formatNumber, formatName } from './serializer.js';
export { PdfParser } from './parser.js';
export { decodeStream } from './filters.js';
export type { XrefEntry, XrefSection } from './xref.js';
export { byteRangePlaceholder, formatByteRange, rangeAround, BYTE_RANGE_DIGITS } from './byte-range.js';
export type { ByteRange } from './byte-range.js';
export { locateDictValues } from './locate.js';
export type { LocatedValue } from './locate.js';
export { readXmp, xmpWithProperty, xmpProperty, xmpStream } from './xmp.js';
export { formFields } from './form-fields.js';
export type { FormField } from './form-fields.js';
export { readDss } from './dss.js';
export type { DssContents } from './dss.js';
