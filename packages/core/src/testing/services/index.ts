/** Loopback TSA / OCSP / CRL services for the TEST PKI. */
export { startTestServices } from './test-services.js';
export type { TestServices, TestServicesOptions, TestServiceMode, TestServiceName, SetModeOptions, RevokeOptions } from './test-services.js';
export { TEST_TSA_POLICY_OID, BCY_TSA_POLICY_OID } from './state.js';
export type { TestServiceHooks, TestCa, TestRevocation } from './state.js';
