/**
 * The Name pieces shared by the CMS inspector and the trust layer, checked
 * directly and through both readers. Names are built with asn1js and
 * @peculiar/x509; expected strings are written by hand.
 */
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { parseDer } from '../../src/cms/inspect/der.js';
import { generalNameToString, nameToString, namesEqual } from '../../src/cms/inspect/names.js';
import { decodeBmpString, decodeUniversalString, decodeUtf8OrLatin1, NAME_SHORT_NAMES, STRING_TAG } from '../../src/cms/name-attributes.js';
import { allAttributes, attributeShortName, firstAttribute, nameMatchKey, parseName } from '../../src/trust/distinguished-name.js';
import { decodeDirectoryString } from '../../src/trust/index.js';

const OID = {
  C: '2.5.4.6',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
  organizationIdentifier: '2.5.4.97',
  postalCode: '2.5.4.17',
};

type Value = asn1js.BaseBlock;
const atv = (oid: string, value: Value): asn1js.Sequence => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] });
const rdn = (...atvs: asn1js.Sequence[]): asn1js.Set => new asn1js.Set({ value: atvs });
const nameDer = (...rdns: asn1js.Set[]): Uint8Array => new Uint8Array(new asn1js.Sequence({ value: rdns }).toBER());
const single = (oid: string, value: Value): Uint8Array => nameDer(rdn(atv(oid, value)));

const utf8 = (value: string): Value => new asn1js.Utf8String({ value });
const printable = (value: string): Value => new asn1js.PrintableString({ value });
const bmp = (value: string): Value => new asn1js.BmpString({ value });
/** A string type carrying exactly these content octets. */
const raw = (Type: new (p: { valueHex: ArrayBuffer }) => Value, bytes: Uint8Array): Value => new Type({ valueHex: new Uint8Array(bytes).buffer });
const contentOfValue = (v: Value): Uint8Array => {
  const der = new Uint8Array(v.toBER());
  return der.subarray(2); // short form: every value here is under 128 octets
};

/** The inspector's reading (display string, RFC 4514-like with ", "). */
const cmsText = (der: Uint8Array): string => nameToString(parseDer(der, 'Name').node);
const cmsEqual = (a: Uint8Array, b: Uint8Array): boolean => namesEqual(parseDer(a, 'Name').node, parseDer(b, 'Name').node);
/** The trust layer's reading (RFC 4514 with ","). */
const trustText = (der: Uint8Array): string => parseName(der).rfc4514;

describe('shared string decoders', () => {
  it('string tags are the universal tags asn1js gives these types', () => {
    expect(STRING_TAG).toEqual({
      utf8String: new asn1js.Utf8String().idBlock.tagNumber,
      numericString: new asn1js.NumericString().idBlock.tagNumber,
      printableString: new asn1js.PrintableString().idBlock.tagNumber,
      teletexString: new asn1js.TeletexString().idBlock.tagNumber,
      videotexString: new asn1js.VideotexString().idBlock.tagNumber,
      ia5String: new asn1js.IA5String().idBlock.tagNumber,
      graphicString: new asn1js.GraphicString().idBlock.tagNumber,
      visibleString: new asn1js.VisibleString().idBlock.tagNumber,
      generalString: new asn1js.GeneralString().idBlock.tagNumber,
      universalString: new asn1js.UniversalString().idBlock.tagNumber,
      bmpString: new asn1js.BmpString().idBlock.tagNumber,
    });
  });

  it('BMPString: Vietnamese and astral characters; a dangling odd octet is dropped', () => {
    const text = 'Nguyễn Thị Ánh Tuyết';
    const content = contentOfValue(bmp(text));
    expect(content.length).toBe(text.length * 2);
    expect(decodeBmpString(content)).toBe(text);
    expect(decodeBmpString(Uint8Array.of(...content, 0x41))).toBe(text);
    expect(decodeBmpString(Uint8Array.of(0xd8, 0x3d, 0xde, 0x00))).toBe('😀');
    expect(decodeBmpString(new Uint8Array(0))).toBe('');
  });

  it('UniversalString: UTF-32BE, out-of-range code points become U+FFFD, a partial unit is dropped', () => {
    const text = 'Đắk Lắk 😀';
    const content = Buffer.concat(
      [...text].map((ch) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(ch.codePointAt(0)!);
        return b;
      }),
    );
    expect(decodeUniversalString(content)).toBe(text);
    expect(decodeUniversalString(Uint8Array.of(0x00, 0x11, 0x00, 0x00, 0, 0, 0, 0x41, 0, 0))).toBe('\ufffdA');
  });

  it('8-bit strings: UTF-8 when valid, latin1 otherwise', () => {
    expect(decodeUtf8OrLatin1(Buffer.from('Sở Tư pháp tỉnh Bình Định', 'utf8'))).toBe('Sở Tư pháp tỉnh Bình Định');
    expect(decodeUtf8OrLatin1(Buffer.from('Cà Mau, Tây Ninh', 'latin1'))).toBe('Cà Mau, Tây Ninh');
    expect(decodeUtf8OrLatin1(Uint8Array.of(0x41, 0xff))).toBe('Aÿ');
  });

  it('short names: the common X.520 set plus UID, E and DC; organizationIdentifier is left to each reader', () => {
    expect(NAME_SHORT_NAMES[OID.UID]).toBe('UID');
    expect(NAME_SHORT_NAMES[OID.SERIALNUMBER]).toBe('SERIALNUMBER');
    expect(NAME_SHORT_NAMES[OID.E]).toBe('E');
    expect(NAME_SHORT_NAMES['0.9.2342.19200300.100.1.25']).toBe('DC');
    expect(NAME_SHORT_NAMES[OID.organizationIdentifier]).toBeUndefined();
    expect(NAME_SHORT_NAMES[OID.postalCode]).toBeUndefined();
    expect(Object.isFrozen(NAME_SHORT_NAMES)).toBe(true);
  });
});

describe('both Name readers over the shared pieces', () => {
  it('a BCY organisation subject: UTF8String and PrintableString, multi-valued UID with MST/MNS', () => {
    // Written most significant first, as certificates encode it.
    const name = new x509.Name('C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=UBND xã Phước Lộc, UID=MST:0102357802+UID=MNS:1032158', { UID: OID.UID });
    const der = new Uint8Array(name.toArrayBuffer());
    const dn = parseName(der);
    expect(dn.rfc4514).toBe('UID=MST:0102357802+UID=MNS:1032158,CN=UBND xã Phước Lộc,O=UBND tỉnh Bình Định,L=Bình Định,C=VN');
    expect(cmsText(der)).toBe('UID=MST:0102357802+UID=MNS:1032158, CN=UBND xã Phước Lộc, O=UBND tỉnh Bình Định, L=Bình Định, C=VN');
    expect(allAttributes(dn, 'UID')).toEqual(['MST:0102357802', 'MNS:1032158']);
    expect(allAttributes(dn, OID.UID)).toEqual(['MST:0102357802', 'MNS:1032158']);
    expect(firstAttribute(dn, 'L')).toBe('Bình Định');
    expect(dn.attributes.map((a) => [a.rdn, a.type, a.stringTag])).toEqual([
      [0, 'C', 19],
      [1, 'L', 12],
      [2, 'O', 12],
      [3, 'CN', 12],
      [4, 'UID', 19],
      [4, 'UID', 19],
    ]);
  });

  it('a BCY personal subject: CCCD in UID and SERIALNUMBER', () => {
    const der = nameDer(
      rdn(atv(OID.C, printable('VN'))),
      rdn(atv(OID.L, utf8('Hà Nội'))),
      rdn(atv(OID.CN, utf8('Trần Thị Bích Ngọc'))),
      rdn(atv(OID.UID, utf8('CCCD:001199012345'))),
      rdn(atv(OID.SERIALNUMBER, printable('CMND:012345678'))),
    );
    expect(trustText(der)).toBe('SERIALNUMBER=CMND:012345678,UID=CCCD:001199012345,CN=Trần Thị Bích Ngọc,L=Hà Nội,C=VN');
    expect(cmsText(der)).toBe('SERIALNUMBER=CMND:012345678, UID=CCCD:001199012345, CN=Trần Thị Bích Ngọc, L=Hà Nội, C=VN');
    expect(firstAttribute(parseName(der), 'UID')).toBe('CCCD:001199012345');
  });

  it('BMPString with Vietnamese text', () => {
    const der = nameDer(rdn(atv(OID.O, bmp('Ban Cơ yếu Chính phủ'))), rdn(atv(OID.CN, bmp('Nguyễn Văn Đức'))));
    expect(trustText(der)).toBe('CN=Nguyễn Văn Đức,O=Ban Cơ yếu Chính phủ');
    expect(cmsText(der)).toBe('CN=Nguyễn Văn Đức, O=Ban Cơ yếu Chính phủ');
    expect(parseName(der).attributes.map((a) => a.stringTag)).toEqual([30, 30]);
    // Same text as UTF8String: a different encoding of the same name.
    const asUtf8 = nameDer(rdn(atv(OID.O, utf8('Ban Cơ yếu Chính phủ'))), rdn(atv(OID.CN, utf8('Nguyễn Văn Đức'))));
    expect(cmsEqual(der, asUtf8)).toBe(true);
    expect(nameMatchKey(parseName(der))).toBe(nameMatchKey(parseName(asUtf8)));
  });

  it('decomposed (NFD) Vietnamese in a BMPString: trust composes it, the inspector shows it as encoded, both match the NFC name', () => {
    const nfc = 'Phường Đống Đa';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const der = single(OID.L, bmp(nfd));
    expect(trustText(der)).toBe(`L=${nfc}`);
    expect(cmsText(der)).toBe(`L=${nfd}`);
    const composed = single(OID.L, utf8(nfc));
    expect(cmsEqual(der, composed)).toBe(true);
    expect(nameMatchKey(parseName(der))).toBe(nameMatchKey(parseName(composed)));
  });

  it('TeletexString: UTF-8 octets (as some issuers write them) and genuine latin1 octets', () => {
    const text = 'Sở Tư pháp tỉnh Bình Định';
    const utf8Octets = single(OID.O, raw(asn1js.TeletexString, Buffer.from(text, 'utf8')));
    expect(trustText(utf8Octets)).toBe(`O=${text}`);
    expect(parseName(utf8Octets).attributes[0]!.stringTag).toBe(20);
    // The inspector reads every 8-bit type other than UTF8String octet by octet.
    expect(cmsText(utf8Octets)).toBe(`O=${Buffer.from(text, 'utf8').toString('latin1')}`);
    expect(cmsEqual(utf8Octets, single(OID.O, utf8(text)))).toBe(false);

    const latin1Octets = single(OID.L, raw(asn1js.TeletexString, Buffer.from('Cà Mau', 'latin1')));
    expect(trustText(latin1Octets)).toBe('L=Cà Mau');
    expect(cmsText(latin1Octets)).toBe('L=Cà Mau');
    expect(cmsEqual(latin1Octets, single(OID.L, utf8('Cà Mau')))).toBe(true);
  });

  it('PrintableString carrying UTF-8 is read as UTF-8 by trust', () => {
    const der = single(OID.CN, raw(asn1js.PrintableString, Buffer.from('Lê Văn Tám', 'utf8')));
    expect(trustText(der)).toBe('CN=Lê Văn Tám');
    expect(cmsText(der)).toBe(`CN=${Buffer.from('Lê Văn Tám', 'utf8').toString('latin1')}`);
  });

  it('IA5String e-mail address', () => {
    const der = nameDer(rdn(atv(OID.CN, utf8('Văn thư'))), rdn(atv(OID.E, new asn1js.IA5String({ value: 'vanthu@binhdinh.gov.vn' }))));
    expect(trustText(der)).toBe('E=vanthu@binhdinh.gov.vn,CN=Văn thư');
    expect(cmsText(der)).toBe('E=vanthu@binhdinh.gov.vn, CN=Văn thư');
  });

  it('UniversalString: trust decodes it, the inspector keeps the element as #hex', () => {
    const value = new asn1js.UniversalString({ value: 'Đắk Lắk' });
    const der = single(OID.L, value);
    expect(trustText(der)).toBe('L=Đắk Lắk');
    expect(cmsText(der)).toBe(`L=#${Buffer.from(value.toBER()).toString('hex')}`);
  });

  it('unknown attribute types keep their dotted OID; organizationIdentifier and postalCode differ by reader', () => {
    const unknown = '1.3.6.1.4.1.5734.1.14';
    const der = nameDer(rdn(atv(OID.organizationIdentifier, utf8('VATVN-0102357802'))), rdn(atv(OID.postalCode, printable('550000'))), rdn(atv(unknown, utf8('Bộ Tư pháp'))));
    expect(trustText(der)).toBe(`${unknown}=Bộ Tư pháp,POSTALCODE=550000,ORGANIZATIONIDENTIFIER=VATVN-0102357802`);
    expect(cmsText(der)).toBe(`${unknown}=Bộ Tư pháp, ${OID.postalCode}=550000, organizationIdentifier=VATVN-0102357802`);
    expect(attributeShortName(unknown)).toBe(unknown);
    expect(parseName(der).attributes[2]).toMatchObject({ oid: unknown, type: unknown, value: 'Bộ Tư pháp' });
  });

  it('values that are not directory strings are shown as #hex of the element', () => {
    const tagged = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: Uint8Array.of(0x41, 0x42).buffer });
    const der = single(OID.CN, tagged);
    const hex = `#${Buffer.from(tagged.toBER()).toString('hex')}`;
    expect(hex).toBe('#80024142');
    expect(trustText(der)).toBe(`CN=${hex}`);
    expect(cmsText(der)).toBe(`CN=${hex}`);
    // decodeDirectoryString reads blocks as decoded from bytes, not built in memory.
    const decoded = (v: Value) => decodeDirectoryString(asn1js.fromBER(v.toBER()).result);
    expect(decoded(tagged)).toEqual({ value: hex, tag: -1 });
    expect(decoded(new asn1js.Integer({ value: 1 }))).toEqual({ value: '#020101', tag: 2 });
    expect(decoded(bmp('Hà Giang'))).toEqual({ value: 'Hà Giang', tag: 30 });
  });

  it('multi-valued RDNs: rendered in encoding order, compared regardless of order inside the RDN but not across RDNs', () => {
    const ba = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.OU, utf8('Phòng B')), atv(OID.OU, utf8('Phòng A'))));
    const ab = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.OU, utf8('Phòng A')), atv(OID.OU, utf8('Phòng B'))));
    const split = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.OU, utf8('Phòng B'))), rdn(atv(OID.OU, utf8('Phòng A'))));
    expect(trustText(ba)).toBe('OU=Phòng B+OU=Phòng A,C=VN');
    expect(cmsText(ba)).toBe('OU=Phòng B+OU=Phòng A, C=VN');
    expect(parseName(ba).attributes.map((a) => a.rdn)).toEqual([0, 1, 1]);
    expect(cmsEqual(ba, ab)).toBe(true);
    expect(nameMatchKey(parseName(ba))).toBe(nameMatchKey(parseName(ab)));
    expect(cmsEqual(ba, split)).toBe(false);
    expect(nameMatchKey(parseName(ba))).not.toBe(nameMatchKey(parseName(split)));
  });

  it('case, spacing and string type do not separate equal names', () => {
    const a = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.CN, printable('BAN CO YEU  CHINH PHU '))));
    const b = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.CN, utf8('Ban Co Yeu Chinh Phu'))));
    expect(cmsEqual(a, b)).toBe(true);
    expect(nameMatchKey(parseName(a))).toBe(nameMatchKey(parseName(b)));
    expect(cmsEqual(a, nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.O, utf8('Ban Co Yeu Chinh Phu')))))).toBe(false);
  });

  it('RFC 4514 special characters are escaped by both readers', () => {
    const der = single(OID.O, utf8('Công ty A, B + C; "D"'));
    expect(trustText(der)).toBe('O=Công ty A\\, B \\+ C\\; \\"D\\"');
    expect(cmsText(der)).toBe('O=Công ty A\\, B \\+ C\\; \\"D\\"');
  });

  it('GeneralName: directoryName renders like a Name, rfc822Name with its prefix', () => {
    const der = nameDer(rdn(atv(OID.C, printable('VN'))), rdn(atv(OID.CN, bmp('Dịch vụ cấp dấu thời gian'))));
    const dirName = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [asn1js.fromBER(der).result] });
    expect(generalNameToString(parseDer(new Uint8Array(dirName.toBER()), 'GeneralName').node)).toBe('CN=Dịch vụ cấp dấu thời gian, C=VN');
    const email = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: new Uint8Array(Buffer.from('tsa@ca.gov.vn')).buffer });
    expect(generalNameToString(parseDer(new Uint8Array(email.toBER()), 'GeneralName').node)).toBe('email:tsa@ca.gov.vn');
  });
});
