import type { CellValue } from '../schema/columnTypes.js'
import type { AddedRows, CellChange, ImportPlan } from './importPlanTypes.js'
import { CSV_PREVIEW_ROWS } from './limits.js'

/** Reading an import plan: added rows' values, the summary counts, the preview (rule CSV5). */

/** The value of added row `row` in target `col`. */
export function addedValue(adds: AddedRows, row: number, col: number): CellValue {
  const c = adds.columns[col]!
  if (c.kind === 'dict') return c.values[c.codes[row]!] ?? null
  if (c.kind === 'numbers') {
    const x = c.values[row]!
    return Number.isNaN(x) ? null : x
  }
  return c.values[row] ?? null
}

/** Added row `row` as a value array aligned with the targets (previews, tests). */
export function addedRow(adds: AddedRows, row: number): CellValue[] {
  const out: CellValue[] = []
  for (let c = 0; c < adds.columns.length; c++) out.push(addedValue(adds, row, c))
  return out
}

/** Counts for the summary line: 新增 / 更新 / 未变 / 跳过. */
export function planCounts(plan: ImportPlan): {
  added: number
  updated: number
  unchanged: number
  skipped: number
} {
  return {
    added: plan.adds.count,
    updated: plan.updates.length,
    unchanged: plan.unchanged,
    skipped: plan.skipped.reduce((n, s) => n + s.count, 0),
  }
}

/** The first rows as they will land (rule CSV5): added rows' values and updated rows' old → new. */
export function previewPlan(
  plan: ImportPlan,
  limit = CSV_PREVIEW_ROWS,
): (
  | { kind: 'add'; line: number; values: CellValue[] }
  | { kind: 'update'; line: number; rowId: string; changes: CellChange[]; values: CellValue[] }
)[] {
  const out: ReturnType<typeof previewPlan> = []
  let a = 0
  let u = 0
  const adds = plan.adds
  while (out.length < limit && (a < adds.count || u < plan.updates.length)) {
    const upd = plan.updates[u]
    if (a < adds.count && (!upd || adds.lines[a]! <= upd.line)) {
      out.push({ kind: 'add', line: adds.lines[a]!, values: addedRow(adds, a) })
      a++
    } else if (upd) {
      out.push({
        kind: 'update',
        line: upd.line,
        rowId: upd.rowId,
        changes: upd.changes,
        values: upd.values,
      })
      u++
    }
  }
  return out
}
