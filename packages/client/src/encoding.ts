/**
 * Text and bytes as they travel: base64 for the JSON bodies of two-step
 * signing, percent-encoded UTF-8 for the X-Kyso-* and X-Pdf-Password
 * headers. Browser and Node alike (atob/btoa, no Buffer).
 */

const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const s = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A header value as the service reads it: percent-encoded UTF-8. */
export function encodeHeader(value: string): string {
  return encodeURIComponent(value);
}

/** A header value the service may have percent-encoded (non-ASCII text); one that is not valid percent-encoding is taken as it is. */
export function decodeHeader(value: string | null): string | undefined {
  if (value === null) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
