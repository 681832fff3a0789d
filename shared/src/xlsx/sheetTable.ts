import { CsvColumnData } from '../csv/csvColumn.js'
import { makeUniqueHeaders } from '../csv/headers.js'
import type { CsvRefusal, CsvWarning } from '../csv/issues.js'
import { CSV_ISSUE_EXAMPLES } from '../csv/limits.js'
import type { CsvTable } from '../csv/parseCsv.js'
import { tableRows } from '../csv/parseCsv.js'
import { XLSX_HEADER_SCAN_ROWS } from './limits.js'
import type { XlsxBook } from './readXlsx.js'

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

/**
 * A formula as Excel shows it: the file prefixes functions newer than Excel 2007 with `_xlfn.`
 * (and worksheet functions with `_xlws.`), which Excel hides.
 */
function shownFormula(f: string): string {
  return f.replace(/_xl(fn|ws)\./g, '')
}

const TOTAL_LABEL = /^(合\s*计|总\s*计|共\s*计|总\s*合\s*计|合计数|total|grand total)\s*[:：]?$/i

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
  const grid = book.grids[name]
  if (!grid && !book.worksheets.some((w) => w.name === name))
    return { ok: false, refusal: { kind: 'xlsx', reason: 'no-worksheet', detail: name } }
  if (!grid || grid.rowCount === 0 || grid.width === 0)
    return { ok: false, refusal: { kind: 'empty' } }
  const lastRow = grid.rowCount - 1
  const W0 = grid.width
  const fillMerged = options.fillMerged ?? true
  const cols = grid.columns

  // Merges: every covered cell points at its top-left cell.
  const merges = grid.merges
  const cover = new Map<number, number>()
  const key = (r: number, c: number) => r * W0 + c
  for (const m of merges)
    for (let r = m.s.r; r <= m.e.r; r++)
      for (let c = m.s.c; c <= m.e.c; c++)
        if (r !== m.s.r || c !== m.s.c) cover.set(key(r, c), key(m.s.r, m.s.c))

  /** The cell's import text (`sheetStream.ts` made it while reading). */
  const text = (r: number, c: number): string => cols[c]!.get(r)
  /** The cell's text, a merged cell's covered parts showing the top-left value when `fill`. */
  const at = (r: number, c: number, fill: boolean): string => {
    // A covered cell may exist in the file (Excel and exceljs write empty ones): the merge wins.
    const top = cover.size === 0 ? undefined : cover.get(key(r, c))
    if (top === undefined) return text(r, c)
    return fill ? text(Math.floor(top / W0), top % W0) : ''
  }
  const filledCount = (r: number): number => {
    let n = 0
    for (let c = 0; c < W0; c++) if (text(r, c).trim() !== '') n++
    return n
  }

  // Title rows: at most one filled cell (often merged across), above a row with several.
  const titleRows: number[] = []
  const titles: string[] = []
  let h = grid.firstRow
  const scanEnd = Math.min(lastRow, grid.firstRow + XLSX_HEADER_SCAN_ROWS)
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
  for (let c = W0 - 1; c >= 0 && W === 0; c--)
    for (let r = h; r <= lastRow; r++)
      if (text(r, c).trim() !== '') {
        W = c + 1
        break
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
  const hidden = new Set(grid.hiddenRows)
  const columns: CsvColumnData[] = []
  for (let c = 0; c < W; c++) columns.push(new CsvColumnData())
  const lines: number[] = []
  let blank = 0
  let mergedBody = 0
  for (const m of merges) if (m.s.r >= dataStart) mergedBody++
  const formulas: XlsxSheetNotes['formulas'] = { count: 0, examples: [] }
  // Formula cells in the body, in file order (row by row): counted, the first few shown.
  const fr = grid.formulaRows
  for (let i = 0; i < fr.length; i++) {
    const r = fr[i]!
    const c = grid.formulaCols[i]!
    if (r < dataStart || r > end || c >= W) continue
    formulas.count++
    const f = grid.formulaTexts[i]
    if (formulas.examples.length < CSV_ISSUE_EXAMPLES && f !== undefined)
      formulas.examples.push({
        line: r + 1,
        column: rawHeader[c] ?? '',
        formula: `=${shownFormula(f)}`,
      })
  }
  const cells: string[] = new Array(W)
  for (let r = dataStart; r <= end; r++) {
    let any = false
    for (let c = 0; c < W; c++) {
      let t = at(r, c, fillMerged)
      if (t.trim() === '') t = ''
      else any = true
      cells[c] = t
    }
    if (!any) {
      blank++
      continue
    }
    for (let c = 0; c < W; c++) columns[c]!.push(cells[c]!)
    lines.push(r + 1)
    if (hidden.has(r)) {
      hiddenRows.count++
      if (hiddenRows.lines.length < CSV_ISSUE_EXAMPLES) hiddenRows.lines.push(r + 1)
    }
  }
  for (const col of columns) col.seal()
  const unique = makeUniqueHeaders(rawHeader)
  const hiddenColumns: string[] = []
  for (let c = 0; c < W; c++) if (grid.hiddenColumns.has(c)) hiddenColumns.push(unique.names[c]!)
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
