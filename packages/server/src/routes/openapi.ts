import type { FastifyInstance, RouteOptions } from 'fastify';

interface Collected {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  pdfBody: boolean;
}

/** Collects every route as it is registered; returns a builder of the OpenAPI 3.0 document. */
export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    if (!r.schema || r.method === 'HEAD') return;
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) {
      if (m === 'HEAD') continue;
      routes.push({ method: m.toLowerCase(), url: r.url, schema: r.schema as Record<string, unknown>, pdfBody: r.config?.pdfBody === true });
    }
  });
  let doc: Record<string, unknown> | undefined;
  return () => (doc ??= build(routes));
}

function params(where: 'query' | 'path' | 'header', schema: unknown): unknown[] {
  const s = schema as { properties?: Record<string, Record<string, unknown>>; required?: string[] } | undefined;
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: where, required: where === 'path' || (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function build(routes: Collected[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const url = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const s = r.schema;
    const responses: Record<string, unknown> = {};
    for (const [status, rs] of Object.entries((s.response ?? {}) as Record<string, Record<string, unknown>>)) {
      const { description, ...schema } = rs;
      responses[status] = { description: (description as string | undefined) ?? (Number(status) >= 400 ? 'Error' : 'OK'), content: { 'application/json': { schema } } };
    }
    if (r.url === '/v1/sign') responses['200'] = { description: 'The signed PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
    const op: Record<string, unknown> = {
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.description ? { description: s.description } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(s.security ? { security: s.security } : {}),
      parameters: [...params('path', s.params), ...params('query', s.querystring), ...params('header', s.headers)],
      responses,
    };
    if (r.pdfBody) op.requestBody = { required: true, content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
    else if (s.body) op.requestBody = { required: false, content: { 'application/json': { schema: s.body } } };
    (paths[url] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'kyso signing service', version: '0.1.0', description: 'PAdES signing, verification and codes for Vietnamese e-government. Errors: { code, message, messageVi }.' },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
