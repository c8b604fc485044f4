/**
 * SoftHSM2 reports CKF_USER_PIN_COUNT_LOW after a wrong PIN but never
 * locks a PIN, so the final-try and locked messages are checked here on
 * the error values pkcs11js produces (no token involved).
 */
import { describe, expect, it } from 'vitest';
import { mapPkcs11Error } from '../src/errors.js';
import { P, type TokenInfo } from '../src/pkcs11js.js';

const info = (flags: number): TokenInfo => ({ flags, minPinLen: 4, maxPinLen: 255 }) as TokenInfo;
const ctx = { action: 'log in to token "T"', actionVi: 'đăng nhập thiết bị "T"' };
const ckr = (name: string): Error => new P.Pkcs11Error(`${name}:${(P as unknown as Record<string, number>)[name]}`, undefined, 'C_Login');

describe('CKR_* to KysoError', () => {
  it.each([
    ['CKR_PIN_INCORRECT', P.CKF_USER_PIN_FINAL_TRY, 'PKCS11_PIN_INCORRECT', /One try is left/, /Chỉ còn một lần thử/],
    ['CKR_PIN_INCORRECT', P.CKF_USER_PIN_COUNT_LOW, 'PKCS11_PIN_INCORRECT', /Few tries are left/, /Còn ít lần thử/],
    ['CKR_PIN_INCORRECT', 0, 'PKCS11_PIN_INCORRECT', /Check the PIN and try again/, /Kiểm tra lại mã PIN/],
    ['CKR_PIN_INCORRECT', P.CKF_USER_PIN_LOCKED, 'PKCS11_PIN_LOCKED', /locked/, /bị khóa/],
    ['CKR_PIN_LEN_RANGE', 0, 'PKCS11_PIN_INCORRECT', /4–255 characters/, /4–255 ký tự/],
    ['CKR_PIN_LOCKED', 0, 'PKCS11_PIN_LOCKED', /unlock it with the PUK/, /PUK/],
    ['CKR_TOKEN_NOT_PRESENT', 0, 'PKCS11_TOKEN_NOT_FOUND', /plug it in/, /cắm lại/],
    ['CKR_DEVICE_REMOVED', 0, 'PKCS11_TOKEN_NOT_FOUND', /not present/, /Không thấy/],
    ['CKR_MECHANISM_INVALID', 0, 'PKCS11_MECHANISM_UNSUPPORTED', /refused the signature mechanism/, /không chấp nhận/],
    ['CKR_DEVICE_ERROR', 0, 'PKCS11_ERROR', /returned CKR_DEVICE_ERROR while trying to log in to token "T" \(C_Login\)/, /CKR_DEVICE_ERROR/],
  ])('%s (flags %s) → %s', (name, flags, code, en, vi) => {
    const e = mapPkcs11Error(ckr(name), { ...ctx, tokenInfo: info(flags) });
    expect(e.code).toBe(code);
    expect(e.message).toMatch(en);
    expect(e.messageVi).toMatch(vi);
    expect(e.details).toMatchObject({ ckr: name, method: 'C_Login' });
  });
});
