import { describe, expect, it } from 'vitest';
import { loadOrCreateTestPki } from '@kyso/core/testing';
import { bearer, samplePdf, slowIdentities, startTwoAgencies } from './helpers.js';

describe('load limits and shutdown', () => {
  it('answers 429 with Retry-After beyond the queue, and every request is audited', async () => {
    const t = await startTwoAgencies({ maxConcurrent: 1, maxQueue: 1, identities: slowIdentities(await loadOrCreateTestPki(), 300) });
    try {
      const rs = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh) }, body: samplePdf() })),
      );
      const statuses = rs.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
      const busy = rs.filter((r) => r.status === 429);
      expect(busy.length).toBeGreaterThan(0);
      expect(Number(busy[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await busy[0]!.json()).toMatchObject({ code: 'BUSY' });
      const records = await t.server.store.listAudit({ limit: 100 });
      expect(records.filter((r) => r.operation === 'sign').length).toBe(8);
    } finally {
      await t.server.close();
    }
  });

  it('drains on shutdown: requests in progress finish, new ones get 503 or no connection', async () => {
    const t = await startTwoAgencies({ identities: slowIdentities(await loadOrCreateTestPki(), 200) });
    const inFlight = fetch(`${t.url}/v1/sign`, { method: 'POST', headers: { 'content-type': 'application/pdf', ...bearer(t.keys.binh) }, body: samplePdf() });
    while (t.server.inFlight === 0) await new Promise((r) => setTimeout(r, 1));
    const drained = t.server.drain();
    const late = await fetch(`${t.url}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(late).toBe(503);
    expect((await inFlight).status).toBe(200);
    await drained;
  });
});
