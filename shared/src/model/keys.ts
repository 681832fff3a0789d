/**
 * Every key the workbook uses inside its Y.Doc. See docs/ARCHITECTURE.md ("Data model") for the
 * picture; changing any of these is a schema migration.
 */

/** Root types: created implicitly by `doc.getMap(name)`, so concurrent clients never race on them. */
export const ROOT_META = 'meta'
export const ROOT_SHEETS = 'sheets'
/** Per-sheet edit logs live outside `sheets` so the undo manager (scoped to `sheets`) never undoes history. */
export const ROOT_HISTORY = 'history'
// ---- history: row log and conflict settlements (issue 13) ----
/**
 * Y.Array<RowLogRecord>: row inserts, moves, deletes and restores of every sheet, one entry per
 * operation. A root type (created implicitly, no race) outside the undo scope, like `history`.
 */
export const ROOT_ROW_LOG = 'rowLog'
/**
 * Y.Array<SettlementRecord>: conflicts settled (kept or adopted). Append-only: two users settling
 * one conflict at once both leave a record, and it is settled when any record names it.
 */
export const ROOT_SETTLEMENTS = 'settlements'

/**
 * issue 14 (ledger): definitions of computed columns, rules, summaries, charts, the report page,
 * completeness settings and "marked complete" records, one JSON value per key (see
 * model/definitions.ts), so two people editing different definitions both keep theirs. Derived
 * figures are never stored here: only what the user defined.
 */
export const ROOT_LEDGER = 'ledger'

/** Keys of the `meta` map. */
export const META_TITLE = 'title'
export const META_SCHEMA_VERSION = 'schemaVersion'
export const META_CREATED_AT = 'createdAt'

/** Keys of one sheet's Y.Map (all nested types are created with the sheet, in one transaction). */
export const SHEET_NAME = 'name'
export const SHEET_ORDER = 'order'
/** `{ by, at }` when the sheet is in the trash; absent when live. */
export const SHEET_DELETED = 'deleted'
/**
 * Present (true) on a sheet a staged import is still filling: in neither the sheet list nor the
 * trash. The import's publish removes it, in the import's one undoable transaction.
 */
export const SHEET_STAGED = 'staged'
/** Y.Map<colId, Y.Map<field, value>>. */
export const SHEET_COLUMNS = 'columns'
/** Y.Array<RowBase>: append-only row records (bulk data, one Yjs item per insert batch). */
export const SHEET_ROWS = 'rows'
/** Y.Map<batchId, colId[]>: the column ids that a batch of row records' values line up with. */
export const SHEET_BATCHES = 'batches'
/** Y.Map<cellKey, Overlay>: cell edits overriding the row records' values, one key per cell. */
export const SHEET_CELLS = 'cells'
/** Y.Map<rowId, orderKey>: moves, overriding the order key in the row record. */
export const SHEET_ROW_ORDER = 'rowOrder'
/** Y.Array<Tombstone>: soft row deletions; undo or restore removes the entries. */
export const SHEET_DELETIONS = 'deletions'

/** Fields of one column's Y.Map. */
export const COL_NAME = 'name'
export const COL_TYPE = 'type'
export const COL_CONSTRAINTS = 'constraints'
export const COL_FORMAT = 'format'
export const COL_WIDTH = 'width'
export const COL_ORDER = 'order'
export const COL_DELETED = 'deleted'

/** Separator between row id and column id in a cell key; ids never contain it. */
export const CELL_KEY_SEPARATOR = ':'

export function cellKey(rowId: string, colId: string): string {
  return rowId + CELL_KEY_SEPARATOR + colId
}

/** Splits a cell key; `undefined` for a malformed key (a newer schema's, say). */
export function splitCellKey(key: string): [rowId: string, colId: string] | undefined {
  const i = key.indexOf(CELL_KEY_SEPARATOR)
  if (i <= 0 || i === key.length - 1) return undefined
  return [key.slice(0, i), key.slice(i + 1)]
}
