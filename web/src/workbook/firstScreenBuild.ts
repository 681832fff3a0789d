/**
 * What a workbook's first screen shows, for the first-screen cache (`doc/firstScreen.ts`): the
 * sheet a view opens on (the first tab), its columns, and its first rows with the values the grid
 * renders (reference cells show the referenced row's label, so that is kept too).
 */
import type { RowView, Workbook } from '@taizhang/shared'
import { FIRST_SCREEN_ROWS, type FirstScreenBody, refLabelKey } from '../doc/firstScreen'
import { referenceLabel } from '../grid/makeSheetGrid'

export function buildFirstScreen(
  workbook: Workbook,
  maxRows = FIRST_SCREEN_ROWS,
): FirstScreenBody | null {
  const sheets = workbook.listSheets()
  const first = sheets[0]
  if (!first || !workbook.hasSheet(first.id)) return null
  const sheet = workbook.sheet(first.id)
  const columns = sheet.columns()
  const rows: RowView[] = []
  const ids = sheet.rowIds()
  for (const id of ids.slice(0, maxRows)) {
    const row = sheet.getRow(id)
    if (row) rows.push(row)
  }
  const refLabels: Record<string, string> = {}
  for (const col of columns) {
    if (col.type !== 'reference') continue
    for (const row of rows) {
      const v = row.cells[col.id]
      if (typeof v !== 'string') continue
      const label = referenceLabel(workbook, col, v)
      if (label !== undefined) refLabels[refLabelKey(col.id, v)] = label
    }
  }
  return {
    title: workbook.meta().title,
    sheets: sheets.map((s) => ({ id: s.id, name: s.name })),
    sheetId: first.id,
    columns,
    rows,
    rowCount: ids.length,
    refLabels,
    sort: null,
    filter: null,
  }
}
