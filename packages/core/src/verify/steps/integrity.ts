import { createHash } from 'node:crypto';
import {
  checkCmsSignature,
  checkTimestampImprint,
  inspectCms,
  inspectTimestampToken,
  type CmsCheck,
  type CmsInspection,
  type TimestampInfo,
} from '../../cms/inspect/index.js';
import { KysoError } from '../../errors.js';
import { PdfString } from '../../pdf/index.js';
import type { RangeDigests } from '../range-digests.js';
import type { SignatureFieldEntry } from '../signature-fields.js';
import { ASK_SENDER, type SignatureFindings } from './findings.js';
import type { SignatureFormat } from './format.js';

/** What the integrity step learns: the CMS, and whether it signs the bytes the byte ranges name. */
export interface SignatureIntegrity {
  /** The digest matches the signed bytes and the signature value verifies. */
  integrityOk: boolean;
  cms: CmsInspection | null;
  check: CmsCheck | null;
  /** A document timestamp's token. */
  docTs: TimestampInfo | null;
}

/**
 * Integrity: /Contents holds a CMS that parses, whose digest matches the
 * signed bytes (a document timestamp: its imprint; adbe.pkcs7.sha1: the
 * SHA-1 it encapsulates) and whose signature value verifies with the
 * signer certificate it names. The CMS is read even when the signed bytes
 * are not in the file, so the later steps can still say who signed.
 */
export function checkIntegrity(field: SignatureFieldEntry, format: SignatureFormat, findings: SignatureFindings, digests?: RangeDigests): SignatureIntegrity {
  const sig = field.sig;
  const { kind, subFilter, chunks } = format;
  const content = chunks ? (digests ? digests.content(chunks, format.br) : { chunks }) : null;
  let integrityOk = false;
  let cms: CmsInspection | null = null;
  let check: CmsCheck | null = null;
  let docTs: TimestampInfo | null = null;
  const contentsObj = sig?.get('Contents');
  const contentsDamage = field.salvaged?.unreadable.get('Contents');
  const contentsBytes = contentsObj instanceof PdfString ? contentsObj.bytes : null;
  if (contentsDamage) {
    findings.unreadable(`/Contents does not parse (${contentsDamage.message})`, `/Contents không đọc được (${contentsDamage.messageVi})`, contentsDamage.code);
  } else if (sig && (!contentsBytes || contentsBytes.length === 0)) {
    findings.malformed('CONTENTS_MISSING', `The signature has no /Contents. ${ASK_SENDER.en}`, `Chữ ký không có /Contents. ${ASK_SENDER.vi}`);
  } else if (contentsObj instanceof PdfString && !contentsObj.hex) {
    findings.unreadable('/Contents is not a hexadecimal string', '/Contents không phải là chuỗi thập lục phân');
  }
  if (contentsBytes && contentsBytes.length > 0) {
    try {
      if (kind === 'timestamp') {
        docTs = inspectTimestampToken(contentsBytes);
        cms = docTs.cms;
        check = checkCmsSignature(cms, null);
        const imprintOk = content !== null && checkTimestampImprint(docTs, content);
        if (!imprintOk && chunks) findings.add('HASH_FAILURE', 'The timestamp does not match the document bytes it covers.', 'Dấu thời gian không khớp với dữ liệu tài liệu mà nó bao phủ.');
        integrityOk = imprintOk && check.signatureOk && check.digestOk;
      } else {
        cms = inspectCms(contentsBytes);
        if (subFilter === 'adbe.pkcs7.sha1') {
          check = checkCmsSignature(cms, null);
          const expected = content ? (content.digest ? content.digest('sha1') : sha(content.chunks, 'sha1')) : null;
          const embedded = cms.eContent;
          const ok = expected !== null && embedded !== null && Buffer.compare(Buffer.from(expected), Buffer.from(embedded)) === 0;
          if (!ok && chunks) findings.add('HASH_FAILURE', 'The SHA-1 digest inside the signature does not match the document.', 'Giá trị băm SHA-1 trong chữ ký không khớp với tài liệu.');
          integrityOk = ok && check.signatureOk && check.digestOk;
        } else if (content) {
          check = checkCmsSignature(cms, content);
          integrityOk = check.signatureOk && check.digestOk;
        }
      }
      for (const p of check?.problems ?? []) findings.add(p.code, p.message, p.messageVi, p.severity);
    } catch (e) {
      // Whatever the CMS parser says, the row stays: the signature is unreadable.
      const en = e instanceof KysoError ? e.message : e instanceof Error ? e.message : String(e);
      const vi = e instanceof KysoError ? e.messageVi : 'cấu trúc không hợp lệ';
      findings.unreadable(`its CMS structure does not parse (${en})`, `cấu trúc CMS không đọc được (${vi})`, e instanceof KysoError ? e.code : undefined);
    }
  }
  if (!chunks) integrityOk = false;
  return { integrityOk, cms, check, docTs };
}

function sha(chunks: readonly Uint8Array[], alg: string): Uint8Array {
  const h = createHash(alg);
  for (const c of chunks) h.update(c);
  return h.digest();
}
