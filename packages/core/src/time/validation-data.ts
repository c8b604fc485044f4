import { KysoError } from '../errors.js';
import { buildChain, TrustStore, type ParsedCertificate } from '../trust/index.js';
import { certificateParts } from './certificate.js';
import { fetchCrl } from './crl.js';
import type { Fetcher } from './fetcher.js';
import { checkOcsp } from './ocsp-client.js';
import type { ResponseCache } from './response-cache.js';

/** Certificates and revocation data (DER) that let a verifier work offline. */
export interface ValidationData {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

export interface CollectValidationOptions {
  fetcher?: Fetcher;
  timeoutMs?: number;
  cache?: ResponseCache;
  /** Used to complete chains (e.g. the bundled BCY issuing CAs); default: the `vn` policy's certificates. */
  store?: TrustStore;
}

/**
 * Everything a verifier needs, later and offline, to check `leaf`: its
 * chain, and an OCSP response (or else a CRL) for each certificate below
 * the root. Fails with a typed error if any status cannot be fetched, since
 * an LT file with holes would not validate.
 */
export async function collectValidationData(leaf: Uint8Array, candidates: readonly Uint8Array[], options: CollectValidationOptions = {}): Promise<ValidationData> {
  const store = options.store ?? TrustStore.forPolicy('vn');
  const chain = buildChain(leaf, { store, extraCerts: [...candidates], leafKeyUsage: 'any' }).path;
  const path: Uint8Array[] = chain.length ? chain.map((c: ParsedCertificate) => c.der) : [leaf];
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
        done = true;
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
      throw new KysoError('OCSP_FAILED', 'A certificate in the chain names neither an OCSP responder nor a CRL: its status cannot be recorded.', {
        vi: 'Một chứng thư số trong chuỗi không có địa chỉ OCSP hay CRL: không ghi nhận được tình trạng của nó.',
        cause: lastError,
      });
    }
  }
  return data;
}
