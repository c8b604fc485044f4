import type { FastifyRequest } from 'fastify';
import { timedOutSockets } from './client-error.js';
import { HttpError } from './errors.js';
import type { SharedBuffers } from './shared-buffers.js';

export const tooLarge = (headers: Record<string, string> = {}) => new HttpError(413, 'BODY_TOO_LARGE', 'The request body is too large.', 'Nội dung yêu cầu quá lớn.', headers);

/**
 * Reads a document body (PDF, scan) into shared memory (see
 * shared-buffers.ts): the worker threads read the same bytes without a copy,
 * and no megabyte-sized clone is made on the main thread (such clones made
 * V8 run a full collection every few dozen requests: measured with
 * --trace-gc). With a Content-Length the chunks are copied straight into
 * place, as a concatenation would. The block goes back to the pool once the
 * response has been sent (create-server.ts).
 */
export function sharedBodyParser(limit: number, buffers: SharedBuffers) {
  return (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: Buffer) => void): void => {
    const declared = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : undefined;
    if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) return done(new HttpError(400, 'REQUEST_INVALID', 'Invalid Content-Length.', 'Content-Length không hợp lệ.'));
    if (declared !== undefined && declared > limit) {
      // Answer at once; the socket is closed after the reply rather than reading the rest.
      return done(tooLarge());
    }
    let target = declared !== undefined ? buffers.acquire(declared) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      payload.removeListener('data', onData);
      if (err && target) buffers.release(target);
      done(err, body);
    };
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > limit || (target && received + chunk.length > target.length)) {
        finish(received + chunk.length > limit ? tooLarge() : new HttpError(400, 'REQUEST_INVALID', 'The body is longer than its Content-Length.', 'Nội dung dài hơn Content-Length.'));
        return;
      }
      if (target) chunk.copy(target, received);
      else chunks.push(chunk);
      received += chunk.length;
    };
    payload.on('data', onData);
    // The connection went before the body did: cut off at its deadline (408), or closed by the client; never an internal error.
    payload.on('error', (e: Error) =>
      finish(
        timedOutSockets.has(req.raw.socket)
          ? new HttpError(408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.', 'Yêu cầu gửi đến quá chậm.')
          : (e as NodeJS.ErrnoException).code === 'ECONNRESET' || e.message === 'aborted'
            ? new HttpError(400, 'REQUEST_ABORTED', 'The connection was closed before the whole body arrived.', 'Kết nối bị đóng trước khi nhận đủ nội dung yêu cầu.')
            : e,
      ),
    );
    payload.on('end', () => {
      if (target) {
        if (received !== target.length) return finish(new HttpError(400, 'REQUEST_INVALID', 'The body is shorter than its Content-Length.', 'Nội dung ngắn hơn Content-Length.'));
      } else {
        target = buffers.acquire(received);
        let at = 0;
        for (const c of chunks) {
          c.copy(target, at);
          at += c.length;
        }
      }
      finish(null, target);
    });
  };
}

/**
 * Reads a stream of no known length (a multipart file part) into a block of
 * the same pool, for the same reasons as sharedBodyParser. `sizeHint` (the
 * whole request's Content-Length, which bounds the part) lets the chunks be
 * copied straight into place. `hold` gets the block as soon as it is taken:
 * whoever releases blocks after the response must find it even when reading
 * fails half-way. `truncated` tells whether the producer cut the stream at
 * its own size limit (busboy then ends the stream early instead of failing).
 */
export async function readSharedStream(
  stream: AsyncIterable<Buffer>,
  options: { limit: number; sizeHint: number | undefined; buffers: SharedBuffers; hold: (block: Buffer) => void; truncated?: () => boolean },
): Promise<Buffer> {
  const { limit, buffers } = options;
  const cut = options.truncated ?? (() => false);
  let target = options.sizeHint !== undefined ? buffers.acquire(Math.min(options.sizeHint, limit)) : undefined;
  if (target) options.hold(target);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of stream) {
    if (received + chunk.length > limit || cut()) throw tooLarge();
    if (target) {
      if (received + chunk.length > target.length) throw new HttpError(400, 'REQUEST_INVALID', 'A part is longer than the body\'s Content-Length.', 'Một phần của nội dung dài hơn Content-Length.');
      chunk.copy(target, received);
    } else chunks.push(chunk);
    received += chunk.length;
  }
  if (cut()) throw tooLarge();
  if (target) return target.subarray(0, received);
  target = buffers.acquire(received);
  options.hold(target);
  let at = 0;
  for (const c of chunks) {
    c.copy(target, at);
    at += c.length;
  }
  return target;
}
