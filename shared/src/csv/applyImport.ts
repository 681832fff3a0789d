import { CSV_IMPORT } from '../model/origins.js'
import type { CellEdit } from '../model/sheet.js'
import type { Workbook } from '../model/workbook.js'
import type { ColumnType } from '../schema/columnTypes.js'
import type { ImportPlan } from './importPlan.js'
import { planCounts } from './importPlan.js'
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
 * Writes a plan as ONE Yjs transaction with origin `CSV_IMPORT` (rule CSV6): one update on the wire and
 * one undo step. Everything that could fail is checked before the transaction starts, because a Yjs
 * transaction cannot be rolled back; a refusal leaves the doc's state vector unchanged.
 */
export function applyImportPlan(
  wb: Workbook,
  dest: ImportDestination,
  plan: ImportPlan,
): ApplyResult {
  if (wb.readOnly) return { ok: false, refusal: { kind: 'read-only' } }
  if (plan.needsDecision)
    return {
      ok: false,
      refusal: { kind: 'misfits', count: plan.misfits.reduce((n, m) => n + m.count, 0) },
    }
  if ('sheetId' in dest) {
    if (!wb.hasSheet(dest.sheetId))
      return {
        ok: false,
        refusal: {
          kind: 'bad-mapping',
          zh: `工作表 ${dest.sheetId} 不存在`,
          en: `Sheet ${dest.sheetId} does not exist`,
        },
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
          ok: false,
          refusal: {
            kind: 'bad-mapping',
            zh: `列“${t.name}”已被删除`,
            en: `Column "${t.name}" was deleted`,
          },
        }
  } else {
    for (const t of plan.targets)
      if (t.colId)
        return {
          ok: false,
          refusal: {
            kind: 'bad-mapping',
            zh: '新工作表不能映射到已有列',
            en: 'A new sheet has no existing columns',
          },
        }
  }
  const counts = planCounts(plan)
  try {
    const report = wb.transact(() => {
      const sheetId = 'sheetId' in dest ? dest.sheetId : wb.addSheet(dest.newSheetName)
      const sheet = wb.sheet(sheetId)
      const columnsCreated: ImportReport['columnsCreated'] = []
      const colIds = plan.targets.map((t) => {
        if (t.colId) return t.colId
        const colId = sheet.addColumn(t.init!)
        columnsCreated.push({ colId, name: t.name, type: t.type })
        return colId
      })
      const addedRowIds = sheet.insertRowValues(
        colIds,
        plan.adds.map((a) => a.values),
      )
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
        for (const c of u.changes)
          edits.push({ row: u.rowId, col: colIds[c.target]!, value: c.new })
      }
      sheet.setCells(edits)
      return {
        sheetId,
        added: addedRowIds.length,
        updated,
        unchanged: counts.unchanged,
        skipped: counts.skipped + vanished,
        columnsCreated,
        addedRowIds,
      }
    }, CSV_IMPORT)
    return { ok: true, report }
  } catch (e) {
    // Only a broken invariant gets here; the checks above make it unreachable in practice.
    return {
      ok: false,
      refusal: { kind: 'failed', detail: e instanceof Error ? e.message : String(e) },
    }
  }
}
