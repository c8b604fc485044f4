/**
 * For users' own tests: the TEST PKI generator and loopback TSA, OCSP and CRL services.
 *
 * @module @kyso/core/testing
 */
// Test helpers shipped for users' own tests: the TEST PKI generator lives here.
// Nothing in this subpath is meant for production: every CA it makes says TEST.
export { toPem, pemBlocks } from './pem.js';
export type { PemLabel } from './pem.js';
export { TEST_KEY_TYPES } from './keys.js';
export type { TestKeyType, TestKeyPair } from './keys.js';
export type { TestSubject } from './subject.js';
export {
  TEST_POLICY_OID,
  DEFAULT_BASE_URL,
  DEFAULT_SUBJECTS,
  OID_MS_DOCUMENT_SIGNING,
  OID_KP_DOCUMENT_SIGNING,
  OID_OCSP_NOCHECK,
} from './profiles.js';
export type { TestLeafKind, TestEntityRole, DocumentSigningEku, TestPkiUrls } from './profiles.js';
export { createTestPki, issueLeaf } from './test-pki.js';
export type { TestPki, TestEntity, TestCertificate, TestName, TestExtension, TestValidity, CreateTestPkiOptions, IssueLeafOptions } from './test-pki.js';
export { createPkcs12 } from './pkcs12.js';
export type { Pkcs12Input, Pkcs12Profile } from './pkcs12.js';
export {
  writeTestPki,
  loadTestPki,
  loadOrCreateTestPki,
  defaultTestPkiCacheDir,
  DEFAULT_TEST_PKI_PASSWORD,
  TEST_PKI_MANIFEST,
} from './store.js';
export type { WriteTestPkiOptions } from './store.js';
export { createNssDb } from './nss-db.js';
export type { CreateNssDbOptions } from './nss-db.js';
export * from './services/index.js';
