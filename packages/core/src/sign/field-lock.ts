/**
 * Field locks (FieldMDP, ISO 32000-1 §12.7.4.5 and §12.8.2.4): a signature
 * that locks form fields once it is made.
 *
 * What is written, and why:
 * - the signature field gets /Lock, an indirect signature field lock
 *   dictionary (Table 233 wants it indirect) << /Type /SigFieldLock /Action
 *   /All|/Include|/Exclude /Fields [...] /P n >>, /Fields only for Include
 *   and Exclude, /P (PDF 2.0: the DocMDP-like permission after this
 *   signature) only when asked for;
 * - the signature dictionary's /Reference a FieldMDP signature reference
 *   dictionary: /TransformParams << /Type /TransformParams /Action ...
 *   /Fields [...] /V /1.2 >> and /Data pointing at the catalog (required for
 *   FieldMDP; Acrobat, Adobe Sign, iText and pyHanko all point it at the
 *   catalog). With a permission, /P is repeated in /TransformParams: that is
 *   where Acrobat writes it when it signs a locked field, and where it reads
 *   it (pdf-association/pdf-issues#61); pyHanko does the same.
 */
import { KysoError } from '../errors.js';
import { formFields, PdfDict, PdfName, PdfString, type PdfObject, type PdfReader, type PdfRef } from '../pdf/index.js';
import { isMdpPermission, type MdpPermission } from './certification.js';

export type LockAction = 'All' | 'Include' | 'Exclude';

export interface FieldLockOptions {
  /** All fields, only `fields`, or all but `fields`. */
  action: LockAction;
  /** Fully qualified field names: required (non-empty) for Include and Exclude, not given for All. */
  fields?: string[];
  /**
   * PDF 2.0: what is permitted after this signature, as DocMDP's P (1 no
   * changes: only DSS and document timestamps; 2 form filling and signing;
   * 3 also annotations).
   */
  permissions?: MdpPermission;
}

const ACTIONS: readonly LockAction[] = ['All', 'Include', 'Exclude'];
const MAX_FIELDS = 1000;
const MAX_NAME = 1000;

function invalid(message: string, vi: string): KysoError {
  return new KysoError('SIGN_OPTIONS_INVALID', message, { vi });
}

/** Checks the `lock` option's shape (it may come from JSON or a form) and returns a clean copy. */
export function validateLock(lock: unknown): FieldLockOptions {
  if (typeof lock !== 'object' || lock === null) throw invalid('lock must be an object { action, fields?, permissions? }.', 'lock phải là một đối tượng { action, fields?, permissions? }.');
  const l = lock as { action?: unknown; fields?: unknown; permissions?: unknown };
  if (!ACTIONS.includes(l.action as LockAction)) throw invalid('lock.action must be All, Include or Exclude.', 'lock.action phải là All, Include hoặc Exclude.');
  const action = l.action as LockAction;
  const out: FieldLockOptions = { action };
  if (action === 'All') {
    if (l.fields !== undefined) throw invalid('lock.fields goes only with the actions Include and Exclude: All locks every field.', 'lock.fields chỉ dùng với Include và Exclude: All khóa mọi trường.');
  } else {
    const f = l.fields;
    if (!Array.isArray(f) || f.length === 0 || f.length > MAX_FIELDS || !f.every((n) => typeof n === 'string' && n.length > 0 && n.length <= MAX_NAME)) {
      throw invalid(`lock.fields must list the names of the fields to ${action === 'Include' ? 'lock' : 'leave unlocked'} (1 to ${MAX_FIELDS} non-empty names).`, `lock.fields phải liệt kê tên các trường ${action === 'Include' ? 'cần khóa' : 'không khóa'} (1 đến ${MAX_FIELDS} tên, không rỗng).`);
    }
    out.fields = [...new Set(f as string[])];
  }
  if (l.permissions !== undefined) {
    if (!isMdpPermission(l.permissions)) throw invalid('lock.permissions must be 1, 2 or 3.', 'lock.permissions phải là 1, 2 hoặc 3.');
    out.permissions = l.permissions;
  }
  return out;
}

/**
 * A lock written as text, for command lines and forms: `all`,
 * `include:a,b` or `exclude:a,b` (field names separated by commas).
 */
export function parseLockSpec(spec: string, permissions?: MdpPermission): FieldLockOptions {
  const m = /^\s*(all|include|exclude)\s*(?::(.*))?$/is.exec(spec);
  if (!m) throw invalid(`"${spec}" is not a field lock: use all, include:<field>,<field> or exclude:<field>,<field>.`, `"${spec}" không phải là khóa trường hợp lệ: dùng all, include:<trường>,<trường> hoặc exclude:<trường>,<trường>.`);
  const action = (m[1]![0]!.toUpperCase() + m[1]!.slice(1).toLowerCase()) as LockAction;
  const fields = m[2] === undefined ? undefined : m[2].split(',').map((s) => s.trim());
  if (fields?.some((n) => n === '')) throw invalid(`"${spec}" names an empty field.`, `"${spec}" có tên trường rỗng.`);
  return validateLock({ action, ...(fields !== undefined ? { fields } : {}), ...(permissions !== undefined ? { permissions } : {}) });
}

function lockEntries(d: PdfDict, lock: FieldLockOptions): PdfDict {
  d.set('Action', PdfName.of(lock.action));
  if (lock.action !== 'All') d.set('Fields', (lock.fields ?? []).map((n) => PdfString.fromText(n)));
  return d;
}

/** The /Lock dictionary of the signature field (to be written as an indirect object). */
export function lockDictionary(lock: FieldLockOptions): PdfDict {
  const d = lockEntries(new PdfDict().set('Type', PdfName.of('SigFieldLock')), lock);
  if (lock.permissions !== undefined) d.set('P', lock.permissions);
  return d;
}

/** The FieldMDP signature reference dictionary for the signature's /Reference. */
export function fieldMdpReference(catalogRef: PdfRef, lock: FieldLockOptions): PdfDict {
  const params = lockEntries(new PdfDict().set('Type', PdfName.of('TransformParams')), lock);
  if (lock.permissions !== undefined) params.set('P', lock.permissions);
  params.set('V', PdfName.of('1.2'));
  return new PdfDict().set('Type', PdfName.of('SigRef')).set('TransformMethod', PdfName.of('FieldMDP')).set('TransformParams', params).set('Data', catalogRef);
}

/** Reads a /SigFieldLock or FieldMDP /TransformParams dictionary; null when it is not one. */
export function readLock(reader: PdfReader, d: PdfObject | undefined): FieldLockOptions | null {
  const dict = reader.resolve(d);
  if (!(dict instanceof PdfDict)) return null;
  const action = dict.getName('Action') as LockAction | undefined;
  if (!action || !ACTIONS.includes(action)) return null;
  const out: FieldLockOptions = { action };
  if (action !== 'All') {
    const fields = reader.resolve(dict.get('Fields'));
    out.fields = Array.isArray(fields) ? fields.slice(0, 10_000).flatMap((f) => (f instanceof PdfString ? [f.toText()] : [])) : [];
  }
  const p = dict.getNumber('P');
  if (isMdpPermission(p)) out.permissions = p;
  return out;
}

/** A lock in force: set by a signed signature field. */
export interface ActiveLock extends FieldLockOptions {
  /** The signed field whose signature set the lock. */
  field: string;
}

/**
 * The locks of the document's signed signature fields: the FieldMDP entry
 * of the signature's /Reference, else the field's /Lock; the permission is
 * the stricter of the two when both state one.
 */
export function activeLocks(reader: PdfReader): ActiveLock[] {
  const out: ActiveLock[] = [];
  for (const f of formFields(reader)) {
    if (f.type !== 'Sig') continue;
    let sig: PdfObject;
    try {
      sig = reader.resolve(f.dict.get('V'));
    } catch {
      continue;
    }
    if (!(sig instanceof PdfDict) || sig.getName('Type') === 'DocTimeStamp') continue;
    let fromReference: FieldLockOptions | null = null;
    let fromField: FieldLockOptions | null = null;
    try {
      const refs = reader.resolve(sig.get('Reference'));
      for (const r of Array.isArray(refs) ? refs.slice(0, 16) : []) {
        const ref = reader.resolve(r);
        if (ref instanceof PdfDict && ref.getName('TransformMethod') === 'FieldMDP') fromReference ??= readLock(reader, ref.get('TransformParams'));
      }
      fromField = readLock(reader, f.dict.get('Lock'));
    } catch {
      // an unreadable lock locks nothing we could name
    }
    const lock = fromReference ?? fromField;
    if (!lock) continue;
    const ps = [fromReference?.permissions, fromField?.permissions].filter((p): p is MdpPermission => p !== undefined);
    const active: ActiveLock = { ...lock, field: f.name };
    delete active.permissions;
    if (ps.length > 0) active.permissions = Math.min(...ps) as MdpPermission;
    out.push(active);
  }
  return out;
}

/**
 * The lock that covers the field `name`, if any. All and Exclude cover the
 * fields the document has (a new field is no change to a locked one);
 * Include covers the names it lists, existing or not.
 */
export function lockCovering(locks: readonly ActiveLock[], name: string, existing: ReadonlySet<string>): ActiveLock | undefined {
  return locks.find((l) => {
    if (l.field === name) return false;
    if (l.action === 'Include') return (l.fields ?? []).includes(name);
    if (!existing.has(name)) return false;
    return l.action === 'All' || !(l.fields ?? []).includes(name);
  });
}

/** Refuses to sign into a field that a signature's FieldMDP lock covers: the new signature would break that signature. */
export function assertFieldNotLocked(reader: PdfReader, name: string): void {
  const locks = activeLocks(reader);
  if (locks.length === 0) return;
  const lock = lockCovering(locks, name, new Set(formFields(reader).map((f) => f.name)));
  if (lock) {
    throw new KysoError('SIGN_FIELD_LOCKED', `The field "${name}" is locked by the signature in "${lock.field}": signing it would invalidate that signature. Sign into a new field (another field name).`, {
      vi: `Trường "${name}" đã bị khóa bởi chữ ký trong trường "${lock.field}": ký vào trường này sẽ làm mất hiệu lực chữ ký đó. Hãy ký vào một trường mới (tên trường khác).`,
      details: { field: name, lockedBy: lock.field },
    });
  }
}
