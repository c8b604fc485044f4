import type { ModificationCategory } from './modification.js';

/** A DocMDP permission level (ISO 32000-2 §12.8.2.2): 1 no changes, 2 form filling and signing, 3 also annotations. */
export type DocMdpLevel = 1 | 2 | 3;

export type RuleFamily =
  | 'structure'
  | 'dss'
  | 'document-timestamps'
  | 'signature-fields'
  | 'metadata'
  | 'catalog'
  | 'structure-tree'
  | 'form-filling'
  | 'annotations';

/**
 * One rule of the modification policy, as data: what it clears and from
 * which DocMDP level on. The code that applies it lives in its family's
 * module; the table (rules/index.ts) is what the README is generated from.
 */
export interface ModificationRule {
  /** Stable id, `family.name`. */
  readonly id: string;
  readonly family: RuleFamily;
  readonly category: ModificationCategory;
  /** The lowest DocMDP permission at which the rule applies (documents without certification are treated as 2). */
  readonly docMdp: DocMdpLevel;
  readonly clears: string;
  readonly clearsVi: string;
}

export function rule(id: string, family: RuleFamily, category: ModificationCategory, docMdp: DocMdpLevel, clears: string, clearsVi: string): ModificationRule {
  return Object.freeze({ id, family, category, docMdp, clears, clearsVi });
}
