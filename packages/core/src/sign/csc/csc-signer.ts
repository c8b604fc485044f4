/**
 * CscSigner: a Signer whose key is held by a remote signing service that
 * speaks the Cloud Signature Consortium API v2 (kyso's own /csc/v2/, or
 * any other provider). Only hashes travel: sign() hashes the signed
 * attributes here and sends the hash to signatures/signHash.
 *
 * Open it once (credentials/info gives the certificate chain and the key),
 * authorize once for a batch (credentials/authorize: one SAD for N
 * signatures), then sign any number of documents: hashes asked for at the
 * same time go to the service together, up to the credential's multisign
 * per call. Every value that comes back is checked against the
 * certificate's public key before it reaches a PDF.
 */
import { X509Certificate, constants, createHash, verify as cryptoVerify } from 'node:crypto';
import { KysoError } from '../../errors.js';
import type { DigestAlgorithm, SignatureAlgorithm, Signer } from '../../contracts/index.js';
import { digestLength, nodeDigestName, publicKeyFacts, type PublicKeyFacts } from '../../cms/algorithms.js';
import { orderChain } from '../software-signer.js';
import { CscClient, protocol, type CscAuthOptions } from './csc-client.js';
import { HASH_OIDS, offersScheme, signHashAlgorithm } from './csc-algorithms.js';

export interface CscSignerOptions extends CscAuthOptions {
  /** Base URL of the CSC API, the part before `info` (kyso: `http://host:8080/csc/v2`). */
  url: string;
  /** The credential, by its credentialID. */
  credentialId?: string;
  /** Or the credential whose certificate's subject contains this text (e.g. a CN or an O), case-insensitively; it must be the only one. */
  certificateSubject?: string;
  /** For an RSA credential: PKCS#1 v1.5 (default) or PSS (salt = digest length). */
  scheme?: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS';
  /** Default SHA-256 (SHA-384 for P-384, SHA-512 for P-521). */
  defaultDigest?: DigestAlgorithm;
  /**
   * PIN or OTP for a credential that asks for them (auth mode explicit):
   * values by the authData ids credentials/info lists ("PIN", "OTP"), or a
   * function asked at each authorization.
   */
  authData?: Record<string, string> | ((ids: readonly string[]) => Promise<Record<string, string>>);
  /** Signatures one authorization covers when the signer authorizes by itself (no authorize() call, or it is used up). Default 1. */
  signaturesPerAuthorization?: number;
  /** Hashes per signHash call at most. Default: the credential's multisign, at most 100. */
  maxBatch?: number;
  /** Deadline of each call to the service. Default 30 000 ms. */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** What credentials/info says about the key and certificate, as the signer uses it. */
export interface CscCredentialInfo {
  credentialId: string;
  description?: string;
  /** OIDs of the signature algorithms the credential offers (key.algo). */
  algorithms: readonly string[];
  /** "1" or "2". */
  scal: string;
  /** Hashes one signHash call may carry. */
  multisign: number;
  /** implicit, explicit or oauth2code. */
  authMode: string;
  /** The authData ids an explicit credential asks for (e.g. PIN, OTP). */
  authObjects: readonly string[];
}

interface InfoAnswer {
  description?: unknown;
  key?: { status?: unknown; algo?: unknown; len?: unknown };
  cert?: { status?: unknown; certificates?: unknown };
  auth?: { mode?: unknown; objects?: unknown };
  SCAL?: unknown;
  multisign?: unknown;
}

interface Pending {
  hash: Uint8Array;
  digest: DigestAlgorithm;
  scheme: SignatureAlgorithm;
  resolve: (v: Uint8Array) => void;
  reject: (e: unknown) => void;
}

interface Sad {
  value: string;
  remaining: number;
  expiresAt: number;
}

const SAD_MARGIN_MS = 5_000;
const MAX_BATCH = 100;

function invalid(en: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', en, { vi });
}

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function fromB64(v: unknown, what: string): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v.replace(/\s+/g, ''))) throw protocol(what, `${what} is not base64`, `${what} không phải base64`);
  return Buffer.from(v, 'base64');
}

export class CscSigner implements Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly defaultDigest: DigestAlgorithm;
  readonly maxSignatureSize: number;
  readonly credential: CscCredentialInfo;

  readonly #client: CscClient;
  readonly #options: CscSignerOptions;
  readonly #facts: PublicKeyFacts;
  readonly #publicKey: X509Certificate['publicKey'];
  readonly #maxBatch: number;
  #sad: Sad | undefined;
  #authorizing: Promise<void> | undefined;
  #queue: Pending[] = [];
  #flushScheduled = false;

  private constructor(client: CscClient, options: CscSignerOptions, credential: CscCredentialInfo, certificates: Buffer[]) {
    this.#client = client;
    this.#options = options;
    this.credential = credential;
    const [leaf, ...rest] = certificates;
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(leaf!);
    } catch (cause) {
      throw new KysoError('CSC_SERVICE_FAILED', 'The certificate credentials/info gave cannot be read', { vi: 'Không đọc được chứng thư số do credentials/info trả về', cause });
    }
    this.certificate = new Uint8Array(leaf!);
    this.chain = Object.freeze(orderChain(this.certificate, rest.map((c) => new Uint8Array(c))));
    this.#publicKey = x509.publicKey;
    this.#facts = publicKeyFacts(x509.publicKey);
    this.maxSignatureSize = this.#facts.maxSignatureSize;
    const algos = credential.algorithms;
    if (this.#facts.family === 'EC') {
      if (options.scheme !== undefined) throw invalid(`Scheme ${options.scheme} needs an RSA credential`, `Lược đồ ${options.scheme} cần thông tin ký RSA`);
      this.signatureAlgorithm = { scheme: 'ECDSA' };
    } else {
      this.signatureAlgorithm = { scheme: options.scheme ?? (this.#facts.pssOnly ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5') };
    }
    if (!offersScheme(algos, this.signatureAlgorithm.scheme)) {
      throw new KysoError('CSC_ALGORITHM_UNSUPPORTED', `The credential offers no ${this.signatureAlgorithm.scheme} algorithm (it lists ${algos.join(', ') || 'none'})`, {
        vi: `Thông tin ký không hỗ trợ thuật toán ${this.signatureAlgorithm.scheme} (danh sách: ${algos.join(', ') || 'trống'})`,
        details: { algorithms: [...algos] },
      });
    }
    const curve = this.#facts.namedCurve;
    this.defaultDigest = options.defaultDigest ?? (curve === 'secp384r1' ? 'SHA-384' : curve === 'secp521r1' ? 'SHA-512' : 'SHA-256');
    this.#maxBatch = Math.max(1, Math.min(options.maxBatch ?? MAX_BATCH, credential.multisign));
  }

  /** Reaches the service, finds the credential (by id or certificate subject) and reads its certificate chain. */
  static async open(options: CscSignerOptions): Promise<CscSigner> {
    if (!options || typeof options !== 'object') throw invalid('CscSigner.open needs options', 'CscSigner.open cần tùy chọn');
    if ((options.credentialId === undefined) === (options.certificateSubject === undefined)) {
      throw invalid('Give exactly one of credentialId or certificateSubject', 'Cung cấp đúng một trong credentialId hoặc certificateSubject');
    }
    const per = options.signaturesPerAuthorization;
    if (per !== undefined && (!Number.isInteger(per) || per < 1)) throw invalid('signaturesPerAuthorization must be a positive integer', 'signaturesPerAuthorization phải là số nguyên dương');
    if (options.maxBatch !== undefined && (!Number.isInteger(options.maxBatch) || options.maxBatch < 1)) throw invalid('maxBatch must be a positive integer', 'maxBatch phải là số nguyên dương');
    if (options.scheme !== undefined && options.scheme !== 'RSASSA-PKCS1-v1_5' && options.scheme !== 'RSA-PSS') {
      throw invalid(`Unknown signature scheme ${String(options.scheme)}`, `Lược đồ chữ ký không xác định ${String(options.scheme)}`);
    }
    if (options.defaultDigest !== undefined) digestLength(options.defaultDigest);
    const client = new CscClient(options);
    const id = options.credentialId ?? (await findBySubject(client, options.certificateSubject!));
    const answer = await client.call<InfoAnswer>('credentials/info', { credentialID: id, certificates: 'chain', certInfo: true, authInfo: true });
    const { credential, certificates } = readInfo(id, answer);
    return new CscSigner(client, options, credential, certificates);
  }

  /**
   * One authorization (credentials/authorize, one SAD) for the next
   * `signatures` signatures: sign that many documents without another
   * round trip or PIN prompt. Without it the signer authorizes by itself,
   * `signaturesPerAuthorization` at a time.
   */
  async authorize(signatures: number): Promise<void> {
    if (!Number.isInteger(signatures) || signatures < 1 || signatures > this.credential.multisign * 10_000) {
      throw invalid('authorize() needs a positive number of signatures', 'authorize() cần số chữ ký là số nguyên dương');
    }
    if (this.credential.scal === '2') return; // SCAL2: each batch is authorized with its hashes when it is sent
    await this.#authorize(signatures, undefined);
  }

  /** Signatures the current authorization still covers (0 when none, used up or expired). */
  get authorizedSignatures(): number {
    const s = this.#sad;
    return s && s.expiresAt - SAD_MARGIN_MS > Date.now() ? s.remaining : 0;
  }

  async sign(data: Uint8Array, digest: DigestAlgorithm): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) throw invalid('sign() needs bytes', 'sign() cần dữ liệu dạng byte');
    const hash = createHash(nodeDigestName(digest)).update(data).digest();
    const signature = await this.#enqueue(new Uint8Array(hash), digest, this.signatureAlgorithm);
    this.#check(data, digest, this.signatureAlgorithm, signature);
    return signature;
  }

  /** Signs a hash computed elsewhere (no local check of the value is possible for PSS and ECDSA then). */
  async signDigest(hash: Uint8Array, digest: DigestAlgorithm, scheme: SignatureAlgorithm = this.signatureAlgorithm): Promise<Uint8Array> {
    if (!(hash instanceof Uint8Array) || hash.length !== digestLength(digest)) {
      throw invalid(`A ${digest} hash is ${digestLength(digest)} bytes`, `Giá trị băm ${digest} dài ${digestLength(digest)} byte`);
    }
    return this.#enqueue(new Uint8Array(hash), digest, scheme);
  }

  /** Never shows a token, SAD or PIN. */
  toJSON(): Record<string, unknown> {
    return { url: this.#client.base, credential: this.credential, signatureAlgorithm: this.signatureAlgorithm };
  }

  #enqueue(hash: Uint8Array, digest: DigestAlgorithm, scheme: SignatureAlgorithm): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ hash, digest, scheme, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // Hashes asked for in the same turn of the event loop (a folder signed at once) leave in one call.
        setImmediate(() => {
          this.#flushScheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    const groups = new Map<string, Pending[]>();
    for (const p of queue) {
      const k = `${p.digest}|${p.scheme.scheme}|${(p.scheme as { saltLength?: number }).saltLength ?? ''}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(p);
    }
    for (const g of groups.values()) {
      for (let i = 0; i < g.length; i += this.#maxBatch) {
        const batch = g.slice(i, i + this.#maxBatch);
        this.#send(batch).catch((e: unknown) => {
          for (const p of batch) p.reject(e);
        });
      }
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    const { digest, scheme } = batch[0]!;
    const algo = signHashAlgorithm(this.credential.algorithms, scheme, digest);
    if (!algo) {
      throw new KysoError('CSC_ALGORITHM_UNSUPPORTED', `The credential offers no ${scheme.scheme} algorithm with ${digest}`, {
        vi: `Thông tin ký không hỗ trợ ${scheme.scheme} với ${digest}`,
      });
    }
    const hashes = batch.map((p) => b64(p.hash));
    const sad = await this.#sadFor(batch.length, hashes, algo.hashAlgorithmOID ?? HASH_OIDS[digest]);
    const answer = await this.#client.call<{ signatures?: unknown }>('signatures/signHash', {
      credentialID: this.credential.credentialId,
      SAD: sad,
      hashes,
      ...algo,
    });
    const sigs = answer.signatures;
    if (!Array.isArray(sigs) || sigs.length !== batch.length) throw protocol('signatures/signHash', `${batch.length} signatures were expected`, `cần ${batch.length} chữ ký`);
    batch.forEach((p, i) => {
      try {
        p.resolve(this.#normalise(fromB64(sigs[i], 'signatures/signHash'), p.scheme));
      } catch (e) {
        p.reject(e);
      }
    });
  }

  /** The SAD for `n` more signatures: the current one while it covers them, else a new authorization. */
  async #sadFor(n: number, hashes: string[], hashAlgorithmOID: string): Promise<string> {
    if (this.credential.scal === '2') {
      const sad = await this.#requestSad(n, { hashes, hashAlgorithmOID });
      return sad.value;
    }
    for (;;) {
      const s = this.#sad;
      if (s && s.remaining >= n && s.expiresAt - SAD_MARGIN_MS > Date.now()) {
        s.remaining -= n;
        return s.value;
      }
      if (this.#authorizing) {
        await this.#authorizing.catch(() => undefined);
        if (this.#sad !== s) continue;
      }
      await this.#authorize(Math.max(n, this.#options.signaturesPerAuthorization ?? 1), undefined);
    }
  }

  async #authorize(n: number, bound: { hashes: string[]; hashAlgorithmOID: string } | undefined): Promise<void> {
    const p = (async () => {
      this.#sad = await this.#requestSad(n, bound);
    })();
    this.#authorizing = p;
    try {
      await p;
    } finally {
      if (this.#authorizing === p) this.#authorizing = undefined;
    }
  }

  async #requestSad(n: number, bound: { hashes: string[]; hashAlgorithmOID: string } | undefined): Promise<Sad> {
    const c = this.credential;
    let authData: { id: string; value: string }[] | undefined;
    if (c.authMode === 'explicit' && c.authObjects.length > 0) {
      const given = typeof this.#options.authData === 'function' ? await this.#options.authData(c.authObjects) : this.#options.authData;
      if (!given) throw invalid(`The credential asks for ${c.authObjects.join(' and ')}: give authData`, `Thông tin ký yêu cầu ${c.authObjects.join(' và ')}: hãy cung cấp authData`);
      authData = c.authObjects.filter((id) => given[id] !== undefined).map((id) => ({ id, value: given[id]! }));
    }
    const answer = await this.#client.call<{ SAD?: unknown; expiresIn?: unknown }>('credentials/authorize', {
      credentialID: c.credentialId,
      numSignatures: n,
      ...(bound ?? {}),
      ...(authData ? { authData } : {}),
    });
    if (typeof answer.SAD !== 'string' || answer.SAD.length === 0) throw protocol('credentials/authorize', 'no SAD in the answer', 'không có SAD trong câu trả lời');
    const expiresIn = typeof answer.expiresIn === 'number' && answer.expiresIn > 0 ? answer.expiresIn : 3600;
    return { value: answer.SAD, remaining: n, expiresAt: Date.now() + expiresIn * 1000 };
  }

  /** RSA values as they are; ECDSA as DER whether the service sent DER or r‖s. */
  #normalise(sig: Buffer, scheme: SignatureAlgorithm): Uint8Array {
    if (scheme.scheme !== 'ECDSA') {
      if (sig.length === 0 || sig.length > this.maxSignatureSize) throw protocol('signatures/signHash', `an RSA signature of ${sig.length} bytes`, `chữ ký RSA dài ${sig.length} byte`);
      return new Uint8Array(sig);
    }
    if (sig[0] === 0x30 && sig.length <= this.maxSignatureSize) return new Uint8Array(sig);
    const n = Math.ceil(this.#facts.bits / 8);
    if (sig.length !== 2 * n) throw protocol('signatures/signHash', `an ECDSA signature of ${sig.length} bytes`, `chữ ký ECDSA dài ${sig.length} byte`);
    return rawEcdsaToDer(sig.subarray(0, n), sig.subarray(n));
  }

  /** A value that does not verify with the credential's certificate never reaches a PDF. */
  #check(data: Uint8Array, digest: DigestAlgorithm, scheme: SignatureAlgorithm, signature: Uint8Array): void {
    const key =
      scheme.scheme === 'RSA-PSS'
        ? { key: this.#publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: (scheme as { saltLength?: number }).saltLength ?? digestLength(digest) }
        : scheme.scheme === 'ECDSA'
          ? { key: this.#publicKey, dsaEncoding: 'der' as const }
          : { key: this.#publicKey, padding: constants.RSA_PKCS1_PADDING };
    let ok = false;
    try {
      ok = cryptoVerify(nodeDigestName(digest), data, key, signature);
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new KysoError('CSC_SERVICE_FAILED', "The signature the CSC service returned does not verify with the credential's certificate", {
        vi: 'Chữ ký do dịch vụ CSC trả về không khớp với chứng thư số của thông tin ký',
      });
    }
  }
}

function derInt(b: Uint8Array): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = Buffer.from(b.subarray(i));
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([0x02, v.length]), v]);
}

function rawEcdsaToDer(r: Uint8Array, s: Uint8Array): Uint8Array {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30]), len, body]));
}

function readInfo(id: string, a: InfoAnswer): { credential: CscCredentialInfo; certificates: Buffer[] } {
  const m = 'credentials/info';
  const algos = a.key?.algo;
  if (!Array.isArray(algos) || algos.some((x) => typeof x !== 'string')) throw protocol(m, 'key.algo is not a list of OIDs', 'key.algo không phải danh sách OID');
  if (a.key?.status !== undefined && a.key.status !== 'enabled') {
    throw new KysoError('CSC_CREDENTIAL_UNKNOWN', `The credential's key is ${String(a.key.status)}`, { vi: `Khóa của thông tin ký đang ở trạng thái ${String(a.key.status)}`, details: { credentialId: id } });
  }
  const certs = a.cert?.certificates;
  if (!Array.isArray(certs) || certs.length === 0) throw protocol(m, 'no certificate (cert.certificates)', 'không có chứng thư số (cert.certificates)');
  const multisign = typeof a.multisign === 'number' && Number.isInteger(a.multisign) && a.multisign > 0 ? a.multisign : 1;
  const mode = typeof a.auth?.mode === 'string' ? a.auth.mode : 'implicit';
  const objects = Array.isArray(a.auth?.objects) ? (a.auth.objects as { id?: unknown }[]).map((o) => o?.id).filter((x): x is string => typeof x === 'string') : [];
  return {
    credential: {
      credentialId: id,
      ...(typeof a.description === 'string' ? { description: a.description } : {}),
      algorithms: Object.freeze([...(algos as string[])]),
      scal: a.SCAL === '2' ? '2' : '1',
      multisign,
      authMode: mode,
      authObjects: Object.freeze(objects),
    },
    certificates: certs.map((c) => fromB64(c, m)),
  };
}

/** The one credential whose certificate subject contains `text`. */
async function findBySubject(client: CscClient, text: string): Promise<string> {
  const list = await client.call<{ credentialIDs?: unknown; credentialInfos?: unknown }>('credentials/list', { credentialInfo: true, certificates: 'single', certInfo: true });
  const ids = list.credentialIDs;
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw protocol('credentials/list', 'credentialIDs is not a list', 'credentialIDs không phải danh sách');
  const infos = Array.isArray(list.credentialInfos) ? (list.credentialInfos as (InfoAnswer & { credentialID?: unknown; cert?: { subjectDN?: unknown } })[]) : [];
  const want = text.toLowerCase();
  const matches: string[] = [];
  for (const id of ids as string[]) {
    let info = infos.find((i) => i?.credentialID === id);
    if (!info) info = await client.call<InfoAnswer>('credentials/info', { credentialID: id, certificates: 'single', certInfo: true });
    const subjects: string[] = [];
    if (typeof (info.cert as { subjectDN?: unknown } | undefined)?.subjectDN === 'string') subjects.push((info.cert as { subjectDN: string }).subjectDN);
    const first = Array.isArray(info.cert?.certificates) ? info.cert.certificates[0] : undefined;
    if (typeof first === 'string') {
      try {
        subjects.push(new X509Certificate(Buffer.from(first, 'base64')).subject);
      } catch {
        /* the subjectDN alone decides */
      }
    }
    if (subjects.some((s) => s.toLowerCase().includes(want))) matches.push(id);
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new KysoError('CSC_CREDENTIAL_UNKNOWN', `No credential of this account has a certificate whose subject contains "${text}"`, {
      vi: `Không có thông tin ký nào của tài khoản có chứng thư số với chủ thể chứa "${text}"`,
      details: { credentials: ids.length },
    });
  }
  throw new KysoError('CSC_CREDENTIAL_UNKNOWN', `Several credentials match "${text}" (${matches.join(', ')}): choose one by credentialId`, {
    vi: `Nhiều thông tin ký khớp "${text}" (${matches.join(', ')}): hãy chọn theo credentialId`,
    details: { matches },
  });
}
