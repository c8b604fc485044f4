/**
 * Runs one fuzz case at a time in a worker thread, so that the test can
 * kill a case that hangs (a synchronous infinite loop cannot be interrupted
 * from its own thread). Loaded through tsx by fuzz.test.ts; not a test file.
 *
 * For each PDF: PdfReader.open, catalog(), pageRefs(), getObject for every
 * object number below min(size, 200) (decoding the streams it returns),
 * then signPdf. Only success or a KysoError is acceptable; anything else is
 * reported back as a crash with its stage.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KysoError, SoftwareSigner, signPdf, type Signer } from '../../src/index.js';
import { PdfReader, PdfRef, PdfStream } from '../../src/pdf/index.js';

export interface FuzzRequest {
  id: number;
  bytes: Uint8Array;
}

export type FuzzResponse =
  | { id: number; ok: true; ms: number; open: string; signed: boolean; sign: string; codes: string[] }
  | { id: number; ok: false; ms: number; stage: string; name: string; message: string; stack: string };

interface WorkerInit {
  key: string;
  cert: string;
  chain: string;
}

class Crash {
  constructor(
    readonly stage: string,
    readonly error: unknown,
  ) {}
}

const init = workerData as WorkerInit;
const signer: Signer = SoftwareSigner.fromPem({ key: init.key, cert: init.cert, chain: init.chain });

/** Runs fn; a KysoError is an accepted outcome (its code is recorded), anything else a crash. */
function guard<T>(stage: string, codes: string[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KysoError && typeof e.code === 'string' && e.code.length > 0) {
      codes.push(`${stage}:${e.code}`);
      return undefined;
    }
    throw new Crash(stage, e);
  }
}

async function runCase(bytes: Uint8Array): Promise<Omit<Extract<FuzzResponse, { ok: true }>, 'id' | 'ms'>> {
  const codes: string[] = [];
  let pagesBefore: string[] | undefined;
  const reader = guard('open', codes, () => PdfReader.open(bytes));
  if (reader) {
    guard('revisions', codes, () => {
      for (const r of reader.revisions) void [r.endOffset, r.kind, r.trailer.size];
    });
    guard('catalog', codes, () => reader.catalog());
    pagesBefore = guard('pageRefs', codes, () => reader.pageRefs().map((r) => r.key));
    guard('pageRef', codes, () => [reader.pageRef(0), reader.pageCount()]);
    const n = Math.min(reader.size, 200);
    for (let i = 0; i < n; i++) {
      const obj = guard(`getObject(${i})`, codes, () => reader.getObject(new PdfRef(i, reader.generationOf(i))));
      if (obj instanceof PdfStream) guard(`streamData(${i})`, codes, () => reader.streamData(obj));
    }
  }

  let out: Uint8Array | undefined;
  try {
    out = await signPdf(bytes, { signer, signingTime: new Date(Date.UTC(2025, 0, 1)) });
  } catch (e) {
    if (!(e instanceof KysoError && typeof e.code === 'string')) throw new Crash('signPdf', e);
    codes.push(`signPdf:${e.code}`);
  }
  if (out) {
    // Incremental: the input is a prefix of the output, untouched.
    if (out.length <= bytes.length || Buffer.compare(Buffer.from(out.buffer, out.byteOffset, bytes.length), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)) !== 0) {
      throw new Crash('post-sign', new Error('signPdf output does not start with the input bytes'));
    }
    if (!reader) throw new Crash('post-sign', new Error(`signPdf succeeded on a file PdfReader.open refused (${codes.join(', ')})`));
    let again: PdfReader;
    try {
      again = PdfReader.open(out);
    } catch (e) {
      throw new Crash('post-sign', new Error(`PdfReader.open cannot read signPdf's output: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
    }
    if (again.revisions.length !== reader.revisions.length + 1) {
      throw new Crash('post-sign', new Error(`signed output has ${again.revisions.length} revisions, expected ${reader.revisions.length + 1}`));
    }
    // The update must not lose or replace what was there: same catalog, same pages.
    const post = (what: string, fn: () => boolean): void => {
      let ok: boolean;
      try {
        ok = fn();
      } catch (e) {
        throw new Crash('post-sign', new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      }
      if (!ok) throw new Crash('post-sign', new Error(what));
    };
    post('the new trailer /Prev is not the input startxref', () => again.trailer.get('Prev') === reader.startxref);
    post('the signed output has a different catalog reference', () => again.catalogRef().equals(reader.catalogRef()));
    if (pagesBefore) {
      const before = pagesBefore;
      post('the signed output has different pages than the input', () => {
        const after = again.pageRefs().map((r) => r.key);
        return before.length === after.length && before.every((k, i) => k === after[i]);
      });
    }
  }
  const first = (prefix: string): string => codes.find((c) => c.startsWith(prefix))?.slice(prefix.length) ?? 'ok';
  return { ok: true, open: first('open:'), signed: out !== undefined, sign: first('signPdf:'), codes: codes.slice(0, 20) };
}

parentPort!.on('message', (req: FuzzRequest) => {
  const t0 = performance.now();
  runCase(req.bytes).then(
    (r) => parentPort!.postMessage({ id: req.id, ms: performance.now() - t0, ...r } satisfies FuzzResponse),
    (e: unknown) => {
      const c = e instanceof Crash ? e : new Crash('unknown', e);
      const err = c.error instanceof Error ? c.error : new Error(String(c.error));
      parentPort!.postMessage({
        id: req.id,
        ok: false,
        ms: performance.now() - t0,
        stage: c.stage,
        name: err.name,
        message: err.message,
        stack: err.stack ?? '',
      } satisfies FuzzResponse);
    },
  );
});
parentPort!.postMessage('ready');
