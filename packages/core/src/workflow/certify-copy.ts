/**
 * The certified electronic copy (chứng thực bản sao điện tử từ bản chính) in
 * one call, in the order the law and the viewers need:
 *
 * 1. build the PDF from the scans when they are images, and parse it down
 *    to its pages: a bad upload fails here, before any number is taken;
 * 2. reserve the certification number (book, per agency per year) and the
 *    result code `<owner>.KQ.G15.000021.<ddmmyyyy>` in the codes store,
 *    idempotently by the request key;
 * 3. stamp the certification statement with that number and book;
 * 4. draw a QR code of the result code (or a verification URL) by the
 *    statement, and record number and book in XMP, before any signature;
 * 5. the officer signs (personal layout, result code in XMP and /Info under
 *    the signature), certifying the copy (DocMDP P=2); 6. the agency seals
 *    over the officer's signature, locking the copy (FieldMDP, all fields,
 *    P=1: only DSS and document timestamps after it; see `lockAfterSeal`);
 * 7. optionally extend to B-LT / B-LTA;
 * 8. confirm the numbers.
 *
 * A failure after step 2 returns no document and leaves the numbers reserved
 * for the request key: the retry of the same request takes them up, so the
 * book has no gap a passing failure caused (an operator voids, with a reason,
 * the numbers of a request given up for good). Bad input fails in step 1,
 * before any number is taken.
 */
import { createHash } from 'node:crypto';
import { pageBox, stampCertificationStatementDetailed, type AppearanceLayout, type FontSet, type Rect } from '../appearance/index.js';
import { CodeAllocator, vietnamDate, withReservedCodes, type CodeReservations, type IssuedCertNumber, type IssuedResultCode, type PendingNote } from '../codes/index.js';
import { KysoError } from '../errors.js';
import { formFields, IncrementalWriter, PdfDict, PdfReader } from '../pdf/index.js';
import { extendPdf } from '../sign/ltv.js';
import type { PadesLevel } from '../sign/options.js';
import { signPdf } from '../sign/sign-pdf.js';
import type { Signer, Timestamper } from '../contracts/index.js';
import type { CollectValidationOptions } from '../time/index.js';
import { describeSigner } from '../trust/index.js';
import { writeCertifiedCopyXmp } from './certified-copy-metadata.js';
import { addQrCode, QR_CAPTION_HEIGHT } from './qr-stamp.js';
import { refuseEncryptedOriginal, scanKind, scansToPdf, type ScansToPdfOptions } from './scans-to-pdf.js';

export interface CertifyCopySigner {
  signer: Signer;
  /** Signature field name (default `CanBoChungThuc` for the officer, `CoQuan` for the agency). */
  fieldName?: string;
  /**
   * The officer's handwritten signature (transparent PNG; without it the
   * officer's block is text only), or the agency's seal (without it the
   * agency's signature is invisible).
   */
  image?: Uint8Array;
  /** Another layout than `personal` (officer) or `seal` (agency). */
  layout?: AppearanceLayout;
  reason?: string;
  location?: string;
}

export interface CertifyCopyOptions {
  /** The codes store's allocator. */
  codes: CodeAllocator;
  /** Idempotency key of this request: a retry with the same key gets the same numbers. */
  requestKey: string;
  /** The certifying agency's identifier code (counter of certification numbers). */
  agency: string;
  /** Book number (quyển số). */
  book: number;
  /** The document owner's identifier (CCCD, CMND, tax code, or zeros). */
  owner: string;
  /** Result type (default `G15.000021`, bản sao được chứng thực từ bản chính). */
  resultType?: string;
  /**
   * Suffix of the result code, a template with {ddmmyyyy}, {number},
   * {book}, {year}. By default unique per copy: the certification date
   * (`{ddmmyyyy}`, the official example's form) for the owner's first copy
   * of the day, the date and the certification number
   * (`{ddmmyyyy}-{number}`) for the next ones. One owner gets one code per
   * suffix: a template of the caller's that repeats a code already issued
   * is refused (CODE_STATE) before any number is reserved when it does not
   * use {number}.
   */
  resultSuffix?: string;
  /** The case code (mã hồ sơ) the copy belongs to, recorded as is. */
  caseCode?: string;
  officer: CertifyCopySigner & {
    /** Name under the statement (default the certificate's CN). */
    name?: string;
  };
  agencySeal: CertifyCopySigner;
  /** Certification and signing time (default now). */
  signedAt?: Date;
  /** Who asks, in the codes ledger. */
  actor?: string;
  /** Building a PDF from images. */
  scans?: ScansToPdfOptions;
  /** The statement's template, book type, extra fields, placement, fonts. */
  statement?: { template?: AppearanceLayout; bookType?: string; fields?: Record<string, string | number>; placement?: 'auto' | 'new-page'; fonts?: FontSet };
  /**
   * The QR code next to the statement (default on, holding the result
   * code). `url`: a verification URL instead, `{code}` replaced by the
   * result code (appended as `?code=` when absent). `false`: none.
   */
  qr?: false | { url?: string; size?: number };
  /** PAdES level of both signatures (default B-B; B-T and up need `timestamper`). */
  level?: PadesLevel;
  timestamper?: Timestamper;
  validation?: CollectValidationOptions;
  /**
   * Close the copy once the agency has sealed it (default true): the
   * officer's signature is a certification signature with DocMDP P=2 (form
   * filling and signing, so the agency can still seal), and the agency's
   * signature locks every field with a FieldMDP lock carrying P=1, so that
   * after the seal nothing but long-term validation data (DSS) and document
   * timestamps may be added: B-LT / B-LTA extension still works, and any
   * other later signature is refused by kyso and shown as breaking the copy
   * by viewers. `false`: two plain approval signatures, neither certified
   * nor locked, for agencies that add more signatures to the copy later.
   */
  lockAfterSeal?: boolean;
  /** A pending note written with each number reserved, in the same transaction (see `AllocateOptions.pending`): e.g. the audit record of the request, for its recovery if the process dies. */
  auditPending?: PendingNote;
}

export interface CertifiedCopyRecord {
  certificationNumber: number;
  book: number;
  /** e.g. `02/2024-SCTĐT/BS`. */
  bookLabel: string;
  year: number;
  resultCode: string;
  caseCode?: string;
  /** Signature field names. */
  fields: { officer: string; agency: string };
  /** Page (0-based) and rectangles of what was drawn. */
  layout: { page: number; statement: Rect; officer: Rect; qr: Rect | null };
  sha256: {
    /** Of each input file, in order. */
    inputs: string[];
    /** Of the unsigned copy the statement was stamped on (the single PDF given, or the PDF built from the scans). */
    input: string;
    output: string;
  };
  signedAt: Date;
}

export interface CertifiedCopy {
  pdf: Uint8Array;
  record: CertifiedCopyRecord;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function fail(message: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', message, { vi });
}

/** Makes one certified copy. See the file comment for the steps. */
export async function certifyCopy(input: Uint8Array | readonly Uint8Array[], options: CertifyCopyOptions): Promise<CertifiedCopy> {
  const inputs = input instanceof Uint8Array ? [input] : [...input];
  if (inputs.length === 0) throw fail('certifyCopy needs at least one scan or PDF.', 'Cần ít nhất một bản quét hoặc tệp PDF.');
  if (!options.requestKey) throw fail('certifyCopy needs a request key (idempotency).', 'Cần khóa yêu cầu (chống cấp số trùng).');
  if (options.level && options.level !== 'B-B' && !options.timestamper) {
    throw fail(`PAdES ${options.level} needs a timestamp authority (timestamper).`, `Mức PAdES ${options.level} cần máy chủ cấp dấu thời gian.`);
  }
  // Everything that can fail on the input happens before a number is reserved: a bad upload must not use up the citizen's result code.
  const kinds = inputs.map(scanKind);
  // 1. The PDF (the scans joined, or the PDF itself), parsed down to its pages.
  const unsigned = inputs.length === 1 && kinds[0] === 'pdf' ? inputs[0]! : await scansToPdf(inputs, options.scans);
  if (kinds.length === 1 && kinds[0] === 'pdf') refuseEncryptedOriginal(unsigned);
  const probe = PdfReader.open(unsigned);
  probe.pageRefs();
  refuseUnfit(probe, options);
  const signedAt = options.signedAt ?? new Date();
  const key = options.requestKey;
  const lifecycle = {
    ...(options.actor !== undefined ? { actor: options.actor } : {}),
    what: 'certify-copy',
    voided: () =>
      new KysoError('CODE_STATE', `The numbers of request ${key} were voided: a voided number is never used again; make the copy under a new request key.`, {
        vi: `Các số của yêu cầu ${key} đã bị hủy: số đã hủy không bao giờ được dùng lại; hãy làm bản sao với khóa yêu cầu mới.`,
      }),
  };

  // 2. Reserve; 8. confirm once the copy is made (any failure voids what was reserved).
  return withReservedCodes(options.codes, lifecycle, async (reserve) => {
    const { cert, result } = await reserveNumbers(reserve, options, signedAt);

    const made = await makeCopy(unsigned, cert, result.code, signedAt, options);
    return {
      pdf: made.pdf,
      record: {
        certificationNumber: cert.number,
        book: cert.book,
        bookLabel: cert.bookLabel,
        year: cert.year,
        resultCode: result.code,
        ...(options.caseCode !== undefined ? { caseCode: options.caseCode } : {}),
        fields: made.fields,
        layout: made.layout,
        sha256: { inputs: inputs.map(sha256), input: sha256(made.unsigned), output: sha256(made.pdf) },
        signedAt,
      },
    };
  });
}

/**
 * What signing would refuse later, refused now, before a number is taken:
 * an original already signed (the statement goes under the first
 * signature), the two signatures in one field, a field name taken by
 * something that is not an empty signature field.
 */
function refuseUnfit(reader: PdfReader, options: CertifyCopyOptions): void {
  const officerField = options.officer.fieldName ?? 'CanBoChungThuc';
  const agencyField = options.agencySeal.fieldName ?? 'CoQuan';
  if (officerField === agencyField) throw fail(`The officer and the agency need two signature fields; both are named "${officerField}".`, `Cán bộ và cơ quan cần hai trường chữ ký khác nhau; cả hai đang mang tên "${officerField}".`);
  for (const f of formFields(reader)) {
    if (f.type === 'Sig' && f.dict.get('V') !== undefined) {
      throw new KysoError('SIGN_NOT_PERMITTED', 'The original is already signed: a certified copy is made from an unsigned original (the statement goes under the first signature). Scan or export the original again.', {
        vi: 'Bản chính đã được ký: bản sao chứng thực được làm từ bản chính chưa ký (lời chứng phải có trước chữ ký đầu tiên). Hãy quét hoặc xuất lại bản chính.',
      });
    }
    if ((f.name === officerField || f.name === agencyField) && f.type !== 'Sig') {
      throw new KysoError('SIGN_FIELD_EXISTS', `The original has a field named "${f.name}" that is not a signature field; give the signers other field names (fieldName).`, {
        vi: `Bản chính có trường tên "${f.name}" không phải trường chữ ký; hãy đặt tên trường chữ ký khác (fieldName).`,
      });
    }
  }
  const perms = reader.resolve(reader.catalog().get('Perms'));
  if (perms instanceof PdfDict && perms.get('DocMDP') !== undefined) {
    throw new KysoError('SIGN_NOT_PERMITTED', 'The original is certified (DocMDP): a certified copy is made from an unsigned original.', { vi: 'Bản chính đã có chữ ký chứng nhận (DocMDP): bản sao chứng thực được làm từ bản chính chưa ký.' });
  }
}

/** How many suffixes after the plain `{ddmmyyyy}-{number}` the default tries (the same number at another agency the same day). */
const MORE_SUFFIXES = 8;

/**
 * Step 2: the certification number and the result code, in the order that
 * keeps the book free of gaps: a result code that does not depend on the
 * number is reserved first, so a code already issued is refused before a
 * number is taken.
 */
async function reserveNumbers(reserve: CodeReservations, options: CertifyCopyOptions, signedAt: Date): Promise<{ cert: IssuedCertNumber; result: IssuedResultCode }> {
  const key = options.requestKey;
  const pending = options.auditPending !== undefined ? { pending: options.auditPending } : {};
  const d = vietnamDate(signedAt);
  const date = `${String(d.day).padStart(2, '0')}${String(d.month).padStart(2, '0')}${d.year}`;
  const parts = (suffix: string) => ({ owner: options.owner, type: options.resultType ?? 'G15.000021', suffix });
  const certNumber = () => reserve.certNumber(options.agency, options.book, { idempotencyKey: `${key}#cert`, ...pending });
  const template = options.resultSuffix;

  if (template === undefined) {
    // The owner's first copy of the day in the seed's form; the next ones by the certification number, unique in the agency's year.
    const first = await reserve.resultCodeIfFree(parts(date), { idempotencyKey: `${key}#result`, ...pending });
    const cert = await certNumber();
    if (first) return { cert, result: first };
    for (let i = 1; i <= MORE_SUFFIXES; i++) {
      const suffix = i === 1 ? `${date}-${cert.number}` : `${date}-${cert.number}-${i}`;
      const result = await reserve.resultCodeIfFree(parts(suffix), { idempotencyKey: `${key}#result-${i}`, ...pending });
      if (result) return { cert, result };
    }
    throw suffixTaken(`${options.owner}.KQ.${options.resultType ?? 'G15.000021'}.${date}-${cert.number}`);
  }

  const render = (cert?: IssuedCertNumber) =>
    template
      .replace(/\{ddmmyyyy\}/g, date)
      .replace(/\{year\}/g, String(d.year))
      .replace(/\{number\}/g, cert ? String(cert.number) : '')
      .replace(/\{book\}/g, String(cert?.book ?? options.book));
  const takeResult = async (suffix: string) => (await reserve.resultCodeIfFree(parts(suffix), { idempotencyKey: `${key}#result`, ...pending })) ?? failTaken(suffix);
  const failTaken = (suffix: string): never => {
    throw suffixTaken(`${options.owner}.KQ.${options.resultType ?? 'G15.000021'}.${suffix}`);
  };
  if (!/\{number\}/.test(template)) {
    const result = await takeResult(render());
    return { cert: await certNumber(), result };
  }
  const cert = await certNumber();
  return { cert, result: await takeResult(render(cert)) };
}

function suffixTaken(code: string): KysoError {
  return new KysoError(
    'CODE_STATE',
    `Result code ${code} was already issued to another copy. Leave the result suffix out (option resultSuffix, --result-suffix on the command line) for a suffix unique per copy, or give one that tells this copy apart, e.g. {ddmmyyyy}-{number}.`,
    {
      vi: `Mã kết quả ${code} đã được cấp cho một bản sao khác. Hãy bỏ hậu tố mã kết quả (tùy chọn resultSuffix, --result-suffix trên dòng lệnh) để dùng hậu tố riêng cho từng bản sao, hoặc đặt hậu tố phân biệt bản sao này, ví dụ {ddmmyyyy}-{number}.`,
      details: { code, option: 'resultSuffix' },
    },
  );
}

async function makeCopy(unsigned: Uint8Array, cert: IssuedCertNumber, resultCode: string, signedAt: Date, options: CertifyCopyOptions) {
  // 3. The statement.
  const officerName = options.officer.name ?? commonName(options.officer.signer) ?? '';
  const st = options.statement ?? {};
  const stamped = await stampCertificationStatementDetailed(unsigned, {
    number: cert.number,
    book: String(cert.book).padStart(2, '0'),
    year: cert.year,
    date: signedAt,
    officerName,
    ...(st.bookType !== undefined ? { bookType: st.bookType } : {}),
    ...(st.template ? { template: st.template } : {}),
    ...(st.fields ? { fields: st.fields } : {}),
    ...(st.placement ? { placement: st.placement } : {}),
    ...(st.fonts ? { fonts: st.fonts } : {}),
  });
  const [sx1, sy1, sx2] = stamped.rect;
  const officerRect: Rect = [Math.max(36, sx1 - 250), sy1, Math.max(266, sx1 - 20), sy1 + 110];

  // 4. QR code and XMP facts, one update, still before any signature.
  const reader = PdfReader.open(stamped.pdf);
  const writer = new IncrementalWriter(reader);
  writeCertifiedCopyXmp(reader, writer, { number: cert.number, bookLabel: cert.bookLabel });
  let qrRect: Rect | null = null;
  if (options.qr !== false) {
    const size = options.qr?.size ?? 96;
    const box = pageBox(reader, stamped.page);
    const total = size + QR_CAPTION_HEIGHT;
    let x = sx2 - size;
    let y = sy1 - 12 - total;
    if (y < box[1] + 18) {
      // No room under the statement: left of the officer's signature, else the page's lower-left corner.
      x = officerRect[0] - 12 - size;
      y = sy1;
      if (x < box[0] + 18) [x, y] = [box[0] + 18, box[1] + 18];
    }
    const url = options.qr?.url;
    const text = url ? (url.includes('{code}') ? url.replace(/\{code\}/g, encodeURIComponent(resultCode)) : `${url}${url.includes('?') ? '&' : '?'}code=${encodeURIComponent(resultCode)}`) : resultCode;
    addQrCode(reader, writer, { text, page: stamped.page, x, y, size, caption: resultCode });
    qrRect = [x, y, x + size, y + total];
  }
  const prepared = Buffer.concat([stamped.pdf, writer.write().appended]);

  // 5. The officer.
  const levelled = options.level && options.level !== 'B-B';
  const tsa = levelled && options.timestamper ? { timestamper: options.timestamper } : {};
  const officer = options.officer;
  const officerField = officer.fieldName ?? 'CanBoChungThuc';
  const closed = options.lockAfterSeal !== false;
  const byOfficer = await signPdf(prepared, {
    ...(closed ? { certify: { permissions: 2 as const } } : {}),
    signer: officer.signer,
    fieldName: officerField,
    reason: officer.reason ?? 'Chứng thực bản sao đúng với bản chính',
    ...(officer.location ? { location: officer.location } : {}),
    signingTime: signedAt,
    resultCode,
    ...tsa,
    appearance: {
      layout: officer.layout ?? (officer.image ? 'personal' : 'text'),
      data: officer.image ? { images: { signature: officer.image } } : {},
      placement: { page: stamped.page, rect: officerRect },
    },
  });

  // 6. The agency, its seal over the left third of the officer's signature.
  const seal = options.agencySeal;
  const agencyField = seal.fieldName ?? 'CoQuan';
  let pdf = await signPdf(byOfficer, {
    signer: seal.signer,
    fieldName: agencyField,
    ...(closed ? { lock: { action: 'All' as const, permissions: 1 as const } } : {}),
    ...(seal.reason ? { reason: seal.reason } : {}),
    ...(seal.location ? { location: seal.location } : {}),
    signingTime: signedAt,
    ...tsa,
    // Without a seal image (and no layout of the caller's) the agency's signature is invisible.
    ...(seal.image || seal.layout
      ? {
          appearance: {
            layout: seal.layout ?? 'seal',
            data: seal.image ? { images: { seal: seal.image } } : {},
            placement: { over: { page: stamped.page, rect: officerRect } },
          },
        }
      : { placement: { page: stamped.page } }),
  });

  // 7. Long-term validation data for both signatures.
  if (options.level === 'B-LT' || options.level === 'B-LTA') {
    pdf = await extendPdf(pdf, {
      level: options.level,
      fields: [officerField, agencyField],
      ...(options.timestamper ? { timestamper: options.timestamper } : {}),
      ...(options.validation ? { validation: options.validation } : {}),
    });
  }
  return { pdf, unsigned, fields: { officer: officerField, agency: agencyField }, layout: { page: stamped.page, statement: stamped.rect, officer: officerRect, qr: qrRect } };
}

function commonName(signer: Signer): string | undefined {
  try {
    return describeSigner(signer.certificate).commonName ?? undefined;
  } catch {
    return undefined;
  }
}
