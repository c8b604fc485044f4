import type { FastifyInstance } from 'fastify';
import { VERIFY_PAGE } from '../page/verify-page.js';

export function registerPage(app: FastifyInstance): void {
  app.get('/', { schema: { summary: 'Trang kiểm tra chữ ký / the verification page (HTML)', tags: ['page'], response: { 200: { description: 'The verification page (UTF-8 HTML)', content: { 'text/html': { schema: { type: 'string' } } } } } } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'")
      .header('x-content-type-options', 'nosniff')
      .send(VERIFY_PAGE),
  );
}
