import * as asn1js from 'asn1js';
import { inspectCms, inspectTimestampToken, type CmsInspection } from '../cms/inspect/index.js';
import { KysoError } from '../errors.js';
import { formFields, PdfDict, PdfReader, PdfRef, PdfString, readDss } from '../pdf/index.js';
import type { Timestamper } from '../contracts/index.js';
import { collectValidationData, type CollectValidationOptions, type ValidationData } from '../time/index.js';
import { addDocumentTimestamp } from './document-timestamp.js';
import { addDss, type VriEntry } from './dss.js';

export interface ExtendPdfOptions {
  level: 'B-LT' | 'B-LTA';
  /** The TSA for the document timestamp (B-LTA). */
  timestamper?: Timestamper;
  /** How validation data is fetched (OCSP, CRL); network use is explicit here. */
  validation?: CollectValidationOptions;
  /** Only these signature fields (default: every signature and document timestamp). */
  fields?: readonly string[];
  /** The password of an encrypted PDF (user or owner; default the empty user password): the DSS and timestamp updates are encrypted as the document is. */
  pdfPassword?: string;
}

/**
 * Augments a signed PDF, ours or anyone's: B-LT adds a DSS with the chains
 * and revocation data of its signatures (and of their timestamps); B-LTA
 * then adds a document timestamp over everything. Applied to a B-LTA file it
 * renews it: new validation data for the last timestamp, a new timestamp.
 */
export async function extendPdf(pdf: Uint8Array, options: ExtendPdfOptions): Promise<Uint8Array> {
  if (options.level === 'B-LTA' && !options.timestamper) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'B-LTA needs a timestamp authority (timestamper / --tsa).', { vi: 'Mức B-LTA cần máy chủ cấp dấu thời gian (timestamper / --tsa).' });
  }
  const password = options.pdfPassword !== undefined ? { pdfPassword: options.pdfPassword } : {};
  const reader = PdfReader.open(pdf, options.pdfPassword !== undefined ? { password: options.pdfPassword } : {});
  // A service extending a client's file must not take certificates (and so URLs) from it.
  const known = options.validation?.sources === 'trusted-chain' ? [] : readDss(reader).certificates;
  const entries: VriEntry[] = [];
  for (const { name, contents } of signatureContents(reader)) {
    if (options.fields && !options.fields.includes(name)) continue;
    entries.push({ signatureContents: contents, data: await validationFor(contents, known, options.validation) });
  }
  if (entries.length === 0) {
    throw new KysoError('SIGN_FIELD_NOT_FOUND', 'The PDF has no signature to extend.', { vi: 'Tệp PDF không có chữ ký nào để bổ sung dữ liệu kiểm tra dài hạn.' });
  }
  let out = addDss(pdf, entries, password);
  if (options.level === 'B-LTA') out = await addDocumentTimestamp(out, { timestamper: options.timestamper!, ...password });
  return out;
}

/** Validation data for one signature (or document timestamp) and the TSAs that stamped it. */
async function validationFor(contents: Uint8Array, known: readonly Uint8Array[], options: CollectValidationOptions | undefined): Promise<ValidationData> {
  const parts: CmsInspection[] = [];
  let main: CmsInspection;
  try {
    main = inspectCms(contents);
  } catch (e) {
    if (!(e instanceof KysoError)) throw e;
    throw new KysoError('CMS_MALFORMED', `A signature in the PDF cannot be read, so it cannot be extended: ${e.message}`, { vi: 'Không đọc được một chữ ký trong tệp nên không bổ sung được dữ liệu cho nó.', cause: e });
  }
  parts.push(main);
  if (main.eContentType === '1.2.840.113549.1.9.16.1.4') parts.splice(0, 1, inspectTimestampToken(contents).cms);
  for (const token of main.unsignedAttributes.signatureTimeStampTokens) parts.push(inspectTimestampToken(token).cms);
  const data: ValidationData = { certificates: [], ocspResponses: [], crls: [] };
  // A TSA token often carries only the TSA's certificate; the signature's own chain may hold its issuers.
  const pool = [...parts.flatMap((p) => p.certificates), ...known];
  for (const cms of parts) {
    if (!cms.signerCertificate) continue;
    const d = await collectValidationData(cms.signerCertificate, pool, options);
    data.certificates.push(...d.certificates);
    data.ocspResponses.push(...d.ocspResponses);
    data.crls.push(...d.crls);
  }
  return data;
}

/** The /Contents DER of every signed field, trailing zero padding removed. */
function signatureContents(reader: PdfReader): { name: string; contents: Uint8Array }[] {
  const out: { name: string; contents: Uint8Array }[] = [];
  for (const f of formFields(reader)) {
    const v = f.dict.get('V');
    const sig = v instanceof PdfRef ? reader.resolve(v) : undefined;
    const c = sig instanceof PdfDict ? sig.get('Contents') : undefined;
    if (f.type === 'Sig' && c instanceof PdfString && c.bytes.length > 0) out.push({ name: f.name, contents: trimDer(c.bytes) });
  }
  return out;
}

/** The CMS without the zeros that pad /Contents (the VRI key hashes exactly the CMS), BER or DER. */
function trimDer(b: Uint8Array): Uint8Array {
  const parsed = asn1js.fromBER(b);
  return parsed.offset > 0 && parsed.offset <= b.length ? b.subarray(0, parsed.offset) : b;
}
