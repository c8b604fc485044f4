/**
 * One fuzz case: the mutated file through the reader (every object up to a
 * cap, the page tree), the verifier, and for some cases the signer, whose
 * output must then read back and verify. Only success or a KysoError is an
 * acceptable outcome; anything else is thrown as a Crash naming the stage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KysoError, SoftwareSigner, TrustStore, signPdfDetailed, verifyPdf, type Signer } from '../packages/core/src/index.js';
import { PdfReader, PdfRef, PdfStream } from '../packages/core/src/pdf/index.js';
import { mutate } from './mutators.js';
import { Rng } from './rng.js';

export interface PkiPem {
  key: string;
  cert: string;
  chain: string;
  root: string;
}

export interface CaseTools {
  signer: Signer;
  trust: TrustStore;
}

export function makeTools(pki: PkiPem): CaseTools {
  return { signer: SoftwareSigner.fromPem({ key: pki.key, cert: pki.cert, chain: pki.chain }), trust: TrustStore.fromPem(pki.root) };
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** The seed files of a prepared seed directory, in a fixed order (the case numbering depends on it). */
export function loadSeeds(dir: string): Seed[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}

export interface CaseSpec {
  index: number;
  seedName: string;
  mutators: string[];
  sign: boolean;
  bytes: Uint8Array;
}

/** Case `index` of campaign `seed`: which seed file, which mutations, whether to sign. Pure. */
export function makeCase(seeds: readonly Seed[], seed: number, index: number, options: { signFraction: number; structuralOnly?: boolean }): CaseSpec {
  const rng = Rng.forCase(seed, index);
  const s = rng.pick(seeds);
  const sign = rng.next() < options.signFraction;
  const m = mutate(s.bytes, rng, { structuralOnly: options.structuralOnly === true });
  return { index, seedName: s.name, mutators: m.mutators, sign, bytes: m.bytes };
}

export class Crash extends Error {
  constructor(
    readonly stage: string,
    readonly error: unknown,
  ) {
    super(`${stage}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

export interface CaseOutcome {
  open: string;
  verify: string;
  sign: string;
  signed: boolean;
  signatures: number;
}

const SIGNING_TIME = new Date(Date.UTC(2025, 0, 1));
const VERIFY_AT = new Date(Date.UTC(2025, 6, 1));
/** Objects read per case: enough to reach every object of the small seeds, bounded for the huge mutants. */
const MAX_OBJECTS_READ = 400;

function accepted(e: unknown): e is KysoError {
  return e instanceof KysoError && typeof e.code === 'string' && e.code.length > 0;
}

function guard<T>(stage: string, codes: Map<string, string>, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (accepted(e)) {
      if (!codes.has(stage)) codes.set(stage, e.code);
      return undefined;
    }
    throw new Crash(stage, e);
  }
}

async function guardAsync<T>(stage: string, codes: Map<string, string>, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (accepted(e)) {
      codes.set(stage, e.code);
      return undefined;
    }
    throw new Crash(stage, e);
  }
}

function check(stage: string, what: string, ok: () => boolean): void {
  let result: boolean;
  try {
    result = ok();
  } catch (e) {
    throw new Crash(stage, new Error(`${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
  }
  if (!result) throw new Crash(stage, new Error(what));
}

export async function runCase(bytes: Uint8Array, tools: CaseTools, sign: boolean): Promise<CaseOutcome> {
  const codes = new Map<string, string>();
  let pages: string[] | undefined;
  const reader = guard('open', codes, () => PdfReader.open(bytes));
  if (reader) {
    guard('revisions', codes, () => reader.revisions.map((r) => [r.endOffset, r.kind, r.trailer.size]));
    guard('catalog', codes, () => reader.catalog());
    pages = guard('pageRefs', codes, () => reader.pageRefs().map((r) => r.key));
    guard('pageRef', codes, () => [reader.pageRef(0), reader.pageCount()]);
    const n = Math.min(reader.size, MAX_OBJECTS_READ);
    for (let i = 0; i < n; i++) {
      const obj = guard('getObject', codes, () => reader.getObject(new PdfRef(i, reader.generationOf(i))));
      if (obj instanceof PdfStream) guard('streamData', codes, () => reader.streamData(obj));
    }
  }

  const report = await guardAsync('verify', codes, () => verifyPdf(bytes, { trustStore: tools.trust, at: VERIFY_AT }));
  if (report) check('verify', 'the report lists no signatures array', () => Array.isArray(report.signatures));

  let signed: { pdf: Uint8Array; fieldName: string } | undefined;
  if (sign) signed = await guardAsync('sign', codes, () => signPdfDetailed(bytes, { signer: tools.signer, signingTime: SIGNING_TIME }));
  if (signed) {
    const out = signed.pdf;
    check('post-sign', 'the signed output does not start with the input bytes', () => out.length > bytes.length && Buffer.compare(Buffer.from(out.subarray(0, bytes.length)), Buffer.from(bytes)) === 0);
    check('post-sign', `signPdf succeeded on a file PdfReader.open refused (${codes.get('open')})`, () => reader !== undefined);
    let again: PdfReader;
    try {
      again = PdfReader.open(out);
    } catch (e) {
      throw new Crash('post-sign', new Error(`PdfReader.open cannot read signPdf's output: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
    }
    check('post-sign', 'the signed output does not have exactly one more revision', () => again.revisions.length === reader!.revisions.length + 1);
    check('post-sign', 'the new trailer /Prev is not the input startxref', () => again.trailer.get('Prev') === reader!.startxref);
    check('post-sign', 'the signed output has a different catalog reference', () => again.catalogRef().equals(reader!.catalogRef()));
    if (pages) {
      const before = pages;
      check('post-sign', 'the signed output has different pages than the input', () => {
        const after = again.pageRefs().map((r) => r.key);
        return after.length === before.length && after.every((k, i) => k === before[i]);
      });
    }
    // What kyso signed, kyso must verify as intact and covering the whole file.
    let verified;
    try {
      verified = await verifyPdf(out, { trustStore: tools.trust, at: VERIFY_AT });
    } catch (e) {
      // A file the verifier refused before signing may be refused after, for the same damage.
      if (!report && accepted(e)) return outcome(codes, reader, sign, true, report);
      throw new Crash('post-sign', new Error(`verifyPdf fails on signPdf's output (it verified the input): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
    }
    // A damaged form can hide an older signature of the same name, which the verifier still lists: mine is the one that ends the file.
    const named = verified.signatures.filter((s) => s.field === signed!.fieldName);
    const mine = named.find((s) => s.signedLength === out.length) ?? named[named.length - 1];
    check('post-sign', `verifyPdf does not list the new signature ${signed.fieldName}`, () => mine !== undefined);
    check('post-sign', `the new signature verifies as integrity=${mine!.integrity}, coversWholeDocument=${mine!.coversWholeDocument}`, () => mine!.integrity === 'ok' && mine!.coversWholeDocument);
  }
  return outcome(codes, reader, sign, signed !== undefined, report);
}

function outcome(codes: Map<string, string>, reader: PdfReader | undefined, sign: boolean, signed: boolean, report: { signatures: unknown[] } | undefined): CaseOutcome {
  return {
    open: codes.get('open') ?? (reader ? 'ok' : '?'),
    verify: codes.get('verify') ?? 'ok',
    sign: sign ? (codes.get('sign') ?? 'ok') : '-',
    signed,
    signatures: report?.signatures.length ?? 0,
  };
}
