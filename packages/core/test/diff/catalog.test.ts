/**
 * New or changed catalog entries after signing: (B) /OpenAction JavaScript
 * in a catalog written again under its own number, /AA, /Names with
 * /JavaScript or /EmbeddedFiles, /AcroForm /XFA, /OCProperties added, an
 * optional content group switched OFF, /Pages re-pointed to a page tree
 * hidden in the signed bytes. The near miss: the same catalog rewrite
 * raising only /Version.
 */
import { describe, expect, it } from 'vitest';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  '(B) new catalog version adding /OpenAction JavaScript': A.openActionJs,
  '/AA added': A.catalogAA,
  '/Names /JavaScript added': A.namesJavaScript,
  '/Names /EmbeddedFiles added': A.namesEmbeddedFiles,
  '/AcroForm /XFA added': A.acroFormXfa,
  '/OCProperties added': A.ocPropertiesAdded,
  'optional content group of the amount switched OFF': A.ocToggledOff,
  'hide-and-replace: /Pages re-pointed to the hidden page tree': A.catalogPagesToHidden,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'catalog /Version raised to 2.0': A.catalogVersionRaised,
};

describe('catalog attacks are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));

  it('(B) is reported on the catalog object, at /Root/OpenAction, and nothing clears it', async () => {
    const f = await A.openActionJs();
    const r = await A.expectDetected(f);
    const m = A.matching(r.modifications, f.expect);
    expect(m.map((x) => [x.object, x.change, x.verdict, x.rule]), A.summary(r)).toContainEqual([f.expect.object, 'changed', 'suspicious', null]);
  });
});

describe('the legitimate twin is allowed', () => {
  for (const [title, build] of Object.entries(twins)) it(title, async () => void (await A.expectAllowed(await build())));
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
