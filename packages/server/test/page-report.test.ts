/**
 * What the verification page shows of a report (issue 18, item 11), in
 * Debian's chromium driven by playwright-core as page.test.ts does: a
 * certified copy's number, book and result code; why a chain is not
 * trusted; amber, not green, for a valid signature whose revocation was not
 * checked; one date format in both languages. Each expectation is read
 * against the JSON of /v1/verify for the same file, so the page is checked
 * against what the report really says. Screenshots go to
 * packages/server/test-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CodeAllocator, SoftwareSigner, certifyCopy, signPdf, type VerificationReport } from '@kyso/core';
import { SqliteSequenceStore } from '@kyso/core/codes';
import { createTestPki, startTestServices, type TestServices } from '@kyso/core/testing';
import { createKysoClient } from '@kyso/client';
import { createServer, generateApiKey, hashApiKey, type KysoServer } from '@kyso/server';
import { bearer, LogCapture, samplePdf, tempDir } from './helpers.js';

const ARTEFACTS = resolve(__dirname, '../test-results');
const AMBER = 'rgb(168, 100, 0)';
const GREEN = 'rgb(10, 125, 50)';
const DATE = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} \(UTC\+7\)$/;

let services: TestServices;
let browser: Browser;
let store: SqliteSequenceStore;
const key = generateApiKey();
const servers: KysoServer[] = [];
/** Trusts the test PKI's root, has its TSA. */
let trusting: string;
/** Trusts only the default (BCY) policy: the test root is unknown to it. */
let untrusting: string;
const dir = tempDir('kyso-page-report-');

async function start(extraRoots: string[]): Promise<string> {
  const pki = services.pki;
  const server = await createServer(
    {
      port: 0,
      dataDir: tempDir(),
      identities: [{ name: 'xa', agency: '000.00.00.H56', signer: SoftwareSigner.fromPem({ key: pki.organisation.keyPem, cert: pki.organisation.certPem, chain: pki.chainPem }) }],
      apiKeys: [{ id: 'k', sha256: hashApiKey(key), identities: ['xa'], operations: ['sign', 'verify', 'codes'] }],
      trust: { extraRoots },
      tsa: { url: services.tsaUrl, timeoutMs: 5000 },
    },
    { logStream: new LogCapture() },
  );
  servers.push(server);
  return server.listen();
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  services = await startTestServices((baseUrl) => createTestPki({ baseUrl, key: 'p256' }));
  trusting = await start([services.pki.root.certPem]);
  untrusting = await start([]);
  store = await SqliteSequenceStore.open({ dataDir: tempDir('kyso-page-report-codes-') });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  await store?.close();
  await services?.close();
});

const organisation = () => SoftwareSigner.fromPem({ key: services.pki.organisation.keyPem, cert: services.pki.organisation.certPem, chain: services.pki.chainPem });
const personal = () => SoftwareSigner.fromPem({ key: services.pki.personal.keyPem, cert: services.pki.personal.certPem, chain: services.pki.chainPem });

/** The report the page is given, through the service's own client (what an integrating system would read). */
async function report(url: string, pdf: Uint8Array, lang: 'vi' | 'en' = 'vi'): Promise<VerificationReport> {
  return (await createKysoClient({ baseUrl: url }).verify(pdf, { lang })) as unknown as VerificationReport;
}

interface Card {
  cls: string;
  border: string;
  heading: string;
  status: string | null;
  rows: Record<string, string>;
}
interface Shown {
  verdict: string;
  verdictText: string;
  verdictBackground: string;
  text: string;
  copy: Card | null;
  signatures: Card[];
}

/**
 * Runs in the page (a string: this package's TypeScript has no DOM types):
 * the verdict banner and each card, as dt/dd pairs, with their colours.
 */
const READ_PAGE = `(() => {
  const card = (c) => {
    const rows = {};
    c.querySelectorAll('dt').forEach((dt) => { const dd = dt.nextElementSibling; rows[(dt.textContent || '').trim()] = ((dd && dd.textContent) || '').trim(); });
    const h = c.querySelector('h2'), st = c.querySelector('p.sigstatus');
    return { cls: c.className, border: getComputedStyle(c).borderLeftColor, heading: h ? h.textContent : '', status: st ? st.textContent : null, rows };
  };
  const v = document.querySelector('#result .verdict');
  const copy = document.querySelector('#result section.card.copy');
  return {
    verdict: v.className,
    verdictText: v.textContent || '',
    verdictBackground: getComputedStyle(v).backgroundColor,
    text: document.querySelector('#result').innerText,
    copy: copy ? card(copy) : null,
    signatures: [...document.querySelectorAll('#result section.card:not(.copy)')].map(card),
  };
})()`;

/** Uploads `pdf` to the page of `url` and reads back what it shows, card by card. */
async function show(url: string, pdf: Uint8Array, name: string, lang: 'vi' | 'en'): Promise<Shown> {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  await page.goto(`${url}/${lang === 'en' ? '?lang=en' : ''}`);
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#result .verdict', { timeout: 15_000 });
  const shown = await page.evaluate<Shown>(READ_PAGE);
  await page.screenshot({ path: join(ARTEFACTS, `page-report-${name}-${lang}.png`), fullPage: true });
  await page.close();
  const nfc = (s: string) => s.normalize('NFC');
  const norm = (c: Card): Card => ({ ...c, heading: nfc(c.heading), status: c.status && nfc(c.status), rows: Object.fromEntries(Object.entries(c.rows).map(([k, v]) => [nfc(k), nfc(v)])) });
  return { ...shown, verdictText: nfc(shown.verdictText), text: nfc(shown.text), copy: shown.copy && norm(shown.copy), signatures: shown.signatures.map(norm) };
}

describe('the verification page shows what the report says', () => {
  it('a certified copy: number, book, result code, the officer\'s and the agency\'s signatures, complete and locked, in vi and en', async () => {
    const codes = new CodeAllocator({ store, clock: () => new Date(), actor: 'test' });
    const { pdf, record } = await certifyCopy(samplePdf(), {
      codes,
      requestKey: 'page-report-1',
      agency: '000.00.00.H56',
      book: 2,
      owner: '052090000495',
      officer: { signer: personal() },
      agencySeal: { signer: organisation() },
    });
    const r = await report(trusting, pdf);
    expect(r.certifiedCopy).toMatchObject({ certificationNumber: record.certificationNumber, book: record.bookLabel, resultCode: record.resultCode, officer: 1, agency: 2, complete: true, locked: true });

    const vi = await show(trusting, pdf, 'certified-copy', 'vi');
    expect(vi.copy, vi.text).not.toBeNull();
    expect(vi.copy!.heading).toBe('Bản sao chứng thực điện tử');
    expect(vi.copy!.rows['Số chứng thực']).toBe(String(record.certificationNumber));
    expect(vi.copy!.rows['Quyển số']).toBe(record.bookLabel.normalize('NFC'));
    expect(vi.copy!.rows['Mã kết quả']).toBe(record.resultCode);
    expect(vi.copy!.rows['Chữ ký của người thực hiện chứng thực']).toMatch(/^#1 — CanBoChungThuc/);
    expect(vi.copy!.rows['Chữ ký của cơ quan']).toMatch(/^#2 — CoQuan/);
    expect(vi.copy!.rows['Đầy đủ']).toMatch(/^Có:/);
    expect(vi.copy!.rows['Đã khóa']).toMatch(/^Có:/);
    expect(vi.signatures.map((s) => s.rows['Vai trò'])).toEqual(['Người thực hiện chứng thực', 'Cơ quan chứng thực']);

    const en = await show(trusting, pdf, 'certified-copy', 'en');
    expect(en.copy!.heading).toBe('Certified electronic copy');
    expect(en.copy!.rows['Certification number']).toBe(String(record.certificationNumber));
    expect(en.copy!.rows['Book']).toBe(record.bookLabel.normalize('NFC'));
    expect(en.copy!.rows['Result code']).toBe(record.resultCode);
    expect(en.copy!.rows["Certifying officer's signature"]).toMatch(/^#1 — CanBoChungThuc/);
    expect(en.copy!.rows["Agency's signature"]).toMatch(/^#2 — CoQuan/);
    expect(en.copy!.rows['Complete']).toMatch(/^Yes:/);
    expect(en.copy!.rows['Locked']).toMatch(/^Yes:/);
    expect(en.text).not.toContain('Bản sao chứng thực điện tử');

    // A plainly signed file states no certification: no such block.
    const plain = await show(trusting, await signPdf(samplePdf(), { signer: organisation() }), 'not-a-copy', 'vi');
    expect(plain.copy).toBeNull();
    expect(plain.text).not.toContain('Số chứng thực');
  });

  it('a copy whose agency signature is missing is shown as not complete and not locked', async () => {
    const codes = new CodeAllocator({ store, clock: () => new Date(), actor: 'test' });
    const { pdf } = await certifyCopy(samplePdf(), { codes, requestKey: 'page-report-2', agency: '000.00.00.H56', book: 2, owner: '052090000495', officer: { signer: personal() }, agencySeal: { signer: organisation() } });
    // The officer's revision alone: cut the file at the end of the first signature's signed bytes.
    const full = await report(trusting, pdf);
    const cut = pdf.subarray(0, full.signatures[0]!.signedLength!);
    const r = await report(trusting, cut);
    expect(r.certifiedCopy).toMatchObject({ officer: 1, agency: null, complete: false, locked: false });
    const vi = await show(trusting, cut, 'certified-copy-officer-only', 'vi');
    expect(vi.copy!.cls).toContain('incomplete');
    expect(vi.copy!.border).toBe(AMBER);
    expect(vi.copy!.rows['Chữ ký của cơ quan']).toBe('Không tìm thấy');
    expect(vi.copy!.rows['Đầy đủ']).toMatch(/^Chưa đầy đủ/);
    expect(vi.copy!.rows['Đã khóa']).toMatch(/^Chưa khóa/);
  });

  it('an unsigned PDF is "not signed" in grey, not "invalid" in red', async () => {
    expect((await report(trusting, samplePdf(), 'vi')).verdict).toBe('unsigned');
    const vi = await show(trusting, samplePdf(), 'unsigned', 'vi');
    expect([vi.verdict, vi.verdictText, vi.signatures]).toEqual(['verdict unsigned', 'Chưa ký: tài liệu không có chữ ký số nào', []]);
    expect(vi.verdictBackground).toBe('rgb(95, 107, 122)'); // grey, not --bad's red
    expect([vi.verdictBackground === AMBER, vi.verdictBackground === GREEN]).toEqual([false, false]);
    const en = await show(trusting, samplePdf(), 'unsigned', 'en');
    expect(en.verdictText).toBe('Not signed: the document has no digital signature');
  });

  it('"not trusted" says why, from the chain\'s problems, in the page\'s language', async () => {
    const pdf = await signPdf(samplePdf(), { signer: organisation() });
    const vr = await report(untrusting, pdf, 'vi');
    const s = vr.signatures[0]!;
    expect(s.chain.trusted).toBe(false);
    const problem = s.chain.problems.find((p) => p.severity === 'error')!;
    expect(problem.code).toBe('UNTRUSTED_ROOT');

    const vi = await show(untrusting, pdf, 'untrusted', 'vi');
    expect(vi.signatures[0]!.rows['Tin cậy']).toBe(`Không — Lý do: ${problem.messageVi.normalize('NFC')}`);
    expect(vi.signatures[0]!.cls).toContain('indeterminate');
    expect(vi.signatures[0]!.status).toBe('Chưa xác định (NO_CERTIFICATE_CHAIN_FOUND)');
    const en = await show(untrusting, pdf, 'untrusted', 'en');
    expect(en.signatures[0]!.rows['Trusted']).toBe(`No — Reason: ${problem.message}`);
    expect(en.text).not.toContain(problem.messageVi);
  });

  it('a valid signature whose revocation was not checked is amber with the reason; one with embedded revocation data is green', async () => {
    const pdf = await signPdf(samplePdf(), { signer: organisation() });
    const r = await report(trusting, pdf, 'vi');
    // What the report carries: TOTAL_PASSED, but revocation 'unknown' and a note saying why.
    expect(r.verdict).toBe('valid');
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'unknown' } });
    const noteVi = r.signatures[0]!.revocation.noteVi.normalize('NFC');
    const note = r.signatures[0]!.revocation.note;

    const vi = await show(trusting, pdf, 'revocation-unchecked', 'vi');
    const card = vi.signatures[0]!;
    expect(card.cls).not.toMatch(/\bvalid\b/);
    expect(card.border).toBe(AMBER);
    expect(card.status).toBe(`Hợp lệ, chưa kiểm tra được tình trạng thu hồi — Lý do: ${noteVi}`);
    expect(card.rows['Thu hồi']).toBe(noteVi);
    expect(vi.verdictBackground).toBe(AMBER);
    expect(vi.verdictText).toBe('Hợp lệ, nhưng chưa kiểm tra được tình trạng thu hồi của chứng thư số (xem chi tiết từng chữ ký)');
    const en = await show(trusting, pdf, 'revocation-unchecked', 'en');
    expect(en.signatures[0]!.border).toBe(AMBER);
    expect(en.signatures[0]!.status).toBe(`Valid, revocation not checked — Reason: ${note}`);
    expect(en.verdictBackground).toBe(AMBER);

    // B-LT over the service: OCSP/CRL embedded, revocation 'good': plain green.
    const res = await fetch(`${trusting}/v1/sign?identity=xa&level=B-LT`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/pdf' }, body: samplePdf() });
    expect(res.status, await res.clone().text()).toBe(200);
    const lt = new Uint8Array(await res.arrayBuffer());
    expect((await report(trusting, lt)).signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED', revocation: { status: 'good' } });
    const green = await show(trusting, lt, 'revocation-good', 'vi');
    expect(green.signatures[0]!.cls).toMatch(/\bvalid\b/);
    expect(green.signatures[0]!.border).toBe(GREEN);
    expect(green.signatures[0]!.status).toBe('Hợp lệ');
    expect(green.verdict).not.toContain('unchecked');
    expect(green.verdictBackground).toBe(GREEN);
  });

  it('signing times have one format in vi and en: dd/MM/yyyy HH:mm:ss (UTC+7), in Vietnam time', async () => {
    // 17:04:05 UTC yesterday is 00:04:05 today in Vietnam: the day turns over.
    const at = new Date();
    at.setUTCDate(at.getUTCDate() - 1);
    at.setUTCHours(17, 4, 5, 0);
    const pdf = await signPdf(samplePdf(), { signer: organisation(), signingTime: at });
    const vn = new Date(at.getTime() + 7 * 3600_000);
    const p = (n: number) => String(n).padStart(2, '0');
    const expected = `${p(vn.getUTCDate())}/${p(vn.getUTCMonth() + 1)}/${vn.getUTCFullYear()} 00:04:05 (UTC+7)`;

    const vi = await show(trusting, pdf, 'dates', 'vi');
    const en = await show(trusting, pdf, 'dates', 'en');
    expect(vi.signatures[0]!.rows['Thời gian ký']).toBe(expected);
    expect(en.signatures[0]!.rows['Signing time']).toBe(expected);

    // A timestamp's time too, identical in both languages.
    const res = await fetch(`${trusting}/v1/sign?identity=xa&level=B-T`, { method: 'POST', headers: { ...bearer(key), 'content-type': 'application/pdf' }, body: samplePdf() });
    expect(res.status, await res.clone().text()).toBe(200);
    const bt = new Uint8Array(await res.arrayBuffer());
    const tvi = await show(trusting, bt, 'dates-timestamp', 'vi');
    const ten = await show(trusting, bt, 'dates-timestamp', 'en');
    expect(tvi.signatures[0]!.rows['Thời gian ký']).toMatch(DATE);
    expect(ten.signatures[0]!.rows['Signing time']).toBe(tvi.signatures[0]!.rows['Thời gian ký']);
    const stamp = tvi.signatures[0]!.rows['Dấu thời gian']!;
    expect(stamp.slice(0, 27)).toMatch(DATE);
    expect(ten.signatures[0]!.rows['Timestamp']!.slice(0, 27)).toBe(stamp.slice(0, 27));
  });
});
