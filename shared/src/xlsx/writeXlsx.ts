import type * as XLSX from '@e965/xlsx'
import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { DEFAULT_COLUMN_WIDTH } from '../schema/columnTypes.js'
import { formatValue, isIsoDate } from '../schema/values.js'
import { XlsxBookWriter, type XlsxExportResult } from './bookWriter.js'
import { summarySheets } from './summarySheets.js'
import { sliceOfCells, type XlsxSlice, XlsxSliceBuilder } from './xlsxSlice.js'

/** One sheet of an export: which rows (the grid's filtered, sorted view) and columns, in order. */
export interface XlsxSheetSelection {
  sheetId: string
  rowIds?: readonly string[]
  columnIds?: readonly string[]
}

export interface XlsxExportOptions {
  /** Sheets to write, one worksheet each, in this order. Default: every sheet of the workbook. */
  sheets?: readonly XlsxSheetSelection[]
  /** A title row above the header (the workbook title and the sheet name), merged across. */
  titleRow?: boolean
  /**
   * Also one worksheet per stored summary and cross-tab, computed now (issue 14's summaries).
   * Default: true when every sheet is exported (no `sheets`), false otherwise.
   */
  summaries?: boolean
  /** Booleans and reference labels need no locale; kept for symmetry with the CSV export. */
  locale?: 'zh-CN' | 'en'
}

/** The number format each column type is written with (issue #15 §2). */
export function xlsxNumberFormat(col: Pick<Column, 'type' | 'format'>): string | undefined {
  const d = col.format.decimals
  const frac = (n: number) => (n > 0 ? `.${'0'.repeat(n)}` : '')
  switch (col.type) {
    case 'integer':
      return '#,##0'
    case 'number':
      return d === undefined ? 'General' : `#,##0${frac(d)}`
    case 'percent':
      return `0${frac(d ?? 1)}%`
    case 'money':
      return col.format.unit === '万元' ? `0${frac(d ?? 2)}"万元"` : `#,##0${frac(d ?? 2)}"元"`
    case 'date':
      return 'yyyy-mm-dd'
    default:
      return undefined
  }
}

const DAY_MS = 86_400_000
/** Days from Excel's day 0 (1899-12-30 once the fake 1900-02-29 is counted) to 1970-01-01. */
const EPOCH_1970 = 25_569

/**
 * The Excel serial (1900 system) of an ISO date. Excel counts the nonexistent 1900-02-29 as day 60,
 * so dates before 1900-03-01 are one day lower than the count from 1899-12-30.
 */
export function isoDateToSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const serial = Date.UTC(y, m - 1, d) / DAY_MS + EPOCH_1970
  return serial < 61 ? serial - 1 : serial
}

/** Excel's sheet-name rules: at most 31 characters, none of `[]:*?/\`, unique ignoring case. */
function sheetName(name: string, taken: Set<string>): string {
  const base = (name.replace(/[[\]:*?/\\]/g, '_').trim() || 'Sheet').slice(0, 31)
  let out = base
  for (let k = 2; taken.has(out.toLowerCase()); k++) {
    const suffix = ` (${k})`
    out = base.slice(0, 31 - suffix.length) + suffix
  }
  taken.add(out.toLowerCase())
  return out
}

/** Writes one value into a slice as its typed cell, or nothing for an empty value. */
function putCell(
  b: XlsxSliceBuilder,
  row: number,
  c: number,
  value: CellValue | undefined,
  col: Column,
  z: string | undefined,
  label: ((rowId: string) => string | undefined) | undefined,
): void {
  if (value === null || value === undefined || value === '') return
  // Text is always a string cell (t: 's', no `f`): `=SUM(…)` typed into a note stays text.
  if (typeof value === 'string') {
    if (col.type === 'date' && isIsoDate(value)) b.number(row, c, isoDateToSerial(value), z)
    else if (col.type === 'reference')
      b.text(row, c, formatValue(value, col, label ? { referenceLabel: label } : {}))
    // Anything else (a no-data marker or a misfit kept in a figure column too) is text as written.
    else b.text(row, c, value)
  } else if (typeof value === 'boolean') b.bool(row, c, value)
  else b.number(row, c, value, z)
}

/** One worksheet to write: its name, header, widths and rows of cells (data only: crosses to a worker). */
export interface XlsxSheetInput {
  name: string
  header: string[]
  /** Column widths in CSS pixels. */
  widths: number[]
  rows: (XLSX.CellObject | undefined)[][]
}

/** Everything `writeXlsxBook` needs; plain data, so the main thread can hand it to a worker. */
export interface XlsxBookInput {
  title: string
  titleRow: boolean
  sheets: XlsxSheetInput[]
}

/**
 * A worksheet of the export as the main thread reads it: header and widths at once, the cells of
 * rows `from` to `to` on demand in compact columns (`xlsxSlice.ts`), so a big sheet can be read in
 * slices between which the page paints, and each slice handed to the export worker without a copy.
 */
export interface XlsxSheetPart {
  name: string
  header: string[]
  widths: number[]
  rowCount: number
  slice(from: number, to: number): XlsxSlice
}

/**
 * The worksheets an export writes (issue #15 §2): one per selected sheet (all by default), typed
 * cells with the column's number format (text is never a formula), and, for a whole-workbook
 * export, one per stored summary and cross-tab. Names are made Excel-safe and unique.
 */
export function xlsxSheetParts(wb: Workbook, options: XlsxExportOptions = {}): XlsxSheetPart[] {
  const selections: readonly XlsxSheetSelection[] =
    options.sheets ?? wb.listSheets().map((s) => ({ sheetId: s.id }))
  const taken = new Set<string>()
  const parts: XlsxSheetPart[] = []
  for (const sel of selections) {
    const sheet = wb.sheet(sel.sheetId)
    const all = sheet.columns()
    const cols = sel.columnIds
      ? sel.columnIds.map((id) => all.find((c) => c.id === id)).filter((c): c is Column => !!c)
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
    const formats = cols.map(xlsxNumberFormat)
    const ids = (sel.rowIds ?? sheet.rowIds()).filter((id) => sheet.hasRow(id))
    parts.push({
      name: sheetName(sheet.name, taken),
      header: cols.map((c) => c.name),
      widths: cols.map((c) => c.width || DEFAULT_COLUMN_WIDTH),
      rowCount: ids.length,
      slice(from, to) {
        const end = Math.min(to, ids.length)
        const b = new XlsxSliceBuilder(Math.max(0, end - from), cols.length)
        for (let r = from; r < end; r++) {
          const cells = sheet.getRow(ids[r]!)?.cells ?? {}
          for (let i = 0; i < cols.length; i++)
            putCell(b, r - from, i, cells[cols[i]!.id], cols[i]!, formats[i], labels[i])
        }
        return b.done()
      },
    })
  }
  if (options.summaries ?? !options.sheets)
    for (const sum of summarySheets(wb, options.locale ?? 'zh-CN'))
      parts.push({
        name: sheetName(sum.title, taken),
        header: sum.header,
        widths: sum.header.map(() => DEFAULT_COLUMN_WIDTH),
        rowCount: sum.rows.length,
        slice: (from, to) => sliceOfCells(sum.rows.slice(from, to), sum.header.length),
      })
  return parts
}

/** Rows per slice when a whole sheet is written on one thread (bounds the slice's buffers). */
const ONE_THREAD_SLICE = 5000

/**
 * Writes sheets as an .xlsx (issue #15 §2): `xlsxSheetParts` read slice by slice into one
 * `XlsxBookWriter`. The web app does the same in two halves: slices read on the main thread, the
 * writer in a worker.
 */
export async function exportXlsx(
  wb: Workbook,
  options: XlsxExportOptions = {},
): Promise<XlsxExportResult> {
  const writer = new XlsxBookWriter(wb.meta().title, options.titleRow === true)
  for (const p of xlsxSheetParts(wb, options)) {
    writer.startSheet(p)
    for (let from = 0; from < p.rowCount; from += ONE_THREAD_SLICE)
      writer.rows(p.slice(from, from + ONE_THREAD_SLICE))
  }
  return writer.finish()
}

/**
 * The .xlsx bytes of `input` (rows of SheetJS-style cells): the header row frozen, an autofilter
 * over the table, the widths, an optional title row merged above the header, the workbook title
 * in the document properties.
 */
export async function writeXlsxBook(input: XlsxBookInput): Promise<XlsxExportResult> {
  const writer = new XlsxBookWriter(input.title, input.titleRow)
  for (const sheet of input.sheets) {
    writer.startSheet({ ...sheet, rowCount: sheet.rows.length })
    if (sheet.rows.length > 0) writer.rows(sliceOfCells(sheet.rows, sheet.header.length))
  }
  return writer.finish()
}
