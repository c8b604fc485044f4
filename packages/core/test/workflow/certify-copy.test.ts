import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeAllocator, SoftwareSigner, TrustStore, certifyCopy, verifyPdf, type Signer } from '../../src/index.js';
import { SqliteSequenceStore } from '../../src/codes/index.js';
import { sealPng, signaturePng } from '../appearance/images.js';
import { encrypted, nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';
import { pdfsig, qpdfCheck } from '../helpers/external-tools.js';
import { makeJpeg } from './jpeg.js';

const OWNER = '052090000495';
const AGENCY = '000.00.00.H56';
const signedAt = new Date('2024-02-02T07:34:45Z');

let store: SqliteSequenceStore;
let codes: CodeAllocator;
let officer: Signer;
let agency: Signer;
let root: string;
beforeAll(async () => {
  const pki = await testPki();
  root = pki.root.certPem;
  officer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  agency = SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem });
  store = await SqliteSequenceStore.open({ dataDir: tempDir('kyso-certify-') });
  codes = new CodeAllocator({ store, clock: () => signedAt, actor: 'test' });
});
afterAll(async () => {
  await store?.close();
});

/** Renders a region of a page with poppler and decodes the QR code in it with jsQR. */
function decodeQr(file: string, page: number, rect: [number, number, number, number], pageHeight: number): string | null {
  const dpi = 150;
  const k = dpi / 72;
  const m = 20;
  const x = Math.floor((rect[0] - m) * k);
  const y = Math.floor((pageHeight - rect[3] - m) * k);
  const w = Math.ceil((rect[2] - rect[0] + 2 * m) * k);
  const h = Math.ceil((rect[3] - rect[1] + 2 * m) * k);
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page + 1), '-l', String(page + 1), '-x', String(x), '-y', String(y), '-W', String(w), '-H', String(h), file]);
  // Binary PPM (P6): header of three whitespace-separated numbers.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rgb = ppm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!, 255], i * 4);
  return jsQR(rgba, width, height)?.data ?? null;
}

describe('certifyCopy', () => {
  it('makes a certified copy of a JPEG scan: statement, QR code, officer and agency signatures, code in XMP', async () => {
    const jpeg = await makeJpeg(100);
    const { pdf, record } = await certifyCopy(jpeg, {
      codes,
      requestKey: 'req-jpeg-1',
      agency: AGENCY,
      book: 2,
      owner: OWNER,
      caseCode: '000.00.00.H56-240202-0001',
      officer: { signer: officer, image: signaturePng() },
      agencySeal: { signer: agency, image: sealPng() },
      signedAt,
    });
    expect(record).toMatchObject({ certificationNumber: 1, book: 2, bookLabel: '02/2024-SCTĐT/BS', year: 2024, resultCode: `${OWNER}.KQ.G15.000021.02022024`, caseCode: '000.00.00.H56-240202-0001', fields: { officer: 'CanBoChungThuc', agency: 'CoQuan' }, signedAt });
    expect(Buffer.from(pdf).indexOf(jpeg)).toBeGreaterThan(0);
    expect(record.sha256.inputs).toHaveLength(1);
    const dir = tempDir('kyso-certified-');
    const file = join(dir, 'copy.pdf');
    writeFileSync(file, pdf);
    expect(qpdfCheck(file).ok).toBe(true);

    // pdfsig: both signatures valid and trusted under the TEST root.
    const sigs = pdfsig(file, await nssDbForTestPki());
    expect(sigs.map((s) => s.field)).toEqual(['CanBoChungThuc', 'CoQuan']);
    for (const s of sigs) {
      expect(s.signatureValid, s.signatureText).toBe(true);
      expect(s.certificateTrusted, s.certificateText).toBe(true);
    }
    // pdftotext: the statement with its number and book.
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
    expect(text).toContain('Chứng thực bản sao đúng với bản chính');
    expect(text).toContain('Số chứng thực: 1 Quyển số: 02/2024-SCTĐT/BS');
    // pdfinfo -meta: the code, number and book in XMP.
    const meta = execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    expect(meta).toContain(`<kyso:MaKetQua>${record.resultCode}</kyso:MaKetQua>`);
    expect(meta).toContain('<kyso:SoChungThuc>1</kyso:SoChungThuc>');
    expect(meta).toContain('<kyso:QuyenSo>02/2024-SCTĐT/BS</kyso:QuyenSo>');
    // The QR code, rendered by poppler, decodes to the code.
    const pageHeight = Number(/Page +\d+ size: +[\d.]+ x ([\d.]+)/.exec(execFileSync('pdfinfo', ['-f', String(record.layout.page + 1), '-l', String(record.layout.page + 1), file], { encoding: 'utf8' }))![1]);
    expect(decodeQr(file, record.layout.page, record.layout.qr!, pageHeight)).toBe(record.resultCode);

    // Our verifier: valid, a certified copy, roles identified.
    const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(root) });
    expect(report.verdict, JSON.stringify(report.findings)).toBe('valid');
    expect(report.resultCode).toMatchObject({ value: record.resultCode, signedBy: [1, 2] });
    expect(report.certifiedCopy).toEqual({ certificationNumber: 1, book: '02/2024-SCTĐT/BS', resultCode: record.resultCode, signedBy: [1, 2], officer: 1, agency: 2, complete: true, locked: true });
    expect(report.signatures.map((s) => s.signer?.kind)).toEqual(['personal', 'organisation']);

    // Confirmed in the ledger; the same request key gives the same numbers again.
    expect((await store.get({ kind: 'cert', agency: AGENCY, period: '2024' }, 1))?.state).toBe('confirmed');
    const again = await certifyCopy(jpeg, { codes, requestKey: 'req-jpeg-1', agency: AGENCY, book: 2, owner: OWNER, officer: { signer: officer }, agencySeal: { signer: agency }, signedAt });
    expect([again.record.certificationNumber, again.record.resultCode]).toEqual([1, record.resultCode]);
  });

  it('keeps the numbers of a request that failed for its retry: no output, nothing voided, the retry gets them, the next copy the next number', async () => {
    const jpeg = await makeJpeg(72);
    const before = await store.current({ kind: 'cert', agency: AGENCY, period: '2024' });
    const broken: Signer = { ...agency, certificate: agency.certificate, chain: agency.chain, sign: () => Promise.reject(new Error('HSM unplugged')) } as Signer;
    const base = { codes, agency: AGENCY, book: 2, owner: '079203001234', resultSuffix: '{ddmmyyyy}-{number}', officer: { signer: officer }, signedAt };
    await expect(certifyCopy(jpeg, { ...base, requestKey: 'req-broken', agencySeal: { signer: broken } })).rejects.toMatchObject({ code: 'SIGN_SIGNER_FAILED' });
    const failed = before + 1;
    expect((await store.get({ kind: 'cert', agency: AGENCY, period: '2024' }, failed))?.state).toBe('reserved');
    const result = (await store.ledger({ kind: 'result', agency: '079203001234' }))[0]!;
    expect([result.note, result.state]).toEqual([`079203001234.KQ.G15.000021.02022024-${failed}`, 'reserved']);
    // Failing again (the token still unplugged) takes nothing more.
    await expect(certifyCopy(jpeg, { ...base, requestKey: 'req-broken', agencySeal: { signer: broken } })).rejects.toMatchObject({ code: 'SIGN_SIGNER_FAILED' });
    expect(await store.current({ kind: 'cert', agency: AGENCY, period: '2024' })).toBe(failed);
    // The retry of the same request, the token back, gets the numbers it had and confirms them.
    const retried = await certifyCopy(jpeg, { ...base, requestKey: 'req-broken', agencySeal: { signer: agency } });
    expect([retried.record.certificationNumber, retried.record.resultCode]).toEqual([failed, `079203001234.KQ.G15.000021.02022024-${failed}`]);
    const history = await store.history({ kind: 'cert', agency: AGENCY, period: '2024' }, failed);
    expect(history.map((h) => h.state)).toEqual(['reserved', 'confirmed']);
    const next = await certifyCopy(jpeg, { ...base, requestKey: 'req-next', agencySeal: { signer: agency }, qr: { url: 'https://chungthuc.example.vn/tra-cuu?ma={code}' } });
    expect(next.record.certificationNumber).toBe(failed + 1);
    expect(next.record.resultCode).toBe(`079203001234.KQ.G15.000021.02022024-${failed + 1}`);
    // A number an operator voids (the request given up) is never used again: its retry is told to take a new key.
    const given = await certifyCopy(jpeg, { ...base, requestKey: 'req-given-up', agencySeal: { signer: broken } }).catch((e: unknown) => e);
    expect(given).toMatchObject({ code: 'SIGN_SIGNER_FAILED' });
    await codes.voidCertNumber(AGENCY, 2024, failed + 2, { reason: 'citizen withdrew the request' });
    await expect(certifyCopy(jpeg, { ...base, requestKey: 'req-given-up', agencySeal: { signer: agency } })).rejects.toMatchObject({ code: 'CODE_STATE', message: expect.stringMatching(/new request key/) });
    expect((await store.history({ kind: 'cert', agency: AGENCY, period: '2024' }, failed + 2)).map((h) => [h.state, h.reason])).toEqual([
      ['reserved', null],
      ['voided', 'citizen withdrew the request'],
    ]);
  });

  it('numbers a day of copies without gaps: bad inputs take none, the same citizen twice gets a second code of its own, a failed copy keeps its number for the retry', async () => {
    const own = new CodeAllocator({ store: await SqliteSequenceStore.open({ dataDir: tempDir('kyso-certify-day-') }), clock: () => signedAt, actor: 'test' });
    const jpeg = await makeJpeg(72);
    const sample = readFileSync(join(__dirname, '../../../../examples/assets/sample.pdf'));
    const signed = (await certifyCopy(jpeg, { codes: own, requestKey: 'signed-original', agency: 'H99', book: 1, owner: '00000000000', officer: { signer: officer }, agencySeal: { signer: agency }, signedAt })).pdf;
    const base = { codes: own, agency: AGENCY, book: 1, officer: { signer: officer }, agencySeal: { signer: agency }, signedAt };
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'); // a PNG signature and nothing after it
    const broken: Signer = { ...officer, certificate: officer.certificate, chain: officer.chain, sign: () => Promise.reject(new Error('token removed')) } as Signer;
    const steps: { key: string; input: Uint8Array | Uint8Array[]; owner: string; expect: string; officer?: Signer; fieldName?: string }[] = [
      { key: 'a', input: jpeg, owner: OWNER, expect: 'ok' },
      { key: 'b', input: Buffer.from('not a pdf, not a scan'), owner: OWNER, expect: 'PDF_NOT_PDF' },
      { key: 'c', input: png, owner: OWNER, expect: 'PDF_MALFORMED' },
      { key: 'd', input: sample.subarray(0, 400), owner: OWNER, expect: 'PDF_TRUNCATED' },
      { key: 'e', input: encrypted(sample), owner: OWNER, expect: 'PDF_ENCRYPTED' },
      { key: 'f', input: signed, owner: OWNER, expect: 'SIGN_NOT_PERMITTED' },
      { key: 'g', input: [], owner: OWNER, expect: 'SIGN_OPTIONS_INVALID' },
      { key: 'h', input: sample, owner: OWNER, expect: 'SIGN_OPTIONS_INVALID', fieldName: 'CoQuan' }, // both signatures in one field
      { key: 'i', input: sample, owner: OWNER, expect: 'ok' }, // the same citizen again the same day
      { key: 'j', input: jpeg, owner: '001200000001', expect: 'SIGN_SIGNER_FAILED', officer: broken },
      { key: 'k', input: jpeg, owner: OWNER, expect: 'ok' }, // a third copy for the first citizen
      { key: 'j', input: jpeg, owner: '001200000001', expect: 'ok' }, // the retry, the token back
      { key: 'l', input: jpeg, owner: '001200000001', expect: 'ok' },
    ];
    const got: [string, string, number | null, string | null][] = [];
    for (const st of steps) {
      try {
        const { record } = await certifyCopy(st.input, { ...base, requestKey: st.key, owner: st.owner, officer: { signer: st.officer ?? officer, ...(st.fieldName ? { fieldName: st.fieldName } : {}) } });
        got.push([st.key, 'ok', record.certificationNumber, record.resultCode]);
      } catch (e) {
        got.push([st.key, (e as { code?: string }).code ?? String(e), null, null]);
      }
    }
    expect(got.map((g) => [g[0], g[1]])).toEqual(steps.map((x) => [x.key, x.expect]));
    const day = '02022024';
    expect(got.filter((g) => g[1] === 'ok').map((g) => [g[0], g[2], g[3]])).toEqual([
      ['a', 1, `${OWNER}.KQ.G15.000021.${day}`],
      ['i', 2, `${OWNER}.KQ.G15.000021.${day}-2`],
      ['k', 4, `${OWNER}.KQ.G15.000021.${day}-4`],
      ['j', 3, `001200000001.KQ.G15.000021.${day}`],
      ['l', 5, `001200000001.KQ.G15.000021.${day}-5`],
    ]);
    // The book: 1..5, every number confirmed, none voided; every result code confirmed.
    const ledger = await own.store.ledger({ kind: 'cert', agency: AGENCY });
    expect(ledger.map((a) => [a.value, a.state])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'confirmed']));
    const results = (await own.store.ledger({ kind: 'result' })).filter((r) => r.agency !== '00000000000');
    expect(results.map((r) => r.state)).toEqual(results.map(() => 'confirmed'));
    expect(results).toHaveLength(5);
    // A template of the caller's that repeats an issued code is refused before a number is taken, naming the option.
    const dup = await certifyCopy(jpeg, { ...base, requestKey: 'm', owner: OWNER, resultSuffix: '{ddmmyyyy}' }).catch((e: unknown) => e);
    expect(dup).toMatchObject({ code: 'CODE_STATE', details: { option: 'resultSuffix' } });
    expect((dup as Error).message).toMatch(/--result-suffix/);
    expect(await own.store.current({ kind: 'cert', agency: AGENCY, period: '2024' })).toBe(5);
    await own.store.close();
  });

  it('takes an existing PDF as is and several scans as pages of one copy', async () => {
    const jpeg = await makeJpeg(72);
    const { pdf, record } = await certifyCopy([jpeg, jpeg], { codes, requestKey: 'req-two-pages', agency: AGENCY, book: 3, owner: '00000000000', officer: { signer: officer }, agencySeal: { signer: agency }, signedAt, qr: false });
    expect(record.layout.qr).toBeNull();
    expect(record.layout.page).toBe(2); // the statement on a page of its own after the two scans
    const report = await verifyPdf(pdf, { trustStore: TrustStore.fromPem(root) });
    expect(report.verdict).toBe('valid');
    expect(report.certifiedCopy?.book).toBe('03/2024-SCTĐT/BS');
    const unsigned = readFileSync(join(__dirname, '../../../../examples/assets/sample.pdf'));
    const fromPdf = await certifyCopy(unsigned, { codes, requestKey: 'req-pdf', agency: AGENCY, book: 3, owner: '052090000496', officer: { signer: officer }, agencySeal: { signer: agency }, signedAt });
    expect(Buffer.from(fromPdf.pdf).subarray(0, unsigned.length).equals(unsigned)).toBe(true);
    expect(fromPdf.record.sha256.input).toBe(fromPdf.record.sha256.inputs[0]);
  });

  it('refuses an encrypted original (PDF_ENCRYPTED), even one that opens without a password, alone or among scans, before any number is reserved', async () => {
    const unsigned = readFileSync(join(__dirname, '../../../../examples/assets/sample.pdf'));
    const before = await store.current({ kind: 'cert', agency: AGENCY, period: '2024' });
    const base = { codes, agency: AGENCY, book: 4, owner: '052090000497', officer: { signer: officer }, agencySeal: { signer: agency }, signedAt };
    for (const [key, input] of [
      ['req-enc-empty', encrypted(unsigned)],
      ['req-enc-user', encrypted(unsigned, 'user-pw')],
      ['req-enc-scans', [await makeJpeg(72), encrypted(unsigned)]],
    ] as const) {
      const e = await certifyCopy(input, { ...base, requestKey: key }).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: 'PDF_ENCRYPTED' });
      expect((e as Error).message).toMatch(/qpdf --decrypt/);
    }
    expect(await store.current({ kind: 'cert', agency: AGENCY, period: '2024' })).toBe(before);
  });
});
