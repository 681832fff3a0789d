import type { Workbook } from '@taizhang/shared'
import { t } from '../i18n'

/**
 * Adds a sheet that is ready to type into: a name, a date, a quantity and notes column (a
 * ledger's usual first four), in one transaction so it is one undo step and other users never
 * see the sheet without its columns. Column names follow the UI language at creation.
 */
export function addBlankSheet(wb: Workbook, name: string): string {
  return wb.transact(() => {
    const id = wb.addSheet(name)
    const sheet = wb.sheet(id)
    sheet.addColumn({ name: t('blank.colName'), type: 'text', width: 180 })
    sheet.addColumn({ name: t('blank.colDate'), type: 'date', width: 120 })
    sheet.addColumn({ name: t('blank.colQuantity'), type: 'number', width: 100 })
    sheet.addColumn({ name: t('blank.colNote'), type: 'text', width: 220 })
    return id
  })
}
