import { createHash } from 'node:crypto';

/** Hex SHA-256 of bytes: the digests the audit log records (on the main thread and in the workers). */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
