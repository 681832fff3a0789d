import { CellKind, type XlsxSlice } from './xlsxSlice.js'

/**
 * The `<row>` elements of a worksheet's XML, written straight from compact slices (issue #15 §2,
 * export speed). SheetJS's `write` builds an object per cell and formats it cell by cell: 8.5 s for
 * 100,000 × 12 in Node, most of the export. Hand-written because no library writes sheet XML from
 * columns: it writes exactly what SheetJS CE 0.20.3's `write_ws_xml_cell` / `write_ws_xml_data`
 * write for the same cells (attributes r, s, t in that order; texts as `t="str"`; `escapexml`'s
 * entities and `_xHHHH_` escapes; `xml:space="preserve"` where its `writetag` puts it; NaN and
 * ±Infinity as `#NUM!` / `#DIV/0!`), so the file is the one SheetJS wrote before, byte for byte in
 * every part (bookWriter.test.ts compares them). The rest of the workbook is still SheetJS's.
 */

/**
 * Style indexes as SheetJS assigns them: 0 for "General" (no `s`), then one per distinct number
 * format in the order the cells are first met, across the workbook's sheets in order.
 */
export class StyleTable {
  private readonly at = new Map<string, number>([['General', 0]])
  /** The formats of styles 1, 2, …, in order. */
  readonly formats: string[] = []

  index(z: string): number {
    let i = this.at.get(z)
    if (i === undefined) {
      i = this.formats.push(z)
      this.at.set(z, i)
    }
    return i
  }
}

/** Excel's column letters of a 0-based index (A, …, Z, AA, …). */
export function columnLetters(c: number): string {
  let s = ''
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters SheetJS's escapexml escapes
const ESCAPE = /[&<>'"\u0000-\u0008\u000b-\u001f\uFFFE\uFFFF]/
const ENTITY = /[&<>'"]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters SheetJS's escapexml escapes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\uFFFE\uFFFF]/g
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
}
/** SheetJS's `escapexml`. */
export function escapeXml(s: string): string {
  if (!ESCAPE.test(s)) return s
  return s
    .replace(ENTITY, (c) => ENTITIES[c]!)
    .replace(CONTROL, (c) => `_x${`000${c.charCodeAt(0).toString(16)}`.slice(-4)}_`)
}
/** SheetJS's `wtregex`: where `writetag` adds `xml:space="preserve"`. */
const PRESERVE = /(^\s|\s$|\n)/
const MAX_TEXT = 32767

/** A growing byte buffer; the rows' XML is mostly ASCII, written a byte at a time. */
class Bytes {
  buf: Uint8Array
  at = 0
  constructor(size: number) {
    this.buf = new Uint8Array(size)
  }
  room(n: number): void {
    if (this.at + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n))
    next.set(this.buf.subarray(0, this.at))
    this.buf = next
  }
  /** An ASCII string (numbers, names, attributes). */
  ascii(s: string): void {
    this.room(s.length)
    const b = this.buf
    let at = this.at
    for (let i = 0; i < s.length; i++) b[at++] = s.charCodeAt(i)
    this.at = at
  }
  bytes(x: Uint8Array): void {
    this.room(x.length)
    this.buf.set(x, this.at)
    this.at += x.length
  }
  /** A positive integer's decimal digits. */
  digits(n: number): void {
    this.room(16)
    const b = this.buf
    let len = 1
    for (let m = n; m >= 10; m = Math.floor(m / 10)) len++
    let at = this.at + len
    this.at = at
    for (let m = n; len-- > 0; m = Math.floor(m / 10)) b[--at] = 48 + (m % 10)
  }
}

const enc = new TextEncoder()
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
const ROW_OPEN = ascii('<row r="')
const ROW_PRESERVE = ascii('" xml:space="preserve">')
const ROW_CLOSE = ascii('</row>')
const C_OPEN = ascii('<c r="')
const S_ATTR = ascii('" s="')
const NUM_OPEN = ascii('"><v>')
const V_CLOSE = ascii('</v></c>')

/**
 * The UTF-8 XML of one slice's rows; `firstRow` is the 1-based sheet row of the slice's first row.
 * Rows with no cell are left out, as SheetJS leaves them. Written as bytes (no long string is
 * built, then encoded): each distinct text is escaped and encoded once per slice.
 */
export function sliceRowsXml(slice: XlsxSlice, firstRow: number, styles: StyleTable): Uint8Array {
  const { width, kind, value, format } = slice
  const letters: Uint8Array[] = []
  for (let c = 0; c < width; c++) letters.push(ascii(columnLetters(c)))
  const styleOf = slice.formats.map((z) => styles.index(z))
  /** Per distinct text: the cell's end from `"` after its style (`" t="str"><v>…</v></c>`). */
  const textXml: (Uint8Array | undefined)[] = new Array(slice.strings.length)
  const textNl: boolean[] = new Array(slice.strings.length)
  const out = new Bytes(Math.max(1024, slice.rowCount * width * 40))
  for (let r = 0; r < slice.rowCount; r++) {
    const rr = firstRow + r
    const rowStart = out.at
    out.bytes(ROW_OPEN)
    out.digits(rr)
    // Closed below once it is known whether a text holds a newline.
    const headEnd = out.at
    out.ascii('">')
    const cellsStart = out.at
    let nl = false
    for (let c = 0, at = r * width; c < width; c++, at++) {
      const k = kind[at]!
      if (k === CellKind.Empty) continue
      const f = format[at]!
      const s = f === 0 ? 0 : styleOf[f - 1]!
      out.bytes(C_OPEN)
      out.bytes(letters[c]!)
      out.digits(rr)
      if (s !== 0) {
        out.bytes(S_ATTR)
        out.digits(s)
      }
      if (k === CellKind.Number) {
        const v = value[at]!
        if (Number.isNaN(v)) out.ascii('" t="e"><v>#NUM!</v></c>')
        else if (!Number.isFinite(v)) out.ascii('" t="e"><v>#DIV/0!</v></c>')
        else {
          out.bytes(NUM_OPEN)
          if (Number.isInteger(v) && v >= 0 && v < 1e15) out.digits(v)
          else out.ascii(`${v}`)
          out.bytes(V_CLOSE)
        }
      } else if (k === CellKind.Text) {
        const i = value[at]!
        let x = textXml[i]
        if (x === undefined) {
          const text = slice.strings[i]!
          if (text.length > MAX_TEXT)
            throw new Error('Text length must not exceed 32767 characters')
          const esc = escapeXml(text)
          textNl[i] = esc.includes('\n')
          const v = PRESERVE.test(esc) ? `<v xml:space="preserve">${esc}</v>` : `<v>${esc}</v>`
          x = textXml[i] = enc.encode(
            textNl[i] ? `" t="str" xml:space="preserve">${v}</c>` : `" t="str">${v}</c>`,
          )
        }
        if (textNl[i]) nl = true
        out.bytes(x)
      } else out.ascii(k === CellKind.True ? '" t="b"><v>1</v></c>' : '" t="b"><v>0</v></c>')
    }
    if (out.at === cellsStart) out.at = rowStart
    else {
      if (nl) {
        // `<row r="N">` becomes `<row r="N" xml:space="preserve">`: move the cells along.
        const cells = out.buf.slice(cellsStart, out.at)
        out.at = headEnd
        out.bytes(ROW_PRESERVE)
        out.bytes(cells)
      }
      out.bytes(ROW_CLOSE)
    }
  }
  return out.buf.subarray(0, out.at)
}
