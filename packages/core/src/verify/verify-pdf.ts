import { createHash } from 'node:crypto';
import {
  checkCmsSignature,
  checkTimestampImprint,
  inspectCms,
  inspectTimestampToken,
  type CmsCheck,
  type CmsInspection,
  type TimestampInfo,
} from '../cms/inspect/index.js';
import { ModificationAnalyzer, modificationLevel, type DiffOptions, type Modification } from '../diff/index.js';
import { KysoError } from '../errors.js';
import { readDocMdp } from '../pdf/doc-mdp.js';
import { locateDictValues, PdfDict, PdfRef, PdfString, readDss, type DssContents, type LocatedValue, type PdfObject, type PdfReader } from '../pdf/index.js';
import { buildChain, describeSigner, parseCertificate, TrustStore, type ChainResult } from '../trust/index.js';
import { httpFetcher, type Fetcher } from '../time/index.js';
import { embeddedRevocation, evaluateRevocation } from './revocation.js';
import { decide } from './indication.js';
import type { ChainReport, Finding, RevocationReport, SignatureReport, SignerReport, TimestampReport, VerificationReport } from './report.js';
import { resultCodeReport } from './result-code.js';
import { certifiedCopyReport } from './certified-copy.js';
import { openForVerification } from './salvage.js';
import { signatureFields, type SignatureFieldEntry } from './signature-fields.js';

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
}

const STRUCTURAL_CHAIN_PROBLEMS = new Set([
  'BAD_SIGNATURE',
  'NOT_A_CA',
  'PATH_LENGTH_EXCEEDED',
  'UNPARSEABLE_CERTIFICATE',
  'WEAK_ALGORITHM',
  'UNSUPPORTED_ALGORITHM',
  'UNHANDLED_CRITICAL_EXTENSION',
  'NO_CHAIN',
  'UNTRUSTED_ROOT',
]);

/** The report texts of the findings that say a signature is broken, and what to do. */
const ASK_SENDER = {
  en: 'Ask the sender for the original signed file.',
  vi: 'Hãy đề nghị người gửi cung cấp tệp gốc đã ký.',
};
const RESAVED = {
  en: `the file was changed or re-saved after signing, so the signed version is not in this file. ${ASK_SENDER.en}`,
  vi: `tệp đã bị thay đổi hoặc được lưu lại sau khi ký, nên phiên bản đã ký không có trong tệp này. ${ASK_SENDER.vi}`,
};

/** What phase 1 learns of one signature: everything but what changed after it. */
interface CheckedSignature {
  field: SignatureFieldEntry;
  /** Object number of the signature dictionary, or null when /V is not a reference. */
  sigNum: number | null;
  kind: SignatureReport['kind'];
  subFilter: string | null;
  br: number[] | null;
  signedLength: number | null;
  formatOk: boolean;
  integrityOk: boolean;
  cms: CmsInspection | null;
  check: CmsCheck | null;
  docTs: TimestampInfo | null;
  signerDer: Uint8Array | null;
  signer: SignerReport | null;
  claimed: Date | null;
  sigTs: TimestampReport | null;
  poe: Date | null;
  chain: ChainReport;
  revocation: RevocationReport & { revokedAt: string | null };
  revokedBeforeSigning: boolean;
  findings: Finding[];
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
  const reader = openForVerification(pdf);
  const store = options.trustStore ?? TrustStore.forPolicy(options.policy ?? 'bcy');
  const now = options.at ?? new Date();
  const fields = signatureFields(reader, pdf);
  const docMdp = certification(reader);
  const dss = readDss(reader);
  const hasDss = dss.certificates.length > 0 || dss.ocspResponses.length > 0 || dss.crls.length > 0;
  const tail = trailingBytes(pdf, reader);
  const onlineFetcher: Fetcher | null = options.online === true ? httpFetcher : typeof options.online === 'function' ? options.online : null;

  // ---- phase 1: each signature on its own ---------------------------------
  const checked: CheckedSignature[] = [];
  for (const field of fields) checked.push(await checkSignature(field, { pdf, reader, store, now, dss, online: onlineFetcher }));

  // ---- phase 2: what changed after each signature ------------------------
  const intact = new Map<number, boolean>();
  for (const c of checked) if (c.sigNum !== null) intact.set(c.sigNum, (intact.get(c.sigNum) ?? true) && c.integrityOk);
  const changes = changesAfter(reader, { docMdp: docMdp?.p, signatureIntact: (sigDictNum) => intact.get(sigDictNum) === true });

  const unsorted = checked.map((c) => finishSignature(c, { pdf, reader, now, docMdp, tail, changes }));
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

  const findings: Finding[] = [];
  const resultCode = resultCodeReport(pdf, reader, signatures);
  if (resultCode && resultCode.signedBy.length === 0) {
    findings.push({ code: 'RESULT_CODE_NOT_SIGNED', severity: 'warning', message: `The result code ${resultCode.value} was added or changed after every signature: no signature vouches for it.`, messageVi: `Mã kết quả ${resultCode.value} được thêm hoặc sửa sau mọi chữ ký: không chữ ký nào xác nhận mã này.` });
  }
  // Only when no signature field has a value: a broken signature is still a signature.
  if (signatures.length === 0) {
    findings.push({ code: 'NOT_SIGNED', severity: 'error', message: 'The document is not signed.', messageVi: 'Tài liệu chưa được ký số.' });
  }
  let verdict: VerificationReport['verdict'] = 'valid';
  if (signatures.length === 0 || docLevel === 'suspicious' || signatures.some((s) => s.indication === 'TOTAL_FAILED')) verdict = 'invalid';
  else if (signatures.some((s) => s.indication === 'INDETERMINATE')) verdict = 'indeterminate';

  return {
    verdict,
    policy: store.policy,
    validationTime: now.toISOString(),
    document: { size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex'), revisions: reader.revisions.length },
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
}

/** Phase 1 for one signature: format, integrity, identity and time, chain, revocation. */
async function checkSignature(field: SignatureFieldEntry, ctx: CheckContext): Promise<CheckedSignature> {
  const { pdf, reader, store, now, dss } = ctx;
  const findings: Finding[] = [];
  const problem = (code: string, message: string, messageVi: string, severity: Finding['severity'] = 'error'): void => {
    findings.push({ code, severity, message, messageVi });
  };
  const sig = field.sig;
  const subFilter = sig?.getName('SubFilter') ?? null;
  const kind: SignatureReport['kind'] = subFilter === 'ETSI.RFC3161' || sig?.getName('Type') === 'DocTimeStamp' ? 'timestamp' : 'signature';

  // ---- format -------------------------------------------------------
  let formatOk = true;
  const malformed = (code: string, en: string, vi: string): void => {
    formatOk = false;
    problem(code, en, vi);
  };
  const unreadable = (en: string, vi: string, cause?: string): void => {
    formatOk = false;
    findings.push({
      code: 'SIGNATURE_UNREADABLE',
      severity: 'error',
      message: `The signature value cannot be read: ${en}. The signature is damaged and cannot be checked. ${ASK_SENDER.en}`,
      messageVi: `Không đọc được giá trị chữ ký: ${vi}. Chữ ký bị hỏng nên không kiểm tra được. ${ASK_SENDER.vi}`,
      ...(cause ? { cause } : {}),
    });
  };
  if (!field.sigRef) malformed('SIGNATURE_NOT_INDIRECT', 'The signature value is not an indirect signature dictionary.', 'Giá trị chữ ký không phải là một từ điển chữ ký gián tiếp.');
  else if (!sig) unreadable(`the signature dictionary (object ${field.sigRef.num}) is missing or is not a dictionary`, `từ điển chữ ký (đối tượng ${field.sigRef.num}) không tồn tại hoặc không phải là từ điển`);
  if (field.unreachable) {
    // Found, never trusted: no revision of the document holds it.
    malformed(
      'SIGNATURE_OUTSIDE_REVISIONS',
      'This signature was found in bytes after the end of the last complete revision of the file, where no readable signature field refers to it: the file was cut short or damaged after signing.',
      'Chữ ký này nằm trong phần dữ liệu sau phiên bản hoàn chỉnh cuối cùng của tệp, không trường chữ ký nào đọc được trỏ tới nó: tệp đã bị cắt cụt hoặc hư hỏng sau khi ký.',
    );
  }
  if (field.removedLater) {
    findings.push({
      code: 'SIGNATURE_FIELD_REMOVED',
      severity: 'error',
      message: 'This signature\'s field is no longer in the current document: a later update replaced the form, the catalog or the field, so a viewer no longer shows this signature. See the changes after signing.',
      messageVi: 'Trường chứa chữ ký này không còn trong tài liệu hiện tại: một bản cập nhật sau đã thay biểu mẫu, danh mục gốc hoặc chính trường đó, nên trình xem không còn hiển thị chữ ký này. Xem các thay đổi sau khi ký.',
    });
  }
  if (subFilter && !['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.sha1', 'ETSI.RFC3161'].includes(subFilter)) {
    malformed('UNKNOWN_SUBFILTER', `Unknown /SubFilter /${subFilter}.`, `/SubFilter /${subFilter} không được hỗ trợ.`);
  }
  const outOfFile = (end: number): void =>
    malformed(
      'BYTERANGE_OUT_OF_FILE',
      `The signed byte ranges end at byte ${end}, past the end of this ${pdf.length}-byte file: ${RESAVED.en}`,
      `Vùng dữ liệu được ký kết thúc ở byte ${end}, vượt quá cuối tệp (tệp chỉ có ${pdf.length} byte): ${RESAVED.vi}`,
    );
  const brObj = sig?.get('ByteRange');
  const br = Array.isArray(brObj) && brObj.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0) ? (brObj as number[]) : null;
  let chunks: Uint8Array[] | null = null;
  let signedLength: number | null = null;
  // Where this dictionary's values lie in the file, for the gap check.
  const located = field.salvaged?.located ?? locate(pdf, reader, field.sigRef);
  if (located && (located.has('Contents#duplicate') || located.has('ByteRange#duplicate'))) {
    malformed('DUPLICATE_KEY', 'The signature dictionary repeats /Contents or /ByteRange.', 'Từ điển chữ ký lặp lại khoá /Contents hoặc /ByteRange.');
  }
  if (sig && (!br || br.length !== 4)) {
    malformed('BYTE_RANGE_SHAPE', 'The /ByteRange is not four non-negative integers.', '/ByteRange không gồm đúng bốn số nguyên không âm.');
    // Still check the cryptography over whatever pairs it names.
    if (br && br.length >= 2 && br.length % 2 === 0 && br.length <= 64) {
      const pairs: Uint8Array[] = [];
      let end = 0;
      for (let k = 0; k < br.length; k += 2) {
        end = Math.max(end, br[k]! + br[k + 1]!);
        pairs.push(pdf.subarray(br[k]!, br[k]! + br[k + 1]!));
      }
      if (end <= pdf.length) chunks = pairs;
      else outOfFile(end);
      signedLength = br[br.length - 2]! + br[br.length - 1]!;
    }
  } else if (br) {
    const [a, b, c, d] = br as [number, number, number, number];
    signedLength = c + d;
    if (a !== 0) malformed('BYTE_RANGE_START', 'The /ByteRange does not start at byte 0.', '/ByteRange không bắt đầu từ byte 0.');
    if (b > c) malformed('BYTE_RANGE_OVERLAP', 'The two byte ranges overlap.', 'Hai vùng byte được ký chồng lên nhau.');
    // Ranges that run past the end of the file describe another file: the
    // signed one. Comparing their gap with this file's /Contents says nothing more.
    if (c + d > pdf.length || a + b > pdf.length) outOfFile(Math.max(a + b, c + d));
    else {
      chunks = [pdf.subarray(a, a + b), pdf.subarray(c, c + d)];
      // The gap must be exactly this dictionary's /Contents string.
      const contents = located?.get('Contents');
      if (!located || !contents) malformed('CONTENTS_NOT_LOCATED', 'The signature dictionary cannot be located in the file.', 'Không xác định được vị trí từ điển chữ ký trong tệp.');
      else if (contents.start !== b || contents.end !== c) {
        malformed(
          'CONTENTS_NOT_IN_GAP',
          `The unsigned gap [${b}, ${c}) of the /ByteRange is not the signature's /Contents string [${contents.start}, ${contents.end}): ${RESAVED.en}`,
          `Khoảng không được ký [${b}, ${c}) của /ByteRange không trùng với chuỗi /Contents của chữ ký [${contents.start}, ${contents.end}): ${RESAVED.vi}`,
        );
      }
    }
  }

  // ---- integrity -----------------------------------------------------
  let integrityOk = false;
  let cms: CmsInspection | null = null;
  let check: CmsCheck | null = null;
  let docTs: TimestampInfo | null = null;
  const contentsObj = sig?.get('Contents');
  const contentsDamage = field.salvaged?.unreadable.get('Contents');
  const contentsBytes = contentsObj instanceof PdfString ? contentsObj.bytes : null;
  if (contentsDamage) {
    unreadable(`/Contents does not parse (${contentsDamage.message})`, `/Contents không đọc được (${contentsDamage.messageVi})`, contentsDamage.code);
  } else if (sig && (!contentsBytes || contentsBytes.length === 0)) {
    malformed('CONTENTS_MISSING', `The signature has no /Contents. ${ASK_SENDER.en}`, `Chữ ký không có /Contents. ${ASK_SENDER.vi}`);
  } else if (contentsObj instanceof PdfString && !contentsObj.hex) {
    unreadable('/Contents is not a hexadecimal string', '/Contents không phải là chuỗi thập lục phân');
  }
  if (contentsBytes && contentsBytes.length > 0) {
    try {
      if (kind === 'timestamp') {
        docTs = inspectTimestampToken(contentsBytes);
        cms = docTs.cms;
        check = checkCmsSignature(cms, null);
        const imprintOk = chunks !== null && checkTimestampImprint(docTs, chunks);
        if (!imprintOk && chunks) problem('HASH_FAILURE', 'The timestamp does not match the document bytes it covers.', 'Dấu thời gian không khớp với dữ liệu tài liệu mà nó bao phủ.');
        integrityOk = imprintOk && check.signatureOk && check.digestOk;
      } else {
        cms = inspectCms(contentsBytes);
        if (subFilter === 'adbe.pkcs7.sha1') {
          check = checkCmsSignature(cms, null);
          const expected = chunks ? sha(chunks, 'sha1') : null;
          const embedded = cms.eContent;
          const ok = expected !== null && embedded !== null && Buffer.compare(Buffer.from(expected), Buffer.from(embedded)) === 0;
          if (!ok && chunks) problem('HASH_FAILURE', 'The SHA-1 digest inside the signature does not match the document.', 'Giá trị băm SHA-1 trong chữ ký không khớp với tài liệu.');
          integrityOk = ok && check.signatureOk && check.digestOk;
        } else if (chunks) {
          check = checkCmsSignature(cms, chunks);
          integrityOk = check.signatureOk && check.digestOk;
        }
      }
      for (const p of check?.problems ?? []) problem(p.code, p.message, p.messageVi, p.severity);
    } catch (e) {
      // Whatever the CMS parser says, the row stays: the signature is unreadable.
      const en = e instanceof KysoError ? e.message : e instanceof Error ? e.message : String(e);
      const vi = e instanceof KysoError ? e.messageVi : 'cấu trúc không hợp lệ';
      unreadable(`its CMS structure does not parse (${en})`, `cấu trúc CMS không đọc được (${vi})`, e instanceof KysoError ? e.code : undefined);
    }
  }
  if (!chunks) integrityOk = false;

  // ---- identity, time, chain -------------------------------------------
  // Read from the CMS alone, so a signature over bytes this file no longer
  // holds still names its signer, its claimed time and its timestamp.
  const signerDer = cms?.signerCertificate ?? null;
  let signer: SignerReport | null = null;
  if (signerDer) {
    try {
      signer = signerReport(signerDer);
    } catch {
      problem('SIGNER_CERTIFICATE_UNREADABLE', 'The signer certificate cannot be read.', 'Không đọc được chứng thư số của người ký.');
    }
  } else if (cms) {
    problem('NO_SIGNING_CERTIFICATE', 'The signer certificate is not in the signature.', 'Chữ ký không kèm chứng thư số của người ký.');
  }
  const claimed = claimedTime(sig, cms);
  let sigTs: TimestampReport | null = null;
  let poe: Date | null = kind === 'timestamp' && docTs && integrityOk ? docTs.genTime : null;
  const tokens = cms?.unsignedAttributes.signatureTimeStampTokens ?? [];
  if (kind === 'signature' && cms && tokens.length > 0) {
    // The timestamp stamps the signature value, not the document: it can be checked without the signed bytes.
    sigTs = signatureTimestamp(tokens[0]!, cms, { store, dss });
    // A timestamp proves the signing time only if it verifies and its TSA is trusted.
    if (sigTs.integrity === 'ok' && sigTs.chain?.trusted) poe = new Date(sigTs.time);
    else if (sigTs.integrity !== 'ok') problem('TIMESTAMP_INVALID', 'The signature timestamp does not verify.', 'Dấu thời gian của chữ ký không hợp lệ.', 'warning');
    else problem('TIMESTAMP_UNTRUSTED', 'The signature timestamp comes from a TSA not trusted under this policy; it does not prove the signing time.', 'Dấu thời gian của chữ ký do máy chủ không được tin cậy theo chính sách này cấp; không chứng minh được thời điểm ký.', 'warning');
  }
  // Certificates are checked when the signature was provably made, else at the validation time.
  const validationTime = poe && poe <= now ? poe : now;
  let chainResult: ChainResult | null = null;
  if (signerDer) {
    try {
      chainResult = buildChain(signerDer, { store, extraCerts: [...(cms?.certificates ?? []), ...dss.certificates], at: validationTime });
    } catch (e) {
      if (!(e instanceof KysoError)) throw e;
      problem('CHAIN_UNREADABLE', `The certificate chain cannot be built: ${e.message}`, `Không dựng được chuỗi chứng thư số: ${e.messageVi}`);
    }
  }
  const chain = chainResult ? chainReport(chainResult) : emptyChain(store.policy, validationTime);
  const revocation = chainResult && chain.trusted
    ? await evaluateRevocation(chainResult.path.map((c) => c.der), embeddedRevocation(dss, cms), ctx.online, now)
    : { status: 'unknown' as const, source: null, checkedAt: null, revokedAt: null, note: 'Revocation was not checked: the certificate does not chain to a trusted root.', noteVi: 'Chưa kiểm tra thu hồi: chứng thư số không thuộc chuỗi tin cậy.' };
  const signingMoment = poe ?? now;
  const revokedBeforeSigning = revocation.status === 'revoked' && revocation.revokedAt !== null && new Date(revocation.revokedAt) <= signingMoment;

  return {
    field,
    sigNum: field.sigRef?.num ?? null,
    kind,
    subFilter,
    br,
    signedLength,
    formatOk,
    integrityOk,
    cms,
    check,
    docTs,
    signerDer,
    signer,
    claimed,
    sigTs,
    poe,
    chain,
    revocation,
    revokedBeforeSigning,
    findings,
  };
}

interface FinishContext {
  pdf: Uint8Array;
  reader: PdfReader;
  now: Date;
  docMdp: { sigRef: PdfRef; p: 1 | 2 | 3 } | null;
  tail: Modification | null;
  changes: Changes;
}

/** Phase 2 for one signature: the revision it signs, what changed after it, its indication, its report row. */
function finishSignature(c: CheckedSignature, ctx: FinishContext): SignatureReport {
  const { pdf, reader, docMdp, tail } = ctx;
  const { signedLength, findings, chain, revocation, cms, docTs, signer, kind, subFilter, field } = c;
  const sig = field.sig;

  // ---- coverage and modifications ------------------------------------
  let revision: number | null = null;
  const mods: Modification[] = [];
  if (signedLength !== null && signedLength <= pdf.length) {
    const exact = reader.revisionEndingAt(signedLength);
    const containing = reader.revisions.find((r) => r.endOffset >= signedLength);
    if (exact) revision = exact.index;
    else if (containing) {
      revision = containing.index;
      const n = containing.endOffset - signedLength;
      mods.push(bytesModification(containing.index, 'unsigned-bytes', `${n} bytes at the end of the signed revision are not covered by the signature.`, `${n} byte ở cuối phiên bản được ký không nằm trong phạm vi chữ ký.`));
    }
    if (revision !== null) mods.push(...ctx.changes.after(revision));
  }
  if (tail) mods.push(tail);
  const modification = modificationLevel(mods, revision !== null && revision < reader.revisions.length - 1);
  const coversWholeDocument = c.formatOk && signedLength === pdf.length;

  const padesLevel: SignatureReport['padesLevel'] = kind === 'signature' && subFilter === 'ETSI.CAdES.detached' ? (c.sigTs ? 'B-T' : 'B-B') : null;
  const certificationEntry = docMdp && field.sigRef && docMdp.sigRef.num === field.sigRef.num ? { docMdp: docMdp.p } : null;

  const { indication, subIndication } = decide({
    formatOk: c.formatOk,
    integrityOk: c.integrityOk,
    check: c.check,
    cmsRead: cms !== null,
    signerFound: c.signerDer !== null,
    chain,
    modification,
    hasPoe: c.poe !== null,
    now: ctx.now,
    findings,
    revokedBeforeSigning: c.revokedBeforeSigning,
  });

  return {
    index: 0,
    field: field.name,
    kind,
    subFilter,
    format: c.formatOk ? 'ok' : 'malformed',
    integrity: c.integrityOk ? 'ok' : 'broken',
    coversWholeDocument,
    byteRange: c.br,
    signedLength,
    revision,
    signer,
    signingTime: (c.poe ?? c.claimed)?.toISOString() ?? null,
    claimedSigningTime: c.claimed?.toISOString() ?? null,
    reason: text(sig?.get('Reason')),
    location: text(sig?.get('Location')),
    digestAlgorithm: cms?.digestAlgorithm.name ?? null,
    signatureAlgorithm: cms?.signatureAlgorithm.name ?? null,
    padesLevel,
    timestamp: kind === 'timestamp' && docTs ? { time: docTs.genTime.toISOString(), tsa: docTs.tsaName ?? signer?.commonName ?? null, policy: docTs.policy, integrity: c.integrityOk ? 'ok' : 'broken', chain } : c.sigTs,
    chain,
    revocation: { status: revocation.status, source: revocation.source, checkedAt: revocation.checkedAt, note: revocation.note, noteVi: revocation.noteVi },
    modification,
    modifications: mods,
    certification: certificationEntry,
    indication,
    subIndication,
    findings,
  };
}

/** What changed after a revision, from the modification analysis. */
interface Changes {
  after(revision: number): Modification[];
}

/**
 * The modification analysis, built once every signature's integrity is
 * known. An analysis that fails does not take the signatures' rows with
 * it: the revisions it could not analyse are reported as suspicious.
 */
function changesAfter(reader: PdfReader, options: DiffOptions): Changes {
  const failed = (revision: number, e: unknown): Modification[] => {
    const why = e instanceof Error ? e.message : String(e);
    const whyVi = e instanceof KysoError ? e.messageVi : why;
    return [bytesModification(revision + 1, 'unreadable', `The changes after revision ${revision} could not be analysed: ${why}`, `Không phân tích được các thay đổi sau phiên bản ${revision}: ${whyVi}`)];
  };
  let analyzer: ModificationAnalyzer;
  try {
    analyzer = new ModificationAnalyzer(reader.bytes, reader, options);
  } catch (e) {
    const cache = new Map<number, Modification[]>();
    return { after: (r) => (r >= reader.revisions.length - 1 ? [] : (cache.get(r) ?? cache.set(r, failed(r, e)).get(r)!)) };
  }
  return {
    after(revision) {
      try {
        return analyzer.after(revision);
      } catch (e) {
        return failed(revision, e);
      }
    },
  };
}

/** A change found in bytes rather than objects (uncovered bytes, trailing bytes, an analysis that failed). */
function bytesModification(revision: number, category: Modification['category'], reason: string, reasonVi: string): Modification {
  return { revision, object: null, change: 'bytes', verdict: 'suspicious', category, rule: null, path: null, reason, reasonVi };
}

/** Where the values of the signature dictionary `ref` lie in the file, when it is a plain object. */
function locate(pdf: Uint8Array, reader: PdfReader, ref: PdfRef | null): Map<string, LocatedValue> | undefined {
  if (!ref || reader.entry(ref.num)?.type !== 1) return undefined;
  const at = reader.definitionOffset(ref.num);
  return at === undefined ? undefined : locateDictValues(pdf, at);
}

function signatureTimestamp(token: Uint8Array, cms: CmsInspection, ctx: { store: TrustStore; dss: DssContents }): TimestampReport {
  const { store, dss } = ctx;
  try {
    const ts = inspectTimestampToken(token);
    const tsCheck = checkCmsSignature(ts.cms, null);
    const ok = checkTimestampImprint(ts, [cms.signatureValue]) && tsCheck.signatureOk && tsCheck.digestOk;
    const tsaCert = ts.cms.signerCertificate;
    // The token often carries only the TSA's own certificate; its issuers may be in the signature or the DSS.
    const tsaChain = tsaCert ? chainReport(buildChain(tsaCert, { store, extraCerts: [...ts.cms.certificates, ...cms.certificates, ...dss.certificates], at: ts.genTime, leafKeyUsage: 'any' })) : null;
    if (tsaChain && tsaCert && !hasTimestampingEku(tsaCert)) {
      tsaChain.trusted = false;
      tsaChain.problems.push({ code: 'TSA_EKU', severity: 'error', message: 'The timestamp certificate lacks the timeStamping extended key usage.', messageVi: 'Chứng thư của máy chủ dấu thời gian thiếu mục đích sử dụng timeStamping.' });
    }
    let tsa = ts.tsaName;
    if (!tsa && tsaCert) {
      try {
        tsa = describeSigner(tsaCert).commonName;
      } catch {
        tsa = null;
      }
    }
    return { time: ts.genTime.toISOString(), tsa, policy: ts.policy, integrity: ok ? 'ok' : 'broken', chain: tsaChain };
  } catch (e) {
    if (!(e instanceof KysoError)) throw e;
    return { time: '', tsa: null, policy: null, integrity: 'broken', chain: null };
  }
}

/**
 * Bytes after the last revision's %%EOF other than white space belong to no
 * revision: the reader ignores them, but a viewer that repairs the file
 * (MuPDF does when no startxref is near the end) reads the objects in them,
 * so what it shows is not what was signed.
 */
function trailingBytes(pdf: Uint8Array, reader: PdfReader): Modification | null {
  const last = reader.revisions[reader.revisions.length - 1];
  if (!last) return null;
  let extra = 0;
  for (let i = last.endOffset; i < pdf.length; i++) {
    const c = pdf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c && c !== 0x00) extra++;
  }
  if (extra === 0) return null;
  const n = pdf.length - last.endOffset;
  return bytesModification(
    last.index,
    'trailing-bytes',
    `${n} bytes after the end of the last revision belong to no revision; a viewer that repairs the file may show objects from them.`,
    `${n} byte sau phiên bản cuối cùng không thuộc phiên bản nào; trình xem tự sửa tệp có thể hiển thị các đối tượng trong đó.`,
  );
}

function hasTimestampingEku(der: Uint8Array): boolean {
  try {
    return parseCertificate(der).extendedKeyUsage?.includes('1.3.6.1.5.5.7.3.8') ?? false;
  } catch {
    return false;
  }
}

function chainReport(r: ChainResult): ChainReport {
  const structural = r.problems.filter((p) => p.severity === 'error' && STRUCTURAL_CHAIN_PROBLEMS.has(p.code));
  return {
    trusted: r.anchor !== null && structural.length === 0,
    anchor: r.anchor?.name ?? null,
    // Name the policy the anchor reached really belongs to: a root added to a
    // 'bcy' store by hand is trusted as a custom root, not as BCY.
    policy: r.anchor && !r.anchor.policies.includes(r.policy) ? (r.anchor.policies[0] ?? r.policy) : r.policy,
    validatedAt: r.at.toISOString(),
    path: r.path.map((c) => ({
      subject: c.subject.rfc4514,
      issuer: c.issuer.rfc4514,
      serialNumber: c.serialNumber,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
    })),
    problems: r.problems.map((p) => ({ code: p.code, severity: p.severity === 'error' ? 'error' : 'warning', message: p.message, messageVi: p.messageVi })),
  };
}

function emptyChain(policy: string, at: Date): ChainReport {
  return { trusted: false, anchor: null, policy, validatedAt: at.toISOString(), path: [], problems: [] };
}

function signerReport(der: Uint8Array): SignerReport {
  const id = describeSigner(der);
  return {
    commonName: id.commonName,
    organization: id.organization,
    organizationalUnits: [...id.organizationalUnits],
    locality: id.locality,
    email: id.email,
    kind: id.kind,
    uids: { ...id.uids },
    subject: id.subject,
    issuer: id.issuer,
    serialNumber: id.serialNumber,
    notBefore: id.notBefore.toISOString(),
    notAfter: id.notAfter.toISOString(),
    sha256: id.sha256,
  };
}

function claimedTime(sig: PdfDict | null, cms: CmsInspection | null): Date | null {
  if (cms?.signedAttributes?.signingTime) return cms.signedAttributes.signingTime;
  const m = sig?.get('M');
  return m instanceof PdfString ? parsePdfDate(m.toText()) : null;
}

/** D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional. */
export function parsePdfDate(s: string): Date | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(s.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(th) * 60 + Number(tm)) * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

function text(o: PdfObject | undefined): string | null {
  return o instanceof PdfString ? o.toText() : null;
}

function sha(chunks: readonly Uint8Array[], alg: string): Uint8Array {
  const h = createHash(alg);
  for (const c of chunks) h.update(c);
  return h.digest();
}

function certification(reader: PdfReader): { sigRef: PdfRef; p: 1 | 2 | 3 } | null {
  try {
    const docMdp = readDocMdp(reader);
    if (!docMdp?.signatureRef) return null;
    let p: 1 | 2 | 3 = 2;
    for (const v of docMdp.permissions) if (v === 1 || v === 2 || v === 3) p = v;
    return { sigRef: docMdp.signatureRef, p };
  } catch {
    return null;
  }
}

