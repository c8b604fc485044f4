import { PdfDict, PdfRef, type PdfObject, type PdfReader } from '../../pdf/index.js';
import { changedKeys, sameObject } from '../object-equality.js';
import type { DiffContext } from '../context.js';
import { RULES } from './table.js';
import { asList, edge, listDiff } from './walk.js';
import { pathFromTrailer } from '../references.js';

const MAX_TREE_NODES = 20_000;

/**
 * Tagged PDFs (domain §7): a signing tool adds each new signature widget
 * to the structure tree: a new /Form element whose kids are /OBJR entries
 * to the new widgets, appended to an existing element's /K; the widget's
 * /StructParent key entered in the /ParentTree; /ParentTreeNextKey raised
 * to match. Exactly that is cleared; any other change to the tree (text
 * alternatives, removed or reordered elements, references to old
 * annotations) is left suspicious.
 */
export function structureTreeRules(ctx: DiffContext): void {
  const cb = ctx.catalogIn(ctx.before);
  const ca = ctx.catalogIn(ctx.after);
  if (!cb || !ca) return;
  const rootEntry = ca.get('StructTreeRoot');
  if (!(rootEntry instanceof PdfRef) || !sameObject(cb.get('StructTreeRoot'), rootEntry)) return;
  const rootNum = rootEntry.num;
  const rootB = ctx.objectIn(ctx.before, rootNum);
  const rootA = ctx.objectIn(ctx.after, rootNum);
  if (!(rootB instanceof PdfDict) || !(rootA instanceof PdfDict)) return;

  // The new widgets of this revision and their /StructParent keys.
  const widgetKeys = new Map<number, number>();
  for (const w of ctx.signatureWidgets.keys()) {
    const d = ctx.objectIn(ctx.after, w);
    const k = d instanceof PdfDict ? d.getNumber('StructParent') : undefined;
    if (k !== undefined && ctx.isNew(w)) widgetKeys.set(w, k);
  }
  if (widgetKeys.size === 0) return;

  // New /Form elements holding only /OBJR kids to those widgets.
  const forms = new Map<number, { parent: number; widgets: number[]; objrs: number[] }>();
  for (const n of ctx.delta.added) {
    const d = ctx.objectIn(ctx.after, n);
    if (!(d instanceof PdfDict) || d.getName('S') !== 'Form' || (d.has('Type') && d.getName('Type') !== 'StructElem')) continue;
    const parent = d.get('P');
    if (!(parent instanceof PdfRef) || ctx.isNew(parent.num)) continue;
    const extraKeys = [...d.keys()].filter((k) => !['Type', 'S', 'P', 'K', 'Pg'].includes(k));
    if (extraKeys.length > 0) continue;
    const widgets: number[] = [];
    const objrs: number[] = [];
    const ok = asList(d.get('K')).every((kid) => {
      const kd = ctx.resolveIn(ctx.after, kid);
      if (kid instanceof PdfRef) {
        if (!ctx.isNew(kid.num)) return false;
        objrs.push(kid.num);
      }
      const obj = kd instanceof PdfDict && kd.getName('Type') === 'OBJR' ? kd.get('Obj') : undefined;
      if (!(obj instanceof PdfRef) || !widgetKeys.has(obj.num)) return false;
      widgets.push(obj.num);
      return true;
    });
    if (ok && widgets.length > 0) forms.set(n, { parent: parent.num, widgets, objrs });
  }

  // Existing elements (and the root) whose /K gained exactly those forms.
  const appended = new Set<number>();
  const cleared: { num: number; keys: string[] }[] = [];
  for (const n of ctx.delta.changed) {
    if (n === rootNum) continue;
    const b = ctx.objectIn(ctx.before, n);
    const a = ctx.objectIn(ctx.after, n);
    if (!(b instanceof PdfDict) || !(a instanceof PdfDict) || !b.has('S')) continue;
    const keys = changedKeys(b, a);
    if (keys.length !== 1 || keys[0] !== 'K') continue;
    const extras = kidsAppended(ctx, b.get('K'), a.get('K'));
    if (extras && extras.every((x) => forms.get(x)?.parent === n)) {
      for (const x of extras) appended.add(x);
      cleared.push({ num: n, keys: ['K'] });
    }
  }
  const rootKeys = changedKeys(rootB, rootA);
  if (rootKeys.includes('K')) {
    const extras = kidsAppended(ctx, rootB.get('K'), rootA.get('K'));
    if (extras && extras.every((x) => forms.get(x)?.parent === rootNum)) for (const x of extras) appended.add(x);
    else return;
  }

  // The parent tree: old entries kept, one new entry per new widget's key, naming its form.
  const expected = new Map<number, number>();
  for (const [formNum, f] of forms) if (appended.has(formNum)) for (const w of f.widgets) expected.set(widgetKeys.get(w)!, formNum);
  if (expected.size === 0) return;
  const treeB = numberTree(ctx.before, rootB.get('ParentTree'), rootNum);
  const treeA = numberTree(ctx.after, rootA.get('ParentTree'), rootNum);
  if (!treeB || !treeA) return;
  for (const [k, v] of treeB.entries) if (!sameObject(treeA.entries.get(k), v)) return;
  for (const [k, v] of treeA.entries) {
    if (treeB.entries.has(k)) continue;
    if (!(v instanceof PdfRef) || expected.get(k) !== v.num) return;
    expected.delete(k);
  }
  if (expected.size > 0) return;
  const nextB = rootB.getNumber('ParentTreeNextKey');
  const nextA = rootA.getNumber('ParentTreeNextKey');
  const maxKey = Math.max(...[...treeA.entries.keys()]);
  const wantNext = Math.max(nextB ?? 0, maxKey + 1);
  if (rootKeys.includes('ParentTreeNextKey') && nextA !== wantNext) return;
  if (rootKeys.some((k) => !['K', 'ParentTree', 'ParentTreeNextKey'].includes(k))) return;

  const rule = RULES.structureTreeWidget;
  const path = '/Root/StructTreeRoot';
  ctx.clear(rootNum, { rule, keys: rootKeys, path });
  for (const c of cleared) ctx.clear(c.num, { rule, keys: c.keys, path: pathFromTrailer(ctx.refsAfter, c.num) });
  for (const [formNum, f] of forms) {
    if (!appended.has(formNum)) continue;
    const formPath = pathFromTrailer(ctx.refsAfter, formNum);
    ctx.clear(formNum, { rule, keys: 'all', path: formPath });
    for (const o of f.objrs) ctx.clear(o, { rule, keys: 'all', path: formPath ? `${formPath}/K` : null });
  }
  for (const node of treeA.nodes) {
    if (!ctx.touched(node.num)) continue;
    const via = ctx.isNew(node.num) ? undefined : [node.via];
    ctx.clear(node.num, { rule, keys: 'all', path: `${path}/ParentTree${node.at}`, ...(via ? { via } : {}) });
  }
}

/** The kids appended to a /K (as element object numbers), or null if anything else changed. */
function kidsAppended(ctx: DiffContext, before: PdfObject | undefined, after: PdfObject | undefined): number[] | null {
  const b = asList(ctx.resolveIn(ctx.before, before));
  const a = asList(ctx.resolveIn(ctx.after, after));
  // /K may be written directly or as an indirect array; a single kid may stand alone.
  if (before instanceof PdfRef && !Array.isArray(ctx.resolveIn(ctx.before, before))) b.splice(0, b.length, before);
  if (after instanceof PdfRef && !Array.isArray(ctx.resolveIn(ctx.after, after))) a.splice(0, a.length, after);
  const diff = listDiff(b, a);
  if (!diff.inOrder) return null;
  const out: number[] = [];
  for (const x of diff.extras) {
    if (!(x instanceof PdfRef)) return null;
    out.push(x.num);
  }
  return out;
}

interface NumberTree {
  entries: Map<number, PdfObject>;
  /** Indirect nodes, with the reference that reaches each. */
  nodes: { num: number; via: ReturnType<typeof edge>; at: string }[];
}

/** Flattens a number tree (bounded; loops stop the walk). */
function numberTree(view: PdfReader, root: PdfObject | undefined, holder: number): NumberTree | null {
  const entries = new Map<number, PdfObject>();
  const nodes: NumberTree['nodes'] = [];
  const seen = new Set<number>();
  let count = 0;
  const walk = (node: PdfObject | undefined, from: number, at: string, localAt: string, depth: number): boolean => {
    if (depth > 32 || ++count > MAX_TREE_NODES) return false;
    if (node instanceof PdfRef) {
      if (seen.has(node.num)) return false;
      seen.add(node.num);
      nodes.push({ num: node.num, via: edge(from, localAt), at });
      return walk(view.resolve(node), node.num, at, '', depth + 1);
    }
    if (!(node instanceof PdfDict)) return false;
    const nums = view.resolve(node.get('Nums'));
    if (node.get('Nums') instanceof PdfRef) nodes.push({ num: (node.get('Nums') as PdfRef).num, via: edge(from, `${localAt}/Nums`), at: `${at}/Nums` });
    if (Array.isArray(nums)) for (let i = 0; i + 1 < nums.length; i += 2) if (typeof nums[i] === 'number') entries.set(nums[i] as number, nums[i + 1]!);
    const kids = view.resolve(node.get('Kids'));
    if (node.get('Kids') instanceof PdfRef) nodes.push({ num: (node.get('Kids') as PdfRef).num, via: edge(from, `${localAt}/Kids`), at: `${at}/Kids` });
    if (Array.isArray(kids)) for (let i = 0; i < kids.length; i++) if (!walk(kids[i], from, `${at}/Kids[${i}]`, `${localAt}/Kids[${i}]`, depth + 1)) return false;
    return true;
  };
  try {
    return walk(root, holder, '', '/ParentTree', 0) ? { entries, nodes } : null;
  } catch {
    return null;
  }
}
