/**
 * Wrappers around tools we did not write (poppler's pdfsig, mupdf's mutool,
 * qpdf, openssl). They judge our output; nothing here uses kyso's parser.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PdfsigSignature {
  field: string | undefined;
  commonName: string | undefined;
  subFilter: string | undefined;
  signatureValid: boolean;
  signatureText: string;
  certificateTrusted: boolean;
  certificateText: string;
  totalDocumentSigned: boolean;
}

/**
 * pdfsig exits 0 even for broken signatures, so its text is parsed.
 * -no-ocsp: tests run offline; without it pdfsig reports "Unknown issue"
 * whenever a certificate's OCSP URL does not answer. `userPassword` opens
 * a file encrypted with one (-upw).
 */
export function pdfsig(file: string, nssDir?: string, userPassword?: string): PdfsigSignature[] {
  const args = [...(nssDir ? ['-no-ocsp', '-nssdir', `sql:${nssDir}`] : ['-no-ocsp']), ...(userPassword !== undefined ? ['-upw', userPassword] : []), file];
  const r = spawnSync('pdfsig', args, { encoding: 'utf8' });
  const text = `${r.stdout}\n${r.stderr}`;
  const blocks = text.split(/^Signature #\d+:/m).slice(1);
  return blocks.map((b) => {
    const get = (label: string): string | undefined => b.match(new RegExp(`- ${label}: (.*)`))?.[1]?.trim();
    const sig = get('Signature Validation') ?? '';
    const cert = get('Certificate Validation') ?? '';
    return {
      field: get('Signature Field Name'),
      commonName: get('Signer Certificate Common Name'),
      subFilter: get('Signature Type'),
      signatureValid: sig === 'Signature is Valid.',
      signatureText: sig,
      certificateTrusted: cert === 'Certificate is Trusted.',
      certificateText: cert,
      totalDocumentSigned: /- Total document signed/.test(b),
    };
  });
}

/** mutool sign -v: does it say the last signature's document is unchanged? */
export function mutoolVerify(file: string): { text: string; unchangedCount: number; signatureCount: number } {
  const r = spawnSync('mutool', ['sign', '-v', file], { encoding: 'utf8' });
  const text = `${r.stdout}\n${r.stderr}`;
  return {
    text,
    unchangedCount: (text.match(/The document is unchanged since signing\./g) ?? []).length,
    signatureCount: (text.match(/^Verifying signature/gm) ?? []).length,
  };
}

/** qpdf --check: exit 0 means no errors (2 errors, 3 warnings only); an encrypted file is checked decrypted with `password`. */
export function qpdfCheck(file: string, password?: string): { ok: boolean; warningsOnly: boolean; text: string } {
  const r = spawnSync('qpdf', ['--check', ...(password !== undefined ? [`--password=${password}`] : []), file], { encoding: 'utf8' });
  return { ok: r.status === 0, warningsOnly: r.status === 3, text: `${r.stdout}\n${r.stderr}` };
}

export interface RawSignature {
  byteRange: [number, number, number, number];
  contents: Buffer;
}

/**
 * Finds /ByteRange and /Contents of every signature dictionary by scanning
 * the bytes with a regular expression: deliberately independent of kyso.
 */
export function scanSignatures(pdf: Buffer): RawSignature[] {
  const text = pdf.toString('latin1');
  const out: RawSignature[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const hex = text.slice(br[1] + 1, br[2] - 1);
    if (!/^[0-9a-fA-F]*$/.test(hex)) continue;
    out.push({ byteRange: br, contents: stripDerPadding(Buffer.from(hex, 'hex')) });
  }
  return out;
}

/** The CMS is zero-padded inside /Contents; cut it at the end of its outer DER TLV. */
function stripDerPadding(b: Buffer): Buffer {
  if (b[0] !== 0x30) return b;
  const l = b[1]!;
  if (l < 0x80) return b.subarray(0, 2 + l);
  const n = l & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return b.subarray(0, 2 + n + len);
}

/** openssl cms -verify over the byte ranges, with the given CA file (or -noverify for no chain check). */
export function opensslCmsVerify(pdf: Buffer, sig: RawSignature, caFile?: string): { ok: boolean; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-cms-'));
  const [a, b, c, d] = sig.byteRange;
  writeFileSync(join(dir, 'content.bin'), Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]));
  writeFileSync(join(dir, 'sig.der'), sig.contents);
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'), '-out', '/dev/null', '-purpose', 'any'];
  if (caFile) args.push('-CAfile', caFile);
  else args.push('-noverify');
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: r.status === 0 && /Verification successful/.test(r.stderr), text: `${r.stdout}${r.stderr}` };
}

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
