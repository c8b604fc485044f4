import { PdfDict, PdfStream, type PdfObject } from '../pdf/index.js';
import type { Clearance, DiffContext, Refusal, Target } from './context.js';
import type { Modification, ModificationCategory } from './modification.js';
import { changedKeys } from './object-equality.js';
import { pathFromTrailer, reachable, type Edge, type ReferenceIndex } from './references.js';
import type { DocMdpLevel, ModificationRule } from './rule.js';
import { RULES } from './rules/table.js';

const LEVEL_TEXT: Record<DocMdpLevel, [string, string]> = {
  1: ['no changes except validation data (DSS) and document timestamps', 'không cho phép thay đổi nào ngoài dữ liệu kiểm tra (DSS) và dấu thời gian tài liệu'],
  2: ['only form filling and signing', 'chỉ cho phép điền biểu mẫu và ký'],
  3: ['form filling, signing and annotations', 'cho phép điền biểu mẫu, ký và thêm chú thích'],
};

/**
 * Turns what the rules cleared and refused into findings: every change
 * of the revision (trailer key, object, dictionary key, xref problem) that
 * no rule in force cleared is suspicious, with its path from the trailer.
 */
export function judge(ctx: DiffContext): Modification[] {
  const out: Modification[] = [];
  const r = ctx.revision;
  const pathCache = new Map<string, string | null>();
  const pathOf = (index: ReferenceIndex, n: number): string | null => {
    const key = `${index === ctx.refsAfter ? 'a' : 'b'}${n}`;
    if (!pathCache.has(key)) pathCache.set(key, pathFromTrailer(index, n));
    return pathCache.get(key)!;
  };
  const permitted = (c: { rule: ModificationRule }): boolean => c.rule.docMdp <= ctx.docMdp;
  const levelRefusal = (rule: ModificationRule): [string, string] => {
    const [en, vi] = LEVEL_TEXT[ctx.docMdp];
    return [
      `Rule ${rule.id} (${rule.clears}) would allow this, but after this signature the document permits ${en} (DocMDP P=${ctx.docMdp}).`,
      `Quy tắc ${rule.id} (${rule.clearsVi}) cho phép thay đổi này, nhưng sau chữ ký này tài liệu ${vi} (DocMDP P=${ctx.docMdp}).`,
    ];
  };

  // One scan of the file for the referrers of every problem object: asked one
  // at a time, an update with 20,000 stray definitions took a scan each (minutes).
  ctx.refsAfter.prepare(ctx.delta.problems.flatMap((p) => (p.object !== null ? [p.object] : [])));
  for (const p of ctx.delta.problems) {
    out.push({ revision: r, object: p.object, change: 'xref', verdict: 'suspicious', category: 'xref', rule: null, refusedBy: `xref.${p.code}`, path: p.object !== null ? pathOf(ctx.refsAfter, p.object) : null, reason: p.en, reasonVi: p.vi });
  }

  for (const key of ctx.delta.trailerKeys) {
    const verdict = decideKey(ctx.clearances.get('trailer'), ctx.refusals.get('trailer'), key, permitted);
    if (verdict.kind === 'allowed') {
      out.push(allowed(r, null, 'trailer', verdict.clearance, `/${key}`));
      continue;
    }
    const [en, vi] = verdict.kind === 'level' ? levelRefusal(verdict.rule) : verdict.kind === 'refused' ? [verdict.refusal.en, verdict.refusal.vi] : trailerText(key);
    out.push({ revision: r, object: null, change: 'trailer', verdict: 'suspicious', category: 'trailer', rule: null, ...(verdict.kind !== 'none' ? { refusedBy: verdict.kind === 'level' ? verdict.rule.id : verdict.refusal.rule.id } : {}), path: `/${key}`, reason: en, reasonVi: vi });
  }

  for (const n of ctx.delta.rewritten) {
    out.push({ revision: r, object: n, change: 'changed', verdict: 'allowed', category: 'rewritten-identical', rule: RULES.identicalRewrite.id, path: pathOf(ctx.refsAfter, n), reason: `Object ${n} was written again without changes.`, reasonVi: `Đối tượng ${n} được ghi lại nhưng không thay đổi.` });
  }

  const nums = [...new Set([...ctx.delta.added, ...ctx.delta.changed, ...ctx.delta.deleted])].sort((a, b) => a - b);
  for (const n of nums) {
    if (ctx.delta.deleted.has(n)) out.push(...judgeDeleted(ctx, n, pathOf));
    else if (ctx.isNew(n)) out.push(...judgeNew(ctx, n, pathOf, permitted, levelRefusal));
    else out.push(...judgeChanged(ctx, n, pathOf, permitted, levelRefusal));
  }
  return out;
}

type KeyVerdict =
  | { kind: 'allowed'; clearance: Clearance }
  | { kind: 'level'; rule: ModificationRule }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'none' };

function covers(keys: readonly string[] | 'all', key: string | null): boolean {
  return keys === 'all' || (key !== null && keys.includes(key));
}

function decideKey(clears: Clearance[] | undefined, refusals: Refusal[] | undefined, key: string | null, permitted: (c: Clearance) => boolean, failedVia?: Set<Clearance>): KeyVerdict {
  const refusal = refusals?.find((f) => covers(f.keys, key));
  const ok = clears?.find((c) => covers(c.keys, key) && permitted(c) && !failedVia?.has(c));
  // A refusal wins over a clearance by a weaker rule: it is a rule saying no to exactly this.
  if (refusal) return { kind: 'refused', refusal };
  if (ok) return { kind: 'allowed', clearance: ok };
  const level = clears?.find((c) => covers(c.keys, key) && !permitted(c));
  if (level) return { kind: 'level', rule: level.rule };
  return { kind: 'none' };
}

function allowed(revision: number, object: number | null, change: Modification['change'], c: Clearance, path: string | null): Modification {
  const m: Modification = {
    revision,
    object,
    change,
    verdict: 'allowed',
    category: c.rule.category,
    rule: c.rule.id,
    path: c.path ?? path,
    reason: c.en ?? `${capital(c.rule.clears)} (${c.rule.id}).`,
    reasonVi: c.vi ?? `${capital(c.rule.clearsVi)} (${c.rule.id}).`,
  };
  if (c.covers) m.covers = c.covers;
  return m;
}

function capital(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

type PathOf = (index: ReferenceIndex, n: number) => string | null;

function judgeNew(ctx: DiffContext, n: number, pathOf: PathOf, permitted: (c: Clearance) => boolean, levelRefusal: (r: ModificationRule) => [string, string]): Modification[] {
  const r = ctx.revision;
  const edges = ctx.refsAfter.referrers(n);
  // A reference the signed revision already held now leads to this new object: content slipped in under a signed name.
  const old = edges.find((e) => e.from !== 'trailer' && !ctx.touched(e.from));
  if (old) {
    const holderPath = pathOf(ctx.refsAfter, old.from as number);
    return [{
      revision: r, object: n, change: 'added', verdict: 'suspicious', category: categoryOf(ctx.objectIn(ctx.after, n), ctx), rule: null,
      path: holderPath ? `${holderPath}${old.at}` : null,
      reason: `Object ${n} was added, and an object of the signed revision (object ${old.from}, at ${old.at}) already referred to that number: what the signed document showed there has been filled in after signing.`,
      reasonVi: `Đối tượng ${n} được thêm vào, trong khi một đối tượng của phiên bản đã ký (đối tượng ${old.from}, tại ${old.at}) đã tham chiếu sẵn tới số này: nội dung tại đó được bổ sung sau khi ký.`,
    }];
  }
  const v = decideKey(ctx.clearances.get(n), ctx.refusals.get(n), null, permitted);
  if (v.kind === 'allowed') return [allowed(r, n, 'added', v.clearance, null)];
  // Referred to only by other new objects that nothing reaches: still no reader shows it.
  if (v.kind === 'none' && (edges.length === 0 || !reachable(ctx.refsAfter, n))) {
    return [{ revision: r, object: n, change: 'added', verdict: 'allowed', category: 'unreferenced-object', rule: RULES.unreferenced.id, path: null, reason: `Object ${n} was added but nothing refers to it: no reader shows it.`, reasonVi: `Đối tượng ${n} được thêm vào nhưng không được tham chiếu: không trình xem nào hiển thị nó.` }];
  }
  const path = v.kind === 'refused' && v.refusal.path !== undefined ? v.refusal.path : pathOf(ctx.refsAfter, n);
  const [en, vi] = v.kind === 'level' ? levelRefusal(v.rule) : v.kind === 'refused' ? [v.refusal.en, v.refusal.vi] : describe(ctx, n, 'added', path);
  const covers = v.kind === 'refused' ? v.refusal.covers : v.kind === 'level' ? ctx.clearances.get(n)?.find((c) => c.rule === v.rule)?.covers : undefined;
  return [{ revision: r, object: n, change: 'added', verdict: 'suspicious', category: categoryOf(ctx.objectIn(ctx.after, n), ctx), rule: null, ...(v.kind === 'level' ? { refusedBy: v.rule.id } : v.kind === 'refused' ? { refusedBy: v.refusal.rule.id } : {}), path, reason: en, reasonVi: vi, ...(covers ? { covers } : {}) }];
}

function judgeChanged(ctx: DiffContext, n: number, pathOf: PathOf, permitted: (c: Clearance) => boolean, levelRefusal: (r: ModificationRule) => [string, string]): Modification[] {
  const r = ctx.revision;
  const b = ctx.objectIn(ctx.before, n);
  const a = ctx.objectIn(ctx.after, n);
  const clears = ctx.clearances.get(n);
  const refusals = ctx.refusals.get(n);
  // Overwriting an object in place is cleared only through the references the rule walked.
  const failedVia = new Set<Clearance>();
  let sharedAt: string | null = null;
  for (const c of clears ?? []) {
    if (!c.via) continue;
    const known = (e: Edge): boolean => c.via!.some((v) => v.from === e.from && v.at === e.at);
    const other = [...ctx.refsBefore.referrers(n).map((e) => ['b', e] as const), ...ctx.refsAfter.referrers(n).filter((e) => e.from === 'trailer' || !ctx.isNew(e.from)).map((e) => ['a', e] as const)].find(([, e]) => !known(e));
    if (other) {
      failedVia.add(c);
      const [side, e] = other;
      const holder = e.from === 'trailer' ? '' : (pathOf(side === 'b' ? ctx.refsBefore : ctx.refsAfter, e.from) ?? `object ${e.from}`);
      sharedAt ??= `${holder}${e.at}`;
    }
  }
  const isDict = b instanceof PdfDict && a instanceof PdfDict;
  const keys: (string | null)[] = isDict ? changedKeys(b as PdfDict, a as PdfDict) : [null];
  const groups = new Map<Clearance, string[]>();
  const bad: Modification[] = [];
  let basePath: string | null | undefined;
  for (const key of keys) {
    const v = decideKey(clears, refusals, key, permitted, failedVia);
    if (v.kind === 'allowed') {
      const list = groups.get(v.clearance) ?? [];
      if (key !== null) list.push(key);
      groups.set(v.clearance, list);
      continue;
    }
    basePath ??= pathOf(ctx.refsAfter, n) ?? pathOf(ctx.refsBefore, n);
    const path = v.kind === 'refused' && v.refusal.path != null && key === null ? v.refusal.path : basePath !== null && key !== null ? `${basePath}/${key}` : basePath;
    let en: string;
    let vi: string;
    if (v.kind === 'level') [en, vi] = levelRefusal(v.rule);
    else if (v.kind === 'refused') [en, vi] = [v.refusal.en, v.refusal.vi];
    else if (failedVia.size > 0 && clears?.some((c) => failedVia.has(c) && covers(c.keys, key))) {
      en = `Object ${n} was overwritten as if it belonged only to what was being signed, but the signed document also uses it elsewhere (${sharedAt}): the change alters that too.`;
      vi = `Đối tượng ${n} bị ghi đè như thể chỉ thuộc phần đang ký, nhưng tài liệu đã ký còn dùng nó ở chỗ khác (${sharedAt}): thay đổi này làm thay đổi cả chỗ đó.`;
    } else [en, vi] = describe(ctx, n, 'changed', path, key);
    bad.push({ revision: r, object: n, change: 'changed', verdict: 'suspicious', category: categoryOf(b, ctx, key), rule: null, ...(v.kind === 'level' ? { refusedBy: v.rule.id } : v.kind === 'refused' ? { refusedBy: v.refusal.rule.id } : {}), path, reason: en, reasonVi: vi });
  }
  const good: Modification[] = [];
  for (const [c, ks] of groups) {
    const m = allowed(r, n, 'changed', c, null);
    if (ks.length > 0 && !c.en) {
      m.reason = `${ks.map((k) => `/${k}`).join(', ')} of object ${n}: ${c.rule.clears} (${c.rule.id}).`;
      m.reasonVi = `${ks.map((k) => `/${k}`).join(', ')} của đối tượng ${n}: ${c.rule.clearsVi} (${c.rule.id}).`;
    }
    good.push(m);
  }
  return [...good, ...bad];
}

function judgeDeleted(ctx: DiffContext, n: number, pathOf: PathOf): Modification[] {
  const r = ctx.revision;
  const still = ctx.refsAfter.referrers(n);
  if (still.length === 0) {
    return [{ revision: r, object: n, change: 'deleted', verdict: 'allowed', category: 'structure', rule: RULES.freed.id, path: null, reason: `Object ${n} was freed; nothing refers to it any more.`, reasonVi: `Đối tượng ${n} bị giải phóng; không còn gì tham chiếu tới nó.` }];
  }
  const path = pathOf(ctx.refsBefore, n);
  return [{ revision: r, object: n, change: 'deleted', verdict: 'suspicious', category: 'deleted', rule: null, path, reason: `Object ${n}${path ? ` (${path})` : ''} was deleted after signing while the document still refers to it: what it showed disappears.`, reasonVi: `Đối tượng ${n}${path ? ` (${path})` : ''} bị xoá sau khi ký trong khi tài liệu vẫn tham chiếu tới nó: nội dung nó hiển thị biến mất.` }];
}

function trailerText(key: string): [string, string] {
  if (key === 'Root') return ['The trailer\'s /Root now names another document catalog: a reader of this revision sees a different document (pages, forms, actions) from the one signed. No rule allows a catalog swap.', '/Root trong trailer trỏ sang một danh mục gốc khác: người đọc phiên bản này thấy một tài liệu khác (trang, biểu mẫu, hành động) với tài liệu đã ký. Không quy tắc nào cho phép thay danh mục gốc.'];
  if (key === 'Encrypt') return ['Encryption (/Encrypt) was added or changed after signing.', 'Mã hoá (/Encrypt) được thêm hoặc thay đổi sau khi ký.'];
  return [`The trailer entry /${key} changed after signing; no rule explains it.`, `Mục /${key} trong trailer thay đổi sau khi ký; không quy tắc nào giải thích được.`];
}

function categoryOf(o: PdfObject, ctx: DiffContext, key: string | null = null): ModificationCategory {
  const dict = o instanceof PdfStream ? o.dict : o instanceof PdfDict ? o : null;
  const type = dict?.getName('Type');
  const subtype = dict?.getName('Subtype');
  if (o instanceof PdfDict && ctx.catalogIn(ctx.before) === o) return 'catalog';
  if (type === 'Catalog') return 'catalog';
  if (type === 'Page') return key === 'Annots' ? 'annotation' : 'page';
  if (type === 'Pages') return 'page-tree';
  if (type === 'Sig' || type === 'DocTimeStamp') return 'signature';
  if (type === 'Font' || subtype === 'Image' || subtype === 'Form' || type === 'XObject') return 'resource';
  if (dict?.getName('FT') !== undefined || subtype === 'Widget') return 'form';
  if (type === 'Annot' || dict?.has('Rect')) return 'annotation';
  if (dict?.has('S') && (type === 'StructElem' || type === undefined) && dict.has('P')) return 'structure-tree';
  if (o instanceof PdfStream) return 'page-content';
  return 'object';
}

function describe(ctx: DiffContext, n: number, change: 'added' | 'changed', path: string | null, key: string | null = null): [string, string] {
  const o = ctx.objectIn(change === 'added' ? ctx.after : ctx.before, n);
  const cat = categoryOf(o, ctx, key);
  const where = path ? ` at ${path}` : '';
  const whereVi = path ? ` tại ${path}` : '';
  const what: Record<string, [string, string]> = {
    catalog: ['the document catalog', 'danh mục gốc của tài liệu'],
    page: ['a page', 'một trang'],
    'page-tree': ['the page tree', 'cây trang'],
    resource: ['a resource used to draw the document (font, image or form XObject)', 'một tài nguyên hiển thị (phông chữ, hình ảnh hoặc XObject)'],
    annotation: ['an annotation', 'một chú thích'],
    form: ['a form field', 'một trường biểu mẫu'],
    signature: ['a signature dictionary', 'một từ điển chữ ký'],
    'structure-tree': ['the structure tree (tagged PDF)', 'cây cấu trúc (PDF gắn thẻ)'],
    'page-content': path !== null && /\/Contents(\[\d+\])?$/.test(path) ? ['the displayed content of a page', 'nội dung hiển thị của một trang'] : ['a stream', 'một luồng dữ liệu'],
    object: ['an object', 'một đối tượng'],
  };
  const [w, wv] = what[cat] ?? what.object!;
  const k = key !== null ? ` (/${key})` : '';
  if (change === 'added') return [`${capital(w)} (object ${n}) was added after signing${where}; no rule of the policy allows it.`, `${capital(wv)} (đối tượng ${n}) được thêm vào sau khi ký${whereVi}; không quy tắc nào cho phép.`];
  return [`${capital(w)} (object ${n})${k} was changed after signing${where}; no rule of the policy allows it.`, `${capital(wv)} (đối tượng ${n})${k} bị thay đổi sau khi ký${whereVi}; không quy tắc nào cho phép.`];
}

export type { Target };
