/**
 * RC4 (ISO 32000-1 §7.6.2, the cipher of security handler revisions 2-4
 * and of crypt filters with /CFM /V2). Written here because OpenSSL 3's
 * default provider no longer offers it (`crypto.getCiphers()` has no rc4).
 * Symmetric: the same call encrypts and decrypts.
 */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  const n = key.length;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % n]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
