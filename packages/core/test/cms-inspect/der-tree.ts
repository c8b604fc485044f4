/**
 * Test-only DER surgery: a minimal tree decoder/encoder used to build crafted
 * CMS variants (two SignerInfos, duplicated attributes, a sid by key
 * identifier, indefinite lengths). Independent of the code under test.
 */
export interface T {
  /** Identifier octets (single byte: low tag numbers only, enough for CMS). */
  tag: number;
  children?: T[];
  content?: Uint8Array;
  /** Encode with an indefinite length (constructed only). */
  indefinite?: boolean;
}

export function decode(b: Uint8Array): T {
  const [t, end] = decodeAt(b, 0);
  if (end > b.length) throw new Error('truncated');
  return t;
}

function decodeAt(b: Uint8Array, at: number): [T, number] {
  const tag = b[at]!;
  let p = at + 1;
  let len = b[p++]!;
  let indefinite = false;
  if (len === 0x80) indefinite = true;
  else if (len > 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if ((tag & 0x20) === 0) return [{ tag, content: b.subarray(p, p + len) }, p + len];
  const children: T[] = [];
  if (indefinite) {
    while (!(b[p] === 0 && b[p + 1] === 0)) {
      const [c, e] = decodeAt(b, p);
      children.push(c);
      p = e;
    }
    return [{ tag, children, indefinite: true }, p + 2];
  }
  const end = p + len;
  while (p < end) {
    const [c, e] = decodeAt(b, p);
    children.push(c);
    p = e;
  }
  return [{ tag, children }, end];
}

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function encode(t: T): Buffer {
  if (!t.children) return Buffer.concat([Buffer.from([t.tag, ...lengthOctets(t.content!.length)]), Buffer.from(t.content!)]);
  const body = Buffer.concat(t.children.map(encode));
  if (t.indefinite) return Buffer.concat([Buffer.from([t.tag, 0x80]), body, Buffer.from([0, 0])]);
  return Buffer.concat([Buffer.from([t.tag, ...lengthOctets(body.length)]), body]);
}

/** Path helper: child indexes from the root. */
export function at(t: T, ...path: number[]): T {
  let n = t;
  for (const i of path) n = n.children![i]!;
  return n;
}

export function clone(t: T): T {
  return decode(encode(t));
}

/** ContentInfo -> [0] -> SignedData */
export function signedDataOf(ci: T): T {
  return at(ci, 1, 0);
}

/** The single SignerInfo of a ContentInfo. */
export function signerInfoOf(ci: T): T {
  const sd = signedDataOf(ci);
  return at(sd.children![sd.children!.length - 1]!, 0);
}
