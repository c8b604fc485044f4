import type { FastifyReply, FastifyRequest } from 'fastify';
import { isKysoError } from '@kyso/core';
import { isCredentialName } from './authentication.js';
import { errors, HttpError } from './errors.js';
import { sha256Hex } from './sha256.js';
import { readSharedStream, tooLarge } from './shared-body.js';
import type { SharedBuffers } from './shared-buffers.js';

/**
 * multipart/form-data for the routes that take a PDF: the PDF as the one file
 * part `file`, the options as text fields. One reader and one set of limits
 * for every such route.
 */

const FORM_FIELDS = 20;
const FIELD_BYTES = 4096;
/** What a form may carry besides its file: every text field at its limit, and the parts' headers and boundaries. */
const FORM_ENVELOPE = FORM_FIELDS * FIELD_BYTES + 64 * 1024;

/** Limits for @fastify/multipart (registered in create-server.ts). */
export function multipartLimits(bodyLimit: number) {
  return {
    fileSize: bodyLimit,
    // Two, so that a second file part reaches the route and gets its 400 instead of being skipped silently.
    files: 2,
    fields: FORM_FIELDS,
    fieldSize: FIELD_BYTES,
    fieldNameSize: 64,
    parts: FORM_FIELDS + 2,
    headerPairs: 16,
  };
}

/** A multipart form of a document route: its text fields, each once, and the one file part `file` (the PDF). */
export interface DocumentForm {
  fields: Map<string, string>;
  pdf: Buffer | undefined;
}

const formInvalid = (message: string, vi: string) => new HttpError(400, 'REQUEST_INVALID', message, vi);

/**
 * Reads the multipart form of a route that takes a PDF (/v1/sign,
 * /v1/verify) with @fastify/multipart: text fields named in `fields`, each
 * at most once, and the one file part
 * `file` into a block of the shared pool, as a raw body is, so the worker
 * reads it without a copy. Whatever is refused, the rest of the upload is
 * drained or the connection closed (stopFormReading) and the audit record
 * names the PDF if it arrived whole.
 */
export async function readDocumentForm(req: FastifyRequest, reply: FastifyReply, options: { limit: number; buffers: SharedBuffers; fields: readonly string[] }): Promise<DocumentForm> {
  const { limit } = options;
  const length = Number(req.headers['content-length']);
  const declared = req.headers['content-length'] !== undefined && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  // Refused before reading, as an oversized raw body is: the rest of the upload is not waited for.
  if (declared !== undefined && declared > limit + FORM_ENVELOPE) throw tooLarge({ connection: 'close' });
  const fields = new Map<string, string>();
  let pdf: Buffer | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || pdf !== undefined) throw formInvalid('Send exactly one file part, named "file".', 'Hãy gửi đúng một phần tệp, tên là "file".');
        const file = part.file;
        pdf = await readSharedStream(file, { limit, sizeHint: declared, buffers: options.buffers, hold: (block) => (req.kyso.document = block), truncated: () => file.truncated });
        continue;
      }
      const name = part.fieldname;
      if (isCredentialName(name)) throw errors.credentialMisplaced('a form field', 'trường biểu mẫu');
      if (name === 'file') throw formInvalid('Send the PDF as a file part (with a filename), not as a text field.', 'Hãy gửi tệp PDF dưới dạng phần tệp (có tên tệp), không phải trường văn bản.');
      if (!options.fields.includes(name)) throw formInvalid(`Unknown form field "${name}".`, `Không có trường biểu mẫu "${name}".`);
      if (part.fieldnameTruncated || part.valueTruncated) throw formInvalid(`The form field "${name}" is longer than ${FIELD_BYTES} bytes.`, `Trường biểu mẫu "${name}" dài quá ${FIELD_BYTES} byte.`);
      if (fields.has(name)) throw formInvalid(`The option "${name}" is given twice (form field, form field).`, `Tùy chọn "${name}" được gửi hai lần (trường biểu mẫu, trường biểu mẫu).`);
      fields.set(name, String(part.value));
    }
  } catch (e) {
    // The audit record names the document whenever it arrived whole, whatever else was wrong.
    if (pdf) req.kyso.inputSha256 = sha256Hex(pdf);
    stopFormReading(req, reply, declared, limit + FORM_ENVELOPE);
    throw documentFormError(e);
  }
  return { fields, pdf };
}

/**
 * A form refused before its end: a bounded remainder is read and dropped,
 * so the connection stays usable (a server closing on unread data can reset
 * the connection before the client has read the answer); an unbounded one
 * (chunked) closes the connection after the answer instead.
 */
function stopFormReading(req: FastifyRequest, reply: FastifyReply, declared: number | undefined, bound: number): void {
  if (req.raw.complete) return;
  if (declared !== undefined && declared <= bound) {
    req.raw.unpipe();
    req.raw.resume();
  } else reply.header('connection', 'close');
}

/** The multipart parser's errors as the service's typed ones. */
function documentFormError(e: unknown): unknown {
  if (e instanceof HttpError || isKysoError(e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') {
    return formInvalid(`A form takes at most ${FORM_FIELDS} text fields and one file part.`, `Biểu mẫu có tối đa ${FORM_FIELDS} trường văn bản và một phần tệp.`);
  }
  if (code === 'FST_PROTO_VIOLATION') return formInvalid('A form field has a reserved name.', 'Một trường biểu mẫu dùng tên không được phép.');
  // busboy's own complaints (no boundary, a part cut short, ...) are plain Errors, and a stream closed early has a code; anything else is a fault of ours.
  if (e instanceof Error && (e.constructor === Error || typeof code === 'string')) return formInvalid('The multipart/form-data body is malformed.', 'Nội dung multipart/form-data không đúng cú pháp.');
  return e;
}
