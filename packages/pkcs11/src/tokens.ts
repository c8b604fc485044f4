/**
 * Slots and tokens. A token is chosen by its label or serial number, never
 * by slot number: slot numbers change when a token is plugged into another
 * port, re-initialised (SoftHSM reassigns them) or when another token is
 * added.
 */
import { KysoError } from '@kyso/core';
import { mapPkcs11Error } from './errors.js';
import { acquireModule } from './module.js';
import { P, type Handle, type PKCS11, type TokenInfo } from './pkcs11js.js';

export interface TokenDescription {
  /** Token label (CKA trailing blanks removed). */
  label: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  /** The reader or HSM partition the token sits in (informational only). */
  slotDescription: string;
  initialized: boolean;
  loginRequired: boolean;
  /** PIN is entered on the reader's own keypad (no PIN needed from us). */
  protectedAuthenticationPath: boolean;
  pinCountLow: boolean;
  pinFinalTry: boolean;
  pinLocked: boolean;
}

/** `{ label }` or `{ serial }` (exactly one). */
export type TokenSelector = { label: string; serial?: undefined } | { serial: string; label?: undefined };

const trim = (s: string): string => s.replace(/[\s\0]+$/, '');

export function describeToken(pkcs11: PKCS11, slot: Handle, info: TokenInfo = pkcs11.C_GetTokenInfo(slot)): TokenDescription {
  let slotDescription = '';
  try {
    slotDescription = trim(pkcs11.C_GetSlotInfo(slot).slotDescription);
  } catch {
    /* informational */
  }
  const f = info.flags;
  return {
    label: trim(info.label),
    serialNumber: trim(info.serialNumber),
    manufacturer: trim(info.manufacturerID),
    model: trim(info.model),
    slotDescription,
    initialized: Boolean(f & P.CKF_TOKEN_INITIALIZED),
    loginRequired: Boolean(f & P.CKF_LOGIN_REQUIRED),
    protectedAuthenticationPath: Boolean(f & P.CKF_PROTECTED_AUTHENTICATION_PATH),
    pinCountLow: Boolean(f & P.CKF_USER_PIN_COUNT_LOW),
    pinFinalTry: Boolean(f & P.CKF_USER_PIN_FINAL_TRY),
    pinLocked: Boolean(f & P.CKF_USER_PIN_LOCKED),
  };
}

export function tokensIn(pkcs11: PKCS11): { slot: Handle; token: TokenDescription }[] {
  let slots: Handle[];
  try {
    slots = pkcs11.C_GetSlotList(true);
  } catch (e) {
    throw mapPkcs11Error(e, { action: 'list slots', actionVi: 'liệt kê khe cắm' });
  }
  const out: { slot: Handle; token: TokenDescription }[] = [];
  for (const slot of slots) {
    try {
      out.push({ slot, token: describeToken(pkcs11, slot) });
    } catch {
      // A token pulled out between C_GetSlotList and C_GetTokenInfo: skip it.
    }
  }
  return out;
}

/** The tokens present in the module's slots (uninitialised ones included, flagged). */
export async function listTokens(modulePath: string): Promise<TokenDescription[]> {
  const mod = acquireModule(modulePath);
  try {
    return tokensIn(mod.pkcs11).map((t) => t.token);
  } finally {
    mod.release();
  }
}

function describeSelector(sel: TokenSelector): string {
  return sel.label !== undefined ? `label "${sel.label}"` : `serial "${sel.serial}"`;
}

/** The slot holding the one initialised token that matches. */
export function findToken(pkcs11: PKCS11, selector: TokenSelector): { slot: Handle; token: TokenDescription } {
  const bySerial = selector.serial !== undefined;
  const wanted = trim(bySerial ? String(selector.serial) : String(selector.label));
  if ((selector.label === undefined) === (selector.serial === undefined) || wanted === '') {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'Choose the token by { label } or by { serial } (not by slot number)', {
      vi: 'Chọn thiết bị theo { label } hoặc { serial } (không theo số khe cắm)',
    });
  }
  const all = tokensIn(pkcs11).filter((t) => t.token.initialized);
  const hits = all.filter((t) => (bySerial ? t.token.serialNumber === wanted : t.token.label === wanted));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) {
    throw new KysoError(
      'SIGN_OPTIONS_INVALID',
      `${hits.length} tokens have ${describeSelector(selector)}: choose by serial number instead (${hits.map((h) => h.token.serialNumber).join(', ')})`,
      {
        vi: `Có ${hits.length} thiết bị cùng ${describeSelector(selector)}: hãy chọn theo số sê-ri (${hits.map((h) => h.token.serialNumber).join(', ')})`,
        details: { serials: hits.map((h) => h.token.serialNumber) },
      },
    );
  }
  const present = all.map((t) => `"${t.token.label}" (serial ${t.token.serialNumber})`);
  const list = present.length > 0 ? present.join(', ') : 'none';
  throw new KysoError(
    'PKCS11_TOKEN_NOT_FOUND',
    `No token with ${describeSelector(selector)} is present; tokens present: ${list}. Plug the token in or check its label with "kyso token list"`,
    {
      vi: `Không có thiết bị nào với ${describeSelector(selector)}; thiết bị đang có: ${present.length > 0 ? present.join(', ') : 'không có'}. Hãy cắm thiết bị hoặc kiểm tra nhãn bằng "kyso token list"`,
      details: { wanted: selector, present: all.map((t) => ({ label: t.token.label, serialNumber: t.token.serialNumber })) },
    },
  );
}
