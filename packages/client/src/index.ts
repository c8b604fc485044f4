// @kyso/client: a typed fetch client of the kyso signing service (@kyso/server).
export { createKysoClient } from './client.js';
export type { KysoClient, KysoClientOptions } from './client.js';
export { KysoClientError, isKysoClientError } from './errors.js';
export type { KysoClientErrorCode, KysoClientErrorInit } from './errors.js';
export { DEFAULT_TIMEOUT_MS } from './transport.js';
export type {
  AuditChain,
  AuditListOptions,
  AuditPage,
  CaseCodes,
  CaseCodesOptions,
  CertifiedCopy,
  CertifyCopyOptions,
  CertNumbers,
  CertNumbersOptions,
  CompletedSignature,
  Health,
  Idempotent,
  PadesLevel,
  PreparedSignature,
  PrepareOptions,
  Readiness,
  ReadyOptions,
  ResultCode,
  ResultCodeOptions,
  SignedPdf,
  SignedUpdate,
  SignOptions,
  VerificationReport,
  VerifyOptions,
  VoidCodeOptions,
  VoidedCode,
} from './types.js';
export type { paths as KysoPaths, components as KysoComponents } from './openapi.js';
