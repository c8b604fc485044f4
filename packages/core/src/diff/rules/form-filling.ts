import { PdfDict, type FormField } from '../../pdf/index.js';
import { changedKeys, sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { annotationInk, annotationRect } from '../ink.js';
import { RULES } from './table.js';
import { clearOverwrittenAppearance } from './signature-fields.js';
import { clearNewReachable, fieldPath, widgetRefs } from './walk.js';

/** Entries of a field or its widget that filling it in changes. */
const FILL_KEYS = new Set(['V', 'AS', 'AP', 'RV']);

/**
 * Filling in form fields (DocMDP P≥2): a field whose value (/V, or a
 * widget's /AS) changed may get new appearances in its own widgets. An
 * appearance replaced while the value stays the same is a replace attack;
 * a moved or resized widget draws outside the area that was signed; a
 * field under a FieldMDP lock may not change at all.
 */
export function formFillingRules(ctx: DiffContext): void {
  const after = new Map<number, FormField>();
  for (const f of ctx.fields(ctx.after)) if (f.ref) after.set(f.ref.num, f);
  for (const old of ctx.fields(ctx.before)) {
    if (old.type === 'Sig' || !old.ref) continue;
    const n = old.ref.num;
    const now = after.get(n);
    if (!now) continue;
    const widgets = widgetRefs(ctx, now.ref!, now.dict).filter((w) => w.num === n || ctx.touched(w.num));
    const fieldChanged = ctx.delta.changed.has(n);
    if (!fieldChanged && widgets.every((w) => !ctx.touched(w.num))) continue;
    const valueChanged = !sameObject(old.dict.get('V'), now.dict.get('V')) || widgets.some((w) => {
      const b = ctx.objectIn(ctx.before, w.num);
      const a = ctx.objectIn(ctx.after, w.num);
      return b instanceof PdfDict && a instanceof PdfDict && !sameObject(b.get('AS'), a.get('AS'));
    });
    const targets = [...new Set([n, ...widgets.map((w) => w.num)])].filter((x) => ctx.delta.changed.has(x));
    const path = fieldPath(ctx, n);
    const pathOf = (t: number): string | null => (t === n ? path : null);
    const refuse = (en: string, vi: string): void => {
      for (const t of targets) ctx.refuse(t, { rule: RULES.formFill, keys: 'all', en, vi, path: pathOf(t) });
    };
    const locks = ctx.locksOn(old.name);
    if (locks.length > 0) {
      refuse(`The form field "${old.name}" changed although the signature in "${locks[0]!.field}" locked it (FieldMDP).`, `Trường biểu mẫu "${old.name}" bị thay đổi dù đã bị chữ ký trong "${locks[0]!.field}" khoá (FieldMDP).`);
      continue;
    }
    if (!valueChanged) {
      refuse(`The appearance of the form field "${old.name}" changed while its value did not: what is shown is no longer what was signed.`, `Hình thể hiện của trường "${old.name}" thay đổi trong khi giá trị không đổi: nội dung hiển thị không còn là nội dung đã ký.`);
      continue;
    }
    for (const t of targets) {
      const b = ctx.objectIn(ctx.before, t);
      const a = ctx.objectIn(ctx.after, t);
      if (!(b instanceof PdfDict) || !(a instanceof PdfDict)) continue;
      const keys = changedKeys(b, a);
      if (keys.includes('Rect')) {
        ctx.refuse(t, { rule: RULES.formFill, keys: ['Rect'], en: `The widget of the form field "${old.name}" was moved or resized: its new appearance draws outside the area that was signed.`, vi: `Ô của trường "${old.name}" bị di chuyển hoặc đổi kích thước: hình thể hiện mới vẽ ra ngoài vùng đã ký.`, path: pathOf(t) ? `${pathOf(t)}/Rect` : null });
      }
      const rect = annotationRect(a);
      const covers = rect ? { page: null, rect, opaque: annotationInk(ctx.after, a).opaque } : undefined;
      const p = pathOf(t);
      ctx.clear(t, { rule: RULES.formFill, keys: keys.filter((k) => FILL_KEYS.has(k)), path: p, ...(covers ? { covers } : {}) });
      clearNewReachable(ctx, a.get('AP'), () => RULES.formFill, p ? `${p}/AP` : null);
      clearNewReachable(ctx, a.get('V'), () => RULES.formFill, p ? `${p}/V` : null);
      clearOverwrittenAppearance(ctx, t, a, RULES.formFill, p);
    }
  }
}
