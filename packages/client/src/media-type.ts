/** The media type of a scan or a PDF, from its first bytes: what /v1/certified-copies takes. */
export function mediaTypeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  // A PDF may have bytes before its header (the service looks in the first 1024).
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'application/pdf';
  return 'application/octet-stream';
}
