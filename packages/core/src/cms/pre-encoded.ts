import * as asn1js from 'asn1js';

/**
 * Bytes that asn1js itself encoded earlier (one or more complete TLVs), placed
 * unchanged inside a new asn1js structure. Lets a template encode its constant
 * parts once and wrap only the per-signature parts with asn1js on each call.
 *
 * asn1js' own RawData is not written by constructed parents (it ignores the
 * writer they pass), hence this small BaseBlock.
 */
export class PreEncoded extends asn1js.BaseBlock {
  private bytes: Uint8Array;

  constructor(der: Uint8Array = new Uint8Array(0)) {
    super();
    // Own copy (Uint8Array semantics; Buffer#slice would share a pooled buffer).
    this.bytes = new Uint8Array(der);
  }

  get byteLength(): number {
    return this.bytes.byteLength;
  }

  /**
   * Replace the bytes WITHOUT copying (for per-signature parts of a reused
   * tree): the caller must not change them before toBER() has run.
   */
  setView(der: Uint8Array): void {
    this.bytes = der;
  }

  override toBER(sizeOnly?: boolean, writer?: asn1js.ViewWriter): ArrayBuffer {
    if (writer) {
      // ViewWriter keeps an exactly-sized ArrayBuffer as is and copies views.
      const b = this.bytes;
      writer.write(b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b.buffer : b);
      return new ArrayBuffer(0);
    }
    return sizeOnly ? new ArrayBuffer(this.bytes.byteLength) : new Uint8Array(this.bytes).buffer;
  }
}

/** DER of an asn1js value as a Uint8Array. */
export function der(block: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(block.toBER(false));
}

/**
 * X.690 11.6 ordering of SET OF components: compare the encodings as octet
 * strings, the shorter one padded at its end with zero octets.
 */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  const rest = a.length > b.length ? a : b;
  for (let i = n; i < rest.length; i++) {
    if (rest[i] !== 0) return a.length > b.length ? 1 : -1;
  }
  return 0;
}

/** Sorted copy, for the components of a DER SET OF. */
export function sortSetOf(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareDer);
}

/** Parse one complete DER/BER TLV; null when it is not exactly one valid value. */
export function parseExact(bytes: Uint8Array): asn1js.AsnType | null {
  if (bytes.length === 0) return null;
  let r: ReturnType<typeof asn1js.fromBER>;
  try {
    r = asn1js.fromBER(bytes);
  } catch {
    // asn1js throws RangeError on some malformed lengths (a typed array of an odd size, a view past the end) instead of reporting them.
    return null;
  }
  if (r.offset === -1 || r.offset !== bytes.length) return null;
  return r.result;
}
