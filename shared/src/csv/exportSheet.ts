import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { formatValue } from '../schema/values.js'
import type { CsvExportEncoding } from './encodings.js'
import { neutraliseFormula } from './formula.js'
import { encodeCsvText, writeCsvText } from './writeCsv.js'

export interface ExportOptions {
  /** Rows to write, in this order: the grid's filtered and sorted view. Default: every row. */
  rowIds?: readonly string[]
  /** Columns to write, in this order. Default: every column as the sheet orders them. */
  columnIds?: readonly string[]
  encoding?: CsvExportEncoding
  /** UTF-8 only; default true. */
  bom?: boolean
  /** Percent cells as `63.7%` (default) or as the stored fraction `0.637`. */
  percentStyle?: 'percent' | 'number'
  /** Booleans as 是/否 (default) or Yes/No. */
  locale?: 'zh-CN' | 'en'
}

export interface ExportResult {
  bytes: Uint8Array
  rows: number
  columns: number
  /** Characters GB18030 could not represent (written as `?`). */
  unmappable: number
}

/** Formats one cell for CSV (rules CSV8, CSV9): numbers stay plain numbers, text is neutralised. */
function cellText(
  value: CellValue | undefined,
  col: Column,
  options: ExportOptions,
  label: ((rowId: string) => string | undefined) | undefined,
): string {
  if (value === null || value === undefined) return ''
  switch (col.type) {
    case 'number':
    case 'integer':
    case 'money':
      // Full precision, no thousands separators or unit: Excel reads it as a number, -5 stays -5.
      // Safe integers take a fast path; exportSheet.test.ts checks it agrees with formatValue.
      if (Number.isSafeInteger(value)) return String(value)
      return typeof value === 'number'
        ? formatValue(value, col, { forEdit: true })
        : neutraliseFormula(String(value))
    case 'percent':
      return typeof value === 'number'
        ? formatValue(value, col, {
            forEdit: true,
            percentStyle: options.percentStyle ?? 'percent',
          })
        : neutraliseFormula(String(value))
    case 'date':
      return typeof value === 'string' ? neutraliseFormula(value) : String(value)
    case 'boolean':
      return typeof value === 'boolean'
        ? formatValue(value, col, { locale: options.locale ?? 'zh-CN' })
        : neutraliseFormula(String(value))
    case 'reference': {
      const opts = label ? { referenceLabel: label } : {}
      return neutraliseFormula(formatValue(value, col, opts))
    }
    case 'text':
    case 'enum':
      return neutraliseFormula(String(value))
    default:
      return neutraliseFormula(String(value))
  }
}

/** The header and rows of a sheet as CSV strings, before encoding. */
export function exportSheetRows(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions = {},
): { header: string[]; rows: string[][] } {
  const sheet = wb.sheet(sheetId)
  const all = sheet.columns()
  const cols = options.columnIds
    ? options.columnIds.map((id) => all.find((c) => c.id === id)).filter((c): c is Column => !!c)
    : all
  const labels = cols.map((c) => {
    if (c.type !== 'reference' || !c.format.refSheet || !c.format.refColumn) return undefined
    if (!wb.hasSheet(c.format.refSheet)) return undefined
    const ref = wb.sheet(c.format.refSheet)
    const refCol = c.format.refColumn
    return (rowId: string) => {
      const v = ref.getCell(rowId, refCol)
      return v === null ? undefined : String(v)
    }
  })
  const header = cols.map((c) => neutraliseFormula(c.name))
  const views = options.rowIds
    ? options.rowIds.map((id) => sheet.getRow(id)).filter((r) => r !== undefined)
    : sheet.readRows()
  const rows = views.map((r) => cols.map((c, i) => cellText(r.cells[c.id], c, options, labels[i])))
  return { header, rows }
}

/**
 * Exports a sheet as CSV bytes (rule CSV8): UTF-8 with BOM by default or GB18030, CRLF, the column
 * names as shown, values formatted per type, formula-like text neutralised.
 */
export function exportSheetCsv(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions = {},
): ExportResult {
  const { header, rows } = exportSheetRows(wb, sheetId, options)
  const text = writeCsvText(header, rows)
  const encoded = encodeCsvText(text, {
    encoding: options.encoding ?? 'utf-8',
    ...(options.bom === undefined ? {} : { bom: options.bom }),
  })
  return {
    bytes: encoded.bytes,
    rows: rows.length,
    columns: header.length,
    unmappable: encoded.unmappable,
  }
}
