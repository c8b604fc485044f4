/**
 * checkCmsSignature: the cryptographic half of verifying a CMS SignedData —
 * content digest against the message-digest attribute, the signature value
 * against the signer certificate's key, and the ESS signing-certificate
 * binding. Nothing about trust, time or revocation.
 *
 * Content is hashed as a stream over the given chunks (never concatenated).
 * MD5 anywhere in the digest or signature makes both results false.
 * RSASSA-PKCS1-v1_5 accepts exactly two DigestInfo encodings (rsa-pkcs1.ts);
 * the one without NULL parameters is reported as RSA_DIGESTINFO_NO_NULL.
 */
import { constants, createHash, createPublicKey, createVerify, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { digestByName, digestByOid, isDigestName, type DigestName } from './algorithms.js';
import { KysoError } from '../../errors.js';
import { certificateFields } from './certificate-fields.js';
import { bytesEqual, parseDer } from './der.js';
import { problem } from './problems.js';
import { rsaVerificationKey, verifyPkcs1v15, type RsaVerificationKey } from './rsa-pkcs1.js';
import type { CmsCheck, CmsInspection, CmsProblem, DetachedContent } from './types.js';

type KeyOptions = Parameters<typeof cryptoVerify>[2];

type SignaturePlan =
  /** Checked by re-encoding (rsa-pkcs1.ts): node's verify knows only one of the two DigestInfo forms. */
  | { scheme: 'pkcs1'; hash: DigestName; rsa: RsaVerificationKey }
  /** node hash name, or null for Ed25519/Ed448 (pure). */
  | { scheme: 'node'; hash: string | null; key: KeyOptions };

/** The signature over detached content, fed chunk by chunk alongside the content digest. */
interface ContentSignature {
  update(chunk: Uint8Array): void;
  /** `contentDigest`: the CMS digest of the same chunks, reused when the signature hashes with the same algorithm. */
  verify(signature: Uint8Array, contentDigest: Uint8Array): boolean;
}

export function checkCmsSignature(cms: CmsInspection, content: readonly Uint8Array[] | DetachedContent | null): CmsCheck {
  try {
    return check(cms, content);
  } catch (e) {
    if (e instanceof KysoError) throw e;
    // Defence in depth (e.g. a hash this OpenSSL build lacks, or content that is not bytes).
    throw new KysoError('CMS_MALFORMED', `CMS check failed: ${e instanceof Error ? e.message : String(e)}`, {
      vi: `Không kiểm tra được CMS: ${e instanceof Error ? e.message : String(e)}`,
      cause: e,
    });
  }
}

function check(cms: CmsInspection, content: readonly Uint8Array[] | DetachedContent | null): CmsCheck {
  const problems: CmsProblem[] = [];
  let md5 = false;

  // 1. Digest algorithm
  const digest = cms.digestAlgorithm.name ? digestByName(cms.digestAlgorithm.name) : digestByOid(cms.digestAlgorithm.oid);
  if (!digest) problems.push(problem('UNSUPPORTED_ALGORITHM', `digest ${cms.digestAlgorithm.oid}`));
  else if (digest.name === 'MD5') md5 = true;
  else if (digest.name === 'SHA-1') problems.push(problem('SHA1_DIGEST'));

  // 2. Content
  const detached = content !== null && !Array.isArray(content) ? (content as DetachedContent) : null;
  let chunks: readonly Uint8Array[] | null = detached ? detached.chunks : (content as readonly Uint8Array[] | null);
  if (chunks === null) {
    if (cms.eContent === null) problems.push(problem('NO_CONTENT'));
    else chunks = [cms.eContent];
  } else if (cms.eContent !== null) {
    problems.push(problem('ECONTENT_PRESENT'));
  }

  // 3. Signer key and signature algorithm
  const plan = signaturePlan(cms, problems, () => {
    md5 = true;
  });

  // 4. One pass over the content: digest, and (without signed attributes) the signature itself.
  const attrs = cms.signedAttributes;
  const contentSignature = chunks && plan && !attrs ? signatureOverContent(plan, digest?.name ?? null, problems) : null;
  // With signed attributes only the digest is needed: the caller may have it without a new pass.
  const given = !contentSignature && detached?.digest && digest ? detached.digest(digest.node) : null;
  const hasher = chunks && digest && !given ? createHash(digest.node) : null;
  if (chunks && (hasher || contentSignature)) {
    for (const c of chunks) {
      hasher?.update(c);
      contentSignature?.update(c);
    }
  }
  const computedDigest = given ? new Uint8Array(given) : hasher ? new Uint8Array(hasher.digest()) : new Uint8Array(0);
  const digested = given !== null || hasher !== null;

  let signatureOk = false;
  if (plan && (attrs || contentSignature)) {
    try {
      signatureOk = attrs ? verifyBytes(plan, attrs.der, cms.signatureValue, problems) : contentSignature!.verify(cms.signatureValue, computedDigest);
    } catch {
      signatureOk = false; // malformed signature encodings make OpenSSL throw: same meaning
    }
    if (!signatureOk) problems.push(problem('SIGNATURE_INVALID'));
  }

  // 5. Signed attributes: message digest and content type
  let digestOk: boolean;
  if (attrs) {
    if (attrs.reencoded) problems.push(problem('SIGNED_ATTRS_NOT_DER'));
    if (attrs.messageDigest === null) {
      problems.push(problem('MESSAGE_DIGEST_MISSING'));
      digestOk = false;
    } else {
      digestOk = digested && bytesEqual(attrs.messageDigest, computedDigest);
      if (digested && !digestOk) problems.push(problem('MESSAGE_DIGEST_MISMATCH'));
    }
    if (attrs.contentType === null) problems.push(problem('CONTENT_TYPE_MISSING'));
    else if (attrs.contentType !== cms.eContentType) problems.push(problem('CONTENT_TYPE_MISMATCH', `${attrs.contentType} != ${cms.eContentType}`));
  } else {
    digestOk = signatureOk && digested;
  }

  // 6. ESS signing-certificate(-v2)
  let essOk: boolean | null = null;
  const ess = attrs?.signingCertificate ?? null;
  if (ess) {
    if (!cms.signerCertificate) essOk = false;
    else if (!isDigestName(ess.hashAlgorithm) || ess.hashAlgorithm === 'MD5') {
      problems.push(problem('UNSUPPORTED_ALGORITHM', `signing-certificate hash ${ess.hashAlgorithm}`));
      essOk = false;
    } else {
      // ESS hashes the DER certificate: for a BER-encoded copy in the CMS, its definite-length form is hashed too.
      const forms = [cms.signerCertificate];
      try {
        const definite = signerFields(cms.signerCertificate).definite;
        if (!bytesEqual(definite, cms.signerCertificate)) forms.push(definite);
      } catch {
        // unreadable certificate: only the original bytes can match
      }
      const algo = digestByName(ess.hashAlgorithm).node;
      const hashMatches = forms.some((f) => bytesEqual(new Uint8Array(createHash(algo).update(f).digest()), ess.certHash));
      essOk = hashMatches && ess.issuerSerialMatches !== false;
    }
    if (!essOk) problems.push(problem('ESS_CERT_MISMATCH'));
  }

  if (md5) {
    problems.push(problem('MD5_DIGEST'));
    digestOk = false;
    signatureOk = false;
  }
  const ok = digestOk && signatureOk && essOk !== false && !problems.some((p) => p.severity === 'error');
  return { digestOk, signatureOk, essOk, computedDigest, problems, ok };
}

function verifyBytes(plan: SignaturePlan, data: Uint8Array, signature: Uint8Array, problems: CmsProblem[]): boolean {
  if (plan.scheme === 'node') return cryptoVerify(plan.hash, data, plan.key, signature);
  const digest = createHash(digestByName(plan.hash).node).update(data).digest();
  return pkcs1Verifies(plan, digest, signature, problems);
}

function signatureOverContent(plan: SignaturePlan, contentDigestName: DigestName | null, problems: CmsProblem[]): ContentSignature | null {
  if (plan.scheme === 'node') {
    if (plan.hash === null) {
      problems.push(problem('UNSUPPORTED_ALGORITHM', 'pure EdDSA over detached content'));
      return null;
    }
    const verifier = createVerify(plan.hash);
    const key = plan.key as Parameters<typeof verifier.verify>[0];
    return { update: (c) => verifier.update(c), verify: (sig) => verifier.verify(key, sig) };
  }
  // Usually the signature hash is the content digest's: then the content is hashed once.
  const own = plan.hash === contentDigestName ? null : createHash(digestByName(plan.hash).node);
  return {
    update: (c) => own?.update(c),
    verify: (sig, contentDigest) => pkcs1Verifies(plan, own ? own.digest() : contentDigest, sig, problems),
  };
}

function pkcs1Verifies(plan: Extract<SignaturePlan, { scheme: 'pkcs1' }>, digest: Uint8Array, signature: Uint8Array, problems: CmsProblem[]): boolean {
  const form = verifyPkcs1v15(plan.rsa, plan.hash, digest, signature);
  if (form === 'absent-parameters') problems.push(problem('RSA_DIGESTINFO_NO_NULL'));
  return form !== null;
}

/** The signature's hash, after MD5 and SHA-1 are noted; null (and reported) when unknown. */
function signatureHash(label: string | null | undefined, problems: CmsProblem[], onMd5: () => void): DigestName | null {
  if (!label || !isDigestName(label)) {
    problems.push(problem('UNSUPPORTED_ALGORITHM', `hash ${label ?? 'unknown'}`));
    return null;
  }
  if (label === 'MD5') onMd5();
  if (label === 'SHA-1' && !problems.some((p) => p.code === 'SHA1_DIGEST')) problems.push(problem('SHA1_DIGEST', 'signature hash'));
  return label;
}

function nodeHash(label: string | null | undefined, problems: CmsProblem[], onMd5: () => void): string | null {
  const name = signatureHash(label, problems, onMd5);
  return name ? digestByName(name).node : null;
}

function signaturePlan(cms: CmsInspection, problems: CmsProblem[], onMd5: () => void): SignaturePlan | null {
  if (!cms.signerCertificate) {
    problems.push(problem('NO_SIGNER_CERTIFICATE'));
    return null;
  }
  let key: KeyObject;
  try {
    const fields = signerFields(cms.signerCertificate);
    key = createPublicKey({ key: Buffer.from(fields.spki), format: 'der', type: 'spki' });
  } catch (e) {
    problems.push(problem('UNSUPPORTED_KEY', e instanceof Error ? e.message : undefined));
    return null;
  }
  const keyType = key.asymmetricKeyType;
  const alg = cms.signatureAlgorithm;
  const sigHashName = alg.hash;
  const digestName = cms.digestAlgorithm.name;
  if (sigHashName && digestName && sigHashName !== digestName && alg.name !== 'Ed25519' && alg.name !== 'Ed448') {
    problems.push(problem('ALGORITHM_MISMATCH', `${alg.name} with ${sigHashName}, digest ${digestName}`));
  }
  const wrongKey = (): null => {
    problems.push(problem('KEY_ALGORITHM_MISMATCH', `${alg.name} with a ${keyType ?? 'unknown'} key`));
    return null;
  };

  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5': {
      if (keyType !== 'rsa') return wrongKey();
      weakRsa(key, problems);
      const hash = signatureHash(sigHashName, problems, onMd5);
      return hash ? { scheme: 'pkcs1', hash, rsa: rsaVerificationKey(key) } : null;
    }
    case 'RSA-PSS': {
      if (keyType !== 'rsa' && keyType !== 'rsa-pss') return wrongKey();
      weakRsa(key, problems);
      const pss = alg.pss;
      if (!pss) {
        problems.push(problem('UNSUPPORTED_ALGORITHM', 'RSA-PSS without parameters'));
        return null;
      }
      if (pss.mgfHash !== pss.hash) {
        problems.push(problem('UNSUPPORTED_ALGORITHM', `RSA-PSS with MGF1 ${pss.mgfHash} and hash ${pss.hash}`));
        return null;
      }
      const hash = nodeHash(pss.hash, problems, onMd5);
      return hash ? { scheme: 'node', hash, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength } } : null;
    }
    case 'ECDSA':
    case 'ECDSA-plain': {
      if (keyType !== 'ec') return wrongKey();
      const hash = nodeHash(sigHashName, problems, onMd5);
      return hash ? { scheme: 'node', hash, key: { key, dsaEncoding: alg.name === 'ECDSA' ? 'der' : 'ieee-p1363' } } : null;
    }
    case 'Ed25519':
    case 'Ed448':
      if (keyType !== alg.name.toLowerCase()) return wrongKey();
      return { scheme: 'node', hash: null, key };
    default:
      problems.push(problem('UNSUPPORTED_ALGORITHM', `signature ${alg.name} (${alg.oid})`));
      return null;
  }
}

function signerFields(der: Uint8Array): ReturnType<typeof certificateFields> {
  const parsed = parseDer(der, 'signer certificate');
  return certificateFields(parsed.node);
}

function weakRsa(key: KeyObject, problems: CmsProblem[]): void {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (typeof bits === 'number' && bits < 2048) problems.push(problem('WEAK_KEY', `${bits} bits`));
}
