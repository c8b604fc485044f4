/**
 * CKM_ECDSA returns r || s, each as long as the curve order; CMS wants the
 * DER Ecdsa-Sig-Value SEQUENCE { r INTEGER, s INTEGER }.
 */
import * as asn1js from 'asn1js';
import { KysoError } from '@kyso/core';

export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) {
    throw new KysoError('SIGN_SIGNER_FAILED', `The token returned a malformed ECDSA signature (${raw.length} bytes)`, {
      vi: `Thiết bị trả về chữ ký ECDSA sai định dạng (${raw.length} byte)`,
    });
  }
  const half = raw.length / 2;
  const int = (b: Uint8Array): asn1js.Integer => asn1js.Integer.fromBigInt(BigInt(`0x${Buffer.from(b).toString('hex')}`));
  const seq = new asn1js.Sequence({ value: [int(raw.subarray(0, half)), int(raw.subarray(half))] });
  return new Uint8Array(seq.toBER(false));
}
