import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSignedUpdate, TrustStore, verifyPdf } from '@kyso/core';
import { loadOrCreateTestPki } from '@kyso/core/testing';
import { bearer, samplePdf, startTwoAgencies, type TwoAgencies } from './helpers.js';

/*
 * return=update: the service answers only the bytes to append to the PDF
 * that was sent, and the SHA-256 of the whole signed file. Appended to the
 * original they are the file the service signed, byte for byte.
 */

let t: TwoAgencies;
let root: string;
beforeAll(async () => {
  root = (await loadOrCreateTestPki()).root.certPem;
  t = await startTwoAgencies();
});
afterAll(async () => {
  await t?.server.close();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sign = (query: string, headers: Record<string, string> = {}, body: Uint8Array = samplePdf()) =>
  fetch(`${t.url}/v1/sign${query}`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh), ...headers }, body });

describe('POST /v1/sign with return=update', () => {
  it('the update appended to the original is, byte for byte, the file the service signed and audited, and the whole answer to the same request but for its signature value and file identifier', async () => {
    const original = samplePdf();
    const [whole, part] = await Promise.all([sign('?field=HoSo'), sign('?field=HoSo&return=update')]);
    expect([whole.status, part.status]).toEqual([200, 200]);
    expect(part.headers.get('content-type')).toBe('application/octet-stream');
    expect(part.headers.get('preference-applied')).toBe('return=update');
    expect(part.headers.get('x-kyso-update-offset')).toBe(String(original.length));
    const full = Buffer.from(await whole.arrayBuffer());
    const update = Buffer.from(await part.arrayBuffer());
    const digest = part.headers.get('x-kyso-signed-sha256')!;
    const joined = Buffer.from(appendSignedUpdate(original, update, digest));
    // The file the service signed is the one its audit record names.
    const audit = (await (await fetch(`${t.url}/v1/audit?after=${Number(part.headers.get('x-kyso-audit-id')) - 1}&limit=1`, { headers: bearer(t.keys.reader) })).json()) as { records: { outputSha256: string }[] };
    expect(audit.records[0]!.outputSha256).toBe(sha256(joined));
    // Two signatures of one request differ only where they must: the signature value (/Contents) and the file identifier (new for an original that had none).
    const mask = (b: Buffer) => b.toString('latin1').replace(/\/Contents\s*<[0-9a-fA-F]+>/g, (m) => m.replace(/<[0-9a-fA-F]+>/, (x) => x.replace(/[0-9a-fA-F]/g, '0'))).replace(/\/ID\s*\[\s*<[0-9a-fA-F]+>\s*<[0-9a-fA-F]+>\s*\]/g, (m) => m.replace(/<[0-9a-fA-F]+>/g, (x) => x.replace(/[0-9a-fA-F]/g, '0')));
    expect(joined.length).toBe(full.length);
    const [mj, mf] = [mask(joined), mask(full)];
    const at = [...mj].findIndex((c, i) => c !== mf[i]);
    expect(at, `first difference: ${JSON.stringify(mj.slice(Math.max(0, at - 60), at + 40))} vs ${JSON.stringify(mf.slice(Math.max(0, at - 60), at + 40))}`).toBe(-1);
    const report = await verifyPdf(joined, { trustStore: TrustStore.fromPem(root) });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]!.coversWholeDocument).toBe(true);
    // The answer is the update alone: the original's megabytes do not travel back.
    expect(update.length).toBe(full.length - original.length);
  });

  it('Prefer: return=update asks for the same; return=document or no preference answers the whole PDF', async () => {
    const prefer = await sign('', { prefer: 'respond-async, return=update' });
    expect(prefer.headers.get('preference-applied')).toBe('return=update');
    const update = Buffer.from(await prefer.arrayBuffer());
    expect(update.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
    const joined = appendSignedUpdate(samplePdf(), update, prefer.headers.get('x-kyso-signed-sha256')!);
    expect((await verifyPdf(joined, { trustStore: TrustStore.fromPem(root) })).signatures).toHaveLength(1);
    for (const r of [await sign('?return=document', { prefer: 'return=update' }), await sign('')]) {
      expect(r.headers.get('content-type')).toBe('application/pdf');
      expect(r.headers.get('preference-applied')).toBeNull();
      expect(Buffer.from(await r.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    expect((await sign('?return=diff')).status).toBe(400);
  });

  it('an update joined to another original is refused, never taken for a signed file', async () => {
    const r = await sign('?return=update');
    const update = Buffer.from(await r.arrayBuffer());
    const other = Buffer.from(samplePdf());
    other[100] = other[100]! ^ 1;
    expect(() => appendSignedUpdate(other, update, r.headers.get('x-kyso-signed-sha256')!)).toThrow(expect.objectContaining({ code: 'SIGN_UPDATE_MISMATCH' }));
  });
});
