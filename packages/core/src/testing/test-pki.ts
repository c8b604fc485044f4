/**
 * createTestPki / issueLeaf: a throw-away PKI shaped like BCY's, for tests,
 * examples, benchmarks and the CLI quick start. Never for production: every
 * CA says TEST in its CN and the policy OID is a made-up test value.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { Name, SubjectKeyIdentifierExtension, X509Certificate, X509CertificateGenerator, type Extension } from '@peculiar/x509';
import { KysoError } from '../errors.js';
import { generateTestKeyPair, signingAlgorithmFor, assertTestKeyType, type TestKeyPair, type TestKeyType } from './keys.js';
import { toPem } from './pem.js';
import {
  DEFAULT_BASE_URL,
  DEFAULT_SUBJECTS,
  TEST_POLICY_OID,
  profileExtensions,
  urlsFor,
  type DocumentSigningEku,
  type TestEntityRole,
  type TestLeafKind,
  type TestPkiUrls,
} from './profiles.js';
import { subjectToJsonName, subjectValues, type TestSubject } from './subject.js';

/**
 * A TEST certificate as tests read it. At run time it is an @peculiar/x509
 * X509Certificate (cast to that type for the rest of its API); the public
 * type names only what needs no DOM types, so that `@kyso/core/testing`
 * type-checks for a Node application without `lib: dom` and without
 * skipLibCheck.
 */
export interface TestCertificate {
  /** DER. */
  readonly rawData: ArrayBuffer;
  /** Hex. */
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectName: TestName;
  readonly issuerName: TestName;
  /** The extension of that OID, or null. */
  getExtension(type: string): unknown;
}

export interface TestName {
  /** The values of one attribute, by OID or short name (CN, O, ...). */
  getField(idOrName: string): string[];
  toString(): string;
}

/** An extension to add to a TEST certificate: an @peculiar/x509 Extension (or one of its subclasses) at run time. */
export interface TestExtension {
  readonly type: string;
  readonly critical: boolean;
  readonly rawData: ArrayBuffer;
}

/** One certificate with its key. */
export interface TestEntity extends TestKeyPair {
  /** File stem and key in `pki.leaves`: `root`, `issuing-ca`, `personal`, ... */
  readonly name: string;
  readonly role: TestEntityRole;
  /** PKCS#8 PEM of the private key (unencrypted). */
  readonly keyPem: string;
  readonly certificate: TestCertificate;
  /** The subject as text, RFC 4514-like in certificate order, with UID and E named. */
  readonly subject: string;
  readonly certDer: Uint8Array;
  readonly certPem: string;
  /** Hex, as in the certificate (positive, no sign byte unless needed). */
  readonly serialNumber: string;
  /** Hex SHA-1 subject key identifier. */
  readonly keyId: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface TestPki {
  readonly baseUrl: string;
  readonly policyOid: string;
  readonly urls: TestPkiUrls;
  /** Key type used when issueLeaf is not given one. */
  readonly defaultKey: TestKeyType;
  readonly root: TestEntity;
  readonly issuing: TestEntity;
  readonly personal: TestEntity;
  readonly organisation: TestEntity;
  readonly tsa: TestEntity;
  readonly ocsp: TestEntity;
  /** Every leaf by name: the four above plus those added by issueLeaf (and `expired`). */
  readonly leaves: Record<string, TestEntity>;
  /** issuing CA then root, PEM. */
  readonly chainPem: string;
}

export interface TestValidity {
  notBefore?: Date;
  notAfter?: Date;
}

export interface CreateTestPkiOptions {
  /** Base of AIA / OCSP / CRL URLs. Default `http://127.0.0.1:8790`. */
  baseUrl?: string;
  /** Key type of every entity unless `keys` says otherwise. Default rsa2048. */
  key?: TestKeyType;
  keys?: Partial<Record<TestEntityRole, TestKeyType>>;
  /** Per-entity validity. Defaults: root 20 y, issuing 10 y, leaves 2 y, all from `now` − 1 h. */
  validity?: Partial<Record<TestEntityRole, TestValidity>>;
  /** Per-entity subjects. A CA subject must say TEST in its CN. */
  subjects?: Partial<Record<TestEntityRole, TestSubject>>;
  /** Document-signing EKU on personal / organisation leaves. Default 'microsoft'. */
  documentSigning?: DocumentSigningEku;
  /** Certificate policy on the issuing CA and leaves. Default TEST_POLICY_OID. */
  policyOid?: string;
  /** Also issue `leaves.expired`: a personal leaf valid from now − 30 d to now − 1 d. */
  expiredLeaf?: boolean;
  /** Reference time for the default validity periods. Default: the current time. */
  now?: Date;
}

export interface IssueLeafOptions {
  kind: TestLeafKind;
  /** Key in `pki.leaves` and file stem; default `<kind>-<n>`. Letters, digits, `.`, `_`, `-`. */
  name?: string;
  /** Default: the kind's default subject. */
  subject?: TestSubject;
  /** Default: `pki.defaultKey`. Ignored when `keyPair` is given. */
  key?: TestKeyType;
  /** Reuse an existing key pair (a renewed certificate, two certificates on one token). */
  keyPair?: TestKeyPair;
  /** Default: now − 1 h. */
  notBefore?: Date;
  /** Default: notBefore + 2 years. */
  notAfter?: Date;
  /** Personal / organisation only. Default 'microsoft'. */
  documentSigning?: DocumentSigningEku;
  /** Put AIA (caIssuers + OCSP) in the certificate. Default true. */
  aia?: boolean;
  /** Put a CRL distribution point in the certificate. Default true. */
  crlDistributionPoint?: boolean;
  /** Extra extensions appended after the profile's (@peculiar/x509 Extension objects). */
  extensions?: readonly TestExtension[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Node's WebCrypto, passed explicitly so the x509 library's global provider is left alone. */
const crypto = webcrypto as unknown as NonNullable<Parameters<typeof X509CertificateGenerator.create>[1]>;

function addYears(d: Date, years: number): Date {
  const r = new Date(d.getTime());
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

function invalid(message: string, vi: string, details: Record<string, unknown> = {}): KysoError {
  return new KysoError('CERT_INVALID', message, { vi, details });
}

/** A random, positive, 16-byte serial with no leading zero byte. */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

function checkBaseUrl(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch (cause) {
    throw new KysoError('CERT_INVALID', `baseUrl is not a URL: ${baseUrl}`, { vi: `baseUrl không phải URL: ${baseUrl}`, cause });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw invalid(`baseUrl must be http(s): ${baseUrl}`, `baseUrl phải là http(s): ${baseUrl}`, { baseUrl });
  }
  return baseUrl.replace(/\/+$/, '');
}

function checkValidity(name: string, notBefore: Date, notAfter: Date): void {
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notAfter.getTime() <= notBefore.getTime()) {
    throw invalid(`${name}: notAfter must be a date after notBefore`, `${name}: notAfter phải sau notBefore`, {
      name,
      notBefore: String(notBefore),
      notAfter: String(notAfter),
    });
  }
}

function checkCaSubject(role: TestEntityRole, subject: TestSubject): void {
  const cns = subjectValues(subject, 'CN');
  if (cns.length === 0 || !cns.every((cn) => /\bTEST\b/.test(cn))) {
    throw invalid(
      `The ${role} CA's CN must contain the word TEST so it can never pass for a real CA`,
      `CN của CA ${role} phải chứa chữ TEST để không thể bị nhầm với CA thật`,
      { role, cn: cns },
    );
  }
}

interface IssueInput {
  name: string;
  role: TestEntityRole;
  subject: TestSubject;
  keys: TestKeyPair;
  /** undefined: self-signed. */
  issuer?: TestEntity;
  notBefore: Date;
  notAfter: Date;
  pki: { policyOid: string; urls: TestPkiUrls };
  documentSigning: DocumentSigningEku;
  aia: boolean;
  crlDistributionPoint: boolean;
  extensions: Extension[];
}

async function issue(input: IssueInput): Promise<TestEntity> {
  checkValidity(input.name, input.notBefore, input.notAfter);
  const { keys, issuer } = input;
  const keyId = (await SubjectKeyIdentifierExtension.create(keys.cryptoKeys.publicKey, false, crypto)).keyId;
  const subjectName = subjectToJsonName(input.subject);
  const signer = issuer ?? { cryptoKeys: keys.cryptoKeys, keyType: keys.keyType, certificate: undefined, keyId };
  const extensions = [
    ...profileExtensions({
      role: input.role,
      subjectKeyId: keyId,
      issuerKeyId: signer.keyId,
      policyOid: input.pki.policyOid,
      urls: input.pki.urls,
      emails: subjectValues(input.subject, 'E'),
      documentSigning: input.documentSigning,
      aia: input.aia,
      crlDistributionPoint: input.crlDistributionPoint,
    }),
    ...input.extensions,
  ];
  let certificate: X509Certificate;
  try {
    certificate = await X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: subjectName as never,
        // The issuer DN is copied byte for byte from the issuer's certificate.
        issuer: (issuer ? issuer.certificate.subjectName : subjectName) as never,
        notBefore: input.notBefore,
        notAfter: input.notAfter,
        publicKey: keys.cryptoKeys.publicKey,
        signingKey: signer.cryptoKeys.privateKey,
        signingAlgorithm: signingAlgorithmFor(signer.keyType),
        extensions,
      },
      crypto,
    );
  } catch (cause) {
    if (cause instanceof KysoError) throw cause;
    throw new KysoError('CERT_INVALID', `Cannot create TEST certificate ${input.name}: ${(cause as Error)?.message ?? cause}`, {
      vi: `Không tạo được chứng thư TEST ${input.name}`,
      cause,
    });
  }
  return entityFrom(input.name, input.role, keys, certificate);
}

/** Assembles a TestEntity from its parts (also used when loading a written PKI). */
export function entityFrom(name: string, role: TestEntityRole, keys: TestKeyPair, certificate: X509Certificate): TestEntity {
  const certDer = new Uint8Array(certificate.rawData);
  const ski = certificate.getExtension(SubjectKeyIdentifierExtension);
  return {
    ...keys,
    name,
    role,
    keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate,
    subject: new Name(certificate.subjectName.toArrayBuffer(), { UID: '0.9.2342.19200300.100.1.1' }).toString(),
    certDer,
    certPem: toPem(certDer),
    serialNumber: certificate.serialNumber,
    keyId: ski?.keyId ?? '',
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

const LEAF_KINDS: readonly TestLeafKind[] = ['personal', 'organisation', 'tsa', 'ocsp'];
const RESERVED_NAMES = new Set(['root', 'issuing-ca', 'chain', 'pki', 'nssdb']);

/**
 * Creates a whole TEST hierarchy: root → issuing CA (pathlen 0) → personal,
 * organisation, TSA and OCSP-responder leaves. Keys are generated in parallel.
 */
export async function createTestPki(options: CreateTestPkiOptions = {}): Promise<TestPki> {
  const defaultKey = options.key ?? 'rsa2048';
  assertTestKeyType(defaultKey);
  const keyOf = (role: TestEntityRole): TestKeyType => {
    const k = options.keys?.[role] ?? defaultKey;
    assertTestKeyType(k);
    return k;
  };
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const now = options.now ?? new Date();
  const start = new Date(now.getTime() - HOUR);
  const subjects = { ...DEFAULT_SUBJECTS, ...options.subjects };
  checkCaSubject('root', subjects.root);
  checkCaSubject('issuing', subjects.issuing);
  const validity = (role: TestEntityRole, years: number): { notBefore: Date; notAfter: Date } => {
    const notBefore = options.validity?.[role]?.notBefore ?? start;
    return { notBefore, notAfter: options.validity?.[role]?.notAfter ?? addYears(notBefore, years) };
  };
  const common = {
    pki: { policyOid: options.policyOid ?? TEST_POLICY_OID, urls: urlsFor(baseUrl) },
    documentSigning: options.documentSigning ?? 'microsoft',
    aia: true,
    crlDistributionPoint: true,
    extensions: [],
  } as const;

  const roles: TestEntityRole[] = ['root', 'issuing', ...LEAF_KINDS];
  if (options.expiredLeaf) roles.push('personal');
  const keyPairs = await Promise.all(roles.map((r) => generateTestKeyPair(keyOf(r))));
  const kp = (i: number): TestKeyPair => keyPairs[i]!;

  const root = await issue({ ...common, extensions: [], name: 'root', role: 'root', subject: subjects.root, keys: kp(0), ...validity('root', 20) });
  const issuing = await issue({
    ...common,
    extensions: [],
    name: 'issuing-ca',
    role: 'issuing',
    subject: subjects.issuing,
    keys: kp(1),
    issuer: root,
    ...validity('issuing', 10),
  });
  const leafList = await Promise.all(
    LEAF_KINDS.map((kind, i) =>
      issue({ ...common, extensions: [], name: kind, role: kind, subject: subjects[kind], keys: kp(2 + i), issuer: issuing, ...validity(kind, 2) }),
    ),
  );
  const leaves: Record<string, TestEntity> = {};
  for (const l of leafList) leaves[l.name] = l;
  if (options.expiredLeaf) {
    leaves.expired = await issue({
      ...common,
      extensions: [],
      name: 'expired',
      role: 'personal',
      subject: subjects.personal,
      keys: kp(6),
      issuer: issuing,
      notBefore: new Date(now.getTime() - 30 * DAY),
      notAfter: new Date(now.getTime() - DAY),
    });
  }
  return assemblePki({ baseUrl, policyOid: common.pki.policyOid, defaultKey, root, issuing, leaves });
}

/** Builds the TestPki object around its entities. */
export function assemblePki(parts: {
  baseUrl: string;
  policyOid: string;
  defaultKey: TestKeyType;
  root: TestEntity;
  issuing: TestEntity;
  leaves: Record<string, TestEntity>;
}): TestPki {
  const need = (n: TestLeafKind): TestEntity => {
    const e = parts.leaves[n];
    if (!e) throw invalid(`TEST PKI has no ${n} leaf`, `TEST PKI thiếu chứng thư ${n}`);
    return e;
  };
  return {
    baseUrl: parts.baseUrl,
    policyOid: parts.policyOid,
    urls: urlsFor(parts.baseUrl),
    defaultKey: parts.defaultKey,
    root: parts.root,
    issuing: parts.issuing,
    personal: need('personal'),
    organisation: need('organisation'),
    tsa: need('tsa'),
    ocsp: need('ocsp'),
    leaves: parts.leaves,
    chainPem: parts.issuing.certPem + parts.root.certPem,
  };
}

/**
 * Issues one more leaf from the TEST issuing CA and records it in `pki.leaves`
 * (so writeTestPki writes it too). Use for expired or not-yet-valid
 * certificates, several signers, other key types.
 */
export async function issueLeaf(pki: TestPki, options: IssueLeafOptions): Promise<TestEntity> {
  if (!LEAF_KINDS.includes(options.kind)) {
    throw invalid(`Unknown leaf kind ${JSON.stringify(options.kind)}`, `Loại chứng thư không rõ ${JSON.stringify(options.kind)}`);
  }
  let name = options.name;
  if (name === undefined) {
    let n = 2;
    while (pki.leaves[`${options.kind}-${n}`]) n++;
    name = `${options.kind}-${n}`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || RESERVED_NAMES.has(name)) {
    throw invalid(`Bad leaf name ${JSON.stringify(name)}`, `Tên chứng thư không hợp lệ ${JSON.stringify(name)}`);
  }
  if (pki.leaves[name]) throw invalid(`A leaf named ${name} already exists`, `Đã có chứng thư tên ${name}`);
  const leaves = pki.leaves;
  const keys = options.keyPair ?? (await generateTestKeyPair(options.key ?? pki.defaultKey));
  const notBefore = options.notBefore ?? new Date(Date.now() - HOUR);
  const entity = await issue({
    name,
    role: options.kind,
    subject: options.subject ?? DEFAULT_SUBJECTS[options.kind],
    keys,
    issuer: pki.issuing,
    notBefore,
    notAfter: options.notAfter ?? addYears(notBefore, 2),
    pki,
    documentSigning: options.documentSigning ?? 'microsoft',
    aia: options.aia ?? true,
    crlDistributionPoint: options.crlDistributionPoint ?? true,
    // At run time they are @peculiar/x509 Extensions (TestExtension only keeps DOM types out of the public API).
    extensions: [...(options.extensions ?? [])] as Extension[],
  });
  // Checked again: a concurrent issueLeaf may have taken the name meanwhile.
  if (leaves[name]) throw invalid(`A leaf named ${name} already exists`, `Đã có chứng thư tên ${name}`);
  leaves[name] = entity;
  return entity;
}
