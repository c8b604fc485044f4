/**
 * Objects on the token: the private key, its certificate and the CA
 * certificates stored next to them. Private objects are visible only after
 * login, so these run on a logged-in session.
 */
import { X509Certificate } from 'node:crypto';
import { KysoError } from '@kyso/core';
import { mapPkcs11Error } from './errors.js';
import { P, type Handle, type PKCS11 } from './pkcs11js.js';

/** `{ label }`, `{ id }` (CKA_ID in hex, colons allowed) or `{ subject }` of the certificate (CN or full DN). */
export type KeySelector =
  | { label: string; id?: undefined; subject?: undefined }
  | { id: string; label?: undefined; subject?: undefined }
  | { subject: string; label?: undefined; id?: undefined };

export interface TokenCertificate {
  handle: Handle;
  id: Buffer;
  label: string;
  der: Uint8Array;
  x509: X509Certificate;
}

export interface TokenKey {
  handle: Handle;
  id: Buffer;
  label: string;
  keyType: 'RSA' | 'EC';
  alwaysAuthenticate: boolean;
  canSign: boolean;
  /** RSA modulus when the token lets us read it. */
  modulus?: Buffer | undefined;
}

export function findObjects(pkcs11: PKCS11, session: Handle, template: { type: number; value?: number | boolean | string | Buffer }[]): Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  const out: Handle[] = [];
  try {
    for (;;) {
      const batch = pkcs11.C_FindObjects(session, 64);
      out.push(...batch);
      if (batch.length < 64) break;
    }
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
  return out;
}

/** One attribute's raw value, or undefined when the token will not give it (sensitive, absent). */
export function attr(pkcs11: PKCS11, session: Handle, handle: Handle, type: number): Buffer | undefined {
  try {
    const [a] = pkcs11.C_GetAttributeValue(session, handle, [{ type }]);
    return a?.value;
  } catch {
    return undefined;
  }
}

function ulong(b: Buffer | undefined): number | undefined {
  if (!b || b.length === 0) return undefined;
  if (b.length >= 8) return Number(b.readBigUInt64LE(0));
  if (b.length >= 4) return b.readUInt32LE(0);
  return b[0];
}

const bool = (b: Buffer | undefined, dflt: boolean): boolean => (b && b.length > 0 ? b[0] !== 0 : dflt);
const text = (b: Buffer | undefined): string => (b ? b.toString('utf8') : '');

export function parseHexId(id: string): Buffer {
  const hex = id.replace(/[:\s]/g, '').replace(/^0x/i, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Key id "${id}" is not hexadecimal (e.g. "01" or "a1:b2")`, {
      vi: `Mã khóa "${id}" không phải dạng thập lục phân (ví dụ "01" hoặc "a1:b2")`,
    });
  }
  return Buffer.from(hex, 'hex');
}

export function readCertificates(pkcs11: PKCS11, session: Handle): TokenCertificate[] {
  const out: TokenCertificate[] = [];
  for (const handle of findObjects(pkcs11, session, [
    { type: P.CKA_CLASS, value: P.CKO_CERTIFICATE },
    { type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 },
  ])) {
    const value = attr(pkcs11, session, handle, P.CKA_VALUE);
    if (!value) continue;
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(value);
    } catch {
      continue; // a certificate the token holds but nobody can parse is not ours to use
    }
    out.push({
      handle,
      id: attr(pkcs11, session, handle, P.CKA_ID) ?? Buffer.alloc(0),
      label: text(attr(pkcs11, session, handle, P.CKA_LABEL)),
      der: new Uint8Array(value),
      x509,
    });
  }
  return out;
}

export function describeKey(pkcs11: PKCS11, session: Handle, handle: Handle): TokenKey | undefined {
  const type = ulong(attr(pkcs11, session, handle, P.CKA_KEY_TYPE));
  const keyType = type === P.CKK_RSA ? 'RSA' : type === P.CKK_EC ? 'EC' : undefined;
  if (!keyType) return undefined;
  return {
    handle,
    id: attr(pkcs11, session, handle, P.CKA_ID) ?? Buffer.alloc(0),
    label: text(attr(pkcs11, session, handle, P.CKA_LABEL)),
    keyType,
    alwaysAuthenticate: bool(attr(pkcs11, session, handle, P.CKA_ALWAYS_AUTHENTICATE), false),
    canSign: bool(attr(pkcs11, session, handle, P.CKA_SIGN), true),
    modulus: keyType === 'RSA' ? attr(pkcs11, session, handle, P.CKA_MODULUS) : undefined,
  };
}

export function readPrivateKeys(pkcs11: PKCS11, session: Handle, extra: { type: number; value: string | Buffer }[] = []): TokenKey[] {
  return findObjects(pkcs11, session, [{ type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY }, ...extra])
    .map((h) => describeKey(pkcs11, session, h))
    .filter((k): k is TokenKey => k !== undefined);
}

/** Does the certificate's public key match the token key (as far as the token lets us see it)? */
function certMatchesKey(pkcs11: PKCS11, session: Handle, cert: TokenCertificate, key: TokenKey): boolean | undefined {
  const pub = cert.x509.publicKey;
  if (key.keyType === 'RSA') {
    if (pub.asymmetricKeyType !== 'rsa' && pub.asymmetricKeyType !== 'rsa-pss') return false;
    if (!key.modulus) return undefined;
    const n = pub.export({ format: 'jwk' }).n;
    return n !== undefined && Buffer.from(n, 'base64url').equals(stripZeros(key.modulus));
  }
  if (pub.asymmetricKeyType !== 'ec') return false;
  // EC private keys do not carry the point; the public key object with the same CKA_ID does.
  if (key.id.length === 0) return undefined;
  const [pubHandle] = findObjects(pkcs11, session, [
    { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY },
    { type: P.CKA_ID, value: key.id },
  ]);
  const point = pubHandle ? attr(pkcs11, session, pubHandle, P.CKA_EC_POINT) : undefined;
  if (!point) return undefined;
  const spki = pub.export({ format: 'der', type: 'spki' });
  // CKA_EC_POINT is a DER OCTET STRING holding the point (old tokens: the bare point); the SPKI ends with the bare point.
  const forms = [point];
  if (point[0] === 0x04 && point[1]! < 0x80 && point[1]! + 2 === point.length) forms.push(point.subarray(2));
  if (point[0] === 0x04 && point[1] === 0x81 && point[2]! + 3 === point.length) forms.push(point.subarray(3));
  return forms.some((f) => f.length > 16 && spki.subarray(spki.length - f.length).equals(f));
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function keyNotFound(what: string, whatVi: string, keys: TokenKey[], details: Record<string, unknown>): KysoError {
  const list = keys.map((k) => `"${k.label}" (id ${k.id.toString('hex') || '-'})`).join(', ') || 'none';
  const listVi = keys.length > 0 ? list : 'không có';
  return new KysoError('KEY_NOT_FOUND', `${what}; private keys on the token: ${list}. See "kyso token keys"`, {
    vi: `${whatVi}; các khóa bí mật trên thiết bị: ${listVi}. Xem "kyso token keys"`,
    details: { ...details, keys: keys.map((k) => ({ label: k.label, id: k.id.toString('hex') })) },
  });
}

function normaliseDn(dn: string): string[] {
  return dn
    .split(/\n|,(?=\s*[A-Za-z0-9.]+\s*=)/)
    .map((p) => p.trim().replace(/\s*=\s*/, '=').toLowerCase())
    .filter((p) => p.length > 0)
    .sort();
}

function subjectMatches(x509: X509Certificate, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  const cn = x509.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
  if (cn !== undefined && cn.toLowerCase() === w) return true;
  const a = normaliseDn(x509.subject);
  const b = normaliseDn(wanted);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isValidNow(x: X509Certificate): boolean {
  const now = Date.now();
  return new Date(x.validFrom).getTime() <= now && now <= new Date(x.validTo).getTime();
}

export interface FoundKey {
  key: TokenKey;
  /** undefined when the token holds no certificate for it (the caller may give one). */
  certificate: TokenCertificate | undefined;
  certificates: TokenCertificate[];
}

/** Finds the one private key the selector names, and its certificate. */
export function findKeyAndCertificate(pkcs11: PKCS11, session: Handle, selector: KeySelector): FoundKey {
  try {
    return findKeyAndCertificateInner(pkcs11, session, selector);
  } catch (e) {
    throw mapPkcs11Error(e, { action: 'find the key', actionVi: 'tìm khóa' });
  }
}

function findKeyAndCertificateInner(pkcs11: PKCS11, session: Handle, selector: KeySelector): FoundKey {
  const given = [selector?.label, selector?.id, selector?.subject].filter((v) => v !== undefined);
  if (given.length !== 1 || given.some((v) => typeof v !== 'string' || v.length === 0)) {
    throw new KysoError('SIGN_OPTIONS_INVALID', 'Choose the key by exactly one of { label }, { id } or { subject }', {
      vi: 'Chọn khóa theo đúng một trong { label }, { id } hoặc { subject }',
    });
  }
  const certificates = readCertificates(pkcs11, session);
  const allKeys = readPrivateKeys(pkcs11, session);
  let candidates: TokenKey[];
  let byCert: TokenCertificate[] = [];
  let what: string;
  let whatVi: string;
  if (selector.label !== undefined) {
    candidates = allKeys.filter((k) => k.label === selector.label);
    what = `No private key labelled "${selector.label}" is on the token`;
    whatVi = `Không có khóa bí mật nhãn "${selector.label}" trên thiết bị`;
  } else if (selector.id !== undefined) {
    const id = parseHexId(selector.id);
    candidates = allKeys.filter((k) => k.id.equals(id));
    what = `No private key with id ${id.toString('hex')} is on the token`;
    whatVi = `Không có khóa bí mật mã ${id.toString('hex')} trên thiết bị`;
  } else {
    byCert = certificates.filter((c) => !c.x509.ca && subjectMatches(c.x509, selector.subject!));
    candidates = allKeys.filter((k) => byCert.some((c) => (k.id.length > 0 && c.id.equals(k.id)) || certMatchesKey(pkcs11, session, c, k) === true));
    what = `No private key belongs to a certificate with subject "${selector.subject}"`;
    whatVi = `Không có khóa bí mật nào ứng với chứng thư có chủ thể "${selector.subject}"`;
  }
  if (candidates.length === 0) throw keyNotFound(what, whatVi, allKeys, { selector });
  if (candidates.length > 1) {
    throw new KysoError(
      'SIGN_OPTIONS_INVALID',
      `${candidates.length} private keys match; choose one by id: ${candidates.map((k) => k.id.toString('hex') || '-').join(', ')}`,
      {
        vi: `Có ${candidates.length} khóa bí mật khớp; hãy chọn theo mã (id): ${candidates.map((k) => k.id.toString('hex') || '-').join(', ')}`,
        details: { ids: candidates.map((k) => k.id.toString('hex')) },
      },
    );
  }
  const key = candidates[0]!;
  if (!key.canSign) {
    throw new KysoError('KEY_UNSUPPORTED', `The key "${key.label}" is not allowed to sign (CKA_SIGN is false)`, {
      vi: `Khóa "${key.label}" không được phép ký (CKA_SIGN = false)`,
    });
  }
  // Certificates for the key: same CKA_ID first, else same label; then those whose public key matches.
  const pool = (byCert.length > 0 ? byCert : certificates).filter((c) => !c.x509.ca);
  let linked = pool.filter((c) => key.id.length > 0 && c.id.equals(key.id));
  if (linked.length === 0) linked = pool.filter((c) => key.label.length > 0 && c.label === key.label);
  let matching = linked.filter((c) => certMatchesKey(pkcs11, session, c, key) !== false);
  if (matching.length === 0 && key.keyType === 'RSA' && key.modulus) {
    matching = pool.filter((c) => certMatchesKey(pkcs11, session, c, key) === true);
  }
  // Renewed certificates on one key: prefer one valid now, then the latest.
  matching.sort((a, b) => Number(isValidNow(b.x509)) - Number(isValidNow(a.x509)) || new Date(b.x509.validTo).getTime() - new Date(a.x509.validTo).getTime());
  return { key, certificate: matching[0], certificates };
}
