export { Pkcs11Signer } from './pkcs11-signer.js';
export type { Pkcs11SignerOptions } from './pkcs11-signer.js';
export { listTokens } from './tokens.js';
export type { TokenDescription, TokenSelector } from './tokens.js';
export { listKeys } from './keys.js';
export type { KeyDescription, ListKeysOptions } from './keys.js';
export type { KeySelector } from './objects.js';
export type { PinSources, PinRequest } from './pin.js';
export { mechanismName } from './mechanisms.js';
