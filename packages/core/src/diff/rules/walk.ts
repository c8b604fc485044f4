import { PdfDict, PdfRef, PdfStream, type PdfObject } from '../../pdf/index.js';
import { sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import type { Edge } from '../references.js';
import type { ModificationRule } from '../rule.js';

/** Keys that point back up or sideways (page, parent field): never followed when clearing what a new object brings. */
const BACK_LINKS = new Set(['P', 'Parent', 'Pg', 'Obj', 'IRT']);

/**
 * Clears every NEW object reachable from `root` (through direct values and
 * references to new objects only), with one rule. Existing objects reached
 * are used read-only: if this revision changed them, they are judged on
 * their own.
 */
export function clearNewReachable(ctx: DiffContext, root: PdfObject | undefined, ruleOf: (key: string) => ModificationRule, path: string | null, seen = new Set<number>(), depth = 0, key = ''): void {
  if (root === undefined || root === null || depth > 24) return;
  if (root instanceof PdfRef) {
    if (seen.has(root.num) || !ctx.isNew(root.num)) return;
    seen.add(root.num);
    ctx.clear(root.num, { rule: ruleOf(key), keys: 'all', path });
    clearNewReachable(ctx, ctx.objectIn(ctx.after, root.num), ruleOf, path, seen, depth + 1, key);
    return;
  }
  if (Array.isArray(root)) {
    root.forEach((x, i) => clearNewReachable(ctx, x, ruleOf, path === null ? null : `${path}[${i}]`, seen, depth + 1, key));
    return;
  }
  const dict = root instanceof PdfStream ? root.dict : root instanceof PdfDict ? root : null;
  if (!dict) return;
  for (const [k, v] of dict.map) {
    if (BACK_LINKS.has(k)) continue;
    clearNewReachable(ctx, v, ruleOf, path === null ? null : `${path}/${k}`, seen, depth + 1, key || k);
  }
}

/**
 * `before` is kept, in order, inside `after` (a subsequence); what else
 * `after` holds is returned as `extras`, what it lost as `removed`.
 */
export function listDiff(before: readonly PdfObject[], after: readonly PdfObject[]): { inOrder: boolean; extras: PdfObject[]; removed: PdfObject[] } {
  const extras: PdfObject[] = [];
  let i = 0;
  for (const a of after) {
    if (i < before.length && sameObject(before[i], a)) i++;
    else extras.push(a);
  }
  if (i === before.length) return { inOrder: true, extras, removed: [] };
  const removed = before.filter((b) => !after.some((a) => sameObject(a, b)));
  return { inOrder: false, extras: extras.filter((x) => !before.some((b) => sameObject(b, x))), removed };
}

export function asList(o: PdfObject | undefined): PdfObject[] {
  if (o === undefined || o === null) return [];
  return Array.isArray(o) ? o : [o];
}

/** Where an entry sits: the indirect object holding it and the place inside that object. */
export function edge(from: number | 'trailer', at: string): Edge {
  return { from, at };
}

/** Is `o` a signature dictionary (or a document timestamp's)? */
export function isSignatureDict(o: PdfObject): o is PdfDict {
  if (!(o instanceof PdfDict)) return false;
  const t = o.getName('Type');
  return t === 'Sig' || t === 'DocTimeStamp' || (o.has('ByteRange') && o.has('Contents') && o.has('Filter'));
}

export function isDocumentTimestamp(o: PdfObject): boolean {
  return o instanceof PdfDict && (o.getName('Type') === 'DocTimeStamp' || o.getName('SubFilter') === 'ETSI.RFC3161');
}

export function isAnnotation(o: PdfObject): o is PdfDict {
  return o instanceof PdfDict && o.getName('Type') !== 'XObject' && (o.getName('Type') === 'Annot' || (o.has('Subtype') && o.has('Rect')));
}

export function isWidget(o: PdfObject): o is PdfDict {
  return o instanceof PdfDict && o.getName('Subtype') === 'Widget';
}

/** The widget annotations of a terminal field: the field itself when merged, or its /Kids. */
export function widgetRefs(ctx: DiffContext, fieldRef: PdfRef, field: PdfDict): PdfRef[] {
  if (field.getName('Subtype') === 'Widget' || field.has('Rect')) return [fieldRef];
  const kids = ctx.resolveIn(ctx.after, field.get('Kids'));
  return (Array.isArray(kids) ? kids : []).filter((k): k is PdfRef => k instanceof PdfRef && isWidget(ctx.objectIn(ctx.after, k.num)));
}

/** The path from the trailer to a form field through /AcroForm /Fields (and /Kids), or null. */
export function fieldPath(ctx: DiffContext, fieldNum: number): string | null {
  const catalog = ctx.catalogIn(ctx.after);
  const af = ctx.resolveIn(ctx.after, catalog?.get('AcroForm'));
  if (!(af instanceof PdfDict)) return null;
  let budget = 10_000;
  const walk = (list: PdfObject, prefix: string, depth: number): string | null => {
    if (!Array.isArray(list) || depth > 16) return null;
    for (let i = 0; i < list.length && budget-- > 0; i++) {
      const item = list[i];
      if (item instanceof PdfRef && item.num === fieldNum) return `${prefix}[${i}]`;
      const d = ctx.resolveIn(ctx.after, item);
      if (d instanceof PdfDict && d.has('Kids')) {
        const found = walk(ctx.resolveIn(ctx.after, d.get('Kids')), `${prefix}[${i}]/Kids`, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(ctx.resolveIn(ctx.after, af.get('Fields')), '/Root/AcroForm/Fields', 0);
}
