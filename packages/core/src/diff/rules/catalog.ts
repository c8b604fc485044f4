import { PdfDict, PdfName, PdfRef, type PdfObject, type PdfReader } from '../../pdf/index.js';
import { sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { RULES } from './table.js';
import { edge } from './walk.js';

const VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '2.0'];
const EXTENSION_KEYS = new Set(['Type', 'BaseVersion', 'ExtensionLevel', 'URL', 'ExtensionRevision']);

/** Catalog entries that later signing tools legitimately write: developer /Extensions and a raised /Version. */
export function catalogRules(ctx: DiffContext): void {
  const cb = ctx.catalogIn(ctx.before);
  const ca = ctx.catalogIn(ctx.after);
  const catNum = ctx.catalogNum(ctx.after);
  if (!cb || !ca || catNum === null) return;

  // /Version: upwards only, to a version that exists.
  if (!sameObject(cb.get('Version'), ca.get('Version'))) {
    const from = versionOf(ctx.before, cb);
    const to = ca.get('Version');
    const target = to instanceof PdfName ? to.value : null;
    if (target !== null && VERSIONS.includes(target) && from !== null && VERSIONS.indexOf(target) > VERSIONS.indexOf(from)) {
      ctx.clear(catNum, { rule: RULES.version, keys: ['Version'], path: '/Root/Version', en: `The catalog /Version was raised from ${from} to ${target}.`, vi: `/Version của danh mục gốc được nâng từ ${from} lên ${target}.` });
    } else {
      ctx.refuse(catNum, { rule: RULES.version, keys: ['Version'], en: `The catalog /Version changed from ${from ?? '?'} to ${target ?? 'something that is not a version'}: only raising it to an existing version is expected.`, vi: `/Version của danh mục gốc đổi từ ${from ?? '?'} sang ${target ?? 'giá trị không phải phiên bản'}: chỉ chấp nhận nâng lên một phiên bản có thật.`, path: '/Root/Version' });
    }
  }

  // /Extensions: a dictionary of developer extensions (each a dictionary, or an array of them in PDF 2.0).
  const ext = ca.get('Extensions');
  const extNum = ext instanceof PdfRef ? ext.num : null;
  const keyChanged = !sameObject(cb.get('Extensions'), ext);
  if (!keyChanged && !(extNum !== null && ctx.touched(extNum))) return;
  const dict = ctx.resolveIn(ctx.after, ext);
  const touchedParts: { num: number; via: ReturnType<typeof edge>; path: string }[] = [];
  const ok = dict instanceof PdfDict && [...dict.map].every(([prefix, v]) => {
    const items = Array.isArray(ctx.resolveIn(ctx.after, v)) ? (ctx.resolveIn(ctx.after, v) as PdfObject[]) : [v];
    if (v instanceof PdfRef && ctx.touched(v.num)) touchedParts.push({ num: v.num, via: edge(extNum ?? catNum, extNum !== null ? `/${prefix}` : `/Extensions/${prefix}`), path: `/Root/Extensions/${prefix}` });
    return items.length > 0 && items.every((item, i) => {
      if (item instanceof PdfRef && ctx.touched(item.num) && item !== v) touchedParts.push({ num: item.num, via: edge(v instanceof PdfRef ? v.num : (extNum ?? catNum), `[${i}]`), path: `/Root/Extensions/${prefix}[${i}]` });
      const d = ctx.resolveIn(ctx.after, item);
      return d instanceof PdfDict && d.get('BaseVersion') instanceof PdfName && typeof d.get('ExtensionLevel') === 'number' && [...d.keys()].every((k) => EXTENSION_KEYS.has(k));
    });
  });
  if (!ok) {
    ctx.refuse(extNum !== null && ctx.touched(extNum) ? extNum : catNum, { rule: RULES.extensions, keys: extNum !== null && ctx.touched(extNum) ? 'all' : ['Extensions'], en: 'The catalog /Extensions is not a dictionary of developer extensions.', vi: '/Extensions của danh mục gốc không phải từ điển các phần mở rộng.', path: '/Root/Extensions' });
    return;
  }
  if (keyChanged) ctx.clear(catNum, { rule: RULES.extensions, keys: ['Extensions'], path: '/Root/Extensions' });
  if (extNum !== null && ctx.touched(extNum)) ctx.clear(extNum, { rule: RULES.extensions, keys: 'all', via: [edge(catNum, '/Extensions')], path: '/Root/Extensions' });
  for (const p of touchedParts) ctx.clear(p.num, { rule: RULES.extensions, keys: 'all', via: [p.via], path: p.path });
}

function versionOf(view: PdfReader, catalog: PdfDict): string | null {
  const v = catalog.get('Version');
  const header = view.version.trim();
  const own = v instanceof PdfName ? v.value : null;
  // The catalog's /Version wins when it is later than the header (ISO 32000-1 §7.5.2).
  if (own && VERSIONS.includes(own) && (!VERSIONS.includes(header) || VERSIONS.indexOf(own) > VERSIONS.indexOf(header))) return own;
  return VERSIONS.includes(header) ? header : own;
}
