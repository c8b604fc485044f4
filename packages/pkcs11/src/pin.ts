/**
 * Where the PIN comes from. The value is returned, never logged, and never
 * placed into an error: errors name the source (variable, file), not the
 * content.
 */
import { readFile } from 'node:fs/promises';
import { KysoError } from '@kyso/core';

export interface PinSources {
  /** The PIN itself (prefer pinEnv / pinFile / pinCallback: literals end up in shell history). */
  pin?: string;
  /** Name of an environment variable holding the PIN. */
  pinEnv?: string;
  /** A file whose first line is the PIN (trailing CR/LF dropped). */
  pinFile?: string;
  /** Asked each time a PIN is needed (first login, after the token was re-plugged, context-specific login). */
  pinCallback?: (request: PinRequest) => Promise<string> | string;
}

export interface PinRequest {
  tokenLabel: string;
  /** 'user': login; 'context': the key asks for the PIN again before this signature (CKA_ALWAYS_AUTHENTICATE). */
  kind: 'user' | 'context';
}

function invalid(en: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', en, { vi });
}

export function countPinSources(s: PinSources): number {
  return [s.pin, s.pinEnv, s.pinFile, s.pinCallback].filter((v) => v !== undefined).length;
}

/** undefined when no source is given (protected authentication path, or a token needing no login). */
export async function resolvePin(s: PinSources, request: PinRequest): Promise<string | undefined> {
  if (countPinSources(s) > 1) {
    throw invalid('Give the PIN one way only: pin, pinEnv, pinFile or pinCallback', 'Chỉ cung cấp mã PIN theo một cách: pin, pinEnv, pinFile hoặc pinCallback');
  }
  let pin: string | undefined;
  if (s.pin !== undefined) {
    pin = s.pin;
  } else if (s.pinEnv !== undefined) {
    pin = process.env[s.pinEnv];
    if (pin === undefined) {
      throw invalid(`Environment variable ${s.pinEnv} (the token PIN) is not set`, `Biến môi trường ${s.pinEnv} (mã PIN của thiết bị) chưa được đặt`);
    }
  } else if (s.pinFile !== undefined) {
    let text: string;
    try {
      text = await readFile(s.pinFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new KysoError('IO_ERROR', `Cannot read the PIN file ${s.pinFile} (${code})`, { vi: `Không đọc được tệp mã PIN ${s.pinFile} (${code})` });
    }
    pin = text.split(/\r?\n/)[0] ?? '';
  } else if (s.pinCallback !== undefined) {
    let v: unknown;
    try {
      v = await s.pinCallback(request);
    } catch (cause) {
      throw new KysoError('SIGN_OPTIONS_INVALID', 'The PIN callback failed', { vi: 'Hàm cung cấp mã PIN bị lỗi', cause });
    }
    if (typeof v !== 'string') throw invalid('The PIN callback must return a string', 'Hàm cung cấp mã PIN phải trả về một chuỗi');
    pin = v;
  }
  if (pin !== undefined && pin.length === 0) throw invalid('The PIN is empty', 'Mã PIN rỗng');
  return pin;
}
