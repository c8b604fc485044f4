/**
 * Filling form fields after signing: allowed at P=2 (and without
 * certification) when the new appearance stays inside the widget; refused
 * when the widget grows over signed content, after a P=1 certification, or
 * when the appearance stream is overwritten without a new value (the
 * shadow "replace" attack on forms).
 */
import { describe, it } from 'vitest';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  'P=2: field filled, widget grown over the amount': A.fillOutsideP2,
  'P=1: field filled': A.fillAtP1,
  "shadow replace: a text field's appearance overwritten, /V unchanged": A.appearanceReplaced,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'P=2: field filled inside its widget': A.fillInsideP2,
  'not certified: field filled inside its widget': A.fillUncertified,
};

describe('form attacks are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));
});

describe('form filling is allowed', () => {
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
