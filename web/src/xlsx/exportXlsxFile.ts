import type { Workbook } from '@taizhang/shared'
import { downloadBytes } from '../csv/download'

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** A file name Windows accepts, with the .xlsx extension. */
export function xlsxFileName(name: string): string {
  return `${name.replace(/[\\/:*?"<>|]+/g, '_').trim() || 'workbook'}.xlsx`
}

/**
 * Writes and downloads an .xlsx (issue #15 §2). The writer (SheetJS) is imported here, on first
 * use, so the app's entry chunk does not carry it.
 */
export async function downloadXlsx(
  wb: Workbook,
  opts: {
    /** One sheet (with the grid's filtered, sorted rows when given) or, when absent, every sheet. */
    sheet?: { sheetId: string; rowIds?: readonly string[] }
    titleRow: boolean
    fileName: string
  },
): Promise<{ sheets: number; bytes: number }> {
  const { exportXlsx } = await import('@taizhang/shared/xlsx')
  const result = await exportXlsx(wb, {
    ...(opts.sheet ? { sheets: [opts.sheet] } : {}),
    titleRow: opts.titleRow,
  })
  downloadBytes(result.bytes, xlsxFileName(opts.fileName), XLSX_MIME)
  return { sheets: result.sheets.length, bytes: result.bytes.length }
}
