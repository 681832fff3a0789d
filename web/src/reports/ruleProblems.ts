/**
 * Cross-field rule problems and outlier warnings (issue 14) for the workbook's problems panel and
 * the grid's outlines: every sheet's rules checked over its rows, again a moment after any edit or
 * rule change (one pass per sheet with rules; a sheet without rules costs nothing). A row breaking
 * a rule becomes a `Problem` with rule `rule` at the rule's level, placed on the first column the
 * rule reads. On every periodic sheet (one with completeness settings: a station column), each
 * numeric value far outside its station's own history is a `warning` with rule `outlier`
 * (modified z-score, shared/src/expr/outliers.ts): shown, never blocking.
 */
import {
  checkRules,
  compileSource,
  createWorkbookScopes,
  findOutliers,
  isNumericType,
  listCompletenessSettings,
  onDefinitionsChange,
  type Problem,
  type RuleDef,
  readDefinitions,
  type Workbook,
} from '@taizhang/shared'

/** Wait this long after the last change before checking again (a burst of edits checks once). */
export const RULE_CHECK_DELAY_MS = 250

export function makeRuleProblems(
  wb: Workbook,
  onUpdate: (bySheet: ReadonlyMap<string, readonly Problem[]>) => void,
): () => void {
  const scopes = createWorkbookScopes(wb)
  let timer: ReturnType<typeof setTimeout> | null = null
  let had = false
  const run = () => {
    timer = null
    const bySheet = new Map<string, Problem[]>()
    const rules = readDefinitions<RuleDef>(wb, 'rule')
    for (const sheetId of new Set(rules.map(([, r]) => r.sheetId))) {
      const scope = scopes.scope(sheetId)
      if (!scope) continue
      const own = rules.filter(([, r]) => r.sheetId === sheetId)
      const firstCol = new Map(
        own.map(([id, r]) => {
          const c = compileSource(r.expr, scope)
          return [
            id,
            (c.ok && [...c.compiled.reads][0]) || scope.sheet.columns()[0]?.id || '',
          ] as const
        }),
      )
      const { problems } = checkRules(own, scope, scope.sheet.rowIds())
      if (problems.length === 0) continue
      bySheet.set(
        sheetId,
        problems.map((p) => ({
          rowId: p.rowId,
          colId: firstCol.get(p.ruleId) ?? '',
          rule: 'rule',
          level: p.level,
          message: p.message,
        })),
      )
    }
    for (const settings of listCompletenessSettings(wb)) {
      const list = outlierProblems(wb, settings.sheetId, settings.stationColumn)
      if (list.length > 0)
        bySheet.set(settings.sheetId, [...(bySheet.get(settings.sheetId) ?? []), ...list])
    }
    if (bySheet.size > 0 || had) onUpdate(bySheet)
    had = bySheet.size > 0
  }
  const schedule = () => {
    if (timer === null) timer = setTimeout(run, RULE_CHECK_DELAY_MS)
  }
  const offData = wb.onChange(schedule)
  const offDefs = onDefinitionsChange(wb, schedule)
  schedule()
  return () => {
    if (timer !== null) clearTimeout(timer)
    offData()
    offDefs()
    scopes.dispose()
  }
}

/** Outlier warnings of one periodic sheet: every numeric column, grouped by station. */
function outlierProblems(wb: Workbook, sheetId: string, stationColumn: string): Problem[] {
  if (!wb.hasSheet(sheetId)) return []
  const sheet = wb.sheet(sheetId)
  if (!sheet.column(stationColumn)) return []
  const rows = sheet.rowIds()
  const out: Problem[] = []
  for (const col of sheet.columns()) {
    if (!isNumericType(col.type)) continue
    for (const o of findOutliers(
      rows,
      (id) => sheet.getCell(id, stationColumn),
      (id) => sheet.getCell(id, col.id),
      col.name,
    ))
      out.push({
        rowId: o.rowId,
        colId: col.id,
        rule: 'outlier',
        level: 'warning',
        message: o.message,
      })
  }
  return out
}

/** Constraint problems and rule problems together, per sheet. */
export function mergeProblems(
  a: ReadonlyMap<string, readonly Problem[]>,
  b: ReadonlyMap<string, readonly Problem[]>,
): ReadonlyMap<string, readonly Problem[]> {
  if (b.size === 0) return a
  const out = new Map(a)
  for (const [sheet, list] of b) out.set(sheet, [...(out.get(sheet) ?? []), ...list])
  return out
}
