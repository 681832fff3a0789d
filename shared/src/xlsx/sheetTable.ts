import type { CellObject, WorkSheet } from '@e965/xlsx'
import { CsvColumnData } from '../csv/csvColumn.js'
import { protectEscapes } from '../csv/formula.js'
import { makeUniqueHeaders } from '../csv/headers.js'
import type { CsvRefusal, CsvWarning } from '../csv/issues.js'
import { CSV_ISSUE_EXAMPLES } from '../csv/limits.js'
import type { CsvTable } from '../csv/parseCsv.js'
import { tableRows } from '../csv/parseCsv.js'
import { formatValue, type ValueColumn } from '../schema/values.js'
import { XLSX_HEADER_SCAN_ROWS } from './limits.js'
import { decodeRange, isDateFormat, serialToIsoDate, type XlsxBook } from './readXlsx.js'

/** Choices the import dialog (and CLI) offers for one worksheet. */
export interface XlsxSheetOptions {
  /** Keep a trailing 合计/总计 row as data (default false: left out, and said so). */
  includeTotals?: boolean
  /** Merged body cells: repeat the value in every covered cell (default true) or leave them empty. */
  fillMerged?: boolean
}

/** What the reader noticed in a worksheet, for the dialog and the CLI summary. */
export interface XlsxSheetNotes {
  worksheet: string
  /** Text of the title rows above the header (offered as the sheet's name). */
  title?: string
  titleRows: number[]
  /** The header's rows (1-based Excel row numbers); two or more when a merged header was flattened. */
  headerRows: number[]
  /** A trailing 合计/总计 row: its Excel row, its label and whether it was kept. */
  totals?: { line: number; label: string; included: boolean }
  /** Cells holding a formula, imported as the value Excel last computed. */
  formulas: { count: number; examples: { line: number; column: string; formula: string }[] }
  /** Hidden rows (Excel row numbers, first few) and how many; hidden columns by header. */
  hiddenRows: { count: number; lines: number[] }
  hiddenColumns: string[]
  /** Merged ranges in the body and whether their cells were filled. */
  mergedBody: { count: number; filled: boolean }
  date1904: boolean
}

export type XlsxSheetResult =
  | { ok: true; table: CsvTable; notes: XlsxSheetNotes }
  | { ok: false; refusal: CsvRefusal }

const TOTAL_LABEL = /^(合\s*计|总\s*计|共\s*计|总\s*合\s*计|合计数|total|grand total)\s*[:：]?$/i

type FormatKind = 'date' | 'percent' | 'wan' | 'plain'

/** A number format's meaning for import: a date, a percentage, an amount in 万元, or a number. */
function classifyFormat(format: string): FormatKind {
  if (format === 'General' || format === '') return 'plain'
  // Quoted literals and escapes don't make a date or a percentage; 万 in them makes 万元.
  const bare = format.replace(/"[^"]*"|\\./g, '')
  if (/万/.test(format)) return 'wan'
  if (bare.includes('%')) return 'percent'
  if (isDateFormat(format)) return 'date'
  return 'plain'
}

const NUMBER: ValueColumn = { type: 'number', format: {}, constraints: {} }
const PERCENT: ValueColumn = { type: 'percent', format: {}, constraints: {} }

/** A number as the plain decimal text (no exponent) `parseValue` reads back to the same double. */
function plainNumber(v: number): string {
  return formatValue(v, NUMBER, { forEdit: true })
}

/** A fraction as percent text, shifted in decimal (0.637 → `63.7%`, exact: no ×100 rounding). */
function percentText(v: number): string {
  return formatValue(v, PERCENT, { forEdit: true })
}

/**
 * Reads one worksheet into the CSV import's table (strings per column, typed later by the same
 * inference and `parseValue`), with Excel's row numbers as the table's lines. Title rows, a merged
 * multi-row header and a trailing totals row are recognised; numbers with date, percent and 万元
 * formats become text that infers as those types.
 */
export function readWorksheet(
  book: XlsxBook,
  name: string,
  options: XlsxSheetOptions = {},
): XlsxSheetResult {
  const ws: WorkSheet | undefined = book.sheets[name]
  if (!ws) return { ok: false, refusal: { kind: 'xlsx', reason: 'no-worksheet', detail: name } }
  const ref = ws['!ref']
  const data = (ws['!data'] ?? []) as (CellObject | undefined)[][]
  if (!ref) return { ok: false, refusal: { kind: 'empty' } }
  const range = decodeRange(ref)
  const lastRow = range.e.r
  const W0 = range.e.c + 1
  const fillMerged = options.fillMerged ?? true

  // Merges: every covered cell points at its top-left cell.
  const merges = ws['!merges'] ?? []
  const cover = new Map<number, number>()
  const key = (r: number, c: number) => r * W0 + c
  for (const m of merges)
    for (let r = m.s.r; r <= m.e.r; r++)
      for (let c = m.s.c; c <= m.e.c; c++)
        if (r !== m.s.r || c !== m.s.c) cover.set(key(r, c), key(m.s.r, m.s.c))

  const formats = new Map<string, FormatKind>()
  const formulas: XlsxSheetNotes['formulas'] = { count: 0, examples: [] }
  const raw = (r: number, c: number): CellObject | undefined => data[r]?.[c]
  const text = (cell: CellObject | undefined): string => {
    if (!cell || cell.v === undefined || cell.v === null) return ''
    switch (cell.t) {
      case 's':
        // Rich text arrives flattened (`v` is the plain text); see protectEscapes for the `'`.
        return protectEscapes(String(cell.v))
      case 'b':
        return cell.v ? '是' : '否'
      case 'e':
        return cell.w ?? '#N/A'
      case 'n': {
        const v = cell.v as number
        const z = String(cell.z ?? 'General')
        let kind = formats.get(z)
        if (kind === undefined) {
          kind = classifyFormat(z)
          formats.set(z, kind)
        }
        switch (kind) {
          case 'date':
            // A time of day alone (no date part) stays as Excel shows it.
            return v < 1 && v >= 0 && cell.w
              ? cell.w
              : (serialToIsoDate(v, book.date1904) ?? plainNumber(v))
          case 'percent':
            return percentText(v)
          case 'wan':
            return `${plainNumber(v)}万元`
          default:
            return plainNumber(v)
        }
      }
      case 'd':
        return cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v)
      default:
        return ''
    }
  }
  /** The cell's text, a merged cell's covered parts showing the top-left value when `fill`. */
  const at = (r: number, c: number, fill: boolean): string => {
    // A covered cell may exist in the file (Excel and exceljs write empty ones): the merge wins.
    const top = cover.size === 0 ? undefined : cover.get(key(r, c))
    if (top === undefined) return text(raw(r, c))
    return fill ? text(raw(Math.floor(top / W0), top % W0)) : ''
  }
  const filledCount = (r: number): number => {
    let n = 0
    for (let c = 0; c < W0; c++) if (raw(r, c) !== undefined && text(raw(r, c)).trim() !== '') n++
    return n
  }

  // Title rows: at most one filled cell (often merged across), above a row with several.
  const titleRows: number[] = []
  const titles: string[] = []
  let h = range.s.r
  const scanEnd = Math.min(lastRow, range.s.r + XLSX_HEADER_SCAN_ROWS)
  while (h <= scanEnd) {
    const n = filledCount(h)
    if (n === 0) {
      h++
      continue
    }
    if (n === 1 && W0 > 1) {
      let next = h + 1
      while (next <= lastRow && filledCount(next) === 0) next++
      if (next <= lastRow && filledCount(next) >= 2) {
        titleRows.push(h + 1)
        for (let c = 0; c < W0; c++) {
          const t = at(h, c, false).trim()
          if (t) titles.push(t)
        }
        h = next
        continue
      }
    }
    break
  }
  if (h > lastRow) return { ok: false, refusal: { kind: 'empty' } }

  // Header depth: a merge starting in the header spanning columns needs the row below it; one
  // spanning rows covers them (at most 3 header rows).
  let depth = 1
  for (let changed = true; changed && depth < 3; ) {
    changed = false
    for (const m of merges) {
      if (m.s.r < h || m.s.r >= h + depth) continue
      const need = Math.min(3, Math.max(m.e.c > m.s.c ? m.s.r - h + 2 : 1, m.e.r - h + 1))
      if (need > depth && h + need - 1 <= lastRow) {
        depth = need
        changed = true
      }
    }
  }
  const headerRows = Array.from({ length: depth }, (_, i) => h + i + 1)
  const dataStart = h + depth

  // The used width: the last column with a header or any value.
  let W = 0
  for (let r = h; r <= lastRow; r++) {
    const row = data[r]
    if (!row) continue
    for (let c = Math.min(row.length, W0) - 1; c >= W; c--)
      if (row[c] !== undefined && text(row[c]).trim() !== '') {
        W = c + 1
        break
      }
  }
  for (let c = W; c < W0; c++) for (let r = h; r < dataStart; r++) if (at(r, c, true)) W = c + 1

  const rawHeader: string[] = []
  for (let c = 0; c < W; c++) {
    const parts: string[] = []
    for (let r = h; r < dataStart; r++) {
      const t = at(r, c, true).trim()
      if (t && parts[parts.length - 1] !== t) parts.push(t)
    }
    rawHeader.push(parts.join(' · '))
  }

  // The last data row, and whether it is a totals row.
  let last = lastRow
  while (last >= dataStart && filledCount(last) === 0) last--
  if (last < dataStart) {
    const unique = makeUniqueHeaders(rawHeader)
    return { ok: false, refusal: { kind: 'header-only', header: unique.names } }
  }
  let totals: XlsxSheetNotes['totals']
  for (let c = 0; c < Math.min(W, 3); c++) {
    const t = at(last, c, true).trim()
    if (!t) continue
    if (TOTAL_LABEL.test(t))
      totals = { line: last + 1, label: t, included: options.includeTotals === true }
    break
  }
  const end = totals && !totals.included ? last - 1 : last

  const hiddenRows: XlsxSheetNotes['hiddenRows'] = { count: 0, lines: [] }
  const rowProps = ws['!rows'] ?? []
  const colProps = ws['!cols'] ?? []
  const columns: CsvColumnData[] = []
  for (let c = 0; c < W; c++) columns.push(new CsvColumnData())
  const lines: number[] = []
  let blank = 0
  let mergedBody = 0
  for (const m of merges) if (m.s.r >= dataStart) mergedBody++
  for (let r = dataStart; r <= end; r++) {
    const row = data[r]
    let any = false
    const cells: string[] = []
    for (let c = 0; c < W; c++) {
      const cell = row?.[c]
      let t = at(r, c, fillMerged)
      if (cell?.f !== undefined) {
        formulas.count++
        if (formulas.examples.length < CSV_ISSUE_EXAMPLES)
          formulas.examples.push({ line: r + 1, column: rawHeader[c] ?? '', formula: `=${cell.f}` })
      }
      if (t.trim() === '') t = ''
      else any = true
      cells.push(t)
    }
    if (!any) {
      blank++
      continue
    }
    for (let c = 0; c < W; c++) columns[c]!.push(cells[c]!)
    lines.push(r + 1)
    if (rowProps[r]?.hidden) {
      hiddenRows.count++
      if (hiddenRows.lines.length < CSV_ISSUE_EXAMPLES) hiddenRows.lines.push(r + 1)
    }
  }
  for (const col of columns) col.seal()
  const unique = makeUniqueHeaders(rawHeader)
  const hiddenColumns: string[] = []
  for (let c = 0; c < W; c++) if (colProps[c]?.hidden) hiddenColumns.push(unique.names[c]!)
  const warnings: CsvWarning[] = unique.renamed.map((r) => ({ kind: 'renamed-header', ...r }))
  if (blank > 0) warnings.push({ kind: 'blank-lines', count: blank })
  const table = {
    delimiter: ',',
    delimiterSource: 'detected',
    newline: '\n',
    hasHeader: true,
    headerSource: 'detected',
    header: unique.names,
    rawHeader,
    renamedHeaders: unique.renamed,
    data: columns,
    rowCount: lines.length,
    lines,
    warnings,
    truncated: false,
  } as Omit<CsvTable, 'rows'> as CsvTable
  let rows: string[][] | undefined
  Object.defineProperty(table, 'rows', {
    get: () => (rows ??= tableRows(table, 0, table.rowCount)),
    enumerable: false,
  })
  const title = titles.join(' ').trim()
  return {
    ok: true,
    table,
    notes: {
      worksheet: name,
      ...(title ? { title } : {}),
      titleRows,
      headerRows,
      ...(totals ? { totals } : {}),
      formulas,
      hiddenRows,
      hiddenColumns,
      mergedBody: { count: mergedBody, filled: fillMerged },
      date1904: book.date1904,
    },
  }
}
