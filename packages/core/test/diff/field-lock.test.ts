/**
 * FieldMDP: an approval signature that locks form fields (All, Include [a],
 * Exclude [a]), then a field changed. A locked field changed is suspicious
 * whatever DocMDP allows; a field outside the lock is ordinary form filling.
 */
import { describe, expect, it } from 'vitest';
import { formFields, PdfDict, PdfName, PdfReader, PdfString } from '../../src/pdf/index.js';
import { hasTool } from '../helpers/external-tools.js';
import * as A from './attack-fixtures.js';

const attacks: Record<string, () => Promise<A.AttackFixture>> = {
  'lock All, field a changed': A.lockAllChanged,
  'lock Include [a], field a changed': A.lockIncludeLocked,
  'lock Exclude [a], field b changed': A.lockExcludeLocked,
};
const twins: Record<string, () => Promise<A.AttackFixture>> = {
  'lock Include [a], field b changed': A.lockIncludeFree,
  'lock Exclude [a], field a changed': A.lockExcludeFree,
};
const expectedLock: Record<string, { action: string; fields?: string[] }> = {
  'lock All, field a changed': { action: 'All' },
  'lock Include [a], field a changed': { action: 'Include', fields: ['a'] },
  'lock Exclude [a], field b changed': { action: 'Exclude', fields: ['a'] },
  'lock Include [a], field b changed': { action: 'Include', fields: ['a'] },
  'lock Exclude [a], field a changed': { action: 'Exclude', fields: ['a'] },
};

describe('changes under a field lock are suspicious', () => {
  for (const [title, build] of Object.entries(attacks)) it(title, async () => void (await A.expectDetected(await build())));
});

describe('changes outside the lock are form filling', () => {
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

describe('the fixtures', () => {
  for (const [title, build] of Object.entries({ ...attacks, ...twins })) {
    it(`${title}: the signed field carries the lock`, async () => {
      const f = await build();
      const reader = PdfReader.open(f.pdf);
      const field = formFields(reader).find((x) => x.name === 'Signature1')!;
      const lock = reader.resolve(field.dict.get('Lock')) as PdfDict;
      expect(lock).toBeInstanceOf(PdfDict);
      const want = expectedLock[title]!;
      expect((lock.get('Action') as PdfName).value).toBe(want.action);
      const fields = reader.resolve(lock.get('Fields'));
      expect(Array.isArray(fields) ? fields.map((x) => (x as PdfString).toText()) : undefined).toEqual(want.fields);
    });
    it.skipIf(!hasTool('qpdf') || !hasTool('pdfsig'))(`${title}: qpdf and pdfsig`, async () => {
      const f = await build();
      A.expectExternalView(f);
    });
  }
});
