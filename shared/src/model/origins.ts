/**
 * Typed transaction origins. Every write names its source so undo, persistence and echo
 * suppression can tell writes apart. Origins are compared by identity: always use these objects.
 */
export const LOCAL_EDIT = { kind: 'local-edit' } as const
export const PASTE = { kind: 'paste' } as const
export const CSV_IMPORT = { kind: 'csv-import' } as const
/**
 * The slices of a staged import (rows written invisibly before the CSV_IMPORT transaction that
 * publishes them): outside the undo scope, so the import stays one undo step.
 */
export const CSV_STAGE = { kind: 'csv-stage' } as const
export const MIGRATION = { kind: 'migration' } as const
export const DEMO = { kind: 'demo' } as const

export type Origin =
  | typeof LOCAL_EDIT
  | typeof PASTE
  | typeof CSV_IMPORT
  | typeof CSV_STAGE
  | typeof MIGRATION
  | typeof DEMO

/** The origins a user's undo stack tracks: their own edits, pastes and imports. */
export const UNDOABLE_ORIGINS: readonly Origin[] = [LOCAL_EDIT, PASTE, CSV_IMPORT]
