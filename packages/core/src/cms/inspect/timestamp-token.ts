/**
 * RFC 3161 timestamp tokens: a SignedData whose encapsulated content is a
 * TSTInfo. inspectTimestampToken reads it (the token's own CMS signature is
 * checked with checkCmsSignature(ts.cms, null)); checkTimestampImprint
 * compares the imprint with the hash of the timestamped bytes.
 */
import { createHash } from 'node:crypto';
import { KysoError } from '../../errors.js';
import { algorithmIdentifier, digestByOid, hashLabel, isDigestName, digestByName } from './algorithms.js';
import {
  bytesEqual,
  childrenOf,
  contentOf,
  copyBytes,
  expectSequence,
  integerBytes,
  integerHex,
  isContext,
  isUniversal,
  malformed,
  octetStringValue,
  oidOf,
  parseDer,
  smallInteger,
  smallIntegerOfContent,
  TAG,
  type Node,
} from './der.js';
import { inspectCms } from './inspect-cms.js';
import { generalNameToString } from './names.js';
import { timeOf } from './time.js';
import type { DetachedContent, TimestampInfo } from './types.js';

const TST_INFO = '1.2.840.113549.1.9.16.1.4';

export function inspectTimestampToken(der: Uint8Array): TimestampInfo {
  const cms = inspectCms(der);
  if (cms.eContentType !== TST_INFO) {
    throw new KysoError('CMS_UNSUPPORTED', `Timestamp token: content type ${cms.eContentType} is not TSTInfo`, {
      vi: `Dấu thời gian: loại nội dung ${cms.eContentType} không phải TSTInfo`,
      details: { eContentType: cms.eContentType },
    });
  }
  if (!cms.eContent) throw malformed('Timestamp token: no encapsulated TSTInfo', 'Dấu thời gian: không có TSTInfo');
  try {
    return { ...tstInfo(cms.eContent), cms };
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw malformed('Timestamp token: cannot read TSTInfo', 'Dấu thời gian: không đọc được TSTInfo', { cause: String(e) });
  }
}

function tstInfo(bytes: Uint8Array): Omit<TimestampInfo, 'cms'> {
  const { node, length } = parseDer(bytes, 'TSTInfo');
  if (length !== bytes.byteLength) throw malformed('TSTInfo: trailing bytes', 'TSTInfo: có dữ liệu thừa');
  // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, accuracy OPTIONAL,
  //   ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] OPTIONAL }
  const f = expectSequence(node, 'TSTInfo');
  if (f.length < 5) throw malformed('TSTInfo: too few fields', 'TSTInfo: thiếu trường');
  smallInteger(f[0], 'TSTInfo.version');
  const policy = oidOf(f[1], 'TSTInfo.policy');
  const mi = expectSequence(f[2], 'TSTInfo.messageImprint');
  if (mi.length !== 2) throw malformed('MessageImprint: expected 2 fields', 'MessageImprint: cần 2 trường');
  const alg = algorithmIdentifier(mi[0], 'MessageImprint.hashAlgorithm');
  const hash = copyBytes(octetStringValue(mi[1], 'MessageImprint.hashedMessage'));
  const serialNumber = integerHex(integerBytes(f[3], 'TSTInfo.serialNumber'));
  const genTime = timeOf(f[4], 'TSTInfo.genTime');
  if (!isUniversal(f[4]!, TAG.generalizedTime)) throw malformed('TSTInfo.genTime: must be GeneralizedTime', 'TSTInfo.genTime: phải là GeneralizedTime');

  let accuracyMs: number | null = null;
  let nonce: string | null = null;
  let tsaName: string | null = null;
  let i = 5;
  if (f[i] && isUniversal(f[i]!, TAG.sequence)) accuracyMs = accuracy(f[i++]!);
  if (f[i] && isUniversal(f[i]!, TAG.boolean)) i++;
  if (f[i] && isUniversal(f[i]!, TAG.integer)) nonce = integerHex(integerBytes(f[i++], 'TSTInfo.nonce'));
  if (f[i] && isContext(f[i]!, 0)) {
    const inner = childrenOf(f[i++]!, 'TSTInfo.tsa');
    if (inner.length !== 1) throw malformed('TSTInfo.tsa: bad explicit tag', 'TSTInfo.tsa: thẻ tường minh không hợp lệ');
    tsaName = generalNameToString(inner[0]!);
  }
  if (f[i] && isContext(f[i]!, 1)) i++;
  if (i !== f.length) throw malformed('TSTInfo: unexpected fields', 'TSTInfo: có trường không mong đợi');

  const label = digestByOid(alg.oid)?.name ?? hashLabel(alg.oid);
  return { genTime, policy, serialNumber, messageImprint: { algorithm: label, hash }, nonce, tsaName, accuracyMs };
}

function accuracy(n: Node): number {
  let ms = 0;
  for (const part of expectSequence(n, 'TSTInfo.accuracy')) {
    if (isUniversal(part, TAG.integer)) ms += smallInteger(part, 'accuracy.seconds') * 1000;
    else if (isContext(part, 0) && !part.idBlock.isConstructed) ms += smallIntegerOfContent(contentOf(part), 'accuracy.millis');
    else if (isContext(part, 1) && !part.idBlock.isConstructed) ms += smallIntegerOfContent(contentOf(part), 'accuracy.micros') / 1000;
    else throw malformed('TSTInfo.accuracy: unexpected field', 'TSTInfo.accuracy: trường không mong đợi');
  }
  return ms;
}

/**
 * Does the imprint equal the hash of `data` (streamed over the chunks with the
 * imprint's algorithm)? False for unknown algorithms and for MD5.
 */
export function checkTimestampImprint(ts: TimestampInfo, data: readonly Uint8Array[] | DetachedContent): boolean {
  const label = ts.messageImprint.algorithm;
  if (!isDigestName(label) || label === 'MD5') return false;
  try {
    const node = digestByName(label).node;
    if (!Array.isArray(data) && (data as DetachedContent).digest) return bytesEqual(new Uint8Array((data as DetachedContent).digest!(node)), ts.messageImprint.hash);
    const h = createHash(node);
    for (const c of Array.isArray(data) ? data : (data as DetachedContent).chunks) h.update(c);
    return bytesEqual(new Uint8Array(h.digest()), ts.messageImprint.hash);
  } catch {
    return false; // a hash this OpenSSL build lacks, or data that is not bytes: not a match
  }
}
