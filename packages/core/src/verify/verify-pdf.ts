import { modificationLevel, type Modification } from '../diff/index.js';
import { PdfString, readDss, type DssContents, type PdfObject, type PdfReader } from '../pdf/index.js';
import { TrustStore } from '../trust/index.js';
import { httpFetcher, type Fetcher } from '../time/index.js';
import { decide } from './indication.js';
import type { ChainReport, SignatureReport, VerificationReport, Finding } from './report.js';
import type { DocumentFindingCode } from './finding-codes.js';
import { resultCodeReport } from './result-code.js';
import { certifiedCopyReport } from './certified-copy.js';
import { openForVerification } from './salvage.js';
import { signatureFields, type SignatureFieldEntry } from './signature-fields.js';
import { checkChain, checkRevocation, type SignatureRevocation } from './steps/chain.js';
import { checkCoverage } from './steps/coverage.js';
import { SignatureFindings } from './steps/findings.js';
import { checkFormat, type SignatureFormat } from './steps/format.js';
import { identifySigner, type SignatureIdentity } from './steps/identity.js';
import { checkIntegrity, type SignatureIntegrity } from './steps/integrity.js';
import { certificationOf, changesAfter, modificationsAfter, trailingBytes, type Certification, type Changes } from './steps/modifications.js';
import { checkTime, type SignatureTime } from './steps/time.js';
import { RangeDigests } from './range-digests.js';

export { parsePdfDate } from './steps/time.js';

export interface VerifyPdfOptions {
  /** Named policy: 'bcy' (default: only BCY roots) or 'vn' (BCY + national roots). Ignored when trustStore is given. */
  policy?: 'bcy' | 'vn';
  /** A custom trust store (e.g. TrustStore.fromPem(testRoot)). */
  trustStore?: TrustStore;
  /** Validate as of this time instead of now. */
  at?: Date;
  /**
   * Check revocation online (OCSP, then CRL) for certificates the embedded
   * data does not cover: true for plain HTTP, or a Fetcher. Off by default:
   * verification is offline unless asked.
   */
  online?: boolean | Fetcher;
  /**
   * The password of an encrypted PDF (its user or owner password); by
   * default the empty user password. Strings and streams are decrypted for
   * the modification analysis and the report; a file that no password given
   * opens is refused (PDF_PASSWORD_REQUIRED, PDF_PASSWORD_WRONG), as is one
   * whose security handler kyso cannot open (PDF_ENCRYPTION_UNSUPPORTED,
   * PDF_ENCRYPT_MALFORMED): what changed after signing cannot be told from
   * ciphertext.
   */
  pdfPassword?: string;
}

/** What phase 1 learns of one signature: everything but what changed after it. */
interface CheckedSignature {
  field: SignatureFieldEntry;
  /** Object number of the signature dictionary, or null when /V is not a reference. */
  sigNum: number | null;
  format: SignatureFormat;
  /** No format finding (format and the /Contents checks of integrity). */
  formatOk: boolean;
  integrity: SignatureIntegrity;
  integrityOk: boolean;
  identity: SignatureIdentity;
  time: SignatureTime;
  chain: ChainReport;
  revocation: SignatureRevocation;
  findings: SignatureFindings;
}

/**
 * Verifies every signature and document timestamp of a PDF: format,
 * integrity, certificate chain under a trust policy, and every change made
 * after each signature. Offline: nothing is fetched.
 *
 * Every signature dictionary a signature field's /V names is a row of the
 * report whatever is wrong with it (and so is one found in the damaged tail
 * of a file cut short after signing): a broken signature is reported as
 * broken, with who signed it and when as far as its CMS tells, never as
 * "not signed". Phase 1 checks each signature on its own (format,
 * integrity, identity, chain, revocation); phase 2, knowing which
 * signatures are intact, analyses what changed after each one and decides
 * its indication.
 */
export async function verifyPdf(pdf: Uint8Array, options: VerifyPdfOptions = {}): Promise<VerificationReport> {
  const reader = openForVerification(pdf, options.pdfPassword);
  const store = options.trustStore ?? TrustStore.forPolicy(options.policy ?? 'bcy');
  const now = options.at ?? new Date();
  const fields = signatureFields(reader, pdf);
  const docMdp = certificationOf(reader);
  const dss = readDss(reader);
  const hasDss = dss.certificates.length > 0 || dss.ocspResponses.length > 0 || dss.crls.length > 0;
  const tail = trailingBytes(pdf, reader);
  const onlineFetcher: Fetcher | null = options.online === true ? httpFetcher : typeof options.online === 'function' ? options.online : null;

  // ---- phase 1: each signature on its own ---------------------------------
  const checked: CheckedSignature[] = [];
  // One hashing pass for every signature's byte ranges and the report's document digest.
  const digests = new RangeDigests(pdf, fields.map((f) => byteRangeSplit(f.sig?.get('ByteRange'))));
  for (const field of fields) checked.push(await checkSignature(field, { pdf, reader, store, now, dss, online: onlineFetcher, digests }));

  // ---- phase 2: what changed after each signature ------------------------
  const intact = new Map<number, boolean>();
  for (const c of checked) if (c.sigNum !== null) intact.set(c.sigNum, (intact.get(c.sigNum) ?? true) && c.integrityOk);
  const changes = changesAfter(reader, { docMdp: docMdp?.p, signatureIntact: (sigDictNum) => intact.get(sigDictNum) === true });

  const unsorted = checked.map((c) => finishSignature(c, { pdf, reader, docMdp, tail, changes }));
  // Document order: by where each signature's covered bytes end.
  const signatures = unsorted.sort((a, b) => (a.signedLength ?? Infinity) - (b.signedLength ?? Infinity) || a.field.localeCompare(b.field));
  signatures.forEach((s, i) => (s.index = i + 1));
  // Levels from structure (EN 319 142-1): a later document timestamp also
  // gives B-T's proof of existence; DSS validation data gives B-LT; a
  // document timestamp over it gives B-LTA.
  for (const s of signatures) {
    if (s.padesLevel === null || s.revision === null) continue;
    const laterTimestamps = signatures.filter((t) => t.kind === 'timestamp' && t.integrity === 'ok' && t.revision !== null && t.revision > s.revision!);
    if (s.padesLevel === 'B-B' && laterTimestamps.length > 0) s.padesLevel = 'B-T';
    if (s.padesLevel === 'B-T' && hasDss) s.padesLevel = 'B-LT';
    if (s.padesLevel === 'B-LT' && laterTimestamps.length > 0) s.padesLevel = 'B-LTA';
  }

  const firstRevision = Math.min(...signatures.map((s) => s.revision ?? Infinity));
  const docMods: Modification[] = Number.isFinite(firstRevision) ? changes.after(firstRevision) : [];
  for (const s of signatures) for (const m of s.modifications) if (m.change === 'bytes' && !docMods.includes(m)) docMods.push(m);
  if (tail && !docMods.includes(tail)) docMods.push(tail);
  const docLevel = modificationLevel(docMods, Number.isFinite(firstRevision) && firstRevision < reader.revisions.length - 1);

  const findings: Finding<DocumentFindingCode>[] = [];
  const resultCode = resultCodeReport(pdf, reader, signatures);
  if (resultCode && resultCode.signedBy.length === 0) {
    findings.push({ code: 'RESULT_CODE_NOT_SIGNED', severity: 'warning', message: `The result code ${resultCode.value} was added or changed after every signature: no signature vouches for it.`, messageVi: `Mã kết quả ${resultCode.value} được thêm hoặc sửa sau mọi chữ ký: không chữ ký nào xác nhận mã này.` });
  }
  // Only when no signature field has a value: a broken signature is still a signature.
  if (signatures.length === 0) {
    findings.push({ code: 'NOT_SIGNED', severity: 'warning', message: 'The document is not signed: it has no signature to check.', messageVi: 'Tài liệu chưa được ký số: không có chữ ký nào để kiểm tra.' });
  }
  let verdict: VerificationReport['verdict'] = 'valid';
  if (signatures.length === 0) verdict = 'unsigned';
  else if (docLevel === 'suspicious' || signatures.some((s) => s.indication === 'TOTAL_FAILED')) verdict = 'invalid';
  else if (signatures.some((s) => s.indication === 'INDETERMINATE')) verdict = 'indeterminate';

  return {
    verdict,
    policy: store.policy,
    validationTime: now.toISOString(),
    document: { size: pdf.length, sha256: Buffer.from(digests.whole('sha256')).toString('hex'), revisions: reader.revisions.length },
    signatures,
    modification: docLevel,
    modifications: docMods,
    resultCode,
    certifiedCopy: certifiedCopyReport(pdf, reader, signatures, resultCode),
    findings,
  };
}

interface CheckContext {
  pdf: Uint8Array;
  reader: PdfReader;
  store: TrustStore;
  now: Date;
  dss: DssContents;
  online: Fetcher | null;
  digests: RangeDigests;
}

/**
 * Phase 1 for one signature, step by step (verify/steps/): format,
 * integrity, identity, time, chain and revocation. Identity and time are
 * read from the CMS alone, so a signature over bytes this file no longer
 * holds still names its signer, its claimed time and its timestamp.
 */
async function checkSignature(field: SignatureFieldEntry, ctx: CheckContext): Promise<CheckedSignature> {
  const { pdf, reader, store, now, dss } = ctx;
  const findings = new SignatureFindings();
  const format = checkFormat(field, pdf, reader, findings);
  const integrity = checkIntegrity(field, format, findings, ctx.digests);
  const identity = identifySigner(integrity.cms, findings);
  const time = checkTime(field.sig, format.kind, integrity, { store, dss }, findings);
  // Certificates are checked when the signature was provably made, else at the validation time.
  const validationTime = time.poe && time.poe <= now ? time.poe : now;
  const signerChain = checkChain(identity.signerDer, integrity.cms, { store, dss, at: validationTime }, findings);
  const revocation = await checkRevocation(signerChain, integrity.cms, { dss, online: ctx.online, now, signedAt: time.poe ?? now });
  return {
    field,
    sigNum: field.sigRef?.num ?? null,
    format,
    formatOk: findings.formatOk,
    integrity,
    integrityOk: integrity.integrityOk,
    identity,
    time,
    chain: signerChain.chain,
    revocation,
    findings,
  };
}

interface FinishContext {
  pdf: Uint8Array;
  reader: PdfReader;
  docMdp: Certification | null;
  tail: Modification | null;
  changes: Changes;
}

/** Phase 2 for one signature: coverage, modifications, its indication, its report row. */
function finishSignature(c: CheckedSignature, ctx: FinishContext): SignatureReport {
  const { pdf, reader, docMdp } = ctx;
  const { field, format, formatOk, integrity, integrityOk, identity, time, chain } = c;
  const { kind, subFilter, signedLength } = format;
  const { cms, docTs } = integrity;
  const { signer } = identity;
  const { revocation } = c.revocation;
  const findings = c.findings.list;
  const sig = field.sig;

  const coverage = checkCoverage(signedLength, formatOk, pdf, reader);
  const { modifications, modification } = modificationsAfter(coverage.revision, coverage.uncovered, ctx);

  const padesLevel: SignatureReport['padesLevel'] = kind === 'signature' && subFilter === 'ETSI.CAdES.detached' ? (time.sigTs ? 'B-T' : 'B-B') : null;
  const certificationEntry = docMdp && field.sigRef && docMdp.sigRef.num === field.sigRef.num ? { docMdp: docMdp.p } : null;

  const { indication, subIndication } = decide({
    formatOk,
    integrityOk,
    check: integrity.check,
    cmsRead: cms !== null,
    signerFound: identity.signerDer !== null,
    chain,
    modification,
    hasPoe: time.poe !== null,
    findings,
    revokedBeforeSigning: c.revocation.revokedBeforeSigning,
  });

  return {
    index: 0,
    field: field.name,
    kind,
    subFilter,
    format: formatOk ? 'ok' : 'malformed',
    integrity: integrityOk ? 'ok' : 'broken',
    coversWholeDocument: coverage.coversWholeDocument,
    byteRange: format.br,
    signedLength,
    revision: coverage.revision,
    signer,
    signingTime: (time.poe ?? time.claimed)?.toISOString() ?? null,
    claimedSigningTime: time.claimed?.toISOString() ?? null,
    reason: text(sig?.get('Reason')),
    location: text(sig?.get('Location')),
    digestAlgorithm: cms?.digestAlgorithm.name ?? null,
    signatureAlgorithm: cms?.signatureAlgorithm.name ?? null,
    padesLevel,
    timestamp: kind === 'timestamp' && docTs ? { time: docTs.genTime.toISOString(), tsa: docTs.tsaName ?? signer?.commonName ?? null, policy: docTs.policy, integrity: integrityOk ? 'ok' : 'broken', chain } : time.sigTs,
    chain,
    revocation: { status: revocation.status, source: revocation.source, checkedAt: revocation.checkedAt, note: revocation.note, noteVi: revocation.noteVi },
    modification,
    modifications,
    certification: certificationEntry,
    indication,
    subIndication,
    findings,
  };
}

function text(o: PdfObject | undefined): string | null {
  return o instanceof PdfString ? o.toText() : null;
}

/** Where a /ByteRange's first range ends (where its signature's hole begins), or -1. */
function byteRangeSplit(br: PdfObject | undefined): number {
  return Array.isArray(br) && br.length === 4 && br[0] === 0 && typeof br[1] === 'number' ? br[1] : -1;
}
