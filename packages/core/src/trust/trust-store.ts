/**
 * A TrustStore holds trust anchors (certificates whose key is trusted without
 * further proof) and known intermediates (untrusted, used only to complete
 * paths when a CMS carries just the signer's certificate).
 *
 * Named policies:
 * - `bcy`: anchors are the BCY roots G1 and G2 only; the BCY issuing CAs are
 *   bundled intermediates.
 * - `vn`: `bcy` plus the two national public roots.
 * Custom stores start empty (`new TrustStore()`, `TrustStore.fromPem(...)`).
 */
import { type ParsedCertificate } from './certificate.js';
import { type CertificateInput, loadCertificatesFromPath, parseCertificateInput } from './certificate-input.js';
import { type BundledGeneration, bundledCertificates } from './bundled.js';
import { firstAttribute, nameMatchKey, parseName } from './distinguished-name.js';
import { bytesEqual, toHex } from './asn1.js';
import { KysoError } from '../errors.js';

export type TrustPolicyName = 'bcy' | 'vn';

export const TRUST_POLICIES: readonly TrustPolicyName[] = ['bcy', 'vn'];

export interface TrustAnchor {
  /** Stable id: the bundled id (e.g. `bcy-root-g2`) or `sha256:<fingerprint>` for custom anchors. */
  readonly id: string;
  /** Subject CN (or the RFC 4514 subject when there is no CN). */
  readonly name: string;
  /** Policy tags this anchor counts for (e.g. ['bcy', 'vn'] or ['custom']). */
  readonly policies: readonly string[];
  readonly bundled: boolean;
  readonly generation: BundledGeneration | null;
  readonly certificate: ParsedCertificate;
}

export interface AnchorOptions {
  /** Policy tags to attach; default ['custom']. */
  policies?: readonly string[];
  /** Id to use when a single certificate is given. */
  id?: string;
}

function displayName(cert: ParsedCertificate): string {
  return firstAttribute(cert.subject, 'CN') ?? cert.subject.rfc4514;
}

export class TrustStore {
  /** Policy label reported by chain results ('bcy', 'vn' or 'custom'). */
  readonly policy: string;
  readonly #anchors = new Map<string, TrustAnchor>();
  readonly #intermediates = new Map<string, ParsedCertificate>();

  constructor(policy = 'custom') {
    this.policy = policy;
  }

  /** A store for a named policy, filled from the bundled certificates. */
  static forPolicy(policy: TrustPolicyName): TrustStore {
    if (!TRUST_POLICIES.includes(policy)) {
      throw new KysoError('TRUST_INVALID', `Unknown trust policy "${String(policy)}" (expected bcy or vn)`, {
        vi: `Chính sách tin cậy không hợp lệ "${String(policy)}" (chỉ có bcy hoặc vn)`,
      });
    }
    const store = new TrustStore(policy);
    for (const b of bundledCertificates()) {
      const isBcy = b.generation === 'G1' || b.generation === 'G2';
      if (b.role === 'issuing-ca') {
        store.#intermediates.set(b.sha256, b.certificate);
        continue;
      }
      if (!isBcy && policy === 'bcy') continue;
      store.#anchors.set(b.sha256, {
        id: b.id,
        name: b.name,
        policies: isBcy ? ['bcy', 'vn'] : ['vn'],
        bundled: true,
        generation: b.generation,
        certificate: b.certificate,
      });
    }
    return store;
  }

  /** A custom store whose anchors are the given certificates (PEM text, PEM/DER bytes, or a list). */
  static fromPem(input: CertificateInput, options?: AnchorOptions): TrustStore {
    return new TrustStore('custom').addAnchors(input, options);
  }

  /** A custom store whose anchors are read from a PEM/DER file or a directory of .pem/.crt/.cer files. */
  static async fromPath(path: string, options?: AnchorOptions): Promise<TrustStore> {
    return new TrustStore('custom').addAnchorsFromPath(path, options);
  }

  addAnchors(input: CertificateInput, options: AnchorOptions = {}): this {
    const certs = parseCertificateInput(input, 'trust anchors');
    for (const cert of certs) {
      this.#intermediates.delete(cert.sha256);
      this.#anchors.set(cert.sha256, {
        id: certs.length === 1 && options.id ? options.id : `sha256:${cert.sha256}`,
        name: displayName(cert),
        policies: options.policies ?? ['custom'],
        bundled: false,
        generation: null,
        certificate: cert,
      });
    }
    return this;
  }

  addIntermediates(input: CertificateInput): this {
    for (const cert of parseCertificateInput(input, 'intermediate certificates')) {
      if (!this.#anchors.has(cert.sha256)) this.#intermediates.set(cert.sha256, cert);
    }
    return this;
  }

  async addAnchorsFromPath(path: string, options?: AnchorOptions): Promise<this> {
    return this.addAnchors(await loadCertificatesFromPath(path), options);
  }

  async addIntermediatesFromPath(path: string): Promise<this> {
    return this.addIntermediates(await loadCertificatesFromPath(path));
  }

  anchors(): readonly TrustAnchor[] {
    return [...this.#anchors.values()];
  }

  intermediates(): readonly ParsedCertificate[] {
    return [...this.#intermediates.values()];
  }

  /**
   * The anchor for this certificate: same fingerprint, or same subject and
   * same public key (a re-issued copy of a trusted root).
   */
  anchorFor(cert: ParsedCertificate): TrustAnchor | undefined {
    const exact = this.#anchors.get(cert.sha256);
    if (exact) return exact;
    for (const a of this.#anchors.values()) {
      if (bytesEqual(a.certificate.spki, cert.spki) && bytesEqual(a.certificate.subject.raw, cert.subject.raw)) return a;
    }
    return undefined;
  }

  isAnchor(cert: ParsedCertificate): boolean {
    return this.anchorFor(cert) !== undefined;
  }

  /** All certificates (anchors first, then intermediates). */
  all(): ParsedCertificate[] {
    return [...[...this.#anchors.values()].map((a) => a.certificate), ...this.#intermediates.values()];
  }

  /**
   * Certificates whose subject equals `name`: raw DER comparison first; when
   * `normalised` is set, also names equal after RFC 5280-style normalisation.
   */
  findBySubject(name: Uint8Array, options: { normalised?: boolean } = {}): ParsedCertificate[] {
    const exact = this.all().filter((c) => bytesEqual(c.subject.raw, name));
    if (!options.normalised) return exact;
    let key: string | null = null;
    try {
      key = nameMatchKey(parseName(name));
    } catch {
      return exact;
    }
    const more = this.all().filter((c) => !exact.includes(c) && nameMatchKey(c.subject) === key);
    return [...exact, ...more];
  }

  /** Certificates whose subjectKeyIdentifier equals `ski` (hex string or bytes). */
  findBySubjectKeyIdentifier(ski: string | Uint8Array): ParsedCertificate[] {
    const hex = typeof ski === 'string' ? ski.replace(/[^0-9a-f]/gi, '').toLowerCase() : toHex(ski);
    return this.all().filter((c) => c.subjectKeyIdentifier === hex);
  }

  get size(): number {
    return this.#anchors.size + this.#intermediates.size;
  }
}

