import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { statusBody, type ErrorBody } from './errors.js';

/**
 * Refusals that happen in node's HTTP parser, before fastify sees a request:
 * headers over the size limit (431), a request that could be read two ways
 * (Content-Length with Transfer-Encoding, a bad chunk, a malformed request
 * line: 400), a request that did not arrive in time (408). They get kyso's
 * `{ code, message, messageVi }` like every other refusal, and the
 * connection is closed: what follows on it can no longer be trusted to start
 * a request.
 */
export function clientErrorBody(err: NodeJS.ErrnoException): { status: number; body: ErrorBody } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: statusBody(408) };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, body: statusBody(431) };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_CHUNK_SIZE':
      return {
        status: 400,
        body: { code: 'REQUEST_MALFORMED', message: 'The request framing is ambiguous or malformed (Content-Length, Transfer-Encoding).', messageVi: 'Cách phân định nội dung của yêu cầu không rõ ràng hoặc sai (Content-Length, Transfer-Encoding).' },
      };
    default:
      return { status: 400, body: statusBody(400) };
  }
}

/**
 * Sockets node cut off at their request deadline: a body still being read
 * from one fails with 408 (and is audited so), not as an internal error.
 */
export const timedOutSockets = new WeakSet<Socket>();

export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOutSockets.add(socket);
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = clientErrorBody(err);
  this.log.info({ clientError: err.code ?? 'unknown', status }, 'client error');
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
