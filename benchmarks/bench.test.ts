/**
 * Smoke tests of the benchmark harnesses (sign, server, startup, and
 * `pnpm bench`'s all.ts): each runs, in its smallest mode, as a child
 * process and prints one well-formed JSON object. Speed is never asserted
 * here; numbers live in benchmarks/README.md.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeImagePdf, makeTextPdf } from './fixtures.js';
import { formatTable, type Row } from './bench-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

/** Whether the kyso signing API exists yet (the harness reports n/a until then). */
async function kysoApiPresent(): Promise<boolean> {
  const mod = (await import('@kyso/core')) as unknown as Record<string, unknown>;
  const signer = mod['SoftwareSigner'] as { fromPkcs12?: unknown } | undefined;
  return typeof mod['signPdf'] === 'function' && typeof signer?.fromPkcs12 === 'function';
}

describe('benchmarks/sign.bench.ts', () => {
  it('prints one JSON object with the documented shape in --json mode', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(here, 'sign.bench.ts'), '--json', '--quick', '--sizes', '100KB', '--only', 'limit,kyso'],
      { cwd: root, timeout: 150_000, maxBuffer: 1 << 20 },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as { cases: Array<Record<string, unknown>> };
    expect(Object.keys(report)).toEqual(['cases']);
    expect(report.cases.map((c) => c['name'])).toEqual(['text-100KB', 'image-100KB']);
    const kysoPresent = await kysoApiPresent();
    for (const c of report.cases) {
      expect(Object.keys(c).sort()).toEqual(
        ['kysoPeakRssBytes', 'kysoPerSec', 'libpdfPerSec', 'limitPerSec', 'name', 'signpdfPerSec', 'sizeBytes'].sort(),
      );
      expect(c['sizeBytes']).toBeTypeOf('number');
      expect(c['sizeBytes'] as number).toBeGreaterThan(50_000);
      expect(c['limitPerSec']).toBeTypeOf('number');
      expect(c['limitPerSec'] as number).toBeGreaterThan(0);
      // Peers not asked for are reported as null.
      expect(c['libpdfPerSec']).toBeNull();
      expect(c['signpdfPerSec']).toBeNull();
      if (kysoPresent) {
        expect(c['kysoPerSec']).toBeTypeOf('number');
        expect(c['kysoPeakRssBytes']).toBeTypeOf('number');
      } else {
        expect(c['kysoPerSec']).toBeNull();
        expect(c['kysoPeakRssBytes']).toBeNull();
      }
    }
  }, 180_000);
});

describe('benchmarks/server.bench.ts', () => {
  // Runs the whole harness briefly: what it checks beyond speed (beyond capacity only 429/503,
  // the server alive afterwards, every response in an intact audit chain) must hold at any rate.
  it('prints one JSON report; under 3x overload only 429/503, no crash, no response missing from the audit log', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'server.bench.ts'), '--json', '--quick', '--size', '100KB', '--seconds', '0.6'], {
      cwd: root,
      timeout: 150_000,
      maxBuffer: 1 << 20,
    });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as {
      workers: number;
      sizeBytes: number;
      library: { perSec: number; cpuMsPerSign: number };
      libraryWorkers: { threads: number; perSec: number; cpuMsPerSign: number };
      ceiling: { clients: number; perSec: number; serverCpuMsPerRequest: number; responseBytes: number; p50: number; p99: number; statuses: Record<string, number> };
      saturation: { clients: number; perSec: number; p50: number; p99: number; statuses: Record<string, number> };
      service: { ratio: number; limitedBy: string; target: number; pass: boolean };
      at70: { rate: number; p50: number; p99: number; p99TargetMs: number; p99Pass: boolean; statuses: Record<string, number> };
      overload: { factor: number; rate: number; statuses: Record<string, number>; onlyBusyBeyondCapacity: boolean; peakRssBytes: number; aliveAfter: boolean; audit: { records: number; chainOk: boolean; missing: number; unaudited: number } };
      csc: { raw: { alone: { perSec: number }; all: { perSec: number; perSecPerThread: number } }; batch1: { hashesPerSec: number; statuses: Record<string, number> }; batch50: { hashesPerCall: number; hashesPerSec: number; ratioPerCore: number; efficiency: number; statuses: Record<string, number> } };
    };
    expect(r.library.perSec).toBeGreaterThan(0);
    // The library on as many threads as the service's workers, and the HTTP ceiling, from the same run.
    expect(r.libraryWorkers.threads).toBe(r.workers);
    expect(r.libraryWorkers.perSec).toBeGreaterThan(0);
    expect(r.ceiling.clients).toBe(r.saturation.clients);
    expect(r.ceiling.perSec).toBeGreaterThan(0);
    expect(r.ceiling.responseBytes).toBe(r.sizeBytes + 20 * 1024);
    expect(Object.keys(r.ceiling.statuses)).toEqual(['200']);
    expect(r.service.ratio).toBeCloseTo(r.saturation.perSec / Math.min(r.libraryWorkers.perSec, r.ceiling.perSec), 6);
    expect(['library', 'ceiling']).toContain(r.service.limitedBy);
    expect(r.service.target).toBe(0.85);
    expect(typeof r.service.pass).toBe('boolean');
    expect(r.at70.rate).toBeCloseTo(0.7 * r.saturation.perSec, 6);
    expect(r.at70.p99TargetMs).toBe(50);
    expect(typeof r.at70.p99Pass).toBe('boolean');
    expect(r.overload.factor).toBe(3);
    expect(r.overload.rate).toBeCloseTo(3 * r.saturation.perSec, 6);
    expect(r.saturation.perSec).toBeGreaterThan(0);
    expect(Object.keys(r.saturation.statuses)).toEqual(['200']);
    expect(r.overload.onlyBusyBeyondCapacity).toBe(true);
    expect(r.overload.statuses['0'] ?? 0).toBe(0);
    expect(r.overload.aliveAfter).toBe(true);
    expect(r.overload.audit.chainOk).toBe(true);
    expect(r.overload.audit.missing).toBe(0);
    expect(r.overload.audit.unaudited).toBe(0);
    const answered = Object.values(r.overload.statuses).reduce((a, b) => a + b, 0);
    expect(r.overload.audit.records).toBeGreaterThanOrEqual(answered);
    expect(r.overload.peakRssBytes).toBeGreaterThan(0);
    // signatures/signHash against the raw RSA operation, measured in the same run: figures present, every call answered 200.
    expect(r.csc.raw.alone.perSec).toBeGreaterThan(0);
    expect(r.csc.raw.all.perSecPerThread).toBeGreaterThan(0);
    expect(r.csc.batch50.hashesPerCall).toBe(50);
    for (const b of [r.csc.batch1, r.csc.batch50]) {
      expect(b.hashesPerSec).toBeGreaterThan(0);
      expect(Object.keys(b.statuses)).toEqual(['200']);
    }
    expect(r.csc.batch50.efficiency).toBeGreaterThan(0);
  }, 180_000);
});

describe('benchmarks/startup.bench.ts', () => {
  it('prints one JSON object: floor, verify and sign medians, ratios to the floor', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'startup.bench.ts'), '--json', '--runs', '1'], { cwd: root, timeout: 120_000, maxBuffer: 1 << 20 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as Record<string, any>;
    expect(Object.keys(r).sort()).toEqual(['cpus', 'floor', 'loadAverage', 'node', 'pass', 'runs', 'sign', 'targetSeconds', 'verify'].sort());
    expect(r.runs).toBe(1);
    expect(r.targetSeconds).toBe(0.3);
    expect(r.floor.command).toBe('node -e 0');
    for (const k of ['floor', 'verify', 'sign']) {
      expect(r[k].runs).toBe(1);
      expect(r[k].medianMs).toBeGreaterThan(0);
      expect(r[k].minMs).toBeLessThanOrEqual(r[k].medianMs);
      expect(r[k].maxMs).toBeGreaterThanOrEqual(r[k].medianMs);
    }
    for (const k of ['verify', 'sign']) {
      expect(r[k].ratio).toBeCloseTo(r[k].medianMs / r.floor.medianMs, 6);
      expect(typeof r[k].pass).toBe('boolean');
    }
    expect(r.verify.command).toContain('packages/cli/dist/bin.js verify');
    expect(r.sign.command).toContain('packages/cli/dist/bin.js sign');
  }, 150_000);
});

describe('benchmarks/all.ts', () => {
  it('runs the chosen benchmarks in their smallest modes and prints one combined JSON object with a row per figure', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'all.ts'), '--json', '--smallest', '--only', 'startup,verify'], { cwd: root, timeout: 150_000, maxBuffer: 1 << 22 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as { node: string; cpus: number; loadAverage: { start: number[]; end: number[] }; mode: string; reports: Record<string, unknown>; errors: Record<string, string>; skipped: Record<string, string>; rows: Row[] };
    expect(Object.keys(r).sort()).toEqual(['cpus', 'errors', 'loadAverage', 'mode', 'node', 'reports', 'rows', 'skipped'].sort());
    expect(r.mode).toBe('smallest');
    expect(r.cpus).toBeGreaterThan(0);
    expect(r.loadAverage.start).toHaveLength(3);
    expect(r.loadAverage.end).toHaveLength(3);
    expect(r.errors).toEqual({});
    expect(Object.keys(r.reports).sort()).toEqual(['startup', 'verify']);
    expect(r.rows.map((x) => [x.bench, x.figure])).toEqual([
      ['verify', 'text-100KB-2sig verify/one hash pass'],
      ['startup', 'verify median / node -e 0'],
      ['startup', 'sign median / node -e 0'],
    ]);
    for (const row of r.rows) {
      expect(row.ratio).toBeTypeOf('number');
      expect(row.target).not.toBe('');
      expect(typeof row.pass).toBe('boolean');
    }
  }, 180_000);

  it('formats the table: one line per row, ratios right-aligned, PASS/FAIL, targets met counted', () => {
    const rows: Row[] = [
      { bench: 'server', figure: 'service/min(library ×2, HTTP ceiling)', measured: '264.0/s', against: 'library 300.0/s', ratio: 0.88, target: '≥ 0.85', pass: true },
      { bench: 'server', figure: 'p99 at 70 % of saturation (open loop)', measured: '54.6 ms', against: '185/s', ratio: null, target: '< 50 ms', pass: false },
      { bench: 'sign', figure: 'text-1MB kyso/@signpdf', measured: '843.0/s', against: '@signpdf 4.17/s', ratio: 202.2, target: '≥ 50', pass: true },
      { bench: 'sign', figure: 'text-10MB kyso/limit', measured: '117.0/s', against: 'limit 172.0/s', ratio: 0.68, target: '', pass: null },
    ];
    const lines = formatTable(rows).split('\n');
    expect(lines[0]).toMatch(/^bench\s+figure\s+measured\s+against \(same run\)\s+ratio\s+target\s+meets$/);
    expect(lines[1]).toMatch(/^-+( +-+){6}$/);
    expect(lines).toHaveLength(2 + rows.length + 2);
    expect(lines[2]).toMatch(/0\.88×\s+≥ 0\.85\s+PASS$/);
    expect(lines[3]).toMatch(/54\.6 ms\s+185\/s\s+< 50 ms\s+FAIL$/);
    expect(lines[4]).toContain(' 202×');
    expect(lines[5]).toMatch(/0\.68×$/);
    // The ratio column is right-aligned: every ratio ends at the same column.
    const ends = [2, 4, 5].map((i) => lines[i]!.lastIndexOf('×'));
    expect(new Set(ends).size).toBe(1);
    expect(lines.at(-1)).toBe('2 of 3 targets met');
  });
});

describe('benchmarks/fixtures.ts', () => {
  it('makes deterministic PDFs of about the requested size', async () => {
    for (const make of [makeTextPdf, makeImagePdf]) {
      const a = await make(64 * 1024, 7);
      const b = await make(64 * 1024, 7);
      const c = await make(64 * 1024, 8);
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
      expect(Math.abs(a.length - 64 * 1024) / (64 * 1024)).toBeLessThan(0.05);
      expect(Buffer.from(a.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
      // Classic cross-reference table: startxref points at an "xref" keyword.
      const tail = Buffer.from(a.subarray(-64)).toString('latin1');
      const startxref = Number(/startxref\s+(\d+)/.exec(tail)?.[1]);
      expect(Buffer.from(a.subarray(startxref, startxref + 4)).toString('latin1')).toBe('xref');
    }
  });
});
