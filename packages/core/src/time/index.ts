/**
 * RFC 3161 time-stamping and OCSP / CRL revocation clients.
 *
 * @module @kyso/core/time
 */
/**
 * Time-stamping (RFC 3161) and revocation (OCSP, CRL) clients.
 * Network access goes through a pluggable Fetcher; nothing here reaches
 * the network unless a caller asks for it.
 */
export { createHttpFetcher, httpFetcher, offlineFetcher, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_FETCH_MAX_BYTES } from './fetcher.js';
export type { Fetcher, FetchRequest, HttpFetcherOptions } from './fetcher.js';
export { requestTimestamp, buildTimestampRequest, validateTimestampResponse } from './timestamp-client.js';
export type { RequestTimestampOptions, TimestampRequestOptions, TimestampRequest, TimestampResult, TimestampExpectations } from './timestamp-client.js';
export { checkOcsp, buildOcspRequest, validateOcspResponse, OID_OCSP_NONCE, OID_OCSP_BASIC } from './ocsp-client.js';
export type { CheckOcspOptions, OcspRequestOptions, OcspRequest, OcspValidationOptions, OcspResult, OcspCertStatus } from './ocsp-client.js';
export { fetchCrl, parseCrl } from './crl.js';
export type { CrlInfo, CrlRevocation, ParseCrlOptions, FetchCrlOptions } from './crl.js';
export { createResponseCache } from './response-cache.js';
export type { ResponseCache, ResponseCacheOptions } from './response-cache.js';
export { REVOCATION_REASONS } from './revocation-reason.js';
export type { RevocationReason } from './revocation-reason.js';
export type { CertificateLike } from './certificate.js';
export type { TimeDigestName } from './digests.js';
export { tsaTimestamper } from './timestamper.js';
export type { TsaTimestamperOptions } from './timestamper.js';
export { collectValidationData } from './validation-data.js';
export type { ValidationData, CollectValidationOptions } from './validation-data.js';
