/**
 * Attacks that live in the trailer and the cross-reference data rather than
 * in any object: a /Root swapped for a catalog hidden in the signed bytes,
 * entries re-pointed to dead definitions, generation changes, duplicate
 * definitions, objects in a signature's unsigned /Contents gap, a /Prev that
 * skips a section, /Encrypt added. Next to them, the near misses that are
 * legitimate: an identical rewrite, an xref-only save that refreshes /ID,
 * an /Info refresh.
 */
import { describe, expect, it } from 'vitest';
import { PdfReader } from '../../src/pdf/index.js';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  '(A) xref-only update, trailer /Root → hidden catalog': A.rootToHiddenCatalog,
  'hide-and-replace: new catalog object, /Root re-pointed': A.rootToNewCatalog,
  'xref-only: content stream re-pointed to a dead duplicate': A.xrefRepointContent,
  'shadow hide: overlay re-pointed to a dead empty duplicate': A.xrefRepointOverlay,
  'generation change of the image': A.generationChange,
  'one object defined twice in one update': A.duplicateInUpdate,
  'xref entry inside the /Contents gap (signature wrapping)': A.objectInContentsGap,
  "xref entry inside the /Contents gap, the gap no longer '<…>'": A.objectInContentsGapOpen,
  "a new object inside the /Contents gap, the gap no longer '<…>'": A.newObjectInContentsGapOpen,
  '/Prev skipping the previous section': A.prevSkipsSection,
  '/Encrypt added to the trailer': A.encryptAdded,
  'xref-only update replacing the first /ID element': A.firstIdReplaced,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'the content stream rewritten byte-identical': A.identicalRewrite,
  'xref-only update refreshing the second /ID': A.xrefOnlyIdRefresh,
  '/Info refreshed': A.infoRefresh,
};

describe('trailer and xref attacks are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));

  it('(A) is one trailer finding with no object, made by an update that writes nothing', async () => {
    const f = await A.rootToHiddenCatalog();
    const text = A.latin1(f.pdf);
    const lastXref = text.lastIndexOf('\nxref\n');
    expect(text.slice(lastXref + 1, text.indexOf('trailer', lastXref))).toBe('xref\n0 0\n');
    const r = await A.expectDetected(f);
    expect(r.document.revisions).toBe(3);
    const m = A.matching(r.modifications, f.expect);
    expect(m.map((x) => [x.object, x.change, x.verdict, x.rule]), A.summary(r)).toContainEqual([null, 'trailer', 'suspicious', null]);
  });

  it('the duplicate definition is not cleared by the identical copy the xref points to', async () => {
    const f = await A.duplicateInUpdate();
    const r = await A.verify(f.pdf);
    const onContent = r.modifications.filter((m) => m.object === f.expect.object);
    expect(onContent.some((m) => m.verdict === 'suspicious'), A.summary(r)).toBe(true);
  });
});

describe('their legitimate twins are allowed', () => {
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

  it('the hidden catalog of (A) really is in the signed revision and referenced by nothing there', async () => {
    const f = await A.rootToHiddenCatalog();
    const reader = PdfReader.open(f.pdf);
    const signedEnd = reader.revisions[1]!.endOffset;
    const hidden = (reader.trailer.get('Root') as { num: number }).num;
    const signed = PdfReader.open(f.pdf.subarray(0, signedEnd));
    expect(signed.catalogRef().num).not.toBe(hidden);
    expect(signed.entry(hidden)?.type).toBe(1);
    expect(A.latin1(f.pdf.subarray(0, signedEnd))).not.toContain(`${hidden} 0 R`);
  });
});
