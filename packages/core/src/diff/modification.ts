/** One object-level change found after a signed revision. */
export interface Modification {
  /** Index of the revision (0 = original file) that made the change. */
  revision: number;
  /** Object number, or null for changes outside any object (e.g. unsigned bytes). */
  object: number | null;
  change: 'added' | 'changed' | 'deleted' | 'bytes';
  verdict: 'allowed' | 'suspicious';
  /** What the change is, e.g. 'signature-field', 'dss', 'page-content', 'annotation'. */
  category: string;
  reason: string;
  reasonVi: string;
}

export type ModificationLevel = 'none' | 'allowed' | 'suspicious';

export function modificationLevel(mods: readonly Modification[], anyLaterRevision: boolean): ModificationLevel {
  if (mods.some((m) => m.verdict === 'suspicious')) return 'suspicious';
  return anyLaterRevision ? 'allowed' : 'none';
}
