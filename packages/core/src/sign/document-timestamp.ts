import { KysoError } from '../errors.js';
import { embedSignature, preparePdf } from './signature-update.js';
import { DEFAULT_TOKEN_RESERVE, type Timestamper } from '../contracts/index.js';

export interface DocumentTimestampOptions {
  timestamper: Timestamper;
  fieldName?: string;
  /** The password of an encrypted PDF (user or owner; default the empty user password). */
  pdfPassword?: string;
}

/**
 * Appends a document timestamp (PAdES B-LTA): a /DocTimeStamp whose
 * /Contents is an RFC 3161 token over the byte ranges of the whole file.
 */
export async function addDocumentTimestamp(pdf: Uint8Array, options: DocumentTimestampOptions): Promise<Uint8Array> {
  const digest = options.timestamper.digest ?? 'SHA-256';
  const prepared = preparePdf(pdf, {
    digest,
    documentTimestamp: true,
    contentsCapacity: options.timestamper.maxTokenSize ?? DEFAULT_TOKEN_RESERVE,
    ...(options.fieldName ? { fieldName: options.fieldName } : {}),
    ...(options.pdfPassword !== undefined ? { pdfPassword: options.pdfPassword } : {}),
  });
  let token: Uint8Array;
  try {
    token = await options.timestamper.timestamp(prepared.documentDigest, digest);
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw new KysoError('SIGN_SIGNER_FAILED', `The timestamp authority failed: ${e instanceof Error ? e.message : String(e)}`, {
      vi: 'Máy chủ cấp dấu thời gian báo lỗi.',
      cause: e,
    });
  }
  return embedSignature(prepared, token);
}
