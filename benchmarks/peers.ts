/**
 * The contenders of the signing benchmark. Each `prepare*` does the one-time
 * work (parse keys, load modules) and returns the per-signature operation:
 * PDF bytes in, signed PDF bytes out. Each peer's modules are imported
 * lazily, so a child process measuring one peer loads only that peer.
 */
import { createHash, createPrivateKey, sign as rsaSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Identity } from './fixtures.js';

export const PEERS = ['limit', 'kyso', 'libpdf', 'signpdf'] as const;
export type Peer = (typeof PEERS)[number];

/** Peers whose big-file iterations take seconds: their iteration count is capped. */
export const SLOW_PEERS: ReadonlySet<Peer> = new Set<Peer>(['libpdf', 'signpdf']);

export type SignOnce = (pdf: Uint8Array) => Promise<Uint8Array | null>;

export type Prepared = { ok: true; run: SignOnce; note?: string } | { ok: false; unavailable: string };

const REASON = 'Benchmark';
const LOCATION = 'Ha Noi';

/**
 * The physical limit: SHA-256 over the whole file plus one RSA-2048
 * PKCS#1 v1.5 signature, key parsed once. Produces no PDF.
 */
async function prepareLimit(id: Identity): Promise<Prepared> {
  const key = createPrivateKey(id.keyPem);
  return {
    ok: true,
    run: async (pdf) => {
      const digest = createHash('sha256').update(pdf).digest();
      rsaSign('sha256', digest, key);
      return null;
    },
  };
}

interface KysoApi {
  signPdf: (pdf: Uint8Array, options: { signer: unknown; reason?: string; location?: string }) => Promise<Uint8Array>;
  SoftwareSigner: { fromPkcs12: (bytes: Uint8Array, password: string) => unknown };
}

/** Where '@kyso/core' resolves from here (tsx maps it to the sources). */
export function kysoResolvedFrom(): string {
  try {
    return import.meta.resolve('@kyso/core');
  } catch {
    return '(unresolved)';
  }
}

/** kyso: signPdf with a SoftwareSigner made once from the modern PKCS#12. */
async function prepareKyso(id: Identity): Promise<Prepared> {
  const specifier = '@kyso/core'; // a variable, so the API being written is not type-checked here
  let mod: Partial<KysoApi>;
  try {
    mod = (await import(specifier)) as Partial<KysoApi>;
  } catch (e) {
    return { ok: false, unavailable: `cannot import @kyso/core: ${(e as Error).message}` };
  }
  const missing = [
    typeof mod.signPdf === 'function' ? null : 'signPdf',
    typeof mod.SoftwareSigner?.fromPkcs12 === 'function' ? null : 'SoftwareSigner.fromPkcs12',
  ].filter((x): x is string => x !== null);
  if (missing.length > 0) return { ok: false, unavailable: `@kyso/core does not export ${missing.join(', ')} yet` };
  const { signPdf, SoftwareSigner } = mod as KysoApi;
  const signer = await SoftwareSigner.fromPkcs12(new Uint8Array(readFileSync(id.p12Path)), id.password);
  return {
    ok: true,
    run: (pdf) => signPdf(pdf, { signer, reason: REASON, location: LOCATION }),
  };
}

/** @libpdf/core: PDF.load + pdf.sign, P12Signer made once from the modern PKCS#12. */
async function prepareLibpdf(id: Identity): Promise<Prepared> {
  const { PDF, P12Signer } = await import('@libpdf/core');
  const signer = await P12Signer.create(new Uint8Array(readFileSync(id.p12Path)), id.password);
  return {
    ok: true,
    run: async (pdf) => {
      const doc = await PDF.load(pdf);
      const result = await doc.sign({ signer, reason: REASON, location: LOCATION });
      return result.bytes;
    },
  };
}

/**
 * @signpdf/signpdf 3: pdf-lib placeholder, then signpdf.sign with a P12Signer
 * (node-forge) on the legacy PKCS#12. The P12Signer reads its PKCS#12 from a
 * forge buffer that signing consumes, so it is created per signature.
 */
async function prepareSignpdf(id: Identity): Promise<Prepared> {
  const [{ PDFDocument }, { pdflibAddPlaceholder }, { P12Signer }, signpdfModule] = await Promise.all([
    import('pdf-lib'),
    import('@signpdf/placeholder-pdf-lib'),
    import('@signpdf/signer-p12'),
    import('@signpdf/signpdf'),
  ]);
  // CommonJS default export seen through ESM: the SignPdf instance may sit one level down.
  const signpdf = (signpdfModule.default as unknown as { default?: typeof signpdfModule.default }).default
    ?? signpdfModule.default;
  const p12 = readFileSync(id.legacyP12Path);
  return {
    ok: true,
    note: 'subFilter adbe.pkcs7.detached (its P12Signer adds no ESS signing-certificate attribute)',
    run: async (pdf) => {
      const doc = await PDFDocument.load(pdf);
      pdflibAddPlaceholder({ pdfDoc: doc, reason: REASON, location: LOCATION, contactInfo: '', name: 'Kyso Bench' });
      const withPlaceholder = Buffer.from(await doc.save({ useObjectStreams: false }));
      const signer = new P12Signer(p12, { passphrase: id.password });
      return signpdf.sign(withPlaceholder, signer);
    },
  };
}

export function preparePeer(peer: Peer, id: Identity): Promise<Prepared> {
  switch (peer) {
    case 'limit':
      return prepareLimit(id);
    case 'kyso':
      return prepareKyso(id);
    case 'libpdf':
      return prepareLibpdf(id);
    case 'signpdf':
      return prepareSignpdf(id);
  }
}
