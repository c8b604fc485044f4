/**
 * The PDF object model, kept minimal: what the revision engine reads and
 * writes. Numbers are JS numbers; integers and reals are told apart only
 * when serialising (Number.isInteger).
 */
export type PdfObject =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfArray
  | PdfDict
  | PdfStream
  | PdfRaw;

export type PdfArray = PdfObject[];

export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  private constructor(readonly value: string) {}
  /** Names are interned so that `===` compares them. `value` has no leading slash, escapes decoded. */
  static of(value: string): PdfName {
    let n = PdfName.interned.get(value);
    if (!n) {
      n = new PdfName(value);
      if (PdfName.interned.size < 100_000) PdfName.interned.set(value, n);
    }
    return n;
  }
  toString(): string {
    return `/${this.value}`;
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
  equals(o: unknown): boolean {
    return o instanceof PdfRef && o.num === this.num && o.gen === this.gen;
  }
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    /** Written as <hex> rather than (literal). */
    readonly hex = false,
  ) {}

  /** A text string: PDFDocEncoding-safe ASCII stays literal, anything else becomes UTF-16BE with BOM. */
  static fromText(text: string): PdfString {
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09)) {
        ascii = false;
        break;
      }
    }
    if (ascii) return new PdfString(Buffer.from(text, 'latin1'));
    const utf16 = Buffer.alloc(2 + text.length * 2);
    utf16[0] = 0xfe;
    utf16[1] = 0xff;
    for (let i = 0; i < text.length; i++) utf16.writeUInt16BE(text.charCodeAt(i), 2 + i * 2);
    return new PdfString(utf16, true);
  }

  /** Decodes a text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding approximated by latin1). */
  toText(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      return Buffer.from(b.subarray(3)).toString('utf8');
    }
    return Buffer.from(b).toString('latin1');
  }
}

export class PdfDict {
  readonly map: Map<string, PdfObject>;
  constructor(entries?: Iterable<[string, PdfObject]>) {
    this.map = new Map(entries);
  }
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  set(key: string, value: PdfObject | undefined): this {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
    return this;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  get size(): number {
    return this.map.size;
  }
  /** A shallow copy: editing the copy never touches an object the reader cached. */
  clone(): PdfDict {
    return new PdfDict(this.map);
  }
  getName(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.value : undefined;
  }
  getNumber(key: string): number | undefined {
    const v = this.map.get(key);
    return typeof v === 'number' ? v : undefined;
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The stream's bytes as stored in the file (still encoded). */
    readonly raw: Uint8Array,
  ) {}
}

/**
 * Bytes written verbatim by the serialiser. Used for fixed-width
 * placeholders that are patched after the update is laid out.
 */
export class PdfRaw {
  constructor(
    readonly bytes: Uint8Array,
    /** A label the serialiser reports the absolute offset of. */
    readonly marker?: string,
  ) {}
}

export const isDict = (o: unknown): o is PdfDict => o instanceof PdfDict;
export const isRef = (o: unknown): o is PdfRef => o instanceof PdfRef;
export const isName = (o: unknown, value?: string): o is PdfName =>
  o instanceof PdfName && (value === undefined || o.value === value);
export const isStream = (o: unknown): o is PdfStream => o instanceof PdfStream;
export const isArray = (o: unknown): o is PdfArray => Array.isArray(o);
