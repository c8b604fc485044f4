import type { DocMdpLevel } from './rule.js';
import { modificationRules } from './rules/index.js';

const LEVELS: { p: DocMdpLevel; label: string }[] = [
  { p: 1, label: 'P=1' },
  { p: 2, label: 'P=2 (and no certification)' },
  { p: 3, label: 'P=3' },
];

/**
 * The modification policy as a Markdown table, made from the rule table
 * itself so that the README cannot drift from the code: which rule clears
 * what, and at which DocMDP levels it applies.
 */
export function policyTable(): string {
  const head = `| rule | clears | ${LEVELS.map((l) => l.label).join(' | ')} |`;
  const sep = `|---|---|${LEVELS.map(() => ':-:').join('|')}|`;
  const rows = modificationRules.map((r) => `| \`${r.id}\` | ${r.clears} | ${LEVELS.map((l) => (r.docMdp <= l.p ? '✓' : '✗')).join(' | ')} |`);
  return [head, sep, ...rows].join('\n');
}
