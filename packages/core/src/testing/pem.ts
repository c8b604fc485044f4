/** PEM armour for the TEST PKI files (RFC 7468 "strict" form: 64-column base64). */

export type PemLabel = 'CERTIFICATE' | 'PRIVATE KEY' | 'X509 CRL' | (string & {});

/** Wraps DER bytes in a PEM block with the given label (default CERTIFICATE). */
export function toPem(der: Uint8Array | ArrayBuffer, label: PemLabel = 'CERTIFICATE'): string {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Every PEM block with the given label, decoded, in file order. */
export function pemBlocks(text: string, label: PemLabel = 'CERTIFICATE'): Uint8Array[] {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`-----BEGIN ${escaped}-----([\\s\\S]*?)-----END ${escaped}-----`, 'g');
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(re)) {
    out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
  }
  return out;
}
