/**
 * Certification path building and validation (RFC 5280 section 6, the parts a
 * signature verifier needs): from a signer certificate up to a trust anchor of
 * a TrustStore, using the store's intermediates and the certificates found in
 * the CMS / the PDF's DSS. Revocation is not checked here.
 *
 * Every candidate issuer is tried (names may collide between generations);
 * signatures decide. Loops are impossible (a certificate, or a subject+key
 * pair, appears at most once per path), depth and total work are bounded.
 */
import { bytesEqual, toHex } from './asn1.js';
import { type ParsedCertificate, OID_AUTHORITY_KEY_ID, OID_BASIC_CONSTRAINTS, OID_EXT_KEY_USAGE, OID_KEY_USAGE, OID_SUBJECT_ALT_NAME, OID_SUBJECT_KEY_ID, parseCertificate } from './certificate.js';
import { type SignatureCheck, checkCertificateSignature } from './certificate-signature.js';
import { findBundled } from './bundled.js';
import { nameMatchKey } from './distinguished-name.js';
import { type TrustAnchor, type TrustStore } from './trust-store.js';

export type ChainProblemCode =
  /** No path to an anchor: an issuer is missing. */
  | 'NO_CHAIN'
  /** The path ends at a self-signed certificate that is not an anchor of the store. */
  | 'UNTRUSTED_ROOT'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'BAD_SIGNATURE'
  | 'NOT_A_CA'
  | 'PATH_LENGTH_EXCEEDED'
  | 'KEY_USAGE'
  /** A signature algorithm refused by policy (MD5, MD2, SHA-1 outside the bundled hierarchy). */
  | 'WEAK_ALGORITHM'
  /** Informational: SHA-1 was accepted (bundled BCY G1 hierarchy). */
  | 'SHA1_SIGNATURE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNPARSEABLE_CERTIFICATE'
  | 'UNHANDLED_CRITICAL_EXTENSION'
  | 'MALFORMED_EXTENSION';

export interface ChainProblem {
  readonly code: ChainProblemCode;
  /** Errors make the chain untrusted; warnings are reported only. */
  readonly severity: 'error' | 'warning';
  /** Position in `path` (0 = leaf), or null when not tied to one certificate. */
  readonly index: number | null;
  /** RFC 4514 subject of the certificate concerned. */
  readonly subject: string | null;
  readonly message: string;
  readonly messageVi: string;
}

export interface ChainAnchor {
  readonly id: string;
  readonly name: string;
  readonly policies: readonly string[];
  readonly bundled: boolean;
  readonly generation: TrustAnchor['generation'];
  readonly sha256: string;
}

export interface ChainResult {
  /** A path reached an anchor of the store with no error-severity problem. */
  readonly trusted: boolean;
  /** Policy label of the store used ('bcy', 'vn', 'custom'). */
  readonly policy: string;
  readonly anchor: ChainAnchor | null;
  /** Certificates leaf → root (the best path found; partial when no anchor was reached). */
  readonly path: readonly ParsedCertificate[];
  readonly problems: readonly ChainProblem[];
  /** The time validity was checked at. */
  readonly at: Date;
}

/**
 * SHA-1 in certificate signatures:
 * - 'bundled-issuers' (default): accepted (with a SHA1_SIGNATURE warning) when
 *   the issuer is one of the bundled, fingerprint-pinned certificates (the BCY
 *   G1 root signs its issuing CAs with SHA-1); refused elsewhere.
 * - 'accept': accepted everywhere, with a warning.
 * - 'reject': refused everywhere (the bundled G1 chain then fails).
 */
export type Sha1Policy = 'bundled-issuers' | 'accept' | 'reject';

export interface BuildChainOptions {
  store: TrustStore;
  /** Certificates from the CMS and the PDF's DSS (DER or parsed); unreadable ones are skipped with a warning. */
  extraCerts?: ReadonlyArray<Uint8Array | ParsedCertificate>;
  /** Validity is checked at this time (default: now). */
  at?: Date;
  /** Longest path considered, leaf and anchor included (default 8). */
  maxDepth?: number;
  sha1?: Sha1Policy;
  /**
   * 'signing' (default): the leaf's keyUsage, when present, must allow
   * digitalSignature or nonRepudiation. 'any': no leaf keyUsage check (e.g.
   * when validating a CA certificate on its own).
   */
  leafKeyUsage?: 'signing' | 'any';
}

/** Extensions whose meaning we honour (or which carry no constraint for path validation). */
const HANDLED_EXTENSIONS = new Set([
  OID_BASIC_CONSTRAINTS,
  OID_KEY_USAGE,
  OID_EXT_KEY_USAGE,
  OID_SUBJECT_KEY_ID,
  OID_AUTHORITY_KEY_ID,
  OID_SUBJECT_ALT_NAME,
  '2.5.29.18', // issuerAltName
  '2.5.29.32', // certificatePolicies (policy processing is not done; not a constraint on our use)
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.46', // freshestCRL
  '2.5.29.9', // subjectDirectoryAttributes
  '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
  '1.3.6.1.5.5.7.1.11', // subjectInfoAccess
  '1.3.6.1.5.5.7.1.3', // qcStatements
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-ocsp-nocheck
  '2.16.840.1.113730.1.1', // netscape cert type
]);

interface Terminal {
  path: ParsedCertificate[];
  /** sigs[i]: path[i] checked with path[i+1]'s key. */
  sigs: SignatureCheck[];
  anchor: TrustAnchor | null;
  selfSigned: boolean;
  depthExceeded: boolean;
}

interface Evaluated {
  terminal: Terminal;
  problems: ChainProblem[];
  errors: number;
}

function problem(
  code: ChainProblemCode,
  severity: 'error' | 'warning',
  index: number | null,
  cert: ParsedCertificate | null,
  message: string,
  messageVi: string,
): ChainProblem {
  return { code, severity, index, subject: cert ? cert.subject.rfc4514 : null, message, messageVi };
}

function anchorInfo(a: TrustAnchor): ChainAnchor {
  return {
    id: a.id,
    name: a.name,
    policies: a.policies,
    bundled: a.bundled,
    generation: a.generation,
    sha256: a.certificate.sha256,
  };
}

const iso = (d: Date): string => d.toISOString();

function evaluate(t: Terminal, at: Date, sha1: Sha1Policy, leafKeyUsage: 'signing' | 'any'): Evaluated {
  const problems: ChainProblem[] = [];
  const { path, sigs } = t;
  const n = path.length;
  for (let i = 0; i < n; i++) {
    const c = path[i] as ParsedCertificate;
    const isAnchor = t.anchor !== null && i === n - 1;
    if (at.getTime() > c.notAfter.getTime()) {
      problems.push(problem('EXPIRED', 'error', i, c, `Certificate expired on ${iso(c.notAfter)} (checked at ${iso(at)})`, `Chứng thư số đã hết hạn ngày ${iso(c.notAfter)} (thời điểm kiểm tra ${iso(at)})`));
    } else if (at.getTime() < c.notBefore.getTime()) {
      problems.push(problem('NOT_YET_VALID', 'error', i, c, `Certificate not valid before ${iso(c.notBefore)} (checked at ${iso(at)})`, `Chứng thư số chưa có hiệu lực trước ${iso(c.notBefore)} (thời điểm kiểm tra ${iso(at)})`));
    }
    const sig = sigs[i];
    const issuer = path[i + 1];
    if (sig && issuer) {
      if (sig.unsupported) {
        const weak = sig.hash === 'md5' || sig.hash === 'md2';
        problems.push(
          weak
            ? problem('WEAK_ALGORITHM', 'error', i, c, `Signature algorithm ${sig.algorithm} is refused`, `Thuật toán ký ${sig.algorithm} không được chấp nhận`)
            : problem('UNSUPPORTED_ALGORITHM', 'error', i, c, `Signature algorithm ${sig.algorithm} is not supported${sig.error ? `: ${sig.error}` : ''}`, `Thuật toán ký ${sig.algorithm} chưa được hỗ trợ`),
        );
      } else if (!sig.ok) {
        problems.push(problem('BAD_SIGNATURE', 'error', i, c, `The certificate's signature does not verify with its issuer's key${sig.error ? ` (${sig.error})` : ''}`, 'Chữ ký trên chứng thư số không khớp với khóa của tổ chức cấp'));
      } else if (sig.hash === 'sha1') {
        const allowed = sha1 === 'accept' || (sha1 === 'bundled-issuers' && findBundled(issuer.sha256) !== undefined);
        problems.push(
          allowed
            ? problem('SHA1_SIGNATURE', 'warning', i, c, 'Certificate signed with SHA-1 (accepted: issued by a bundled, pinned BCY certificate)', 'Chứng thư số được ký bằng SHA-1 (chấp nhận vì do chứng thư gốc BCY được đóng gói cấp)')
            : problem('WEAK_ALGORITHM', 'error', i, c, 'Certificate signed with SHA-1 by an issuer outside the bundled hierarchy', 'Chứng thư số được ký bằng SHA-1 bởi tổ chức cấp ngoài hệ thống BCY được đóng gói'),
        );
      }
    }
    if (isAnchor && /^(1\.2\.840\.113549\.1\.1\.5|1\.3\.14\.3\.2\.29|1\.2\.840\.10045\.4\.1)$/.test(c.signatureAlgorithm.oid)) {
      problems.push(problem('SHA1_SIGNATURE', 'warning', i, c, 'The trust anchor is self-signed with SHA-1 (not relied upon: the anchor is trusted by its pinned fingerprint)', 'Chứng thư gốc tự ký bằng SHA-1 (không ảnh hưởng: chứng thư gốc được tin cậy theo dấu vân tay đã ghim)'));
    }
    if (i > 0) {
      const bc = c.basicConstraints;
      const v1Anchor = isAnchor && c.version < 3;
      if ((!bc || !bc.cA) && !v1Anchor) {
        problems.push(problem('NOT_A_CA', 'error', i, c, 'This certificate issued another one but is not a CA (basicConstraints cA is not set)', 'Chứng thư số này đã cấp chứng thư khác nhưng không phải là CA (basicConstraints cA không được đặt)'));
      }
      if (bc && bc.pathLenConstraint !== null) {
        const below = path.slice(1, i).filter((x) => !x.selfIssued).length;
        if (below > bc.pathLenConstraint) {
          problems.push(problem('PATH_LENGTH_EXCEEDED', 'error', i, c, `pathLenConstraint ${bc.pathLenConstraint} allows fewer CAs below it than the ${below} found`, `pathLenConstraint ${bc.pathLenConstraint} không cho phép ${below} CA cấp dưới`));
        }
      }
      if (c.keyUsage && !c.keyUsage.has('keyCertSign')) {
        problems.push(problem('KEY_USAGE', 'error', i, c, 'CA certificate without keyCertSign in keyUsage', 'Chứng thư CA không có keyCertSign trong keyUsage'));
      }
    } else if (leafKeyUsage === 'signing' && c.keyUsage && !c.keyUsage.has('digitalSignature') && !c.keyUsage.has('nonRepudiation')) {
      problems.push(problem('KEY_USAGE', 'error', 0, c, 'Signer certificate allows neither digitalSignature nor nonRepudiation', 'Chứng thư số của người ký không cho phép digitalSignature hay nonRepudiation'));
    }
    for (const ext of c.extensions) {
      const malformed = c.malformedExtensions.includes(ext.oid);
      if (ext.critical && (malformed || !HANDLED_EXTENSIONS.has(ext.oid))) {
        problems.push(problem('UNHANDLED_CRITICAL_EXTENSION', 'error', i, c, `Critical extension ${ext.oid} is ${malformed ? 'malformed' : 'not supported'}`, `Phần mở rộng bắt buộc ${ext.oid} ${malformed ? 'bị lỗi' : 'chưa được hỗ trợ'}`));
      } else if (malformed) {
        problems.push(problem('MALFORMED_EXTENSION', 'warning', i, c, `Non-critical extension ${ext.oid} is malformed and was ignored`, `Phần mở rộng ${ext.oid} bị lỗi và đã bị bỏ qua`));
      }
    }
  }
  if (!t.anchor) {
    const last = path[n - 1] as ParsedCertificate;
    if (t.depthExceeded) {
      problems.push(problem('NO_CHAIN', 'error', n - 1, last, 'No trust anchor within the maximum path length', 'Không tìm thấy chứng thư gốc tin cậy trong độ dài chuỗi cho phép'));
    } else if (t.selfSigned) {
      problems.push(problem('UNTRUSTED_ROOT', 'error', n - 1, last, 'The chain ends at a self-signed certificate that is not trusted by this policy', 'Chuỗi chứng thư kết thúc ở một chứng thư tự ký không được tin cậy theo chính sách này'));
    } else {
      problems.push(problem('NO_CHAIN', 'error', n - 1, last, 'The issuer of this certificate was not found (not in the signature, the DSS or the trust store)', 'Không tìm thấy chứng thư của tổ chức cấp (không có trong chữ ký, DSS hay kho tin cậy)'));
    }
  }
  return { terminal: t, problems, errors: problems.filter((p) => p.severity === 'error').length };
}

function better(a: Evaluated, b: Evaluated | null): boolean {
  if (!b) return true;
  const aTrusted = a.terminal.anchor !== null && a.errors === 0;
  const bTrusted = b.terminal.anchor !== null && b.errors === 0;
  if (aTrusted !== bTrusted) return aTrusted;
  const aAnch = a.terminal.anchor !== null;
  const bAnch = b.terminal.anchor !== null;
  if (aAnch !== bAnch) return aAnch;
  if (a.errors !== b.errors) return a.errors < b.errors;
  // A path ending at a self-signed certificate says more than one that stops at a missing issuer.
  if (a.terminal.selfSigned !== b.terminal.selfSigned) return a.terminal.selfSigned;
  if (a.terminal.path.length !== b.terminal.path.length) return a.terminal.path.length > b.terminal.path.length;
  return a.problems.length < b.problems.length;
}

/** Builds and validates the best path from `leaf` to an anchor of `options.store`. Never throws on bad input. */
export function buildChain(leaf: Uint8Array | ParsedCertificate, options: BuildChainOptions): ChainResult {
  const at = options.at ?? new Date();
  const sha1 = options.sha1 ?? 'bundled-issuers';
  const maxDepth = Math.max(1, options.maxDepth ?? 8);
  const { store } = options;
  const base = { policy: store.policy, at };

  let leafCert: ParsedCertificate;
  try {
    leafCert = leaf instanceof Uint8Array ? parseCertificate(leaf) : leaf;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      ...base,
      trusted: false,
      anchor: null,
      path: [],
      problems: [problem('UNPARSEABLE_CERTIFICATE', 'error', 0, null, `The signer certificate cannot be read: ${why}`, `Không đọc được chứng thư số của người ký: ${why}`)],
    };
  }

  const extraProblems: ChainProblem[] = [];
  const pool = new Map<string, ParsedCertificate>();
  for (const c of store.all()) pool.set(c.sha256, c);
  for (const x of options.extraCerts ?? []) {
    try {
      const c = x instanceof Uint8Array ? parseCertificate(x) : x;
      if (!pool.has(c.sha256)) pool.set(c.sha256, c);
    } catch (e) {
      extraProblems.push(problem('UNPARSEABLE_CERTIFICATE', 'warning', null, null, `An embedded certificate cannot be read and was ignored: ${e instanceof Error ? e.message : String(e)}`, 'Một chứng thư số kèm theo không đọc được và đã bị bỏ qua'));
    }
  }
  // Index by raw subject and by normalised subject.
  const byRaw = new Map<string, ParsedCertificate[]>();
  const byKey = new Map<string, ParsedCertificate[]>();
  for (const c of pool.values()) {
    const r = toHex(c.subject.raw);
    byRaw.set(r, [...(byRaw.get(r) ?? []), c]);
    const k = nameMatchKey(c.subject);
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const issuersOf = (c: ParsedCertificate): ParsedCertificate[] => {
    const out = [...(byRaw.get(toHex(c.issuer.raw)) ?? [])];
    for (const x of byKey.get(nameMatchKey(c.issuer)) ?? []) if (!out.includes(x)) out.push(x);
    // Prefer anchors, then a matching key identifier.
    const rank = (x: ParsedCertificate): number =>
      (store.isAnchor(x) ? 0 : 2) + (c.authorityKeyIdentifier && x.subjectKeyIdentifier === c.authorityKeyIdentifier ? 0 : 1);
    return out.sort((a, b) => rank(a) - rank(b));
  };

  const sigCache = new Map<string, SignatureCheck>();
  const check = (c: ParsedCertificate, issuer: ParsedCertificate): SignatureCheck => {
    const k = `${c.sha256}/${issuer.sha256}`;
    let s = sigCache.get(k);
    if (!s) {
      s = checkCertificateSignature(c, issuer);
      sigCache.set(k, s);
    }
    return s;
  };

  let best: Evaluated | null = null;
  let budget = 256;
  const finish = (t: Terminal): boolean => {
    const e = evaluate(t, at, sha1, options.leafKeyUsage ?? 'signing');
    if (better(e, best)) best = e;
    return t.anchor !== null && e.errors === 0;
  };

  const walk = (path: ParsedCertificate[], sigs: SignatureCheck[]): boolean => {
    const cur = path[path.length - 1] as ParsedCertificate;
    const anchor = store.anchorFor(cur);
    if (anchor) return finish({ path, sigs, anchor, selfSigned: cur.selfIssued, depthExceeded: false });
    const candidates = issuersOf(cur).filter(
      (x) => !path.some((p) => p.sha256 === x.sha256 || (bytesEqual(p.spki, x.spki) && bytesEqual(p.subject.raw, x.subject.raw))),
    );
    if (candidates.length === 0 || budget <= 0) {
      const selfSigned = cur.selfIssued && check(cur, cur).ok;
      return finish({ path, sigs, anchor: null, selfSigned, depthExceeded: false });
    }
    if (path.length >= maxDepth) {
      return finish({ path, sigs, anchor: null, selfSigned: false, depthExceeded: true });
    }
    const checked = candidates.map((x) => ({ x, s: check(cur, x) }));
    const good = checked.filter((e) => e.s.ok);
    for (const { x, s } of good.length > 0 ? good : checked) {
      budget--;
      if (walk([...path, x], [...sigs, s])) return true;
      if (budget <= 0) break;
    }
    return false;
  };
  walk([leafCert], []);

  const chosen = best as Evaluated | null;
  if (!chosen) {
    // Unreachable: walk always finishes at least one terminal.
    return { ...base, trusted: false, anchor: null, path: [leafCert], problems: extraProblems };
  }
  const problems = [...chosen.problems, ...extraProblems];
  return {
    ...base,
    trusted: chosen.terminal.anchor !== null && chosen.errors === 0,
    anchor: chosen.terminal.anchor ? anchorInfo(chosen.terminal.anchor) : null,
    path: chosen.terminal.path,
    problems,
  };
}
