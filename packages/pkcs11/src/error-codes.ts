/**
 * The error codes of @kyso/pkcs11, registered with core's KysoErrorCode by
 * declaration merging: core itself knows nothing of PKCS#11, and a program
 * that imports this package can test `e.code === 'PKCS11_PIN_LOCKED'`.
 */


declare module '@kyso/core' {
  interface KysoErrorCodeRegistry {
    /** The PKCS#11 library file cannot be loaded. */
    PKCS11_MODULE_NOT_FOUND: true;
    /** No token (or slot) matches the label, serial or slot asked for, or it was removed. */
    PKCS11_TOKEN_NOT_FOUND: true;
    /** The PIN was refused (the message says how many tries are left when the token tells). */
    PKCS11_PIN_INCORRECT: true;
    /** The PIN is locked after too many wrong tries. */
    PKCS11_PIN_LOCKED: true;
    /** The token cannot make the signature mechanism asked for. */
    PKCS11_MECHANISM_UNSUPPORTED: true;
    /** Any other failure of the module or the token. */
    PKCS11_ERROR: true;
  }
}

/** The codes this package raises. */
export type Pkcs11ErrorCode = 'PKCS11_MODULE_NOT_FOUND' | 'PKCS11_TOKEN_NOT_FOUND' | 'PKCS11_PIN_INCORRECT' | 'PKCS11_PIN_LOCKED' | 'PKCS11_MECHANISM_UNSUPPORTED' | 'PKCS11_ERROR';
