import { PdfDict, PdfStream } from './objects.js';
import type { PdfReader } from './reader.js';

/** The decoded contents of the Document Security Store (PAdES long-term validation data). */
export interface DssContents {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

/**
 * Reads the catalog's /DSS once: every /Certs, /OCSPs and /CRLs stream,
 * decoded. Unreadable entries are skipped (they are evidence of nothing);
 * a missing or broken DSS is empty.
 */
export function readDss(reader: PdfReader): DssContents {
  const out: DssContents = { certificates: [], ocspResponses: [], crls: [] };
  let dss: unknown;
  try {
    dss = reader.resolve(reader.catalog().get('DSS'));
  } catch {
    return out;
  }
  if (!(dss instanceof PdfDict)) return out;
  for (const [key, list] of [['Certs', out.certificates], ['OCSPs', out.ocspResponses], ['CRLs', out.crls]] as const) {
    let arr: unknown;
    try {
      arr = reader.resolve(dss.get(key));
    } catch {
      continue;
    }
    for (const item of Array.isArray(arr) ? arr.slice(0, 10_000) : []) {
      try {
        const s = reader.resolve(item);
        if (s instanceof PdfStream) list.push(reader.streamData(s));
      } catch {
        // an unreadable DSS entry is just not used
      }
    }
  }
  return out;
}
