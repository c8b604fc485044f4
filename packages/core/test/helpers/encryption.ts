/**
 * Encrypted PDFs for the tests, made by qpdf (never by kyso's own
 * security handler), and the tools that judge them: qpdf --decrypt and
 * pdftotext.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { tempDir } from './fixtures.js';

/** The standard security handler's revisions and algorithms qpdf writes. */
export interface Variant {
  name: string;
  revision: number;
  /** What EncryptionInfo reports for streams and strings. */
  cipher: 'RC4-40' | 'RC4-128' | 'AES-128' | 'AES-256';
  /** qpdf's key length argument and the options after it. */
  bits: '40' | '128' | '256';
  options: string[];
  /** RC4 is refused by qpdf 11 unless asked for. */
  weak?: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'R2 RC4 40-bit', revision: 2, cipher: 'RC4-40', bits: '40', options: [], weak: true },
  { name: 'R3 RC4 128-bit', revision: 3, cipher: 'RC4-128', bits: '128', options: ['--use-aes=n'], weak: true },
  { name: 'R4 AES-128', revision: 4, cipher: 'AES-128', bits: '128', options: ['--use-aes=y'] },
  { name: 'R5 AES-256 (deprecated, --force-R5)', revision: 5, cipher: 'AES-256', bits: '256', options: ['--force-R5'] },
  { name: 'R6 AES-256', revision: 6, cipher: 'AES-256', bits: '256', options: [] },
];

export const OWNER_PASSWORD = 'chu-so-huu-OWNER';
export const USER_PASSWORD = 'người-dùng-USER';

export interface EncryptOptions {
  user?: string;
  owner?: string;
  /** qpdf restriction flags, after the key length (--modify=none, --form=n, ...). */
  restrictions?: string[];
  /** qpdf options before --encrypt (--object-streams=generate, ...). */
  before?: string[];
}

/** `qpdf --encrypt USER OWNER BITS [restrictions] -- in out`. */
export function qpdfEncrypt(pdf: Uint8Array, v: Variant, o: EncryptOptions = {}): Buffer {
  const dir = tempDir('kyso-enc-');
  writeFileSync(join(dir, 'in.pdf'), pdf);
  const args = [...(v.weak ? ['--allow-weak-crypto'] : []), ...(o.before ?? []), '--encrypt', o.user ?? '', o.owner ?? OWNER_PASSWORD, v.bits, ...v.options, ...(o.restrictions ?? []), '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')];
  const r = spawnSync('qpdf', args, { encoding: 'utf8' });
  // 3: warnings only.
  if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf ${args.join(' ')}: ${r.stderr}`);
  return readFileSync(join(dir, 'out.pdf'));
}

/** qpdf --decrypt with the password: the document as it reads, without its protection. */
export function qpdfDecrypt(pdf: Uint8Array, password: string): Buffer {
  const dir = tempDir('kyso-dec-');
  writeFileSync(join(dir, 'in.pdf'), pdf);
  const r = spawnSync('qpdf', ['--decrypt', `--password=${password}`, join(dir, 'in.pdf'), join(dir, 'out.pdf')], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 3) throw new Error(`qpdf --decrypt: ${r.stderr}`);
  return readFileSync(join(dir, 'out.pdf'));
}

/** The text of each page, by pdftotext (pages end with a form feed). */
export function pageTexts(pdf: Uint8Array): string[] {
  const dir = tempDir('kyso-txt-');
  writeFileSync(join(dir, 'in.pdf'), pdf);
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' });
  const pages = text.split('\f');
  if (pages[pages.length - 1] === '') pages.pop();
  return pages;
}

export const XMP = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>kyso metadata in clear</dc:title></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

/** A pdf-lib document with pages of text and an (uncompressed) XMP metadata stream. */
export async function pdfWithMetadata(pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('kyso test document');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) doc.addPage([595.28, 841.89]).drawText(`Trang ${i + 1}: ban sao dung voi ban chinh`, { x: 50, y: 780, size: 12, font });
  const xmp = doc.context.stream(XMP, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  return doc.save({ useObjectStreams: false });
}

/** Replaces `from` by `to` padded with spaces to the same length, so that no offset moves. */
export function patchInPlace(pdf: Uint8Array, from: RegExp, to: (match: string) => string): Buffer {
  const text = Buffer.from(pdf).toString('latin1');
  const m = from.exec(text);
  if (!m) throw new Error(`${from} is not in the file`);
  const replacement = to(m[0]);
  if (replacement.length > m[0].length) throw new Error('the replacement is longer than what it replaces');
  return Buffer.from(text.slice(0, m.index) + replacement.padEnd(m[0].length, ' ') + text.slice(m.index + m[0].length), 'latin1');
}
