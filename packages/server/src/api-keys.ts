import { randomBytes } from 'node:crypto';
import { sha256Hex } from './sha256.js';

/** A new API key: `kyso_` and 32 random bytes, base64url. Show it once; store only hashApiKey(key). */
export function generateApiKey(): string {
  return `kyso_${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of an API key, as stored in the configuration and the database. */
export function hashApiKey(key: string): string {
  return sha256Hex(Buffer.from(key, 'utf8'));
}
