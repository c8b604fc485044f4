/** What signPdf takes: the signer, the signature dictionary's entries, the PAdES level, a visible appearance, certification and locks. */
import type { AppearanceInput, AppearanceLayout, AppearancePlacement, LayoutName, RenderedAppearance } from '../appearance/index.js';
import type { DigestAlgorithm, Signer, Timestamper } from '../contracts/index.js';
import type { CollectValidationOptions } from '../time/index.js';
import type { CertifyOptions } from './certification.js';
import type { FieldLockOptions } from './field-lock.js';
import type { FieldPlacement } from './signature-field.js';

/** The PAdES baseline levels (ETSI EN 319 142-1): B-B, B-T, B-LT, B-LTA. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface SignPdfOptions {
  signer: Signer;
  /** Digest over the byte ranges and in the CMS; default the signer's, else SHA-256. */
  digest?: DigestAlgorithm;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** /Name in the signature dictionary; viewers show the certificate's name anyway. */
  name?: string;
  /** Signature field name; default the first free `SignatureN`. An existing empty signature field is filled. */
  fieldName?: string;
  /** Time written to /M (default now). */
  signingTime?: Date;
  /** /SubFilter: ETSI.CAdES.detached (PAdES, default) or adbe.pkcs7.detached. */
  subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';
  /** Widget placement (invisible on page 1 by default). */
  placement?: FieldPlacement;
  /** Extra bytes reserved in /Contents beyond the CMS itself (e.g. for a timestamp token added later). */
  reserveBytes?: number;
  /**
   * Result code of the citizen's data store (mã kết quả), e.g.
   * `052090000495.KQ.G15.000021.02022024`: written to /Info and XMP in the
   * signature's own update, so the signature covers it.
   */
  resultCode?: string;
  /**
   * PAdES B-T: timestamp the signature value with this TSA and embed the
   * token as the signature-time-stamp unsigned attribute.
   */
  timestamper?: Timestamper;
  /**
   * PAdES level (default B-B, or B-T when a timestamper is given). B-LT and
   * B-LTA append a DSS (and a document timestamp) after the signature; the
   * validation data is fetched with `validation` (OCSP, CRL).
   */
  level?: PadesLevel;
  validation?: CollectValidationOptions;
  /**
   * Also return the SHA-256 of the input and of the signed file (for an
   * audit log). With a SHA-256 signature it costs no pass of its own: the
   * input's hash is the first part of the byte-range digest, and the signed
   * file is the input followed by the update.
   */
  documentHashes?: boolean;
  /**
   * A visible signature (Decree 30/2020 layouts: personal, seal, copy,
   * attachment, text, or your own). Text fields not given (name, email,
   * agency, time) are read from the signer's certificate and the signing time.
   */
  appearance?: SignatureAppearance | RenderedAppearance;
  /**
   * Make this a certification signature (DocMDP): the document's first
   * signature, stating what may change afterwards. `permissions` 1: nothing
   * (not even another signature; DSS and document timestamps only), 2: form
   * filling and signing, 3: also annotations. Refused with
   * SIGN_CERTIFY_NOT_FIRST when the document is already signed or certified.
   */
  certify?: CertifyOptions;
  /**
   * Lock form fields once this signature is made (FieldMDP): `All`, or
   * `Include` / `Exclude` the `fields` named. `permissions` (PDF 2.0) also
   * limits later changes as DocMDP does; with 1 nothing but DSS and
   * document timestamps may follow. Combines with `certify`. Signing into an
   * empty field that carries its own /Lock applies that lock instead.
   */
  lock?: FieldLockOptions;
  /**
   * The password of an encrypted PDF (its user or owner password); by
   * default the empty user password. The update is encrypted with the
   * document's key, keeping its security handler. Unless the owner password
   * is given, the document's permissions must allow the signature: filling
   * an existing empty signature field needs "fill in form fields", a new
   * field also "modify" (PDF_PERMISSION_DENIED otherwise).
   */
  pdfPassword?: string;
}

export interface SignatureAppearance {
  layout: AppearanceLayout | LayoutName;
  data?: AppearanceInput;
  placement?: AppearancePlacement;
}

