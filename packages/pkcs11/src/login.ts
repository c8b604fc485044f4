/**
 * C_Login as a user, with errors that say how many tries are left. The
 * PIN is passed to the module and nowhere else.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { KysoError } from '@kyso/core';
import { ckrOf, mapPkcs11Error } from './errors.js';
import type { LoadedModule } from './module.js';
import { P, type Handle } from './pkcs11js.js';
import type { TokenDescription } from './tokens.js';

/** Per-process key: fingerprints are useless outside this process. */
const FINGERPRINT_KEY = randomBytes(32);
const fingerprint = (pin: string | undefined): Buffer => createHmac('sha256', FINGERPRINT_KEY).update(pin ?? '\0protected-path').digest();
const tokenKey = (t: TokenDescription): string => `${t.serialNumber}\0${t.label}`;

export function loginUser(mod: LoadedModule, session: Handle, slot: Handle, token: TokenDescription, pin: string | undefined): void {
  const pkcs11 = mod.pkcs11;
  try {
    pkcs11.C_Login(session, P.CKU_USER, pin);
    mod.logins.set(tokenKey(token), fingerprint(pin));
    return;
  } catch (e) {
    const rv = ckrOf(e);
    if (rv === P.CKR_USER_ALREADY_LOGGED_IN) {
      // Another signer of this process logged in: the token did not check this PIN, so we do.
      const known = mod.logins.get(tokenKey(token));
      if (known === undefined || timingSafeEqual(known, fingerprint(pin))) return;
      throw new KysoError(
        'PKCS11_PIN_INCORRECT',
        `The PIN is incorrect: it differs from the PIN this process is logged in to token "${token.label}" with`,
        { vi: `Mã PIN không đúng: khác với mã PIN đang dùng để đăng nhập thiết bị "${token.label}" trong tiến trình này` },
      );
    }
    let tokenInfo;
    try {
      tokenInfo = pkcs11.C_GetTokenInfo(slot);
    } catch {
      /* the token is gone: the mapped error says so */
    }
    throw mapPkcs11Error(e, { action: `log in to token "${token.label}"`, actionVi: `đăng nhập thiết bị "${token.label}"`, tokenInfo });
  }
}
