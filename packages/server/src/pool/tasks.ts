import { isKysoError, KysoError, renderReport, signPdfDetailed, TrustStore, tsaTimestamper, verifyPdf, type KysoErrorCode, type SignPdfOptions, type Signer, type VerifyPdfOptions } from '@kyso/core';
import { PdfReader } from '@kyso/core/pdf';
import { sha256Hex } from '../sha256.js';

/**
 * The CPU-bound work of a request (parse, write the update, hash the byte
 * ranges, build the CMS; or verify), written once and run either on a worker
 * thread or, with `workers: 0`, on the main thread. Everything that crosses
 * a thread boundary is plain data: the signer and the TSA client are rebuilt
 * on the far side.
 */

/** Signing options as data: `tsa` stands for the timestamper. */
export type SignTaskOptions = Omit<SignPdfOptions, 'signer' | 'timestamper' | 'validation'> & {
  /**
   * `trustPolicy`: validation data (B-LT, B-LTA) is collected only for
   * chains that end at this policy's anchors or the configured extra roots,
   * from the URLs of those chains' certificates alone.
   */
  tsa?: { url: string; timeoutMs: number; trustPolicy: 'bcy' | 'vn'; revocation: 'require' | 'if-declared' };
};

export interface SignTaskResult {
  /**
   * The signed PDF; or, from a worker, only what the signature appended to
   * the input (an incremental update leaves the input as the output's
   * prefix), so the megabytes cross the thread boundary once, not twice.
   */
  output: { whole: Uint8Array } | { appended: Uint8Array };
  fieldName: string;
  inputSha256: string;
  outputSha256: string;
}

export interface VerifyTaskOptions {
  policy: 'bcy' | 'vn';
  /** `json`: the report as `kyso verify --json` prints it; `text`: rendered for a person. */
  format: 'json' | 'text';
  lang: 'vi' | 'en';
  /** An encrypted PDF's password (X-Pdf-Password). */
  pdfPassword?: string;
}

export interface VerifyTaskResult {
  verdict: string;
  body: string;
  inputSha256: string;
}

/** What the audit record needs from a task, filled even when the task fails. */
export interface TaskDigests {
  inputSha256?: string;
  outputSha256?: string;
}

export async function runSign(pdf: Uint8Array, signer: Signer, options: SignTaskOptions, digests: TaskDigests, trust: TrustStores, appendedOnly = false): Promise<SignTaskResult> {
  const { tsa, ...rest } = options;
  let result;
  try {
    result = await signPdfDetailed(pdf, {
      ...rest,
      signer,
      documentHashes: true,
      ...(tsa ? { timestamper: tsaTimestamper({ url: tsa.url, timeoutMs: tsa.timeoutMs }), validation: { timeoutMs: tsa.timeoutMs, sources: 'trusted-chain', store: trust.storeFor(tsa.trustPolicy), revocation: tsa.revocation } } : {}),
    });
  } catch (e) {
    digests.inputSha256 = sha256Hex(pdf); // the audit record names the refused document too
    throw e;
  }
  const inputSha256 = result.inputSha256!;
  const outputSha256 = result.outputSha256!;
  digests.inputSha256 = inputSha256;
  digests.outputSha256 = outputSha256;
  const out = result.pdf;
  // A copy, not a view: cloning a view for the main thread would clone the whole buffer under it.
  const output = appendedOnly && out.length >= pdf.length && Buffer.compare(out.subarray(0, pdf.length), pdf) === 0 ? { appended: new Uint8Array(out.subarray(pdf.length)) } : { whole: out };
  return { output, fieldName: result.fieldName, inputSha256, outputSha256 };
}

/**
 * Opens the document as signing will and reads its page tree, so a file the
 * worker would refuse is refused before anything is reserved for it (a
 * voided result code is never issued again). A thread's work: the parse of
 * a large file must not hold the event loop.
 */
export function runCheck(pdf: Uint8Array, pdfPassword?: string): void {
  PdfReader.open(pdf, pdfPassword !== undefined ? { password: pdfPassword } : {}).pageRefs();
}

/** The signed PDF as the pieces to send: the input and what was appended, or the whole output. */
export function signedParts(input: Uint8Array, r: SignTaskResult): Uint8Array[] {
  return 'whole' in r.output ? [r.output.whole] : [input, r.output.appended];
}

/** The signed PDF in one piece (copies when the output came as input + appended bytes). */
export function signedBytes(input: Uint8Array, r: SignTaskResult): Uint8Array {
  return 'whole' in r.output ? r.output.whole : Buffer.concat([input, r.output.appended]);
}

/** Trust stores per policy with the configured extra roots, built once per thread. */
export class TrustStores {
  readonly #stores = new Map<string, TrustStore>();
  constructor(readonly extraRoots: readonly (string | Uint8Array)[]) {}

  optionsFor(policy: 'bcy' | 'vn'): VerifyPdfOptions {
    if (this.extraRoots.length === 0) return { policy };
    return { trustStore: this.storeFor(policy) };
  }

  storeFor(policy: 'bcy' | 'vn'): TrustStore {
    let s = this.#stores.get(policy);
    if (!s) {
      s = TrustStore.forPolicy(policy);
      for (const r of this.extraRoots) s.addAnchors(r);
      this.#stores.set(policy, s);
    }
    return s;
  }
}

export async function runVerify(pdf: Uint8Array, trust: TrustStores, options: VerifyTaskOptions, digests: TaskDigests): Promise<VerifyTaskResult> {
  const inputSha256 = sha256Hex(pdf);
  digests.inputSha256 = inputSha256;
  const report = await verifyPdf(pdf, { ...trust.optionsFor(options.policy), ...(options.pdfPassword !== undefined ? { pdfPassword: options.pdfPassword } : {}) });
  const body = options.format === 'text' ? renderReport(report, options.lang) : JSON.stringify(report);
  return { verdict: report.verdict, body, inputSha256 };
}

/** An error as data (structured clone keeps only an Error's message). */
export interface TaskError {
  kyso: boolean;
  code?: string;
  message: string;
  messageVi?: string;
  details?: Record<string, unknown>;
}

export function errorToData(e: unknown): TaskError {
  if (isKysoError(e)) return { kyso: true, code: e.code, message: e.message, messageVi: e.messageVi, ...(e.details ? { details: e.details } : {}) };
  return { kyso: false, message: e instanceof Error ? e.message : String(e) };
}

export function errorFromData(d: TaskError): Error {
  if (d.kyso) return new KysoError(d.code as KysoErrorCode, d.message, { ...(d.messageVi ? { vi: d.messageVi } : {}), ...(d.details ? { details: d.details } : {}) });
  return new Error(d.message);
}
