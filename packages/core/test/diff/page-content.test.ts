/**
 * What a page draws, changed after signing: the shadow "hide" (an overlay
 * emptied) and "replace" (a font redefined) attacks, the incremental saving
 * attacks (a content stream appended, a page added, /Resources or
 * /MediaBox changed), and a dangling reference of the signed page filled
 * in. The near miss: a new object that nothing refers to.
 */
import { describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  'shadow hide: overlay XObject emptied': A.overlayEmptied,
  'shadow replace: font redefined': A.fontRedefined,
  'incremental saving: content stream appended to /Contents': A.contentsAppended,
  'incremental saving: page added': A.pageAdded,
  'page /Resources changed': A.resourcesChanged,
  'page /MediaBox changed': A.mediaBoxChanged,
  'dangling reference of the signed page filled in': A.danglingFilled,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'a new object nothing refers to': A.unreferencedAdded,
};

describe('page content attacks are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));

  it('the filled-in dangling reference is a new object, not cleared as unreferenced', async () => {
    const f = await A.danglingFilled();
    const r = await A.verify(f.pdf);
    const m = r.modifications.filter((x) => x.object === A.DANGLING);
    expect(m.length, A.summary(r)).toBeGreaterThan(0);
    expect(m.every((x) => x.verdict === 'suspicious' && x.rule !== 'structure.unreferenced'), A.summary(r)).toBe(true);
  });
});

describe('the legitimate twin is allowed', () => {
  for (const [title, build] of Object.entries(twins)) it(title, async () => void (await A.expectAllowed(await build())));
});

describe('cleared findings say where a reader meets them (contract: path)', () => {
  for (const [title, build] of Object.entries(twins)) {
    it(title, async () => {
      const f = await build();
      if (f.expect.clearedPath !== undefined) await A.expectClearedPath(f);
    });
  }
});

describe.skipIf(!hasTool('qpdf') || !hasTool('pdfsig'))('what qpdf and pdfsig make of the fixtures', () => {
  for (const [title, build] of Object.entries({ ...attacks, ...twins })) {
    it(title, async () => {
      const f = await build();
      A.expectExternalView(f);
      await A.expectCertification(f);
    });
  }
});
