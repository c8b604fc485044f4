import type { DigestAlgorithm } from '@kyso/core';
import type { ExternalScheme, SignSessionRecord, SignSessionState } from './sign-session.js';

/** A kyso_sign_sessions row as both stores read it (blobs as Buffer). */
export interface SignSessionRow {
  id: string;
  key_id: string;
  state: string;
  created_at: string;
  expires_at: number | string;
  digest: string;
  scheme: string;
  certificates: string;
  field_name: string;
  byte_range: string;
  contents_offset: number | string;
  contents_capacity: number | string;
  document_digest: Buffer;
  to_be_signed: Buffer;
  original: Buffer | null;
  update_bytes: Buffer | null;
}

export const SIGN_SESSION_COLUMNS =
  'id, key_id, state, created_at, expires_at, digest, scheme, certificates, field_name, byte_range, contents_offset, contents_capacity, document_digest, to_be_signed, original, update_bytes';

/** Values in SIGN_SESSION_COLUMNS order. */
export function sessionToRow(s: SignSessionRecord): unknown[] {
  const buf = (u: Uint8Array | null) => (u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength));
  return [
    s.id,
    s.keyId,
    s.state,
    s.createdAt,
    s.expiresAt,
    s.digest,
    s.scheme,
    JSON.stringify(s.certificates.map((c) => Buffer.from(c).toString('base64'))),
    s.fieldName,
    JSON.stringify(s.byteRange),
    s.contentsOffset,
    s.contentsCapacity,
    buf(s.documentDigest),
    buf(s.toBeSigned),
    buf(s.original),
    buf(s.update),
  ];
}

export function rowToSession(r: SignSessionRow): SignSessionRecord {
  const range = JSON.parse(r.byte_range) as number[];
  return {
    id: r.id,
    keyId: r.key_id,
    state: r.state as SignSessionState,
    createdAt: r.created_at,
    expiresAt: Number(r.expires_at),
    digest: r.digest as DigestAlgorithm,
    scheme: r.scheme as ExternalScheme,
    certificates: (JSON.parse(r.certificates) as string[]).map((c) => Buffer.from(c, 'base64')),
    fieldName: r.field_name,
    byteRange: [range[0]!, range[1]!, range[2]!, range[3]!],
    contentsOffset: Number(r.contents_offset),
    contentsCapacity: Number(r.contents_capacity),
    documentDigest: r.document_digest,
    toBeSigned: r.to_be_signed,
    original: r.original,
    update: r.update_bytes,
  };
}
