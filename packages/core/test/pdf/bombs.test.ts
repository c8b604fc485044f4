/**
 * Hostile input has bounded cost (issue 17, point 2): each bomb of
 * bomb-files.ts goes through PdfReader.open plus reading every object and
 * the page tree, then verifyPdf, then signPdf, in a child process of its own
 * (bomb-child.ts) so that its memory is measured apart from the test
 * runner's. Every stage must end in success or a KysoError, within 2 s and
 * 256 MB of peak resident memory beyond what the process held with the file
 * loaded.
 *
 * Time: the bound is on the CPU time of the stage (the work itself); the
 * wall-clock time is held to the same bound scaled by how overloaded the
 * machine is, so that a shared machine does not fail the test while a stage
 * that waits or loops still does.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdf } from '../../src/index.js';
import { testPki } from '../helpers/fixtures.js';
import type { BombRun } from './bomb-child.js';
import { BOMBS, plainPdf, type BombContext } from './bomb-files.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./bomb-child.ts', import.meta.url));
/** Bump when a generator changes: the files are cached across runs (the 2 GiB bombs take seconds to make). */
const VERSION = 'v4';
const DIR = join(tmpdir(), `kyso-bombs-${VERSION}`);

const TIME_BOUND_MS = 2_000;
const MEMORY_BOUND_MB = 256;

/** What reading the bomb must end in; verify and sign must only end in success or some KysoError. */
const EXPECTED_READ: Record<string, string> = {
  'flate-objstm-2GiB': 'PDF_TOO_LARGE',
  'flate-xref-2GiB': 'PDF_TOO_LARGE',
  'flate-spread-16x30MiB': 'PDF_TOO_LARGE',
  'nest-array-100k': 'PDF_MALFORMED',
  'nest-dict-100k': 'PDF_MALFORMED',
  'nest-trailer-100k': 'PDF_MALFORMED',
  'nest-objstm-100k': 'PDF_MALFORMED',
  // Each object is shallow: the chain is read object by object.
  'nest-refs-100k': 'ok',
  // The loop cuts the chain off from the original section: no catalog.
  'prev-loop': 'PDF_MALFORMED',
  'page-tree-cycle': 'ok',
  'page-tree-dag': 'ok',
  'objstm-contains-itself': 'PDF_MALFORMED',
  'objstm-length-self': 'ok',
  'size-2^31-table': 'PDF_XREF_BROKEN',
  'size-2^31-xref-stream': 'PDF_XREF_BROKEN',
  'size-2^31-trailer-only': 'ok',
  'length-1GiB': 'ok',
  // Legitimate if unusual: bounded by time and memory, not refused.
  'million-objects-table': 'ok',
  'million-subsections': 'ok',
  'million-objects-objstm': 'ok',
  // Every object stays readable; the verifier judges the update whole (xref.too-many-entries).
  'update-million-entries': 'ok',
};

let pkiFile: string;
let ctx: BombContext;
const figures: string[] = [];

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  const pki = await testPki();
  pkiFile = join(DIR, 'pki.json');
  writeFileSync(pkiFile, JSON.stringify({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem, root: pki.root.certPem }));
  const signer = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  ctx = { signed: await signPdf(plainPdf(), { signer, signingTime: new Date(Date.UTC(2025, 0, 1)) }) };
}, 120_000);

describe('bombs: bounded work on hostile input, each a KysoError or success', () => {
  it('every bomb has an expected outcome', () => {
    expect(BOMBS.map((b) => b.name).sort()).toEqual(Object.keys(EXPECTED_READ).sort());
  });

  for (const bomb of BOMBS) {
    it(`${bomb.name}: ${bomb.what}`, async () => {
      const file = join(DIR, `${bomb.name}.pdf`);
      if (!existsSync(file)) writeFileSync(file, await bomb.make(ctx));
      const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, file, pkiFile], { timeout: 120_000, maxBuffer: 1 << 20 });
      const r = JSON.parse(stdout.trim().split('\n').pop()!) as BombRun;
      const slack = Math.max(1, loadavg()[0]! / cpus().length);
      figures.push(
        `${bomb.name.padEnd(24)} ${(r.fileBytes / 2 ** 20).toFixed(1).padStart(6)} MB file, +${r.growthMb.toFixed(0).padStart(3)} MB | ` +
          r.stages.map((s) => `${s.stage} ${s.outcome} ${s.cpuMs.toFixed(0)} ms cpu/${s.ms.toFixed(0)} ms wall`).join(' | '),
      );
      for (const s of r.stages) {
        expect(s.outcome, `${bomb.name} ${s.stage}`).not.toMatch(/^CRASH/);
        expect(s.outcome === 'ok' || /^[A-Z0-9_]+$/.test(s.outcome), `${bomb.name} ${s.stage}: ${s.outcome}`).toBe(true);
        expect(s.cpuMs, `${bomb.name} ${s.stage} CPU time`).toBeLessThan(TIME_BOUND_MS);
        expect(s.ms, `${bomb.name} ${s.stage} wall time (machine load x${slack.toFixed(1)})`).toBeLessThan(TIME_BOUND_MS * slack);
      }
      expect(r.stages[0]!.outcome, `${bomb.name} read`).toBe(EXPECTED_READ[bomb.name]);
      expect(r.growthMb, `${bomb.name} peak memory beyond the loaded file`).toBeLessThan(MEMORY_BOUND_MB);
    }, 180_000);
  }

  it('prints the figures', () => {
    console.log(`[bombs] bounds: ${TIME_BOUND_MS} ms per stage, ${MEMORY_BOUND_MB} MB beyond the file\n${figures.join('\n')}`);
  });
});
