/**
 * Overlays drawn by annotations and signature fields: the Evil Annotation
 * Attack (FreeText / Stamp over the amount after a P=2 certification, or
 * after an ordinary signature), the Sneaky Signature Attack (an unsigned
 * signature field that draws; a signed one whose appearance is an opaque
 * box over the amount), and pyHanko's "sneaky" shared appearance (a
 * signature overwriting a stream the page also draws). Near misses: the
 * same annotation at P=3 (allowed, with what it covers), an empty unsigned
 * signature field, a visible signature over blank space, a signature
 * overwriting an appearance nothing else uses.
 */
import { describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  'Evil Annotation: FreeText over the amount at P=2': A.evilFreeTextP2,
  'Evil Annotation: Stamp over the amount at P=2': A.evilStampP2,
  'Evil Annotation: FreeText over the amount, not certified': A.evilFreeTextUncertified,
  'Sneaky Signature: unsigned field drawing a white box and text over the amount': A.sneakyUnsignedField,
  'Sneaky Signature: signed field, opaque appearance over the amount': A.sneakySignedOpaque,
  'Sneaky Signature: signature overwrites an appearance the page also draws': A.sharedAppearanceOverwrite,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'FreeText over the amount at P=3': A.freeTextP3,
  'a new unsigned signature field that draws nothing': A.emptyUnsignedField,
  'a second visible signature over blank space': A.visibleSignatureBlank,
  'a signature overwrites its own field appearance': A.ownAppearanceOverwrite,
};

describe('overlay attacks are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));

  it('the signed Sneaky Signature: its signature itself verifies, the overlay is what is refused', async () => {
    const f = await A.sneakySignedOpaque();
    const r = await A.expectDetected(f);
    const second = r.signatures.find((s) => s.field === 'Signature2')!;
    expect(second.integrity, A.summary(r)).toBe('ok');
    expect(second.indication, A.summary(r)).toBe('TOTAL_PASSED');
  });
});

describe('their legitimate twins are allowed', () => {
  for (const [title, build] of Object.entries(twins)) it(title, async () => void (await A.expectAllowed(await build())));

  it('at P=3 the annotation is reported with what it covers: an opaque box over the amount on page 0', async () => {
    const f = await A.freeTextP3();
    const r = await A.expectAllowed(f);
    const m = r.modifications.find((x) => x.object === f.expect.object)!;
    expect(m.covers, A.summary(r)).toEqual({ page: 0, rect: A.AMOUNT_RECT, opaque: true });
  });
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
