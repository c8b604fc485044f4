/** Signing with a TEST entity's key: the AlgorithmIdentifier and the signature value. */
import { sign } from 'node:crypto';
import { algorithm } from '../../time/der-writer.js';
import type { TestEntity } from '../test-pki.js';

export interface EntitySignature {
  /** DER AlgorithmIdentifier of the signature. */
  algorithm: Uint8Array;
  signature: Uint8Array;
}

/** The AlgorithmIdentifier signWith uses for this entity's key. */
export function signatureAlgorithmOf(entity: Pick<TestEntity, 'keyType'>): Uint8Array {
  if (entity.keyType.startsWith('rsa')) return algorithm('1.2.840.113549.1.1.11', true);
  return algorithm(entity.keyType === 'p384' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2');
}

export function signWith(entity: Pick<TestEntity, 'keyType' | 'privateKey'>, data: Uint8Array): EntitySignature {
  if (entity.keyType.startsWith('rsa')) {
    return { algorithm: algorithm('1.2.840.113549.1.1.11', true), signature: new Uint8Array(sign('sha256', data, entity.privateKey)) };
  }
  const sha384 = entity.keyType === 'p384';
  return {
    algorithm: algorithm(sha384 ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2'),
    signature: new Uint8Array(sign(sha384 ? 'sha384' : 'sha256', data, { key: entity.privateKey, dsaEncoding: 'der' })),
  };
}
