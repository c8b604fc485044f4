import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modificationRules, policyTable } from '../../src/diff/index.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

describe('the modification policy as data', () => {
  it('the README shows exactly the table generated from the rules (run `pnpm policy-table` after changing a rule)', () => {
    const begin = readme.indexOf('<!-- policy-table:begin');
    const end = readme.indexOf('<!-- policy-table:end -->');
    expect(begin).toBeGreaterThan(0);
    const inReadme = readme.slice(readme.indexOf('\n', begin) + 1, end).trim();
    expect(inReadme).toBe(policyTable());
  });

  it('rule ids are unique, named family.rule, and the DocMDP levels follow ISO 32000-2 §12.8.2.2', () => {
    const ids = modificationRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of modificationRules) {
      expect(r.id).toMatch(/^[a-z-]+\.[a-z-]+$/);
      expect(r.clears.length).toBeGreaterThan(10);
      expect(r.clearsVi.length).toBeGreaterThan(10);
    }
    const level = (id: string): number => modificationRules.find((r) => r.id === id)!.docMdp;
    // P=1: only validation data and document timestamps (and bookkeeping).
    expect(modificationRules.filter((r) => r.docMdp === 1).map((r) => r.id.split('.')[0])).toEqual(expect.arrayContaining(['dss', 'timestamp', 'structure']));
    expect(modificationRules.filter((r) => r.docMdp === 1).every((r) => ['dss', 'timestamp', 'structure'].includes(r.id.split('.')[0]!))).toBe(true);
    expect(level('signature.new-field')).toBe(2);
    expect(level('form.fill')).toBe(2);
    expect(level('annotation.add')).toBe(3);
  });
});
