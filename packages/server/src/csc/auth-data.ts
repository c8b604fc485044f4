/**
 * The PIN and one-time password an identity may require before
 * credentials/authorize issues a SAD (CSC auth mode "explicit"): a PIN
 * from pinEnv/pinFile, a TOTP secret (RFC 6238: HMAC-SHA1, 30 s steps,
 * 6 digits, one step of drift either way; base32) from totpSecretEnv/
 * totpSecretFile. Compared in constant time through their SHA-256; five
 * wrong values in a row lock the credential for that API key for five
 * minutes. The values are never logged, returned or audited.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IdentityCscConfig } from '../config.js';
import { ConfigError } from '../config.js';
import { readSecret } from '../identities.js';
import { cscErrors } from './errors.js';

const MAX_FAILURES = 5;
const LOCK_MS = 5 * 60_000;
const STEP_S = 30;

export interface AuthRequirement {
  /** SHA-256 of the PIN. */
  pin?: Buffer;
  totpKey?: Buffer;
}

export interface AuthObject {
  type: 'Password' | 'OTP';
  id: 'PIN' | 'OTP';
  format: 'N' | 'A';
  label: string;
  description: string;
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Base32 (RFC 4648) as authenticator apps show TOTP secrets; spaces and padding ignored. */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error('not base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP value of `key` at time step `step`. */
export function totp(key: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(counter).digest();
  const off = h[h.length - 1]! & 0x0f;
  const code = (h.readUInt32BE(off) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Reads what an identity requires (its secrets come from the environment or files, as its key's PIN does). */
export async function readAuthRequirement(identity: string, c: IdentityCscConfig | undefined): Promise<AuthRequirement> {
  const out: AuthRequirement = {};
  if (!c) return out;
  if (c.pinEnv !== undefined || c.pinFile !== undefined) {
    const pin = await readSecret(`identity ${identity}: csc PIN`, c.pinEnv, c.pinFile);
    if (pin.length === 0) throw new ConfigError([`identity ${identity}: the csc PIN is empty`]);
    out.pin = sha(pin);
  }
  if (c.totpSecretEnv !== undefined || c.totpSecretFile !== undefined) {
    const secret = await readSecret(`identity ${identity}: csc TOTP secret`, c.totpSecretEnv, c.totpSecretFile);
    let key: Buffer;
    try {
      key = base32Decode(secret);
    } catch {
      throw new ConfigError([`identity ${identity}: the csc TOTP secret is not base32`]);
    }
    if (key.length < 10) throw new ConfigError([`identity ${identity}: the csc TOTP secret is shorter than 80 bits`]);
    out.totpKey = key;
  }
  return out;
}

export function authObjects(r: AuthRequirement): AuthObject[] {
  const out: AuthObject[] = [];
  if (r.pin) out.push({ type: 'Password', id: 'PIN', format: 'A', label: 'PIN', description: 'Mã PIN của thông tin ký / the credential PIN' });
  if (r.totpKey) out.push({ type: 'OTP', id: 'OTP', format: 'N', label: 'OTP', description: 'Mã OTP 6 chữ số (TOTP) / 6-digit one-time password (TOTP)' });
  return out;
}

/** Consecutive wrong values per API key and credential. */
export class AuthDataChecker {
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();
  /** TOTP steps already accepted per credential: a one-time password is used once. */
  readonly #usedSteps = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws CSC_AUTH_DATA_REQUIRED / _INVALID / _LOCKED unless every required value is right. */
  check(keyId: string, credential: string, r: AuthRequirement, given: { id: string; value: string }[] | undefined): void {
    const ids = authObjects(r).map((o) => o.id);
    if (ids.length === 0) return;
    const slot = `${keyId}\u0000${credential}`;
    const f = this.#failures.get(slot);
    const t = this.now();
    if (f && f.lockedUntil > t) throw cscErrors.authDataLocked(Math.ceil((f.lockedUntil - t) / 1000));
    const value = (id: string) => given?.find((g) => g.id === id)?.value;
    const missing = ids.filter((id) => value(id) === undefined);
    if (missing.length > 0) throw cscErrors.authDataRequired(missing);
    let ok = true;
    if (r.pin) ok = timingSafeEqual(sha(value('PIN')!), r.pin) && ok;
    let step: number | undefined;
    if (r.totpKey) {
      const otp = sha(value('OTP')!);
      const now = Math.floor(t / 1000 / STEP_S);
      const last = this.#usedSteps.get(credential) ?? -1;
      for (const s of [now - 1, now, now + 1]) if (s > last && timingSafeEqual(otp, sha(totp(r.totpKey, s)))) step = s;
      ok = step !== undefined && ok;
    }
    if (!ok) {
      const count = (f && f.lockedUntil <= t && f.lockedUntil !== 0 ? 0 : (f?.count ?? 0)) + 1;
      this.#failures.set(slot, { count, lockedUntil: count >= MAX_FAILURES ? t + LOCK_MS : 0 });
      throw cscErrors.authDataInvalid();
    }
    this.#failures.delete(slot);
    if (step !== undefined) this.#usedSteps.set(credential, step);
  }
}
