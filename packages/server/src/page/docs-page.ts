/**
 * The API documentation page (GET /docs): one self-contained HTML document
 * rendered from the OpenAPI object that /openapi.json serves, so the two can
 * never disagree. No script, no external assets: it has to work offline
 * inside an agency network and on a phone.
 */

type Json = Record<string, unknown>;

export interface DocsPageOptions {
  /**
   * The server root relative to the page ('./' at /docs, '../' at /docs/).
   * Links stay relative so they survive a reverse proxy that mounts the
   * service under a path prefix.
   */
  root?: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** Headings for the tags the routes use; any other tag is shown as it is. */
const TAG_TITLES: Record<string, string> = {
  sign: 'Ký số · Signing',
  verify: 'Kiểm tra chữ ký · Verification',
  codes: 'Cấp mã · Codes',
  audit: 'Nhật ký kiểm toán · Audit log',
  vgca: 'Tương thích plugin VGCA · VGCA plugin compatibility',
  page: 'Trang web · Web page',
  ops: 'Vận hành · Operations',
};
/** Operators read these last: the API a client integrates with comes first. */
const LAST_TAGS = ['page', 'ops'];
const UNTAGGED = '';

export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Escaped prose, with `backticked` spans (as the route descriptions write them) shown as code. */
function prose(s: string): string {
  return escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function literal(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
}

function typeLabel(s: Json, depth = 0): string {
  const alts = arr(s.anyOf).length > 0 ? arr(s.anyOf) : arr(s.oneOf);
  if (alts.length > 0 && depth < 4) return alts.map((a) => typeLabel(obj(a) ?? {}, depth + 1)).join(' | ');
  const types = Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : [s.properties ? 'object' : 'any'];
  return types
    .map((t) => {
      if (t === 'array') {
        const items = obj(s.items);
        return items && depth < 4 ? `array<${typeLabel(items, depth + 1)}>` : 'array';
      }
      if (t === 'string' && str(s.format)) return `string(${s.format as string})`;
      return t;
    })
    .join(' | ');
}

function range(lo: unknown, hi: unknown, unit: string): string | undefined {
  const l = typeof lo === 'number' ? lo : undefined;
  const h = typeof hi === 'number' ? hi : undefined;
  if (l === undefined && h === undefined) return undefined;
  const span = l !== undefined && h !== undefined ? `${l}–${h}` : l !== undefined ? `≥ ${l}` : `≤ ${h}`;
  return unit ? `${span} ${unit}` : span;
}

/** Enum, default and bounds of a schema, as small escaped fragments. */
function constraints(s: Json): string[] {
  const out: string[] = [];
  const values = arr(s.enum);
  if (values.length > 0) out.push(`một trong · one of: ${values.map((v) => `<code>${escapeHtml(literal(v))}</code>`).join(' | ')}`);
  if (s.default !== undefined) out.push(`mặc định · default <code>${escapeHtml(literal(s.default))}</code>`);
  for (const r of [range(s.minimum, s.maximum, ''), range(s.minLength, s.maxLength, 'ký tự · chars'), range(s.minItems, s.maxItems, 'phần tử · items')]) if (r) out.push(escapeHtml(r));
  if (str(s.pattern)) out.push(`mẫu · pattern <code>${escapeHtml(s.pattern)}</code>`);
  return out;
}

function typeHtml(s: Json): string {
  const c = constraints(s);
  return `<code class="type">${escapeHtml(typeLabel(s))}</code>${c.length > 0 ? ` <span class="muted">${c.join('; ')}</span>` : ''}`;
}

const REQUIRED = '<span class="req" title="bắt buộc · required">bắt buộc · required</span>';
const MAX_DEPTH = 4;

/** The fields of an object schema (or of an array's items), nested a few levels deep. */
function fieldsHtml(s: Json, depth: number): string {
  const target = obj(s.properties) ? s : obj(obj(s.items)?.properties) ? obj(s.items)! : undefined;
  const extra = obj(s.additionalProperties);
  if (!target && !extra) return '';
  if (depth >= MAX_DEPTH) return ' <span class="muted">…</span>';
  const required = new Set(arr(target?.required).map(String));
  const items: string[] = [];
  for (const [name, raw] of Object.entries(obj(target?.properties) ?? {})) {
    const p = obj(raw) ?? {};
    const desc = str(p.description);
    items.push(`<li><code class="name">${escapeHtml(name)}</code>${required.has(name) ? ` ${REQUIRED}` : ''}: ${typeHtml(p)}${desc ? ` — ${prose(desc)}` : ''}${fieldsHtml(p, depth + 1)}</li>`);
  }
  if (extra) items.push(`<li><code class="name">*</code> <span class="muted">(khóa bất kỳ · any key)</span>: ${typeHtml(extra)}${fieldsHtml(extra, depth + 1)}</li>`);
  return items.length > 0 ? `<ul class="fields">${items.join('')}</ul>` : '';
}

function schemaHtml(s: Json): string {
  if (Object.keys(s).length === 0) return '<span class="muted">không mô tả · not described</span>';
  return `${typeHtml(s)}${fieldsHtml(s, 0)}`;
}

function isBinary(s: Json | undefined): boolean {
  return s?.type === 'string' && s.format === 'binary';
}

/** One line per media type: a PDF is named as such, JSON is summarised field by field. */
function contentHtml(content: Json, what: 'request' | 'response'): string {
  const parts: string[] = [];
  for (const [type, raw] of Object.entries(content)) {
    const schema = obj(obj(raw)?.schema) ?? {};
    if (type === 'application/pdf') parts.push(what === 'request' ? `<p>Nội dung là tệp PDF · PDF body (<code>Content-Type: application/pdf</code>)</p>` : `<p>Tệp PDF · a PDF (<code>application/pdf</code>)</p>`);
    else if (isBinary(schema)) parts.push(`<p>Dữ liệu nhị phân · binary (<code>${escapeHtml(type)}</code>)</p>`);
    else parts.push(`<div class="schema"><span class="mt">${escapeHtml(type)}</span> ${schemaHtml(schema)}</div>`);
  }
  return parts.join('');
}

interface Operation {
  method: string;
  path: string;
  op: Json;
  id: string;
}

function securityHtml(op: Json, doc: Json): string {
  const reqs = arr(op.security ?? doc.security).map((r) => obj(r) ?? {});
  // An empty requirement object means the credentials are optional: the operation is public.
  if (reqs.length === 0 || reqs.some((r) => Object.keys(r).length === 0)) return '<span class="badge public">Công khai · public</span>';
  const schemes = obj(obj(doc.components)?.securitySchemes) ?? {};
  const names = [...new Set(reqs.flatMap((r) => Object.keys(r)))].map((n) => {
    const sc = obj(schemes[n]);
    if (sc?.type === 'http' && String(sc.scheme).toLowerCase() === 'bearer') return 'Bearer';
    if (sc?.type === 'apiKey') return `${str(sc.name) ?? n} (${str(sc.in) ?? 'apiKey'})`;
    return n;
  });
  const hint = names.includes('Bearer') ? ' <span class="muted">khóa API · API key</span>' : '';
  return `<span class="badge auth">${escapeHtml(names.join(' / '))}</span>${hint}`;
}

function paramsHtml(op: Json): string {
  const items = arr(op.parameters)
    .map((p) => obj(p))
    .filter((p): p is Json => p !== undefined)
    .map((p) => {
      const schema = obj(p.schema) ?? {};
      const desc = str(p.description);
      return `<li><code class="name">${escapeHtml(p.name)}</code> <span class="in">${escapeHtml(p.in)}</span>${p.required === true ? ` ${REQUIRED}` : ''}: ${typeHtml(schema)}${desc ? ` — ${prose(desc)}` : ''}</li>`;
    });
  return items.length > 0 ? `<h4>Tham số · Parameters</h4><ul class="fields">${items.join('')}</ul>` : '';
}

function bodyHtml(o: Operation): string {
  const body = obj(o.op.requestBody);
  if (!body) {
    // GET and friends carry no body; for the rest the route reads one the schema does not describe (e.g. an image).
    return ['get', 'head', 'delete', 'options', 'trace'].includes(o.method) ? '' : '<h4>Nội dung yêu cầu · Request body</h4><p class="muted">không mô tả trong lược đồ, xem phần mô tả · not in the schema, see the description</p>';
  }
  return `<h4>Nội dung yêu cầu · Request body${body.required === true ? ` ${REQUIRED}` : ''}</h4>${contentHtml(obj(body.content) ?? {}, 'request')}`;
}

function responsesHtml(op: Json): string {
  const responses = obj(op.responses) ?? {};
  // Most routes list the same error schema under many statuses: one row for them all.
  const groups = new Map<string, { statuses: string[]; description: string; content: Json }>();
  // Errors of the same shape share a row whatever their descriptions (the codes of each status are listed under it).
  const described = new Map<string, Map<string, string>>();
  for (const [status, raw] of Object.entries(responses)) {
    const r = obj(raw) ?? {};
    const description = str(r.description) ?? '';
    const content = obj(r.content) ?? {};
    const error = Number(status) >= 400;
    const key = JSON.stringify(error ? ['error', content] : [description, content]);
    const g = groups.get(key);
    if (g) g.statuses.push(status);
    else groups.set(key, { statuses: [status], description: error ? '' : description, content });
    if (error && description && description !== 'Error') {
      if (!described.has(key)) described.set(key, new Map());
      described.get(key)!.set(status, description);
    }
  }
  if (groups.size === 0) return '<h4>Phản hồi · Responses</h4><p class="muted">không mô tả · not described</p>';
  const rows = [...groups.entries()].map(([key, g]) => {
    const cls = g.statuses.every((s) => Number(s) >= 400) ? 'err' : 'ok';
    const codes = described.get(key);
    const list = codes && codes.size > 0 ? `<ul class="fields">${[...codes].map(([st, d]) => `<li><code>${escapeHtml(st)}</code> ${prose(d)}</li>`).join('')}</ul>` : '';
    return `<li><span class="status ${cls}">${g.statuses.map(escapeHtml).join(' · ')}</span>${g.description ? ` ${prose(g.description)}` : ''}${list}${contentHtml(g.content, 'response')}</li>`;
  });
  return `<h4>Phản hồi · Responses</h4><ul class="responses">${rows.join('')}</ul>`;
}

function operationHtml(o: Operation, doc: Json): string {
  const summary = str(o.op.summary);
  const description = str(o.op.description);
  return `<section class="op" id="${o.id}">
<h3><span class="method ${escapeHtml(o.method)}">${escapeHtml(o.method.toUpperCase())}</span> <code class="path">${escapeHtml(o.path)}</code></h3>
${summary ? `<p class="summary">${prose(summary)}</p>` : ''}${description ? `<p>${prose(description)}</p>` : ''}
<p class="sec"><span class="label">Xác thực · Auth:</span> ${securityHtml(o.op, doc)}</p>
${paramsHtml(o.op)}${bodyHtml(o)}${responsesHtml(o.op)}
</section>`;
}

/** Operations grouped by their first tag, in the order the routes were registered, the operators' groups last. */
function grouped(doc: Json): Map<string, Operation[]> {
  const groups = new Map<string, Operation[]>();
  let n = 0;
  for (const [path, rawItem] of Object.entries(obj(doc.paths) ?? {})) {
    const item = obj(rawItem) ?? {};
    for (const method of METHODS) {
      const op = obj(item[method]);
      if (!op) continue;
      const tag = str(arr(op.tags)[0]) ?? UNTAGGED;
      // The slug is built from [a-z0-9-] only, so it is safe in an attribute and a fragment; the counter keeps it unique.
      const id = `op-${n++}-${`${method}${path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '')}`;
      const list = groups.get(tag) ?? [];
      list.push({ method, path, op, id });
      groups.set(tag, list);
    }
  }
  const order = [...groups.keys()].sort((a, b) => rank(a) - rank(b));
  return new Map(order.map((k) => [k, groups.get(k)!]));
}
function rank(tag: string): number {
  const i = LAST_TAGS.indexOf(tag);
  return i < 0 ? 0 : i + 1;
}

function tagTitle(tag: string): string {
  return tag === UNTAGGED ? 'Khác · Other' : (TAG_TITLES[tag] ?? tag);
}

const STYLE = `:root{--fg:#1b1b1b;--muted:#5b5b5b;--line:#d9d9d9;--accent:#1a5fb4;--ok:#0a7d32;--bad:#b00020}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#f6f7f9;overflow-wrap:anywhere}
header{padding:12px 16px;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:1.2rem;margin:0}
main{max-width:960px;margin:0 auto;padding:16px}
a{color:var(--accent)}
code{font:0.9em/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;background:#eef0f3;border-radius:4px;padding:0 3px}
h2{font-size:1.15rem;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:1rem;margin:0 0 6px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
h3 .path{background:none;padding:0;font-size:1rem;font-weight:600}
h4{font-size:.95rem;margin:14px 0 4px;color:var(--muted)}
.op{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0}
.op p{margin:6px 0}
.summary{font-weight:600}
.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;padding:1px 6px;color:#fff;font-size:.85rem;font-weight:700;background:#555}
.method.get{background:#1a5fb4}.method.post{background:#0a7d32}.method.put,.method.patch{background:#a86400}.method.delete{background:#b00020}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.85rem;font-weight:600;border:1px solid}
.badge.auth{color:#a86400;border-color:#a86400}.badge.public{color:var(--ok);border-color:var(--ok)}
.label{color:var(--muted)}
.muted{color:var(--muted)}
.req{color:var(--bad);font-size:.8rem;font-weight:600}
.in{font-size:.8rem;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 4px}
ul.fields,ul.responses{margin:4px 0;padding-left:20px}
ul.fields ul.fields{padding-left:16px;border-left:2px solid var(--line);margin-left:2px}
li{margin:3px 0}
.status{font-weight:700}.status.ok{color:var(--ok)}.status.err{color:var(--bad)}
.schema{margin:2px 0}
.mt{font-size:.8rem;color:var(--muted)}
nav ul{padding-left:20px;margin:4px 0}
nav h3{font-size:.95rem;margin:10px 0 2px}
nav code{background:none;padding:0}
footer{max-width:960px;margin:0 auto;padding:8px 16px 24px;color:var(--muted);font-size:.9rem}
@media (max-width:520px){main{padding:10px}.op{padding:10px 12px}ul.fields,ul.responses{padding-left:16px}}`;

function hasBearer(doc: Json): boolean {
  return Object.values(obj(obj(doc.components)?.securitySchemes) ?? {}).some((v) => obj(v)?.type === 'http' && String(obj(v)?.scheme).toLowerCase() === 'bearer');
}

/** The documentation page for an OpenAPI 3 document, every interpolated value escaped. */
export function buildDocsPage(doc: Json, options: DocsPageOptions = {}): string {
  const root = escapeHtml(options.root ?? './');
  const info = obj(doc.info) ?? {};
  const title = str(info.title) ?? 'API';
  const version = str(info.version);
  const description = str(info.description);
  const groups = grouped(doc);
  const toc = [...groups].map(
    ([tag, ops]) =>
      `<h3>${escapeHtml(tagTitle(tag))}</h3><ul>${ops.map((o) => `<li><a href="#${o.id}"><code>${escapeHtml(o.method.toUpperCase())} ${escapeHtml(o.path)}</code></a>${str(o.op.summary) ? ` — ${prose(o.op.summary as string)}` : ''}</li>`).join('')}</ul>`,
  );
  const sections = [...groups].map(([tag, ops]) => `<h2>${escapeHtml(tagTitle(tag))}</h2>\n${ops.map((o) => operationHtml(o, doc)).join('\n')}`);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tài liệu API · API documentation — ${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<header><h1>Tài liệu API · API documentation</h1></header>
<main>
<p><strong>${escapeHtml(title)}</strong>${version ? ` <span class="muted">${escapeHtml(version)}</span>` : ''}</p>
${description ? `<p>${prose(description)}</p>` : ''}
${hasBearer(doc) ? '<p>Xác thực: gửi <code>Authorization: Bearer &lt;khóa API&gt;</code> với các thao tác có nhãn Bearer. · Authentication: send <code>Authorization: Bearer &lt;API key&gt;</code> to operations marked Bearer.</p>\n' : ''}<p>Tài liệu máy đọc được · Machine-readable: <a href="${root}openapi.json">openapi.json</a> (OpenAPI ${escapeHtml(str(doc.openapi) ?? '3')})</p>
<nav aria-label="Mục lục · Contents"><h2>Mục lục · Contents</h2>${toc.join('')}</nav>
${sections.join('\n')}
</main>
<footer>Trang này được tạo từ <a href="${root}openapi.json">openapi.json</a> · This page is generated from openapi.json. <a href="${root}">Kiểm tra chữ ký · Verify a PDF</a></footer>
</body>
</html>
`;
}
