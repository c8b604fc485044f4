/**
 * Reads a signer certificate the way Vietnamese readers expect: name, agency
 * (O), units (OU, in order), province, tax / budget-unit codes from UID
 * attributes, and whether it is a personal or an organisation certificate.
 */
import { type ParsedCertificate, toParsed } from './certificate.js';
import { allAttributes, firstAttribute } from './distinguished-name.js';

export type SignerKind = 'personal' | 'organisation';

export interface SignerIdentity {
  readonly commonName: string | null;
  /** O */
  readonly organization: string | null;
  /** OU values in encoding order (level-2 unit first). */
  readonly organizationalUnits: readonly string[];
  /** L */
  readonly locality: string | null;
  /** ST */
  readonly stateOrProvince: string | null;
  /** ST, or L when L names a Vietnamese province / centrally-run city; null otherwise. */
  readonly province: string | null;
  /** C */
  readonly country: string | null;
  /** E / emailAddress in the subject, else the first rfc822Name of subjectAltName. */
  readonly email: string | null;
  /** `PREFIX:value` identifiers from UID (and SERIALNUMBER) attributes, e.g. { MST: '0102357802', MNS: '1032158' }. */
  readonly uids: Readonly<Record<string, string>>;
  /** Raw UID attribute values, in order. */
  readonly uidValues: readonly string[];
  readonly kind: SignerKind;
  /** Which rule decided `kind` (for display and for debugging the heuristic). */
  readonly kindReason: string;
  /** RFC 4514, UTF-8 intact. */
  readonly subject: string;
  readonly issuer: string;
  readonly issuerCommonName: string | null;
  /** Lowercase hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex SHA-256 of the certificate. */
  readonly sha256: string;
}

/** What a classifier sees; return undefined to fall back to the built-in heuristic. */
export type SignerKindClassifier = (
  identity: Omit<SignerIdentity, 'kind' | 'kindReason'>,
  certificate: ParsedCertificate,
) => SignerKind | undefined;

export interface DescribeSignerOptions {
  /** Overrides the personal/organisation heuristic (return undefined to keep it). */
  classify?: SignerKindClassifier;
}

/** Lowercase, no diacritics, đ → d, single spaces: for matching ASCII-only and accented spellings alike. */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Province-level units: the 63 before the 2025 merger (older certificates) and the new names since. */
const PROVINCES = [
  'An Giang', 'Bà Rịa - Vũng Tàu', 'Bạc Liêu', 'Bắc Giang', 'Bắc Kạn', 'Bắc Ninh', 'Bến Tre', 'Bình Dương',
  'Bình Định', 'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Cần Thơ', 'Đà Nẵng', 'Đắk Lắk', 'Đắk Nông',
  'Điện Biên', 'Đồng Nai', 'Đồng Tháp', 'Gia Lai', 'Hà Giang', 'Hà Nam', 'Hà Nội', 'Hà Tĩnh', 'Hải Dương',
  'Hải Phòng', 'Hậu Giang', 'Hòa Bình', 'Hưng Yên', 'Khánh Hòa', 'Kiên Giang', 'Kon Tum', 'Lai Châu', 'Lâm Đồng',
  'Lạng Sơn', 'Lào Cai', 'Long An', 'Nam Định', 'Nghệ An', 'Ninh Bình', 'Ninh Thuận', 'Phú Thọ', 'Phú Yên',
  'Quảng Bình', 'Quảng Nam', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng', 'Sơn La', 'Tây Ninh',
  'Thái Bình', 'Thái Nguyên', 'Thanh Hóa', 'Thừa Thiên Huế', 'Huế', 'Tiền Giang', 'Hồ Chí Minh', 'Trà Vinh',
  'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái',
];
const PROVINCE_KEYS = new Set(PROVINCES.map((p) => foldVietnamese(p)));

function provinceOf(value: string | null): string | null {
  if (!value) return null;
  const key = foldVietnamese(value)
    .replace(/^(tinh|thanh pho|tp)\s+/, '')
    .replace(/^(tp )?ho chi minh$/, 'ho chi minh');
  return PROVINCE_KEYS.has(key) ? value : null;
}

/*
 * Personal vs organisation, the heuristic (first rule that fires wins):
 * 1. A UID with a tax code or budget-unit code (MST, MNS, MSNS, MDV) belongs to
 *    an organisation; a UID with a personal identity number (CMND, CCCD, HC,
 *    CMT, DDCN) to a person.
 * 2. A CN that reads like an agency (Cổng thông tin..., Bộ..., Sở..., UBND...,
 *    Văn phòng..., Cục..., Trung tâm..., Công an..., Ban..., Phòng..., Trường...)
 *    is an organisation, whether or not OUs are present. Matching keeps the
 *    diacritics where folding would be ambiguous with a surname (Vụ/Vũ,
 *    Trường/Trương), and otherwise also accepts unaccented spellings.
 * 3. A CN that is a short unit code (no space, contains a digit, e.g. "C07" on
 *    Ministry of Public Security unit certificates) is an organisation.
 * 4. Otherwise: a person's name, so 'personal'.
 * Callers who know better pass `classify`.
 */
const ORG_UID_PREFIXES = new Set(['MST', 'MNS', 'MSNS', 'MDV', 'MDVQHNS', 'MSDN']);
const PERSONAL_UID_PREFIXES = new Set(['CMND', 'CCCD', 'HC', 'CMT', 'DDCN', 'CAN']);

/** Agency words that cannot be confused with a Vietnamese personal name once diacritics are removed. */
const AGENCY_FOLDED = [
  'cong thong tin', 'uy ban', 'ubnd', 'hdnd', 'van phong', 'cuc', 'tong cuc', 'chi cuc', 'trung tam',
  'cong an', 'benh vien', 'kho bac', 'bao hiem', 'ngan hang', 'cong ty', 'tap doan', 'hoc vien',
  'dai hoc', 'toa an', 'vien kiem sat', 'hoi dong', 'tinh uy', 'thanh uy', 'huyen uy', 'quan uy', 'dang uy',
  'thi tran', 'chi nhanh', 'dai phat thanh', 'thanh tra', 'co quan', 'quan doi', 'bo chi huy',
  'government', 'ministry', 'department', 'committee', 'office', 'portal',
];
/** Agency words that must be matched with their diacritics (their folded form is also a surname or a name). */
const AGENCY_ACCENTED = [
  'bộ', 'sở', 'ban', 'phòng', 'báo', 'vụ', 'trường', 'viện', 'xã', 'phường', 'huyện', 'quận', 'tỉnh', 'thành phố',
];

function looksLikeAgency(cn: string): boolean {
  const folded = foldVietnamese(cn);
  if (AGENCY_FOLDED.some((w) => folded === w || folded.startsWith(`${w} `))) return true;
  const lower = cn.normalize('NFC').toLowerCase().trim();
  return AGENCY_ACCENTED.some((w) => lower.startsWith(`${w} `));
}

function classifyDefault(identity: Omit<SignerIdentity, 'kind' | 'kindReason'>): { kind: SignerKind; reason: string } {
  const prefixes = Object.keys(identity.uids);
  const orgUid = prefixes.find((p) => ORG_UID_PREFIXES.has(p));
  if (orgUid) return { kind: 'organisation', reason: `UID ${orgUid}` };
  const personUid = prefixes.find((p) => PERSONAL_UID_PREFIXES.has(p));
  if (personUid) return { kind: 'personal', reason: `UID ${personUid}` };
  const cn = identity.commonName ?? '';
  if (cn && looksLikeAgency(cn)) return { kind: 'organisation', reason: 'CN names an agency' };
  if (/^[\p{L}\p{N}._-]{1,12}$/u.test(cn) && /\d/.test(cn)) return { kind: 'organisation', reason: 'CN is a unit code' };
  return { kind: 'personal', reason: 'CN reads as a person\'s name' };
}

function splitIdentifier(value: string): [string, string] | null {
  const m = /^\s*([A-Za-z][A-Za-z0-9]{0,15})\s*[:=-]\s*(.+?)\s*$/u.exec(value);
  return m ? [(m[1] as string).toUpperCase(), m[2] as string] : null;
}

/** Describes a signer certificate (DER or parsed). Throws KysoError CERT_INVALID on unreadable input. */
export function describeSigner(cert: Uint8Array | ParsedCertificate, options: DescribeSignerOptions = {}): SignerIdentity {
  const c = toParsed(cert);
  const s = c.subject;
  const uidValues = allAttributes(s, 'UID');
  const uids: Record<string, string> = {};
  for (const v of [...uidValues, ...allAttributes(s, 'SERIALNUMBER')]) {
    const kv = splitIdentifier(v);
    if (kv && !(kv[0] in uids)) uids[kv[0]] = kv[1];
  }
  const locality = firstAttribute(s, 'L');
  const stateOrProvince = firstAttribute(s, 'ST');
  const base: Omit<SignerIdentity, 'kind' | 'kindReason'> = {
    commonName: firstAttribute(s, 'CN'),
    organization: firstAttribute(s, 'O'),
    organizationalUnits: allAttributes(s, 'OU'),
    locality,
    stateOrProvince,
    province: stateOrProvince ?? provinceOf(locality),
    country: firstAttribute(s, 'C'),
    email: firstAttribute(s, 'E') ?? c.emailAddresses[0] ?? null,
    uids,
    uidValues,
    subject: s.rfc4514,
    issuer: c.issuer.rfc4514,
    issuerCommonName: firstAttribute(c.issuer, 'CN'),
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    sha256: c.sha256,
  };
  const override = options.classify?.(base, c);
  const decided = override ? { kind: override, reason: 'caller classifier' } : classifyDefault(base);
  return { ...base, kind: decided.kind, kindReason: decided.reason };
}
