import type { DigestAlgorithm, Signer } from '../contracts/index.js';
import { CmsSignerTemplate, type CmsAssembleOptions } from './signer-template.js';

const templates = new WeakMap<Signer, Map<DigestAlgorithm, CmsSignerTemplate>>();

/** The template of (signer, digest), created on first use and kept while the Signer lives. */
export function cachedTemplate(signer: Signer, digest?: DigestAlgorithm): CmsSignerTemplate {
  const d = digest ?? signer.defaultDigest ?? 'SHA-256';
  let byDigest = templates.get(signer);
  if (!byDigest) {
    byDigest = new Map();
    templates.set(signer, byDigest);
  }
  let t = byDigest.get(d);
  if (!t) {
    t = CmsSignerTemplate.create(signer, d);
    byDigest.set(d, t);
  }
  return t;
}

/**
 * Detached CAdES B-B ContentInfo(SignedData) over a content digest computed
 * elsewhere (e.g. over a PDF's byte ranges) with `digest`.
 */
export async function signDetached(
  signer: Signer,
  contentDigest: Uint8Array,
  digest?: DigestAlgorithm,
  options: CmsAssembleOptions = {},
): Promise<Uint8Array> {
  return cachedTemplate(signer, digest).sign(contentDigest, options);
}
