/**
 * The real certificates shipped with kyso (embedded at build time from
 * assets/trust by scripts/embed-trust.mjs), parsed once on first use.
 */
import { EMBEDDED_CERTIFICATES } from './bundled-certs.js';
import { type ParsedCertificate, parseCertificate } from './certificate.js';
import { pemToDer } from './certificate-input.js';
import { firstAttribute } from './distinguished-name.js';

export type BundledRole = 'root' | 'issuing-ca';
export type BundledGeneration = 'G1' | 'G2' | 'national';

export interface BundledCertificate {
  readonly id: string;
  /** Path under assets/trust. */
  readonly file: string;
  readonly role: BundledRole;
  readonly generation: BundledGeneration;
  /** Pinned SHA-256 fingerprint (lowercase hex). */
  readonly sha256: string;
  /** Subject common name. */
  readonly name: string;
  readonly pem: string;
  readonly certificate: ParsedCertificate;
}

let cache: readonly BundledCertificate[] | null = null;

/** All bundled certificates (BCY G1/G2 roots and issuing CAs, national roots). */
export function bundledCertificates(): readonly BundledCertificate[] {
  if (!cache) {
    cache = EMBEDDED_CERTIFICATES.map((e) => {
      const der = pemToDer(e.pem)[0];
      if (!der) throw new Error(`bundled certificate ${e.id}: no PEM`);
      const certificate = parseCertificate(der);
      if (certificate.sha256 !== e.sha256) {
        // Cannot happen unless bundled-certs.ts was edited by hand.
        throw new Error(`bundled certificate ${e.id}: fingerprint mismatch`);
      }
      return {
        id: e.id,
        file: e.file,
        role: e.role,
        generation: e.generation,
        sha256: e.sha256,
        name: firstAttribute(certificate.subject, 'CN') ?? e.id,
        pem: e.pem,
        certificate,
      };
    });
  }
  return cache;
}

/** The bundled entry with this SHA-256 fingerprint, if any. */
export function findBundled(sha256: string): BundledCertificate | undefined {
  return bundledCertificates().find((b) => b.sha256 === sha256.toLowerCase());
}
