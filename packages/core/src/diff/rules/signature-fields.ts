import { PdfDict, PdfRef, PdfStream, type FormField, type PdfObject } from '../../pdf/index.js';
import { changedKeys, sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { annotationInk, annotationRect, intersects, isInvisible, pageIndex, pageInk, pagePath } from '../ink.js';
import type { Edge } from '../references.js';
import type { ModificationRule } from '../rule.js';
import { RULES } from './table.js';
import { asList, clearNewReachable, edge, fieldPath, isDocumentTimestamp, isSignatureDict, listDiff, widgetRefs } from './walk.js';

/** Entries of an empty signature field that signing it fills in. */
const FILL_KEYS = new Set(['V', 'AP', 'AS', 'Lock', 'SV', 'F', 'MK', 'DR', 'DA']);
/** Entries of a separate widget of a signature field that signing refreshes. */
const WIDGET_FILL_KEYS = new Set(['AP', 'AS', 'MK', 'F']);
/** AcroForm entries that registering signature fields touches. */
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);

interface Placed {
  widget: number;
  dict: PdfDict;
  page: PdfRef | null;
  onPage: boolean;
  draws: boolean;
  opaque: boolean;
  rect: [number, number, number, number] | null;
}

/**
 * Signature fields and document timestamps: new fields and their
 * signatures, empty fields signed, their appearances, and their
 * registration in the AcroForm. Page /Annots are judged with annotations.
 */
export function signatureFieldRules(ctx: DiffContext): void {
  const before = new Map<number, FormField>();
  for (const f of ctx.fields(ctx.before)) if (f.ref) before.set(f.ref.num, f);
  for (const f of ctx.fields(ctx.after)) {
    if (f.type !== 'Sig' || !f.ref) continue;
    const old = before.get(f.ref.num);
    if (!old) {
      if (ctx.isNew(f.ref.num)) newField(ctx, f);
    } else if (ctx.touched(f.ref.num) || widgetRefs(ctx, f.ref, f.dict).some((w) => ctx.touched(w.num))) {
      existingField(ctx, old, f);
    }
  }
  registration(ctx);
}

function place(ctx: DiffContext, widget: PdfRef): Placed {
  const dict = ctx.objectIn(ctx.after, widget.num) as PdfDict;
  const p = dict.get('P');
  const page = p instanceof PdfRef ? p : null;
  const pageDict = page ? ctx.objectIn(ctx.after, page.num) : null;
  const annots = pageDict instanceof PdfDict ? ctx.resolveIn(ctx.after, pageDict.get('Annots')) : null;
  const onPage = Array.isArray(annots) && annots.some((a) => a instanceof PdfRef && a.num === widget.num);
  const ink = annotationInk(ctx.after, dict);
  return { widget: widget.num, dict, page, onPage, draws: ink.draws, opaque: ink.opaque, rect: annotationRect(dict) };
}

/** Does an opaque appearance lie over what the page drew when it was signed? */
function hidesSignedContent(ctx: DiffContext, w: Placed): boolean {
  if (!w.opaque || !w.rect || !w.page) return w.opaque;
  const page = ctx.objectIn(ctx.before, w.page.num);
  if (!(page instanceof PdfDict)) return true;
  return pageInk(ctx.before, page).some((b) => intersects(b, w.rect!));
}

function coversOf(ctx: DiffContext, w: Placed): { page: number | null; rect: [number, number, number, number]; opaque: boolean } | undefined {
  if (!w.rect || isInvisible(w.dict)) return undefined;
  return { page: w.page ? pageIndex(ctx.after, w.page) : null, rect: w.rect, opaque: w.opaque };
}

function widgetPath(ctx: DiffContext, w: Placed): string | null {
  if (!w.page) return null;
  const pp = pagePath(ctx.after, w.page);
  const pageDict = ctx.objectIn(ctx.after, w.page.num);
  const annots = pageDict instanceof PdfDict ? ctx.resolveIn(ctx.after, pageDict.get('Annots')) : null;
  const i = Array.isArray(annots) ? annots.findIndex((a) => a instanceof PdfRef && a.num === w.widget) : -1;
  return pp && i >= 0 ? `${pp}/Annots[${i}]` : pp;
}

/** An existing object the widget's appearance draws with that this revision rewrote (fonts and images may only be read). */
function rewrittenDependency(ctx: DiffContext, widget: PdfDict): number | null {
  const seen = new Set<number>();
  let found: number | null = null;
  const visit = (o: PdfObject | undefined, depth: number): void => {
    if (found !== null || o === undefined || depth > 12) return;
    if (o instanceof PdfRef) {
      if (seen.has(o.num)) return;
      seen.add(o.num);
      if (!ctx.isNew(o.num)) {
        if (ctx.delta.changed.has(o.num)) found = o.num;
        return;
      }
      visit(ctx.objectIn(ctx.after, o.num), depth + 1);
    } else if (Array.isArray(o)) o.forEach((x) => visit(x, depth + 1));
    else if (o instanceof PdfDict) for (const v of o.map.values()) visit(v, depth + 1);
    else if (o instanceof PdfStream) visit(o.dict, depth + 1);
  };
  visit(widget.get('AP'), 0);
  return found;
}

function newField(ctx: DiffContext, f: FormField): void {
  const fieldNum = f.ref!.num;
  const v = f.dict.get('V');
  const sig = v === undefined ? null : ctx.resolveIn(ctx.after, v);
  const signed = v instanceof PdfRef && ctx.isNew(v.num) && isSignatureDict(sig);
  const timestamp = signed && isDocumentTimestamp(sig);
  const widgets = widgetRefs(ctx, f.ref!, f.dict).map((w) => place(ctx, w));
  const visible = widgets.filter((w) => w.draws);
  const fPath = fieldPath(ctx, fieldNum) ?? (widgets[0] ? widgetPath(ctx, widgets[0]) : null);
  const refuse = (en: string, vi: string): void => ctx.refuse(fieldNum, { rule: RULES.newField, keys: 'all', en, vi, path: fPath });

  let rule: ModificationRule;
  if (v !== undefined && !signed) {
    return refuse(`The new signature field "${f.name}" does not hold a new signature dictionary.`, `Trường chữ ký mới "${f.name}" không chứa từ điển chữ ký mới.`);
  } else if (timestamp && visible.length === 0) {
    rule = RULES.timestampField;
  } else if (signed) {
    // A broken signature vouches for nothing it draws (its own row reports it broken); an invisible field draws nothing to vouch for.
    if (!ctx.signatureIntact((v as PdfRef).num) && visible.length > 0) return refuse(`The signature in the new field "${f.name}" does not verify, so nothing vouches for what the field adds.`, `Chữ ký trong trường mới "${f.name}" không hợp lệ, nên không có gì bảo đảm cho nội dung trường này thêm vào.`);
    if (visible.some((w) => !w.onPage)) return refuse(`The new signature field "${f.name}" draws a widget that is not on its page's /Annots.`, `Trường chữ ký mới "${f.name}" có ô hiển thị không nằm trong /Annots của trang.`);
    const hiding = visible.find((w) => hidesSignedContent(ctx, w));
    if (hiding) {
      const covers = coversOf(ctx, hiding);
      return ctx.refuse(fieldNum, {
        rule: RULES.newField,
        keys: 'all',
        path: fPath,
        ...(covers ? { covers } : {}),
        en: `The appearance of the new signature field "${f.name}" is opaque over signed text or images at [${hiding.rect?.map((x) => Math.round(x)).join(' ')}]: it can hide what was signed.`,
        vi: `Hình thể hiện của trường chữ ký mới "${f.name}" che kín chữ hoặc hình đã ký tại [${hiding.rect?.map((x) => Math.round(x)).join(' ')}]: có thể che giấu nội dung đã ký.`,
      });
    }
    const rewritten = widgets.map((w) => rewrittenDependency(ctx, w.dict)).find((x) => x !== null);
    if (rewritten !== undefined && rewritten !== null) {
      return refuse(`The appearance of the new signature field "${f.name}" uses object ${rewritten}, which the same update rewrites: a new field may only read existing objects.`, `Hình thể hiện của trường chữ ký mới "${f.name}" dùng đối tượng ${rewritten}, đối tượng này bị chính bản cập nhật ghi đè: trường mới chỉ được đọc các đối tượng có sẵn.`);
    }
    rule = RULES.newField;
  } else {
    if (visible.length > 0) return refuse(`The new signature field "${f.name}" is not signed but its appearance draws on the page (an overlay anyone could add).`, `Trường chữ ký mới "${f.name}" chưa được ký nhưng hình thể hiện của nó vẽ lên trang (lớp phủ mà ai cũng có thể thêm).`);
    rule = RULES.newEmptyField;
  }
  accept(ctx, f, rule, widgets, signed ? (v as PdfRef) : null, timestamp);
}

function accept(ctx: DiffContext, f: FormField, rule: ModificationRule, widgets: Placed[], sigRef: PdfRef | null, timestamp: boolean): void {
  const fieldNum = f.ref!.num;
  const first = widgets[0];
  const path = fieldPath(ctx, fieldNum) ?? (first ? widgetPath(ctx, first) : null);
  ctx.acceptedFields.set(fieldNum, rule);
  ctx.clear(fieldNum, { rule, keys: 'all', path, ...(first && coversOf(ctx, first) ? { covers: coversOf(ctx, first)! } : {}) });
  const appearanceRule = timestamp || rule === RULES.timestampField ? RULES.timestampField : RULES.appearance;
  for (const w of widgets) {
    ctx.signatureWidgets.set(w.widget, rule);
    const wPath = w.widget === fieldNum ? path : widgetPath(ctx, w);
    if (w.widget !== fieldNum) {
      const covers = coversOf(ctx, w);
      ctx.clear(w.widget, { rule, keys: 'all', path: wPath, ...(covers ? { covers } : {}) });
    }
    clearNewReachable(ctx, w.dict, (key) => (key === 'AP' ? appearanceRule : rule), wPath, new Set([w.widget, fieldNum, ...(sigRef ? [sigRef.num] : [])]));
  }
  if (f.dict !== first?.dict) clearNewReachable(ctx, f.dict, () => rule, path, new Set([fieldNum, ...(sigRef ? [sigRef.num] : [])]));
  if (sigRef) {
    const dictRule = timestamp ? RULES.timestampDictionary : RULES.signatureDictionary;
    ctx.clear(sigRef.num, { rule: dictRule, keys: 'all', path: path ? `${path}/V` : null });
    clearNewReachable(ctx, ctx.objectIn(ctx.after, sigRef.num), () => dictRule, path ? `${path}/V` : null, new Set([sigRef.num]));
  }
}

function existingField(ctx: DiffContext, old: FormField, f: FormField): void {
  const fieldNum = f.ref!.num;
  const b = old.dict;
  const a = f.dict;
  const widgets = widgetRefs(ctx, f.ref!, a).map((w) => place(ctx, w));
  const path = fieldPath(ctx, fieldNum) ?? (widgets[0] ? widgetPath(ctx, widgets[0]) : null);
  if (b.has('V')) {
    if (!ctx.delta.changed.has(fieldNum)) return;
    return ctx.refuse(fieldNum, { rule: RULES.fillEmptyField, keys: 'all', path, en: `The signature field "${f.name}" was altered after it had been signed.`, vi: `Trường chữ ký "${f.name}" bị sửa sau khi đã được ký.` });
  }
  const v = a.get('V');
  const sig = ctx.resolveIn(ctx.after, v);
  if (!(v instanceof PdfRef) || !ctx.isNew(v.num) || !isSignatureDict(sig)) {
    return ctx.refuse(fieldNum, { rule: RULES.fillEmptyField, keys: 'all', path, en: `The empty signature field "${f.name}" changed without being signed with a new signature.`, vi: `Trường chữ ký trống "${f.name}" bị thay đổi mà không được ký bằng chữ ký mới.` });
  }
  const locks = ctx.locksOn(f.name);
  if (locks.length > 0) {
    return ctx.refuse(fieldNum, { rule: RULES.fillEmptyField, keys: 'all', path, en: `The signature field "${f.name}" is locked by the signature in "${locks[0]!.field}" (FieldMDP).`, vi: `Trường chữ ký "${f.name}" đã bị khoá bởi chữ ký trong "${locks[0]!.field}" (FieldMDP).` });
  }
  const timestamp = isDocumentTimestamp(sig);
  const rule = timestamp ? RULES.timestampField : RULES.fillEmptyField;
  const keys = changedKeys(b, a).filter((k) => FILL_KEYS.has(k));
  ctx.acceptedFields.set(fieldNum, rule);
  const first = widgets[0];
  const covers = first ? coversOf(ctx, first) : undefined;
  if (ctx.delta.changed.has(fieldNum)) ctx.clear(fieldNum, { rule, keys, path, ...(covers ? { covers } : {}) });
  const dictRule = timestamp ? RULES.timestampDictionary : RULES.signatureDictionary;
  ctx.clear(v.num, { rule: dictRule, keys: 'all', path: path ? `${path}/V` : null });
  clearNewReachable(ctx, sig, () => dictRule, path ? `${path}/V` : null, new Set([v.num]));
  const appearanceRule = timestamp ? RULES.timestampField : RULES.appearance;
  for (const w of widgets) {
    ctx.signatureWidgets.set(w.widget, rule);
    const wb = ctx.objectIn(ctx.before, w.widget);
    if (w.widget !== fieldNum && ctx.delta.changed.has(w.widget) && wb instanceof PdfDict) {
      ctx.clear(w.widget, { rule, keys: changedKeys(wb, w.dict).filter((k) => WIDGET_FILL_KEYS.has(k)), path: widgetPath(ctx, w) });
    }
    const wPath = w.widget === fieldNum ? path : widgetPath(ctx, w);
    clearNewReachable(ctx, w.dict.get('AP'), () => appearanceRule, wPath ? `${wPath}/AP` : null);
    clearOverwrittenAppearance(ctx, w.widget, w.dict, timestamp ? RULES.timestampField : RULES.appearanceOverwrite, wPath);
  }
}

/**
 * An appearance stream of a newly signed field that the update overwrote
 * in place (instead of writing a new one) is allowed only through the
 * references the rule walked: the policy checks that nothing else uses it.
 */
export function clearOverwrittenAppearance(ctx: DiffContext, holder: number, dict: PdfDict, rule: ModificationRule, path: string | null): void {
  const visit = (o: PdfObject | undefined, from: number, at: string, depth: number): void => {
    if (o === undefined || depth > 3) return;
    if (o instanceof PdfRef) {
      const target = ctx.objectIn(ctx.after, o.num);
      if (ctx.delta.changed.has(o.num) && !ctx.isNew(o.num)) {
        const via: Edge[] = [edge(from, at)];
        ctx.clear(o.num, { rule, keys: 'all', via, path: path ? `${path}${at}` : null });
        // What the rewritten appearance newly brings (fonts, images) comes with it.
        clearNewReachable(ctx, target, () => rule, path ? `${path}${at}` : null, new Set([o.num]));
      }
      if (target instanceof PdfDict) for (const [k, v] of target.map) visit(v, o.num, `/${k}`, depth + 1);
      return;
    }
    if (o instanceof PdfDict) for (const [k, v] of o.map) visit(v, from, `${at}/${k}`, depth + 1);
  };
  visit(dict.get('AP'), holder, '/AP', 0);
}

/** The AcroForm and its /Fields: only new accepted signature fields appended, /SigFlags, /DR additions. */
function registration(ctx: DiffContext): void {
  const cb = ctx.catalogIn(ctx.before);
  const ca = ctx.catalogIn(ctx.after);
  const catNum = ctx.catalogNum(ctx.after);
  if (!ca || catNum === null) return;
  const afEntryB = cb?.get('AcroForm');
  const afEntryA = ca.get('AcroForm');
  const afNum = afEntryA instanceof PdfRef ? afEntryA.num : null;
  const entryChanged = !sameObject(afEntryB, afEntryA);
  const afTouched = afNum !== null && ctx.touched(afNum);
  const afB = ctx.resolveIn(ctx.before, afEntryB);
  const afA = ctx.resolveIn(ctx.after, afEntryA);
  const fieldsEntry = afA instanceof PdfDict ? afA.get('Fields') : undefined;
  const fieldsNum = fieldsEntry instanceof PdfRef ? fieldsEntry.num : null;
  const fieldsTouched = fieldsNum !== null && ctx.touched(fieldsNum);
  if (!entryChanged && !afTouched && !fieldsTouched) return;
  if (!(afA instanceof PdfDict)) return;
  const oldAf = afB instanceof PdfDict ? afB : new PdfDict();

  const refusals: [string, string][] = [];
  const fieldsB = asList(ctx.resolveIn(ctx.before, oldAf.get('Fields')));
  const fieldsA = asList(ctx.resolveIn(ctx.after, fieldsEntry));
  const diff = listDiff(fieldsB, fieldsA);
  let onlyTimestamps = true;
  if (!diff.inOrder) refusals.push(['fields were removed or reordered in /AcroForm /Fields', 'trường bị xoá hoặc đổi thứ tự trong /AcroForm /Fields']);
  for (const x of diff.extras) {
    const accepted = x instanceof PdfRef ? ctx.acceptedFields.get(x.num) : undefined;
    if (!accepted) {
      refusals.push([`/AcroForm /Fields gained ${x instanceof PdfRef ? `object ${x.num}` : 'an entry'}, which is not a new signature field`, `/AcroForm /Fields có thêm ${x instanceof PdfRef ? `đối tượng ${x.num}` : 'một mục'} không phải trường chữ ký mới`]);
    } else if (accepted !== RULES.timestampField) onlyTimestamps = false;
  }
  const rule = onlyTimestamps ? RULES.timestampField : RULES.registerField;
  const keys = changedKeys(oldAf, afA);
  const cleared: string[] = [];
  for (const k of keys) {
    if (!ACROFORM_KEYS.has(k)) continue;
    if (k === 'Fields') {
      if (diff.inOrder && refusals.length === 0) cleared.push(k);
    } else if (k === 'SigFlags') {
      if (typeof afA.get('SigFlags') === 'number') cleared.push(k);
    } else if (k === 'DA') {
      if (!oldAf.has('DA')) cleared.push(k);
    } else if (k === 'DR') {
      if (resourcesOnlyAdded(ctx, ctx.resolveIn(ctx.before, oldAf.get('DR')), ctx.resolveIn(ctx.after, afA.get('DR')))) {
        cleared.push(k);
        clearNewReachable(ctx, afA.get('DR'), () => rule, '/Root/AcroForm/DR');
        clearTouchedResources(ctx, afA.get('DR'), afNum ?? catNum, afNum !== null ? '/DR' : '/AcroForm/DR', rule);
      }
    }
  }
  const refuseAt = (target: number, keysOf: readonly string[] | 'all', path: string): void => {
    for (const [en, vi] of refusals) ctx.refuse(target, { rule, keys: keysOf, en: `${en[0]!.toUpperCase()}${en.slice(1)}.`, vi: `${vi[0]!.toUpperCase()}${vi.slice(1)}.`, path });
  };
  if (afNum !== null) {
    if (afTouched) {
      if (ctx.isNew(afNum)) {
        if (keys.every((k) => cleared.includes(k) || !afA.has(k))) ctx.clear(afNum, { rule, keys: 'all', path: '/Root/AcroForm' });
      } else ctx.clear(afNum, { rule, keys: cleared, path: '/Root/AcroForm' });
      refuseAt(afNum, ['Fields'], '/Root/AcroForm/Fields');
    }
    if (entryChanged && (afTouched ? ctx.isNew(afNum) : false)) ctx.clear(catNum, { rule, keys: ['AcroForm'], path: '/Root/AcroForm' });
  } else if (entryChanged) {
    // A direct AcroForm: the catalog's entry itself is what changed.
    if (keys.every((k) => cleared.includes(k))) ctx.clear(catNum, { rule, keys: ['AcroForm'], path: '/Root/AcroForm' });
    else refuseAt(catNum, ['AcroForm'], '/Root/AcroForm');
  }
  // An indirect /DR (or its /Font) rewritten in place, with additions only.
  const drEntry = afA.get('DR');
  if (!keys.includes('DR') && drEntry instanceof PdfRef && ctx.touched(drEntry.num) && resourcesOnlyAdded(ctx, ctx.resolveIn(ctx.before, drEntry), ctx.resolveIn(ctx.after, drEntry))) {
    clearNewReachable(ctx, ctx.objectIn(ctx.after, drEntry.num), () => rule, '/Root/AcroForm/DR');
    clearTouchedResources(ctx, drEntry, afNum ?? catNum, afNum !== null ? '/DR' : '/AcroForm/DR', rule);
  }
  if (fieldsNum !== null && fieldsTouched) {
    if (diff.inOrder && refusals.length === 0) ctx.clear(fieldsNum, { rule, keys: 'all', via: [edge(afNum ?? catNum, afNum !== null ? '/Fields' : '/AcroForm/Fields')], path: '/Root/AcroForm/Fields' });
    else refuseAt(fieldsNum, 'all', '/Root/AcroForm/Fields');
  }
}

/** Indirect resource dictionaries (the /DR itself, its /Font...) rewritten in place: cleared through the reference that reaches them. */
function clearTouchedResources(ctx: DiffContext, entry: PdfObject | undefined, holder: number, at: string, rule: ModificationRule): void {
  let dict = entry;
  let from = holder;
  let inner = at;
  if (entry instanceof PdfRef) {
    if (ctx.delta.changed.has(entry.num) && !ctx.isNew(entry.num)) ctx.clear(entry.num, { rule, keys: 'all', via: [edge(holder, at)], path: '/Root/AcroForm/DR' });
    dict = ctx.objectIn(ctx.after, entry.num);
    from = entry.num;
    inner = '';
  }
  if (!(dict instanceof PdfDict)) return;
  for (const [cat, v] of dict.map) {
    if (v instanceof PdfRef && ctx.delta.changed.has(v.num) && !ctx.isNew(v.num)) {
      const b = ctx.objectIn(ctx.before, v.num);
      const a = ctx.objectIn(ctx.after, v.num);
      const ok = b instanceof PdfDict && a instanceof PdfDict && [...b.map].every(([name, x]) => sameObject(x, a.get(name)));
      if (ok) ctx.clear(v.num, { rule, keys: 'all', via: [edge(from, `${inner}/${cat}`)], path: `/Root/AcroForm/DR/${cat}` });
    }
  }
}

/** Every resource the old dictionary had is still there, unchanged; only new names were added. */
export function resourcesOnlyAdded(ctx: DiffContext, before: PdfObject, after: PdfObject): boolean {
  if (!(after instanceof PdfDict)) return before === null;
  const b = before instanceof PdfDict ? before : new PdfDict();
  for (const [cat, value] of b.map) {
    const oldCat = ctx.resolveIn(ctx.before, value);
    const newCat = ctx.resolveIn(ctx.after, after.get(cat));
    if (!(oldCat instanceof PdfDict)) {
      if (!sameObject(value, after.get(cat))) return false;
      continue;
    }
    if (!(newCat instanceof PdfDict)) return false;
    for (const [name, v] of oldCat.map) if (!sameObject(v, newCat.get(name))) return false;
  }
  return true;
}

export function isStreamObject(ctx: DiffContext, n: number): boolean {
  return ctx.objectIn(ctx.after, n) instanceof PdfStream;
}
