/**
 * Benchmark fixtures: deterministic generated PDFs and a throw-away signing
 * identity, cached under benchmarks/.cache/ so reruns are fast.
 *
 * - makeTextPdf(targetBytes, seed): "many small objects" — many pages, each
 *   with three small uncompressed text content streams; classic xref table.
 *   The size comes from the object count.
 * - makeImagePdf(targetBytes, seed): "one big image stream" — one page
 *   showing one RGB image XObject whose single stream holds seeded random
 *   (incompressible) pixels; classic xref table.
 *
 * Both are pure functions of (targetBytes, seed): the same arguments give the
 * same bytes. The identity (RSA-2048 signer issued by a small RSA-2048 CA) is
 * made with the `openssl` command line; only the benchmark shells out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, PDFName, type PDFRef } from 'pdf-lib';

export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/** Bump when the generators change, so stale cached files are not reused. */
const GENERATOR_VERSION = 1;

export type FixtureKind = 'text' | 'image';

// ---------------------------------------------------------------- PRNG

/** xorshift32 seeded through a splitmix-style scrambler; never returns to 0. */
export function makeRng(seed: number): () => number {
  let x = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  if (x === 0) x = 0x6d2b79f5;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function fillRandom(out: Uint8Array, seed: number): void {
  const next = makeRng(seed);
  const whole = out.length - (out.length % 4);
  for (let i = 0; i < whole; i += 4) {
    const v = next();
    out[i] = v & 0xff;
    out[i + 1] = (v >>> 8) & 0xff;
    out[i + 2] = (v >>> 16) & 0xff;
    out[i + 3] = v >>> 24;
  }
  for (let i = whole; i < out.length; i++) out[i] = next() & 0xff;
}

// ---------------------------------------------------------------- text PDF

const SYLLABLES = (
  'cong hoa xa hoi chu nghia viet nam doc lap tu do hanh phuc quyet dinh van ban so ngay thang ' +
  'uy ban nhan dan tinh thanh pho bo noi vu tai chinh ke hoach dau tu giao duc dao tao y te ' +
  'giam doc truong phong can cu luat to chuc chinh quyen dia phuong nghi dinh thong tu huong dan ' +
  'dieu khoan hieu luc thi hanh noi nhan luu tru ho so cong van de nghi bao cao tong hop'
).split(' ');

const PAGE_W = 595;
const PAGE_H = 842;
const STREAMS_PER_PAGE = 3;
const LINES_PER_STREAM = 7;

function textStream(rng: () => number, block: number): string {
  const top = PAGE_H - 60 - block * LINES_PER_STREAM * 14 * 1.1;
  let s = `BT /F1 10 Tf 14 TL 56 ${top.toFixed(1)} Td\n`;
  for (let line = 0; line < LINES_PER_STREAM; line++) {
    const words = 6 + (rng() % 7);
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(SYLLABLES[rng() % SYLLABLES.length]!);
    s += `(${parts.join(' ')}) Tj T*\n`;
  }
  return s + 'ET\n';
}

async function buildTextPdf(pages: number, seed: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const ctx = doc.context;
  const font = ctx.register(
    ctx.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }),
  );
  for (let p = 0; p < pages; p++) {
    const rng = makeRng(seed * 1_000_003 + p);
    const page = doc.addPage([PAGE_W, PAGE_H]);
    page.node.setFontDictionary(PDFName.of('F1'), font);
    const refs: PDFRef[] = [];
    for (let b = 0; b < STREAMS_PER_PAGE; b++) refs.push(ctx.register(ctx.stream(textStream(rng, b))));
    page.node.set(PDFName.of('Contents'), ctx.obj(refs));
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * "Many small objects": about `targetBytes` of pages with three small text
 * content streams each (4 indirect objects a page), classic xref table.
 */
export async function makeTextPdf(targetBytes: number, seed: number): Promise<Uint8Array> {
  // Calibrate on two small probes: size = fixed + pages * perPage.
  const a = (await buildTextPdf(20, seed)).length;
  const b = (await buildTextPdf(60, seed)).length;
  const perPage = (b - a) / 40;
  const fixed = a - 20 * perPage;
  const pages = Math.max(1, Math.round((targetBytes - fixed) / perPage));
  return buildTextPdf(pages, seed);
}

// ---------------------------------------------------------------- image PDF

/**
 * "One big image stream": one page drawing one DeviceRGB 8-bit image
 * XObject of seeded random pixels, stored unfiltered in a single stream.
 */
export async function makeImagePdf(targetBytes: number, seed: number): Promise<Uint8Array> {
  const OVERHEAD = 900; // header, page tree, content stream, xref, trailer
  const pixels = Math.max(1, Math.floor((targetBytes - OVERHEAD) / 3));
  const width = Math.max(1, Math.floor(Math.sqrt(pixels)));
  const height = Math.max(1, Math.floor(pixels / width));
  const data = new Uint8Array(width * height * 3);
  fillRandom(data, seed);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const ctx = doc.context;
  const image = ctx.register(
    ctx.stream(data, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: width,
      Height: height,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    }),
  );
  const page = doc.addPage([PAGE_W, PAGE_H]);
  page.node.setXObject(PDFName.of('Im1'), image);
  const scale = Math.min((PAGE_W - 72) / width, (PAGE_H - 72) / height);
  const w = (width * scale).toFixed(3);
  const h = (height * scale).toFixed(3);
  const content = ctx.register(ctx.stream(`q ${w} 0 0 ${h} 36 36 cm /Im1 Do Q\n`));
  page.node.set(PDFName.of('Contents'), content);
  return doc.save({ useObjectStreams: false });
}

// ---------------------------------------------------------------- sizes

export const SIZE_PRESETS: Record<string, number> = {
  '100KB': 100 * 1024,
  '1MB': 1024 * 1024,
  '10MB': 10 * 1024 * 1024,
  '50MB': 50 * 1024 * 1024,
};

/** "100KB", "1MB", "2.5mb", "300kb", "12345" (bytes) → bytes. */
export function parseSize(label: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(kb|mb|gb|b)?\s*$/i.exec(label);
  if (!m) throw new Error(`bad size "${label}" (use e.g. 100KB, 1MB, 10MB, 50MB)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit === 'kb' ? 1024 : unit === 'mb' ? 1024 ** 2 : unit === 'gb' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

/** Canonical label for a size: 1048576 → "1MB", 102400 → "100KB". */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}KB`;
  return `${bytes}B`;
}

// ---------------------------------------------------------------- cache

/** Write to a temp file and rename, so concurrent runs never see half a file. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Path of the cached fixture, generating it first if needed. */
export async function ensureFixture(kind: FixtureKind, targetBytes: number, seed = 1): Promise<string> {
  const path = join(CACHE_DIR, 'fixtures', `${kind}-${sizeLabel(targetBytes)}-s${seed}-v${GENERATOR_VERSION}.pdf`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const bytes = kind === 'text' ? await makeTextPdf(targetBytes, seed) : await makeImagePdf(targetBytes, seed);
  writeAtomic(path, bytes);
  return path;
}

// ---------------------------------------------------------------- identity

export interface Identity {
  dir: string;
  password: string;
  /** PKCS#8 PEM of the signer's RSA-2048 key (unencrypted). */
  keyPem: string;
  /** PEM of the signer certificate. */
  certPem: string;
  /** PEM of the issuing CA certificate. */
  caPem: string;
  /** PKCS#12 with OpenSSL 3 defaults (PBES2/AES-256-CBC, HMAC-SHA-256 MAC). */
  p12Path: string;
  /** PKCS#12 with legacy encryption (RC2/3DES, SHA-1 MAC) for node-forge. */
  legacyP12Path: string;
}

const IDENTITY_PASSWORD = 'kyso-bench';

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || String(e)}`);
  }
}

/**
 * A small chain made with openssl: "Kyso Bench CA" (RSA-2048, self-signed)
 * issuing "Kyso Bench Signer" (RSA-2048, digitalSignature+nonRepudiation).
 * Both PKCS#12 files hold the signer key, its certificate and the CA.
 */
export function ensureIdentity(): Identity {
  const dir = join(CACHE_DIR, 'identity-v1');
  const id: Identity = {
    dir,
    password: IDENTITY_PASSWORD,
    keyPem: '',
    certPem: '',
    caPem: '',
    p12Path: join(dir, 'signer.p12'),
    legacyP12Path: join(dir, 'signer-legacy.p12'),
  };
  if (!existsSync(join(dir, 'done'))) {
    const tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(
      join(tmp, 'ext.cnf'),
      [
        '[req]',
        'distinguished_name = dn',
        'prompt = no',
        '[dn]',
        'CN = unused',
        '[ca]',
        'basicConstraints = critical, CA:true',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
        '[leaf]',
        'basicConstraints = critical, CA:false',
        'keyUsage = critical, digitalSignature, nonRepudiation',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        '',
      ].join('\n'),
    );
    const days = ['-days', '3650'];
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'ca.key'], tmp);
    openssl(
      ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', ...days, '-subj', '/C=VN/O=Kyso Bench/CN=Kyso Bench CA',
        '-config', 'ext.cnf', '-extensions', 'ca', '-out', 'ca.pem'],
      tmp,
    );
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'signer.key'], tmp);
    openssl(
      ['req', '-new', '-key', 'signer.key', '-subj', '/C=VN/O=Kyso Bench/CN=Kyso Bench Signer', '-config', 'ext.cnf',
        '-out', 'signer.csr'],
      tmp,
    );
    openssl(
      ['x509', '-req', '-in', 'signer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x4b59534f01',
        '-sha256', ...days, '-extfile', 'ext.cnf', '-extensions', 'leaf', '-out', 'signer.pem'],
      tmp,
    );
    const pass = ['-passout', `pass:${IDENTITY_PASSWORD}`];
    const common = ['pkcs12', '-export', '-inkey', 'signer.key', '-in', 'signer.pem', '-certfile', 'ca.pem',
      '-name', 'Kyso Bench Signer', ...pass];
    openssl([...common, '-out', 'signer.p12'], tmp);
    try {
      openssl([...common, '-legacy', '-out', 'signer-legacy.p12'], tmp);
    } catch {
      // No legacy provider: 3DES PBE with a SHA-1 MAC is still "legacy" for node-forge.
      openssl([...common, '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1',
        '-out', 'signer-legacy.p12'], tmp);
    }
    writeFileSync(join(tmp, 'done'), '');
    mkdirSync(dirname(dir), { recursive: true });
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process finished first; use its identity.
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  id.keyPem = readFileSync(join(dir, 'signer.key'), 'utf8');
  id.certPem = readFileSync(join(dir, 'signer.pem'), 'utf8');
  id.caPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  return id;
}
