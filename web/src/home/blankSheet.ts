import type { Workbook } from '@taizhang/shared'
import { t } from '../i18n'
import { en } from '../i18n/en'
import { zhCN } from '../i18n/zh-CN'

type BlankKey = 'blank.colName' | 'blank.colDate' | 'blank.colQuantity' | 'blank.colNote'

/** The typed columns a new sheet starts with: a ledger's usual first four. */
const BLANK_COLUMNS: { key: BlankKey; type: 'text' | 'date' | 'number'; width: number }[] = [
  { key: 'blank.colName', type: 'text', width: 180 },
  { key: 'blank.colDate', type: 'date', width: 120 },
  { key: 'blank.colQuantity', type: 'number', width: 100 },
  { key: 'blank.colNote', type: 'text', width: 220 },
]

/**
 * Adds a sheet that is ready to type into: a name, a date, a quantity and notes column (a
 * ledger's usual first four), in one transaction so it is one undo step and other users never
 * see the sheet without its columns. Column names follow the UI language at creation.
 */
export function addBlankSheet(wb: Workbook, name: string): string {
  return wb.transact(() => {
    const id = wb.addSheet(name)
    const sheet = wb.sheet(id)
    for (const c of BLANK_COLUMNS) sheet.addColumn({ name: t(c.key), type: c.type, width: c.width })
    return id
  })
}

/** What a new blank workbook holds: one such sheet (issue #12). */
export function fillBlankWorkbook(wb: Workbook): string {
  return addBlankSheet(wb, t('blank.sheetName'))
}

/**
 * A sheet as `addBlankSheet` made it and nobody has touched: no rows (nor deleted ones), exactly the
 * four default columns (in either UI language), none renamed, retyped, resized, reformatted or
 * deleted. Importing into a workbook whose sheet is pristine replaces that sheet.
 */
export function isPristineSheet(wb: Workbook, sheetId: string | null): boolean {
  if (!sheetId || !wb.hasSheet(sheetId)) return false
  const sheet = wb.sheet(sheetId)
  if (sheet.rowCount() > 0 || sheet.deletedRows().length > 0) return false
  if (sheet.deletedColumns().length > 0) return false
  const cols = sheet.columns()
  if (cols.length !== BLANK_COLUMNS.length) return false
  return [zhCN, en].some((catalog) =>
    cols.every((c, i) => {
      const want = BLANK_COLUMNS[i]!
      return (
        c.name === catalog[want.key] &&
        c.type === want.type &&
        c.width === want.width &&
        Object.keys(c.format ?? {}).length === 0
      )
    }),
  )
}
