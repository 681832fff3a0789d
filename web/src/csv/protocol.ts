import type {
  AddedColumn,
  Column,
  ColumnMapping,
  CsvDelimiter,
  CsvEncoding,
  CsvReadProgress,
  CsvRefusal,
  CsvTable,
  EncodingSource,
  ImportOptions,
  ImportPlan,
  RowView,
} from '@taizhang/shared'
import type { XlsxSheetNotes, XlsxWorksheetInfo } from '@taizhang/shared/xlsx'

/** Reader settings the dialog can override (rules CSV2, CSV3). */
export interface ReadSettings {
  encoding: CsvEncoding | 'auto'
  delimiter: CsvDelimiter | 'auto'
  header: boolean | 'auto'
  /** Used when the file turns out to be an .xlsx (issue #15). */
  xlsx?: XlsxReadSettings
}

/** The .xlsx reader's choices: which worksheet, the 合计 row, merged body cells. */
export interface XlsxReadSettings {
  /** Default: the first visible worksheet. */
  worksheet?: string
  includeTotals: boolean
  fillMerged: boolean
}

/** What the main thread learns about a read file: enough for the dialog, not every row. */
export interface ReadSummary {
  encoding: CsvEncoding
  encodingSource: EncodingSource
  bytes: number
  table: Omit<CsvTable, 'rows' | 'lines' | 'data'>
  /** First rows (raw strings) for the preview before a plan exists. */
  preview: string[][]
  mapping: ColumnMapping[]
  /** Set when the file was an .xlsx: its worksheets and what the reader noticed in the one read. */
  xlsx?: { worksheets: XlsxWorksheetInfo[]; notes: XlsxSheetNotes }
}

/** Planning options that can cross to a worker: references resolve through name → row id maps. */
export type WorkerImportOptions = Omit<ImportOptions, 'resolveReference'> & {
  referenceNames?: Record<string, Record<string, string>>
}

export type ToWorker =
  | { type: 'read'; file: Blob; settings: ReadSettings; columns: Column[] }
  | {
      type: 'plan'
      mapping: ColumnMapping[]
      columns: Column[]
      rows: RowView[] | null
      options: WorkerImportOptions
    }
  /**
   * The main thread is about to apply a plan: the worker lets go of its table (the file's columns,
   * kept to plan again) and, unless `keepBook` (more worksheets of the same .xlsx still to import),
   * the opened workbook. No reply; a later `plan` needs a `read` first (issue #15: peak memory).
   */
  | { type: 'release'; keepBook: boolean }

export type FromWorker =
  | { type: 'progress'; progress: CsvReadProgress }
  | { type: 'read'; ok: true; summary: ReadSummary }
  | { type: 'read'; ok: false; refusal: CsvRefusal }
  /**
   * A plan's rows to add arrive first, column by column: a dictionary column (its distinct values
   * and a typed array of codes) or a numbers column in one message, its typed arrays transferred;
   * a column of one value per row in pieces of PLAN_CHUNK_VALUES (`from`: the first row), so the
   * main thread never deserialises a long run of strings in one task. The closing `plan` message
   * carries the rest of the plan (`adds.columns` empty there; `adds.lines` transferred).
   */
  | { type: 'plan-column'; index: number; column: AddedColumn }
  | { type: 'plan-values'; index: number; from: number; values: AddedColumn['values'] }
  | { type: 'plan'; ok: true; plan: ImportPlan }
  | { type: 'plan'; ok: false; refusal: CsvRefusal }
  | { type: 'error'; message: string }

/** Values per `plan-values` message (a few ms to deserialise on the main thread). */
export const PLAN_CHUNK_VALUES = 20_000
