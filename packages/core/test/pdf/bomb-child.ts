/**
 * Runs one bomb in a process of its own, so that its memory can be measured
 * (peak resident set beyond what the process held once the file was loaded)
 * without the test runner's heap in the figure. Not a test file.
 *
 *   node --expose-gc --import tsx bomb-child.ts <file.pdf> <pki.json>
 *
 * Prints one JSON line: per stage (read, verify, sign) its time and outcome.
 */
import { readFileSync } from 'node:fs';
import { KysoError, SoftwareSigner, TrustStore, signPdf, verifyPdf } from '../../src/index.js';
import { PdfReader, PdfRef, PdfStream } from '../../src/pdf/index.js';

export interface StageResult {
  stage: 'read' | 'verify' | 'sign';
  /** Wall-clock time. */
  ms: number;
  /** CPU time (user + system) of the process: the work itself, whatever else the machine runs. */
  cpuMs: number;
  /** 'ok', a KysoError code, or "CRASH <name>: <message>" for anything else. */
  outcome: string;
  /** Objects the read stage got through. */
  objects?: number;
}

export interface BombRun {
  fileBytes: number;
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  stages: StageResult[];
}

const [file, pkiFile] = process.argv.slice(2);
const pki = JSON.parse(readFileSync(pkiFile!, 'utf8')) as { key: string; cert: string; chain: string; root: string };
const signer = SoftwareSigner.fromPem({ key: pki.key, cert: pki.cert, chain: pki.chain });
const trustStore = TrustStore.fromPem(pki.root);
const at = new Date(Date.UTC(2025, 6, 1));

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function outcome(e: unknown): string {
  if (e instanceof KysoError) return e.code;
  return `CRASH ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 300);
}

function readAll(bytes: Uint8Array): number {
  const r = PdfReader.open(bytes);
  void r.revisions.length;
  r.catalog();
  r.pageRefs();
  r.pageRef(0);
  r.pageCount();
  let n = 0;
  for (let i = 0; i < r.size; i++) {
    const o = r.getObject(new PdfRef(i, r.generationOf(i)));
    if (o instanceof PdfStream) r.streamData(o);
    n++;
  }
  return n;
}

async function stages(bytes: Uint8Array): Promise<StageResult[]> {
  const out: StageResult[] = [];
  let t = performance.now();
  let cpu = process.cpuUsage();
  const cpuMs = (): number => {
    const d = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    return (d.user + d.system) / 1000;
  };
  let objects = 0;
  let o = 'ok';
  try {
    objects = readAll(bytes);
  } catch (e) {
    o = outcome(e);
  }
  out.push({ stage: 'read', ms: performance.now() - t, cpuMs: cpuMs(), outcome: o, objects });
  // What a finished stage left for the collector is not the next stage's cost.
  gc();
  cpuMs();
  t = performance.now();
  o = 'ok';
  try {
    await verifyPdf(bytes, { trustStore, at });
  } catch (e) {
    o = outcome(e);
  }
  out.push({ stage: 'verify', ms: performance.now() - t, cpuMs: cpuMs(), outcome: o });
  gc();
  cpuMs();
  t = performance.now();
  o = 'ok';
  try {
    await signPdf(bytes, { signer, signingTime: at });
  } catch (e) {
    o = outcome(e);
  }
  out.push({ stage: 'sign', ms: performance.now() - t, cpuMs: cpuMs(), outcome: o });
  return out;
}

const tiny = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>\nendobj\n',
  'latin1',
);
function withXref(body: Buffer): Buffer {
  const text = body.toString('latin1');
  const offs = [...text.matchAll(/(\d+) 0 obj/g)].map((m) => m.index!);
  const xref = `xref\n0 ${offs.length + 1}\n0000000000 65535 f\r\n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}trailer\n<< /Size ${offs.length + 1} /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`;
  return Buffer.concat([body, Buffer.from(xref, 'latin1')]);
}

async function main(): Promise<void> {
  // Warm up on a good file: modules, JIT and the signer's first use are not the bomb's cost.
  await stages(withXref(tiny));
  const bytes = new Uint8Array(readFileSync(file!));
  gc();
  const baseline = process.memoryUsage().rss;
  const result = await stages(bytes);
  const peak = process.resourceUsage().maxRSS * 1024;
  const run: BombRun = {
    fileBytes: bytes.length,
    baselineMb: baseline / 2 ** 20,
    peakMb: peak / 2 ** 20,
    growthMb: Math.max(0, peak - baseline) / 2 ** 20,
    stages: result,
  };
  process.stdout.write(JSON.stringify(run) + '\n');
}

void main();
