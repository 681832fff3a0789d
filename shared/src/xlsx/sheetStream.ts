import { CsvColumnData } from '../csv/csvColumn.js'
import { protectEscapes } from '../csv/formula.js'
import type { CellStyles } from './cellText.js'
import { shiftFormula } from './formulaShift.js'
import { decodeRange } from './numberFormats.js'
import { parseEntry, unescapeOoxml, type ZipIndex } from './xmlParts.js'

/**
 * A worksheet read in one streaming pass over its XML (issue #15 §1, import memory): every cell is
 * turned into its import text as it is parsed (`CellStyles`), and kept column by column in the CSV
 * import's compact `CsvColumnData` (each distinct string once), never as a cell object. The element
 * handling below is hand-written glue around `saxes`; SheetJS is still used for number formats.
 */
export interface SheetGrid {
  /** One column per sheet column (0-based), each as long as `rowCount`; `''` for an empty cell. */
  columns: CsvColumnData[]
  /** Rows up to the last one holding a cell (0-based: row r is Excel row r + 1). */
  rowCount: number
  /** The used range: the first row holding a cell, the last column holding one + 1. */
  firstRow: number
  width: number
  merges: { s: { r: number; c: number }; e: { r: number; c: number } }[]
  /** Hidden rows (0-based, ascending) and columns (0-based). */
  hiddenRows: number[]
  hiddenColumns: Set<number>
  /** Cells holding a formula: row and column of each, and its text for the first `FORMULA_TEXTS`. */
  formulaRows: Uint32Array
  formulaCols: Uint32Array
  formulaTexts: string[]
}

/** Formula texts kept for the notes' examples (the header rows' own come first). */
const FORMULA_TEXTS = 2000

/** Column letters (`AB` of `AB12`) to a 0-based index; -1 when there are none. */
function columnOf(ref: string): number {
  let c = 0
  let i = 0
  for (; i < ref.length; i++) {
    const k = ref.charCodeAt(i)
    if (k >= 65 && k <= 90) c = c * 26 + (k - 64)
    else if (k >= 97 && k <= 122) c = c * 26 + (k - 96)
    else break
  }
  return i === 0 ? -1 : c - 1
}

/** A growable Uint32 list. */
class U32List {
  a = new Uint32Array(256)
  n = 0
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  done(): Uint32Array {
    return this.a.slice(0, this.n)
  }
}

/** Streams worksheet `path` into a `SheetGrid`; throws on malformed XML or misordered rows. */
export async function readSheetGrid(
  zip: ZipIndex,
  path: string,
  strings: readonly string[],
  styles: CellStyles,
): Promise<SheetGrid> {
  const columns: CsvColumnData[] = []
  const merges: SheetGrid['merges'] = []
  const hiddenRows: number[] = []
  const hiddenColumns = new Set<number>()
  const fRows = new U32List()
  const fCols = new U32List()
  const formulaTexts: string[] = []
  const sharedFormulas = new Map<string, { text: string; r: number; c: number }>()
  let firstRow = -1
  let lastRow = -1

  let row = -1
  let col = -1
  // The cell being read.
  let type = ''
  let style = 0
  let value: string | undefined
  let formula: string | undefined
  let sharedIndex: string | undefined
  let inline: string | undefined
  // Which text the parser is in.
  let into: 'v' | 'f' | 't' | undefined
  let phonetic = 0

  const put = (r: number, c: number, text: string): void => {
    while (columns.length <= c) columns.push(new CsvColumnData())
    const column = columns[c]!
    if (column.length > r) throw new Error(`cell ${c + 1}:${r + 1} out of order`)
    while (column.length < r) column.push('')
    column.push(text)
  }

  const endCell = (): void => {
    let text = ''
    if (type === 'inlineStr')
      text = inline === undefined ? '' : protectEscapes(unescapeOoxml(inline))
    else if (value !== undefined)
      switch (type) {
        case 's': {
          // Rich text arrives flattened; see protectEscapes for the `'`.
          const s = strings[Number(value)]
          text = s === undefined ? '' : protectEscapes(s)
          break
        }
        case 'str':
          text = protectEscapes(unescapeOoxml(value))
          break
        case 'b':
          text = value === '1' || value === 'true' ? '是' : '否'
          break
        case 'e':
          text = value || '#N/A'
          break
        case 'd':
          text = value.slice(0, 10)
          break
        default: {
          const v = Number(value)
          text = value.trim() === '' || !Number.isFinite(v) ? value : styles.numberText(v, style)
        }
      }
    if (formula !== undefined) {
      fRows.push(row)
      fCols.push(col)
      if (formulaTexts.length < FORMULA_TEXTS) formulaTexts.push(formula)
    }
    if (text === '' && formula === undefined) return
    if (text !== '') put(row, col, text)
    if (firstRow < 0) firstRow = row
    lastRow = row
  }

  await parseEntry(zip, path, {
    open(name, a, selfClosing) {
      switch (name) {
        case 'row': {
          const r = a.r === undefined ? row + 1 : Number(a.r) - 1
          if (!(r > row)) throw new Error(`row ${r + 1} out of order`)
          row = r
          col = -1
          if (a.hidden === '1' || a.hidden === 'true') hiddenRows.push(row)
          break
        }
        case 'c': {
          const c = a.r === undefined ? col + 1 : columnOf(a.r)
          col = c < 0 ? col + 1 : c
          type = a.t ?? 'n'
          style = a.s === undefined ? 0 : Number(a.s) || 0
          value = undefined
          formula = undefined
          inline = undefined
          sharedIndex = undefined
          if (selfClosing) endCell()
          break
        }
        case 'v':
          if (!selfClosing) {
            into = 'v'
            value = ''
          }
          break
        case 'f':
          sharedIndex = a.t === 'shared' ? a.si : undefined
          formula = ''
          if (!selfClosing) into = 'f'
          break
        case 'is':
          inline = ''
          break
        case 'rPh':
          if (!selfClosing) phonetic++
          break
        case 't':
          if (!selfClosing && inline !== undefined && phonetic === 0) into = 't'
          break
        case 'mergeCell':
          if (a.ref) {
            const m = decodeRange(a.ref)
            merges.push({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } })
          }
          break
        case 'col':
          if (a.hidden === '1' || a.hidden === 'true')
            for (let c = Number(a.min) - 1; c < Number(a.max) && c < 16384; c++)
              hiddenColumns.add(c)
          break
      }
    },
    close(name) {
      switch (name) {
        case 'c':
          endCell()
          break
        case 'f':
          // A shared formula's other cells carry only its index: the first cell's text, its
          // relative references moved to this cell.
          if (sharedIndex !== undefined) {
            if (formula) sharedFormulas.set(sharedIndex, { text: formula, r: row, c: col })
            else {
              const first = sharedFormulas.get(sharedIndex)
              // Moved only while texts are still kept (a big range would pay for nothing).
              formula = !first
                ? ''
                : formulaTexts.length < FORMULA_TEXTS
                  ? shiftFormula(first.text, row - first.r, col - first.c)
                  : first.text
            }
          }
          into = undefined
          break
        case 'rPh':
          phonetic--
          break
        case 'v':
        case 't':
          into = undefined
          break
      }
    },
    text(t) {
      if (into === 'v') value += t
      else if (into === 'f') formula += t
      else if (into === 't') inline += t
    },
  })

  let width = 0
  for (let c = columns.length - 1; c >= 0 && width === 0; c--)
    if (columns[c]!.length > 0) width = c + 1
  for (const m of merges) {
    width = Math.max(width, m.e.c + 1)
    lastRow = Math.max(lastRow, m.e.r)
    if (firstRow < 0 || m.s.r < firstRow) firstRow = m.s.r
  }
  const rowCount = lastRow + 1
  columns.length = Math.min(columns.length, width)
  while (columns.length < width) columns.push(new CsvColumnData())
  for (const column of columns) {
    while (column.length < rowCount) column.push('')
    column.seal()
  }
  return {
    columns,
    rowCount,
    firstRow: Math.max(0, firstRow),
    width,
    merges,
    hiddenRows,
    hiddenColumns,
    formulaRows: fRows.done(),
    formulaCols: fCols.done(),
    formulaTexts,
  }
}
