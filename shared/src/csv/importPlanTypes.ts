import type { RowView } from '../model/types.js'
import type { CellValue, Column, ColumnInit, ColumnType } from '../schema/columnTypes.js'
import type { LocalizedMessage, ValueColumn } from '../schema/values.js'
import type { CsvCodes } from './csvColumn.js'
import type { CsvRefusal, CsvWarning } from './issues.js'

/** The import plan's types (rules CSV5–CSV6): what `planImport` returns and `applyImportPlan` reads. */

export type ImportMode = 'append' | 'upsert'

/** What planning reads of the target sheet: a live `Sheet`, or a copy sent to a Web Worker. */
export interface SheetSnapshot {
  columns(): Column[]
  readRows(): RowView[]
}

/** What to do with values that don't fit their column (rule CSV5). */
export type MisfitChoice = 'ask' | 'text' | 'skip-rows'

export interface ImportOptions {
  mode: ImportMode
  /** Upsert only: the CSV columns (by index) whose values identify a row, e.g. 站点名称 + 期间. */
  key?: readonly number[]
  /** `ask` (default) returns a plan that needs a decision when values don't fit. */
  onMisfit?: MisfitChoice
  /** How bare numbers in percent columns are read (see `parseValue`). */
  percentStyle?: 'percent' | 'number'
  /** Upsert only: whether an empty CSV cell clears the matched row's cell (default false: keep it). */
  emptyClears?: boolean
  /** Reference columns: map a display name to a row id, per target column id. */
  resolveReference?: (colId: string, text: string) => string | undefined
}

/** A column the import writes to: existing (colId) or created on apply (init). */
export interface ImportTarget {
  source: number
  header: string
  name: string
  type: ColumnType
  colId?: string
  init?: ColumnInit
  column: ValueColumn
}

export interface Misfit {
  source: number
  header: string
  column: string
  type: ColumnType
  count: number
  examples: { line: number; input: string; message: LocalizedMessage }[]
}

export interface CellChange {
  /** Index into `plan.targets`. */
  target: number
  old: CellValue
  new: CellValue
}

export interface RowUpdate {
  rowId: string
  line: number
  changes: CellChange[]
  /** The file's values for this row (aligned with targets), so a preview can show which row it is. */
  values: CellValue[]
}

export type SkipReason = 'misfit' | 'empty-key' | 'duplicate-key'

/**
 * One target column's values for the added rows, kept column by column (no array per row): a
 * dictionary of converted values and a code per row, numbers in a `Float64Array` (NaN: empty), or
 * one value per row. The typed arrays cross to the main thread as transferables.
 */
export type AddedColumn =
  | { kind: 'dict'; values: CellValue[]; codes: CsvCodes }
  | { kind: 'numbers'; values: Float64Array }
  | { kind: 'values'; values: CellValue[] }

/** The rows an import adds: `count` rows, each row's file line, and one column per target. */
export interface AddedRows {
  count: number
  lines: Uint32Array
  columns: AddedColumn[]
}

/** A checked, fully computed import: applying it cannot fail half-way (rule CSV6). */
export interface ImportPlan {
  mode: ImportMode
  targets: ImportTarget[]
  /** Rows to add, column by column (aligned with `targets`). */
  adds: AddedRows
  updates: RowUpdate[]
  unchanged: number
  skipped: { reason: SkipReason; count: number; lines: number[] }[]
  misfits: Misfit[]
  /** Figures like `1.2万余` imported as their stated value. */
  approximate: { count: number; examples: { line: number; input: string }[] }
  /** No-data markers (`—`, `/`, `-`, `－`) in numeric columns, kept as they were (issue #15 §4). */
  noData: { count: number; examples: { line: number; column: string; input: string }[] }
  /** Values don't fit and the caller must choose `text`, `skip-rows` or cancel. */
  needsDecision: boolean
  warnings: CsvWarning[]
}

export type ImportPlanResult = { ok: true; plan: ImportPlan } | { ok: false; refusal: CsvRefusal }
