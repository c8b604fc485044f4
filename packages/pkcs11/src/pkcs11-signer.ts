/**
 * Pkcs11Signer: a core Signer whose private key lives on a PKCS#11 token or
 * HSM. Open it once (module, token, login, key, certificate, chain), sign
 * any number of documents concurrently over a pool of sessions, close it.
 */
import { X509Certificate, constants, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { isKysoError, KysoError, type DigestAlgorithm, type PemInput, type SignatureAlgorithm, type Signer } from '@kyso/core';
import { maxEcdsaSignatureSize } from '@kyso/core/cms';
import { orderChain, readCertificates } from '@kyso/core/sign';
import { ecdsaRawToDer } from './ecdsa.js';
import { SESSION_LOST, ckrOf, mapPkcs11Error, type ErrorContext } from './errors.js';
import { digestFacts, planDigestSignature, planSignature, type Pkcs11Scheme, type SignPlan } from './mechanisms.js';
import { acquireModule, type LoadedModule } from './module.js';
import { findKeyAndCertificate, type KeySelector, type TokenKey } from './objects.js';
import { loginUser } from './login.js';
import { countPinSources, resolvePin, type PinSources } from './pin.js';
import { P, type Handle, type PKCS11 } from './pkcs11js.js';
import { SessionPool } from './session-pool.js';
import { findToken, type TokenDescription, type TokenSelector } from './tokens.js';

export interface Pkcs11SignerOptions extends PinSources {
  /** Path of the PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  module: string;
  /** The token, by label or serial number (never by slot number). */
  token: TokenSelector;
  /** The private key, by CKA_LABEL, CKA_ID (hex) or its certificate's subject. */
  key: KeySelector;
  /** The signer's certificate (PEM or DER) when the token does not hold it. */
  certificate?: PemInput;
  /** Extra issuer certificates (PEM bundle or DER items); the token's CA certificates are added. */
  chain?: PemInput | readonly PemInput[];
  /** For RSA keys. Default PKCS#1 v1.5. */
  scheme?: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS';
  /** Default: SHA-256 (SHA-384 for P-384, SHA-512 for P-521). */
  defaultDigest?: DigestAlgorithm;
  /** Sessions opened in parallel (each signature runs on its own). Default 4. */
  sessions?: number;
  /**
   * Mechanisms (CKM_* values) to treat as absent even if the token lists
   * them: for tokens whose mechanism list promises more than they do.
   */
  avoidMechanisms?: readonly number[];
}

const DEFAULT_SESSIONS = 4;
/**
 * After all of a process's sessions on a token close (another library
 * called C_CloseAllSessions, the token was re-plugged), a fresh session is
 * logged out and the key handle may be stale: re-establish and retry once.
 */
const LOGIN_LOST = new Set<number>([P.CKR_USER_NOT_LOGGED_IN, P.CKR_OBJECT_HANDLE_INVALID, P.CKR_KEY_HANDLE_INVALID]);
const MAX_SESSIONS = 64;
const CKU_CONTEXT_SPECIFIC = 2;

function invalid(en: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', en, { vi });
}

interface KeyState {
  slot: Handle;
  token: TokenDescription;
  key: TokenKey;
}

export class Pkcs11Signer implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly defaultDigest: DigestAlgorithm;
  readonly maxSignatureSize: number;
  /** The token signing (label, serial, ...), for display. */
  readonly token: TokenDescription;
  /** Label and hex CKA_ID of the key. */
  readonly keyInfo: { label: string; id: string; type: 'RSA' | 'EC'; alwaysAuthenticate: boolean };

  readonly #module: LoadedModule;
  readonly #pkcs11: PKCS11;
  readonly #options: Pkcs11SignerOptions;
  readonly #pool: SessionPool;
  readonly #mechanisms: ReadonlySet<number>;
  readonly #plans = new Map<DigestAlgorithm, SignPlan>();
  readonly #outLength: number;
  readonly #certKey: X509Certificate['publicKey'];
  #state: KeyState;
  /** The PIN, kept for re-login after the token comes back and for context-specific logins. Never exposed. */
  #pin: string | undefined;
  #needsLogin = false;
  #reestablishing: Promise<Handle> | undefined;
  #verified = false;
  #closing: Promise<void> | undefined;

  private constructor(init: {
    module: LoadedModule;
    options: Pkcs11SignerOptions;
    state: KeyState;
    pin: string | undefined;
    certificate: Uint8Array;
    chain: Uint8Array[];
    scheme: Pkcs11Scheme;
    defaultDigest: DigestAlgorithm;
    mechanisms: Set<number>;
    sessions: number;
  }) {
    this.#module = init.module;
    this.#pkcs11 = init.module.pkcs11;
    this.#options = init.options;
    this.#state = init.state;
    this.#pin = init.pin;
    this.#mechanisms = init.mechanisms;
    this.certificate = init.certificate;
    this.chain = Object.freeze(init.chain);
    this.token = init.state.token;
    const k = init.state.key;
    this.keyInfo = { label: k.label, id: k.id.toString('hex'), type: k.keyType, alwaysAuthenticate: k.alwaysAuthenticate };
    this.signatureAlgorithm = { scheme: init.scheme } as SignatureAlgorithm;
    this.defaultDigest = init.defaultDigest;
    this.#certKey = new X509Certificate(init.certificate).publicKey;
    const details = this.#certKey.asymmetricKeyDetails ?? {};
    if (k.keyType === 'RSA') {
      this.#outLength = Math.ceil((details.modulusLength ?? 4096) / 8);
      this.maxSignatureSize = this.#outLength;
    } else {
      const n = details.namedCurve === 'secp384r1' ? 48 : details.namedCurve === 'secp521r1' ? 66 : 32;
      this.#outLength = 2 * n;
      this.maxSignatureSize = maxEcdsaSignatureSize(n);
    }
    this.#pool = new SessionPool(init.sessions, {
      open: () => this.#openSession(),
      close: (s) => {
        try {
          this.#pkcs11.C_CloseSession(s);
        } catch {
          /* already gone */
        }
      },
    });
  }

  /** Loads the module, finds the token, logs in, finds the key and its certificate. */
  static async open(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
    if (!options || typeof options !== 'object') throw invalid('Pkcs11Signer.open needs options', 'Pkcs11Signer.open cần tùy chọn');
    const sessions = options.sessions ?? DEFAULT_SESSIONS;
    if (!Number.isInteger(sessions) || sessions < 1 || sessions > MAX_SESSIONS) {
      throw invalid(`sessions must be an integer from 1 to ${MAX_SESSIONS}`, `sessions phải là số nguyên từ 1 đến ${MAX_SESSIONS}`);
    }
    if (options.scheme !== undefined && options.scheme !== 'RSASSA-PKCS1-v1_5' && options.scheme !== 'RSA-PSS') {
      throw invalid(`Unknown signature scheme ${String(options.scheme)}`, `Lược đồ chữ ký không xác định ${String(options.scheme)}`);
    }
    if (options.defaultDigest !== undefined) digestFacts(options.defaultDigest);
    if (countPinSources(options) > 1) {
      throw invalid('Give the PIN one way only: pin, pinEnv, pinFile or pinCallback', 'Chỉ cung cấp mã PIN theo một cách: pin, pinEnv, pinFile hoặc pinCallback');
    }
    const mod = acquireModule(options.module);
    const pkcs11 = mod.pkcs11;
    let session: Handle | undefined;
    try {
      const { slot, token } = findToken(pkcs11, options.token);
      const ctx = (action: string, actionVi: string): ErrorContext => ({ action: `${action} on token "${token.label}"`, actionVi: `${actionVi} trên thiết bị "${token.label}"` });
      let mechanisms: Set<number>;
      try {
        mechanisms = new Set(pkcs11.C_GetMechanismList(slot));
      } catch (e) {
        throw mapPkcs11Error(e, ctx('list mechanisms', 'liệt kê cơ chế'));
      }
      for (const m of options.avoidMechanisms ?? []) mechanisms.delete(m);
      try {
        session = pkcs11.C_OpenSession(slot, P.CKF_SERIAL_SESSION);
      } catch (e) {
        throw mapPkcs11Error(e, ctx('open a session', 'mở phiên làm việc'));
      }
      const pin = await loginIfNeeded(mod, session, slot, token, options);
      const found = findKeyAndCertificate(pkcs11, session, options.key);

      let certificate = found.certificate?.der;
      const given: Uint8Array[] = [];
      if (options.certificate !== undefined) {
        const [c, ...rest] = readCertificates(options.certificate);
        certificate = c;
        given.push(...rest);
      }
      if (!certificate) {
        throw new KysoError('CERT_INVALID', `The token holds no certificate for key "${found.key.label}": give it with the certificate option`, {
          vi: `Thiết bị không chứa chứng thư số cho khóa "${found.key.label}": hãy cung cấp qua tùy chọn certificate`,
        });
      }
      const x509 = new X509Certificate(certificate);
      const pubType = x509.publicKey.asymmetricKeyType;
      if ((found.key.keyType === 'RSA') !== (pubType === 'rsa' || pubType === 'rsa-pss')) {
        throw new KysoError('KEY_MISMATCH', 'The key on the token does not belong to the certificate (different key types)', {
          vi: 'Khóa trên thiết bị không khớp với chứng thư số (khác loại khóa)',
        });
      }
      if (found.key.keyType === 'RSA' && found.key.modulus) {
        const n = x509.publicKey.export({ format: 'jwk' }).n;
        let i = 0;
        while (i < found.key.modulus.length - 1 && found.key.modulus[i] === 0) i++;
        if (!n || !Buffer.from(n, 'base64url').equals(found.key.modulus.subarray(i))) {
          throw new KysoError('KEY_MISMATCH', 'The key on the token does not belong to the certificate', {
            vi: 'Khóa trên thiết bị không khớp với chứng thư số',
          });
        }
      }
      if (found.key.keyType === 'RSA' && (x509.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        throw new KysoError('KEY_UNSUPPORTED', 'RSA keys shorter than 2048 bits are not supported', { vi: 'Không hỗ trợ khóa RSA ngắn hơn 2048 bit' });
      }

      if (options.chain !== undefined) {
        const items = Array.isArray(options.chain) ? (options.chain as readonly PemInput[]) : [options.chain as PemInput];
        for (const item of items) given.push(...readCertificates(item));
      }
      const tokenCas = found.certificates.filter((c) => c.x509.ca).map((c) => c.der);
      const chain = orderChain(certificate, [...given, ...tokenCas]);

      let scheme: Pkcs11Scheme;
      if (found.key.keyType === 'EC') {
        if (options.scheme !== undefined) throw invalid(`Scheme ${options.scheme} needs an RSA key`, `Lược đồ ${options.scheme} cần khóa RSA`);
        scheme = 'ECDSA';
      } else {
        scheme = options.scheme ?? (pubType === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5');
      }
      const curve = x509.publicKey.asymmetricKeyDetails?.namedCurve;
      const defaultDigest = options.defaultDigest ?? (curve === 'secp384r1' ? 'SHA-384' : curve === 'secp521r1' ? 'SHA-512' : 'SHA-256');
      planSignature(scheme, defaultDigest, mechanisms); // fails now, not at the first signature

      let size = sessions;
      if (!mod.threadSafe) size = 1;
      const max = token && pkcs11.C_GetTokenInfo(slot).maxSessionCount;
      if (max > 0 && max < size) size = max;

      const signer = new Pkcs11Signer({
        module: mod,
        options,
        state: { slot, token, key: found.key },
        pin,
        certificate: new Uint8Array(certificate),
        chain,
        scheme,
        defaultDigest,
        mechanisms,
        sessions: size,
      });
      signer.#pool.adopt(session);
      return signer;
    } catch (e) {
      if (session) {
        try {
          pkcs11.C_CloseSession(session);
        } catch {
          /* ignore */
        }
      }
      mod.release();
      throw e instanceof KysoError ? e : mapPkcs11Error(e, { action: 'open the signer', actionVi: 'mở bộ ký' });
    }
  }

  /** The mechanism used for a digest (e.g. "CKM_SHA256_RSA_PKCS"). */
  mechanismFor(digest: DigestAlgorithm): string {
    return this.#plan(digest).name;
  }

  async sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    if (this.#closing) throw closedError();
    if (!(data instanceof Uint8Array)) throw invalid('sign() needs bytes', 'sign() cần dữ liệu dạng byte');
    const plan = this.#plan(digest);
    const signature = await this.#run(plan, plan.input(data));
    if (!this.#verified) this.#selfCheck(data, digest, signature);
    return signature;
  }

  /**
   * Signs a hash computed elsewhere (CSC signHash) with a raw mechanism:
   * CKM_RSA_PKCS over the DigestInfo, CKM_RSA_PKCS_PSS, or CKM_ECDSA. An RSA
   * key makes PKCS#1 v1.5 or PSS whatever its default scheme. Before the
   * first one, the key is checked against the certificate once (one
   * signature over random data, as sign() checks its first).
   */
  async signDigest(hash: Uint8Array, digest: DigestAlgorithm, scheme: SignatureAlgorithm = this.signatureAlgorithm): Promise<Uint8Array> {
    if (this.#closing) throw closedError();
    const d = digestFacts(digest);
    if (!(hash instanceof Uint8Array) || hash.length !== d.length) {
      throw invalid(`A ${digest} hash is ${d.length} bytes`, `Giá trị băm ${digest} dài ${d.length} byte`);
    }
    const wanted = scheme?.scheme;
    const ec = this.#state.key.keyType === 'EC';
    if (ec ? wanted !== 'ECDSA' : wanted !== 'RSASSA-PKCS1-v1_5' && wanted !== 'RSA-PSS') {
      throw invalid(`This ${ec ? 'EC' : 'RSA'} key cannot make ${String(wanted)} signatures`, `Khóa ${ec ? 'EC' : 'RSA'} này không tạo được chữ ký ${String(wanted)}`);
    }
    const plan = planDigestSignature(wanted, digest, wanted === 'RSA-PSS' ? (scheme as { saltLength?: number }).saltLength : undefined, this.#mechanisms);
    if (!this.#verified) await this.sign(randomBytes(32), this.defaultDigest);
    return this.#run(plan, plan.input(hash));
  }

  /** One C_Sign on a pooled session; after a lost session or login, re-establishes and retries once. */
  async #run(plan: SignPlan, input: Buffer): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      const generation = this.#pool.generation;
      const session = await this.#pool.acquire();
      let raw: Buffer;
      try {
        raw = await this.#signOn(session, plan, input);
      } catch (e) {
        const rv = ckrOf(e);
        if (rv !== undefined && (SESSION_LOST.has(rv) || LOGIN_LOST.has(rv))) {
          this.#pool.discard(session);
          this.#pool.invalidate(generation);
          this.#needsLogin = true;
          if (attempt === 0) continue; // reopen, log in again, retry once
        } else {
          this.#pool.discard(session); // an operation may be left half-done on it
        }
        throw e instanceof KysoError ? e : mapPkcs11Error(e, this.#ctx('sign', 'ký', await this.#tokenInfoAfter(rv)));
      }
      this.#pool.release(session);
      return this.#state.key.keyType === 'EC' ? ecdsaRawToDer(raw) : new Uint8Array(raw);
    }
  }

  /** Closes every session and releases the module (the last user finalizes it). Waits for signatures under way. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#pool.close();
      this.#pin = undefined;
      this.#module.release();
    })();
    return this.#closing;
  }

  /** Same as close(). */
  finalize(): Promise<void> {
    return this.close();
  }

  /** Never shows the PIN. */
  toJSON(): Record<string, unknown> {
    return { token: this.token, key: this.keyInfo, signatureAlgorithm: this.signatureAlgorithm };
  }

  #plan(digest: DigestAlgorithm): SignPlan {
    let plan = this.#plans.get(digest);
    if (!plan) {
      plan = planSignature(this.signatureAlgorithm.scheme, digest, this.#mechanisms);
      this.#plans.set(digest, plan);
    }
    return plan;
  }

  async #signOn(session: Handle, plan: SignPlan, input: Buffer): Promise<Buffer> {
    const key = this.#state.key;
    this.#pkcs11.C_SignInit(session, plan.mechanism, key.handle);
    if (key.alwaysAuthenticate) {
      const pin = this.#options.pinCallback ? await resolvePin(this.#options, { tokenLabel: this.token.label, kind: 'context' }) : this.#pin;
      try {
        this.#pkcs11.C_Login(session, CKU_CONTEXT_SPECIFIC, pin);
      } catch (e) {
        const rv = ckrOf(e);
        if (rv !== undefined && (SESSION_LOST.has(rv) || LOGIN_LOST.has(rv))) throw e;
        throw mapPkcs11Error(e, this.#ctx('confirm the PIN for this signature', 'xác nhận mã PIN cho chữ ký này', await this.#tokenInfoAfter(rv)));
      }
    }
    return this.#pkcs11.C_SignAsync(session, input, Buffer.alloc(this.#outLength));
  }

  /** Opens a session for the pool; after the token was lost, finds it again, logs in and finds the key again. */
  async #openSession(): Promise<Handle> {
    while (this.#needsLogin) {
      if (!this.#reestablishing) {
        const p = this.#reestablish();
        this.#reestablishing = p;
        try {
          return await p;
        } finally {
          this.#reestablishing = undefined;
        }
      }
      await this.#reestablishing.catch(() => undefined);
    }
    try {
      return this.#pkcs11.C_OpenSession(this.#state.slot, P.CKF_SERIAL_SESSION);
    } catch (e) {
      const rv = ckrOf(e);
      if (rv !== undefined && SESSION_LOST.has(rv)) this.#needsLogin = true;
      throw mapPkcs11Error(e, this.#ctx('open a session', 'mở phiên làm việc'));
    }
  }

  async #reestablish(): Promise<Handle> {
    try {
      return await this.#reestablishOnce();
    } catch (e) {
      // A module that stays broken after its token came back (SoftHSM2: C_GetTokenInfo and C_Login answer CKR_GENERAL_ERROR
      // for good) recovers only when initialised again; the other failures are the token's own, reported as they are.
      const rv = ckrOf((e as { cause?: unknown }).cause ?? e);
      // CKR_CRYPTOKI_NOT_INITIALIZED: an earlier re-initialisation could not finish (its token still away): tried again.
      const broken = (isKysoError(e) && e.code === 'PKCS11_TOKEN_NOT_FOUND') || rv === P.CKR_GENERAL_ERROR || rv === P.CKR_DEVICE_ERROR || rv === P.CKR_CRYPTOKI_NOT_INITIALIZED;
      if (!broken || !this.#module.reinitialize()) throw e;
      return this.#reestablishOnce();
    }
  }

  async #reestablishOnce(): Promise<Handle> {
    const pkcs11 = this.#pkcs11;
    let found0: { slot: Handle; token: TokenDescription };
    try {
      found0 = findToken(pkcs11, this.#options.token);
    } catch (e) {
      // Some modules (SoftHSM2) keep failing C_GetTokenInfo on a slot whose token went away and came back, while sessions
      // on it work again: the slot this signer knew is tried, and the certificate check below makes sure it holds the same key.
      if (!(isKysoError(e) && e.code === 'PKCS11_TOKEN_NOT_FOUND')) throw e;
      found0 = { slot: this.#state.slot, token: this.#state.token };
    }
    const { slot, token } = found0;
    let session: Handle;
    try {
      session = pkcs11.C_OpenSession(slot, P.CKF_SERIAL_SESSION);
    } catch (e) {
      throw mapPkcs11Error(e, this.#ctx('open a session', 'mở phiên làm việc'));
    }
    try {
      this.#pin = await loginIfNeeded(this.#module, session, slot, token, this.#options, this.#pin);
      const found = findKeyAndCertificate(pkcs11, session, this.#options.key);
      if (found.certificate && !Buffer.from(found.certificate.der).equals(Buffer.from(this.certificate))) {
        throw new KysoError('KEY_MISMATCH', 'The token plugged in again holds another certificate than the one this signer was opened with', {
          vi: 'Thiết bị vừa cắm lại chứa chứng thư số khác với chứng thư ban đầu',
        });
      }
      this.#state = { slot, token, key: found.key };
      this.#needsLogin = false;
      return session;
    } catch (e) {
      try {
        pkcs11.C_CloseSession(session);
      } catch {
        /* ignore */
      }
      throw e;
    }
  }

  #ctx(action: string, actionVi: string, tokenInfo?: ErrorContext['tokenInfo']): ErrorContext {
    return {
      action: `${action} with key "${this.keyInfo.label}" on token "${this.token.label}"`,
      actionVi: `${actionVi} bằng khóa "${this.keyInfo.label}" trên thiết bị "${this.token.label}"`,
      tokenInfo,
    };
  }

  async #tokenInfoAfter(rv: number | undefined): Promise<ErrorContext['tokenInfo']> {
    if (rv !== P.CKR_PIN_INCORRECT && rv !== P.CKR_PIN_LEN_RANGE && rv !== P.CKR_PIN_INVALID) return undefined;
    try {
      return this.#pkcs11.C_GetTokenInfo(this.#state.slot);
    } catch {
      return undefined;
    }
  }

  /** The first signature is checked against the certificate's public key: a wrong key never reaches a PDF. */
  #selfCheck(data: Uint8Array, digest: DigestAlgorithm, signature: Uint8Array): void {
    const d = digestFacts(digest);
    const scheme = this.signatureAlgorithm.scheme;
    const key =
      scheme === 'RSA-PSS'
        ? { key: this.#certKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: d.length }
        : scheme === 'ECDSA'
          ? { key: this.#certKey, dsaEncoding: 'der' as const }
          : { key: this.#certKey, padding: constants.RSA_PKCS1_PADDING };
    let ok = false;
    try {
      ok = cryptoVerify(d.node, data, key, signature);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new KysoError('KEY_MISMATCH', `The signature made by key "${this.keyInfo.label}" does not verify with the certificate: the key and certificate do not belong together`, {
        vi: `Chữ ký tạo bởi khóa "${this.keyInfo.label}" không kiểm tra được bằng chứng thư số: khóa và chứng thư không khớp nhau`,
      });
    }
    this.#verified = true;
  }
}

function closedError(): KysoError {
  return new KysoError('SIGN_SIGNER_FAILED', 'The PKCS#11 signer is closed', { vi: 'Bộ ký PKCS#11 đã đóng' });
}

/**
 * Logs the user in when the token asks for it. The PIN comes from the
 * options (or `known`, after the first login). A token with a PIN pad
 * (protected authentication path) gets no PIN from us.
 */
async function loginIfNeeded(
  mod: LoadedModule,
  session: Handle,
  slot: Handle,
  token: TokenDescription,
  options: PinSources,
  known?: string,
): Promise<string | undefined> {
  const pkcs11 = mod.pkcs11;
  let flags: { loginRequired: boolean; pinLocked: boolean; protectedPath: boolean };
  try {
    const f = pkcs11.C_GetTokenInfo(slot).flags;
    flags = { loginRequired: Boolean(f & P.CKF_LOGIN_REQUIRED), pinLocked: Boolean(f & P.CKF_USER_PIN_LOCKED), protectedPath: Boolean(f & P.CKF_PROTECTED_AUTHENTICATION_PATH) };
  } catch {
    // The module cannot describe the token again (SoftHSM2, after its token went away and came back) though sessions on it
    // work: what it said when the token was found. A PIN it now refuses is reported by the login itself.
    flags = { loginRequired: token.loginRequired, pinLocked: token.pinLocked, protectedPath: token.protectedAuthenticationPath };
  }
  const loginRequired = flags.loginRequired;
  if (flags.pinLocked) {
    throw mapPkcs11Error({ code: P.CKR_PIN_LOCKED, message: 'CKR_PIN_LOCKED' }, { action: 'log in', actionVi: 'đăng nhập' });
  }
  const pin = known ?? (await resolvePin(options, { tokenLabel: token.label, kind: 'user' }));
  if (!loginRequired && pin === undefined) return undefined;
  if (pin === undefined && !flags.protectedPath) {
    throw new KysoError('SIGN_OPTIONS_INVALID', `Token "${token.label}" needs a PIN: give pin, pinEnv, pinFile or pinCallback (CLI: --pin-env VAR)`, {
      vi: `Thiết bị "${token.label}" cần mã PIN: cung cấp pin, pinEnv, pinFile hoặc pinCallback (dòng lệnh: --pin-env BIẾN)`,
    });
  }
  loginUser(mod, session, slot, token, pin);
  return pin;
}
