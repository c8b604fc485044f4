import { PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

/**
 * A growable byte buffer that serialises PDF objects and remembers where
 * marked placeholders (PdfRaw with a marker) landed.
 */
export class ByteWriter {
  private buf: Buffer;
  length = 0;
  readonly markers = new Map<string, number>();

  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  ascii(s: string): this {
    this.ensure(s.length);
    if (s.length > 32) {
      this.length += this.buf.write(s, this.length, 'latin1');
      return this;
    }
    // Most tokens are a few characters: a loop costs less than a call into Buffer#write.
    const out = this.buf;
    let n = this.length;
    for (let i = 0; i < s.length; i++) out[n++] = s.charCodeAt(i) & 0xff;
    this.length = n;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  toBytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  object(o: PdfObject): this {
    if (o === null) return this.ascii('null');
    if (o === true) return this.ascii('true');
    if (o === false) return this.ascii('false');
    if (typeof o === 'number') return this.ascii(formatNumber(o));
    if (o instanceof PdfName) return this.ascii(formatName(o.value));
    if (o instanceof PdfRef) return this.ascii(`${o.num} ${o.gen} R`);
    if (o instanceof PdfString) return o.hex ? this.ascii(`<${Buffer.from(o.bytes).toString('hex')}>`) : this.literal(o.bytes);
    if (o instanceof PdfRaw) {
      if (o.marker) this.markers.set(o.marker, this.length);
      return this.bytes(o.bytes);
    }
    if (Array.isArray(o)) {
      this.ascii('[');
      o.forEach((item, i) => {
        if (i > 0) this.ascii(' ');
        this.object(item);
      });
      return this.ascii(']');
    }
    if (o instanceof PdfStream) {
      const dict = o.dict.clone().set('Length', o.raw.length);
      this.object(dict).ascii('\nstream\n').bytes(o.raw).ascii('\nendstream');
      return this;
    }
    if (o instanceof PdfDict) {
      this.ascii('<<');
      for (const [k, v] of o.map) {
        this.ascii(formatName(k));
        if (!(v instanceof PdfName || v instanceof PdfDict || Array.isArray(v) || v instanceof PdfString)) this.ascii(' ');
        this.object(v);
      }
      return this.ascii('>>');
    }
    throw new TypeError('not a PDF object');
  }

  private literal(b: Uint8Array): this {
    this.ensure(b.length * 4 + 2);
    const out = this.buf;
    let n = this.length;
    out[n++] = 0x28;
    for (const c of b) {
      if (c === 0x28 || c === 0x29 || c === 0x5c) {
        out[n++] = 0x5c;
        out[n++] = c;
      } else if (c === 0x0d) {
        out[n++] = 0x5c;
        out[n++] = 0x72;
      } else if (c === 0x0a) {
        out[n++] = 0x5c;
        out[n++] = 0x6e;
      } else out[n++] = c;
    }
    out[n++] = 0x29;
    this.length = n;
    return this;
  }
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return '0';
  // Plain decimal, never exponent notation, at most 6 fractional digits.
  let s = n.toFixed(6);
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

const NAME_REGULAR = (() => {
  const t = new Uint8Array(256);
  for (let c = 0x21; c <= 0x7e; c++) t[c] = 1;
  for (const ch of '()<>[]{}/%#') t[ch.charCodeAt(0)] = 0;
  return t;
})();

export function formatName(value: string): string {
  let simple = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || NAME_REGULAR[c] !== 1) {
      simple = false;
      break;
    }
  }
  if (simple) return `/${value}`;
  let out = '/';
  for (const byte of Buffer.from(value, 'latin1')) {
    out += NAME_REGULAR[byte] === 1 ? String.fromCharCode(byte) : `#${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
