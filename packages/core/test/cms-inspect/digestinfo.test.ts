/**
 * RSASSA-PKCS1-v1_5 signatures whose DigestInfo leaves out the NULL hash
 * parameter (a ministry signing service writes them; RFC 8017 B.1 allows
 * them; OpenSSL refuses them). kyso accepts exactly the two encodings, NULL
 * and absent, and nothing that merely resembles them.
 *
 * Fixtures are signed by kyso's own signPdf with a Signer that hashes the
 * signed attributes, writes the DigestInfo (or the whole encoded message)
 * byte by byte here, and only then does raw RSA with the TEST personal key.
 * The DigestInfo bytes are spelled out in this file on purpose, independent
 * of the encoder under test.
 */
import { constants, createHash, createPrivateKey, privateEncrypt, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SoftwareSigner, signPdf, TrustStore, verifyPdf, type Signer, type VerificationReport } from '../../src/index.js';
import { checkCmsSignature, inspectCms, type CmsInspection } from '../../src/cms/inspect/index.js';
import type { TestPki } from '../../src/testing/index.js';
import { hasTool, opensslCmsVerify, pdfsig, scanSignatures } from '../helpers/external-tools.js';
import { makePdfLibPdf, nssDbForTestPki, tempDir, testPki } from '../helpers/fixtures.js';

type Hash = 'MD5' | 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512';
type SigningDigest = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Full DER of each hash's OID (tag, length, arcs). */
const OID_DER: Record<Hash | 'SHA-512/256', string> = {
  MD5: '06082a864886f70d0205',
  'SHA-1': '06052b0e03021a',
  'SHA-224': '0609608648016503040204',
  'SHA-256': '0609608648016503040201',
  'SHA-384': '0609608648016503040202',
  'SHA-512': '0609608648016503040203',
  'SHA-512/256': '0609608648016503040206',
  'SHA3-256': '0609608648016503040208',
  'SHA3-384': '0609608648016503040209',
  'SHA3-512': '060960864801650304020a',
};
const OID_DOTTED: Record<Hash, string> = {
  MD5: '1.2.840.113549.2.5',
  'SHA-1': '1.3.14.3.2.26',
  'SHA-224': '2.16.840.1.101.3.4.2.4',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
  'SHA3-256': '2.16.840.1.101.3.4.2.8',
  'SHA3-384': '2.16.840.1.101.3.4.2.9',
  'SHA3-512': '2.16.840.1.101.3.4.2.10',
};
const NODE_HASH: Record<Hash, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
/** Short-form DER TLV: every correct DigestInfo fits in it. */
const tlv = (tag: number, body: Buffer): Buffer => cat(Buffer.of(tag, body.length), body);
const hashOf = (hash: Hash, data: Uint8Array): Buffer => createHash(NODE_HASH[hash]).update(data).digest();

const NULL = hex('0500');
const ABSENT = Buffer.alloc(0);

/** DigestInfo ::= SEQUENCE { SEQUENCE { OID, params }, OCTET STRING }, params given as raw bytes. */
function digestInfo(oid: Buffer, params: Buffer, digest: Buffer): Buffer {
  return tlv(0x30, cat(tlv(0x30, cat(oid, params)), tlv(0x04, digest)));
}

const standard = (hash: Hash, d: Buffer): Buffer => digestInfo(hex(OID_DER[hash]), NULL, d);
const nullLess = (hash: Hash, d: Buffer): Buffer => digestInfo(hex(OID_DER[hash]), ABSENT, d);

// ---------------------------------------------------------------------------

let pki: TestPki;
let key: KeyObject;
let base: SoftwareSigner;
let store: TrustStore;
let unsigned: Uint8Array;
const work = tempDir('kyso-digestinfo-');

beforeAll(async () => {
  pki = await testPki();
  key = createPrivateKey(pki.personal.keyPem);
  base = SoftwareSigner.fromPem({ key: pki.personal.keyPem, cert: pki.personal.certPem, chain: pki.chainPem });
  store = TrustStore.fromPem(pki.root.certPem);
  unsigned = await makePdfLibPdf(1);
});

/** T (the DigestInfo bytes) for the data being signed; RSA type-1 padding is applied by OpenSSL. */
type DigestInfoFor = (data: Uint8Array, digest: SigningDigest) => Buffer;
/** The whole k-byte encoded message, for cases that break the padding itself. */
type EncodedMessageFor = (data: Uint8Array, digest: SigningDigest, k: number) => Buffer;

function rawRsaSigner(encode: { digestInfo: DigestInfoFor } | { encodedMessage: EncodedMessageFor }): Signer {
  return {
    certificate: base.certificate,
    chain: base.chain,
    signatureAlgorithm: { scheme: 'RSASSA-PKCS1-v1_5' },
    async sign(data, digest) {
      if ('digestInfo' in encode) return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, encode.digestInfo(data, digest));
      const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
      return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, encode.encodedMessage(data, digest, k));
    },
  };
}

async function signWith(signer: Signer, digest: SigningDigest = 'SHA-256'): Promise<Uint8Array> {
  return signPdf(unsigned, { signer, digest, reason: 'Kiểm tra DigestInfo' });
}

async function verifyOnly(pdf: Uint8Array): Promise<VerificationReport['signatures'][number]> {
  const r = await verifyPdf(pdf, { trustStore: store });
  expect(r.signatures).toHaveLength(1);
  return r.signatures[0]!;
}

const codes = (s: { findings: { code: string }[] }): string[] => s.findings.map((f) => f.code);

function expectPassedWithoutNull(s: VerificationReport['signatures'][number]): void {
  expect(s, JSON.stringify(s.findings)).toMatchObject({ format: 'ok', integrity: 'ok', indication: 'TOTAL_PASSED', subIndication: null });
  const f = s.findings.filter((x) => x.code === 'RSA_DIGESTINFO_NO_NULL');
  expect(f).toHaveLength(1);
  expect(f[0]!.severity).toBe('info');
  expect(f[0]!.message).toMatch(/NULL/);
  expect(f[0]!.message).toMatch(/RFC 8017/);
  expect(f[0]!.message).toMatch(/OpenSSL/);
  expect(f[0]!.messageVi).toMatch(/NULL/);
  expect(f[0]!.messageVi).toMatch(/hợp lệ/);
  // Nothing else is wrong with it.
  expect(s.findings.filter((x) => x.severity !== 'info')).toEqual([]);
}

function expectCryptoFailure(s: VerificationReport['signatures'][number]): void {
  expect(s, JSON.stringify(s.findings)).toMatchObject({ format: 'ok', integrity: 'broken', indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  expect(codes(s)).toContain('SIGNATURE_INVALID');
  expect(codes(s)).not.toContain('RSA_DIGESTINFO_NO_NULL');
}

describe('the two DigestInfo encodings RFC 8017 allows', () => {
  it('NULL-less DigestInfo, SHA-256: valid, TOTAL_PASSED, an info finding', async () => {
    const pdf = await signWith(rawRsaSigner({ digestInfo: (data) => nullLess('SHA-256', hashOf('SHA-256', data)) }));
    expectPassedWithoutNull(await verifyOnly(pdf));
  });

  it.each(['SHA-384', 'SHA-512'] as const)('NULL-less DigestInfo, %s: valid, TOTAL_PASSED, an info finding', async (digest) => {
    const pdf = await signWith(rawRsaSigner({ digestInfo: (data, d) => nullLess(d, hashOf(d, data)) }), digest);
    const s = await verifyOnly(pdf);
    expect(s.digestAlgorithm).toBe(digest);
    expectPassedWithoutNull(s);
  });

  it.each(['SHA-256', 'SHA-384', 'SHA-512'] as const)('standard DigestInfo (NULL parameters), %s: valid, no finding', async (digest) => {
    const pdf = await signWith(rawRsaSigner({ digestInfo: (data, d) => standard(d, hashOf(d, data)) }), digest);
    const s = await verifyOnly(pdf);
    expect(s).toMatchObject({ format: 'ok', integrity: 'ok', indication: 'TOTAL_PASSED' });
    expect(s.findings).toEqual([]);
  });

  it('the standard form is byte-identical to what node itself signs: our own SoftwareSigner still verifies, without the finding', async () => {
    const s = await verifyOnly(await signWith(base));
    expect(s).toMatchObject({ integrity: 'ok', indication: 'TOTAL_PASSED' });
    expect(codes(s)).not.toContain('RSA_DIGESTINFO_NO_NULL');
  });
});

describe('near misses: integrity broken, SIG_CRYPTO_FAILURE', () => {
  const sha256 = (data: Uint8Array): Buffer => hashOf('SHA-256', data);
  const oid256 = hex(OID_DER['SHA-256']);
  const cases: [string, DigestInfoFor, SigningDigest?][] = [
    // 30 32 30 0d <oid> 05 00 04 20 <32> 00: lengths consistent, one byte too many inside.
    ['a byte after the digest inside the DigestInfo (SEQUENCE length adjusted)', (data) => tlv(0x30, cat(tlv(0x30, cat(oid256, NULL)), tlv(0x04, sha256(data)), hex('00')))],
    ['the same inside a NULL-less DigestInfo', (data) => tlv(0x30, cat(tlv(0x30, oid256), tlv(0x04, sha256(data)), hex('00')))],
    ['a 33-byte OCTET STRING: the digest and a trailing byte', (data) => digestInfo(oid256, NULL, cat(sha256(data), hex('00')))],
    ['a byte after the DigestInfo, its length unchanged', (data) => cat(standard('SHA-256', sha256(data)), hex('00'))],
    ['a byte after a NULL-less DigestInfo, its length unchanged', (data) => cat(nullLess('SHA-256', sha256(data)), hex('00'))],
    ['a NULL with a length (05 01 00)', (data) => digestInfo(oid256, hex('050100'), sha256(data))],
    ['a constructed NULL (25 00) in the DigestInfo', (data) => digestInfo(oid256, hex('2500'), sha256(data))],
    ['other parameters than NULL (an empty OCTET STRING)', (data) => digestInfo(oid256, hex('0400'), sha256(data))],
    ['SHA-512/256 OID with a SHA-256 digest (same length)', (data) => digestInfo(hex(OID_DER['SHA-512/256']), NULL, sha256(data))],
    ['SHA3-256 OID with a SHA-256 digest, NULL-less (same length)', (data) => nullLess('SHA3-256', sha256(data))],
    ['SHA-256 OID over a SHA-384 signing (48-byte digest)', (data) => digestInfo(oid256, NULL, hashOf('SHA-384', data)), 'SHA-384'],
    ['SHA-256 DigestInfo of the right SHA-256 digest under a SHA-384 signing', (data) => standard('SHA-256', sha256(data)), 'SHA-384'],
    ['the digest truncated by one byte', (data) => digestInfo(oid256, NULL, sha256(data).subarray(0, 31))],
    ['the digest truncated by one byte, NULL-less', (data) => nullLess('SHA-256', sha256(data).subarray(0, 31))],
    ['BER long-form outer length (30 81 31)', (data) => cat(hex('308131'), standard('SHA-256', sha256(data)).subarray(2))],
    ['BER long-form outer length on a NULL-less DigestInfo (30 81 2f)', (data) => cat(hex('30812f'), nullLess('SHA-256', sha256(data)).subarray(2))],
    ['BER long-form digest length (04 81 20)', (data) => tlv(0x30, cat(tlv(0x30, cat(oid256, NULL)), hex('048120'), sha256(data)))],
    ['the hash of other bytes', (data) => standard('SHA-256', sha256(cat(Buffer.from(data), hex('00'))))],
  ];

  it.each(cases)('%s', async (_name, encode, digest) => {
    expectCryptoFailure(await verifyOnly(await signWith(rawRsaSigner({ digestInfo: encode }), digest ?? 'SHA-256')));
  });

  /** 00 01 PS 00 T with PS given, T the correct NULL-less SHA-256 DigestInfo. */
  const withPadding = (ps: (length: number) => Buffer, head = hex('0001')): EncodedMessageFor => (data, _d, k) => {
    const t = nullLess('SHA-256', sha256(data));
    return cat(head, ps(k - t.length - 3), hex('00'), t);
  };
  const ff = (n: number): Buffer => Buffer.alloc(n, 0xff);

  it.each<[string, EncodedMessageFor]>([
    ['the correct encoded message, built by hand (control: valid)', withPadding(ff)],
    ['one padding byte FE instead of FF', withPadding((n) => cat(ff(10), hex('fe'), ff(n - 11)))],
    ['a zero byte inside the padding', withPadding((n) => cat(ff(n - 1), hex('00')).fill(0x00, 5, 6))],
    ['block type 02 instead of 01', withPadding(ff, hex('0002'))],
    ['a nonzero first byte', withPadding(ff, hex('0101'))],
  ])('%s', async (name, em) => {
    const s = await verifyOnly(await signWith(rawRsaSigner({ encodedMessage: em })));
    if (name.includes('control')) expectPassedWithoutNull(s);
    else expectCryptoFailure(s);
  });
});

describe('tools we did not write refuse the NULL-less form', () => {
  it('openssl cms -verify: refuses the NULL-less signature, accepts the standard one over the same bytes', async () => {
    expect(hasTool('openssl')).toBe(true);
    const nullLessPdf = Buffer.from(await signWith(rawRsaSigner({ digestInfo: (data) => nullLess('SHA-256', hashOf('SHA-256', data)) })));
    const standardPdf = Buffer.from(await signWith(rawRsaSigner({ digestInfo: (data) => standard('SHA-256', hashOf('SHA-256', data)) })));
    const refused = opensslCmsVerify(nullLessPdf, scanSignatures(nullLessPdf)[0]!);
    expect(refused.ok, refused.text).toBe(false);
    // The RSA check itself fails (not the digest, not the chain: -noverify).
    expect(refused.text).toMatch(/rsa_verify:bad signature/);
    const accepted = opensslCmsVerify(standardPdf, scanSignatures(standardPdf)[0]!);
    expect(accepted.ok, accepted.text).toBe(true);
  });

  it('poppler pdfsig: "Signature is Invalid" for the NULL-less signature, valid for the standard one', async () => {
    expect(hasTool('pdfsig')).toBe(true);
    const nss = await nssDbForTestPki();
    const file = (name: string, b: Uint8Array): string => {
      const p = join(work, name);
      writeFileSync(p, b);
      return p;
    };
    const nullLessPdf = await signWith(rawRsaSigner({ digestInfo: (data) => nullLess('SHA-256', hashOf('SHA-256', data)) }));
    const standardPdf = await signWith(rawRsaSigner({ digestInfo: (data) => standard('SHA-256', hashOf('SHA-256', data)) }));
    const refused = pdfsig(file('null-less.pdf', nullLessPdf), nss)[0]!;
    expect(refused.signatureValid, refused.signatureText).toBe(false);
    const accepted = pdfsig(file('standard.pdf', standardPdf), nss)[0]!;
    expect(accepted.signatureValid, accepted.signatureText).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Every hash the table supports for PKCS#1, on every path through the checker:
// signature over signed attributes (detached content), over the content
// itself (no signed attributes), and over signed attributes with
// encapsulated content (how timestamp tokens are checked).

describe('checkCmsSignature: both forms for every PKCS#1 hash, on every path', () => {
  const HASHES = ['SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-256', 'SHA3-384', 'SHA3-512'] as const;
  /** A different hash with a digest of the same length, for the wrong-OID case. */
  const TWIN: Record<(typeof HASHES)[number], Hash> = {
    'SHA-1': 'SHA-224', // no other 20-byte hash in the table: lengths differ, still refused
    'SHA-224': 'SHA-1',
    'SHA-256': 'SHA3-256',
    'SHA-384': 'SHA3-384',
    'SHA-512': 'SHA3-512',
    'SHA3-256': 'SHA-256',
    'SHA3-384': 'SHA-384',
    'SHA3-512': 'SHA-512',
  };
  const content = [Buffer.from('first byte range '), Buffer.from('second byte range')];
  const whole = Buffer.concat(content);
  type Path = 'signed attributes' | 'content' | 'encapsulated content';
  let cms0: CmsInspection;

  beforeAll(async () => {
    const pdf = Buffer.from(await signWith(base));
    cms0 = inspectCms(scanSignatures(pdf)[0]!.contents);
  });

  /** The kyso-signed CMS with its algorithms, content and signature replaced (same signer certificate). */
  function variant(hash: Hash, path: Path, encode: (h: Hash, digest: Buffer) => Buffer): { cms: CmsInspection; content: Buffer[] | null } {
    const attrs = path === 'content' ? null : { ...cms0.signedAttributes!, messageDigest: hashOf(hash, whole) };
    const signedBytes = attrs ? attrs.der : whole;
    const t = encode(hash, hashOf(hash, signedBytes));
    return {
      cms: {
        ...cms0,
        digestAlgorithm: { oid: OID_DOTTED[hash], name: hash },
        signatureAlgorithm: { oid: '1.2.840.113549.1.1.1', name: 'RSASSA-PKCS1-v1_5', hash },
        eContent: path === 'encapsulated content' ? whole : null,
        signedAttributes: attrs,
        signatureValue: privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, t),
      },
      content: path === 'encapsulated content' ? null : content,
    };
  }

  const PATHS: Path[] = ['signed attributes', 'content', 'encapsulated content'];
  const matrix = HASHES.flatMap((h) => PATHS.map((p) => [h, p] as const));

  it.each(matrix)('%s over %s', (hash, path) => {
    for (const [form, encode] of [['null', standard], ['absent', nullLess]] as const) {
      const v = variant(hash, path, encode);
      const c = checkCmsSignature(v.cms, v.content);
      const label = `${hash} ${path} ${form}: ${JSON.stringify(c.problems)}`;
      expect(c.signatureOk, label).toBe(true);
      expect(c.digestOk, label).toBe(true);
      expect(c.ok, label).toBe(true);
      const info = c.problems.filter((p) => p.code === 'RSA_DIGESTINFO_NO_NULL');
      expect(info.map((p) => p.severity), label).toEqual(form === 'absent' ? ['info'] : []);
      expect(c.problems.some((p) => p.severity === 'error'), label).toBe(false);
      if (hash === 'SHA-1') expect(c.problems.map((p) => p.code)).toContain('SHA1_DIGEST');
    }
    for (const [form, params] of [['null', NULL], ['absent', ABSENT]] as const) {
      const wrongOid = variant(hash, path, (_h, d) => digestInfo(hex(OID_DER[TWIN[hash]]), params, d));
      const c = checkCmsSignature(wrongOid.cms, wrongOid.content);
      expect(c.signatureOk, `${hash} ${path} ${form} under ${TWIN[hash]}'s OID`).toBe(false);
      expect(c.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
      expect(c.problems.map((p) => p.code)).not.toContain('RSA_DIGESTINFO_NO_NULL');
    }
  });

  it('MD5 stays refused in either form', () => {
    for (const encode of [standard, nullLess]) {
      const v = variant('MD5', 'signed attributes', encode);
      const c = checkCmsSignature(v.cms, v.content);
      expect(c.signatureOk).toBe(false);
      expect(c.ok).toBe(false);
      expect(c.problems.find((p) => p.code === 'MD5_DIGEST')?.severity).toBe('error');
    }
  });

  it('a signature one byte short, or not below the modulus, is refused before any arithmetic', () => {
    const v = variant('SHA-256', 'signed attributes', nullLess);
    const short = checkCmsSignature({ ...v.cms, signatureValue: v.cms.signatureValue.subarray(1) }, v.content);
    expect(short.signatureOk).toBe(false);
    const long = checkCmsSignature({ ...v.cms, signatureValue: Buffer.concat([Buffer.of(0), v.cms.signatureValue]) }, v.content);
    expect(long.signatureOk).toBe(false);
    const n = Buffer.from(key.export({ format: 'jwk' }).n!, 'base64url');
    for (const s of [n, Buffer.alloc(n.length, 0xff)]) {
      const c = checkCmsSignature({ ...v.cms, signatureValue: s }, v.content);
      expect(c.signatureOk).toBe(false);
      expect(c.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
    }
  });
});
