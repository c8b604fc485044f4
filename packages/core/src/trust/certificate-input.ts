/**
 * Turns what users hand us (PEM text, PEM or DER bytes, a file, a directory of
 * .pem/.crt/.cer) into parsed certificates.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type ParsedCertificate, parseCertificate } from './certificate.js';
import { KysoError } from '../errors.js';

export type CertificateSource = string | Uint8Array | ParsedCertificate;
export type CertificateInput = CertificateSource | ReadonlyArray<CertificateSource>;

const PEM_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

function invalid(message: string, vi: string, cause?: unknown): KysoError {
  return new KysoError('TRUST_INVALID', message, { vi, cause });
}

/** DER blobs of every certificate in a PEM text (other PEM blocks are skipped). */
export function pemToDer(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')));
  }
  return out;
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  return head.includes('-----BEGIN');
}

function parseOrThrow(der: Uint8Array, where: string): ParsedCertificate {
  try {
    return parseCertificate(der);
  } catch (e) {
    throw invalid(`${where}: not a readable certificate`, `${where}: không đọc được chứng thư số`, e);
  }
}

/** Parses every certificate in the input; throws KysoError TRUST_INVALID if none or one is unreadable. */
export function parseCertificateInput(input: CertificateInput, where = 'certificate input'): ParsedCertificate[] {
  const items: readonly CertificateSource[] = Array.isArray(input) ? input : [input as CertificateSource];
  const out: ParsedCertificate[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const ders = pemToDer(item);
      if (ders.length === 0) throw invalid(`${where}: no PEM certificate found`, `${where}: không có chứng thư PEM`);
      for (const d of ders) out.push(parseOrThrow(d, where));
    } else if (item instanceof Uint8Array) {
      if (looksLikePem(item)) {
        out.push(...parseCertificateInput(Buffer.from(item).toString('latin1'), where));
      } else {
        out.push(parseOrThrow(item, where));
      }
    } else if (item && typeof item === 'object' && 'der' in item && 'sha256' in item) {
      out.push(item);
    } else {
      throw invalid(`${where}: unsupported certificate input`, `${where}: kiểu dữ liệu chứng thư không hỗ trợ`);
    }
  }
  return out;
}

const CERT_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der']);

/**
 * Reads a PEM/DER file, or every .pem/.crt/.cer/.der file (not recursive) of a
 * directory, in name order.
 */
export async function loadCertificatesFromPath(path: string): Promise<ParsedCertificate[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new KysoError('IO_ERROR', `Cannot read ${path}`, { vi: `Không đọc được ${path}`, cause: e });
  }
  const files: string[] = [];
  if (info.isDirectory()) {
    const names = (await readdir(path)).filter((n) => CERT_EXTENSIONS.has(extname(n).toLowerCase())).sort();
    for (const n of names) files.push(join(path, n));
    if (files.length === 0) {
      throw invalid(`${path}: no .pem/.crt/.cer file`, `${path}: không có tệp .pem/.crt/.cer`);
    }
  } else {
    files.push(path);
  }
  const out: ParsedCertificate[] = [];
  for (const f of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(f);
    } catch (e) {
      throw new KysoError('IO_ERROR', `Cannot read ${f}`, { vi: `Không đọc được ${f}`, cause: e });
    }
    out.push(...parseCertificateInput(new Uint8Array(bytes), f));
  }
  return out;
}
