import * as asn1js from 'asn1js';
import { KysoError } from '../errors.js';
import { PreEncoded, der, parseExact, sortSetOf } from './pre-encoded.js';

/**
 * A CMS Attribute given either as its complete DER
 * (SEQUENCE { attrType OID, attrValues SET OF ANY }) or as its type and the
 * DER of each value (e.g. a time-stamp token ContentInfo).
 */
export type CmsAttributeInput = Uint8Array | { readonly type: string; readonly values: readonly Uint8Array[] };

function malformed(what: string): KysoError {
  return new KysoError('CMS_MALFORMED', `Malformed CMS attribute: ${what}`, {
    vi: `Thuộc tính CMS không hợp lệ: ${what}`,
  });
}

/** DER of one Attribute; values are sorted as a DER SET OF. */
export function encodeAttribute(type: string, values: readonly Uint8Array[]): Uint8Array {
  if (values.length === 0) throw malformed(`${type} has no value`);
  let oid: asn1js.ObjectIdentifier;
  try {
    oid = new asn1js.ObjectIdentifier({ value: type });
  } catch {
    throw malformed(`bad attribute type ${JSON.stringify(type)}`);
  }
  if (!/^[0-2](\.\d+)+$/.test(type)) throw malformed(`bad attribute type ${JSON.stringify(type)}`);
  for (const v of values) {
    if (!parseExact(v)) throw malformed(`a value of ${type} is not one complete DER value`);
  }
  return der(new asn1js.Sequence({ value: [oid, new asn1js.Set({ value: sortSetOf(values).map((v) => new PreEncoded(v)) })] }));
}

/** DER of an attribute input; raw DER is checked to be an Attribute. */
export function attributeDer(input: CmsAttributeInput): Uint8Array {
  if (input instanceof Uint8Array) {
    const a = parseExact(input);
    const parts = a instanceof asn1js.Sequence ? a.valueBlock.value : undefined;
    if (!parts || parts.length !== 2 || !(parts[0] instanceof asn1js.ObjectIdentifier) || !(parts[1] instanceof asn1js.Set)) {
      throw malformed('expected SEQUENCE { OID, SET OF values }');
    }
    return new Uint8Array(input);
  }
  return encodeAttribute(input.type, input.values);
}

/** OID of an Attribute DER produced by attributeDer. */
export function attributeType(attributeDer: Uint8Array): string {
  const a = parseExact(attributeDer) as asn1js.Sequence;
  return (a.valueBlock.value[0] as asn1js.ObjectIdentifier).getValue();
}
