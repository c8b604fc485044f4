import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, verifyPdf } from '@kyso/core';
import { SqliteSequenceStore } from '@kyso/core/codes';
import { createNssDb, createTestPki, startTestServices, writeTestPki, DEFAULT_TEST_PKI_PASSWORD, type TestPki } from '@kyso/core/testing';
import { makeJpeg } from '../../core/test/workflow/jpeg.js';
import { sealPng, signaturePng } from '../../core/test/appearance/images.js';
import { pdfsig } from '../../core/test/helpers/external-tools.js';

// Runs the built CLI (pnpm --filter @kyso/core build && pnpm --filter @kyso/cli build).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const AGENCY = 'H55.242';
const OWNER = '052090000495';
const BAD_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4]), Buffer.from('garbage')]);

let work: string;
let pki: TestPki;
let pkiDir: string;
let jpeg: Buffer;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first`);
  work = mkdtempSync(join(tmpdir(), 'kyso-cli-certify-'));
  pki = await createTestPki({ key: 'p256' });
  pkiDir = join(work, 'pki');
  await writeTestPki(pki, pkiDir);
  writeFileSync(join(work, 'sig.png'), signaturePng());
  writeFileSync(join(work, 'seal.png'), sealPng());
  jpeg = await makeJpeg(30);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function kyso(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'certify-copy', ...args], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, DATABASE_URL: '', OFFICER_PW: DEFAULT_TEST_PKI_PASSWORD, AGENCY_PW: DEFAULT_TEST_PKI_PASSWORD },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function kysoAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'certify-copy', ...args], { env: { ...process.env, DATABASE_URL: '', OFFICER_PW: DEFAULT_TEST_PKI_PASSWORD, AGENCY_PW: DEFAULT_TEST_PKI_PASSWORD } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
const common = (dataDir: string) => [
  '--owner', OWNER, '--agency', AGENCY, '--book', '2',
  '--officer-p12', join(pkiDir, 'personal.p12'), '--officer-password-env', 'OFFICER_PW', '--officer-image', join(work, 'sig.png'),
  '--agency-p12', join(pkiDir, 'organisation.p12'), '--agency-password-env', 'AGENCY_PW', '--seal-image', join(work, 'seal.png'),
  '--data-dir', dataDir,
];

describe('kyso certify-copy', () => {
  it('certifies one copy from a JPEG scan: two valid, trusted signatures and a certified-copy report', async () => {
    writeFileSync(join(work, 'scan.jpg'), jpeg);
    const out = join(work, 'one.pdf');
    const r = kyso([join(work, 'scan.jpg'), '-o', out, ...common(join(work, 'data-one')), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { ok: number; results: { certificationNumber: number; resultCode: string }[] };
    expect(summary.ok).toBe(1);
    expect(summary.results[0]!.certificationNumber).toBe(1);
    expect(summary.results[0]!.resultCode).toMatch(/^052090000495\.KQ\.G15\.000021\.\d{8}$/);
    const nss = join(work, 'nssdb');
    mkdirSync(nss);
    await createNssDb(nss, pki.root.certPem);
    const sigs = pdfsig(out, nss);
    expect(sigs.map((s) => [s.signatureValid, s.certificateTrusted])).toEqual([[true, true], [true, true]]);
    const report = await verifyPdf(readFileSync(out), { trustStore: TrustStore.fromPem(pki.root.certPem) });
    expect(report.verdict).toBe('valid');
    expect(report.certifiedCopy).toMatchObject({ certificationNumber: 1, officer: 1, agency: 2, complete: true });
  });

  it('makes 200 copies in one batch (--list): numbers in order without gaps, one bad input reported without using a number', async () => {
    const scans = join(work, 'scans');
    mkdirSync(scans);
    const lines: string[] = [];
    for (let i = 1; i <= 201; i++) {
      const name = `scan-${String(i).padStart(3, '0')}.jpg`;
      // Copy 57 says JPEG but is garbage: building the PDF fails before any number is reserved.
      writeFileSync(join(scans, name), i === 57 ? BAD_JPEG : jpeg);
      lines.push(i % 50 === 0 ? `${name} ${name}` : name); // some copies have two pages
    }
    writeFileSync(join(scans, 'list.txt'), lines.join('\n') + '\n');
    const dataDir = join(work, 'data-batch');
    const outDir = join(work, 'out-batch');
    const t0 = Date.now();
    const r = kyso(['--list', join(scans, 'list.txt'), '-o', outDir, ...common(dataDir), '--json']);
    const ms = Date.now() - t0;
    expect(r.status, r.stderr.slice(-2000)).toBe(1); // one failure
    const summary = JSON.parse(r.stdout) as { total: number; ok: number; failed: number; results: { index: number; ok: boolean; certificationNumber?: number; resultCode?: string; output: string | null; error?: { code: string } }[] };
    expect([summary.total, summary.ok, summary.failed]).toEqual([201, 200, 1]);
    const bad = summary.results.find((x) => !x.ok)!;
    expect(bad.index).toBe(57);
    expect(bad.error?.code).toBe('PDF_MALFORMED');
    const good = summary.results.filter((x) => x.ok);
    expect(good.map((x) => x.certificationNumber)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(good.map((x) => x.resultCode)).size).toBe(200);
    // One owner: the first copy of the day has the date as its suffix, the next ones the date and their number.
    for (const x of good) expect(x.resultCode).toMatch(new RegExp(`^${OWNER}\\.KQ\\.G15\\.000021\\.\\d{8}${x.certificationNumber === 1 ? '' : `-${x.certificationNumber}`}$`));
    expect(readdirSync(outDir).filter((f) => f.endsWith('.pdf'))).toHaveLength(200);
    expect(readdirSync(outDir).some((f) => f.endsWith('.tmp'))).toBe(false);
    // stderr is not a TTY here: one plain line per copy.
    expect(r.stderr.split('\n').filter((l) => /^\[\d+\/201\]/.test(l))).toHaveLength(201);
    const store = await SqliteSequenceStore.open({ dataDir });
    try {
      const ledger = await store.ledger({ kind: 'cert', agency: AGENCY });
      // The bad input fails before anything is reserved: the book is 1..200, all confirmed, nothing voided.
      expect(ledger.map((a) => [a.value, a.state])).toEqual(Array.from({ length: 200 }, (_, i) => [i + 1, 'confirmed']));
      const results = await store.ledger({ kind: 'result', agency: OWNER });
      expect(results.filter((a) => a.state === 'voided')).toHaveLength(0);
      expect(results.filter((a) => a.state === 'confirmed')).toHaveLength(200);
    } finally {
      await store.close();
    }
    console.log(`200 certified copies in ${ms} ms`);
  }, 600_000);

  it('numbers contiguously across a missing file, a non-PDF named .pdf, a second copy for the same citizen and a retry after the TSA was down', async () => {
    const dir = join(work, 'day');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jpg'), jpeg);
    writeFileSync(join(dir, 'b.pdf'), 'not a PDF at all\n');
    writeFileSync(join(dir, 'c.jpg'), await makeJpeg(31));
    const dataDir = join(work, 'data-day');
    // Run without blocking: the TSA answers from this process.
    const one = async (file: string, extra: string[] = []) => {
      const r = await kysoAsync([join(dir, file), '-o', join(dir, `${file}.out.pdf`), ...common(dataDir), '--json', ...extra]);
      const summary = JSON.parse(r.stdout || '{"results":[{}]}') as { results: { ok: boolean; certificationNumber?: number; resultCode?: string; error?: { code: string } }[] };
      return { status: r.status, stderr: r.stderr, ...summary.results[0]! };
    };
    const services = await startTestServices(pki);
    try {
      const a = await one('a.jpg');
      expect([a.status, a.certificationNumber], a.stderr).toEqual([0, 1]);
      expect(a.resultCode).toMatch(new RegExp(`^${OWNER}\\.KQ\\.G15\\.000021\\.\\d{8}$`));
      const missing = await one('missing.jpg');
      expect([missing.status, missing.ok]).toEqual([1, false]);
      const notPdf = await one('b.pdf');
      expect([notPdf.status, notPdf.error?.code]).toEqual([1, 'PDF_NOT_PDF']);
      // The same citizen again the same day: a code of its own.
      const again = await one('c.jpg');
      expect([again.status, again.certificationNumber, again.resultCode]).toEqual([0, 2, `${a.resultCode}-2`]);
      // B-T with the TSA down fails after the numbers are taken; the same command with the TSA back gets them.
      writeFileSync(join(dir, 'd.jpg'), await makeJpeg(32));
      const down = await one('d.jpg', ['--level', 'B-T', '--tsa', 'http://127.0.0.1:9/tsa', '--timeout', '1500']);
      expect([down.status, down.ok]).toEqual([1, false]);
      const retry = await one('d.jpg', ['--level', 'B-T', '--tsa', `${services.baseUrl}/tsa`]);
      expect([retry.status, retry.certificationNumber, retry.resultCode], retry.stderr).toEqual([0, 3, `${a.resultCode}-3`]);
    } finally {
      await services.close();
    }
    const store = await SqliteSequenceStore.open({ dataDir });
    try {
      expect((await store.ledger({ kind: 'cert', agency: AGENCY })).map((x) => [x.value, x.state])).toEqual([1, 2, 3].map((n) => [n, 'confirmed']));
      expect((await store.ledger({ kind: 'result', agency: OWNER })).map((x) => x.state)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a bad scan is reported in the table without using a number; the next copy gets the next number', () => {
    const dir = join(work, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jpg'), jpeg);
    // A JPEG whose header says JPEG but whose body is garbage: building the PDF fails, before any number is reserved.
    writeFileSync(join(dir, 'b.jpg'), BAD_JPEG);
    writeFileSync(join(dir, 'd.txt'), 'not a scan, not picked from the folder');
    writeFileSync(join(dir, 'c.jpg'), jpeg);
    const dataDir = join(work, 'data-mixed');
    const r = kyso([dir, '-o', join(work, 'out-mixed'), ...common(dataDir)]);
    expect(r.status).toBe(1);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^#\s+input\s+status/);
    expect(rows[1]).toMatch(/^1\s+a\.jpg\s+ok\s+1\s+02\/\d{4}-SCTĐT\/BS/);
    expect(rows[2], rows[2]).toMatch(/^2\s+b\.jpg\s+FAILED\s+PDF_MALFORMED/);
    expect(rows[3]).toMatch(/^3\s+c\.jpg\s+ok\s+2\s/);
    expect(rows).toHaveLength(4);
    expect(readdirSync(join(work, 'out-mixed')).sort()).toEqual(['0001-a.pdf', '0003-c.pdf']); // named by position in the batch
  });
});
