/**
 * Result codes, case codes and certification numbers, and the stores that hand them out exactly once.
 *
 * @module @kyso/core/codes
 */
// Codes: result codes, case codes, certification numbers, and the stores that
// hand them out exactly once. Knows nothing about PDF.
export * from './vietnam-time.js';
export * from './template.js';
export * from './cccd-provinces.js';
export * from './owner-id.js';
export * from './catalog.js';
export * from './result-code.js';
export * from './agency-code.js';
export * from './case-code.js';
export * from './cert-number.js';
export type {
  SequenceKey,
  SequenceStore,
  Allocation,
  AllocationState,
  AllocateOptions,
  ChangeStateOptions,
  LedgerEvent,
  LedgerFilter,
  PendingNote,
  PendingEntry,
  PendingFilter,
} from './sequence-store.js';
export { SEQUENCE_SCHEMA_VERSION } from './sequence-store.js';
export { SqliteSequenceStore, type SqliteSequenceStoreOptions } from './sqlite-sequence-store.js';
export { PostgresSequenceStore, type PostgresSequenceStoreOptions } from './postgres-sequence-store.js';
export * from './code-allocator.js';
export { openSequenceStore, type OpenSequenceStoreOptions } from './open-sequence-store.js';
export { CodeReservations, withReservedCodes, type CodeLifecycleOptions, type ReserveOptions } from './code-lifecycle.js';
