/**
 * Smoke test of the signing benchmark harness: it runs, in its smallest
 * mode, as a child process and prints one well-formed JSON object. Speed is
 * never asserted here; numbers live in benchmarks/README.md.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeImagePdf, makeTextPdf } from './fixtures.js';

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
      library: { perSec: number; cpuMsPerSign: number };
      saturation: { perSec: number; p50: number; p99: number; statuses: Record<string, number> };
      overload: { statuses: Record<string, number>; onlyBusyBeyondCapacity: boolean; peakRssBytes: number; aliveAfter: boolean; audit: { records: number; chainOk: boolean; missing: number; unaudited: number } };
      csc: { raw: { alone: { perSec: number }; all: { perSec: number; perSecPerThread: number } }; batch1: { hashesPerSec: number; statuses: Record<string, number> }; batch50: { hashesPerCall: number; hashesPerSec: number; ratioPerCore: number; efficiency: number; statuses: Record<string, number> } };
    };
    expect(r.library.perSec).toBeGreaterThan(0);
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
