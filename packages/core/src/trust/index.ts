/**
 * The trust store with the bundled BCY and national roots, chain building, signer identity.
 *
 * @module @kyso/core/trust
 */
export { parseCertificate, publicKeyOf } from './certificate.js';
export type { ParsedCertificate, AlgorithmIdentifier, CertificateExtension, KeyUsageName } from './certificate.js';
export { parseName, renderRfc4514, decodeDirectoryString } from './distinguished-name.js';
export type { DistinguishedName, NameAttribute } from './distinguished-name.js';
export { checkCertificateSignature } from './certificate-signature.js';
export type { SignatureCheck, SignatureHash } from './certificate-signature.js';
export { pemToDer as certificatesFromPem, loadCertificatesFromPath } from './certificate-input.js';
export type { CertificateInput, CertificateSource } from './certificate-input.js';
export { bundledCertificates, findBundled } from './bundled.js';
export type { BundledCertificate, BundledRole, BundledGeneration } from './bundled.js';
export { TrustStore, TRUST_POLICIES } from './trust-store.js';
export type { TrustAnchor, TrustPolicyName, AnchorOptions } from './trust-store.js';
export { buildChain } from './chain.js';
export type { BuildChainOptions, ChainResult, ChainProblem, ChainProblemCode, ChainAnchor, Sha1Policy } from './chain.js';
export { describeSigner, foldVietnamese } from './signer-identity.js';
export type { SignerIdentity, SignerKind, SignerKindClassifier, DescribeSignerOptions } from './signer-identity.js';
