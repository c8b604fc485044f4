/**
 * What an application needs: sign, verify, extend, certify copies, signers, the trust store, codes, errors and the report types.
 *
 * @module @kyso/core
 */
/*
 * The root of @kyso/core: what an application needs to sign, verify, extend
 * and certify copies, the signers, the trust store, the codes and the typed
 * errors. The engine and the building blocks live under subpaths
 * (@kyso/core/pdf, /cms, /sign, /verify, /diff, /trust, /time, /codes,
 * /appearance, /workflow, /metadata, /contracts, /testing), so that an
 * internal rename is not a breaking change of the root. api/core.api.md is
 * the checked-in report of this surface.
 */
export { KysoError, isKysoError } from './errors.js';
export type { KysoErrorCode, KysoErrorOptions, KysoErrorCodeRegistry, CoreErrorCode } from './errors.js';

export type { Signer, DigestAlgorithm, SignatureAlgorithm, Timestamper } from './contracts/index.js';

export { signPdf, signPdfDetailed, signPdfFile, preparePdf, embedSignature, extendPdf, addDocumentTimestamp, parseLockSpec, appendSignedUpdate } from './sign/index.js';
export type {
  SignPdfOptions,
  SignPdfResult,
  SignPdfFileResult,
  SignatureAppearance,
  FieldPlacement,
  PadesLevel,
  PrepareOptions,
  PreparedPdf,
  ExtendPdfOptions,
  DocumentTimestampOptions,
  CertifyOptions,
  MdpPermission,
  FieldLockOptions,
  LockAction,
} from './sign/index.js';

export { SoftwareSigner, CscSigner, readPkcs12 } from './sign/index.js';
export type { SoftwareSignerOptions, SoftwareSignerPem, PemInput, KeyMaterial, CscSignerOptions, CscAuthOptions, CscClientCredentials, CscCredentialInfo } from './sign/index.js';

export { verifyPdf, renderReport } from './verify/index.js';
export type {
  VerifyPdfOptions,
  VerificationReport,
  SignatureReport,
  SignerReport,
  ChainReport,
  ChainCertificateReport,
  TimestampReport,
  RevocationReport,
  ResultCodeReport,
  CertifiedCopyReport,
  Indication,
  SubIndication,
  Finding,
  FindingCode,
  Lang,
} from './verify/index.js';
export type { Modification, ModificationLevel } from './diff/index.js';

export { TrustStore, describeSigner } from './trust/index.js';
export type { TrustAnchor, AnchorOptions, TrustPolicyName, SignerIdentity, DescribeSignerOptions } from './trust/index.js';

export { tsaTimestamper } from './time/index.js';
export type { TsaTimestamperOptions, Fetcher } from './time/index.js';

export { CodeAllocator, openSequenceStore, parseResultCode, parseCaseCode, buildResultCode, buildCaseCode, isResultCode, isCaseCode } from './codes/index.js';
export type {
  CodeAllocatorOptions,
  SequenceStore,
  OpenSequenceStoreOptions,
  AllocateOptions,
  Allocation,
  IssuedResultCode,
  IssuedCaseCode,
  IssuedCertNumber,
  ParsedResultCode,
  ParsedCaseCode,
  ResultCodeParts,
  CaseCodeParts,
} from './codes/index.js';

export { certifyCopy, scansToPdf } from './workflow/index.js';
export type { CertifyCopyOptions, CertifyCopySigner, CertifiedCopy, ScansToPdfOptions } from './workflow/index.js';
export { stampCertificationStatement, stampCertificationStatementDetailed } from './appearance/index.js';
export type { CertificationStatementOptions, StampedStatement } from './appearance/index.js';
