/**
 * Certificate profiles of the TEST PKI: which extensions each kind of
 * certificate carries, and the default (fictitious) Vietnamese subjects. The
 * shape follows BCY's hierarchy (root → "CA phục vụ các cơ quan Nhà nước",
 * pathlen 0 → officials and agencies), but every CA says TEST in its CN.
 */
import {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CertificatePolicyExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
} from '@peculiar/x509';
import type { TestSubject } from './subject.js';

export type TestLeafKind = 'personal' | 'organisation' | 'tsa' | 'ocsp';
export type TestEntityRole = 'root' | 'issuing' | TestLeafKind;
/**
 * Document-signing EKU added to personal and organisation leaves next to
 * emailProtection: Microsoft's 1.3.6.1.4.1.311.10.3.12, the IETF
 * id-kp-documentSigning 1.3.6.1.5.5.7.3.36 (RFC 9336), both, or none.
 */
export type DocumentSigningEku = 'microsoft' | 'pkix' | 'both' | 'none';

/**
 * Certificate policy of the TEST PKI. A made-up TEST value under BCY's arc
 * 2.16.704.1.1.1.1 (the real policy is 2.16.704.1.1.1.1.1); nothing real is
 * registered with it, and verifiers must never accept it in production.
 */
export const TEST_POLICY_OID = '2.16.704.1.1.1.1.9999';

export const OID_MS_DOCUMENT_SIGNING = '1.3.6.1.4.1.311.10.3.12';
export const OID_KP_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
export const OID_OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8790';

const TEST_O = 'kyso TEST PKI (giả lập - KHÔNG DÙNG THẬT)';

/** Default subjects. Personal and organisation names are fictitious. */
export const DEFAULT_SUBJECTS: Readonly<Record<TestEntityRole, TestSubject>> = {
  root: `C=VN, O=${TEST_O}, CN=TEST Root CA chuyên dùng Chính phủ (KHÔNG DÙNG THẬT)`,
  issuing: `C=VN, O=${TEST_O}, CN=TEST CA phục vụ các cơ quan Nhà nước (KHÔNG DÙNG THẬT)`,
  personal:
    'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, OU=Sở Tư pháp, OU=Phòng Hành chính tư pháp, CN=Nguyễn Văn Ánh, E=anh.nv@binhdinh.gov.vn',
  organisation:
    'C=VN, L=Bình Định, O=UBND tỉnh Bình Định, CN=UBND xã Phước Lộc (TEST), UID=MST:0102357802, UID=MNS:1032158, E=vanthu.phuocloc@binhdinh.gov.vn',
  tsa: `C=VN, O=${TEST_O}, CN=TEST Dịch vụ cấp dấu thời gian (TSA)`,
  ocsp: `C=VN, O=${TEST_O}, CN=TEST OCSP Responder`,
};

/** URLs published in AIA / CRL DP extensions, all under `baseUrl`. */
export interface TestPkiUrls {
  /** caIssuers of certificates issued by the root: the root certificate (DER). */
  readonly rootCert: string;
  /** caIssuers of leaves: the issuing CA certificate (DER). */
  readonly issuingCert: string;
  /** The OCSP responder, for leaves and for the issuing CA. */
  readonly ocsp: string;
  /** CRL of the root (covers the issuing CA). */
  readonly rootCrl: string;
  /** CRL of the issuing CA (covers leaves). */
  readonly issuingCrl: string;
}

export function urlsFor(baseUrl: string): TestPkiUrls {
  const b = baseUrl.replace(/\/+$/, '');
  return {
    rootCert: `${b}/crt/root.crt`,
    issuingCert: `${b}/crt/issuing.crt`,
    ocsp: `${b}/ocsp`,
    rootCrl: `${b}/crl/root.crl`,
    issuingCrl: `${b}/crl/issuing.crl`,
  };
}

export interface ProfileInput {
  readonly role: TestEntityRole;
  /** Hex SKI of the subject key. */
  readonly subjectKeyId: string;
  /** Hex SKI of the issuer key (equal to subjectKeyId for the root). */
  readonly issuerKeyId: string;
  readonly policyOid: string;
  readonly urls: TestPkiUrls;
  readonly emails: readonly string[];
  readonly documentSigning: DocumentSigningEku;
  readonly aia: boolean;
  readonly crlDistributionPoint: boolean;
}

function documentSigningOids(eku: DocumentSigningEku): string[] {
  switch (eku) {
    case 'microsoft':
      return [OID_MS_DOCUMENT_SIGNING];
    case 'pkix':
      return [OID_KP_DOCUMENT_SIGNING];
    case 'both':
      return [OID_MS_DOCUMENT_SIGNING, OID_KP_DOCUMENT_SIGNING];
    default:
      return [];
  }
}

/** The extensions of one certificate, in a stable order. */
export function profileExtensions(p: ProfileInput): Extension[] {
  const ext: Extension[] = [];
  const { role, urls } = p;
  const ski = new SubjectKeyIdentifierExtension(p.subjectKeyId);
  if (role === 'root' || role === 'issuing') {
    ext.push(new BasicConstraintsExtension(true, role === 'issuing' ? 0 : undefined, true));
    const ku = KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | (role === 'issuing' ? KeyUsageFlags.digitalSignature : 0);
    ext.push(new KeyUsagesExtension(ku, true));
    ext.push(ski, new AuthorityKeyIdentifierExtension(p.issuerKeyId));
    if (role === 'issuing') {
      ext.push(new CertificatePolicyExtension([p.policyOid]));
      if (p.aia) ext.push(new AuthorityInfoAccessExtension({ caIssuers: urls.rootCert, ocsp: urls.ocsp }));
      if (p.crlDistributionPoint) ext.push(new CRLDistributionPointsExtension([urls.rootCrl]));
    }
    return ext;
  }

  switch (role) {
    case 'personal':
    case 'organisation':
      ext.push(new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true));
      ext.push(new ExtendedKeyUsageExtension([ExtendedKeyUsage.emailProtection, ...documentSigningOids(p.documentSigning)]));
      break;
    case 'tsa':
      ext.push(new KeyUsagesExtension(KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation, true));
      // RFC 3161 §2.3: the TSA certificate has exactly one EKU, timeStamping, critical.
      ext.push(new ExtendedKeyUsageExtension([ExtendedKeyUsage.timeStamping], true));
      break;
    case 'ocsp':
      ext.push(new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true));
      ext.push(new ExtendedKeyUsageExtension([ExtendedKeyUsage.ocspSigning]));
      // id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): value NULL.
      ext.push(new Extension(OID_OCSP_NOCHECK, false, new Uint8Array([0x05, 0x00])));
      break;
  }
  ext.push(ski, new AuthorityKeyIdentifierExtension(p.issuerKeyId));
  ext.push(new CertificatePolicyExtension([p.policyOid]));
  if (p.emails.length > 0) ext.push(new SubjectAlternativeNameExtension(p.emails.map((value) => ({ type: 'email' as const, value }))));
  if (p.aia) {
    // The responder's own certificate is "nocheck": it only names its issuer.
    ext.push(new AuthorityInfoAccessExtension(role === 'ocsp' ? { caIssuers: urls.issuingCert } : { caIssuers: urls.issuingCert, ocsp: urls.ocsp }));
  }
  if (p.crlDistributionPoint && role !== 'ocsp') ext.push(new CRLDistributionPointsExtension([urls.issuingCrl]));
  return ext;
}
