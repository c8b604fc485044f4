/**
 * What the two X.501 Name readers share: the CMS inspector's
 * (`cms/inspect/names.ts`: sid issuers, ESS IssuerSerial, TSA names) and the
 * trust layer's (`trust/distinguished-name.ts`: subjects and issuers for chain
 * building and signer identity). Each reader walks asn1js blocks through its
 * own accessors, with its own error policy (KysoError CMS_MALFORMED there,
 * plain Error in trust), so this module takes only OIDs and content octets.
 *
 * Lives in `cms/` because `trust/` may import from `cms/` and not the reverse;
 * it imports nothing, so the inspector stays independent of the signing builder.
 */

/** Universal tags of the string types that occur in Names. */
export const STRING_TAG = {
  utf8String: 12,
  numericString: 18,
  printableString: 19,
  teletexString: 20,
  videotexString: 21,
  ia5String: 22,
  graphicString: 25,
  visibleString: 26,
  generalString: 27,
  universalString: 28,
  bmpString: 30,
} as const;

export const OID_ORGANIZATION_IDENTIFIER = '2.5.4.97';

/**
 * Attribute types that both readers render by the same short name (RFC 4514
 * section 3 and the usual X.520 abbreviations). UID carries the `MST:`, `MNS:`,
 * `CCCD:`... identifiers of Vietnamese (BCY) certificates, so it must never
 * fall back to its dotted OID. Each reader adds its own entries on top:
 * organizationIdentifier is spelled differently in the two renderings.
 */
export const NAME_SHORT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
});

/** BMPString content (UTF-16BE); a trailing odd byte is dropped. */
export function decodeBmpString(content: Uint8Array): string {
  const n = content.length - (content.length % 2);
  const swapped = Buffer.alloc(n);
  for (let i = 0; i < n; i += 2) {
    swapped[i] = content[i + 1] ?? 0;
    swapped[i + 1] = content[i] ?? 0;
  }
  return swapped.toString('utf16le');
}

/** UniversalString content (UTF-32BE); code points outside Unicode become U+FFFD, trailing bytes are dropped. */
export function decodeUniversalString(content: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 3 < content.length; i += 4) {
    const cp = ((content[i] ?? 0) << 24) | ((content[i + 1] ?? 0) << 16) | ((content[i + 2] ?? 0) << 8) | (content[i + 3] ?? 0);
    s += cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  }
  return s;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * 8-bit string content: UTF-8 when it is valid UTF-8, latin1 otherwise.
 * Some issuers put UTF-8 into PrintableString or TeletexString, so the tag
 * alone does not say which; T.61 itself is not decoded (latin1 is the
 * fallback).
 */
export function decodeUtf8OrLatin1(content: Uint8Array): string {
  try {
    return utf8Fatal.decode(content);
  } catch {
    return Buffer.from(content).toString('latin1');
  }
}
