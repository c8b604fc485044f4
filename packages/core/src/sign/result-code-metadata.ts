import { parseResultCode } from '../codes/index.js';
import { KysoError } from '../errors.js';
import { RESULT_CODE_INFO_KEY, RESULT_CODE_XMP, RESULT_CODE_XMP_PROPERTY } from '../metadata/index.js';
import { PdfDict, PdfRef, PdfString, readXmp, xmpStream, xmpWithProperty, type IncrementalWriter, type PdfReader } from '../pdf/index.js';

/**
 * Writes the result code into the document information dictionary and the
 * XMP packet, as part of the signature's own update so that the signature
 * covers it.
 */
export function writeResultCode(reader: PdfReader, writer: IncrementalWriter, code: string): void {
  try {
    parseResultCode(code);
  } catch (e) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `"${code}" is not a valid result code: ${e instanceof Error ? e.message : String(e)}`, {
      vi: `"${code}" không phải là mã kết quả hợp lệ.`,
      cause: e,
    });
  }
  // /Info
  const infoEntry = reader.trailer.get('Info');
  const oldInfo = reader.resolve(infoEntry);
  const info = (oldInfo instanceof PdfDict ? oldInfo.clone() : new PdfDict()).set(RESULT_CODE_INFO_KEY, PdfString.fromText(code));
  if (infoEntry instanceof PdfRef && oldInfo instanceof PdfDict) writer.set(infoEntry, info);
  else writer.setTrailer('Info', writer.add(info));

  // XMP: extend the existing packet, or start one.
  const xmp = readXmp(reader);
  const stream = xmpStream(xmpWithProperty(xmp?.xml ?? null, RESULT_CODE_XMP, RESULT_CODE_XMP_PROPERTY, code));
  if (xmp?.ref) writer.set(xmp.ref, stream);
  else {
    const ref = writer.add(stream);
    const catalogRef = reader.catalogRef();
    const staged = writer.staged(catalogRef);
    const catalog = (staged instanceof PdfDict ? staged : reader.catalog()).clone();
    writer.set(catalogRef, catalog.set('Metadata', ref));
  }
}
