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
// ---- history origins (issue 13): how a value got into a cell, read back as the log's `how` ----
/** A fill (drag or fill-down) of cells. */
export const FILL = { kind: 'fill' } as const
/** 恢复 from a cell's history: an older value written back as a new edit. */
export const RESTORE_EDIT = { kind: 'restore-edit' } as const
/** 采用此值 from the conflict inbox: a losing value written back as a new edit. */
export const CONFLICT_RESTORE = { kind: 'conflict-restore' } as const
/** Log entries and settlements the model writes itself (undo notes): never undone. */
export const HISTORY_NOTE = { kind: 'history-note' } as const

export type Origin =
  | typeof LOCAL_EDIT
  | typeof PASTE
  | typeof CSV_IMPORT
  | typeof CSV_STAGE
  | typeof MIGRATION
  | typeof DEMO
  | typeof FILL
  | typeof RESTORE_EDIT
  | typeof CONFLICT_RESTORE
  | typeof HISTORY_NOTE

/** The origins a user's undo stack tracks: their own edits, pastes, imports, fills and restores. */
export const UNDOABLE_ORIGINS: readonly Origin[] = [
  LOCAL_EDIT,
  PASTE,
  CSV_IMPORT,
  FILL,
  RESTORE_EDIT,
  CONFLICT_RESTORE,
]
