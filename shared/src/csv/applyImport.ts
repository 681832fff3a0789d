import { CSV_IMPORT } from '../model/origins.js'
import type { CellEdit, RowSource, Sheet, StagedInsert } from '../model/sheet.js'
import type { Workbook } from '../model/workbook.js'
import type { ColumnType } from '../schema/columnTypes.js'
import type { AddedRows, ImportPlan } from './importPlan.js'
import { addedValue, planCounts } from './importPlan.js'
import type { CsvRefusal } from './issues.js'

/** Where an import lands: an existing sheet, or a new sheet created in the same transaction. */
export type ImportDestination = { sheetId: string } | { newSheetName: string }

/** What an applied import did (rule CSV5). */
export interface ImportReport {
  sheetId: string
  added: number
  updated: number
  unchanged: number
  skipped: number
  columnsCreated: { colId: string; name: string; type: ColumnType }[]
  addedRowIds: string[]
}

export type ApplyResult = { ok: true; report: ImportReport } | { ok: false; refusal: CsvRefusal }

/**
 * The added rows as the sheet reads them when it writes their records: straight from the plan's
 * columns, with no value array per row.
 */
export function addedRowSource(adds: AddedRows): RowSource {
  return { length: adds.count, value: (row, col) => addedValue(adds, row, col) }
}

/** A write that threw (a broken invariant: the checks before any write make it unreachable). */
function failed(e: unknown): ApplyResult {
  return {
    ok: false,
    refusal: { kind: 'failed', detail: e instanceof Error ? e.message : String(e) },
  }
}

/**
 * Everything that could make an apply fail, checked before anything is written (a Yjs transaction
 * cannot be rolled back): a refusal leaves the doc's state vector unchanged.
 */
export function checkImportPlan(
  wb: Workbook,
  dest: ImportDestination,
  plan: ImportPlan,
): CsvRefusal | null {
  if (wb.readOnly) return { kind: 'read-only' }
  if (plan.needsDecision)
    return { kind: 'misfits', count: plan.misfits.reduce((n, m) => n + m.count, 0) }
  if ('sheetId' in dest) {
    if (!wb.hasSheet(dest.sheetId))
      return {
        kind: 'bad-mapping',
        zh: `工作表 ${dest.sheetId} 不存在`,
        en: `Sheet ${dest.sheetId} does not exist`,
      }
    const live = new Set(
      wb
        .sheet(dest.sheetId)
        .columns()
        .map((c) => c.id),
    )
    for (const t of plan.targets)
      if (t.colId && !live.has(t.colId))
        return {
          kind: 'bad-mapping',
          zh: `列“${t.name}”已被删除`,
          en: `Column "${t.name}" was deleted`,
        }
  } else {
    for (const t of plan.targets)
      if (t.colId)
        return {
          kind: 'bad-mapping',
          zh: '新工作表不能映射到已有列',
          en: 'A new sheet has no existing columns',
        }
  }
  return null
}

/**
 * Writes a plan as ONE Yjs transaction with origin `CSV_IMPORT` (rule CSV6): one update on the wire and
 * one undo step. Everything that could fail is checked first; a refusal leaves the state vector
 * unchanged. The CLI uses this; the browser uses `applyImportPlanStaged` for big files.
 */
export function applyImportPlan(
  wb: Workbook,
  dest: ImportDestination,
  plan: ImportPlan,
): ApplyResult {
  const refusal = checkImportPlan(wb, dest, plan)
  if (refusal) return { ok: false, refusal }
  try {
    const report = wb.transact(() => {
      const sheetId = 'sheetId' in dest ? dest.sheetId : wb.addSheet(dest.newSheetName)
      const sheet = wb.sheet(sheetId)
      return writePlan(sheet, plan, (colIds) =>
        sheet.insertRowValues(colIds, addedRowSource(plan.adds)),
      )
    }, CSV_IMPORT)
    return { ok: true, report }
  } catch (e) {
    // Only a broken invariant gets here; the checks above make it unreachable in practice.
    return failed(e)
  }
}

/** Columns, added rows (by `addRows`, given the target column ids) and updated cells; inside the import's transaction. */
function writePlan(
  sheet: Sheet,
  plan: ImportPlan,
  addRows: (colIds: readonly string[]) => string[],
): ImportReport {
  const counts = planCounts(plan)
  const columnsCreated: ImportReport['columnsCreated'] = []
  const colIds = plan.targets.map((t) => {
    if (t.colId) return t.colId
    const colId = sheet.addColumn(t.init!)
    columnsCreated.push({ colId, name: t.name, type: t.type })
    return colId
  })
  const addedRowIds = addRows(colIds)
  const edits: CellEdit[] = []
  let updated = 0
  let vanished = 0
  for (const u of plan.updates) {
    // A row deleted by someone else since planning is skipped, not resurrected.
    if (!sheet.hasRow(u.rowId)) {
      vanished++
      continue
    }
    updated++
    for (const c of u.changes) edits.push({ row: u.rowId, col: colIds[c.target]!, value: c.new })
  }
  sheet.setCells(edits)
  return {
    sheetId: sheet.id,
    added: addedRowIds.length,
    updated,
    unchanged: counts.unchanged,
    skipped: counts.skipped + vanished,
    columnsCreated,
    addedRowIds,
  }
}

/** Options of `applyImportPlanStaged`. */
export interface StagedApplyOptions {
  /** Plans adding fewer rows are applied as one transaction at once (default `STAGE_MIN_ROWS`). */
  minRows?: number
  /** Rows in the first slice; later slices are sized to take about `sliceMs` each. */
  sliceRows?: number
  sliceMs?: number
  /** Upper bound of a slice (default 20,000 rows). */
  maxSliceRows?: number
  /** Runs between slices so the page can paint and take input (default: a macrotask). */
  pause?: () => Promise<void>
  /** Rows written so far, after each slice. */
  onProgress?: (written: number, total: number) => void
  /** Checked before each slice: true stops without publishing (what was staged stays invisible). */
  aborted?: () => boolean
  now?: () => number
}

/** From this many added rows on, the browser stages the import (see `applyImportPlanStaged`). */
export const STAGE_MIN_ROWS = 5000
const SLICE_MIN_ROWS = 500
const SLICE_MAX_ROWS = 20_000

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * Applies a plan without one long task (issue 5: no main-thread task over 200 ms at 100,000 rows):
 * the added rows are written in slices of ~`sliceMs` each, as invisible staged records (a batch with
 * no `batches` entry; a new sheet marked staged), each slice its own small transaction outside the
 * undo scope. Then ONE transaction with origin `CSV_IMPORT` publishes them (the batch entry, new
 * columns, the sheet, updated cells): that transaction is the import for every view, export,
 * replica and the undo stack (rule CSV6). Refusals are checked before the first slice and leave the
 * state vector unchanged; a tab closed while slices are written leaves staged rows no view shows.
 */
export async function applyImportPlanStaged(
  wb: Workbook,
  dest: ImportDestination,
  plan: ImportPlan,
  opts: StagedApplyOptions = {},
): Promise<ApplyResult> {
  if (plan.adds.count < (opts.minRows ?? STAGE_MIN_ROWS)) return applyImportPlan(wb, dest, plan)
  const refusal = checkImportPlan(wb, dest, plan)
  if (refusal) return { ok: false, refusal }
  const now = opts.now ?? (() => performance.now())
  const pause = opts.pause ?? macrotask
  const sliceMs = opts.sliceMs ?? 40
  try {
    const newSheet = !('sheetId' in dest)
    const sheetId = 'sheetId' in dest ? dest.sheetId : wb.addStagedSheet(dest.newSheetName)
    const sheet = wb.sheet(sheetId)
    const values = addedRowSource(plan.adds)
    const staged: StagedInsert = sheet.beginStagedInsert(values, plan.targets.length)
    const maxRows = opts.maxSliceRows ?? SLICE_MAX_ROWS
    const minRows = Math.min(SLICE_MIN_ROWS, maxRows)
    let n = Math.min(opts.sliceRows ?? 2000, maxRows)
    while (staged.written < staged.total) {
      if (opts.aborted?.()) return { ok: false, refusal: { kind: 'cancelled' } }
      const t0 = now()
      sheet.stageRows(staged, values, n)
      // Size the next slice to take about `sliceMs` (encoding and sending included: the update
      // listeners run inside the transaction).
      // At most twice the last slice: a slice measured while the tab was fast (or timed at the
      // clock's 1 ms floor) must not size a 10× bigger one that then meets a collection or a busy
      // machine in one task (issue #15: a 870 ms task seen at load 13–16).
      const dt = Math.max(now() - t0, 1)
      n = Math.max(minRows, Math.min(maxRows, 2 * n, Math.round((n * sliceMs) / dt)))
      opts.onProgress?.(staged.written, staged.total)
      await pause()
    }
    if (opts.aborted?.()) return { ok: false, refusal: { kind: 'cancelled' } }
    // A new sheet's rows are indexed when it is first read, not revealed inside the publish (the
    // handle `sheet` then only writes: columns and the batch entry; a new sheet has no updates).
    if (newSheet) wb.detachStagedSheet(sheetId)
    const report = wb.transact(() => {
      if (newSheet) wb.publishSheet(sheetId)
      return writePlan(sheet, plan, (colIds) => sheet.publishStaged(staged, colIds))
    }, CSV_IMPORT)
    return { ok: true, report }
  } catch (e) {
    return failed(e)
  }
}
