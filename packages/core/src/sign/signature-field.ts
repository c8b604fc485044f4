import { KysoError } from '../errors.js';
import { IncrementalWriter, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject, type PdfReader } from '../pdf/index.js';

export interface FieldPlacement {
  /** Zero-based page index for the widget (default 0). */
  page?: number;
  /** Widget rectangle [x1 y1 x2 y2] in page space; [0 0 0 0] (invisible) by default. */
  rect?: [number, number, number, number];
  /** The widget's normal appearance stream (a form XObject); an empty one by default. */
  appearance?: PdfRef;
}

/**
 * Adds (or fills) a signature field whose /V is `sigRef`, registering it in
 * the AcroForm's /Fields and the page's /Annots. Each object is re-emitted
 * only when it really changes: Acrobat reads any rewritten object as a
 * modification of earlier signatures.
 */
export function addSignatureField(
  reader: PdfReader,
  writer: IncrementalWriter,
  sigRef: PdfRef,
  fieldName: string | undefined,
  placement: FieldPlacement = {},
  /** The field's /Lock (FieldMDP), an indirect signature field lock dictionary. */
  lock?: PdfRef,
): string {
  const catalogRef = reader.catalogRef();
  const catalog = reader.catalog();
  let catalogCopy: PdfDict | undefined;

  // The AcroForm: indirect, inline in the catalog, or absent.
  const afEntry = catalog.get('AcroForm');
  let acroForm: PdfDict;
  let acroFormRef: PdfRef | undefined;
  let acroFormDirty = false;
  const afResolved = afEntry instanceof PdfRef ? reader.resolve(afEntry) : undefined;
  if (afEntry instanceof PdfRef && afResolved instanceof PdfDict) {
    acroForm = afResolved.clone();
    acroFormRef = afEntry;
  } else if (afEntry instanceof PdfDict) {
    acroForm = afEntry.clone();
  } else {
    acroForm = new PdfDict();
    acroFormDirty = true;
  }

  const fieldsEntry = acroForm.get('Fields');
  const fieldsResolved = reader.resolve(fieldsEntry);
  const fields: PdfObject[] = Array.isArray(fieldsResolved) ? [...fieldsResolved] : [];
  const names = topLevelFieldNames(reader, fields);

  // Filling an existing, empty signature field?
  if (fieldName !== undefined && names.has(fieldName)) {
    const existing = names.get(fieldName)!;
    const dict = existing instanceof PdfRef ? reader.resolve(existing) : undefined;
    if (!(existing instanceof PdfRef) || !(dict instanceof PdfDict) || dict.getName('FT') !== 'Sig' || dict.get('V') !== undefined) {
      throw new KysoError('SIGN_FIELD_EXISTS', `A field named "${fieldName}" already exists and is not an empty signature field; choose another name.`, {
        vi: `Đã có trường tên "${fieldName}" và đó không phải trường chữ ký còn trống; hãy chọn tên khác.`,
      });
    }
    const filled = dict.clone().set('V', sigRef);
    if (lock) filled.set('Lock', lock);
    writer.set(existing, filled);
    ensureSigFlags();
    flush();
    return fieldName;
  }

  const name = fieldName ?? uniqueName(names);
  const pageIndex = placement.page ?? 0;
  const pageRef = reader.pageRef(pageIndex);
  if (!pageRef) {
    const count = reader.pageCount();
    throw new KysoError('SIGN_OPTIONS_INVALID', `The PDF has ${count} page(s); page ${pageIndex + 1} does not exist.`, {
      vi: `Tệp PDF có ${count} trang; không có trang ${pageIndex + 1}.`,
    });
  }
  const rect = placement.rect ?? [0, 0, 0, 0];
  const ap = placement.appearance ?? writer.add(emptyAppearance());
  // Field and widget merged into one dictionary, as most signers do.
  const widget = new PdfDict()
    .set('Type', PdfName.of('Annot'))
    .set('Subtype', PdfName.of('Widget'))
    .set('FT', PdfName.of('Sig'))
    .set('T', PdfString.fromText(name))
    .set('V', sigRef)
    .set('F', 132) // Print + Locked
    .set('Rect', rect)
    .set('P', pageRef)
    .set('AP', new PdfDict().set('N', ap));
  if (lock) widget.set('Lock', lock);
  const widgetRef = writer.add(widget);

  fields.push(widgetRef);
  if (fieldsEntry instanceof PdfRef && Array.isArray(fieldsResolved)) writer.set(fieldsEntry, fields);
  else {
    acroForm.set('Fields', fields);
    acroFormDirty = true;
  }
  ensureSigFlags();

  // The page's /Annots: an indirect array is re-emitted alone; otherwise the page.
  const page = reader.resolve(pageRef);
  if (!(page instanceof PdfDict)) throw new KysoError('PDF_MALFORMED', 'The page for the signature is not a dictionary.', { vi: 'Trang đặt chữ ký không phải là một từ điển hợp lệ.' });
  const annotsEntry = page.get('Annots');
  const annotsResolved = reader.resolve(annotsEntry);
  const annots: PdfObject[] = Array.isArray(annotsResolved) ? [...annotsResolved, widgetRef] : [widgetRef];
  if (annotsEntry instanceof PdfRef && Array.isArray(annotsResolved)) writer.set(annotsEntry, annots);
  else writer.set(pageRef, page.clone().set('Annots', annots));

  flush();
  return name;

  /** The catalog as this update already changed it (metadata may have), else a copy of the file's. */
  function stagedCatalog(): PdfDict {
    const staged = writer.staged(catalogRef);
    return (staged instanceof PdfDict ? staged : catalog).clone();
  }

  function ensureSigFlags(): void {
    const flags = acroForm.getNumber('SigFlags') ?? 0;
    if ((flags & 3) !== 3) {
      acroForm.set('SigFlags', flags | 3);
      acroFormDirty = true;
    }
  }

  function flush(): void {
    if (!acroFormDirty) return;
    if (acroFormRef) writer.set(acroFormRef, acroForm);
    else if (afEntry instanceof PdfDict) {
      catalogCopy ??= stagedCatalog();
      catalogCopy.set('AcroForm', acroForm);
    } else {
      const ref = writer.add(acroForm);
      catalogCopy ??= stagedCatalog();
      catalogCopy.set('AcroForm', ref);
    }
    if (catalogCopy) writer.set(catalogRef, catalogCopy);
    acroFormDirty = false;
  }
}

function emptyAppearance(): PdfObject {
  const dict = new PdfDict().set('Type', PdfName.of('XObject')).set('Subtype', PdfName.of('Form')).set('BBox', [0, 0, 0, 0]);
  return new PdfStream(dict, new Uint8Array(0));
}

/** Top-level field names (partial names /T), mapped to their field object. */
function topLevelFieldNames(reader: PdfReader, fields: PdfObject[]): Map<string, PdfObject> {
  const out = new Map<string, PdfObject>();
  for (const f of fields.slice(0, 100_000)) {
    const d = reader.resolve(f);
    if (!(d instanceof PdfDict)) continue;
    const t = d.get('T');
    if (t instanceof PdfString) out.set(t.toText(), f);
  }
  return out;
}

function uniqueName(names: Map<string, PdfObject>): string {
  for (let i = 1; ; i++) {
    const candidate = `Signature${i}`;
    if (!names.has(candidate)) return candidate;
  }
}
