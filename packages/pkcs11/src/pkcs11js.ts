/**
 * The one place pkcs11js is imported. It is a CommonJS native addon whose
 * exports are assembled at run time (`module.exports = { ...addon, PKCS11 }`),
 * so Node's ESM loader only sees them under `default`; CommonJS sees them
 * directly. Either way `P` is the addon with its constants.
 */
import * as ns from 'pkcs11js';

type Pkcs11Module = typeof ns;
export const P: Pkcs11Module = ((ns as unknown as { default?: Pkcs11Module }).default ?? ns) as Pkcs11Module;
export type PKCS11 = ns.PKCS11;
export type Handle = Buffer;
export type Mechanism = ns.Mechanism;
export type TokenInfo = ns.TokenInfo;
