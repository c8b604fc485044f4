/**
 * Mutations for the `pnpm fuzz` campaign. Byte-level ones come from the
 * suite's mutations.ts (the same vocabulary, drawn from a seeded fast-check
 * sample); structure-aware ones find the parts of a PDF a reader trusts
 * (cross-reference entries, object streams, filters, /Prev, /Kids, counts,
 * signatures) and break exactly one of them, often re-indexing the file
 * afterwards so the broken part is reached instead of being tripped over.
 *
 * Mutators work on latin1 text found by regular expressions, never on
 * kyso's own parser: a bug in the reader must not hide the case that shows it.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { applyMutations, mutationsArb } from '../packages/core/test/pdf/mutations.js';
import { Rng } from './rng.js';

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const enc = (s: string): Buffer => Buffer.from(s, 'latin1');

function splice(b: Uint8Array, start: number, end: number, insert: Uint8Array | string): Uint8Array {
  const mid = typeof insert === 'string' ? enc(insert) : insert;
  return new Uint8Array(Buffer.concat([b.subarray(0, start), mid, b.subarray(end)]));
}

export const HUGE_NUMBERS = [
  '2147483648', '2147483647', '4294967296', '4294967295', '9007199254740993', '99999999999999999999', '1e308', '-1', '-2147483649',
  '0', '3.7', '1' + '0'.repeat(400), '65536', '16777216', '1073741824',
] as const;

interface ObjectSpan {
  num: number;
  gen: number;
  /** Offset of the "n g obj" header. */
  at: number;
  /** Offset just past "obj". */
  bodyAt: number;
  /** Offset of the closing "endobj" (or of the next header, or the end of the file). */
  end: number;
}

interface StreamSpan extends ObjectSpan {
  dictAt: number;
  dictEnd: number;
  dataAt: number;
  dataEnd: number;
}

function objects(text: string): ObjectSpan[] {
  const out: ObjectSpan[] = [];
  const re = /(?<![0-9])(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj(?![A-Za-z])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const bodyAt = m.index + m[0].length;
    let end = text.indexOf('endobj', bodyAt);
    if (end < 0) end = text.length;
    out.push({ num: Number(m[1]), gen: Number(m[2]), at: m.index, bodyAt, end });
  }
  return out;
}

function streams(text: string): StreamSpan[] {
  const out: StreamSpan[] = [];
  for (const o of objects(text)) {
    // Searches stay inside the object: scanning the rest of the file per object made large seeds quadratic.
    const head = text.slice(o.bodyAt, Math.min(o.end, o.bodyAt + 16));
    const d = head.indexOf('<<');
    if (d < 0) continue;
    const dictAt = o.bodyAt + d;
    const body = text.slice(dictAt, o.end);
    const k = body.indexOf('stream');
    if (k < 0) continue;
    const kw = dictAt + k;
    let dataAt = kw + 6;
    if (text[dataAt] === '\r') dataAt++;
    if (text[dataAt] === '\n') dataAt++;
    const e = body.lastIndexOf('endstream');
    let dataEnd = e < 0 ? -1 : dictAt + e;
    if (dataEnd < dataAt) continue;
    if (text[dataEnd - 1] === '\n') dataEnd--;
    if (text[dataEnd - 1] === '\r') dataEnd--;
    out.push({ ...o, dictAt, dictEnd: text.lastIndexOf('>>', kw) + 2, dataAt, dataEnd });
  }
  return out;
}

/** Decodes Flate data (plus a PNG predictor, the only one writers use for xref streams); undefined if it is not that. */
function decode(dict: string, raw: Uint8Array): Uint8Array | undefined {
  const flate = /\/Filter\s*(\[\s*)?\/(FlateDecode|Fl)\b/.test(dict);
  let data: Uint8Array = raw;
  if (flate) {
    try {
      data = inflateSync(raw);
    } catch {
      return undefined;
    }
  } else if (/\/Filter/.test(dict)) return undefined;
  const pred = /\/Predictor\s+(\d+)/.exec(dict);
  if (pred && Number(pred[1]) >= 10) {
    const cols = Number(/\/Columns\s+(\d+)/.exec(dict)?.[1] ?? 1);
    if (!(cols > 0 && cols < 4096)) return undefined;
    const rows = Math.floor(data.length / (cols + 1));
    const out = new Uint8Array(rows * cols);
    let prev = new Uint8Array(cols);
    for (let r = 0; r < rows; r++) {
      const type = data[r * (cols + 1)]!;
      const cur = out.subarray(r * cols, (r + 1) * cols);
      for (let i = 0; i < cols; i++) {
        const x = data[r * (cols + 1) + 1 + i]!;
        const a = i > 0 ? cur[i - 1]! : 0;
        cur[i] = (type === 2 ? x + prev[i]! : type === 1 ? x + a : x) & 0xff;
      }
      prev = cur;
    }
    return out;
  }
  return data;
}

function encode(dict: string, data: Uint8Array): Uint8Array {
  let out = data;
  const pred = /\/Predictor\s+(\d+)/.exec(dict);
  if (pred && Number(pred[1]) >= 10) {
    const cols = Number(/\/Columns\s+(\d+)/.exec(dict)?.[1] ?? 1);
    const rows = Math.ceil(data.length / cols);
    out = new Uint8Array(rows * (cols + 1));
    for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols, (r + 1) * cols), r * (cols + 1) + 1);
  }
  return /\/Filter\s*(\[\s*)?\/(FlateDecode|Fl)\b/.test(dict) ? deflateSync(out) : out;
}

/** Replaces a stream's dictionary and data, keeping /Length true. */
function rewriteStream(b: Uint8Array, s: StreamSpan, dict: string, data: Uint8Array): Uint8Array {
  const body = encode(dict, data);
  const withLength = /\/Length\s+\d+(\s+\d+\s+R)?/.test(dict)
    ? dict.replace(/\/Length\s+\d+(\s+\d+\s+R)?/, `/Length ${body.length}`)
    : dict.replace(/>>\s*$/, ` /Length ${body.length}>>`);
  return splice(b, s.dictAt, s.dataEnd, Buffer.concat([enc(`${withLength}\nstream\n`), body]));
}

/** Replaces the number value of `key` inside [from, to). */
function setKey(b: Uint8Array, text: string, from: number, to: number, key: string, value: string): Uint8Array | undefined {
  const re = new RegExp(`/${key}(?![A-Za-z])\\s*(-?[0-9.]+(?:\\s+\\d+\\s+R)?|\\[[^\\]]*\\])`, 'g');
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || m.index >= to) return undefined;
  const s = m.index + m[0].length - m[1]!.length;
  return splice(b, s, s + m[1]!.length, value);
}

// ---------------------------------------------------------------------------

/**
 * Appends an update whose classic table points at every "n g obj" header in
 * the file (the last one of each number wins), chained to the newest section:
 * after an edit that moved bytes, objects are found again, so the case tests
 * the edit rather than the moved offsets.
 */
export function reindex(b: Uint8Array): Uint8Array {
  const text = latin1(b);
  const found = new Map<number, { at: number; gen: number }>();
  for (const o of objects(text)) if (o.num < 5_000_000) found.set(o.num, { at: o.at, gen: o.gen });
  if (found.size === 0) return b;
  const roots = [...text.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)];
  const root = roots.length > 0 ? roots[roots.length - 1]![1] : '1 0 R';
  const id = [...text.matchAll(/\/ID\s*(\[[^\]]{0,200}\])/g)].pop()?.[1];
  // The newest section the file had: the last "xref" keyword or xref stream before the final startxref.
  const lastSx = text.lastIndexOf('startxref');
  const tableAt = text.lastIndexOf('xref', lastSx) >= 0 ? lastXrefKeyword(text, lastSx) : -1;
  const stmAt = [...streams(text)].filter((s) => s.at < lastSx && /\/Type\s*\/XRef/.test(text.slice(s.dictAt, s.dictEnd))).pop()?.at ?? -1;
  const prev = Math.max(tableAt, stmAt);
  const nums = [...found.keys()].sort((x, y) => x - y);
  const size = nums[nums.length - 1]! + 1;
  const eol = b[b.length - 1] === 0x0a ? '' : '\n';
  const start = b.length + eol.length;
  let out = `${eol}xref\n`;
  let i = 0;
  while (i < nums.length) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    out += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = found.get(nums[k]!)!;
      out += `${String(e.at).padStart(10, '0')} ${String(Math.min(e.gen, 65535)).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  out += `trailer\n<< /Size ${size} /Root ${root}${id ? ` /ID ${id}` : ''}${prev >= 0 ? ` /Prev ${prev}` : ''} >>\nstartxref\n${start}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([b, enc(out)]));
}

function lastXrefKeyword(text: string, before: number): number {
  let at = text.lastIndexOf('xref', before);
  while (at >= 0) {
    const prevChar = text[at - 1];
    if ((prevChar === undefined || /\s/.test(prevChar)) && text.slice(at - 5, at) !== 'start') return at;
    at = text.lastIndexOf('xref', at - 1);
  }
  return -1;
}

// ---------------------------------------------------------------------------

type Mutator = (b: Uint8Array, text: string, rng: Rng) => Uint8Array | undefined;

const xrefOffset: Mutator = (b, text, rng) => {
  const entries = [...text.matchAll(/(\d{10}) (\d{5}) n/g)];
  if (entries.length === 0) return undefined;
  const e = rng.pick(entries);
  const old = Number(e[1]);
  const objs = objects(text);
  const choices = [
    () => old + rng.range(-300, 300),
    () => (objs.length > 0 ? rng.pick(objs).at : 0),
    () => 0,
    () => b.length + rng.int(1000),
    () => 9999999999,
    () => text.lastIndexOf('xref'),
    () => rng.int(b.length),
  ];
  const v = Math.max(0, Math.min(9999999999, rng.pick(choices)()));
  return splice(b, e.index!, e.index! + 10, String(v).padStart(10, '0'));
};

const xrefKind: Mutator = (b, text, rng) => {
  const entries = [...text.matchAll(/(\d{10}) (\d{5}) ([nf])/g)];
  if (entries.length === 0) return undefined;
  const e = rng.pick(entries);
  const at = e.index!;
  switch (rng.int(4)) {
    case 0:
      return splice(b, at + 17, at + 18, e[3] === 'n' ? 'f' : 'n');
    case 1:
      return splice(b, at + 17, at + 18, rng.pick(['x', ' ', '0', 'N']));
    case 2:
      return splice(b, at + 11, at + 16, rng.pick(['65535', '00001', '99999', '00000']));
    default: {
      // A subsection header that claims far more (or fewer) entries than there are.
      const heads = [...text.matchAll(/xref\s+(\d+) (\d+)/g)];
      if (heads.length === 0) return undefined;
      const h = rng.pick(heads);
      const s = h.index! + h[0].length - h[2]!.length;
      return splice(b, s, s + h[2]!.length, rng.pick(['0', String(Number(h[2]) + 1), String(Number(h[2]) * 1000), '2147483647', '50000000']));
    }
  }
};

function xrefStreams(text: string): StreamSpan[] {
  return streams(text).filter((s) => /\/Type\s*\/XRef/.test(text.slice(s.dictAt, s.dictEnd)));
}

const xrefStreamRows: Mutator = (b, text, rng) => {
  const all = xrefStreams(text);
  if (all.length === 0) return undefined;
  const s = rng.pick(all);
  const dict = text.slice(s.dictAt, s.dictEnd);
  const w = /\/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(dict);
  if (!w) return undefined;
  const W = [Number(w[1]), Number(w[2]), Number(w[3])];
  const rowLen = W[0]! + W[1]! + W[2]!;
  const data = decode(dict, b.subarray(s.dataAt, s.dataEnd));
  if (!data || rowLen === 0 || data.length < rowLen) return undefined;
  const out = Uint8Array.from(data);
  const rows = Math.floor(out.length / rowLen);
  const put = (row: number, field: number, v: number): void => {
    const off = row * rowLen + (field > 0 ? W[0]! : 0) + (field > 1 ? W[1]! : 0);
    for (let i = W[field]! - 1; i >= 0; i--) {
      out[off + i] = v & 0xff;
      v = Math.floor(v / 256);
    }
  };
  const n = rng.range(1, 3);
  for (let k = 0; k < n; k++) {
    const row = rng.int(rows);
    switch (rng.int(6)) {
      case 0:
        put(row, 0, rng.pick([0, 1, 2, 3, 255]));
        break;
      case 1:
        put(row, 1, rng.pick([0, row, b.length + 10, 0xffffffff, rng.int(b.length), s.num]));
        break;
      case 2:
        put(row, 2, rng.pick([0, 1, 65535, 0xffff, row]));
        break;
      case 3:
        // Compressed in itself or in the xref stream: an object stream that contains itself.
        put(row, 0, 2);
        put(row, 1, rng.pick([row, s.num]));
        put(row, 2, 0);
        break;
      case 4:
        out.fill(rng.int(256), row * rowLen, (row + 1) * rowLen);
        break;
      default:
        return rewriteStream(b, s, dict, out.subarray(0, rng.int(out.length)));
    }
  }
  return rewriteStream(b, s, dict, out);
};

const xrefStreamDict: Mutator = (b, text, rng) => {
  const all = xrefStreams(text);
  if (all.length === 0) return undefined;
  const s = rng.pick(all);
  const key = rng.pick(['W', 'Index', 'Size', 'Prev', 'Length']);
  const value =
    key === 'W'
      ? rng.pick(['[1 2 1]', '[0 0 0]', '[9 0 0]', '[1 8 8]', '[4 4 4]', '[1 2]', '[-1 2 2]', '[1 4 2 1]'])
      : key === 'Index'
        ? rng.pick(['[0 2147483647]', '[0 1]', '[5]', '[0 -1]', '[2147483640 100]', '[0 10 0 10]', '[]'])
        : rng.pick([...HUGE_NUMBERS]);
  const r = setKey(b, text, s.dictAt, s.dictEnd, key, value);
  if (r) return r;
  return splice(b, s.dictAt + 2, s.dictAt + 2, ` /${key} ${value} `);
};

function objectStreams(text: string): StreamSpan[] {
  return streams(text).filter((s) => /\/Type\s*\/ObjStm/.test(text.slice(s.dictAt, s.dictEnd)));
}

const objStm: Mutator = (b, text, rng) => {
  const all = objectStreams(text);
  if (all.length === 0) return undefined;
  const s = rng.pick(all);
  let dict = text.slice(s.dictAt, s.dictEnd);
  const data = decode(dict, b.subarray(s.dataAt, s.dataEnd));
  if (!data) return undefined;
  const N = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const First = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? 0);
  const setDict = (key: string, v: string): void => {
    dict = new RegExp(`/${key}\\s+-?\\d+`).test(dict) ? dict.replace(new RegExp(`/${key}\\s+-?\\d+`), `/${key} ${v}`) : dict.replace('<<', `<< /${key} ${v}`);
  };
  let body = latin1(data);
  switch (rng.int(8)) {
    case 0:
      setDict('N', rng.pick(['0', String(N + 1), String(N * 1000), '2147483648', '-1', '50000000']));
      break;
    case 1:
      setDict('First', rng.pick(['0', String(First + rng.range(-5, 5)), String(data.length + 10), '2147483648', '-3']));
      break;
    case 2: {
      // Header pairs: an object number that is the stream itself, duplicates, offsets out of range.
      const header = body.slice(0, First);
      const pairs = [...header.matchAll(/(\d+)\s+(\d+)/g)];
      if (pairs.length === 0) return undefined;
      const p = rng.pick(pairs);
      const repl = rng.pick([`${s.num} ${p[2]}`, `${p[1]} ${data.length + 100}`, `${p[1]} 99999999999`, `${pairs[0]![1]} ${p[2]}`, `${p[1]} 0`]);
      const padded = repl.length <= p[0].length ? repl.padEnd(p[0].length, ' ') : repl;
      body = body.slice(0, p.index!) + padded + body.slice(p.index! + p[0].length);
      if (padded.length !== p[0].length) setDict('First', String(First + padded.length - p[0].length));
      break;
    }
    case 3:
      // /Extends names itself or a plain object.
      dict = dict.replace('<<', `<< /Extends ${rng.pick([`${s.num} ${s.gen} R`, '1 0 R', '0 0 R'])}`);
      break;
    case 4: {
      // Deep nesting inside a compressed object.
      const at = First + rng.int(Math.max(1, body.length - First));
      const depth = rng.pick([300, 5000, 100_000]);
      body = body.slice(0, at) + rng.pick(['[', '<</A '])?.repeat(depth) + body.slice(at);
      break;
    }
    case 5:
      body = body.slice(0, rng.int(body.length));
      break;
    case 6: {
      const at = rng.int(body.length);
      body = body.slice(0, at) + rng.pick(['endobj', 'stream', ')', '(', '>>', '<<', '9 0 R', '%', ' 1 0 obj ']) + body.slice(at);
      break;
    }
    default:
      // A stream that lists its own number among its objects and whose /Length is inside it.
      dict = dict.replace(/\/Length\s+\d+(\s+\d+\s+R)?/, `/Length ${s.num} 0 R`);
      return splice(b, s.dictAt, s.dictEnd, dict);
  }
  return rewriteStream(b, s, dict, enc(body));
};

const FILTERS = [
  '/LZWDecode', '/ASCIIHexDecode', '/ASCII85Decode', '/DCTDecode', '/Crypt', '/Fl', '[/FlateDecode /FlateDecode]', '[]', '[/Crypt /FlateDecode]',
  '[/FlateDecode /Crypt]', '/RunLengthDecode', '/JBIG2Decode', '1', '(FlateDecode)', '[/FlateDecode 5]', '/Foo',
];
const PARMS = [
  '<< /Predictor 12 /Columns 5 >>', '<< /Predictor 12 /Columns 0 >>', '<< /Predictor 15 /Columns 1073741824 >>', '<< /Predictor 2 /Colors 3 >>',
  '<< /Predictor 2 /BitsPerComponent 16 >>', '<< /Predictor 13 /Colors 99999 /BitsPerComponent 32 /Columns 99999 >>', '<< /Predictor -1 >>',
  '<< /Predictor 12 /Columns -4 >>', '[<< /Predictor 12 /Columns 4 >> null]', '[null << /Predictor 12 /Columns 3 >>]', '5', '<< /Predictor 1e308 >>',
  '<< /Predictor 10 /Columns 2.5 >>',
];

const filters: Mutator = (b, text, rng) => {
  const all = streams(text);
  if (all.length === 0) return undefined;
  // Xref and object streams are the ones the engine decodes; favour them.
  const special = all.filter((s) => /\/Type\s*\/(XRef|ObjStm)/.test(text.slice(s.dictAt, s.dictEnd)));
  const s = special.length > 0 && rng.chance(0.7) ? rng.pick(special) : rng.pick(all);
  let dict = text.slice(s.dictAt, s.dictEnd);
  switch (rng.int(4)) {
    case 0:
      dict = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.test(dict) ? dict.replace(/\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/, `/Filter ${rng.pick(FILTERS)}`) : dict.replace('<<', `<< /Filter ${rng.pick(FILTERS)}`);
      break;
    case 1:
      dict = /\/DecodeParms\s*<<[^>]*>>/.test(dict) ? dict.replace(/\/DecodeParms\s*<<[^>]*>>/, `/DecodeParms ${rng.pick(PARMS)}`) : dict.replace('<<', `<< /DecodeParms ${rng.pick(PARMS)}`);
      break;
    case 2:
      dict = dict.replace(/\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/, '');
      break;
    default: {
      // Corrupt the compressed bytes themselves.
      const len = s.dataEnd - s.dataAt;
      if (len <= 2) return undefined;
      const out = Uint8Array.from(b);
      for (let k = rng.range(1, 4); k > 0; k--) out[s.dataAt + rng.int(len)] = rng.int(256);
      return out;
    }
  }
  return splice(b, s.dictAt, s.dictEnd, dict);
};

const nesting: Mutator = (b, text, rng) => {
  const objs = objects(text);
  if (objs.length === 0) return undefined;
  const o = rng.pick(objs);
  const depth = rng.pick([257, 1000, 20_000, 100_000]);
  switch (rng.int(4)) {
    case 0:
      return splice(b, o.bodyAt, o.bodyAt, ' ' + '['.repeat(depth) + ']'.repeat(rng.chance(0.7) ? depth : 0) + ' ');
    case 1: {
      // Inside a dictionary value, where the object keeps its type.
      const d = text.indexOf('<<', o.bodyAt);
      if (d < 0 || d > o.end) return undefined;
      return splice(b, d + 2, d + 2, ' /KysoDeep ' + '<</A '.repeat(depth) + '>>'.repeat(rng.chance(0.7) ? depth : 0) + ' ');
    }
    case 2: {
      // Nesting by reference: a chain of objects, each an array holding the next.
      const n = rng.pick([500, 5000, 20_000]);
      const base = 1 + Math.max(...objs.map((x) => x.num));
      let chain = '\n';
      for (let i = 0; i < n; i++) chain += `${base + i} 0 obj\n[${base + i + 1} 0 R]\nendobj\n`;
      const d = text.indexOf('<<', o.bodyAt);
      if (d < 0 || d > o.end) return undefined;
      const withRef = splice(b, d + 2, d + 2, ` /KysoChain ${base} 0 R `);
      return new Uint8Array(Buffer.concat([withRef, enc(chain)]));
    }
    default:
      return splice(b, o.bodyAt, o.bodyAt, ' ' + '('.repeat(depth) + ' ');
  }
};

const prevCycle: Mutator = (b, _text, rng) => {
  const mode = rng.pick(['self', 'any', 'append1', 'append2'] as const);
  return applyMutations(b, [{ t: 'prevLoop', mode, which: rng.int(16) }]);
};

const xrefStmCycle: Mutator = (b, text, rng) => {
  const sx = [...text.matchAll(/startxref\s+(\d+)/g)];
  if (sx.length === 0) return undefined;
  const target = rng.pick(sx)[1]!;
  const tr = text.lastIndexOf('trailer');
  if (tr < 0) return undefined;
  const d = text.indexOf('<<', tr);
  if (d < 0) return undefined;
  const r = setKey(b, text, d, d + 400, 'XRefStm', target);
  return r ?? splice(b, d + 2, d + 2, ` /XRefStm ${rng.pick([target, '0', String(b.length)])} `);
};

const kidsCycle: Mutator = (b, text, rng) => {
  const kids = [...text.matchAll(/\/Kids\s*\[([^\]]*)\]/g)];
  if (kids.length === 0) return undefined;
  const k = rng.pick(kids);
  const objs = objects(text);
  const owner = objs.filter((o) => o.at < k.index!).pop();
  const root = /\/Pages\s+(\d+\s+\d+)\s+R/.exec(text)?.[1];
  const self = owner ? `${owner.num} ${owner.gen}` : '1 0';
  const insertAt = k.index! + k[0].length - 1;
  switch (rng.int(5)) {
    case 0:
      return splice(b, insertAt, insertAt, ` ${self} R`);
    case 1:
      return splice(b, insertAt, insertAt, ` ${root ?? self} R`);
    case 2: {
      // The same kid many times: a page tree far larger than the file.
      const first = /\d+\s+\d+\s+R/.exec(k[1]!)?.[0] ?? `${self} R`;
      return splice(b, insertAt, insertAt, ` ${first}`.repeat(rng.pick([100, 10_000])));
    }
    case 3: {
      // /Parent of a page pointing back down, or at itself.
      const parents = [...text.matchAll(/\/Parent\s+(\d+\s+\d+)\s+R/g)];
      if (parents.length === 0) return undefined;
      const p = rng.pick(parents);
      const s = p.index! + p[0].length - p[1]!.length - 2;
      return splice(b, s, s + p[1]!.length, rng.pick(objs.map((o) => `${o.num} ${o.gen}`)));
    }
    default: {
      const counts = [...text.matchAll(/\/Count\s+(-?\d+)/g)];
      if (counts.length === 0) return undefined;
      const c = rng.pick(counts);
      const s = c.index! + c[0].length - c[1]!.length;
      return splice(b, s, s + c[1]!.length, rng.pick(['0', '-1', '2147483648', '99999999999999999999', '1e308', '3']));
    }
  }
};

const HUGE_KEYS = ['Size', 'Count', 'Length', 'N', 'First', 'Prev', 'XRefStm', 'Columns', 'Predictor', 'Rotate', 'P', 'R', 'V', 'Colors', 'BitsPerComponent'];

const hugeNumber: Mutator = (b, text, rng) => {
  const key = rng.pick(HUGE_KEYS);
  const hits = [...text.matchAll(new RegExp(`/${key}(?![A-Za-z])\\s*(-?[0-9.]+)`, 'g'))];
  if (hits.length === 0) {
    // Numbers inside arrays that count: /ByteRange, /W, /Index, /MediaBox.
    const arrays = [...text.matchAll(/\/(ByteRange|W|Index|MediaBox)\s*\[([^\]]*)\]/g)];
    if (arrays.length === 0) return undefined;
    const a = rng.pick(arrays);
    const nums = [...a[2]!.matchAll(/-?\d+/g)];
    if (nums.length === 0) return undefined;
    const n = rng.pick(nums);
    const s = a.index! + a[0].indexOf('[') + 1 + n.index!;
    return splice(b, s, s + n[0].length, rng.pick(HUGE_NUMBERS));
  }
  const h = rng.pick(hits);
  const s = h.index! + h[0].length - h[1]!.length;
  return splice(b, s, s + h[1]!.length, rng.pick(HUGE_NUMBERS));
};

const duplicateObject: Mutator = (b, text, rng) => {
  const objs = objects(text).filter((o) => o.end < text.length);
  if (objs.length === 0) return undefined;
  const o = rng.pick(objs);
  const def = text.slice(o.at, o.end + 6);
  switch (rng.int(4)) {
    case 0: {
      // A second, different definition of the same object, later in the file.
      const body = rng.pick(['null', '<< >>', '[1 0 R]', '<< /Type /Pages /Kids [] /Count 0 >>', '<< /Type /Catalog >>', '(x)']);
      const dup = `${o.num} ${o.gen} obj\n${body}\nendobj\n`;
      const at = rng.chance(0.5) ? o.end + 6 : rng.pick(objs).at;
      return splice(b, at, at, '\n' + dup);
    }
    case 1: {
      // Another object renumbered to this one's number, same length where possible.
      const other = rng.pick(objs);
      const head = `${o.num} ${o.gen} obj`;
      const oldHead = text.slice(other.at, other.bodyAt);
      return splice(b, other.at, other.bodyAt, head.length <= oldHead.length ? head.padEnd(oldHead.length, ' ') : head);
    }
    case 2:
      return splice(b, o.end + 6, o.end + 6, '\n' + def.repeat(rng.pick([1, 2, 50])));
    default: {
      // Two objects overlapping: a header pasted inside another object's body.
      const other = rng.pick(objs);
      const at = other.bodyAt + rng.int(Math.max(1, other.end - other.bodyAt));
      return splice(b, at, at, `\n${o.num} ${o.gen} obj\n`);
    }
  }
};

const brokenObject: Mutator = (b, text, rng) => {
  const objs = objects(text);
  if (objs.length === 0) return undefined;
  const o = rng.pick(objs);
  switch (rng.int(5)) {
    case 0:
      return o.end < text.length ? splice(b, o.end, o.end + 6, '') : undefined;
    case 1:
      return splice(b, o.bodyAt - 3, o.bodyAt, rng.pick(['', 'ob', 'OBJ', 'objx']));
    case 2: {
      const cut = o.bodyAt + rng.int(Math.max(1, o.end - o.bodyAt));
      return splice(b, cut, o.end, '');
    }
    case 3:
      return splice(b, o.at, o.at + String(o.num).length, rng.pick(['-1', 'x', '99999999999', '0', String(o.num + 1)]));
    default: {
      const kw = text.indexOf('stream', o.bodyAt);
      if (kw < 0 || kw > o.end) return splice(b, o.bodyAt, o.end, ' << /Length 5 >> ');
      return splice(b, kw, kw + 6, rng.pick(['', 'strem', 'stream stream']));
    }
  }
};

const signature: Mutator = (b, text, rng) => {
  const brs = [...text.matchAll(/\/ByteRange\s*\[([^\]]*)\]/g)];
  const contents = [...text.matchAll(/\/Contents\s*<([0-9A-Fa-f\s]*)>/g)];
  if (brs.length === 0 && contents.length === 0) return undefined;
  if (brs.length > 0 && (contents.length === 0 || rng.chance(0.5))) {
    const br = rng.pick(brs);
    const nums = [...br[1]!.matchAll(/-?\d+/g)];
    if (nums.length === 0) return undefined;
    const n = rng.pick(nums);
    const s = br.index! + br[0].indexOf('[') + 1 + n.index!;
    const v = rng.pick([String(Number(n[0]) + rng.range(-3, 3)), '0', String(b.length), String(b.length * 2), '-1', '2147483648']);
    return splice(b, s, s + n[0].length, v.length <= n[0].length ? v.padStart(n[0].length, '0') : v);
  }
  const c = rng.pick(contents);
  const s = c.index! + c[0].indexOf('<') + 1;
  const len = c[1]!.length;
  const out = Uint8Array.from(b);
  switch (rng.int(3)) {
    case 0:
      for (let k = rng.range(1, 6); k > 0; k--) out[s + rng.int(Math.max(1, Math.min(len, 4000)))] = rng.pick([0x30, 0x46, 0x61, 0x7a, 0x20]);
      return out;
    case 1:
      return splice(b, s, s + len, '0'.repeat(len));
    default: {
      // A DER length field claiming more than there is.
      return splice(b, s, s + 8, rng.pick(['3084FFFF', '3080FFFF', '30830FFF', '308FFFFF']));
    }
  }
};

const byteLevel: Mutator = (b, _text, rng) => {
  const [muts] = fc.sample(mutationsArb, { seed: rng.u32() | 0, numRuns: 1 });
  return applyMutations(b, muts!);
};

export const MUTATORS: Record<string, Mutator> = {
  'xref-offset': xrefOffset,
  'xref-kind': xrefKind,
  'xref-stream-rows': xrefStreamRows,
  'xref-stream-dict': xrefStreamDict,
  'object-stream': objStm,
  filters,
  nesting,
  'prev-cycle': prevCycle,
  'xrefstm-cycle': xrefStmCycle,
  'kids-cycle': kidsCycle,
  'huge-number': hugeNumber,
  'duplicate-object': duplicateObject,
  'broken-object': brokenObject,
  signature,
  'byte-level': byteLevel,
};

/** Relative weights: structure-aware first, byte-level as a quarter of the draws. */
const WEIGHTS: [string, number][] = [
  ['xref-offset', 6], ['xref-kind', 5], ['xref-stream-rows', 7], ['xref-stream-dict', 5], ['object-stream', 8], ['filters', 7], ['nesting', 4],
  ['prev-cycle', 4], ['xrefstm-cycle', 2], ['kids-cycle', 6], ['huge-number', 7], ['duplicate-object', 6], ['broken-object', 6], ['signature', 6],
  ['byte-level', 25],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((n, [, w]) => n + w, 0);

function drawMutator(rng: Rng, structuralOnly: boolean): string {
  for (;;) {
    let x = rng.int(TOTAL_WEIGHT);
    for (const [name, w] of WEIGHTS) {
      if (x < w) {
        if (structuralOnly && name === 'byte-level') break;
        return name;
      }
      x -= w;
    }
  }
}

export interface MutatedCase {
  bytes: Uint8Array;
  /** The mutators that changed the file, in order ("+reindex" when the file was re-indexed after). */
  mutators: string[];
}

/**
 * 1 to 3 mutations, each trying other mutators when one does not apply to
 * this file (a classic-table mutator on an xref-stream file, say).
 */
export function mutate(seed: Uint8Array, rng: Rng, options: { structuralOnly?: boolean } = {}): MutatedCase {
  let b = seed;
  const names: string[] = [];
  const count = rng.chance(0.6) ? 1 : rng.range(2, 3);
  for (let i = 0; i < count; i++) {
    for (let tries = 0; tries < 8; tries++) {
      const name = drawMutator(rng, options.structuralOnly === true);
      const out = MUTATORS[name]!(b, latin1(b), rng);
      if (out && out !== b) {
        b = out;
        names.push(name);
        break;
      }
    }
  }
  if (names.length > 0 && names.some((n) => n !== 'byte-level') && rng.chance(0.4)) {
    b = reindex(b);
    names.push('+reindex');
  }
  return { bytes: b, mutators: names };
}
