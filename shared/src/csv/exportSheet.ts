import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { formatValue } from '../schema/values.js'
import type { CsvExportEncoding } from './encodings.js'
import { neutraliseFormula } from './formula.js'
import { isNoDataMarker, keepsNoDataMarkers } from './noData.js'
import { CsvByteWriter, CsvTextBuilder, csvField, writeCsvText } from './writeCsv.js'

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
  // A no-data marker kept in a figure column goes back as it came (rule CSV12; a lone `-` is no
  // formula to Excel, WPS or Calc). In a text column it is text like any other.
  if (keepsNoDataMarkers(col.type) && isNoDataMarker(value)) return value
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

/** Columns, reference labels, header and row views of an export. */
function prepareExport(wb: Workbook, sheetId: string, options: ExportOptions) {
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
  // Rows are read one at a time (getRow) rather than all at once (readRows), so each row's cells can
  // be collected as soon as its line is written.
  const ids = options.rowIds ?? sheet.rowIds()
  return { sheet, cols, labels, header, ids }
}

/** The header and rows of a sheet as CSV strings, before encoding. */
export function exportSheetRows(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions = {},
): { header: string[]; rows: string[][] } {
  const { sheet, cols, labels, header, ids } = prepareExport(wb, sheetId, options)
  const rows: string[][] = []
  for (const id of ids) {
    const cells = sheet.getRow(id)?.cells
    if (cells) rows.push(cols.map((c, i) => cellText(cells[c.id], c, options, labels[i])))
  }
  return { header, rows }
}

/** Characters of CSV text handed to the encoder at a time by `exportSheetCsv`. */
const ENCODE_CHARS = 1 << 16

/**
 * Writes the sheet's CSV text line by line (no table of strings in between), handing it to `emit` in
 * pieces of about `pieceChars` characters that end at line ends (Infinity: one piece).
 */
function writeSheet(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions,
  pieceChars: number,
  emit: (text: string) => void,
): { rows: number; columns: number } {
  const { sheet, cols, labels, header, ids } = prepareExport(wb, sheetId, options)
  const n = cols.length
  if (n === 0) {
    const empty = ids.filter((id) => sheet.hasRow(id)).map(() => [])
    emit(writeCsvText(header, empty))
    return { rows: empty.length, columns: 0 }
  }
  const out = new CsvTextBuilder(header)
  let rows = 0
  for (const id of ids) {
    const cells = sheet.getRow(id)?.cells
    if (!cells) continue
    rows++
    let line = ''
    for (let i = 0; i < n; i++) {
      const c = cols[i]!
      const field = csvField(cellText(cells[c.id], c, options, labels[i]))
      line = i === 0 ? field : line + ',' + field
    }
    out.addLine(line)
    if (out.pending >= pieceChars) emit(out.take())
  }
  emit(out.finish())
  return { rows, columns: n }
}

/** The sheet as CSV text: `writeCsvText(exportSheetRows(…))`, without the table of strings. */
export function exportSheetText(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions = {},
): { text: string; rows: number; columns: number } {
  let text = ''
  const counts = writeSheet(wb, sheetId, options, Number.POSITIVE_INFINITY, (t) => {
    text += t
  })
  return { text, ...counts }
}

/**
 * Exports a sheet as CSV bytes (rule CSV8): UTF-8 with BOM by default or GB18030, CRLF, the column
 * names as shown, values formatted per type, formula-like text neutralised. The text is encoded in
 * pieces as it is written, so the file never exists as one string.
 */
export function exportSheetCsv(
  wb: Workbook,
  sheetId: string,
  options: ExportOptions = {},
): ExportResult {
  const bytes = new CsvByteWriter({
    encoding: options.encoding ?? 'utf-8',
    ...(options.bom === undefined ? {} : { bom: options.bom }),
  })
  const { rows, columns } = writeSheet(wb, sheetId, options, ENCODE_CHARS, (t) => bytes.write(t))
  const encoded = bytes.finish()
  return { bytes: encoded.bytes, rows, columns, unmappable: encoded.unmappable }
}
