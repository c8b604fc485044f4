export { ModificationAnalyzer } from './analyze.js';
export type { DiffOptions } from './analyze.js';
export { modificationLevel } from './modification.js';
export type { Modification, ModificationLevel } from './modification.js';
