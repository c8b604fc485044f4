/**
 * Signing and verifying encrypted PDFs. Inputs are encrypted by qpdf at
 * every revision and algorithm of the standard security handler; what kyso
 * writes is judged by tools we did not write: pdfsig (it reads encrypted
 * files), qpdf --check with the password, and pdftotext of qpdf --decrypt
 * before and after, page by page.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KysoError, SoftwareSigner, signPdf, TrustStore, tsaTimestamper, verifyPdf, type Signer, type VerificationReport } from '../../src/index.js';
import { ByteWriter, IncrementalWriter, PdfDict, PdfReader, PdfRef, PdfStream, PdfString } from '../../src/pdf/index.js';
import { createTestPki, startTestServices, type TestPki, type TestServices } from '../../src/testing/index.js';
import { signaturePng } from '../appearance/images.js';
import { appendRaw } from '../diff/attack-fixtures.js';
import { OWNER_PASSWORD, USER_PASSWORD, VARIANTS, patchInPlace, pageTexts, pdfWithMetadata, qpdfDecrypt, qpdfEncrypt, type Variant } from '../helpers/encryption.js';
import { hasTool, pdfsig, qpdfCheck } from '../helpers/external-tools.js';
import { nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';

let pki: TestPki;
let signer: Signer;
let second: Signer;
let nss: string;
let store: TrustStore;
let plain: Uint8Array;
const work = tempDir('kyso-enc-sign-');
const REASON = 'Chứng thực bản sao điện tử';

beforeAll(async () => {
  pki = await testPki();
  signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  second = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  nss = await nssDbForTestPki();
  store = TrustStore.fromPem(pki.root.certPem);
  plain = await pdfWithMetadata(3);
});

function write(name: string, bytes: Uint8Array): string {
  const file = join(work, name.replace(/[^A-Za-z0-9.-]+/g, '_'));
  writeFileSync(file, bytes);
  return file;
}

const v = (revision: number): Variant => VARIANTS.find((x) => x.revision === revision)!;

async function rejection(p: Promise<unknown>): Promise<KysoError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KysoError);
  const k = e as KysoError;
  expect(k.message.length).toBeGreaterThan(20);
  expect(k.messageVi.length).toBeGreaterThan(20);
  return k;
}

const cases = VARIANTS.flatMap((variant) => [
  { variant, user: '', label: `${variant.name}, empty user password` },
  { variant, user: USER_PASSWORD, label: `${variant.name}, user password` },
]);

describe.each(cases)('signing a file encrypted by qpdf: $label', ({ variant, user, label }) => {
  it('pdfsig: Signature is Valid; qpdf --check clean; the decrypted pages unchanged; verifyPdf TOTAL_PASSED over decrypted values', async () => {
    const input = qpdfEncrypt(plain, variant, { user });
    const out = await signPdf(input, { signer, reason: REASON, location: 'Hà Nội', ...(user ? { pdfPassword: user } : {}) });
    // An incremental update: the encrypted original is untouched.
    expect(Buffer.from(out.subarray(0, input.length)).equals(input)).toBe(true);
    const file = write(`${label}.pdf`, out);

    const [sig, ...more] = pdfsig(file, nss, user || undefined);
    expect(more).toHaveLength(0);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(sig?.certificateTrusted, sig?.certificateText).toBe(true);
    expect(sig?.totalDocumentSigned).toBe(true);
    const check = qpdfCheck(file, user);
    expect(check.ok, check.text).toBe(true);
    expect(check.text).toMatch(new RegExp(`R = ${variant.revision}`));

    // Same pages once decrypted, by qpdf and pdftotext.
    const before = pageTexts(qpdfDecrypt(input, user));
    const after = pageTexts(qpdfDecrypt(out, user));
    expect(before).toHaveLength(3);
    expect(before[0]).toContain('Trang 1');
    expect(after).toEqual(before);

    // The same security handler, and the update's strings encrypted with the document's key: qpdf decrypts them to what was signed.
    const reader = PdfReader.open(out, user ? { password: user } : {});
    expect(reader.encryption).toMatchObject({ revision: variant.revision, streams: variant.cipher, strings: variant.cipher });
    expect(reader.trailer.get('Encrypt')).toEqual(PdfReader.open(input, { allowEncrypted: true }).trailer.get('Encrypt'));
    expect(Buffer.from(out.subarray(input.length)).toString('latin1')).not.toContain('Signature1');
    const clear = PdfReader.open(qpdfDecrypt(out, user));
    const field = (clear.resolve(clear.catalog().get('AcroForm')) as PdfDict).get('Fields') as PdfRef[];
    const fd = clear.resolve(field[0]) as PdfDict;
    expect((fd.get('T') as PdfString).toText()).toBe('Signature1');
    expect(((clear.resolve(fd.get('V')) as PdfDict).get('Reason') as PdfString).toText()).toBe(REASON);

    const report = await verifyPdf(out, { trustStore: store, ...(user ? { pdfPassword: user } : {}) });
    expect(report.verdict).toBe('valid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ field: 'Signature1', indication: 'TOTAL_PASSED', integrity: 'ok', reason: REASON, location: 'Hà Nội', coversWholeDocument: true });
  });
});

const changed = [
  { variant: v(6), password: USER_PASSWORD, label: 'R6 AES-256, user password' },
  { variant: v(4), password: '', label: 'R4 AES-128, empty user password' },
  { variant: v(3), password: USER_PASSWORD, label: 'R3 RC4 128-bit, user password' },
  { variant: v(2), password: '', label: 'R2 RC4 40-bit, empty user password' },
];

describe.each(changed)('encrypted ($label) and signed, then changed', ({ variant, password, label }) => {
  let signed: Buffer;

  beforeAll(async () => {
    const input = qpdfEncrypt(plain, variant, { user: password });
    signed = Buffer.from(await signPdf(input, { signer, reason: REASON, pdfPassword: password }));
  });

  const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store, pdfPassword: password });

  it('a later update that changes a page is reported modified (not TOTAL_PASSED)', async () => {
    const reader = PdfReader.open(signed, { password: password });
    const w = new IncrementalWriter(reader);
    const page = reader.pageRef(1)!;
    const forged = w.add(new PdfStream(new PdfDict(), Buffer.from('BT /F1 24 Tf 100 100 Td (FORGED) Tj ET')));
    w.set(page, (reader.getObject(page) as PdfDict).clone().set('Contents', forged));
    const pdf = Buffer.concat([signed, w.write().appended]);
    // The forgery is encrypted like the rest: the page change is seen only decrypted.
    expect(pdf.subarray(signed.length).toString('latin1')).not.toContain('FORGED');
    const report = await verify(pdf);
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.field).toBe('Signature1');
    expect(report.modifications.some((m) => m.verdict === 'suspicious' && /Kids\[1\]\/Contents/.test(m.path ?? ''))).toBe(true);
  });

  it('a later update that changes the /Encrypt dictionary is reported modified', async () => {
    const reader = PdfReader.open(signed, { password: password });
    const ref = reader.trailer.get('Encrypt') as PdfRef;
    const w = new IncrementalWriter(reader);
    // Permissions rewritten: for revision 6 /Perms no longer matches (the key still opens the file); for 2-4 /P is part of the key, so the password no longer opens this revision.
    w.set(ref, (reader.getObject(ref) as PdfDict).clone().set('P', -3904));
    const report = await verify(Buffer.concat([signed, w.write().appended]));
    expect(report.verdict).toBe('invalid');
    expect(report.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
    expect(report.modifications.some((m) => m.verdict === 'suspicious' && (m.path ?? '').startsWith('/Encrypt'))).toBe(true);
  });

  it('a later update that points /Encrypt at a new dictionary (a new key), or drops it, is reported modified', async () => {
    const reader = PdfReader.open(signed, { password: password });
    const other = qpdfEncrypt(plain, variant, { user: 'another-password' });
    const otherReader = PdfReader.open(other, { password: 'another-password' });
    const otherEncrypt = otherReader.getObject(otherReader.trailer.get('Encrypt') as PdfRef) as PdfDict;
    const src = (o: PdfDict): string => Buffer.from(new ByteWriter(512).object(o).toBytes()).toString('latin1');
    const num = reader.size;
    const swapped = appendRaw(signed, { objects: [{ num, body: src(otherEncrypt) }], trailer: { Encrypt: `${num} 0 R` } }).pdf;
    const r1 = await verify(swapped);
    expect(r1.verdict).toBe('invalid');
    expect(r1.modifications.some((m) => m.verdict === 'suspicious' && m.path === '/Encrypt')).toBe(true);
    const dropped = appendRaw(signed, { trailer: { Encrypt: null } }).pdf;
    const r2 = await verify(dropped);
    expect(r2.verdict).toBe('invalid');
    expect(r2.modifications.some((m) => m.verdict === 'suspicious' && m.path === '/Encrypt')).toBe(true);
  });

  it('an approval signature added to it is allowed: both TOTAL_PASSED, pdfsig valid for both, qpdf --check clean', async () => {
    const out = await signPdf(signed, { signer: second, reason: 'Phê duyệt', pdfPassword: password });
    const file = write(`approval ${label}.pdf`, out);
    const sigs = pdfsig(file, nss, password);
    expect(sigs).toHaveLength(2);
    for (const s of sigs) expect(s.signatureValid, s.signatureText).toBe(true);
    expect(qpdfCheck(file, password).ok).toBe(true);
    expect(pageTexts(qpdfDecrypt(out, password))).toEqual(pageTexts(qpdfDecrypt(signed, password)));
    const report = await verify(out);
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => [s.field, s.indication])).toEqual([
      ['Signature1', 'TOTAL_PASSED'],
      ['Signature2', 'TOTAL_PASSED'],
    ]);
  });
});

describe('a visible signature on an encrypted file', () => {
  const verify = (pdf: Uint8Array): Promise<VerificationReport> => verifyPdf(pdf, { trustStore: store, pdfPassword: USER_PASSWORD });

  it('a visible signature: the page is read with the password, the appearance encrypted with the rest', async () => {
    const input = qpdfEncrypt(plain, v(4), { user: USER_PASSWORD });
    const out = await signPdf(input, {
      signer,
      pdfPassword: USER_PASSWORD,
      appearance: { layout: 'personal', data: { images: { signature: signaturePng() } }, placement: { page: 0, rect: [330, 120, 560, 240] } },
    });
    const file = write('visible.pdf', out);
    const [sig] = pdfsig(file, nss, USER_PASSWORD);
    expect(sig?.signatureValid, sig?.signatureText).toBe(true);
    expect(qpdfCheck(file, USER_PASSWORD).ok).toBe(true);
    expect((await verify(out)).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });
});

describe('permissions of encrypted files', () => {
  it.each([
    ['R6, --modify=none', v(6), ['--modify=none']],
    ['R4, --modify=none', v(4), ['--modify=none']],
    ['R3, --modify=none', v(3), ['--modify=none']],
    ['R2, --modify=n --annotate=n', v(2), ['--modify=n', '--annotate=n']],
  ] as const)('%s: signing without the owner password is PDF_PERMISSION_DENIED; with it, the signature is valid', async (_name, variant, restrictions) => {
    const input = qpdfEncrypt(plain, variant, { restrictions: [...restrictions] });
    const e = await rejection(signPdf(input, { signer }));
    expect(e.code).toBe('PDF_PERMISSION_DENIED');
    expect(e.message).toMatch(/owner password/);
    const out = await signPdf(input, { signer, pdfPassword: OWNER_PASSWORD });
    const file = write(`owner-${variant.revision}.pdf`, out);
    expect(pdfsig(file, nss)[0]?.signatureValid).toBe(true);
    expect(qpdfCheck(file, '').ok).toBe(true);
    // The author's restrictions stay: the same handler, the same /P.
    const after = PdfReader.open(out);
    expect(after.encryption?.permissions).toBe(PdfReader.open(input).encryption?.permissions);
    expect(after.encryption?.authenticatedAs).toBe('user');
    expect((await verifyPdf(out, { trustStore: store })).signatures[0]!.indication).toBe('TOTAL_PASSED');
  });

  it('only form filling allowed (R6 --modify=form --form=y): a new signature field needs more, and the error says which', async () => {
    const input = qpdfEncrypt(plain, v(6), { restrictions: ['--modify=form'] });
    const info = PdfReader.open(input).encryption!;
    expect(info.permissions & (1 << 8)).not.toBe(0);
    const e = await rejection(signPdf(input, { signer }));
    expect(e.code).toBe('PDF_PERMISSION_DENIED');
    expect(e.message).toMatch(/existing empty signature fields|adding a signature field/);
  });

  it('R6 whose /P was edited without the key (it no longer matches /Perms): nothing is signed without the owner password', async () => {
    const input = patchInPlace(qpdfEncrypt(plain, v(6)), /\/P -4 /, () => '/P -1 ');
    const info = PdfReader.open(input).encryption!;
    expect(info.permissionsIntact).toBe(false);
    const e = await rejection(signPdf(input, { signer }));
    expect(e.code).toBe('PDF_PERMISSION_DENIED');
    expect(e.details).toMatchObject({ permissionsTampered: true });
    const out = await signPdf(input, { signer, pdfPassword: OWNER_PASSWORD });
    expect(pdfsig(write('tampered-owner.pdf', out), nss)[0]?.signatureValid).toBe(true);
  });
});

describe('bad encrypted inputs to signPdf and verifyPdf: a typed error each', () => {
  const r6 = (): Buffer => qpdfEncrypt(plain, v(6));
  const bad: [string, string, () => Buffer, string | undefined][] = [
    ['a user password, none given', 'PDF_PASSWORD_REQUIRED', () => qpdfEncrypt(plain, v(4), { user: USER_PASSWORD }), undefined],
    ['a wrong password', 'PDF_PASSWORD_WRONG', () => qpdfEncrypt(plain, v(4), { user: USER_PASSWORD }), 'sai-mat-khau'],
    ['a wrong password for a file with an empty user password', 'PDF_PASSWORD_WRONG', () => r6(), 'sai-mat-khau'],
    ['/Filter /Adobe.PubSec', 'PDF_ENCRYPTION_UNSUPPORTED', () => patchInPlace(r6(), /\/Filter \/Standard \/Length 256/, () => '/Filter /Adobe.PubSec'), undefined],
    ['a truncated /U', 'PDF_ENCRYPT_MALFORMED', () => patchInPlace(r6(), /\/U <[0-9a-f]+>/, (m) => `${m.slice(0, 40)}>`), undefined],
    ['/Encrypt not a dictionary', 'PDF_ENCRYPT_MALFORMED', () => patchInPlace(r6(), /\/Encrypt \d+ 0 R/, () => '/Encrypt 42'), undefined],
  ];
  it.each(bad)('%s: %s', async (_name, code, make, password) => {
    const input = make();
    const pw = password !== undefined ? { pdfPassword: password } : {};
    expect((await rejection(signPdf(input, { signer, ...pw }))).code).toBe(code);
    expect((await rejection(verifyPdf(input, { trustStore: store, ...pw }))).code).toBe(code);
  });

  it('a signed file whose password is not given is refused by verifyPdf (PDF_PASSWORD_REQUIRED), not reported over ciphertext', async () => {
    const signed = await signPdf(qpdfEncrypt(plain, v(6), { user: USER_PASSWORD }), { signer, pdfPassword: USER_PASSWORD });
    expect((await rejection(verifyPdf(signed, { trustStore: store }))).code).toBe('PDF_PASSWORD_REQUIRED');
  });
});

describe('long-term validation on an encrypted file', () => {
  let services: TestServices;
  afterAll(async () => {
    await services?.close();
  });

  it('B-LTA with a user password: the DSS and the document timestamp are encrypted updates too, and verify offline', async () => {
    services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
    const p = services.pki;
    const ltvSigner = SoftwareSigner.fromPem({ key: p.personal.keyPem, cert: p.personal.certPem, chain: p.chainPem });
    const input = qpdfEncrypt(plain, v(4), { user: USER_PASSWORD });
    const out = await signPdf(input, { signer: ltvSigner, level: 'B-LTA', timestamper: tsaTimestamper({ url: services.tsaUrl, timeoutMs: 5000 }), pdfPassword: USER_PASSWORD });
    const file = write('blta.pdf', out);
    expect(qpdfCheck(file, USER_PASSWORD).ok).toBe(true);
    const report = await verifyPdf(out, { trustStore: TrustStore.fromPem(p.root.certPem), pdfPassword: USER_PASSWORD });
    expect(report.signatures.map((s) => s.kind)).toEqual(['signature', 'timestamp']);
    expect(report.signatures[0]!.padesLevel).toBe('B-LTA');
    expect(report.verdict).toBe('valid');
    expect(pageTexts(qpdfDecrypt(out, USER_PASSWORD))).toEqual(pageTexts(qpdfDecrypt(input, USER_PASSWORD)));
  });
});

describe.skipIf(!hasTool('mutool'))('files encrypted by another writer (mutool clean -E)', () => {
  // ASCII: pdfsig passes -upw on as UTF-8 bytes, mutool as PDFDocEncoding (revisions 2-4); encrypted-read.test.ts reads a Latin-1 one.
  it.each(['rc4-40', 'rc4-128', 'aes-128', 'aes-256'])('%s with a user password: signed, pdfsig valid, qpdf --check clean', async (method) => {
    const USER_PASSWORD = 'mat-khau-USER-42';
    const dir = tempDir('kyso-mutool-');
    writeFileSync(join(dir, 'in.pdf'), plain);
    const r = spawnSync('mutool', ['clean', '-E', method, '-U', USER_PASSWORD, '-O', OWNER_PASSWORD, join(dir, 'in.pdf'), join(dir, 'enc.pdf')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const input = readFileSync(join(dir, 'enc.pdf'));
    expect(PdfReader.open(input, { password: USER_PASSWORD }).encryption).toBeDefined();
    const out = await signPdf(input, { signer, pdfPassword: USER_PASSWORD });
    const file = write(`mutool-${method}.pdf`, out);
    expect(pdfsig(file, nss, USER_PASSWORD)[0]?.signatureValid).toBe(true);
    expect(qpdfCheck(file, USER_PASSWORD).ok).toBe(true);
    expect(pageTexts(qpdfDecrypt(out, USER_PASSWORD))).toEqual(pageTexts(qpdfDecrypt(input, USER_PASSWORD)));
  });
});

describe('a signed encrypted file damaged after signing', () => {
  it("cut short before the update's xref: the broken signature's row names its field and reason, decrypted", async () => {
    const signed = Buffer.from(await signPdf(qpdfEncrypt(plain, v(4), { user: USER_PASSWORD }), { signer, reason: REASON, pdfPassword: USER_PASSWORD }));
    const cut = signed.subarray(0, signed.toString('latin1').lastIndexOf('\nxref'));
    const report = await verifyPdf(cut, { trustStore: store, pdfPassword: USER_PASSWORD });
    expect(report.verdict).toBe('invalid');
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ field: 'Signature1', reason: REASON, integrity: 'broken' });
    expect(report.signatures[0]!.signer?.commonName).toBeTruthy();
  });

  it('a /Contents that does not parse (read entry by entry): the other entries are decrypted', async () => {
    const signed = Buffer.from(await signPdf(qpdfEncrypt(plain, v(6), { user: USER_PASSWORD }), { signer, reason: REASON, pdfPassword: USER_PASSWORD }));
    // One hex digit of the CMS becomes a letter no hex string has.
    const at = signed.toString('latin1').lastIndexOf('/Contents <') + 40;
    const broken = Buffer.from(signed);
    broken.write('X', at, 'latin1');
    const report = await verifyPdf(broken, { trustStore: store, pdfPassword: USER_PASSWORD });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ field: 'Signature1', reason: REASON });
    expect(report.signatures[0]!.indication).not.toBe('TOTAL_PASSED');
  });
});
