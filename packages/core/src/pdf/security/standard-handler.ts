/**
 * The standard security handler (ISO 32000-2 §7.6.4), revisions 2-6: reads
 * /Encrypt, authenticates a password, and decrypts (or, for an incremental
 * update, encrypts) the strings and streams of one object with the
 * document's key. What is never encrypted stays as it is: the /Encrypt
 * dictionary itself and cross-reference streams (the reader never hands
 * them here), a signature dictionary's /Contents (§7.6.2), and, with
 * /EncryptMetadata false, the XMP metadata stream.
 */
import { PdfDict, PdfName, PdfStream, PdfString, type PdfObject } from '../objects.js';
import { decryptBytes, encryptBytes, IDENTITY, type CryptFilter, type CryptMethod } from './crypt-filters.js';
import { encryptionUnsupported, encryptMalformed, passwordRequired, passwordWrong } from './encryption-errors.js';
import { authenticateLegacy, authenticateModern, legacyPasswordBytes, modernPasswordBytes, permsMatch, type Authenticated } from './key-derivation.js';

/** How strings or streams are encrypted, for reports: RC4 or AES with its key size, or not at all (/Identity). */
export type CipherName = 'RC4-40' | 'RC4-128' | `RC4-${number}` | 'AES-128' | 'AES-256' | 'none';

/** What a reader learned of a document's encryption. */
export interface EncryptionInfo {
  /** /V: the algorithm version (1, 2, 4 or 5). */
  readonly version: number;
  /** /R: the standard security handler's revision (2-6). */
  readonly revision: number;
  readonly keyBits: number;
  readonly streams: CipherName;
  readonly strings: CipherName;
  /** /P as a signed 32-bit integer (ISO 32000-2 Table 22: bit n is 1 << (n - 1)). */
  readonly permissions: number;
  /**
   * Whether /P can be trusted: revisions 2-4 mix it into the key, so a
   * password that opens the file vouches for it; revisions 5 and 6 check it
   * against /Perms, which only the key can make.
   */
  readonly permissionsIntact: boolean;
  readonly encryptMetadata: boolean;
  /** The password that opened the file: the owner's (all permissions) or the user's (/P applies). */
  readonly authenticatedAs: 'owner' | 'user';
}

const int = (o: PdfObject | undefined): number | undefined => (typeof o === 'number' && Number.isInteger(o) ? o : undefined);

export class StandardSecurityHandler {
  private constructor(
    readonly info: EncryptionInfo,
    private readonly key: Uint8Array,
    private readonly legacy: CryptFilter | null,
    private readonly filters: ReadonlyMap<string, CryptFilter>,
    private readonly stmF: CryptFilter,
    private readonly strF: CryptFilter,
    private readonly eff: CryptFilter,
  ) {}

  /**
   * Reads the /Encrypt dictionary and opens it with `password` (default the
   * empty user password). Throws PDF_ENCRYPTION_UNSUPPORTED for handlers
   * other than the standard one, PDF_ENCRYPT_MALFORMED for a dictionary that
   * lacks what its revision needs, PDF_PASSWORD_REQUIRED / PDF_PASSWORD_WRONG
   * when the password opens nothing.
   */
  static open(encrypt: PdfObject, id0: Uint8Array | undefined, password: string | undefined): StandardSecurityHandler {
    if (!(encrypt instanceof PdfDict)) throw encryptMalformed('it is not a dictionary', 'đó không phải là một từ điển');
    const filter = encrypt.get('Filter');
    if (!(filter instanceof PdfName)) throw encryptMalformed('/Filter (the security handler) is missing or is not a name', '/Filter (cơ chế bảo mật) bị thiếu hoặc không phải là tên');
    if (filter.value === 'Adobe.PubSec') {
      throw encryptionUnsupported('certificate-based (public-key) security, /Adobe.PubSec', 'cơ chế bảo mật dựa trên chứng thư số (khoá công khai, /Adobe.PubSec)', { filter: filter.value });
    }
    if (filter.value !== 'Standard') {
      throw encryptionUnsupported(`a security handler other than the standard one (/Filter /${filter.value})`, `một cơ chế bảo mật riêng, không phải cơ chế chuẩn (/Filter /${filter.value})`, { filter: filter.value });
    }
    const v = int(encrypt.get('V'));
    const r = int(encrypt.get('R'));
    if (v === undefined) throw encryptMalformed('/V (the algorithm version) is missing or not an integer', '/V (phiên bản thuật toán) bị thiếu hoặc không phải số nguyên');
    if (r === undefined) throw encryptMalformed('/R (the handler revision) is missing or not an integer', '/R (phiên bản cơ chế bảo mật) bị thiếu hoặc không phải số nguyên');
    if (![1, 2, 4, 5].includes(v)) throw encryptionUnsupported(`version ${v} of the encryption algorithm (/V ${v})`, `thuật toán mã hoá phiên bản ${v} (/V ${v})`, { v, r });
    if (![2, 3, 4, 5, 6].includes(r)) throw encryptionUnsupported(`revision ${r} of the standard security handler (/R ${r})`, `phiên bản ${r} của cơ chế bảo mật chuẩn (/R ${r})`, { v, r });
    if ((v === 5) !== (r >= 5)) throw encryptMalformed(`/V ${v} does not go with /R ${r}`, `/V ${v} không đi cùng /R ${r}`);

    const p = encrypt.get('P');
    if (typeof p !== 'number' || !Number.isInteger(p)) throw encryptMalformed('/P (the permissions) is missing or not an integer', '/P (quyền sử dụng) bị thiếu hoặc không phải số nguyên');
    const permissions = p | 0;
    const em = encrypt.get('EncryptMetadata');
    const encryptMetadata = v >= 4 ? em !== false : true;
    const bytes = (key: string, min: number): Uint8Array => {
      const s = encrypt.get(key);
      if (!(s instanceof PdfString)) throw encryptMalformed(`/${key} is missing or not a string`, `/${key} bị thiếu hoặc không phải là chuỗi`);
      if (s.bytes.length < min) throw encryptMalformed(`/${key} is ${s.bytes.length} bytes long, shorter than the ${min} revision ${r} needs (truncated)`, `/${key} chỉ dài ${s.bytes.length} byte, ngắn hơn ${min} byte mà phiên bản ${r} cần (bị cắt cụt)`);
      return s.bytes;
    };

    // The key length, and the crypt filters.
    let keyLength: number;
    if (v === 5) keyLength = 32;
    else if (v === 1) keyLength = 5;
    else {
      const len = encrypt.get('Length');
      const bits = len === undefined ? (v === 4 ? 128 : 40) : int(len);
      if (bits === undefined || bits < 40 || bits > 128 || bits % 8 !== 0) {
        throw encryptMalformed(`/Length ${String(len)} is not a key length (40 to 128 bits, a multiple of 8)`, `/Length ${String(len)} không phải độ dài khoá hợp lệ (40 đến 128 bit, bội số của 8)`);
      }
      keyLength = bits / 8;
    }
    if (r === 2 && keyLength !== 5) keyLength = 5;
    const legacy: CryptFilter | null = v < 4 ? { name: 'Standard', method: 'V2' } : null;
    const filters = new Map<string, CryptFilter>([['Identity', IDENTITY]]);
    if (v >= 4) {
      const cf = encrypt.get('CF');
      if (cf !== undefined && !(cf instanceof PdfDict)) throw encryptMalformed('/CF (the crypt filters) is not a dictionary', '/CF (các bộ lọc mã hoá) không phải là từ điển');
      for (const [name, def] of cf instanceof PdfDict ? cf.map : []) {
        if (name === 'Identity') continue; // reserved: never redefined
        if (!(def instanceof PdfDict)) throw encryptMalformed(`the crypt filter /${name} is not a dictionary`, `bộ lọc mã hoá /${name} không phải là từ điển`);
        const cfm = def.get('CFM') ?? PdfName.of('None');
        if (!(cfm instanceof PdfName)) throw encryptMalformed(`/CFM of the crypt filter /${name} is not a name`, `/CFM của bộ lọc mã hoá /${name} không phải là tên`);
        if (!['None', 'V2', 'AESV2', 'AESV3'].includes(cfm.value) || (cfm.value === 'AESV3' && v !== 5)) {
          throw encryptionUnsupported(`the crypt filter method /${cfm.value}`, `phương thức lọc mã hoá /${cfm.value}`, { cfm: cfm.value });
        }
        if (cfm.value === 'AESV2' && keyLength !== 16 && keyLength !== 32) throw encryptMalformed(`the AES-128 crypt filter /${name} needs a 128-bit key, /Length gives ${keyLength * 8}`, `bộ lọc AES-128 /${name} cần khoá 128 bit, /Length cho ${keyLength * 8} bit`);
        filters.set(name, { name, method: cfm.value as CryptMethod });
      }
    }
    const pick = (key: string, fallback: CryptFilter): CryptFilter => {
      if (legacy) return legacy;
      const n = encrypt.get(key);
      if (n === undefined) return fallback;
      if (!(n instanceof PdfName)) throw encryptMalformed(`/${key} is not a name`, `/${key} không phải là tên`);
      const f = filters.get(n.value);
      if (!f) throw encryptMalformed(`/${key} names the crypt filter /${n.value}, which /CF does not define`, `/${key} trỏ tới bộ lọc mã hoá /${n.value} không có trong /CF`);
      return f;
    };
    const stmF = pick('StmF', IDENTITY);
    const strF = pick('StrF', IDENTITY);
    const eff = pick('EFF', stmF);

    // The password.
    let auth: Authenticated | null;
    let permissionsIntact = true;
    if (r >= 5) {
      const entries = { r: r as 5 | 6, o: bytes('O', 48), u: bytes('U', 48), oe: bytes('OE', 32), ue: bytes('UE', 32) };
      auth = authenticateModern(modernPasswordBytes(password ?? ''), entries);
      if (auth) {
        const perms = encrypt.get('Perms');
        permissionsIntact = perms instanceof PdfString && permsMatch(auth.key, perms.bytes, permissions, encryptMetadata);
      }
    } else {
      const entries = { r: r as 2 | 3 | 4, keyLength, o: bytes('O', 32).subarray(0, 32), u: bytes('U', 32).subarray(0, 32), p: permissions, id0: id0 ?? new Uint8Array(0), encryptMetadata };
      auth = authenticateLegacy(legacyPasswordBytes(password ?? ''), entries);
    }
    if (!auth) throw password === undefined || password === '' ? passwordRequired() : passwordWrong();

    const cipher = (f: CryptFilter): CipherName => {
      switch (f.method) {
        case 'None':
          return 'none';
        case 'V2':
          return `RC4-${keyLength * 8}`;
        case 'AESV2':
          return 'AES-128';
        case 'AESV3':
          return 'AES-256';
      }
    };
    const info: EncryptionInfo = {
      version: v,
      revision: r,
      keyBits: keyLength * 8,
      streams: cipher(stmF),
      strings: cipher(strF),
      permissions,
      permissionsIntact,
      encryptMetadata,
      authenticatedAs: auth.as,
    };
    return new StandardSecurityHandler(Object.freeze(info), auth.key, legacy, filters, stmF, strF, eff);
  }

  /** The strings and streams of object `num gen`, decrypted. */
  decryptObject(o: PdfObject, num: number, gen: number): PdfObject {
    return this.walk(o, num, gen, false, 0);
  }

  /** The strings and streams of object `num gen`, encrypted for writing. */
  encryptObject(o: PdfObject, num: number, gen: number): PdfObject {
    return this.walk(o, num, gen, true, 0);
  }

  /** The crypt filter that applies to a stream with this dictionary. */
  streamFilter(dict: PdfDict): CryptFilter {
    if (this.legacy) return this.legacy;
    const f = dict.get('Filter');
    const first = Array.isArray(f) ? f[0] : f;
    if (first instanceof PdfName && first.value === 'Crypt') {
      const parms = dict.get('DecodeParms');
      const p = Array.isArray(parms) ? parms[0] : parms;
      const name = p instanceof PdfDict ? (p.getName('Name') ?? 'Identity') : 'Identity';
      const named = this.filters.get(name);
      if (!named) throw encryptMalformed(`a stream names the crypt filter /${name}, which /CF does not define`, `một luồng dữ liệu dùng bộ lọc mã hoá /${name} không có trong /CF`);
      return named;
    }
    const type = dict.getName('Type');
    if (type === 'Metadata' && !this.info.encryptMetadata) return IDENTITY;
    if (type === 'EmbeddedFile') return this.eff;
    return this.stmF;
  }

  private walk(o: PdfObject, num: number, gen: number, encrypt: boolean, depth: number): PdfObject {
    if (depth > 256) return o;
    if (o instanceof PdfString) {
      const method = (this.legacy ?? this.strF).method;
      if (method === 'None') return o;
      const b = encrypt ? encryptBytes(method, this.key, num, gen, o.bytes) : decryptBytes(method, this.key, num, gen, o.bytes);
      return new PdfString(b, encrypt ? true : o.hex);
    }
    if (Array.isArray(o)) return o.map((x) => this.walk(x, num, gen, encrypt, depth + 1));
    if (o instanceof PdfStream) {
      // A cross-reference stream is never encrypted (§7.6.2).
      if (o.dict.getName('Type') === 'XRef') return o;
      const dict = this.walk(o.dict, num, gen, encrypt, depth + 1) as PdfDict;
      const method = this.streamFilter(o.dict).method;
      const raw = method === 'None' ? o.raw : encrypt ? encryptBytes(method, this.key, num, gen, o.raw) : decryptBytes(method, this.key, num, gen, o.raw);
      return new PdfStream(dict, raw);
    }
    if (o instanceof PdfDict) {
      const sig = isSignatureDictionary(o);
      const out = new PdfDict();
      for (const [k, v] of o.map) out.set(k, sig && k === 'Contents' ? v : this.walk(v, num, gen, encrypt, depth + 1));
      return out;
    }
    return o;
  }
}

/** A signature or document timestamp dictionary, whose /Contents is written in clear (/Type is optional in it). */
function isSignatureDictionary(d: PdfDict): boolean {
  const type = d.getName('Type');
  if (type === 'Sig' || type === 'DocTimeStamp') return true;
  return type === undefined && d.has('ByteRange') && d.has('Contents') && d.get('Filter') instanceof PdfName;
}
