import type { EditEntry, Workbook, WorkbookConflict } from '@taizhang/shared'

/** An edit as the API shows it (the author is the name the edit log recorded). */
function apiEdit(e: EditEntry | null) {
  if (!e) return null
  return { value: e.value, by: e.by, at: new Date(e.at).toISOString(), how: e.how }
}

/**
 * `GET /api/workbooks/<id>/conflicts` (issue 13 §5): every unsettled conflict of the workbook's
 * live sheets, as the 冲突 inbox lists them — sheet, row, column, kind, the current (winning) value
 * and the losing one with author and time. `?all=1` includes settled ones with their settlements.
 */
export function listConflicts(wb: Workbook, all: boolean) {
  const names = new Map(wb.listSheets().map((s) => [s.id, s.name]))
  const columnName = (sheetId: string, colId: string) =>
    wb
      .sheet(sheetId)
      .columns()
      .find((c) => c.id === colId)?.name ?? null
  const list: WorkbookConflict[] = all ? wb.history.conflicts() : wb.history.unsettled()
  return {
    conflicts: list.map((c) => ({
      id: c.id,
      kind: c.kind,
      sheet: { id: c.sheetId, name: names.get(c.sheetId) ?? null },
      rowId: c.rowId,
      column: { id: c.colId, name: columnName(c.sheetId, c.colId) },
      current: c.kind === 'concurrent-edit' ? apiEdit(c.winner) : null,
      lost: apiEdit(c.lost),
      ...(c.kind !== 'concurrent-edit'
        ? { deletedBy: c.deletedBy, deletedAt: new Date(c.deletedAt).toISOString() }
        : {}),
      settlements: c.settlements.map((s) => ({
        action: s.action,
        by: s.by,
        at: new Date(s.at).toISOString(),
      })),
    })),
  }
}
