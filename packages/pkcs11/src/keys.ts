/**
 * What a token holds for signing: its private keys (after login) and the
 * certificates next to them. Without a PIN only public objects are seen.
 */
import { X509Certificate } from 'node:crypto';
import { mapPkcs11Error } from './errors.js';
import { loginUser } from './login.js';
import { acquireModule } from './module.js';
import { attr, findObjects, readCertificates, readPrivateKeys, type TokenCertificate } from './objects.js';
import { countPinSources, resolvePin, type PinSources } from './pin.js';
import { P, type Handle } from './pkcs11js.js';
import { findToken, type TokenDescription, type TokenSelector } from './tokens.js';

export interface ListKeysOptions extends PinSources {
  module: string;
  token: TokenSelector;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  ca: boolean;
  sha256: string;
}

export interface KeyDescription {
  /** 'private': a private key (seen after login); 'public': a public key (no login); 'certificate': a certificate without a key seen. */
  kind: 'private' | 'public' | 'certificate';
  label: string;
  /** CKA_ID, hex. */
  id: string;
  type: 'RSA' | 'EC' | 'other' | null;
  /** RSA modulus bits or EC curve name, when known. */
  size: string | null;
  alwaysAuthenticate: boolean;
  certificate: CertificateSummary | null;
}

function summary(c: TokenCertificate): CertificateSummary {
  return summarise(c.x509);
}

function summarise(x: X509Certificate): CertificateSummary {
  return {
    subject: x.subject.split('\n').join(', '),
    issuer: x.issuer.split('\n').join(', '),
    serialNumber: x.serialNumber,
    notBefore: new Date(x.validFrom).toISOString(),
    notAfter: new Date(x.validTo).toISOString(),
    ca: x.ca,
    sha256: x.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

/** Lists keys and certificates. Logs in only when a PIN source is given. */
export async function listKeys(options: ListKeysOptions): Promise<{ token: TokenDescription; loggedIn: boolean; keys: KeyDescription[] }> {
  const mod = acquireModule(options.module);
  const pkcs11 = mod.pkcs11;
  let session: Handle | undefined;
  try {
    const { slot, token } = findToken(pkcs11, options.token);
    const ctx = { action: `read token "${token.label}"`, actionVi: `đọc thiết bị "${token.label}"` };
    try {
      session = pkcs11.C_OpenSession(slot, P.CKF_SERIAL_SESSION);
    } catch (e) {
      throw mapPkcs11Error(e, ctx);
    }
    let loggedIn = false;
    if (countPinSources(options) > 0) {
      const pin = await resolvePin(options, { tokenLabel: token.label, kind: 'user' });
      loginUser(mod, session, slot, token, pin);
      loggedIn = true;
    }
    try {
      const s = session;
      const certs = readCertificates(pkcs11, s);
      const used = new Set<TokenCertificate>();
      const certFor = (id: Buffer, label: string): TokenCertificate | undefined => {
        const c = certs.find((c) => !c.x509.ca && id.length > 0 && c.id.equals(id)) ?? certs.find((c) => !c.x509.ca && label !== '' && c.label === label);
        if (c) used.add(c);
        return c;
      };
      const keys: KeyDescription[] = [];
      const seenIds = new Set<string>();
      for (const k of loggedIn ? readPrivateKeys(pkcs11, s) : []) {
        const c = certFor(k.id, k.label);
        const details = c?.x509.publicKey.asymmetricKeyDetails;
        seenIds.add(k.id.toString('hex'));
        keys.push({
          kind: 'private',
          label: k.label,
          id: k.id.toString('hex'),
          type: k.keyType,
          size: k.modulus ? String(stripZeros(k.modulus).length * 8) : details?.modulusLength ? String(details.modulusLength) : (details?.namedCurve ?? null),
          alwaysAuthenticate: k.alwaysAuthenticate,
          certificate: c ? summary(c) : null,
        });
      }
      if (!loggedIn) {
        for (const h of findObjects(pkcs11, s, [{ type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY }])) {
          const id = attr(pkcs11, s, h, P.CKA_ID) ?? Buffer.alloc(0);
          const label = (attr(pkcs11, s, h, P.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8');
          const t = attr(pkcs11, s, h, P.CKA_KEY_TYPE);
          const type = t ? Number(t.length >= 8 ? t.readBigUInt64LE(0) : t[0]) : undefined;
          const c = certFor(id, label);
          const details = c?.x509.publicKey.asymmetricKeyDetails;
          seenIds.add(id.toString('hex'));
          keys.push({
            kind: 'public',
            label,
            id: id.toString('hex'),
            type: type === P.CKK_RSA ? 'RSA' : type === P.CKK_EC ? 'EC' : 'other',
            size: details?.modulusLength ? String(details.modulusLength) : (details?.namedCurve ?? null),
            alwaysAuthenticate: false,
            certificate: c ? summary(c) : null,
          });
        }
      }
      for (const c of certs) {
        if (used.has(c)) continue;
        keys.push({ kind: 'certificate', label: c.label, id: c.id.toString('hex'), type: null, size: null, alwaysAuthenticate: false, certificate: summary(c) });
      }
      return { token, loggedIn, keys };
    } catch (e) {
      throw mapPkcs11Error(e, ctx);
    }
  } finally {
    if (session) {
      try {
        pkcs11.C_CloseSession(session);
      } catch {
        /* ignore */
      }
    }
    mod.release();
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
