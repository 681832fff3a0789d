import * as XLSX from '@e965/xlsx'
import { type StyleTable as Styles, StyleTable, sliceRowsXml } from './sheetXml.js'
import type { XlsxSlice } from './xlsxSlice.js'
import { readZipDirectory } from './zipGuard.js'
import { type Deflated, DeflateSink, repackZip } from './zipWrite.js'

/** One worksheet of an export, before its rows: name, header, widths (CSS px), how many rows. */
export interface XlsxSheetHead {
  name: string
  header: string[]
  widths: number[]
  rowCount: number
}

export interface XlsxExportResult {
  bytes: Uint8Array
  sheets: { name: string; rows: number; columns: number }[]
}

/**
 * A SheetJS worksheet holding only the title and header rows, with the whole table's range,
 * widths, filter and title merge: what SheetJS writes around the rows.
 */
function skeleton(
  head: XlsxSheetHead,
  title: string,
  titleRow: boolean,
  body: (XLSX.CellObject | undefined)[][] = [],
): XLSX.WorkSheet {
  const top = titleRow ? 1 : 0
  const data: (XLSX.CellObject | undefined)[][] = []
  if (titleRow) data.push([{ t: 's', v: title ? `${title} · ${head.name}` : head.name }])
  data.push(head.header.map((h) => ({ t: 's', v: h })))
  for (const r of body) data.push(r)
  // SheetJS's dense sheets need every row of the range; the rows themselves are written elsewhere.
  const none: (XLSX.CellObject | undefined)[] = []
  while (data.length < top + 1 + head.rowCount) data.push(none)
  const n = head.header.length
  const lastCol = XLSX.utils.encode_col(Math.max(0, n - 1))
  const ws: XLSX.WorkSheet = { '!data': data } as XLSX.WorkSheet
  ws['!ref'] = `A1:${lastCol}${top + 1 + head.rowCount}`
  ws['!cols'] = head.widths.map((wpx) => ({ wpx }))
  if (n > 0) ws['!autofilter'] = { ref: `A${top + 1}:${lastCol}${top + 1 + head.rowCount}` }
  if (titleRow && n > 1) ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: n - 1 } }]
  return ws
}

/**
 * The header frozen (SheetJS's community build writes `<sheetView workbookViewId="0"/>` and no
 * panes): the view gets its frozen pane below `headerRow`.
 */
function freeze(xml: string, headerRow: number): string {
  const view = '<sheetView workbookViewId="0"/>'
  const pane = `<sheetView workbookViewId="0"><pane ySplit="${headerRow}" topLeftCell="A${headerRow + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>`
  return xml.replace(view, pane)
}

const sheetPart = /^xl\/worksheets\/sheet(\d+)\.xml$/

/** The XML SheetJS writes for the one sheet of a workbook. */
function sheetXmlOf(book: XLSX.WorkBook): string {
  const stored = new Uint8Array(
    XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: false }) as ArrayBuffer,
  )
  const dir = readZipDirectory(stored)
  const e = 'ok' in dir ? undefined : dir.entries.find((x) => sheetPart.test(x.name))
  if (e?.method !== 0) throw new Error('xlsx export: no worksheet written')
  return new TextDecoder().decode(stored.subarray(e.dataStart, e.dataStart + e.size))
}

interface OpenSheet {
  head: XlsxSheetHead
  /** The next sheet row (1-based) a slice's first row goes to. */
  nextRow: number
  sink: DeflateSink
  suffix: string
  done?: Promise<Deflated>
}

/**
 * Writes an .xlsx as its rows arrive (issue #15 §2): per worksheet, SheetJS writes the XML around
 * the rows (dimension, view, widths, header, filter, merge), and the rows, from compact slices, are
 * turned into XML (`sheetXml.ts`) and deflated by the platform's `CompressionStream` as they come,
 * so the export worker writes while the main thread is still reading. `finish` has SheetJS write
 * the rest of the workbook (workbook, styles, properties) and packs the parts.
 */
export class XlsxBookWriter {
  private readonly styles: Styles = new StyleTable()
  private readonly sheets: OpenSheet[] = []
  private readonly enc = new TextEncoder()

  constructor(
    private readonly title: string,
    private readonly titleRow: boolean,
  ) {}

  /** Starts the next worksheet; its `rowCount` rows follow through `rows`. */
  startSheet(head: XlsxSheetHead): void {
    this.endSheet()
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(book, skeleton(head, this.title, this.titleRow), 'Sheet1')
    const xml = freeze(sheetXmlOf(book), this.titleRow ? 2 : 1)
    let prefix: string
    let suffix: string
    const close = xml.indexOf('</sheetData>')
    if (close >= 0) {
      prefix = xml.slice(0, close)
      suffix = xml.slice(close)
    } else {
      // No header row (no columns and no title): SheetJS writes an empty `<sheetData/>`.
      const empty = xml.indexOf('<sheetData/>')
      prefix = `${xml.slice(0, empty)}<sheetData>`
      suffix = `</sheetData>${xml.slice(empty + '<sheetData/>'.length)}`
      if (head.rowCount === 0) {
        prefix = xml
        suffix = ''
      }
    }
    const sink = new DeflateSink()
    sink.write(this.enc.encode(prefix))
    this.sheets.push({ head, nextRow: (this.titleRow ? 2 : 1) + 1, sink, suffix })
  }

  /** The current worksheet's next rows. */
  rows(slice: XlsxSlice): void {
    const s = this.sheets[this.sheets.length - 1]
    if (!s || s.done !== undefined) throw new Error('xlsx export: rows before a sheet')
    if (slice.width !== s.head.header.length)
      throw new Error('xlsx export: a slice is not as wide as its sheet')
    const xml = sliceRowsXml(slice, s.nextRow, this.styles)
    s.nextRow += slice.rowCount
    if (xml.length > 0) s.sink.write(xml)
  }

  private endSheet(): void {
    const s = this.sheets[this.sheets.length - 1]
    if (!s || s.done !== undefined) return
    const top = this.titleRow ? 2 : 1
    if (s.nextRow - top - 1 !== s.head.rowCount)
      throw new Error(
        `xlsx export: sheet ${s.head.name} got ${s.nextRow - top - 1} rows of ${s.head.rowCount}`,
      )
    if (s.suffix) s.sink.write(this.enc.encode(s.suffix))
    s.done = s.sink.close()
  }

  /** The .xlsx bytes; the workbook title in the document properties. */
  async finish(): Promise<XlsxExportResult> {
    this.endSheet()
    const book = XLSX.utils.book_new()
    book.Props = { Title: this.title || 'Taizhang' }
    // Carrier cells, one per number format in the order the rows met them, placed in the first
    // data cells of the sheets in order: SheetJS then numbers the styles as the rows use them.
    // (Every format came from a data cell, so there is room.) The sheets' XML SheetJS writes here
    // is not used: the rows' own, deflated above, replaces it.
    const carriers = [...this.styles.formats]
    for (const s of this.sheets) {
      const body: (XLSX.CellObject | undefined)[][] = []
      const n = s.head.header.length
      for (let r = 0; r < s.head.rowCount && carriers.length > 0; r++) {
        const line: (XLSX.CellObject | undefined)[] = []
        for (let c = 0; c < n && carriers.length > 0; c++)
          line.push({ t: 'n', v: 0, z: carriers.shift()! })
        body.push(line)
      }
      XLSX.utils.book_append_sheet(
        book,
        skeleton(s.head, this.title, this.titleRow, body),
        s.head.name,
      )
    }
    const stored = new Uint8Array(
      XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: false }) as ArrayBuffer,
    )
    const bodies = await Promise.all(this.sheets.map((s) => s.done!))
    const bytes = await repackZip(stored, (name) => {
      const m = sheetPart.exec(name)
      return m ? bodies[Number(m[1]) - 1] : undefined
    })
    return {
      bytes,
      sheets: this.sheets.map((s) => ({
        name: s.head.name,
        rows: s.head.rowCount,
        columns: s.head.header.length,
      })),
    }
  }
}
