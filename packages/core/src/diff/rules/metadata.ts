import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../pdf/index.js';
import { sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { RULES } from './table.js';
import { edge } from './walk.js';

/**
 * Document information (/Info) and XMP metadata: signing tools refresh
 * them at every signature (ModDate, Producer, a result code); neither is
 * drawn on any page.
 */
export function metadataRules(ctx: DiffContext): void {
  // /Info: the trailer entry and the dictionary it names.
  const infoEntry = ctx.after.trailer.get('Info');
  const info = ctx.resolveIn(ctx.after, infoEntry);
  const infoNum = infoEntry instanceof PdfRef ? infoEntry.num : null;
  const infoTouched = infoNum !== null && ctx.touched(infoNum);
  if (ctx.delta.trailerKeys.includes('Info') || infoTouched) {
    const problem = info === null ? null : info instanceof PdfDict ? nonTextEntry(info) : 'not a dictionary';
    if (problem === null) {
      if (ctx.delta.trailerKeys.includes('Info')) ctx.clear('trailer', { rule: RULES.info, keys: ['Info'], path: '/Info' });
      if (infoTouched) ctx.clear(infoNum, { rule: RULES.info, keys: 'all', via: [edge('trailer', '/Info')], path: '/Info' });
    } else {
      const target = infoTouched ? infoNum : 'trailer';
      ctx.refuse(target, { rule: RULES.info, keys: infoTouched ? 'all' : ['Info'], en: `The document information dictionary holds more than text (${problem}).`, vi: `Từ điển thông tin tài liệu chứa nội dung khác ngoài văn bản (${problem}).`, path: '/Info' });
    }
  }

  // XMP: catalog /Metadata.
  const cb = ctx.catalogIn(ctx.before);
  const ca = ctx.catalogIn(ctx.after);
  const catNum = ctx.catalogNum(ctx.after);
  if (!ca || catNum === null) return;
  const md = ca.get('Metadata');
  const keyChanged = !sameObject(cb?.get('Metadata'), md);
  const mdNum = md instanceof PdfRef ? md.num : null;
  if (!keyChanged && !(mdNum !== null && ctx.touched(mdNum))) return;
  const stream = ctx.resolveIn(ctx.after, md);
  const isXmp = stream instanceof PdfStream && stream.dict.getName('Type') === 'Metadata' && stream.dict.getName('Subtype') === 'XML';
  if (md !== undefined && !isXmp) {
    ctx.refuse(mdNum !== null && ctx.touched(mdNum) ? mdNum : catNum, { rule: RULES.xmp, keys: mdNum !== null && ctx.touched(mdNum) ? 'all' : ['Metadata'], en: 'The catalog /Metadata does not name an XMP metadata stream.', vi: '/Metadata của danh mục gốc không trỏ tới luồng siêu dữ liệu XMP.', path: '/Root/Metadata' });
    return;
  }
  if (keyChanged) ctx.clear(catNum, { rule: RULES.xmp, keys: ['Metadata'], path: '/Root/Metadata' });
  if (mdNum !== null && ctx.touched(mdNum)) ctx.clear(mdNum, { rule: RULES.xmp, keys: 'all', via: [edge(catNum, '/Metadata')], path: '/Root/Metadata' });
}

/** The first entry of an /Info dictionary that is not text, a date, a name or a number. */
function nonTextEntry(info: PdfDict): string | null {
  const plain = (v: PdfObject): boolean => v instanceof PdfString || v instanceof PdfName || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.length < 64 && v.every(plain));
  for (const [k, v] of info.map) if (!plain(v)) return `/${k}`;
  return null;
}
