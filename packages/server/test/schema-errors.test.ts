/**
 * Refusals by the routes' JSON schemas (fastify's validation): each message
 * wholly in its language, naming the field and what it may be (an enum's
 * values, the expected type, the missing or unknown field), over loopback
 * HTTP against real routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

let t: TwoAgencies;
beforeAll(async () => {
  t = await startTwoAgencies({ workers: 0 });
});
afterAll(async () => {
  await t?.server.close();
});

interface ErrorJson {
  code: string;
  message: string;
  messageVi: string;
}

/** Phrases of ajv's English messages: none may reach the Vietnamese one. */
const AJV_ENGLISH = /must be equal to one of|allowed values|must have required property|must NOT have additional properties|must be (string|integer|number|boolean|object|array)\b|\bmust\b|\bshould\b|property/i;

async function refused(path: string, init: RequestInit): Promise<ErrorJson> {
  const r = await fetch(`${t.url}${path}`, init);
  expect(r.status, path).toBe(400);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  const j = (await r.json()) as ErrorJson;
  expect(Object.keys(j).sort()).toEqual(['code', 'message', 'messageVi']);
  expect(j.code).toBe('REQUEST_INVALID');
  expect(j.messageVi, j.messageVi).not.toMatch(AJV_ENGLISH);
  return j;
}

const pdfPost = (): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/pdf' }, body: samplePdf() });
const jsonPost = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...bearer(t.keys.binh) }, body: JSON.stringify(body) });

describe('schema refusals', () => {
  it('a bad enum value in the query: the parameter and its allowed values, in both languages', async () => {
    const j = await refused('/v1/verify?policy=nasa', pdfPost());
    for (const m of [j.message, j.messageVi]) {
      expect(m).toContain('policy');
      expect(m).toContain('"bcy"');
      expect(m).toContain('"vn"');
    }
    expect(j.message).toMatch(/query parameter "policy" must be one of/);
    expect(j.messageVi).toMatch(/tham số truy vấn "policy" phải là một trong các giá trị/);
    // The refused value is not repeated back.
    expect(j.message).not.toContain('nasa');
    expect(j.messageVi).not.toContain('nasa');
  });

  it('a bad enum value among integers: the allowed numbers', async () => {
    const j = await refused('/v1/sign?certify=4', { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh) }, body: samplePdf() });
    for (const m of [j.message, j.messageVi]) {
      expect(m).toContain('certify');
      expect(m).toContain('1, 2, 3');
    }
  });

  it('a missing required body field: the field is named', async () => {
    const j = await refused('/v1/codes/cert-number', jsonPost({ count: 1 }));
    for (const m of [j.message, j.messageVi]) expect(m).toContain('"book"');
    expect(j.message).toMatch(/is required/);
    expect(j.messageVi).toMatch(/bắt buộc/);
  });

  it('a body field of the wrong type: the expected type', async () => {
    const j = await refused('/v1/codes/cert-number', jsonPost({ book: 'two' }));
    for (const m of [j.message, j.messageVi]) expect(m).toContain('"book"');
    expect(j.message).toMatch(/must be an integer/);
    expect(j.messageVi).toMatch(/phải là số nguyên/);
  });

  it('an unknown body field: the field is named', async () => {
    const j = await refused('/v1/codes/case', jsonPost({ count: 1, extra: 'field' }));
    for (const m of [j.message, j.messageVi]) expect(m).toContain('"extra"');
    expect(j.message).toMatch(/unknown field/);
    expect(j.messageVi).toMatch(/không được nhận/);
  });

  it('a number out of range: the limit', async () => {
    const j = await refused('/v1/codes/case', jsonPost({ count: 1000 }));
    for (const m of [j.message, j.messageVi]) {
      expect(m).toContain('"count"');
      expect(m).toContain('100');
    }
  });
});
