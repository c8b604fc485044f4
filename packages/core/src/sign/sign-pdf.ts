/**
 * The PAdES levels over the signature update: B-B signs the byte ranges, B-T
 * adds a signature timestamp to the CMS, B-LT and B-LTA extend the signed
 * file with a DSS and a document timestamp (ltv.ts).
 */
import { createHash } from 'node:crypto';
import { open, rename, readFile, unlink } from 'node:fs/promises';
import { renderAppearance, type AppearanceInput, type RenderedAppearance } from '../appearance/index.js';
import { cachedTemplate } from '../cms/sign-detached.js';
import { OID as CMS_OID } from '../cms/oids.js';
import { DEFAULT_TOKEN_RESERVE, type Signer } from '../contracts/index.js';
import { KysoError } from '../errors.js';
import { PdfReader, type ByteRange } from '../pdf/index.js';
import { describeSigner } from '../trust/index.js';
import { extendPdf } from './ltv.js';
import type { SignatureAppearance, SignPdfOptions } from './options.js';
import { fillHole, inputHash, preparePdf, type PreparedPdf } from './signature-update.js';

export interface SignPdfResult {
  pdf: Uint8Array;
  fieldName: string;
  byteRange: ByteRange;
  /** With `documentHashes`: hex SHA-256 of the input and of the signed file. */
  inputSha256?: string;
  outputSha256?: string;
}

/**
 * Signs a PDF (PAdES B-B with ETSI.CAdES.detached) as one incremental
 * update appended to the given bytes, which are never modified.
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  return (await signPdfDetailed(pdf, options)).pdf;
}

export async function signPdfDetailed(pdf: Uint8Array, options: SignPdfOptions): Promise<SignPdfResult> {
  const prepared = await signPrepared(pdf, options);
  let out: Uint8Array = Buffer.concat([prepared.original, prepared.update]);
  const hashes = options.documentHashes ? (inputHash(prepared) ?? createHash('sha256').update(pdf)) : undefined;
  if (options.level === 'B-LT' || options.level === 'B-LTA') {
    out = await extendPdf(out, {
      level: options.level,
      fields: [prepared.fieldName],
      ...(options.pdfPassword !== undefined ? { pdfPassword: options.pdfPassword } : {}),
      ...(options.timestamper ? { timestamper: options.timestamper } : {}),
      ...(options.validation ? { validation: options.validation } : {}),
    });
  }
  const result: SignPdfResult = { pdf: out, fieldName: prepared.fieldName, byteRange: prepared.byteRange };
  if (hashes) {
    result.inputSha256 = hashes.copy().digest('hex');
    // Every update kyso writes is appended: the signed file starts with the input, byte for byte.
    result.outputSha256 = hashes.update(out.subarray(pdf.length)).digest('hex');
  }
  return result;
}

export interface SignPdfFileResult {
  fieldName: string;
  byteRange: ByteRange;
  /** Size of the signed file written. */
  size: number;
}

/** Signs without joining the result: the signed file is `original` followed by `update`. */
async function signPrepared(pdf: Uint8Array, options: SignPdfOptions): Promise<PreparedPdf> {
  const { signer } = options;
  if (options.level && options.level !== 'B-B' && !options.timestamper) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `PAdES ${options.level} needs a timestamp authority (timestamper / --tsa).`, { vi: `Mức PAdES ${options.level} cần máy chủ cấp dấu thời gian (timestamper / --tsa).` });
  }
  if (!signer || typeof signer.sign !== 'function') {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'signPdf needs a signer.', { vi: 'signPdf cần một đối tượng ký (signer).' });
  }
  const template = cachedTemplate(signer, options.digest);
  const signingTime = options.signingTime ?? new Date();
  // An encrypted document's pages are read with its password.
  const source = options.pdfPassword !== undefined && options.appearance && !('pdf' in options.appearance) ? PdfReader.open(pdf, { password: options.pdfPassword }) : pdf;
  const appearance = options.appearance && !('pdf' in options.appearance) ? await renderFor(source, signer, signingTime, options.appearance) : options.appearance;
  const tokenReserve = options.timestamper ? (options.timestamper.maxTokenSize ?? DEFAULT_TOKEN_RESERVE) : 0;
  const { appearance: _unused, ...rest } = options;
  const prepared = preparePdf(pdf, { ...rest, signingTime, ...(appearance ? { appearance } : {}), digest: template.digest, contentsCapacity: template.maxSize(tokenReserve) + (options.reserveBytes ?? 0) });
  let cms: Uint8Array;
  try {
    if (options.timestamper) {
      const attrs = template.signedAttributes(prepared.documentDigest);
      const value = await signer.sign(attrs, template.digest);
      const tsDigest = options.timestamper.digest ?? 'SHA-256';
      const imprint = createHash(tsDigest.replace('-', '').toLowerCase()).update(value).digest();
      const token = await options.timestamper.timestamp(imprint, tsDigest);
      cms = template.assemble(attrs, value, { unsignedAttributes: [{ type: CMS_OID.signatureTimeStampToken, values: [token] }] });
    } else {
      cms = await template.sign(prepared.documentDigest);
    }
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('SIGN_SIGNER_FAILED', `The signer failed: ${e instanceof Error ? e.message : String(e)}`, { vi: 'Thiết bị hoặc khoá ký báo lỗi khi ký.', cause: e });
  }
  fillHole(prepared, cms);
  return prepared;
}

/** Renders a visible appearance, filling the signer's identity from its certificate. */
async function renderFor(pdf: Uint8Array | PdfReader, signer: Signer, signingTime: Date, a: SignatureAppearance): Promise<RenderedAppearance> {
  let identity: Partial<AppearanceInput> = {};
  try {
    const id = describeSigner(signer.certificate);
    identity = {
      ...(id.commonName ? { commonName: id.commonName } : {}),
      ...(id.email ? { email: id.email } : {}),
      ...(id.organization ? { organization: id.organization } : {}),
      organizationalUnits: id.organizationalUnits,
    };
  } catch {
    // an unreadable certificate leaves the text to the caller's data
  }
  return renderAppearance(pdf, a.layout, { ...identity, signingTime, ...a.data }, a.placement);
}

/**
 * Signs a file into another file. The output is written to a temporary
 * file and renamed, so a failure never leaves a half-written PDF.
 */
export async function signPdfFile(input: string, output: string, options: SignPdfOptions): Promise<SignPdfFileResult> {
  let pdf: Uint8Array;
  try {
    pdf = await readFile(input);
  } catch (e) {
    throw new KysoError('IO_ERROR', `Cannot read ${input}: ${(e as Error).message}`, { vi: `Không đọc được tệp ${input}.`, cause: e });
  }
  let parts: Uint8Array[];
  let meta: { fieldName: string; byteRange: ByteRange };
  if (options.level === 'B-LT' || options.level === 'B-LTA') {
    const r = await signPdfDetailed(pdf, options);
    parts = [r.pdf];
    meta = r;
  } else {
    const prepared = await signPrepared(pdf, options);
    parts = [prepared.original, prepared.update];
    meta = prepared;
  }
  const tmp = `${output}.kyso-${process.pid}-${Date.now()}.tmp`;
  try {
    // Input and update are written one after the other: a large file is never copied in memory.
    const handle = await open(tmp, 'w');
    try {
      await handle.writev(parts);
    } finally {
      await handle.close();
    }
    await rename(tmp, output);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new KysoError('IO_ERROR', `Cannot write ${output}: ${(e as Error).message}`, { vi: `Không ghi được tệp ${output}.`, cause: e });
  }
  return { fieldName: meta.fieldName, byteRange: meta.byteRange, size: parts.reduce((n, p) => n + p.length, 0) };
}
