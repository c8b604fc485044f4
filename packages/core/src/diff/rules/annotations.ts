import { PdfDict, PdfRef, type PdfObject } from '../../pdf/index.js';
import { sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { annotationInk, annotationRect, pageIndex, pagePath } from '../ink.js';
import type { ModificationRule } from '../rule.js';
import { RULES } from './table.js';
import { asList, clearNewReachable, edge, isAnnotation, isWidget, listDiff } from './walk.js';

/**
 * Page /Annots and the annotations in them. New signature widgets accepted
 * by the signature rules may be appended at any level; new comments,
 * stamps and other annotations, and changes to existing ones, only under a
 * certification that permits annotations (P=3). Each new appearance's area
 * is reported.
 */
export function annotationRules(ctx: DiffContext): void {
  for (const n of [...ctx.delta.changed]) {
    const b = ctx.objectIn(ctx.before, n);
    const a = ctx.objectIn(ctx.after, n);
    if (b instanceof PdfDict && a instanceof PdfDict && b.getName('Type') === 'Page') {
      if (!sameObject(b.get('Annots'), a.get('Annots'))) {
        pageAnnots(ctx, new PdfRef(n, ctx.after.generationOf(n)), asList(ctx.resolveIn(ctx.before, b.get('Annots'))), asList(ctx.resolveIn(ctx.after, a.get('Annots'))), n, ['Annots']);
      }
      continue;
    }
    if (Array.isArray(b) && Array.isArray(a)) {
      const owner = ctx.refsBefore.referrers(n).find((e) => e.at === '/Annots' && e.from !== 'trailer' && isPage(ctx.objectIn(ctx.before, e.from as number)));
      if (owner) pageAnnots(ctx, new PdfRef(owner.from as number, ctx.after.generationOf(owner.from as number)), b, a, n, 'all', owner.from as number);
      continue;
    }
    // An existing annotation (not a form widget) changed in place.
    if (isAnnotation(b) && !isWidget(b) && a instanceof PdfDict) {
      const rect = annotationRect(a);
      const ink = annotationInk(ctx.after, a);
      ctx.clear(n, { rule: RULES.annotationModify, keys: 'all', path: null, ...(rect ? { covers: { page: pageOf(ctx, a), rect, opaque: ink.opaque } } : {}) });
      clearNewReachable(ctx, a, () => RULES.annotationModify, null, new Set([n]));
    }
  }
}

function isPage(o: PdfObject): boolean {
  return o instanceof PdfDict && o.getName('Type') === 'Page';
}

function pageOf(ctx: DiffContext, annot: PdfDict): number | null {
  const p = annot.get('P');
  return p instanceof PdfRef ? pageIndex(ctx.after, p) : null;
}

function pageAnnots(ctx: DiffContext, page: PdfRef, before: PdfObject[], after: PdfObject[], target: number, keys: readonly string[] | 'all', arrayOwner?: number): void {
  const pp = pagePath(ctx.after, page);
  const path = pp ? `${pp}/Annots` : null;
  const diff = listDiff(before, after);
  const chosen: { rule: ModificationRule | null } = { rule: null };
  const strongest = (r: ModificationRule): void => {
    const c = chosen.rule;
    if (!c || r.docMdp > c.docMdp || (r.docMdp === c.docMdp && r === RULES.registerField)) chosen.rule = r;
  };
  const problems: [string, string][] = [];
  if (!diff.inOrder) {
    for (const x of diff.removed) {
      const d = ctx.resolveIn(ctx.before, x);
      if (isAnnotation(d) && !isWidget(d)) strongest(RULES.annotationModify);
      else problems.push([`a form widget was removed from the page (${x instanceof PdfRef ? `object ${x.num}` : 'an entry'})`, `một ô biểu mẫu bị gỡ khỏi trang (${x instanceof PdfRef ? `đối tượng ${x.num}` : 'một mục'})`]);
    }
    if (diff.removed.length === 0) problems.push(['the annotations of the page were reordered', 'thứ tự chú thích trên trang bị thay đổi']);
  }
  after.forEach((x, i) => {
    if (!diff.extras.includes(x)) return;
    if (!(x instanceof PdfRef)) return problems.push(['an annotation was written directly into /Annots', 'một chú thích được ghi trực tiếp vào /Annots']);
    const accepted = ctx.signatureWidgets.get(x.num);
    if (accepted) return strongest(accepted === RULES.timestampField ? RULES.timestampField : RULES.registerField);
    const d = ctx.objectIn(ctx.after, x.num);
    if (!ctx.isNew(x.num) || !isAnnotation(d)) return problems.push([`object ${x.num} was placed on the page but is not a new annotation`, `đối tượng ${x.num} được đặt lên trang nhưng không phải chú thích mới`]);
    if (isWidget(d)) return problems.push([`a new form widget (object ${x.num}) was placed on the page without a new signature field`, `một ô biểu mẫu mới (đối tượng ${x.num}) được đặt lên trang mà không thuộc trường chữ ký mới`]);
    const rect = annotationRect(d);
    const ink = annotationInk(ctx.after, d);
    const covers = rect ? { page: pageIndex(ctx.after, page), rect, opaque: ink.opaque } : undefined;
    ctx.newAnnotations.set(x.num, RULES.annotationAdd);
    ctx.clear(x.num, { rule: RULES.annotationAdd, keys: 'all', path: path ? `${path}[${i}]` : null, ...(covers ? { covers } : {}) });
    clearNewReachable(ctx, d, () => RULES.annotationAdd, path ? `${path}[${i}]` : null, new Set([x.num]));
    strongest(RULES.annotationAdd);
  });
  const via = arrayOwner !== undefined ? [edge(arrayOwner, '/Annots')] : undefined;
  const rule = chosen.rule;
  if (problems.length > 0) {
    for (const [en, vi] of problems) ctx.refuse(target, { rule: rule ?? RULES.registerField, keys, path, en: `On this page ${en}.`, vi: `Trên trang này ${vi}.` });
    return;
  }
  if (rule) ctx.clear(target, { rule, keys, path, ...(via ? { via } : {}) });
}
