import * as XLSX from '@e965/xlsx'
import type { Workbook } from '../model/workbook.js'
import type { CellValue, Column } from '../schema/columnTypes.js'
import { DEFAULT_COLUMN_WIDTH } from '../schema/columnTypes.js'
import { formatValue, isIsoDate } from '../schema/values.js'
import { summarySheets } from './summarySheets.js'
import { repackZip } from './zipWrite.js'

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

export interface XlsxExportResult {
  bytes: Uint8Array
  sheets: { name: string; rows: number; columns: number }[]
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

function cellFor(
  value: CellValue | undefined,
  col: Column,
  z: string | undefined,
  label: ((rowId: string) => string | undefined) | undefined,
): XLSX.CellObject | undefined {
  if (value === null || value === undefined || value === '') return undefined
  // Text is always a string cell (t: 's', no `f`): `=SUM(…)` typed into a note stays text.
  if (typeof value === 'string') {
    if (col.type === 'date' && isIsoDate(value)) return { t: 'n', v: isoDateToSerial(value), z: z! }
    if (col.type === 'reference') {
      const shown = formatValue(value, col, label ? { referenceLabel: label } : {})
      return { t: 's', v: shown }
    }
    // Anything else (a no-data marker or a misfit kept in a figure column too) is text as written.
    return { t: 's', v: value }
  }
  if (typeof value === 'boolean') return { t: 'b', v: value }
  if (z) return { t: 'n', v: value, z }
  return { t: 'n', v: value }
}

/** Excel column letters of a 0-based index. */
function colName(c: number): string {
  return XLSX.utils.encode_col(c)
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
 * rows `from` to `to` on demand, so a big sheet can be read in slices between which the page paints.
 */
export interface XlsxSheetPart {
  name: string
  header: string[]
  widths: number[]
  rowCount: number
  cells(from: number, to: number): (XLSX.CellObject | undefined)[][]
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
      cells(from, to) {
        const out: (XLSX.CellObject | undefined)[][] = []
        for (let r = from; r < Math.min(to, ids.length); r++) {
          const cells = sheet.getRow(ids[r]!)?.cells ?? {}
          const line: (XLSX.CellObject | undefined)[] = new Array(cols.length)
          for (let i = 0; i < cols.length; i++)
            line[i] = cellFor(cells[cols[i]!.id], cols[i]!, formats[i], labels[i])
          out.push(line)
        }
        return out
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
        cells: (from, to) => sum.rows.slice(from, to),
      })
  return parts
}

/**
 * Writes sheets as an .xlsx (issue #15 §2): `xlsxSheetParts` read at once, then `writeXlsxBook`.
 * The web app does the same in two halves: slices read on the main thread, the write in a worker.
 */
export async function exportXlsx(
  wb: Workbook,
  options: XlsxExportOptions = {},
): Promise<XlsxExportResult> {
  const parts = xlsxSheetParts(wb, options)
  return writeXlsxBook({
    title: wb.meta().title,
    titleRow: options.titleRow === true,
    sheets: parts.map((p) => ({
      name: p.name,
      header: p.header,
      widths: p.widths,
      rows: p.cells(0, p.rowCount),
    })),
  })
}

/**
 * The .xlsx bytes of `input`: the header row frozen, an autofilter over the table, the widths, an
 * optional title row merged above the header, the workbook title in the document properties.
 */
export async function writeXlsxBook(input: XlsxBookInput): Promise<XlsxExportResult> {
  const book = XLSX.utils.book_new()
  const title = input.title
  book.Props = { Title: title || 'Taizhang' }
  const written: XlsxExportResult['sheets'] = []
  const headerRowOf: number[] = []
  const top = input.titleRow ? 1 : 0
  for (const sheet of input.sheets) {
    const data: (XLSX.CellObject | undefined)[][] = []
    if (input.titleRow) data.push([{ t: 's', v: title ? `${title} · ${sheet.name}` : sheet.name }])
    data.push(sheet.header.map((h) => ({ t: 's', v: h })))
    for (const r of sheet.rows) data.push(r)
    const rows = sheet.rows.length
    const n = sheet.header.length
    const ws: XLSX.WorkSheet = { '!data': data } as XLSX.WorkSheet
    const lastCol = Math.max(0, n - 1)
    ws['!ref'] = `A1:${colName(lastCol)}${top + 1 + rows}`
    ws['!cols'] = sheet.widths.map((wpx) => ({ wpx }))
    if (n > 0) ws['!autofilter'] = { ref: `A${top + 1}:${colName(lastCol)}${top + 1 + rows}` }
    if (input.titleRow && n > 1) ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: lastCol } }]
    XLSX.utils.book_append_sheet(book, ws, sheet.name)
    written.push({ name: sheet.name, rows, columns: n })
    headerRowOf.push(top + 1)
  }
  const stored = new Uint8Array(
    XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: false }) as ArrayBuffer,
  )
  // Freeze the header: SheetJS's community build writes `<sheetView workbookViewId="0"/>` and no
  // panes, so each sheet's view gets its frozen pane here (zipWrite.ts says why by hand).
  const dec = new TextDecoder()
  const enc = new TextEncoder()
  const bytes = await repackZip(stored, (part, content) => {
    const m = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(part)
    if (!m) return undefined
    const header = headerRowOf[Number(m[1]) - 1]
    if (header === undefined) return undefined
    // The view sits near the start of the part: patch a prefix, keep the rest as bytes.
    const headLen = Math.min(content.length, 4096)
    const head = dec.decode(content.subarray(0, headLen))
    const view = '<sheetView workbookViewId="0"/>'
    const at = head.indexOf(view)
    if (at < 0) return undefined
    const pane = `<sheetView workbookViewId="0"><pane ySplit="${header}" topLeftCell="A${header + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>`
    const before = enc.encode(head.slice(0, at) + pane)
    const afterStart = enc.encode(head.slice(0, at + view.length)).length
    const out = new Uint8Array(before.length + content.length - afterStart)
    out.set(before)
    out.set(content.subarray(afterStart), before.length)
    return out
  })
  return { bytes, sheets: written }
}
