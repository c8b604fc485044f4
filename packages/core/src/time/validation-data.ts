import { KysoError } from '../errors.js';
import { buildChain, parseCertificate, TrustStore, type ParsedCertificate } from '../trust/index.js';
import { certificateParts } from './certificate.js';
import { fetchCrl } from './crl.js';
import { httpFetcher, type Fetcher } from './fetcher.js';
import { checkOcsp } from './ocsp-client.js';
import type { ResponseCache } from './response-cache.js';

/** Certificates and revocation data (DER) that let a verifier work offline. */
export interface ValidationData {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

/** DER or PEM certificate(s) as published at a caIssuers URL. */
function certificatesIn(body: Uint8Array): Uint8Array[] {
  const text = Buffer.from(body).toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [body];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

export interface CollectValidationOptions {
  fetcher?: Fetcher;
  timeoutMs?: number;
  cache?: ResponseCache;
  /** Used to complete chains (e.g. the bundled BCY issuing CAs); default: the `vn` policy's certificates. */
  store?: TrustStore;
  /**
   * Which certificates' URLs may be fetched. `any` (default, as validators
   * do for a file on one's own desk): a chain may end at any self-signed
   * certificate at hand and missing issuers are fetched from AIA URLs.
   * `trusted-chain` (what a service that signs other people's files needs):
   * the chain must end at an anchor of `store`, with every signature
   * checked, and only the OCSP and CRL URLs of that chain's certificates are
   * fetched; no AIA is followed, so nothing a client's file or certificate
   * introduces makes the service connect anywhere.
   */
  sources?: 'any' | 'trusted-chain';
  /**
   * A certificate that declares no OCSP responder and no CRL: `require`
   * (default, as EU DSS does) refuses the chain with
   * LTV_NO_REVOCATION_SOURCE naming it; `if-declared` records what the
   * chain declares and nothing for such a certificate (as pyHanko does), so
   * a verifier will find no status for it. A source that is declared must
   * answer either way.
   */
  revocation?: 'require' | 'if-declared';
}

/**
 * Everything a verifier needs, later and offline, to check `leaf`: its
 * chain, and an OCSP response (or else a CRL) for each certificate below
 * the root. Fails with a typed error if any status cannot be fetched, since
 * an LT file with holes would not validate.
 */
export async function collectValidationData(leaf: Uint8Array, candidates: readonly Uint8Array[], options: CollectValidationOptions = {}): Promise<ValidationData> {
  const path = options.sources === 'trusted-chain' ? trustedPath(leaf, candidates, options.store ?? TrustStore.forPolicy('vn')) : await anyPath(leaf, candidates, options);
  return revocationFor(path, options);
}

/** The chain to a trusted anchor, or a typed refusal naming the certificate: no URL of an untrusted chain is ever fetched. */
function trustedPath(leaf: Uint8Array, candidates: readonly Uint8Array[], store: TrustStore): Uint8Array[] {
  const result = buildChain(leaf, { store, extraCerts: candidates, leafKeyUsage: 'any' });
  if (!result.trusted) {
    let subject = '';
    try {
      subject = parseCertificate(leaf).subject.rfc4514;
    } catch {
      // named by position only
    }
    const why = result.problems.find((p) => p.severity === 'error');
    throw new KysoError('LTV_CHAIN_UNTRUSTED', `Long-term validation data is collected only for certificates that chain to a trusted root, and ${subject ? `"${subject}"` : 'a certificate'} does not${why ? ` (${why.message})` : ''}. Add its root to the trusted roots, or sign at B-T.`, {
      vi: `Dữ liệu kiểm tra dài hạn chỉ được thu thập cho chứng thư số có chuỗi tới chứng thư gốc tin cậy, và ${subject ? `"${subject}"` : 'một chứng thư số'} không có chuỗi đó${why ? ` (${why.messageVi})` : ''}. Hãy thêm chứng thư gốc của nó vào danh sách tin cậy, hoặc ký ở mức B-T.`,
      details: { subject, problem: why?.code ?? null },
    });
  }
  return result.path.map((c) => c.der);
}

async function anyPath(leaf: Uint8Array, candidates: readonly Uint8Array[], options: CollectValidationOptions): Promise<Uint8Array[]> {
  // Any self-signed certificate at hand may end the chain here: this is
  // collecting evidence, not deciding trust (the verifier does that).
  const base = options.store ?? TrustStore.forPolicy('vn');
  const local = new TrustStore('ltv');
  for (const c of [...base.all(), ...candidates]) {
    try {
      const parsed = c instanceof Uint8Array ? parseCertificate(c) : c;
      if (Buffer.compare(Buffer.from(parsed.subject.raw), Buffer.from(parsed.issuer.raw)) === 0) local.addAnchors(parsed);
      else local.addIntermediates(parsed);
    } catch {
      // not a certificate we can read: no help for the chain
    }
  }
  let chain = buildChain(leaf, { store: local, leafKeyUsage: 'any' }).path;
  // Missing issuers are fetched from the AIA caIssuers URL, as validators do.
  for (let hops = 0; hops < 4 && chain.length > 0; hops++) {
    const last = chain[chain.length - 1]!;
    if (Buffer.compare(Buffer.from(last.subject.raw), Buffer.from(last.issuer.raw)) === 0) break;
    const url = certificateParts(last.der).caIssuersUrls[0];
    if (!url) break;
    try {
      const body = await (options.fetcher ?? httpFetcher)(url, { method: 'GET', timeoutMs: options.timeoutMs ?? 10_000, maxBytes: 1 << 20 });
      for (const der of certificatesIn(body)) {
        const parsed = parseCertificate(der);
        if (Buffer.compare(Buffer.from(parsed.subject.raw), Buffer.from(parsed.issuer.raw)) === 0) local.addAnchors(parsed);
        else local.addIntermediates(parsed);
      }
    } catch {
      break;
    }
    const next = buildChain(leaf, { store: local, leafKeyUsage: 'any' }).path;
    if (next.length <= chain.length) break;
    chain = next;
  }
  return chain.length ? chain.map((c: ParsedCertificate) => c.der) : [leaf];
}

function noRevocationSource(cert: Uint8Array, serialHex: string): KysoError {
  let subject = '';
  try {
    subject = parseCertificate(cert).subject.rfc4514;
  } catch {
    // named by its serial only
  }
  const who = `${subject ? `"${subject}"` : 'a certificate'} (serial ${serialHex.toUpperCase()})`;
  const whoVi = `${subject ? `"${subject}"` : 'một chứng thư số'} (số hiệu ${serialHex.toUpperCase()})`;
  return new KysoError(
    'LTV_NO_REVOCATION_SOURCE',
    `The certificate ${who} declares neither an OCSP responder nor a CRL, so its revocation status cannot be recorded for long-term validation. Ask its issuer for a certificate that does, sign at B-T, or accept the gap with revocation: 'if-declared' (kyso: --revocation if-declared).`,
    {
      vi: `Chứng thư số ${whoVi} không khai báo máy chủ OCSP hay danh sách thu hồi (CRL), nên không ghi nhận được tình trạng thu hồi của nó cho kiểm tra dài hạn. Hãy đề nghị nơi cấp cấp chứng thư có khai báo, ký ở mức B-T, hoặc chấp nhận thiếu dữ liệu này bằng revocation: 'if-declared' (kyso: --revocation if-declared).`,
      details: { subject, serial: serialHex.toUpperCase() },
    },
  );
}

async function revocationFor(path: readonly Uint8Array[], options: CollectValidationOptions): Promise<ValidationData> {
  const data: ValidationData = { certificates: [...path], ocspResponses: [], crls: [] };
  for (let i = 0; i + 1 < path.length || (i === 0 && path.length === 1); i++) {
    const cert = path[i]!;
    const issuer = path[i + 1];
    if (!issuer) {
      throw new KysoError('OCSP_FAILED', 'The certificate chain is incomplete: its issuer is unknown, so no revocation data can be collected.', {
        vi: 'Chuỗi chứng thư số không đầy đủ: không xác định được cơ quan cấp nên không thu thập được dữ liệu thu hồi.',
      });
    }
    const parts = certificateParts(cert);
    const common = { ...(options.fetcher ? { fetcher: options.fetcher } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.cache ? { cache: options.cache } : {}) };
    let done = false;
    let lastError: unknown;
    if (parts.ocspUrls.length > 0) {
      try {
        const r = await checkOcsp(cert, issuer, common);
        data.ocspResponses.push(r.responseDer);
        if (r.responderCert && !r.responderIsIssuer) data.certificates.push(r.responderCert);
        // "unknown" proves nothing: fall back to the CRL as well.
        done = r.status !== 'unknown';
      } catch (e) {
        lastError = e;
      }
    }
    if (!done && parts.crlUrls.length > 0) {
      try {
        const crl = await fetchCrl(parts.crlUrls[0]!, issuer, common);
        data.crls.push(crl.crlDer);
        done = true;
      } catch (e) {
        lastError = e;
      }
    }
    if (!done) {
      if (lastError instanceof KysoError) throw lastError;
      if (parts.ocspUrls.length === 0 && parts.crlUrls.length === 0) {
        if (options.revocation === 'if-declared') continue;
        throw noRevocationSource(cert, parts.serialHex);
      }
      throw new KysoError('OCSP_FAILED', 'No revocation status could be recorded for a certificate of the chain.', { vi: 'Không ghi nhận được tình trạng thu hồi của một chứng thư số trong chuỗi.', cause: lastError });
    }
  }
  return data;
}
