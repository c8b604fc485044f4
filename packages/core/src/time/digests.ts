/**
 * Hash algorithms usable in timestamp imprints and OCSP CertIDs.
 */
import { createHash } from 'node:crypto';

export type TimeDigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

interface DigestSpec {
  name: TimeDigestName;
  oid: string;
  node: string;
  length: number;
}

const SPECS: readonly DigestSpec[] = [
  { name: 'SHA-1', oid: '1.3.14.3.2.26', node: 'sha1', length: 20 },
  { name: 'SHA-256', oid: '2.16.840.1.101.3.4.2.1', node: 'sha256', length: 32 },
  { name: 'SHA-384', oid: '2.16.840.1.101.3.4.2.2', node: 'sha384', length: 48 },
  { name: 'SHA-512', oid: '2.16.840.1.101.3.4.2.3', node: 'sha512', length: 64 },
];

export function digestSpec(name: string): DigestSpec | undefined {
  const n = name.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
  return SPECS.find((s) => s.name === n);
}

export function digestSpecByOid(oid: string): DigestSpec | undefined {
  return SPECS.find((s) => s.oid === oid);
}

export function digest(spec: DigestSpec, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(spec.node).update(data).digest());
}
