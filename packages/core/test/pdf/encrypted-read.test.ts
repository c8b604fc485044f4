/**
 * Reading encrypted PDFs (standard security handler, revisions 2-6): files
 * encrypted by qpdf, read by kyso, compared with what qpdf --decrypt makes
 * of them. The bad inputs (wrong password, another security handler, a
 * damaged /Encrypt) each give their typed error.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KysoError } from '../../src/index.js';
import { PdfDict, PdfReader, PdfRef, PdfStream, PdfString } from '../../src/pdf/index.js';
import { encryptAdded, appendRaw, rawStream } from '../diff/attack-fixtures.js';
import { hasTool } from '../helpers/external-tools.js';
import { tempDir } from '../helpers/fixtures.js';
import { OWNER_PASSWORD, USER_PASSWORD, VARIANTS, XMP, patchInPlace, pdfWithMetadata, qpdfDecrypt, qpdfEncrypt } from '../helpers/encryption.js';

let plain: Uint8Array;

beforeAll(async () => {
  plain = await pdfWithMetadata(2);
});

function expectKysoError(fn: () => unknown, code: string): KysoError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a KysoError').toBeInstanceOf(KysoError);
  const k = thrown as KysoError;
  expect(k.code).toBe(code);
  expect(k.message.length).toBeGreaterThan(20);
  expect(k.messageVi.length).toBeGreaterThan(20);
  return k;
}

/** Page i's content, decoded: what a viewer draws. */
function pageContent(reader: PdfReader, i: number): Buffer {
  const page = reader.resolve(reader.pageRef(i)) as PdfDict;
  const contents = reader.resolve(page.get('Contents'));
  const streams = Array.isArray(contents) ? contents.map((c) => reader.resolve(c)) : [contents];
  return Buffer.concat(streams.map((s) => Buffer.from(reader.streamData(s as PdfStream))));
}

function title(reader: PdfReader): string | undefined {
  const info = reader.resolve(reader.trailer.get('Info'));
  const t = info instanceof PdfDict ? info.get('Title') : undefined;
  return t instanceof PdfString ? t.toText() : undefined;
}

function metadata(reader: PdfReader): PdfStream {
  return reader.resolve(reader.catalog().get('Metadata')) as PdfStream;
}

describe.each(VARIANTS)('$name (qpdf --encrypt)', (v) => {
  it('opens with the empty user password by default: strings and streams decrypted as qpdf decrypts them', () => {
    const enc = qpdfEncrypt(plain, v);
    const reader = PdfReader.open(enc);
    expect(reader.encryption).toMatchObject({ revision: v.revision, streams: v.cipher, strings: v.cipher, authenticatedAs: 'user', permissionsIntact: true, encryptMetadata: true });
    const clear = PdfReader.open(qpdfDecrypt(enc, ''));
    expect(clear.encrypted).toBe(false);
    expect(title(reader)).toBe('kyso test document');
    expect(title(reader)).toBe(title(clear));
    for (let i = 0; i < 2; i++) {
      const ours = pageContent(reader, i);
      expect(ours.toString('latin1')).toMatch(/Tj/);
      expect(ours.equals(pageContent(clear, i))).toBe(true);
    }
    expect(Buffer.from(reader.streamData(metadata(reader))).toString('utf8')).toBe(XMP);
  });

  it('with a user password: PDF_PASSWORD_REQUIRED without it, PDF_PASSWORD_WRONG with another, opened as user or owner with either', () => {
    const enc = qpdfEncrypt(plain, v, { user: USER_PASSWORD });
    expectKysoError(() => PdfReader.open(enc), 'PDF_PASSWORD_REQUIRED');
    expectKysoError(() => PdfReader.open(enc, { password: 'sai-mat-khau' }), 'PDF_PASSWORD_WRONG');
    // A different letter case is another password.
    expectKysoError(() => PdfReader.open(enc, { password: USER_PASSWORD.toUpperCase() }), 'PDF_PASSWORD_WRONG');
    const asUser = PdfReader.open(enc, { password: USER_PASSWORD });
    expect(asUser.encryption?.authenticatedAs).toBe('user');
    const asOwner = PdfReader.open(enc, { password: OWNER_PASSWORD });
    expect(asOwner.encryption?.authenticatedAs).toBe('owner');
    const clear = PdfReader.open(qpdfDecrypt(enc, USER_PASSWORD));
    for (const r of [asUser, asOwner]) {
      expect(title(r)).toBe('kyso test document');
      expect(pageContent(r, 1).equals(pageContent(clear, 1))).toBe(true);
    }
  });

  it('inside object streams (qpdf --object-streams=generate): the object stream is decrypted, the objects in it are not decrypted again', () => {
    const enc = qpdfEncrypt(plain, v, { user: USER_PASSWORD, before: ['--object-streams=generate'] });
    expect(enc.toString('latin1')).toMatch(/\/Type\s*\/ObjStm/);
    const reader = PdfReader.open(enc, { password: USER_PASSWORD });
    const clear = PdfReader.open(qpdfDecrypt(enc, USER_PASSWORD));
    expect(title(reader)).toBe('kyso test document');
    expect(reader.pageRefs()).toHaveLength(2);
    expect(pageContent(reader, 0).equals(pageContent(clear, 0))).toBe(true);
  });
});

describe.skipIf(!hasTool('mutool'))('passwords as another writer encodes them (mutool clean -E)', () => {
  it.each(['rc4-40', 'rc4-128', 'aes-128', 'aes-256'])('%s, a Latin-1 user password ("café"): PDFDocEncoding for revisions 2-4, UTF-8 for 6', (method) => {
    const dir = tempDir('kyso-mutool-');
    writeFileSync(join(dir, 'in.pdf'), plain);
    const r = spawnSync('mutool', ['clean', '-E', method, '-U', 'café', '-O', OWNER_PASSWORD, join(dir, 'in.pdf'), join(dir, 'enc.pdf')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const enc = readFileSync(join(dir, 'enc.pdf'));
    expectKysoError(() => PdfReader.open(enc, { password: 'cafe' }), 'PDF_PASSWORD_WRONG');
    const reader = PdfReader.open(enc, { password: 'café' });
    expect(reader.encryption?.authenticatedAs).toBe('user');
    expect(PdfReader.open(enc, { password: OWNER_PASSWORD }).encryption?.authenticatedAs).toBe('owner');
    expect(pageContent(reader, 1).equals(pageContent(PdfReader.open(qpdfDecrypt(enc, 'café')), 1))).toBe(true);
  });
});

describe('unencrypted metadata, crypt filters and /Identity', () => {
  it.each(VARIANTS.filter((v) => v.revision >= 4))('$name with --cleartext-metadata: /EncryptMetadata false, the XMP stream in clear, the rest encrypted', (v) => {
    const enc = qpdfEncrypt(plain, v, { user: USER_PASSWORD, restrictions: ['--cleartext-metadata'] });
    // In clear in the file's bytes: any tool finds the XMP without the password.
    expect(enc.toString('latin1')).toContain('kyso metadata in clear');
    const reader = PdfReader.open(enc, { password: USER_PASSWORD });
    expect(reader.encryption?.encryptMetadata).toBe(false);
    expect(Buffer.from(metadata(reader).raw).toString('utf8')).toBe(XMP);
    expect(title(reader)).toBe('kyso test document');
    expect(pageContent(reader, 0).equals(pageContent(PdfReader.open(qpdfDecrypt(enc, USER_PASSWORD)), 0))).toBe(true);
  });

  it('/StrF /Identity: strings are read as they are stored, streams decrypted (as qpdf reads them)', () => {
    const v = VARIANTS.find((x) => x.revision === 4)!;
    // Same length, so no offset moves; /StrF is not part of the key.
    const enc = patchInPlace(qpdfEncrypt(plain, v), /\/StmF \/StdCF \/StrF \/StdCF/, () => '/StmF/StdCF/StrF/Identity');
    const reader = PdfReader.open(enc);
    expect(reader.encryption).toMatchObject({ streams: 'AES-128', strings: 'none' });
    const clear = PdfReader.open(qpdfDecrypt(enc, ''));
    const stored = (r: PdfReader): Buffer => Buffer.from(((r.resolve(r.trailer.get('Info')) as PdfDict).get('Title') as PdfString).bytes);
    // The title qpdf encrypted is now taken as it is stored, by both readers.
    expect(stored(reader).equals(stored(clear))).toBe(true);
    expect(title(reader)).not.toBe('kyso test document');
    expect(pageContent(reader, 0).equals(pageContent(clear, 0))).toBe(true);
  });

  it('/StmF and /StrF /Identity (a handler whose filters encrypt nothing): opened, everything read in clear', async () => {
    const fx = await encryptAdded();
    const reader = PdfReader.open(fx.pdf);
    expect(reader.encryption).toMatchObject({ revision: 4, streams: 'none', strings: 'none' });
    expect(reader.pageRefs().length).toBeGreaterThan(0);
  });

  it('a stream with its own /Crypt filter /Identity is read in clear in a file whose streams are AES-encrypted', () => {
    const v = VARIANTS.find((x) => x.revision === 6)!;
    const enc = qpdfEncrypt(plain, v, { user: USER_PASSWORD });
    const base = PdfReader.open(enc, { password: USER_PASSWORD });
    const num = base.size;
    const data = 'BT /F1 12 Tf 72 72 Td (IDENTITY) Tj ET';
    const { pdf } = appendRaw(enc, {
      objects: [{ num, body: rawStream('/Filter [/Crypt] /DecodeParms [<< /Type /CryptFilterDecodeParms /Name /Identity >>]', data) }],
      trailer: { Encrypt: `${(base.trailer.get('Encrypt') as { num: number }).num} 0 R` },
    });
    const reader = PdfReader.open(pdf, { password: USER_PASSWORD });
    const s = reader.getObject(new PdfRef(num, 0));
    expect(s).toBeInstanceOf(PdfStream);
    expect(Buffer.from(reader.streamData(s as PdfStream)).toString('latin1')).toBe(data);
  });

  it("a signature dictionary's /Contents is never decrypted, its other strings are", () => {
    const v = VARIANTS.find((x) => x.revision === 4)!;
    const enc = qpdfEncrypt(plain, v);
    const base = PdfReader.open(enc);
    const num = base.size;
    const hex = '3082000a0102030405060708090a';
    const { pdf } = appendRaw(enc, {
      objects: [{ num, body: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <${hex}> >>` }],
      trailer: { Encrypt: `${(base.trailer.get('Encrypt') as { num: number }).num} 0 R` },
    });
    const sig = PdfReader.open(pdf).getObject(new PdfRef(num, 0)) as PdfDict;
    expect(Buffer.from((sig.get('Contents') as PdfString).bytes).toString('hex')).toBe(hex);
  });
});

describe('bad encrypted inputs: a typed error each, never a crash', () => {
  const r6 = (): Buffer => qpdfEncrypt(plain, VARIANTS.find((x) => x.revision === 6)!);
  const r4 = (): Buffer => qpdfEncrypt(plain, VARIANTS.find((x) => x.revision === 4)!);

  it('public-key security (/Filter /Adobe.PubSec): PDF_ENCRYPTION_UNSUPPORTED', () => {
    const pdf = patchInPlace(r6(), /\/Filter \/Standard \/Length 256/, () => '/Filter /Adobe.PubSec');
    const e = expectKysoError(() => PdfReader.open(pdf), 'PDF_ENCRYPTION_UNSUPPORTED');
    expect(e.message).toMatch(/public-key/);
    // Opened for structure only when asked, saying why.
    expect(PdfReader.open(pdf, { allowEncrypted: true }).encryptionProblem?.code).toBe('PDF_ENCRYPTION_UNSUPPORTED');
  });

  it('a custom security handler: PDF_ENCRYPTION_UNSUPPORTED naming it', () => {
    const pdf = patchInPlace(r4(), /\/Filter \/Standard \/Length 128/, () => '/Filter /FOPN_foweb');
    expect(expectKysoError(() => PdfReader.open(pdf), 'PDF_ENCRYPTION_UNSUPPORTED').message).toContain('FOPN_foweb');
  });

  it('an unknown revision (/R 7): PDF_ENCRYPTION_UNSUPPORTED', () => {
    expectKysoError(() => PdfReader.open(patchInPlace(r6(), /\/R 6/, () => '/R 7')), 'PDF_ENCRYPTION_UNSUPPORTED');
  });

  it('a truncated /U: PDF_ENCRYPT_MALFORMED', () => {
    const pdf = patchInPlace(r6(), /\/U <[0-9a-f]+>/, (m) => `${m.slice(0, 40)}>`);
    expect(expectKysoError(() => PdfReader.open(pdf), 'PDF_ENCRYPT_MALFORMED').message).toMatch(/truncated/);
  });

  it('/O missing: PDF_ENCRYPT_MALFORMED', () => {
    expectKysoError(() => PdfReader.open(patchInPlace(r4(), /\/O </, () => '/X <')), 'PDF_ENCRYPT_MALFORMED');
  });

  it('/Encrypt that is not a dictionary, or names a free object: PDF_ENCRYPT_MALFORMED', () => {
    expectKysoError(() => PdfReader.open(patchInPlace(r6(), /\/Encrypt \d+ 0 R/, () => '/Encrypt 42')), 'PDF_ENCRYPT_MALFORMED');
    expectKysoError(() => PdfReader.open(patchInPlace(r6(), /\/Encrypt \d+ 0 R/, () => '/Encrypt 0 0 R')), 'PDF_ENCRYPT_MALFORMED');
  });

  it('an /Encrypt object cut short (its dictionary never closes): PDF_ENCRYPT_MALFORMED', () => {
    const enc = r4();
    const num = /\/Encrypt (\d+) 0 R/.exec(enc.toString('latin1'))![1]!;
    // "/U <...> /V 4 >>" becomes "/U <72f806" and blanks, up to "endobj".
    const cut = patchInPlace(enc, new RegExp(`${num} 0 obj\\n<<[^]*?/V 4 >>`), (m) => m.slice(0, m.indexOf('/U <') + 10));
    expect(expectKysoError(() => PdfReader.open(cut), 'PDF_ENCRYPT_MALFORMED').message).toMatch(/cannot be read/);
  });
});
