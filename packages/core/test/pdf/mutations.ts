/**
 * Structure-aware mutations of PDF bytes for the fuzz test. Every mutation
 * is a plain, serialisable description (so fast-check can print and shrink
 * it) applied deterministically by `applyMutations`. Positions are biased
 * toward the places a PDF reader trusts most: the cross-reference/trailer
 * region at the end of the file and the "n g obj" headers.
 */
import fc from 'fast-check';

/** Where a position is taken: the last ~1.5 KB, near an object header, or anywhere. */
export type Region = 'tail' | 'header' | 'any';
export interface Pos {
  region: Region;
  r: number;
}

export type Mutation =
  | { t: 'flip'; at: Pos; bit: number }
  | { t: 'overwrite'; at: Pos; bytes: number[] }
  | { t: 'truncate'; at: Pos }
  | { t: 'insert'; at: Pos; bytes: number[] }
  | { t: 'delete'; at: Pos; len: number }
  | { t: 'duplicate'; from: Pos; len: number; to: Pos }
  | { t: 'digits'; at: Pos; value: string }
  | { t: 'huge'; at: Pos; value: string }
  | { t: 'token'; at: Pos; token: string; mode: 'insert' | 'replace' | 'remove' }
  | { t: 'nest'; at: Pos; open: string; depth: number; close: boolean }
  | { t: 'lengthBeyondEof'; which: number; extra: number }
  | { t: 'prevLoop'; mode: 'self' | 'any' | 'append1' | 'append2'; which: number };

export const TOKENS = [
  'obj', 'endobj', 'stream', 'endstream', '>>', '<<', '[', ']', 'xref', 'trailer', 'startxref', 'R', '%%EOF',
  '/Prev', '/XRefStm', '/Length', '/Type/ObjStm', '/Type /XRef', '/Size', '/Root', '/Encrypt', 'null', '(', ')', '%', '\n', '0 0 R',
] as const;

/** Numbers that break arithmetic: beyond 2^53, beyond 2^32, negative, real, exponent, NaN-ish. */
export const HUGE = [
  '99999999999999999999', '999999999999999', '9007199254740993', '4294967296', '2147483648', '1e308', '-1', '-2147483649', '0',
  '3.5', '.', '-', '00000000000000000000000000000001', '1' + '0'.repeat(400),
] as const;

const pos: fc.Arbitrary<Pos> = fc.record({ region: fc.constantFrom<Region>('tail', 'tail', 'header', 'any'), r: fc.nat() });
const bytes = (max: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: max });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ t: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ t: fc.constant('overwrite' as const), at: pos, bytes: bytes(8) }),
  fc.record({ t: fc.constant('truncate' as const), at: pos }),
  fc.record({ t: fc.constant('insert' as const), at: pos, bytes: bytes(48) }),
  fc.record({ t: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 600 }) }),
  fc.record({ t: fc.constant('duplicate' as const), from: pos, len: fc.integer({ min: 1, max: 3000 }), to: pos }),
  fc.record({ t: fc.constant('digits' as const), at: pos, value: fc.stringMatching(/^[0-9]{1,11}$/) }),
  fc.record({ t: fc.constant('huge' as const), at: pos, value: fc.constantFrom(...HUGE) }),
  fc.record({ t: fc.constant('token' as const), at: pos, token: fc.constantFrom(...TOKENS), mode: fc.constantFrom('insert' as const, 'replace' as const, 'remove' as const) }),
  fc.record({
    t: fc.constant('nest' as const),
    at: pos,
    open: fc.constantFrom('[', '<<', '<</K ', '[<<', '('),
    depth: fc.oneof(fc.integer({ min: 200, max: 400 }), fc.integer({ min: 1_000, max: 150_000 })),
    close: fc.boolean(),
  }),
  fc.record({ t: fc.constant('lengthBeyondEof' as const), which: fc.nat(), extra: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.nat()) }),
  fc.record({ t: fc.constant('prevLoop' as const), mode: fc.constantFrom('self' as const, 'any' as const, 'append1' as const, 'append2' as const), which: fc.nat() }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const enc = (s: string): Buffer => Buffer.from(s, 'latin1');

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function headers(text: string): number[] {
  const out: number[] = [];
  // Anchored at the start of a digit run: unanchored, the long hex runs of a
  // signature's /Contents made this regex quadratic (seconds per mutation).
  const re = /(?<!\d)\d+\s+\d+\s+obj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

/** A byte position in [0, len) (or len when `inclusive`), per the region. */
function place(b: Uint8Array, text: string, p: Pos, inclusive = false): number {
  const len = b.length + (inclusive ? 1 : 0);
  if (len <= 0) return 0;
  if (p.region === 'tail') return Math.max(0, len - 1 - (p.r % Math.min(len, 1500)));
  if (p.region === 'header') {
    const h = headers(text);
    if (h.length > 0) {
      const at = h[p.r % h.length]! + ((p.r >>> 8) % 28) - 4;
      return Math.min(len - 1, Math.max(0, at));
    }
  }
  return p.r % len;
}

/** The run of ASCII digits at or after `from` (wrapping around), if any. */
function digitRunNear(text: string, from: number): [number, number] | undefined {
  const re = /\d+/g;
  re.lastIndex = from;
  let m = re.exec(text);
  if (!m) {
    re.lastIndex = 0;
    m = re.exec(text);
  }
  if (!m) return undefined;
  // Start of the run even if `from` fell in its middle.
  let s = m.index;
  while (s > 0 && text.charCodeAt(s - 1) >= 0x30 && text.charCodeAt(s - 1) <= 0x39) s--;
  return [s, m.index + m[0].length];
}

function replaceRange(b: Uint8Array, s: number, e: number, with_: Uint8Array): Uint8Array {
  return concat(b.subarray(0, s), with_, b.subarray(e));
}

function allMatches(text: string, re: RegExp): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const g = new RegExp(re.source, 'g');
  for (let m = g.exec(text); m; m = g.exec(text)) {
    out.push(m);
    if (m[0].length === 0) g.lastIndex++;
  }
  return out;
}

/** Sets (or adds) /Prev in the dictionary that starts at the first "<<" at or after `sectionAt`. */
function setPrev(b: Uint8Array, text: string, sectionAt: number, prev: number): Uint8Array {
  const dictAt = text.indexOf('<<', sectionAt);
  if (dictAt < 0) return b;
  const dictEnd = text.indexOf('>>', dictAt);
  const existing = /\/Prev\s+(\d+)/.exec(text.slice(dictAt, dictEnd < 0 ? undefined : dictEnd));
  if (existing) {
    const s = dictAt + existing.index + existing[0].length - existing[1]!.length;
    return replaceRange(b, s, s + existing[1]!.length, enc(String(prev)));
  }
  return replaceRange(b, dictAt + 2, dictAt + 2, enc(`/Prev ${prev} `));
}

function applyOne(b: Uint8Array, m: Mutation): Uint8Array {
  if (b.length === 0) return b;
  const text = latin1(b);
  switch (m.t) {
    case 'flip': {
      const i = place(b, text, m.at);
      const out = Uint8Array.from(b);
      out[i] = out[i]! ^ (1 << m.bit);
      return out;
    }
    case 'overwrite': {
      const i = place(b, text, m.at);
      const out = Uint8Array.from(b);
      m.bytes.forEach((v, k) => {
        if (i + k < out.length) out[i + k] = v;
      });
      return out;
    }
    case 'truncate':
      return b.subarray(0, place(b, text, m.at));
    case 'insert': {
      const i = place(b, text, m.at, true);
      return replaceRange(b, i, i, Uint8Array.from(m.bytes));
    }
    case 'delete': {
      const i = place(b, text, m.at);
      return replaceRange(b, i, Math.min(b.length, i + m.len), new Uint8Array(0));
    }
    case 'duplicate': {
      const s = place(b, text, m.from);
      const span = b.subarray(s, Math.min(b.length, s + m.len));
      const to = place(b, text, m.to, true);
      return replaceRange(b, to, to, Uint8Array.from(span));
    }
    case 'digits':
    case 'huge': {
      const run = digitRunNear(text, place(b, text, m.at));
      if (!run) return b;
      let value = m.value;
      // 'digits' keeps the width when it can, as an off-by-some offset would.
      if (m.t === 'digits' && value.length < run[1] - run[0]) value = value.padStart(run[1] - run[0], '0');
      return replaceRange(b, run[0], run[1], enc(value));
    }
    case 'token': {
      const i = place(b, text, m.at, true);
      if (m.mode === 'insert') return replaceRange(b, i, i, enc(` ${m.token} `));
      // Replace or remove the next occurrence of some structural token.
      const victim = TOKENS[m.at.r % TOKENS.length]!;
      let at = text.indexOf(victim, Math.min(i, text.length));
      if (at < 0) at = text.indexOf(victim);
      if (at < 0) return b;
      return replaceRange(b, at, at + victim.length, enc(m.mode === 'replace' ? m.token : ''));
    }
    case 'nest': {
      const i = place(b, text, m.at, true);
      const closer = m.open === '(' ? ')' : m.open === '[' ? ']' : m.open === '[<<' ? '>>]' : m.open === '<<' ? '>>' : '>>';
      const open = m.open === '<<' ? '<</K ' : m.open;
      const s = open.repeat(m.depth) + (m.close ? closer.repeat(m.depth) : '');
      return replaceRange(b, i, i, enc(s));
    }
    case 'lengthBeyondEof': {
      const all = allMatches(text, /\/Length\s+(\d+)/);
      if (all.length === 0) return b;
      const hit = all[m.which % all.length]!;
      const s = hit.index + hit[0].length - hit[1]!.length;
      return replaceRange(b, s, s + hit[1]!.length, enc(String(b.length + m.extra)));
    }
    case 'prevLoop': {
      const sx = allMatches(text, /startxref\s+(\d+)/);
      if (sx.length === 0) return b;
      const last = Number(sx[sx.length - 1]![1]);
      if (m.mode === 'self') return setPrev(b, text, last, last);
      if (m.mode === 'any') {
        // Point some older section's /Prev at the newest one: a loop through the chain.
        const target = Number(sx[m.which % sx.length]![1]);
        return setPrev(b, text, target, last);
      }
      // Append one update (or two) whose /Prev chain loops on itself.
      const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(text.slice(Math.max(0, last - 64)))?.[1] ?? /\/Root\s+(\d+\s+\d+\s+R)/.exec(text)?.[1] ?? '1 0 R';
      const size = Number(/\/Size\s+(\d+)/.exec(text.slice(Math.max(0, last - 64)))?.[1] ?? 1);
      let out = b;
      const eol = b[b.length - 1] === 0x0a ? '' : '\n';
      const a = out.length + eol.length;
      if (m.mode === 'append1') {
        return concat(out, enc(`${eol}xref\n0 0\ntrailer\n<< /Size ${size} /Root ${root} /Prev ${a} >>\nstartxref\n${a}\n%%EOF\n`));
      }
      // A -> B -> A, B the newest.
      const aText = `${eol}xref\n0 0\ntrailer\n<< /Size ${size} /Root ${root} /Prev 0000000000 >>\nstartxref\n${a}\n%%EOF\n`;
      const bAt = a + aText.length - eol.length;
      out = concat(out, enc(aText.replace('0000000000', String(bAt).padStart(10, '0'))));
      return concat(out, enc(`xref\n0 0\ntrailer\n<< /Size ${size} /Root ${root} /Prev ${a} >>\nstartxref\n${bAt}\n%%EOF\n`));
    }
  }
}

/** Applies the mutations in order; never throws (a bug here would be the test's, not kyso's). */
export function applyMutations(seed: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b = seed;
  for (const m of muts) b = applyOne(b, m);
  return b;
}
