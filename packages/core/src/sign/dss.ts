import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { IncrementalWriter, PdfDict, PdfName, PdfReader, PdfRef, PdfStream, type PdfObject } from '../pdf/index.js';

import type { ValidationData } from '../time/index.js';
import { assertEncryptionPermits } from './permissions.js';

export interface VriEntry {
  /** The DER in the signature's /Contents (without the zero padding): its SHA-1 names the VRI entry. */
  signatureContents: Uint8Array;
  data: ValidationData;
}

/**
 * Appends (or extends) the Document Security Store, PAdES B-LT: one
 * incremental update with /Certs, /OCSPs, /CRLs and a /VRI entry per
 * signature. Data already in the DSS is not stored twice.
 */
export function addDss(pdf: Uint8Array, entries: readonly VriEntry[], options: { pdfPassword?: string } = {}): Uint8Array {
  const reader = PdfReader.open(pdf, options.pdfPassword !== undefined ? { password: options.pdfPassword } : {});
  if (reader.encryption) assertEncryptionPermits(reader, 'validation-data');
  const writer = new IncrementalWriter(reader);
  const catalog = reader.catalog();
  const dssEntry = catalog.get('DSS');
  const oldDss = reader.resolve(dssEntry);
  const dss = oldDss instanceof PdfDict ? oldDss.clone() : new PdfDict().set('Type', PdfName.of('DSS'));

  // What is stored already, by content hash, so nothing is written twice.
  const known = new Map<string, PdfRef>();
  const lists: Record<'Certs' | 'OCSPs' | 'CRLs', PdfObject[]> = { Certs: [], OCSPs: [], CRLs: [] };
  for (const key of ['Certs', 'OCSPs', 'CRLs'] as const) {
    const arr = reader.resolve(dss.get(key));
    for (const item of Array.isArray(arr) ? arr : []) {
      lists[key].push(item);
      const s = reader.resolve(item);
      if (item instanceof PdfRef && s instanceof PdfStream) {
        try {
          known.set(hash(reader.streamData(s)), item);
        } catch {
          // unreadable entry: keep it, just don't deduplicate against it
        }
      }
    }
  }
  const store = (key: 'Certs' | 'OCSPs' | 'CRLs', der: Uint8Array): PdfRef => {
    const h = hash(der);
    let ref = known.get(h);
    if (!ref) {
      ref = writer.add(new PdfStream(new PdfDict().set('Filter', PdfName.of('FlateDecode')), deflateSync(der)));
      known.set(h, ref);
      lists[key].push(ref);
    }
    return ref;
  };

  const oldVri = reader.resolve(dss.get('VRI'));
  const vri = oldVri instanceof PdfDict ? oldVri.clone() : new PdfDict();
  for (const e of entries) {
    const certs = e.data.certificates.map((c) => store('Certs', c));
    const ocsps = e.data.ocspResponses.map((o) => store('OCSPs', o));
    const crls = e.data.crls.map((c) => store('CRLs', c));
    const entry = new PdfDict();
    if (certs.length) entry.set('Cert', certs);
    if (ocsps.length) entry.set('OCSP', ocsps);
    if (crls.length) entry.set('CRL', crls);
    const key = createHash('sha1').update(e.signatureContents).digest('hex').toUpperCase();
    vri.set(key, writer.add(entry));
  }
  for (const key of ['Certs', 'OCSPs', 'CRLs'] as const) if (lists[key].length) dss.set(key, lists[key]);
  dss.set('VRI', vri);

  if (dssEntry instanceof PdfRef && oldDss instanceof PdfDict) writer.set(dssEntry, dss);
  else writer.set(reader.catalogRef(), catalog.clone().set('DSS', writer.add(dss)));
  const update = writer.write();
  return Buffer.concat([pdf, update.appended]);
}

function hash(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
