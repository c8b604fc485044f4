/**
 * Where a certified copy records its certification number and book: XMP
 * properties in kyso's namespace (the one that holds the result code),
 * written in the update that stamps the statement, before the first
 * signature, so every signature covers them.
 */
import { readXmp, xmpStream, xmpWithProperty, PdfDict, type IncrementalWriter, type PdfReader } from '../pdf/index.js';
import { CERT_BOOK_XMP_PROPERTY, CERT_NUMBER_XMP_PROPERTY, CERTIFIED_COPY_XMP } from '../metadata/index.js';

export function writeCertifiedCopyXmp(reader: PdfReader, writer: IncrementalWriter, facts: { number: number; bookLabel: string }): void {
  const xmp = readXmp(reader);
  let xml = xmpWithProperty(xmp?.xml ?? null, CERTIFIED_COPY_XMP, CERT_NUMBER_XMP_PROPERTY, String(facts.number));
  xml = xmpWithProperty(xml, CERTIFIED_COPY_XMP, CERT_BOOK_XMP_PROPERTY, facts.bookLabel);
  const stream = xmpStream(xml);
  if (xmp?.ref) writer.set(xmp.ref, stream);
  else {
    const catalogRef = reader.catalogRef();
    const staged = writer.staged(catalogRef);
    const catalog = (staged instanceof PdfDict ? staged : reader.catalog()).clone();
    writer.set(catalogRef, catalog.set('Metadata', writer.add(stream)));
  }
}
