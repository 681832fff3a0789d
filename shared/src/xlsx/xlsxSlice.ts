/**
 * A slice of an export's rows in compact columns (issue #15 §2, export speed): one byte of kind, one
 * float and one format index per cell in typed arrays, and one table of the slice's distinct texts
 * and formats. The main thread builds it from the workbook and hands its buffers to the export
 * worker as transferables (`sliceTransfer`), so no per-cell object is made or structured-cloned;
 * the worker turns it into the sheet's XML (`sheetXml.ts`). Plain data, no DOM.
 */
import type * as XLSX from '@e965/xlsx'

/** What one cell holds. */
export const CellKind = { Empty: 0, Number: 1, Text: 2, True: 3, False: 4 } as const

export interface XlsxSlice {
  rowCount: number
  width: number
  /** Per cell, row-major: a `CellKind`. */
  kind: Uint8Array
  /** Per cell: the number, or for a text cell the index of its text in `strings`. */
  value: Float64Array
  /** Per cell: 1 + the index of its number format in `formats`; 0 = none ("General"). */
  format: Uint16Array
  strings: string[]
  formats: string[]
}

/** The buffers of a slice, to be transferred (not copied) with `postMessage`. */
export function sliceTransfer(s: XlsxSlice): ArrayBuffer[] {
  return [s.kind.buffer, s.value.buffer, s.format.buffer] as ArrayBuffer[]
}

/** Fills a slice of `rows × width` cells; texts and formats are stored once each per slice. */
export class XlsxSliceBuilder {
  private readonly kind: Uint8Array
  private readonly value: Float64Array
  private readonly format: Uint16Array
  private readonly strings: string[] = []
  private readonly stringAt = new Map<string, number>()
  private readonly formats: string[] = []
  private readonly formatAt = new Map<string, number>()

  constructor(
    private readonly rows: number,
    private readonly width: number,
  ) {
    const n = rows * width
    this.kind = new Uint8Array(n)
    this.value = new Float64Array(n)
    this.format = new Uint16Array(n)
  }

  private formatIndex(z: string | undefined): number {
    if (z === undefined) return 0
    let i = this.formatAt.get(z)
    if (i === undefined) {
      i = this.formats.push(z)
      this.formatAt.set(z, i)
    }
    return i
  }

  number(row: number, col: number, v: number, z?: string): void {
    const at = row * this.width + col
    this.kind[at] = CellKind.Number
    this.value[at] = v
    this.format[at] = this.formatIndex(z)
  }

  text(row: number, col: number, s: string, z?: string): void {
    const at = row * this.width + col
    let i = this.stringAt.get(s)
    if (i === undefined) {
      i = this.strings.push(s) - 1
      this.stringAt.set(s, i)
    }
    this.kind[at] = CellKind.Text
    this.value[at] = i
    this.format[at] = this.formatIndex(z)
  }

  bool(row: number, col: number, b: boolean, z?: string): void {
    const at = row * this.width + col
    this.kind[at] = b ? CellKind.True : CellKind.False
    this.format[at] = this.formatIndex(z)
  }

  /** A SheetJS-style cell (summaries): numbers, texts and booleans; nothing else is written. */
  cell(row: number, col: number, c: XLSX.CellObject | undefined): void {
    if (!c || c.v === undefined || c.v === null) return
    const z = typeof c.z === 'string' ? c.z : undefined
    if (c.t === 'n') this.number(row, col, c.v as number, z)
    else if (c.t === 'b') this.bool(row, col, c.v === true, z)
    else if (c.t === 's') this.text(row, col, String(c.v), z)
    else throw new Error(`xlsx export: cell type ${c.t} is not written`)
  }

  done(): XlsxSlice {
    return {
      rowCount: this.rows,
      width: this.width,
      kind: this.kind,
      value: this.value,
      format: this.format,
      strings: this.strings,
      formats: this.formats,
    }
  }
}

/** A slice of SheetJS-style rows (summaries, and `writeXlsxBook`'s callers). */
export function sliceOfCells(
  rows: readonly (XLSX.CellObject | undefined)[][],
  width: number,
): XlsxSlice {
  const b = new XlsxSliceBuilder(rows.length, width)
  for (let r = 0; r < rows.length; r++) {
    const line = rows[r]!
    for (let c = 0; c < Math.min(width, line.length); c++) b.cell(r, c, line[c])
  }
  return b.done()
}
