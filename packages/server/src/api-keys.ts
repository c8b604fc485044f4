import { createHash, randomBytes } from 'node:crypto';

/** A new API key: `kyso_` and 32 random bytes, base64url. Show it once; store only hashApiKey(key). */
export function generateApiKey(): string {
  return `kyso_${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of an API key, as stored in the configuration and the database. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
