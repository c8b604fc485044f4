import { formFields, PdfDict, PdfName, PdfRef, PdfString, type PdfObject, type PdfReader } from '../pdf/index.js';
import type { FieldLock } from './context.js';
import type { DocMdpLevel } from './rule.js';

/** What the document's signatures permit after them: its certification (DocMDP) and field locks (FieldMDP). */
export interface DocumentPermissions {
  certification: { p: DocMdpLevel; revision: number | null; sigNum: number } | null;
  locks: FieldLock[];
}

/** The DocMDP level in force for revision `r`; a document without certification is held to P=2. */
export function levelAt(perms: DocumentPermissions, r: number): DocMdpLevel {
  let p: DocMdpLevel = 2;
  const c = perms.certification;
  if (c && (c.revision === null || c.revision < r)) p = c.p;
  for (const l of perms.locks) if (l.revision < r && l.p !== null && l.p < p) p = l.p;
  return p;
}

export function readPermissions(reader: PdfReader): DocumentPermissions {
  const out: DocumentPermissions = { certification: null, locks: [] };
  let catalog: PdfDict;
  try {
    catalog = reader.catalog();
  } catch {
    return out;
  }
  const resolve = (o: PdfObject | undefined): PdfObject => {
    try {
      return reader.resolve(o);
    } catch {
      return null;
    }
  };
  const perms = resolve(catalog.get('Perms'));
  if (perms instanceof PdfDict) {
    const ref = perms.get('DocMDP');
    const sig = resolve(ref);
    if (ref instanceof PdfRef && sig instanceof PdfDict) {
      let p: DocMdpLevel = 2;
      for (const t of transforms(sig, 'DocMDP', resolve)) {
        const v = t.getNumber('P');
        if (v === 1 || v === 2 || v === 3) p = v;
      }
      out.certification = { p, revision: signedRevision(reader, sig), sigNum: ref.num };
    }
  }
  for (const f of formFields(reader)) {
    if (f.type !== 'Sig') continue;
    const sig = resolve(f.dict.get('V'));
    if (!(sig instanceof PdfDict)) continue;
    const revision = signedRevision(reader, sig);
    if (revision === null) continue;
    // The transform in the signed dictionary is what the signer vouched for; the field's /Lock is only an instruction.
    const params = transforms(sig, 'FieldMDP', resolve)[0] ?? (resolve(f.dict.get('Lock')) as PdfObject);
    if (!(params instanceof PdfDict)) continue;
    const action = params.getName('Action');
    if (action !== 'All' && action !== 'Include' && action !== 'Exclude') continue;
    const list = resolve(params.get('Fields'));
    const fields = (Array.isArray(list) ? list : []).map((x) => resolve(x)).filter((x): x is PdfString => x instanceof PdfString).map((x) => x.toText());
    const pv = params.getNumber('P') ?? (resolve(f.dict.get('Lock')) instanceof PdfDict ? (resolve(f.dict.get('Lock')) as PdfDict).getNumber('P') : undefined);
    out.locks.push({ action, fields, p: pv === 1 || pv === 2 || pv === 3 ? pv : null, revision, field: f.name });
  }
  return out;
}

function transforms(sig: PdfDict, method: string, resolve: (o: PdfObject | undefined) => PdfObject): PdfDict[] {
  const refs = resolve(sig.get('Reference'));
  const out: PdfDict[] = [];
  for (const r of Array.isArray(refs) ? refs : []) {
    const d = resolve(r);
    if (!(d instanceof PdfDict)) continue;
    const m = d.get('TransformMethod');
    if (!(m instanceof PdfName) || m.value !== method) continue;
    const params = resolve(d.get('TransformParams'));
    if (params instanceof PdfDict) out.push(params);
  }
  return out;
}

/** The revision a signature dictionary signs: the one its byte ranges end in. */
function signedRevision(reader: PdfReader, sig: PdfDict): number | null {
  const br = sig.get('ByteRange');
  if (!Array.isArray(br) || br.length < 2) return null;
  const a = br[br.length - 2];
  const b = br[br.length - 1];
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  const end = a + b;
  return reader.revisionEndingAt(end)?.index ?? reader.revisions.find((r) => r.endOffset >= end)?.index ?? null;
}
