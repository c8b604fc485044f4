import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import type { SharedBuffers } from './shared-buffers.js';

const tooLarge = () => new HttpError(413, 'BODY_TOO_LARGE', 'The request body is too large.', 'Nội dung yêu cầu quá lớn.');

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
    payload.on('error', (e: Error) => finish(e));
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
