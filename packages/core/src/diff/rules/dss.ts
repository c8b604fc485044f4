import { PdfDict, PdfRef, PdfStream, type PdfObject } from '../../pdf/index.js';
import { sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import type { ModificationRule } from '../rule.js';
import { RULES } from './table.js';
import { edge } from './walk.js';

const DSS_KEYS = new Set(['Type', 'Certs', 'OCSPs', 'CRLs', 'VRI']);
const VRI_KEYS = new Set(['Type', 'Cert', 'OCSP', 'CRL', 'TU', 'TS']);

/**
 * Long-term validation data (PAdES DSS, ETSI EN 319 142-1 §5.4): the
 * catalog's /DSS, its arrays of certificates, OCSP responses and CRLs, and
 * the per-signature /VRI dictionaries. None of it is drawn.
 */
export function dssRules(ctx: DiffContext): void {
  const cb = ctx.catalogIn(ctx.before);
  const ca = ctx.catalogIn(ctx.after);
  const catNum = ctx.catalogNum(ctx.after);
  if (!ca || catNum === null) return;
  const entry = ca.get('DSS');
  if (entry === undefined) return;
  const changedEntry = !sameObject(cb?.get('DSS'), entry);
  const dss = ctx.resolveIn(ctx.after, entry);
  if (!(dss instanceof PdfDict)) {
    if (changedEntry) ctx.refuse(catNum, { rule: RULES.dssCatalogEntry, keys: ['DSS'], en: 'The catalog /DSS is not a dictionary.', vi: '/DSS của danh mục gốc không phải là từ điển.', path: '/Root/DSS' });
    return;
  }
  const badKeys = [...dss.keys()].filter((k) => !DSS_KEYS.has(k));
  if (badKeys.length > 0) {
    ctx.refuse(entry instanceof PdfRef ? entry.num : catNum, { rule: RULES.dssDictionary, keys: 'all', en: `The DSS dictionary holds entries that are not validation data (${badKeys.map((k) => `/${k}`).join(', ')}).`, vi: `Từ điển DSS chứa mục không phải dữ liệu kiểm tra (${badKeys.map((k) => `/${k}`).join(', ')}).`, path: '/Root/DSS' });
    return;
  }
  if (changedEntry) ctx.clear(catNum, { rule: RULES.dssCatalogEntry, keys: ['DSS'], path: '/Root/DSS' });
  let holder = catNum;
  let inner = '/DSS';
  if (entry instanceof PdfRef) {
    holder = entry.num;
    inner = '';
    if (ctx.touched(entry.num)) ctx.clear(entry.num, { rule: RULES.dssDictionary, keys: 'all', via: [edge(catNum, '/DSS')], path: '/Root/DSS' });
  }
  for (const key of ['Certs', 'OCSPs', 'CRLs']) clearStreamList(ctx, dss.get(key), holder, `${inner}/${key}`, `/Root/DSS/${key}`, RULES.dssDictionary);
  const vriEntry = dss.get('VRI');
  if (vriEntry === undefined) return;
  let vHolder = holder;
  let vInner = `${inner}/VRI`;
  if (vriEntry instanceof PdfRef) {
    if (ctx.touched(vriEntry.num)) ctx.clear(vriEntry.num, { rule: RULES.dssVri, keys: 'all', via: [edge(holder, `${inner}/VRI`)], path: '/Root/DSS/VRI' });
    vHolder = vriEntry.num;
    vInner = '';
  }
  const vri = ctx.resolveIn(ctx.after, vriEntry);
  if (!(vri instanceof PdfDict)) return;
  for (const [hash, value] of vri.map) {
    let eHolder = vHolder;
    let eInner = `${vInner}/${hash}`;
    const path = `/Root/DSS/VRI/${hash}`;
    if (value instanceof PdfRef) {
      if (ctx.touched(value.num)) ctx.clear(value.num, { rule: RULES.dssVri, keys: 'all', via: [edge(vHolder, `${vInner}/${hash}`)], path });
      eHolder = value.num;
      eInner = '';
    }
    const d = ctx.resolveIn(ctx.after, value);
    if (!(d instanceof PdfDict)) continue;
    if ([...d.keys()].some((k) => !VRI_KEYS.has(k))) continue; // left to the policy: suspicious
    for (const k of ['Cert', 'OCSP', 'CRL']) clearStreamList(ctx, d.get(k), eHolder, `${eInner}/${k}`, `${path}/${k}`, RULES.dssVri);
    const ts = d.get('TS');
    if (ts instanceof PdfRef && ctx.isNew(ts.num) && ctx.objectIn(ctx.after, ts.num) instanceof PdfStream) ctx.clear(ts.num, { rule: RULES.dssVri, keys: 'all', path: `${path}/TS` });
  }
}

/** An array (direct or indirect) of references to streams: the array if this revision wrote it, and its new streams. */
function clearStreamList(ctx: DiffContext, value: PdfObject | undefined, holder: number, inner: string, path: string, rule: ModificationRule): void {
  if (value === undefined) return;
  if (value instanceof PdfRef && ctx.touched(value.num)) ctx.clear(value.num, { rule, keys: 'all', via: [edge(holder, inner)], path });
  const list = ctx.resolveIn(ctx.after, value);
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (!(item instanceof PdfRef) || !ctx.isNew(item.num)) return;
    // Validation data are plain streams: a dictionary or an XObject here would be something else in disguise.
    const s = ctx.objectIn(ctx.after, item.num);
    if (s instanceof PdfStream && s.dict.getName('Type') === undefined && s.dict.getName('Subtype') === undefined) ctx.clear(item.num, { rule, keys: 'all', path: `${path}[${i}]` });
  });
}
