import type { DiffContext } from '../context.js';
import type { RuleFamily } from '../rule.js';
import { annotationRules } from './annotations.js';
import { catalogRules } from './catalog.js';
import { dssRules } from './dss.js';
import { formFillingRules } from './form-filling.js';
import { metadataRules } from './metadata.js';
import { signatureFieldRules } from './signature-fields.js';
import { structureRules } from './structure.js';
import { structureTreeRules } from './structure-tree.js';

export { modificationRules, RULES } from './table.js';

/**
 * The families in the order they run: signature fields before what
 * depends on them (page annotations, the structure tree).
 */
export const RULE_FAMILIES: readonly { family: RuleFamily | 'document-timestamps+signature-fields'; run: (ctx: DiffContext) => void }[] = [
  { family: 'structure', run: structureRules },
  { family: 'dss', run: dssRules },
  { family: 'document-timestamps+signature-fields', run: signatureFieldRules },
  { family: 'annotations', run: annotationRules },
  { family: 'metadata', run: metadataRules },
  { family: 'catalog', run: catalogRules },
  { family: 'structure-tree', run: structureTreeRules },
  { family: 'form-filling', run: formFillingRules },
];
