/**
 * A tagged PDF (as Word exports a decree) signed twice the way the
 * Government Office's tool signs it (domain.md §7, first bullet): each
 * signature adds a /Form structure element with an /OBJR to its widget,
 * appended to the /Document element's /K; the widget gets /StructParent k;
 * the /ParentTree gets k → the element; /ParentTreeNextKey goes to k + 1.
 * Exactly that is allowed; every near miss of it is not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type VerificationReport } from '../../src/index.js';
import { PdfDict, PdfReader, PdfRef, PdfString, type PdfObject } from '../../src/pdf/index.js';
import { nssDbForTestPki, testPki } from '../helpers/fixtures.js';
import {
  addFormStructElement,
  describeMods,
  expectAllowed,
  expectOtherToolsAgree,
  expectSuspicious,
  identities,
  makeBase,
  sealAppearance,
  SEAL_RECT,
  signField,
  STAMP_RECT,
  textStampAppearance,
  verify,
  type BaseDoc,
  type FormElementOptions,
  type Identities,
  type RawUpdate,
  type StructNums,
} from './real-tool-fixtures.js';

let ids: Identities;
let nss: string;
let base: BaseDoc;
let s: StructNums;
/** The tagged original signed once, the Government Office way (revision 1). */
let once: Uint8Array;
let firstWidget: PdfRef;

const check = (pdf: Uint8Array): Promise<VerificationReport> => verify(pdf, ids.store);

beforeAll(async () => {
  ids = await identities(await testPki());
  nss = await nssDbForTestPki();
  base = await makeBase({ tagged: true, xmp: true });
  s = base.struct!;
  once = await signField(
    base.pdf,
    ids.personal,
    { name: 'Signature1', rect: STAMP_RECT, appearance: (u) => textStampAppearance(u, ['Nguoi ky: Nguyen Van Anh']) },
    (u, widget) => {
      addFormStructElement(u, { widget });
    },
  );
  const r = PdfReader.open(once);
  const af = r.resolve(r.catalog().get('AcroForm')) as PdfDict;
  firstWidget = (r.resolve(af.get('Fields')) as PdfObject[])[0] as PdfRef;
});

/** The second signature, with its structure edit, then `tamper` on top (the near miss). */
function second(options: Partial<FormElementOptions> = {}, tamper: (u: RawUpdate) => void = () => undefined): Promise<Uint8Array> {
  return signField(once, ids.organisation, { name: 'Signature2', rect: SEAL_RECT, appearance: (u) => sealAppearance(u) }, (u, widget) => {
    addFormStructElement(u, { widget, ...options });
    tamper(u);
  });
}

describe('the fixture is the pattern', () => {
  it('revision 1: the widget has /StructParent 1, /ParentTree maps 1 to a /Form element with an /OBJR to it, next key 2', () => {
    const r = PdfReader.open(once);
    const widget = r.resolve(firstWidget) as PdfDict;
    expect(widget.getNumber('StructParent')).toBe(1);
    const root = r.resolve(r.catalog().get('StructTreeRoot')) as PdfDict;
    expect(root.getNumber('ParentTreeNextKey')).toBe(2);
    const nums = r.resolve((r.resolve(root.get('ParentTree')) as PdfDict).get('Nums')) as PdfObject[];
    expect(nums[2]).toBe(1);
    const form = r.resolve(nums[3]) as PdfDict;
    expect(form.getName('S')).toBe('Form');
    const objr = r.resolve(form.get('K')) as PdfDict;
    expect(objr.getName('Type')).toBe('OBJR');
    expect((objr.get('Obj') as PdfRef).num).toBe(firstWidget.num);
    const docEl = r.resolve(root.get('K')) as PdfDict;
    expect((docEl.get('K') as PdfRef[]).map((k) => k.num)).toEqual([s.amount, s.title, s.name, s.figure, (nums[3] as PdfRef).num]);
  });
});

describe('the second signature adds its widget to the structure tree', () => {
  it('valid, allowed: structure-tree.signature-widget clears the structure edit', async () => {
    const pdf = await second();
    expectOtherToolsAgree(pdf, 'tagged-two-signatures', nss, [true, true]);
    const r = await check(pdf);
    expectAllowed(r, ['structure-tree.signature-widget', 'signature.new-field', 'signature.dictionary', 'signature.register-field']);
    expect(r.signatures.map((x) => x.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    // Every structure object the update touched is cleared by that one rule.
    for (const num of [s.root, s.document, s.parentTree]) {
      const mods = r.modifications.filter((m) => m.object === num);
      expect(mods.length, `object ${num}\n${describeMods(r)}`).toBeGreaterThan(0);
      for (const m of mods) expect(m.rule, describeMods(r)).toBe('structure-tree.signature-widget');
    }
    const form = r.modifications.filter((m) => m.path === '/Root/StructTreeRoot/K/K[5]');
    expect(form.map((m) => `${m.change}:${m.rule}`), describeMods(r)).toEqual(['added:structure-tree.signature-widget']);
  });
});

describe('near misses in the same update: suspicious', () => {
  const cases: [string, Partial<FormElementOptions>, (u: RawUpdate) => void, string[]][] = [
    [
      "an existing element's /ActualText changed",
      {},
      (u) => u.editDict(u.ref(s.amount), (d) => d.set('ActualText', PdfString.fromText('So tien: 9.000.000 dong'))),
      ['/Root/StructTreeRoot/K/K[0]/ActualText'],
    ],
    ["an existing element's /Alt changed", {}, (u) => u.editDict(u.ref(s.figure), (d) => d.set('Alt', PdfString.fromText('Chu ky gia'))), ['/Root/StructTreeRoot/K/K[3]/Alt']],
    [
      'an element removed from /K',
      {},
      (u) => u.editDict(u.ref(s.document), (d) => d.set('K', (d.get('K') as PdfRef[]).filter((k) => k.num !== s.title))),
      ['/Root/StructTreeRoot/K/K'],
    ],
    [
      'kids reordered',
      {},
      (u) =>
        u.editDict(u.ref(s.document), (d) => {
          const k = [...(d.get('K') as PdfRef[])];
          [k[0], k[1]] = [k[1]!, k[0]!];
          d.set('K', k);
        }),
      ['/Root/StructTreeRoot/K/K'],
    ],
    ['the /OBJR points at an OLD annotation (the first signature\'s widget)', {}, () => undefined, ['/Root/StructTreeRoot/K/K[5]']],
    ['/ParentTreeNextKey raised by 2', { nextKeyStep: 2 }, () => undefined, ['/Root/StructTreeRoot/ParentTreeNextKey']],
    ['the /Form element has an extra kid that is not an /OBJR (MCID 0: the amount)', { extraKids: [0] }, () => undefined, ['/Root/StructTreeRoot/K/K[5]']],
  ];
  cases.forEach(([name, options, tamper, paths], i) => {
    it(name, async () => {
      const opts = name.includes('OLD annotation') ? { ...options, objrTarget: firstWidget } : options;
      const pdf = await second(opts, tamper);
      expectOtherToolsAgree(pdf, `tagged-near-miss-${i}`, nss, [true, true]);
      const r = await check(pdf);
      expectSuspicious(r, paths);
      expect(r.signatures[1]!.integrity).toBe('ok');
    });
  });
});
