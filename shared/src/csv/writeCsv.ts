import type { CsvExportEncoding } from './encodings.js'
import { encodeGb18030 } from './gb18030.js'
import { encodeUtf8, encodeUtf8Into } from './textCodec.js'

/**
 * Characters that make a field need quotes: the delimiter, the quote, line breaks, a byte-order mark,
 * and the other delimiters an importer may detect (`;` tab `|`). Without the last group a one-column
 * file of cells like "a<TAB>b" reads back as two tab-separated columns (ours and Excel's sniffers).
 */
const NEEDS_QUOTES = /[",\r\n\uFEFF;\t|]/

/**
 * Excel treats quotes around a field as plain CSV quoting, so quoting more than strictly needed costs
 * nothing when the file is opened there.
 */
export const QUOTE_OTHER_DELIMITERS = /[;\t|]/

/**
 * One formatted cell as a CSV field, quoted only where needed, exactly as papaparse's `unparse` writes it
 * with `quotes: (v) => QUOTE_OTHER_DELIMITERS.test(v)`: when it holds `,` `"` CR LF U+FEFF `;` tab or `|`,
 * or starts or ends with a space; inner `"` doubled.
 */
export function csvField(s: string): string {
  const n = s.length
  if (n === 0) return s
  if (!NEEDS_QUOTES.test(s) && s.charCodeAt(0) !== 32 && s.charCodeAt(n - 1) !== 32) return s
  return `"${s.indexOf('"') === -1 ? s : s.replace(/"/g, '""')}"`
}

/**
 * Excel takes a file starting with "ID" for SYLK and refuses it; a quoted "ID" is plain CSV. Applied to
 * the first line (the file starts with "ID" exactly when it does), so the whole text is never flattened.
 */
function avoidSylk(line: string, first: string | undefined): string {
  if (line.charCodeAt(0) !== 73 || line.charCodeAt(1) !== 68) return line
  return '"' + (first ?? '').replace(/"/g, '""') + '"' + line.slice(first?.length ?? 0)
}

function fieldOf(v: unknown): string {
  return v === undefined || v === null ? '' : csvField(typeof v === 'string' ? v : String(v))
}

/**
 * Writes a table of strings as CSV text with CRLF line endings (rule CSV8), quoting only where needed.
 * Cells must already be formatted and neutralised (see `formula.ts`). The output is byte for byte what
 * papaparse's `unparse({ fields: header, data: rows }, { newline: '\r\n', quotes })` gives (quotes as in
 * `csvField`)
 * (writeCsv.test.ts compares them), plus a final CRLF, including its corner cases: no header row when
 * `header` is empty, short rows padded, long rows cut to the header, an empty row array written as an
 * empty line, and zero rows written as one empty line.
 */
export function writeCsvText(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const hasHeader = header.length > 0
  // unparse treats an empty data array as one empty row.
  const data: readonly (readonly string[])[] = rows.length === 0 ? [[]] : rows
  let text = ''
  if (hasHeader) {
    let line = ''
    for (let i = 0; i < header.length; i++) line += (i > 0 ? ',' : '') + fieldOf(header[i])
    text = avoidSylk(line, header[0]) + '\r\n'
  }
  for (let r = 0; r < data.length; r++) {
    const row = data[r]!
    const width = hasHeader ? header.length : row.length
    const nullLine = row.length === 0 || (!(0 in row) && Object.keys(row).length === 0)
    let line = ''
    for (let c = 0; c < width; c++) {
      if (c > 0 && !nullLine) line += ','
      line += fieldOf(row[c])
    }
    if (r === 0 && !hasHeader) line = avoidSylk(line, header[0])
    text += r < data.length - 1 ? line + '\r\n' : line
  }
  return text + '\r\n'
}

/**
 * Builds CSV text line by line without a table of strings in between (the export's path). Same output as
 * `writeCsvText(header, rows)` for a non-empty header and rows of its width.
 */
export class CsvTextBuilder {
  private text = ''
  private rows = 0

  constructor(header: readonly string[]) {
    if (header.length === 0) throw new Error('CsvTextBuilder needs a header')
    let line = ''
    for (let i = 0; i < header.length; i++) line += (i > 0 ? ',' : '') + fieldOf(header[i])
    this.text = avoidSylk(line, header[0])
  }

  /** Appends one line of already-quoted fields (see {@link csvField}), joined by commas. */
  addLine(line: string): void {
    this.text += '\r\n' + line
    this.rows++
  }

  /** Characters built and not yet taken. */
  get pending(): number {
    return this.text.length
  }

  /** Takes the text built so far, to encode it piece by piece; what follows continues where it ends. */
  take(): string {
    const text = this.text
    this.text = ''
    return text
  }

  /** The (rest of the) CSV text; with no line added, the header and one empty line, as `writeCsvText` writes it. */
  finish(): string {
    return this.rows === 0 ? this.text + '\r\n\r\n' : this.text + '\r\n'
  }
}

/**
 * Encodes CSV text given in pieces into one byte array (what `encodeCsvText` gives for the pieces
 * joined), so an export never holds the whole file as a string. Pieces must not split a surrogate pair.
 */
export class CsvByteWriter {
  private buf: Uint8Array
  private size = 0
  private readonly parts: Uint8Array[] = []
  private readonly gb: boolean
  private readonly stats = { unmappable: 0 }

  constructor(options: CsvEncodeOptions = {}) {
    this.gb = options.encoding === 'gb18030'
    this.buf = new Uint8Array(this.gb ? 0 : 1 << 16)
    if (!this.gb && options.bom !== false) {
      this.buf.set([0xef, 0xbb, 0xbf])
      this.size = 3
    }
  }

  write(text: string): void {
    if (text === '') return
    if (this.gb) {
      const bytes = encodeGb18030(text, this.stats)
      this.parts.push(bytes)
      this.size += bytes.length
      return
    }
    const need = this.size + text.length * 3
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2))
      bigger.set(this.buf.subarray(0, this.size))
      this.buf = bigger
    }
    this.size += encodeUtf8Into(text, this.buf.subarray(this.size)).written
  }

  finish(): { bytes: Uint8Array; unmappable: number } {
    if (this.gb) {
      const out = this.parts.length === 1 ? this.parts[0]! : new Uint8Array(this.size)
      if (this.parts.length !== 1) {
        let at = 0
        for (const p of this.parts) {
          out.set(p, at)
          at += p.length
        }
      }
      return { bytes: out, unmappable: this.stats.unmappable }
    }
    const bytes = this.size === this.buf.length ? this.buf : this.buf.slice(0, this.size)
    return { bytes, unmappable: 0 }
  }
}

export interface CsvEncodeOptions {
  encoding?: CsvExportEncoding
  /** UTF-8 only: write a byte-order mark (default true, so Excel picks UTF-8). */
  bom?: boolean
}

/** Encodes CSV text for download; `unmappable` counts characters GB18030 could not represent. */
export function encodeCsvText(
  text: string,
  options: CsvEncodeOptions = {},
): { bytes: Uint8Array; unmappable: number } {
  if (options.encoding === 'gb18030') {
    const stats = { unmappable: 0 }
    return { bytes: encodeGb18030(text, stats), unmappable: stats.unmappable }
  }
  // U+FEFF encodes as EF BB BF: the mark and the text in one pass, with no copy of the bytes.
  return { bytes: encodeUtf8(options.bom === false ? text : '\uFEFF' + text), unmappable: 0 }
}
