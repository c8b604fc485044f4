// @kyso/server: the HTTP signing service (fastify) over @kyso/core.
export { createServer } from './create-server.js';
export type { KysoServer, CreateServerOptions } from './create-server.js';
export type { ServerContext, RequestContext } from './context.js';
export { resolveConfig, loadConfigFile, applyEnv, ConfigError, OPERATIONS } from './config.js';
export type { ServerConfig, ServerConfigInput, IdentityConfig, ApiKeyConfig, Operation, P12SignerConfig, Pkcs11SignerConfig } from './config.js';
export { generateApiKey, hashApiKey } from './api-keys.js';
export { prepareDevMode, DEV_IDENTITY, DEV_AGENCY } from './dev-mode.js';
export type { DevSetup } from './dev-mode.js';
export { auditHash, AuditChainVerifier, GENESIS_HASH } from './audit.js';
export type { AuditEntry, AuditRecord, ChainCheck } from './audit.js';
export { openServerStore, verifyAuditChain } from './store/open-server-store.js';
export type { StoreLocation } from './store/open-server-store.js';
export type { ServerStore, ApiKeyRecord } from './store/server-store.js';
export { HttpError, toErrorResponse } from './errors.js';
export type { ErrorBody } from './errors.js';
export type { TwoStepOptions } from './routes/two-step.js';
export type { CscRouteOptions } from './csc/routes.js';
