/**
 * /openapi.json is a valid OpenAPI 3.0.3 document, checked by a validator we
 * did not write (@apidevtools/swagger-parser): code generators
 * (openapi-typescript, openapi-generator) refuse or mistype what it refuses.
 * Beside the specification's own rules: every operation lists a success and
 * a refusal in the error shape, and no 3.1-only syntax (`type` as an array)
 * slips into a document that says 3.0.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwoAgencies, type TwoAgencies } from './helpers.js';

interface Response {
  description?: string;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, Response> }>>;
}

let t: TwoAgencies;
let doc: Doc;
beforeAll(async () => {
  // With the routes only some configurations register (VGCA, the CSC timestamp method): nothing listens on port 9, and nothing is fetched.
  t = await startTwoAgencies({ workers: 0, tsa: { url: 'http://127.0.0.1:9/tsa' }, vgca: { allowHosts: ['127.0.0.1:9'], identity: 'binh-dinh' } });
  const r = await fetch(`${t.url}/openapi.json`);
  expect(r.status).toBe(200);
  doc = (await r.json()) as Doc;
});
afterAll(async () => {
  await t?.server.close();
});

/** Every place, by JSON path, where `type` is not a single string. */
function arrayTypes(node: unknown, at: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((v, i) => arrayTypes(v, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // A property named "type" inside `properties` is a schema, not the keyword.
      if (k === 'type' && !at.endsWith('.properties') && typeof v !== 'string') out.push(`${at}.type`);
      arrayTypes(v, `${at}.${k}`, out);
    }
  }
  return out;
}

describe('/openapi.json', () => {
  it('is valid OpenAPI for an independent validator', async () => {
    // The validator dereferences in place: it gets its own copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('says 3.0.3 and uses 3.0 syntax only: no `type` is an array', () => {
    expect(doc.openapi).toBe('3.0.3');
    expect(arrayTypes(doc, '$', [])).toEqual([]);
  });

  // Static pages too: the framework and node's parser refuse requests to them (400, 408, 431) in the error shape.
  it('gives every operation a success and its refusals in the error shape', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['post /vgca/{endpoint}', 'post /csc/v2/signatures/timestamp', 'get /metrics', 'get /docs']));
    for (const { path, method, op } of ops) {
      const at = `${method} ${path}`;
      const statuses = Object.keys(op.responses ?? {});
      expect(statuses.some((s) => /^[23]\d\d$/.test(s)), `${at} has no 2xx/3xx`).toBe(true);
      for (const [s, r] of Object.entries(op.responses ?? {})) expect(r.description, `${at} ${s}`).toBeTruthy();
      const refusals = statuses.filter((s) => /^4\d\d$/.test(s));
      expect(refusals.length, `${at} has no 4xx`).toBeGreaterThan(0);
      for (const s of refusals) {
        const schema = op.responses![s]!.content?.['application/json']?.schema as { required?: string[] } | undefined;
        expect(schema?.required, `${at} ${s}`).toEqual(expect.arrayContaining(['code', 'message', 'messageVi']));
      }
    }
  });
});
