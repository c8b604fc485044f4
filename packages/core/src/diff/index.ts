/**
 * Modification analysis between the revisions of a signed PDF.
 *
 * @module @kyso/core/diff
 */
export { ModificationAnalyzer } from './analyze.js';
export type { DiffOptions, RevisionCost } from './analyze.js';
export { modificationLevel } from './modification.js';
export type { Modification, ModificationCategory, ModificationLevel } from './modification.js';
export { modificationRules } from './rules/index.js';
export type { DocMdpLevel, ModificationRule, RuleFamily } from './rule.js';
export { readPermissions, levelAt } from './permissions.js';
export type { DocumentPermissions } from './permissions.js';
export type { FieldLock } from './context.js';
export { policyTable } from './policy-table.js';
