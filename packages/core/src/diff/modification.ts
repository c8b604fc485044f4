/** What a change is about: the family of the rule that judged it. */
export type ModificationCategory =
  | 'signature'
  | 'signature-field'
  | 'signature-appearance'
  | 'document-timestamp'
  | 'dss'
  | 'metadata'
  | 'form'
  | 'form-fill'
  | 'annotation'
  | 'structure'
  | 'structure-tree'
  | 'catalog'
  | 'trailer'
  | 'xref'
  | 'page'
  | 'page-content'
  | 'page-tree'
  | 'resource'
  | 'overlay'
  | 'field-lock'
  | 'object'
  | 'deleted'
  | 'unreadable'
  | 'unreferenced-object'
  | 'rewritten-identical'
  | 'unsigned-bytes'
  | 'trailing-bytes';

/** One object-level (or trailer-, xref- or byte-level) change found after a signed revision. */
export interface Modification {
  /** Index of the revision (0 = original file) that made the change. */
  revision: number;
  /** Object number, or null for changes outside any object (trailer, xref, unsigned bytes). */
  object: number | null;
  change: 'added' | 'changed' | 'deleted' | 'bytes' | 'trailer' | 'xref';
  verdict: 'allowed' | 'suspicious';
  category: ModificationCategory;
  /** Id of the rule that cleared the change (see `modificationRules`), or null when none did. */
  rule: string | null;
  /** For a suspicious change: the rule that examined it and said no (or `xref.<problem>`), if one did. */
  refusedBy?: string;
  /**
   * Where a reader of the revision meets the object, from the trailer:
   * `/Root/Pages/Kids[0]/Contents`. Null when it is reachable from nowhere
   * (an unreferenced new object) or for byte-level findings.
   */
  path: string | null;
  reason: string;
  reasonVi: string;
  /** For a new or changed appearance: the page (0-based) and area [x1 y1 x2 y2] it draws on, and whether it is opaque there. */
  covers?: { page: number | null; rect: [number, number, number, number]; opaque: boolean };
}

export type ModificationLevel = 'none' | 'allowed' | 'suspicious';

export function modificationLevel(mods: readonly Modification[], anyLaterRevision: boolean): ModificationLevel {
  if (mods.some((m) => m.verdict === 'suspicious')) return 'suspicious';
  return anyLaterRevision ? 'allowed' : 'none';
}
