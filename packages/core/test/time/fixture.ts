/** Shared set-up of the time / revocation tests: the cached TEST PKI and assertions on KysoErrors. */
import { expect } from 'vitest';
import { isKysoError } from '../../src/errors.js';
import { loadOrCreateTestPki, type TestPki } from '../../src/testing/index.js';

/** The suite-wide cached TEST PKI. Tests pass service URLs explicitly, so its baseUrl need not match a port. */
export function loadPki(): Promise<TestPki> {
  return loadOrCreateTestPki(undefined, { baseUrl: 'http://127.0.0.1:8790' });
}

/** Awaits `p`, expects a KysoError with `code` (and `reason` in details when given); returns it and the time taken. */
export async function expectKysoError(
  p: Promise<unknown> | (() => unknown),
  code: string,
  reason?: string,
): Promise<{ error: { code: string; details?: Record<string, unknown>; message: string; messageVi: string }; ms: number }> {
  const t0 = Date.now();
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    const ms = Date.now() - t0;
    expect(isKysoError(e), String(e)).toBe(true);
    const k = e as { code: string; details?: Record<string, unknown>; message: string; messageVi: string };
    expect(k.code, k.message).toBe(code);
    if (reason !== undefined) expect(k.details?.reason, k.message).toBe(reason);
    expect(k.messageVi.length).toBeGreaterThan(0);
    return { error: k, ms };
  }
  throw new Error(`expected a KysoError ${code}`);
}
