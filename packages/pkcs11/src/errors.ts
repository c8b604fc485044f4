/**
 * Every CKR_* a module returns becomes a KysoError with a stable code and an
 * actionable English / Vietnamese message. The PIN is never part of any
 * message, detail or cause: pkcs11js errors carry only the CKR name, its
 * value and the function name.
 */
import { KysoError, type KysoErrorCode } from '@kyso/core';
import { P, type TokenInfo } from './pkcs11js.js';
import type {} from './error-codes.js';

/** Result values that mean "the session (or the whole token) is gone". */
export const SESSION_LOST = new Set<number>([
  P.CKR_SESSION_HANDLE_INVALID,
  P.CKR_SESSION_CLOSED,
  P.CKR_DEVICE_REMOVED,
  P.CKR_TOKEN_NOT_PRESENT,
]);

/** The CKR_* value of a pkcs11js error, or undefined for anything else. */
export function ckrOf(e: unknown): number | undefined {
  if (e instanceof P.Pkcs11Error) return e.code;
  const o = e as { code?: unknown; message?: unknown } | null;
  if (typeof o === 'object' && o !== null && typeof o.code === 'number' && typeof o.message === 'string' && /^CKR_[A-Z0-9_]+$/.test(o.message)) {
    return o.code;
  }
  return undefined;
}

const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries(P)) if (k.startsWith('CKR_') && typeof v === 'number' && !NAMES.has(v)) NAMES.set(v, k);

export function ckrName(rv: number): string {
  return NAMES.get(rv) ?? `0x${rv.toString(16).padStart(8, '0')}`;
}

/** What we were doing, for the message: `open the session`, `sign`, ... */
export interface ErrorContext {
  /** English phrase: "log in to token \"X\"". */
  action: string;
  /** Vietnamese phrase. */
  actionVi: string;
  /** Token flags read after a failed login, to tell how many tries are left. */
  tokenInfo?: TokenInfo | undefined;
  details?: Record<string, unknown>;
}

function err(code: KysoErrorCode, en: string, vi: string, cause: unknown, details: Record<string, unknown>): KysoError {
  return new KysoError(code, en, { vi, cause, details });
}

/** Maps an error thrown by pkcs11js (or anything else) to a KysoError. */
export function mapPkcs11Error(e: unknown, ctx: ErrorContext): KysoError {
  if (e instanceof KysoError) return e;
  const rv = ckrOf(e);
  const method = (e as { method?: string } | undefined)?.method || undefined;
  if (rv === undefined) {
    const text = e instanceof Error ? e.message : String(e);
    return err('PKCS11_ERROR', `PKCS#11 module failed to ${ctx.action}: ${text}`, `Mô-đun PKCS#11 không ${ctx.actionVi} được: ${text}`, e, {
      ...ctx.details,
      ...(method ? { method } : {}),
    });
  }
  const name = ckrName(rv);
  const details = { ...ctx.details, ckr: name, rv, ...(method ? { method } : {}) };
  const flags = ctx.tokenInfo?.flags ?? 0;
  switch (rv) {
    case P.CKR_PIN_INCORRECT:
    case P.CKR_PIN_INVALID:
    case P.CKR_PIN_LEN_RANGE: {
      if (flags & P.CKF_USER_PIN_LOCKED) return pinLocked(e, details);
      const range = ctx.tokenInfo ? ` (the token accepts ${ctx.tokenInfo.minPinLen}–${ctx.tokenInfo.maxPinLen} characters)` : '';
      const rangeVi = ctx.tokenInfo ? ` (thiết bị nhận ${ctx.tokenInfo.minPinLen}–${ctx.tokenInfo.maxPinLen} ký tự)` : '';
      let tries = ' Check the PIN and try again; too many wrong PINs lock the token.';
      let triesVi = ' Kiểm tra lại mã PIN; nhập sai nhiều lần sẽ khóa thiết bị.';
      if (flags & P.CKF_USER_PIN_FINAL_TRY) {
        tries = ' One try is left: the next wrong PIN locks the token.';
        triesVi = ' Chỉ còn một lần thử: nhập sai lần nữa thiết bị sẽ bị khóa.';
      } else if (flags & P.CKF_USER_PIN_COUNT_LOW) {
        tries = ' Few tries are left before the token locks: check the PIN before trying again.';
        triesVi = ' Còn ít lần thử trước khi thiết bị bị khóa: kiểm tra mã PIN trước khi thử lại.';
      }
      const what = rv === P.CKR_PIN_INCORRECT ? 'The PIN is incorrect' : `The PIN is not valid for this token${range}`;
      const whatVi = rv === P.CKR_PIN_INCORRECT ? 'Mã PIN không đúng' : `Mã PIN không hợp lệ với thiết bị này${rangeVi}`;
      return err('PKCS11_PIN_INCORRECT', `${what}.${tries}`, `${whatVi}.${triesVi}`, e, {
        ...details,
        finalTry: Boolean(flags & P.CKF_USER_PIN_FINAL_TRY),
        countLow: Boolean(flags & P.CKF_USER_PIN_COUNT_LOW),
      });
    }
    case P.CKR_PIN_LOCKED:
      return pinLocked(e, details);
    case P.CKR_PIN_EXPIRED:
      return err(
        'PKCS11_PIN_LOCKED',
        'The PIN has expired: change it with the token vendor\'s tool, then sign again',
        'Mã PIN đã hết hạn: đổi mã PIN bằng phần mềm của nhà cung cấp thiết bị rồi ký lại',
        e,
        details,
      );
    case P.CKR_TOKEN_NOT_PRESENT:
    case P.CKR_DEVICE_REMOVED:
    case P.CKR_TOKEN_NOT_RECOGNIZED:
    case P.CKR_SLOT_ID_INVALID:
      return err(
        'PKCS11_TOKEN_NOT_FOUND',
        `The token is not present (${name}) while trying to ${ctx.action}: plug it in (or check the HSM connection) and try again`,
        `Không thấy thiết bị ký số (${name}) khi ${ctx.actionVi}: cắm lại thiết bị (hoặc kiểm tra kết nối HSM) rồi thử lại`,
        e,
        details,
      );
    case P.CKR_MECHANISM_INVALID:
    case P.CKR_MECHANISM_PARAM_INVALID:
    case P.CKR_KEY_TYPE_INCONSISTENT:
    case P.CKR_KEY_SIZE_RANGE:
      return err(
        'PKCS11_MECHANISM_UNSUPPORTED',
        `The token refused the signature mechanism (${name}) while trying to ${ctx.action}: choose another scheme (e.g. PKCS#1 v1.5 instead of PSS) or digest`,
        `Thiết bị không chấp nhận cơ chế ký (${name}) khi ${ctx.actionVi}: chọn lược đồ khác (ví dụ PKCS#1 v1.5 thay cho PSS) hoặc thuật toán băm khác`,
        e,
        details,
      );
    case P.CKR_KEY_FUNCTION_NOT_PERMITTED:
      return err(
        'KEY_UNSUPPORTED',
        'The key on the token is not allowed to sign (CKA_SIGN is false): choose a signing key',
        'Khóa trên thiết bị không được phép ký (CKA_SIGN = false): chọn một khóa dùng để ký',
        e,
        details,
      );
    case P.CKR_USER_NOT_LOGGED_IN:
      return err(
        'PKCS11_ERROR',
        `The token needs a login to ${ctx.action}: give a PIN`,
        `Thiết bị yêu cầu đăng nhập để ${ctx.actionVi}: hãy cung cấp mã PIN`,
        e,
        details,
      );
    case P.CKR_SESSION_COUNT:
      return err(
        'PKCS11_ERROR',
        `The token has no free session to ${ctx.action}: lower the "sessions" option or close other programs using it`,
        `Thiết bị hết phiên làm việc để ${ctx.actionVi}: giảm tùy chọn "sessions" hoặc đóng các chương trình khác đang dùng thiết bị`,
        e,
        details,
      );
    default:
      return err(
        'PKCS11_ERROR',
        `The PKCS#11 module returned ${name} while trying to ${ctx.action}${method ? ` (${method})` : ''}`,
        `Mô-đun PKCS#11 trả về ${name} khi ${ctx.actionVi}${method ? ` (${method})` : ''}`,
        e,
        details,
      );
  }
}

function pinLocked(cause: unknown, details: Record<string, unknown>): KysoError {
  return err(
    'PKCS11_PIN_LOCKED',
    'The PIN is locked after too many wrong tries: unlock it with the PUK / SO PIN using the token vendor\'s tool (or ask the CA)',
    'Mã PIN đã bị khóa do nhập sai quá nhiều lần: mở khóa bằng PUK / SO PIN với phần mềm của nhà cung cấp (hoặc liên hệ nhà cung cấp chứng thư số)',
    cause,
    details,
  );
}
