/**
 * CMS / CAdES signatures built and read from bytes.
 *
 * @module @kyso/core/cms
 */
export { CmsSignerTemplate, createCadesTemplate } from './signer-template.js';
export type { CmsSignerTemplateOptions, CmsAssembleOptions } from './signer-template.js';
export { signDetached, cachedTemplate } from './sign-detached.js';
export { encodeAttribute } from './attributes.js';
export type { CmsAttributeInput } from './attributes.js';
export { OID as CMS_OID } from './oids.js';
export { digestLength, maxEcdsaSignatureSize } from './algorithms.js';
export * from './inspect/index.js';
